//! Every container walker, forced by the first byte so each gets fuzzed
//! whatever the input looks like, then every reader on the blocks found.
#![no_main]
use libfuzzer_sys::fuzz_target;
use thinktwice::container;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let walked = match which % 6 {
        0 => container::jpeg::walk(rest),
        1 => container::png::walk(rest),
        2 => container::webp::walk(rest),
        3 => container::gif::walk(rest),
        4 => container::tiff::walk(rest),
        _ => container::bmff::walk(rest),
    };
    if let Ok(c) = walked {
        for b in &c.blocks {
            assert!(b.span.start <= b.span.end && b.span.end <= rest.len(), "span out of the file");
        }
        let _ = thinktwice::meta::read(&c);
    }
});
