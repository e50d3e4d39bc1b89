//! Review sessions → the reviewer's deliverables: the cleaned workbook (xlsx, with the audit
//! trail in it) and the JSON objects of the command line. Everything works on bytes; only
//! [`atomic`] touches the disk.

pub mod atomic;
pub mod json;
pub mod layout;
pub mod report;
pub mod sheet_name;
pub mod xlsx;

pub use atomic::{WriteError, WriteFailure, write_atomic};
pub use report::{ExportCell, ExportFinding, ExportReport, suggested_file_name};
pub use xlsx::{ExportError, ExportInfo, UnreadableFile, save_workbook, workbook_bytes};
