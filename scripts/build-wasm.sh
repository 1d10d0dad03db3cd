#!/usr/bin/env bash
# Builds the two WebAssembly modules (git-ignored), after which www/ is a
# complete static site (plus www/models from scripts/fetch-models.sh).
# Assumes scripts/setup.sh has run.
#  * www/pkg        the metadata core (--no-default-features --features web-core:
#                   no face detector, no image codecs, exports of src/wasm/core.rs), loaded
#                   at page start. Built at opt-level z and wasm-opt -Oz: its size is the
#                   phone's wait before the first check (budget: 250 KB gzipped, issue #16;
#                   261,429 bytes gzipped on 2026-12-03, down from 334,725: one sort, catalog
#                   as constants, own decimal text and EXIF names, no serde-wasm-bindgen, no
#                   serde-derived readers: the core reads what it needs of reports by hand);
#                   a metadata check takes milliseconds either way.
#  * www/pkg-faces  the picture checks (--no-default-features --features web-picture:
#                   face detector, code reader and the copies that draw the picture
#                   again (image codecs), exports of src/wasm/picture.rs only,
#                   none of the core's), loaded in the background by www/app/faces.js
#                   once the core is ready. Built with +simd128 (rten is ~3x faster with it; every
#                   current browser has it) in its own target dir, so the two
#                   builds never invalidate each other's cache.
#  * --mode no-install: never let wasm-pack download tools or fall back to an
#    unlocked cargo install; fail fast instead.
#  * wasm-opt: Cargo.toml disables wasm-pack's own run (Debian binaryen 108 breaks
#    the module); we run npm binaryen's current wasm-opt here. Its output is cached
#    by input hash in target/, so a warm rebuild skips the optimisation.
# `build-wasm.sh core` or `build-wasm.sh faces` builds only one of them.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WHICH=${1:-all}
CACHE=target/wasm-opt-cache
mkdir -p "$CACHE"
size() { echo "$(stat -c %s "$1") bytes raw, $(gzip -9 -c "$1" | wc -c) bytes gzipped"; }

# optimise WASM [LEVEL]: runs wasm-opt LEVEL (default -O) on WASM in place, cached by input hash and level.
optimise() {
  local wasm=$1 level=${2:--O} key
  key=$( (sha256sum "$wasm"; echo "$level") | sha256sum | cut -d' ' -f1)
  echo "before wasm-opt: $(size "$wasm")"
  if [ -f "$CACHE/$key.wasm" ]; then
    echo "wasm-opt: cached result for this input"
  else
    # Reads the module's target_features section, so no --enable-* flags are needed.
    node_modules/.bin/wasm-opt "$level" "$wasm" -o "$CACHE/$key.tmp" && mv "$CACHE/$key.tmp" "$CACHE/$key.wasm"
    ls -t "$CACHE"/*.wasm | tail -n +9 | xargs -r rm -f   # keep the 8 newest (two modules)
  fi
  cp "$CACHE/$key.wasm" "$wasm"
  echo "after  wasm-opt: $(size "$wasm")"
}

if [ "$WHICH" = all ] || [ "$WHICH" = core ]; then
  CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CORE_RUSTFLAGS--C target-feature=+simd128}" \
    wasm-pack build --target web --release --mode no-install --out-dir www/pkg -- --no-default-features --features web-core
  optimise www/pkg/thinktwice_bg.wasm -Oz
fi

if [ "$WHICH" = all ] || [ "$WHICH" = faces ]; then
  CARGO_TARGET_DIR=target/wasm-faces \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128" \
    wasm-pack build --target web --release --mode no-install \
      --out-dir www/pkg-faces --out-name thinktwice_faces -- --no-default-features --features web-picture
  optimise www/pkg-faces/thinktwice_faces_bg.wasm
fi
