//! Review sessions → the reviewer's deliverables: the cleaned workbook (xlsx, with the audit
//! trail in it), the JSON objects of the command line and the review notice to the issuing
//! body (text and .docx). Everything works on bytes; only [`atomic`] touches the disk.

pub mod atomic;
pub mod json;
pub mod layout;
pub mod notice;
mod notice_docx;
pub mod report;
pub mod sheet_name;
pub mod xlsx;

pub use atomic::{WriteError, WriteFailure, write_atomic};
pub use notice::{Notice, NoticeError, NoticeOptions, write_notice};
pub use report::{ExportCell, ExportFinding, ExportReport, sha256_hex, suggested_file_name};
pub use xlsx::{ExportError, ExportInfo, UnreadableFile, save_workbook, workbook_bytes};
