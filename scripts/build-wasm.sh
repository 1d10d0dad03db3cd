#!/usr/bin/env bash
# Builds the four WebAssembly modules (git-ignored), after which www/ is a
# complete static site (plus www/models from scripts/fetch-models.sh).
# Assumes scripts/setup.sh has run.
#  * www/pkg        the metadata core (--no-default-features --features web-core:
#                   no face detector, no image codecs, exports of src/wasm/core.rs), loaded
#                   at page start. Built at opt-level z and wasm-opt -Oz (twice): its size is the
#                   phone's wait before the first check (budget: 250 KB gzipped, issue #16;
#                   247,835 bytes gzipped on 2026-12-03, down from 334,725: one sort, catalog
#                   as constants, own decimal text, decimal parsing, EXIF names, sin/cos and
#                   GIF LZW decoder, no serde-wasm-bindgen, no serde-derived readers (the core
#                   reads what it needs of reports by hand), no foreign error formatting);
#                   a metadata check takes milliseconds either way.
#  * the picture modules, each built with one feature (--no-default-features --features
#    web-X: exports of src/wasm/X.rs only, none of another module's) and fetched only when
#    its job is asked for, so no photo check downloads code it does not use:
#      www/pkg-faces  face detector (web-faces: rten, at opt-level 3 as Cargo.toml says; the
#                     rest at "s": opt-level z saved only 6 KB gzipped), loaded with the face model by
#                     www/app/faces-worker.js once the core is ready;
#      www/pkg-codes  codes in the picture (web-codes: rxing), loaded after the face module;
#                     built at opt-level z and wasm-opt -Oz: 29 KB gzipped less than at "s"/-O,
#                     and finding a code in a 12 MP photo took the same ~120 ms (codes.test.mjs measure);
#      www/pkg-copy   the safer copy that draws the picture again (web-copy: the image
#                     codecs), loaded by www/engine/copy-worker.js only when such a copy is
#                     asked for (areas covered, TIFF -> PNG, lossless WebP).
#    Built with +simd128 (rten is ~3x faster with it; every current browser has it), each
#    in its own target dir, so the builds never invalidate each other's cache.
#  * --mode no-install: never let wasm-pack download tools or fall back to an
#    unlocked cargo install; fail fast instead.
#  * wasm-opt: Cargo.toml disables wasm-pack's own run (Debian binaryen 108 breaks
#    the module); we run npm binaryen's current wasm-opt here. Its output is cached
#    by input hash in target/, so a warm rebuild skips the optimisation.
# `build-wasm.sh core|faces|codes|copy` builds only that one; `build-wasm.sh picture` the last three.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WHICH=${1:-all}
CACHE=target/wasm-opt-cache
mkdir -p "$CACHE"
size() { echo "$(stat -c %s "$1") bytes raw, $(gzip -9 -c "$1" | wc -c) bytes gzipped"; }

# optimise WASM [FLAGS]: runs wasm-opt FLAGS (default -O) on WASM in place, cached by input hash and flags.
optimise() {
  local wasm=$1 level=${2:--O} key
  key=$( (sha256sum "$wasm"; echo "$level") | sha256sum | cut -d' ' -f1)
  echo "before wasm-opt: $(size "$wasm")"
  if [ -f "$CACHE/$key.wasm" ]; then
    echo "wasm-opt: cached result for this input"
  else
    # Reads the module's target_features section, so no --enable-* flags are needed.
    # shellcheck disable=SC2086 # LEVEL may be several flags
    node_modules/.bin/wasm-opt $level "$wasm" -o "$CACHE/$key.tmp" && mv "$CACHE/$key.tmp" "$CACHE/$key.wasm"
    ls -t "$CACHE"/*.wasm | tail -n +17 | xargs -r rm -f   # keep the 16 newest (four modules)
  fi
  cp "$CACHE/$key.wasm" "$wasm"
  echo "after  wasm-opt: $(size "$wasm")"
}

if [ "$WHICH" = all ] || [ "$WHICH" = core ]; then
  CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CORE_RUSTFLAGS--C target-feature=+simd128}" \
    wasm-pack build --target web --release --mode no-install --out-dir www/pkg -- --no-default-features --features web-core
  # -Oz twice: the second pass finds more. (--low-memory-unused saved ~1 KB more, but it lets
  # binaryen assume no pointer reaches the first 1 KB — the far end of Rust's stack — and a
  # deep stack must stay a plain overflow, not a miscompiled one: left out.)
  optimise www/pkg/thinktwice_bg.wasm "-Oz -Oz"
fi

# picture NAME OPT-LEVEL WASM-OPT-LEVEL: builds www/pkg-NAME/thinktwice_NAME_bg.wasm with feature web-NAME
# (the crates Cargo.toml sets to opt-level 3, rten and the image codecs, keep it).
picture() {
  CARGO_TARGET_DIR=target/wasm-$1 \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=$2 \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128" \
    wasm-pack build --target web --release --mode no-install \
      --out-dir "www/pkg-$1" --out-name "thinktwice_$1" -- --no-default-features --features "web-$1"
  optimise "www/pkg-$1/thinktwice_$1_bg.wasm" "$3"
}

for part in "faces s -O" "codes z -Oz" "copy s -O"; do
  set -- $part
  if [ "$WHICH" = all ] || [ "$WHICH" = picture ] || [ "$WHICH" = "$1" ]; then picture "$@"; fi
done
