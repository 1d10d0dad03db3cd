#!/usr/bin/env bash
# Builds the WebAssembly module into www/pkg (git-ignored), after which www/ is
# a complete static site. Assumes scripts/setup.sh has run.
#  * --mode no-install: never let wasm-pack download tools or fall back to an
#    unlocked cargo install; fail fast instead.
#  * wasm-opt: Cargo.toml disables wasm-pack's own run (Debian binaryen 108 breaks
#    the module); we run npm binaryen's current wasm-opt here. Its output is cached
#    by input hash in target/, so a warm rebuild skips the ~7 s optimisation.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The metadata core only: no face detector (it is a separate, lazily loaded module).
wasm-pack build --target web --release --mode no-install --out-dir www/pkg -- --no-default-features
WASM=www/pkg/thinktwice_bg.wasm
CACHE=target/wasm-opt-cache
mkdir -p "$CACHE"
key=$(sha256sum "$WASM" | cut -d' ' -f1)
size() { echo "$(stat -c %s "$1") bytes raw, $(gzip -9 -c "$1" | wc -c) bytes gzipped"; }
echo "before wasm-opt: $(size "$WASM")"
if [ -f "$CACHE/$key.wasm" ]; then
  echo "wasm-opt: cached result for this input"
else
  # Reads the module's target_features section, so no --enable-* flags are needed.
  node_modules/.bin/wasm-opt -O "$WASM" -o "$CACHE/$key.tmp" && mv "$CACHE/$key.tmp" "$CACHE/$key.wasm"
  ls -t "$CACHE"/*.wasm | tail -n +6 | xargs -r rm -f   # keep the 5 newest
fi
cp "$CACHE/$key.wasm" "$WASM"
echo "after  wasm-opt: $(size "$WASM")"
