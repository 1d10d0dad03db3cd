//! The work budget of one file: how much a single check may unpack, join and
//! parse in all, whatever the file's blocks ask for. Per-block limits (in
//! `limits`) stop one huge block; this stops ten thousand small ones that each
//! stay under them (Extended XMP chunks that each claim 16 MB, thousands of
//! compressed PNG text chunks). Walkers spend it first (PNG `iCCP`), then the
//! readers in `meta` spend what is left.
//!
//! Besides this budget, the walkers stop after 4 × `limits::MAX_BLOCKS` blocks
//! (the rest is skipped), and the EXIF reader is charged for every value it
//! would copy out before it reads any (IFDs can point thousands of fields at
//! one huge value).
//!
//! It owns only the counting. What was skipped is reported by whoever asked
//! (as an [`super::Unread`] part), so "nothing found" never hides it.

/// Bytes all text, unpacked or joined blocks of one file may add up to (PNG text,
/// plain or compressed; comments; colour profiles; ImageMagick hex profiles;
/// joined Extended XMP).
pub const FILE_INFLATED_BYTES: usize = 24 * 1024 * 1024;
/// XMP text one file may hand to the XML reader, in all.
pub const FILE_XML_BYTES: usize = 16 * 1024 * 1024;
/// XML events (elements, texts) one file may cost, in all.
pub const FILE_XML_EVENTS: usize = 1_000_000;

/// Where a part skipped for lack of budget is said to be.
pub const SKIPPED_PLACE: &str = "in parts ThinkTwice skipped because reading them all would take too long";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    inflated: usize,
    xml_bytes: usize,
    xml_events: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { inflated: FILE_INFLATED_BYTES, xml_bytes: FILE_XML_BYTES, xml_events: FILE_XML_EVENTS }
    }
}

impl Budget {
    /// Most bytes the next unpacking may produce (the per-block limit or what is left, if less).
    pub fn inflate_limit(&self) -> usize {
        self.inflated.min(super::limits::MAX_INFLATED_BYTES)
    }

    /// Counts `n` unpacked or joined bytes; false (and nothing spent) when they do not fit.
    pub fn take_inflated(&mut self, n: usize) -> bool {
        take(&mut self.inflated, n)
    }

    /// Counts `n` bytes of XML about to be parsed; false (and nothing spent) when they do not fit.
    pub fn take_xml(&mut self, n: usize) -> bool {
        take(&mut self.xml_bytes, n)
    }

    /// XML events still allowed.
    pub fn xml_events_left(&self) -> usize {
        self.xml_events
    }

    pub fn spend_xml_events(&mut self, n: usize) {
        self.xml_events = self.xml_events.saturating_sub(n);
    }
}

fn take(left: &mut usize, n: usize) -> bool {
    if n > *left {
        return false;
    }
    *left -= n;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spending_stops_at_the_budget_and_a_refusal_costs_nothing() {
        let mut b = Budget::default();
        assert!(b.take_inflated(FILE_INFLATED_BYTES - 10));
        assert!(!b.take_inflated(11));
        assert!(b.take_inflated(10));
        assert_eq!(b.inflate_limit(), 0);
        assert!(b.take_xml(FILE_XML_BYTES));
        assert!(!b.take_xml(1));
        b.spend_xml_events(FILE_XML_EVENTS + 5);
        assert_eq!(b.xml_events_left(), 0);
    }
}
