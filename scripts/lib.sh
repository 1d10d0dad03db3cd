# Shared helpers for scripts/*.sh: cd to the repo root, tool PATH, timed steps
# and the "N passed, N failed" summary. Sourced, never run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DEBIAN_FRONTEND=noninteractive CARGO_TERM_COLOR=never
# cargo install puts tools here; they must win over anything else on PATH.
export PATH="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin:$PATH"

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
