#!/usr/bin/env bash
# Builds the browser extension (MV3) into dist/thinktwice-extension/ (an
# unpacked folder, for --load-extension and about:debugging) and zips it to
# dist/thinktwice-extension.zip. Contents: www/extension/* (manifest, content
# script, background, offscreen page, popup) + the full web app (index.html, app/,
# engine/, i18n/, pkg/, pkg-faces/, pkg-codes/, pkg-copy/, models/centerface.ttfw)
# so the popup can open the checker and the background can look for faces and
# codes and cover them without any network. Needs www/pkg, www/pkg-faces,
# www/pkg-codes and www/pkg-copy (scripts/build-wasm.sh) and
# www/models (scripts/fetch-models.sh).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ -f www/pkg/thinktwice_bg.wasm ] || { echo "package-extension: www/pkg missing; run scripts/build-wasm.sh" >&2; exit 1; }
OUT=dist/thinktwice-extension
rm -rf "$OUT" "$OUT.zip"
for part in faces codes copy; do
  [ -f "www/pkg-$part/thinktwice_${part}_bg.wasm" ] || { echo "package-extension: www/pkg-$part missing; run scripts/build-wasm.sh" >&2; exit 1; }
done
[ -f www/models/centerface.ttfw ] || { echo "package-extension: www/models missing; run scripts/fetch-models.sh" >&2; exit 1; }
mkdir -p "$OUT/pkg" "$OUT/pkg-faces" "$OUT/pkg-codes" "$OUT/pkg-copy" "$OUT/models"
cp www/extension/* "$OUT/"
cp -r www/app www/engine www/i18n "$OUT/"
cp www/index.html www/help.html "$OUT/"
cp -r www/help "$OUT/"
cp www/pkg/thinktwice.js www/pkg/thinktwice_bg.wasm "$OUT/pkg/"
for part in faces codes copy; do
  cp "www/pkg-$part/thinktwice_$part.js" "www/pkg-$part/thinktwice_${part}_bg.wasm" "$OUT/pkg-$part/"
done
cp www/models/centerface.ttfw "$OUT/models/"
cp LICENSE "$OUT/"
VERSION=$(awk -F'"' '/^version *=/ {print $2; exit}' Cargo.toml)
python3 - "$OUT/manifest.json" "$VERSION" <<'PY'
import json, sys
path, version = sys.argv[1], sys.argv[2]
m = json.load(open(path))
m["version"] = version
json.dump(m, open(path, "w"), indent=2)
PY
# Deterministic zip: fixed order and timestamps (python's zipfile, no zip tool needed).
python3 - "$OUT" "$OUT.zip" <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for dirpath, dirs, files in sorted(os.walk(src)):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(dirpath, name)
            info = zipfile.ZipInfo(os.path.relpath(full, src), date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, open(full, "rb").read())
PY
echo "package-extension: $OUT.zip $(stat -c %s "$OUT.zip") bytes ($(find "$OUT" -type f | wc -l) files)"
