//! The per-file work budget: files made to cost minutes (bench/cost_files.rs)
//! are answered, and what the budget skipped is reported as unread, so
//! "nothing found" never hides it. Times are measured by the benchmark
//! (`bash bench/cost.sh`), not here.

#[path = "../../bench/cost_files.rs"]
mod cost_files;

use thinktwice::{check, CheckOptions, Report};

fn report(bytes: &[u8]) -> Report {
    check(bytes, "cost", &CheckOptions::default())
}

fn skipped(r: &Report) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.id== thinktwice::FindingId::UnreadableData)
        .flat_map(|f| f.evidence.iter().map(|e| e.value.clone()))
        .filter(|v| v.contains("skipped because reading them all would take too long"))
        .collect()
}

#[test]
fn extended_xmp_that_claims_huge_packets_costs_only_what_it_carries() {
    let r = report(&cost_files::extended_xmp_claims());
    assert!(r.error.is_none());
    // Each chunk carries one byte of a 16 MB packet it claims: joining costs only the bytes
    // that are there (1,600 in all), so the budget is not even needed.
    assert!(skipped(&r).is_empty(), "{:?}", r.findings);
}

#[test]
fn compressed_xmp_in_png_text_runs_out_of_budget_and_says_so() {
    let r = report(&cost_files::png_compressed_xmp());
    assert!(r.error.is_none());
    let rows = skipped(&r);
    assert_eq!(rows.len(), 1, "{:?}", r.findings);
    assert!(rows[0].contains("in all, in"), "several chunks were skipped: {}", rows[0]);
}

#[test]
fn many_colour_profiles_in_one_png_run_out_of_budget_and_say_so() {
    let r = report(&cost_files::png_many_profiles());
    assert!(!skipped(&r).is_empty(), "{:?}", r.findings);
}

#[test]
fn a_small_ordinary_file_never_hits_the_budget() {
    let packet = cost_files::xmp_keywords(200_000);
    let mut p = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    p.extend_from_slice(&packet);
    let r = report(&cost_files::jpeg_with(&[cost_files::segment(0xE1, &p)]));
    assert!(skipped(&r).is_empty(), "{:?}", r.findings);
    // The keywords were read (10,000 of them, shown as one list).
    assert!(r.findings.iter().any(|f| f.id== thinktwice::FindingId::TextData || f.id== thinktwice::FindingId::Comment), "{:?}", r.findings);
}

#[test]
fn millions_of_tiny_blocks_and_shared_huge_values_are_skipped_and_said() {
    // Each of these would cost seconds to minutes if read in full (bash bench/cost.sh times them):
    // the walkers stop after a bounded number of blocks, texts and EXIF values are charged before
    // they are read, and what was left is reported as unread.
    for (name, make) in [
        ("png-tiny-chunks", cost_files::png_tiny_chunks as fn() -> Vec<u8>),
        ("png-tiny-text", cost_files::png_tiny_text),
        ("png-huge-text", cost_files::png_huge_text),
        ("jpeg-tiny-segments", cost_files::jpeg_tiny_segments),
        ("webp-tiny-chunks", cost_files::webp_tiny_chunks),
        ("gif-many-sub-blocks", cost_files::gif_many_sub_blocks),
        ("bmff-many-boxes", cost_files::bmff_many_boxes),
        ("tiff-shared-huge-values", cost_files::tiff_shared_huge_values),
    ] {
        let r = report(&make());
        assert!(r.error.is_none(), "{name}: {:?}", r.error);
        assert!(!skipped(&r).is_empty(), "{name}: nothing said about the skipped parts: {:?}", r.findings);
    }
}
