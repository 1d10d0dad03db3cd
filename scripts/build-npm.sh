#!/usr/bin/env bash
# Assembles the npm package into dist/npm (git-ignored) from the wasm builds
# (www/pkg, www/pkg-faces, www/pkg-codes and www/pkg-copy, run scripts/build-wasm.sh first), the face model
# (www/models, scripts/fetch-models.sh), the shared engine and picture client
# (www/engine), the picture worker (www/app/faces-worker.js), the web
# component, the catalogs and the wrapper in npm/. Then lists what
# `npm pack` would publish, without publishing anything.
# The layout keeps the relative paths the engine uses (./worker.js and
# ../pkg/thinktwice_bg.wasm from engine/engine.js, ./serve.js from the workers, ../app/faces-worker.js from
# engine/picture.js, ../pkg-faces/, ../pkg-codes/ and ../models/ from it, ./copy-worker.js
# and ../pkg-copy/ from engine/copy.js), so the same files serve
# the web app, the web component and the package.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ -f www/pkg/thinktwice_bg.wasm ] || { echo "build-npm: www/pkg missing; run scripts/build-wasm.sh" >&2; exit 1; }
for part in faces codes copy; do
  [ -f "www/pkg-$part/thinktwice_${part}_bg.wasm" ] || { echo "build-npm: www/pkg-$part missing; run scripts/build-wasm.sh" >&2; exit 1; }
done
[ -f www/models/centerface.ttfw ] || { echo "build-npm: www/models missing; run scripts/fetch-models.sh" >&2; exit 1; }
OUT=dist/npm
rm -rf "$OUT"
mkdir -p "$OUT/component" "$OUT/engine" "$OUT/pkg" "$OUT/i18n" "$OUT/app" "$OUT/pkg-faces" "$OUT/pkg-codes" "$OUT/pkg-copy" "$OUT/models"
VERSION=$(awk -F'"' '/^version *=/ {print $2; exit}' Cargo.toml)
sed "s/@VERSION@/$VERSION/" npm/package.json > "$OUT/package.json"
cp npm/index.js npm/index.d.ts npm/README.md LICENSE "$OUT/"
cp www/component/think-twice.js "$OUT/component/"
cp www/engine/engine.js www/engine/client.js www/engine/worker.js www/engine/serve.js www/engine/picture.js www/engine/copy.js www/engine/copy-worker.js "$OUT/engine/"
cp www/app/faces-worker.js "$OUT/app/"
for part in faces codes copy; do
  cp "www/pkg-$part/thinktwice_$part.js" "www/pkg-$part/thinktwice_${part}_bg.wasm" "$OUT/pkg-$part/"
done
cp www/models/centerface.ttfw "$OUT/models/"
cp www/pkg/thinktwice.js www/pkg/thinktwice_bg.wasm www/pkg/thinktwice.d.ts "$OUT/pkg/"
cp www/i18n/*.json www/i18n/catalog.js www/i18n/files.js "$OUT/i18n/"
(cd "$OUT" && npm pack --dry-run 2>&1)
tarball=$(cd "$OUT" && npm pack --silent --pack-destination .. 2>/dev/null | tail -1)
echo "build-npm: dist/npm ready (version $VERSION); tarball dist/$tarball: $(stat -c %s "dist/$tarball") bytes (already gzipped)"
