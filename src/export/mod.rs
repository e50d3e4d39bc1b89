//! Review sessions → the reviewer's deliverables: the cleaned workbook (xlsx, with the audit
//! trail in it) and the JSON objects of the command line. Everything works on bytes; the
//! workbook reaches the disk through [`crate::ingest::fs::write_atomic`].

pub mod json;
pub mod layout;
pub mod report;
pub mod sheet_name;
pub mod xlsx;

pub use report::{ExportCell, ExportFinding, ExportReport, suggested_file_name};
pub use xlsx::{ExportError, ExportInfo, UnreadableFile, save_workbook, workbook_bytes};
