//! The whole path: bytes → walker → readers → findings → report. Must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = thinktwice::check(data, "fuzz", &thinktwice::CheckOptions::default());
    let _ = serde_json_len(&report);
});

fn serde_json_len(r: &thinktwice::Report) -> usize {
    r.findings.iter().map(|f| f.evidence.len()).sum()
}
