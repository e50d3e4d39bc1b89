//! The reviewer's work on one report: the extraction (never mutated), an edit log with a cursor
//! for undo and redo, verdicts on findings, and notes. Everything a reviewer commits is data
//! here, so it can be saved, restored and exported.

mod session;

pub use session::{
    CorrectionValue, Edit, ReviewSession, ReviewStatus, Verdict, VerdictState, parse_correction,
};
