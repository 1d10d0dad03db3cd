#!/usr/bin/env bash
# Fuzz the parsers with cargo-fuzz (libFuzzer).
# Targets: check (the whole check), walk (each walker + readers), clean (the safer copy),
# plant (differential: a marker planted anywhere in a photo must not survive in its copy).
#   bash scripts/fuzz.sh smoke        each target for a few seconds (part of the test command)
#   bash scripts/fuzz.sh long [SECS]  each target for SECS seconds (default 1800): the longer run
# Seeds come from the project's regression files and, when present, ../shared/corpus.
# A crash is copied to tests/regressions/, where tests/check/regressions.rs replays it forever after.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
mode=${1:-smoke}
secs=${2:-}
case "$mode" in
  smoke) secs=${secs:-8} ;;
  long) secs=${secs:-1800} ;;
  *) echo "usage: $0 smoke|long [SECS]" >&2; exit 2 ;;
esac

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --version 0.13.2
fi
# cargo-fuzz passes nightly-only flags (sanitizers, coverage); the one stable toolchain
# here accepts them with RUSTC_BOOTSTRAP. --sanitizer none keeps it fast and portable.
export RUSTC_BOOTSTRAP=1
cargo fuzz build --sanitizer none -O >/dev/null 2>&1 || cargo fuzz build --sanitizer none -O

seed_dir=fuzz/seeds
rm -rf "$seed_dir"
mkdir -p "$seed_dir/check" "$seed_dir/walk" "$seed_dir/clean" "$seed_dir/plant"
corpus=../shared/corpus/metadata/files
for f in tests/regressions/* ${corpus}/*; do
  [ -f "$f" ] || continue
  [ "$(stat -c %s "$f")" -le 2000000 ] || continue   # big photos slow libFuzzer down; headers matter
  b=$(basename "$f")
  cp "$f" "$seed_dir/check/$b"
  # clean's first byte picks the choices: the default copy, and one with a box covered
  # (small files only: covering decodes and re-encodes the whole picture).
  if [ "$(stat -c %s "$f")" -le 300000 ]; then
    { printf '\x00'; cat "$f"; } > "$seed_dir/clean/plain-$b"
    { printf '\x01'; cat "$f"; } > "$seed_dir/clean/cover-$b"
    # plant's first two bytes pick where the marker goes and how (insert / overwrite).
    { printf '\x80\x00'; cat "$f"; } > "$seed_dir/plant/$b"
  fi
  # walk's first byte picks the walker: give each seed to the walker of its own format.
  case "${b,,}" in
    *.jpg|*.jpeg|*.mpo) sel='\x00' ;; *.png) sel='\x01' ;; *.webp) sel='\x02' ;; *.gif) sel='\x03' ;;
    *.tif|*.tiff|*.dng) sel='\x04' ;; *.heic|*.heif|*.hif|*.avif) sel='\x05' ;; *) continue ;;
  esac
  { printf "$sel"; cat "$f"; } > "$seed_dir/walk/$b"
done
[ -d "$corpus" ] || echo "note: ../shared/corpus not found; seeding from tests/regressions only"

failed=0
# None of them may ever fail; a plant failure that cannot be fixed at once goes to fuzz/known-leaks.
targets="check walk clean plant"
for target in $targets; do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  echo "fuzz: $target for ${secs}s"
  if ! cargo fuzz run --sanitizer none -O "$target" "fuzz/corpus/$target" "$seed_dir/$target" -- \
      -max_total_time="$secs" -rss_limit_mb=2048 -timeout=5 -max_len=4000000 -print_final_stats=1 \
      2>"fuzz/artifacts/$target.log"; then
    failed=1
    tail -30 "fuzz/artifacts/$target.log"
    for crash in fuzz/artifacts/"$target"/*; do
      [ -f "$crash" ] && cp "$crash" "tests/regressions/$target-$(basename "$crash")" && echo "saved tests/regressions/$target-$(basename "$crash")"
    done
  fi
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "fuzz/artifacts/$target.log" | sed "s/^/  $target /" || true
done
exit $failed
