//! English texts for every finding id (title, why, advice), written for a 12-year-old.
//! Other languages live in `www/i18n/*.json` under the same ids.

pub const CHECKED: &[&str] = &[];
pub const NOT_CHECKED: &[&str] = &[];
