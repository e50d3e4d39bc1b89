//! Review sessions → xlsx workbook and JSON.

pub mod json;
