//! The reviewer's work on one report: the extraction (never mutated), an edit log with a cursor
//! for undo and redo, verdicts on findings, and notes. Everything a reviewer commits is data
//! here, so it is journalled at once and saved in the background ([`autosave`], [`store`]), can
//! be opened a folder at a time ([`batch`]), listed in the review queue ([`queue`]) and
//! corrected from a workbook ([`import`]).

pub mod autosave;
pub mod batch;
pub mod import;
pub mod queue;
mod session;
pub mod store;

pub use crate::model::format_number;
pub use autosave::{Autosaver, SaveOutcome, SaveWorker};
pub use session::{
    CorrectionValue, Edit, ReviewSession, ReviewStatus, Verdict, VerdictState, parse_correction,
};
pub use store::{OpenedReport, StoreDirs, StoreError, open_report, save};
