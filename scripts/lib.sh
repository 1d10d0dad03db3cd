# Shared helpers for scripts/*.sh: cd to the repo root, tool PATH, timed steps
# and the "N passed, N failed" summary. Sourced, never run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DEBIAN_FRONTEND=noninteractive CARGO_TERM_COLOR=never
# cargo install puts tools here; they must win over anything else on PATH.
export PATH="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin:$PATH"
# The Python that set-up gives Pillow + LittleCMS (Debian's, python3-pil). A fresh machine may put a
# newer Python first on PATH (pyenv, python.org) with no Pillow or another Pillow: tests that need
# Pillow ask for this one (tests/common: python_with_lcms), never "the first python3".
export THINKTWICE_PYTHON="${THINKTWICE_PYTHON:-/usr/bin/python3}"

# pip_python: the first Python that has pip, for `pip download` of pinned wheels (set-up makes sure
# there is one). Only downloads: nothing is installed into it.
pip_python() {
  local py
  for py in python3 /usr/bin/python3; do
    if "$py" -m pip --version >/dev/null 2>&1; then echo "$py"; return 0; fi
  done
  echo "no Python with pip found (scripts/setup.sh installs python3-pip)" >&2
  return 1
}

STEPS_PASSED=0
STEPS_FAILED=0
STEP_LOG=()
T_START=$EPOCHREALTIME

elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}'; }

# step NAME CMD... : runs CMD in a subshell, times it, records pass/fail, never exits.
step() {
  local name=$1; shift
  echo; echo "=== [$name] $*"
  local t0=$EPOCHREALTIME rc=0
  ( "$@" ) || rc=$?
  local dt; dt=$(elapsed "$t0")
  if [ "$rc" -eq 0 ]; then
    STEPS_PASSED=$((STEPS_PASSED + 1)); STEP_LOG+=("$(printf 'ok   %-14s %7s s' "$name" "$dt")")
  else
    STEPS_FAILED=$((STEPS_FAILED + 1)); STEP_LOG+=("$(printf 'FAIL %-14s %7s s  (exit %s)' "$name" "$dt" "$rc")")
  fi
  echo "=== [$name] $([ "$rc" -eq 0 ] && echo ok || echo "FAILED (exit $rc)") in ${dt} s"
  return 0
}

# summary: prints the step table; the LAST line is "N passed, N failed". Exit code 1 on any failure.
summary() {
  echo; echo "=== summary (wall times) ==="
  printf '%s\n' "${STEP_LOG[@]}"
  printf '     %-14s %7s s\n' total "$(elapsed "$T_START")"
  echo "$STEPS_PASSED passed, $STEPS_FAILED failed"
  [ "$STEPS_FAILED" -eq 0 ]
}

# The wasm-bindgen CLI must equal the wasm-bindgen crate version in Cargo.lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' Cargo.lock
}
