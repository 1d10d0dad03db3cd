#!/usr/bin/env bash
# Benchmark (not a test): the worst native check time over the cost files
# (bench/cost_files.rs: Extended XMP claims, compressed XMP in PNG text, …).
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cargo run --release --locked --quiet --example bench_cost "$@"
