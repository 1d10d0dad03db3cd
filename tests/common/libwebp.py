"""libwebp itself (the decoder in Chromium and Android), for tests that need an
independent lossy WebP encoder and decoder. Through Pillow's own libwebp with
ctypes, because Pillow's save() cannot ask for several token partitions.

  python libwebp.py encode W H PARTITIONS ALPHA > out.webp   (a made-up picture; ALPHA 0 none,
                                                              1 compressed, 2 raw transparency)
  python libwebp.py decode < in.webp > rgba                  (W, H as 2x u32 LE, then RGBA)

Only makes or reads test pictures; the crate under test is never involved."""
import ctypes
import ctypes.util
import struct
import sys

ABI = 0x020F  # WEBP_ENCODER_ABI_VERSION of libwebp 1.x (only the major byte is checked)
lib = ctypes.CDLL(ctypes.util.find_library("webp") or "libwebp.so.7")


def encode(w, h, rgba, quality, partitions, segments, alpha_compression=1):
    cfg = (ctypes.c_int32 * 64)()  # WebPConfig: 4-byte fields
    assert lib.WebPConfigInitInternal(cfg, 0, ctypes.c_float(quality), ABI)
    assert cfg[2] == 4 and cfg[6] == 4, "unexpected WebPConfig layout"  # method, segments
    cfg[6] = segments
    cfg[12] = alpha_compression
    cfg[18] = partitions  # log2 of the number of token partitions
    cfg[22] = int(partitions > 0)  # low_memory: libwebp's token buffer writes one partition only
    assert lib.WebPValidateConfig(cfg)
    pic = (ctypes.c_uint8 * 1024)()  # WebPPicture
    assert lib.WebPPictureInitInternal(pic, ABI)
    ints = ctypes.cast(pic, ctypes.POINTER(ctypes.c_int32))
    ints[2], ints[3] = w, h
    buf = (ctypes.c_uint8 * len(rgba)).from_buffer_copy(rgba)
    assert lib.WebPPictureImportRGBA(pic, buf, w * 4)
    writer = (ctypes.c_uint8 * 64)()
    lib.WebPMemoryWriterInit(writer)
    ptrs = ctypes.cast(pic, ctypes.POINTER(ctypes.c_void_p))
    ptrs[12] = ctypes.cast(lib.WebPMemoryWrite, ctypes.c_void_p).value  # writer
    ptrs[13] = ctypes.addressof(writer)  # custom_ptr
    assert lib.WebPEncode(cfg, pic), "libwebp could not encode"
    size = ctypes.cast(writer, ctypes.POINTER(ctypes.c_size_t))[1]
    out = ctypes.string_at(ctypes.cast(writer, ctypes.POINTER(ctypes.c_void_p))[0], size)
    lib.WebPPictureFree(pic)
    return out


def decode(data):
    """WebPDecodeRGBA, and the incremental decoder Chromium uses given all bytes at once: both must
    succeed (the incremental one stops at "suspended" where a partition ends too early) and agree."""
    w, h = ctypes.c_int(), ctypes.c_int()
    lib.WebPDecodeRGBA.restype = ctypes.c_void_p
    p = lib.WebPDecodeRGBA(data, len(data), ctypes.byref(w), ctypes.byref(h))
    if not p:
        sys.exit("libwebp could not decode")
    out = struct.pack("<II", w.value, h.value) + ctypes.string_at(p, w.value * h.value * 4)
    lib.WebPFree(ctypes.c_void_p(p))
    lib.WebPINewRGB.restype = ctypes.c_void_p
    lib.WebPIDecGetRGB.restype = ctypes.c_void_p
    idec = ctypes.c_void_p(lib.WebPINewRGB(1, None, 0, 0))  # MODE_RGBA, library-owned buffer
    status = lib.WebPIUpdate(idec, data, len(data))
    if status != 0:
        sys.exit("libwebp's incremental decoder stopped (status %d)" % status)
    last_y, iw, ih, stride = ctypes.c_int(), ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
    rows = lib.WebPIDecGetRGB(idec, ctypes.byref(last_y), ctypes.byref(iw), ctypes.byref(ih), ctypes.byref(stride))
    inc = b"".join(ctypes.string_at(rows + y * stride.value, iw.value * 4) for y in range(ih.value))
    lib.WebPIDelete(idec)
    if (iw.value, ih.value, last_y.value) != (w.value, h.value, h.value) or inc != out[8:]:
        sys.exit("libwebp's two decoders disagree")
    return out


if sys.argv[1] == "encode":
    w, h, parts, alpha = (int(a) for a in sys.argv[2:6])
    px = bytearray()
    for y in range(h):
        for x in range(w):
            a = ((x * 5 + y) & 255) if alpha else 255
            px += bytes([(x * 7 + y * 3) & 255, (x * x // 5 + y * 11) & 255, ((x ^ y) * 13) & 255, a])
    sys.stdout.buffer.write(encode(w, h, bytes(px), 80.0, parts, 4, int(alpha != 2)))
else:
    sys.stdout.buffer.write(decode(sys.stdin.buffer.read()))
