#!/usr/bin/env bash
# The whole check, as CI runs it (.ci/run). Every step runs even if an earlier
# one failed (so one run shows everything); exits non-zero if any step failed.
# The last line is "N passed, N failed" over the steps.
# To add a step, add one line:   step NAME COMMAND ARGS...
# Corpus tests run when ../shared/corpus exists or THINKTWICE_CORPUS points at it; else they skip.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

step setup       bash scripts/setup.sh
if [ "$STEPS_FAILED" -ne 0 ]; then summary; exit 1; fi   # nothing else can work without tools
step build-geo   bash scripts/build-geo.sh
step models      bash scripts/fetch-models.sh
step cargo-test  cargo test --locked
step build-wasm  bash scripts/build-wasm.sh
step wasm-test   wasm-pack test --headless --chrome --mode no-install -- --no-default-features --features web-core --test web
step e2e         node tests/e2e/run.mjs
step e2e-app     node tests/e2e/app.test.mjs
step e2e-doors   node tests/e2e/doors.test.mjs
step e2e-pagecopy node tests/e2e/pagecopy.test.mjs
step e2e-faces   node tests/e2e/faces.test.mjs
step e2e-display node tests/e2e/display.test.mjs
step e2e-codes   node tests/e2e/codes.test.mjs
step e2e-phone   node tests/e2e/phone.test.mjs
step e2e-verdict node tests/e2e/verdict.test.mjs
step e2e-bundler node tests/e2e/bundler.test.mjs
step e2e-firefox node tests/e2e/firefox.test.mjs
step fuzz-smoke  bash scripts/fuzz.sh smoke 8
summary
