#!/usr/bin/env bash
# Sets up, builds and serves the web app on http://127.0.0.1:PORT/ (default 8080).
# Nothing but this machine can reach it. Ctrl-C stops it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PORT=${PORT:-8080}
bash scripts/setup.sh
bash scripts/build-geo.sh
bash scripts/fetch-models.sh
bash scripts/build-wasm.sh
# The offline single file, linked from the page's teachers' panel (git-ignored copy).
bash scripts/build-single-file.sh && cp dist/thinktwice.html www/thinktwice.html
echo
echo "ThinkTwice: open http://127.0.0.1:$PORT/"
# Python 3.11's http.server serves .wasm as application/wasm and .js as text/javascript.
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory www
