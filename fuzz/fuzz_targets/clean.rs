//! The safer copy: bytes → walker → rewrite (or decode, cover, encode) → re-check.
//! Must never panic. The first byte picks the choices, so covering (which
//! decodes and re-encodes the picture) is fuzzed as much as the lossless path.
#![no_main]
use libfuzzer_sys::fuzz_target;
use thinktwice::{clean, CleanOptions, CoverBox, CoverStyle};

fuzz_target!(|data: &[u8]| {
    let Some((&choice, file)) = data.split_first() else { return };
    let mut options = CleanOptions {
        keep_date: choice & 0x02 != 0,
        town_only: choice & 0x04 != 0,
        keep_author: choice & 0x08 != 0,
        ..Default::default()
    };
    if choice & 0x01 != 0 {
        options.cover.push(CoverBox { x: 1, y: 1, w: 24, h: 16 });
    }
    if choice & 0x10 != 0 {
        options.cover_style = CoverStyle::Solid;
    }
    if let Ok(copy) = clean(file, &options) {
        // A copy is only ever handed out after its own re-check found nothing unexpected.
        assert!(copy.verified_report.error.is_none());
    }
});
