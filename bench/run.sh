#!/usr/bin/env bash
# Benchmark (not a test): ms per file for ThinkTwice natively and in headless
# Chromium, next to exifr (full build) on the same ArrayBuffers in the same page,
# plus the gzipped .wasm size. Usage: bash bench/run.sh [DIR]
# DIR defaults to the shared corpus (../shared/corpus/metadata/files or
# $THINKTWICE_CORPUS/metadata/files). BENCH_JSON=out.json saves per-file rows.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
DIR=${1:-}
if [ -z "$DIR" ]; then
  for c in "${THINKTWICE_CORPUS:-}" "$ROOT/../shared/corpus"; do
    [ -n "$c" ] && [ -d "$c/metadata/files" ] && { DIR="$c/metadata/files"; break; }
  done
fi
[ -n "$DIR" ] && [ -d "$DIR" ] || { echo "no photo folder: pass one, or set THINKTWICE_CORPUS" >&2; exit 1; }

bash scripts/setup.sh >/dev/null
bash scripts/build-wasm.sh >/dev/null 2>&1 || bash scripts/build-wasm.sh
echo "files: $(find "$DIR" -maxdepth 1 -type f | wc -l) in $DIR ($(du -sh "$DIR" | cut -f1))"
cargo run --release --locked --quiet --example bench_native -- "$DIR"
node bench/browser.mjs "$DIR"
W=www/pkg/thinktwice_bg.wasm
echo "wasm: $(stat -c %s $W) bytes raw, $(gzip -9 -c $W | wc -c) bytes gzip -9"
