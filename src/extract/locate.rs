//! Finds the six part headings and the region of each table.

use super::ExtractionWarning;
use super::layout::Lines;
use crate::model::{Span, TableId};
use serde::{Deserialize, Serialize};

/// A part heading (一、总体情况 … 六、其他需要报告的事项) as found in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartHeading {
    /// Which part it is by its words (1…6).
    pub part: u8,
    /// The number printed before it (`二、` → 2, `2、` → 2), if any.
    pub printed_number: Option<u32>,
    /// The heading line, trimmed.
    pub text: String,
    /// Where the heading line is.
    pub span: Span,
}

/// A table's region: byte range of the text to read it from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// The regions found, by table.
#[derive(Debug, Default)]
pub struct Regions {
    regions: [Option<Region>; 3],
}

impl Regions {
    /// The region of a table.
    pub fn get(&self, table: TableId) -> Option<&Region> {
        self.regions[table as usize].as_ref()
    }
}

/// Finds the part headings in text order.
pub fn find_parts(_text: &str, _lines: &Lines) -> Vec<PartHeading> {
    Vec::new()
}

/// Finds each table's region.
pub fn table_regions(_text: &str, _lines: &Lines, _parts: &[PartHeading]) -> Regions {
    Regions::default()
}

/// A warning when labels of the pre-2021 trial format appear in the tables.
pub fn stale_template(_text: &str, _regions: &Regions) -> Option<ExtractionWarning> {
    None
}
