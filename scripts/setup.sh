#!/usr/bin/env bash
# Installs everything the build and tests need, idempotently: quick when all is
# present, so every other script calls it. Needs the package registries only.
#   apt: chromium, chromium-driver (browser tests), libimage-exiftool-perl (truth
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
  command -v exiftool >/dev/null || missing+=(libimage-exiftool-perl)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  # A Devanagari font so Hindi screenshots are readable (the page itself uses system fonts).
  [ -e /usr/share/fonts/truetype/lohit-devanagari ] || missing+=(fonts-lohit-deva)
  # Pillow with LittleCMS: the independent Lab → sRGB truth in tests/clean/corpus.rs.
  /usr/bin/python3 -c 'import PIL.ImageCms' 2>/dev/null || missing+=(python3-pil)
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

apt_packages
rust_target
cargo_tools
npm_packages
