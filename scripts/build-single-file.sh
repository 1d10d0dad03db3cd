#!/usr/bin/env bash
# Builds dist/thinktwice.html: the whole app in ONE file (JS, CSS, catalogs, the
# core, face, code and copy wasm and the face model inlined), for schools: copy it to a
# USB stick or a shared drive and open it by double-click (file://), offline, no
# server; faces and codes are checked too. Needs www/pkg and www/pkg-faces,
# pkg-codes, pkg-copy (scripts/build-wasm.sh) and www/models (scripts/fetch-models.sh). The work is
# done by scripts/single-file.mjs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ -f www/pkg/thinktwice_bg.wasm ] || { echo "build-single-file: www/pkg missing; run scripts/build-wasm.sh" >&2; exit 1; }
for part in faces codes copy; do
  [ -f "www/pkg-$part/thinktwice_${part}_bg.wasm" ] || { echo "build-single-file: www/pkg-$part missing; run scripts/build-wasm.sh" >&2; exit 1; }
done
[ -f www/models/centerface.ttfw ] || { echo "build-single-file: www/models missing; run scripts/fetch-models.sh" >&2; exit 1; }
node scripts/single-file.mjs www dist/thinktwice.html
echo "build-single-file: $(stat -c %s dist/thinktwice.html) bytes raw, $(gzip -9 -c dist/thinktwice.html | wc -c) bytes gzipped"
