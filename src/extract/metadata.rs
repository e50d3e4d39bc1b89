//! The issuing body and the report year, read from the title.

use super::layout::Lines;
use super::locate::PartHeading;
use crate::model::Span;

/// `(agency, year, title span)`.
pub fn title(
    _text: &str,
    _lines: &Lines,
    _parts: &[PartHeading],
) -> (Option<String>, Option<i32>, Option<Span>) {
    (None, None, None)
}
