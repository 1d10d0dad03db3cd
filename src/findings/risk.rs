//! The verdict's rule, in one place for every front end: how worrying a set of
//! findings is as a whole (`Risk`), and the order in which they are named
//! (worst first). Owns only this ranking; it must not word anything (that is
//! the catalogs') and front ends must not re-derive it.
//!
//! Levels, worst first:
//! - `high`: the file or a code in the picture gives away where someone is or
//!   lives, who they are, how to reach them, a password, a hidden video...
//!   (any finding of severity high);
//! - `people`: nothing like that, but people in the picture can be recognised
//!   (a `faces` finding): a group photo of friends is not a pinned home;
//! - `medium`, `low`: details worth a look, or only small ones;
//! - `none`: nothing found.

use crate::report::{Finding, FindingId, Risk, Severity};

/// The id of the finding that says people can be seen (see `faces_finding`).
const FACES: FindingId = FindingId::Faces;

/// Where a finding stands when findings are named: high first, then faces,
/// then medium, low and info. Faces sit between high and medium because
/// "people can be recognised" is a level of its own.
pub fn rank(finding: &Finding) -> u8 {
    rank_of(finding.id == FACES, finding.severity)
}

/// [`rank`] from the two things it reads: whether the finding is the `faces` one, and its
/// severity (for a front end that holds findings only as data, see `wasm::core::with_faces`).
pub fn rank_of(is_faces: bool, severity: Severity) -> u8 {
    match severity {
        Severity::High => 0,
        _ if is_faces => 1,
        Severity::Medium => 2,
        Severity::Low => 3,
        Severity::Info => 4,
    }
}

/// Sorts findings worst first; findings of the same rank keep their order.
pub fn sort_worst_first(findings: &mut [Finding]) {
    crate::sort::by_key(findings, |f| u64::from(rank(f)));
}

/// The level of a whole report, from its findings.
pub fn risk_of(findings: &[Finding]) -> Risk {
    risk_of_ranks(findings.iter().map(rank))
}

/// [`risk_of`] from the findings' [`rank`]s.
pub fn risk_of_ranks(ranks: impl IntoIterator<Item = u8>) -> Risk {
    match ranks.into_iter().min() {
        Some(0) => Risk::High,
        Some(1) => Risk::People,
        Some(2) => Risk::Medium,
        Some(3) => Risk::Low,
        _ => Risk::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::finding;
    use crate::report::Category;

    fn f(id: &str, severity: Severity) -> Finding {
        let id = *FindingId::ALL.iter().find(|i| i.as_str() == id).expect("a known id");
        finding(id, severity, Category::Content)
    }

    #[test]
    fn a_pinned_home_is_worse_than_faces_and_faces_worse_than_a_serial() {
        assert_eq!(risk_of(&[f("faces", Severity::Medium), f("gps-location", Severity::High)]), Risk::High);
        assert_eq!(risk_of(&[f("faces", Severity::Medium), f("device-serial", Severity::Medium)]), Risk::People);
        assert_eq!(risk_of(&[f("faces", Severity::Low)]), Risk::People);
        assert_eq!(risk_of(&[f("device-serial", Severity::Medium)]), Risk::Medium);
        assert_eq!(risk_of(&[f("device-model", Severity::Low)]), Risk::Low);
        assert_eq!(risk_of(&[f("software", Severity::Info)]), Risk::None);
        assert_eq!(risk_of(&[]), Risk::None);
    }

    #[test]
    fn a_wifi_code_is_named_before_faces_and_faces_before_a_serial() {
        let mut list = vec![
            f("device-serial", Severity::Medium),
            f("faces", Severity::Medium),
            f("capture-time", Severity::Low),
            f("barcode", Severity::High),
        ];
        sort_worst_first(&mut list);
        let ids: Vec<&str> = list.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["barcode", "faces", "device-serial", "capture-time"]);
    }
}
