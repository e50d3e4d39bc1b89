//! The reviewer's work on one report: the extraction (never mutated), an edit log with a cursor
//! for undo and redo, verdicts on findings, and notes. Everything a reviewer commits is data
//! here, so it is saved at once ([`store`]), can be opened a folder at a time ([`batch`]) and
//! corrected from a workbook ([`import`]).

pub mod batch;
pub mod import;
mod session;
pub mod store;

pub use crate::model::format_number;
pub use session::{
    CorrectionValue, Edit, ReviewSession, ReviewStatus, Verdict, VerdictState, parse_correction,
};
pub use store::{OpenedReport, StoreDirs, StoreError, open_report, save};
