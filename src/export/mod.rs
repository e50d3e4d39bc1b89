//! Review sessions → the reviewer's deliverables: the cleaned workbook (xlsx, with the audit
//! trail in it), the JSON objects of the command line and the review notice to the issuing
//! body (text and .docx). Everything works on bytes; files reach the disk through
//! [`crate::ingest::fs::write_atomic`].

pub mod json;
pub mod layout;
pub mod notice;
pub mod report;
pub mod sheet_name;
pub mod xlsx;

pub use notice::{Notice, NoticeError, NoticeOptions, write_notice};
pub use report::{ExportCell, ExportFinding, ExportReport, suggested_file_name};
pub use xlsx::{ExportError, ExportInfo, UnreadableFile, save_workbook, workbook_bytes};
