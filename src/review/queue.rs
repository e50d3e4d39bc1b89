//! The review queue: what each open report shows in it (agency, year, status 未审 / 有问题 /
//! 已审, open findings, corrections), the one definition of "has problems", and the queue's
//! sort, filter and stepping (Ctrl+PageDown / Ctrl+PageUp). The window keeps one
//! [`QueueEntry`] per report, refreshed after every change, and draws the order given here.

use super::session::{ReviewSession, ReviewStatus, VerdictState};
use crate::check::{Finding, Severity};
use serde::{Deserialize, Serialize};

/// Where a report stands in the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum QueueStatus {
    /// 未审: not marked reviewed, and no problem left (see [`has_problems`]).
    Unreviewed,
    /// 有问题: not marked reviewed, and an error or warning is still open, or a finding was
    /// confirmed.
    Problems,
    /// 已审: marked reviewed by the reviewer, whatever its findings.
    Reviewed,
}

impl QueueStatus {
    /// The status of a report from its review and its findings: 已审 when marked so, else
    /// 有问题 when [`has_problems`], else 未审.
    pub fn of(session: &ReviewSession, findings: &[Finding]) -> Self {
        if session.status == ReviewStatus::Reviewed {
            QueueStatus::Reviewed
        } else if has_problems(session, findings) {
            QueueStatus::Problems
        } else {
            QueueStatus::Unreviewed
        }
    }
}

/// True when a finding still needs the reviewer: an error or a warning with no verdict that
/// applies to the cells as they are now. An info finding is a remark (a percentage that
/// recomputes, a note on the text), never something the reviewer must act on.
fn is_open(session: &ReviewSession, finding: &Finding) -> bool {
    finding.severity != Severity::Info && session.verdict(&finding.id(), &finding.keys).is_none()
}

/// Number of findings that still need the reviewer: errors and warnings without a verdict
/// (info findings are remarks and never count).
pub fn open_findings(session: &ReviewSession, findings: &[Finding]) -> usize {
    findings.iter().filter(|f| is_open(session, f)).count()
}

/// The one definition of "has problems" (有问题): an error or warning is still open, or the
/// reviewer confirmed a finding (of any severity: confirming says it is a problem). Dismissed
/// findings and unjudged info findings are not problems.
pub fn has_problems(session: &ReviewSession, findings: &[Finding]) -> bool {
    findings.iter().any(|f| {
        is_open(session, f)
            || session
                .verdict(&f.id(), &f.keys)
                .is_some_and(|v| v.state == VerdictState::Confirmed)
    })
}

/// What the queue shows for one report, computed once per change rather than once per frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueEntry {
    /// The file name (or the sample's name).
    pub file_name: String,
    /// The issuing body as printed in the title, when read.
    pub agency: Option<String>,
    /// The report year, when read.
    pub year: Option<i32>,
    /// 未审 / 有问题 / 已审.
    pub status: QueueStatus,
    /// Errors and warnings with no verdict ([`open_findings`]).
    pub open_findings: usize,
    /// Cells the reviewer corrected.
    pub corrections: usize,
}

impl QueueEntry {
    /// The entry of a report named `file_name` with its review and its current findings.
    pub fn new(
        file_name: impl Into<String>,
        session: &ReviewSession,
        findings: &[Finding],
    ) -> Self {
        Self {
            file_name: file_name.into(),
            agency: session.extraction.agency.clone(),
            year: session.extraction.year,
            status: QueueStatus::of(session, findings),
            open_findings: open_findings(session, findings),
            corrections: session.corrected_keys().len(),
        }
    }
}

/// The queue's order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueueSort {
    /// In the order opened (file name within a folder).
    #[default]
    File,
    /// By agency, then year.
    Agency,
    /// By year, then agency.
    Year,
    /// Most open findings first.
    OpenFindings,
}

/// Which reports the queue shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueueFilter {
    /// Every report.
    #[default]
    All,
    /// Only one status.
    Status(QueueStatus),
}

impl QueueFilter {
    /// Whether the queue shows `entry` under this filter.
    pub fn keeps(self, entry: &QueueEntry) -> bool {
        match self {
            QueueFilter::All => true,
            QueueFilter::Status(s) => entry.status == s,
        }
    }
}

/// The indices of the entries the queue shows, in its order. Sorting is stable: entries that
/// compare equal stay in the order opened.
pub fn queue_order<'a>(
    entries: impl IntoIterator<Item = &'a QueueEntry>,
    sort: QueueSort,
    filter: QueueFilter,
) -> Vec<usize> {
    let mut shown: Vec<(usize, &QueueEntry)> = entries
        .into_iter()
        .enumerate()
        .filter(|(_, e)| filter.keeps(e))
        .collect();
    match sort {
        QueueSort::File => {}
        QueueSort::Agency => {
            shown.sort_by(|(_, a), (_, b)| (&a.agency, a.year).cmp(&(&b.agency, b.year)));
        }
        QueueSort::Year => {
            shown.sort_by(|(_, a), (_, b)| (a.year, &a.agency).cmp(&(b.year, &b.agency)));
        }
        QueueSort::OpenFindings => {
            shown.sort_by_key(|(_, e)| std::cmp::Reverse(e.open_findings));
        }
    }
    shown.into_iter().map(|(i, _)| i).collect()
}

/// The report after (`forward`) or before `current` in the queue's `order`, wrapping around;
/// the first (or last) when `current` is not shown; `None` when nothing is shown.
pub fn step(order: &[usize], current: Option<usize>, forward: bool) -> Option<usize> {
    let last = order.len().checked_sub(1)?;
    let next = match (
        current.and_then(|c| order.iter().position(|&i| i == c)),
        forward,
    ) {
        (None, true) => 0,
        (None, false) => last,
        (Some(p), true) if p == last => 0,
        (Some(p), true) => p + 1,
        (Some(0), false) => last,
        (Some(p), false) => p - 1,
    };
    order.get(next).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Cause;
    use crate::extract::extract;
    use crate::model::{CellKey, SourceText};

    fn session() -> ReviewSession {
        let source = SourceText::from_utf8("某某局2024年政府信息公开工作年度报告");
        let extraction = extract(&source);
        ReviewSession::new(source, extraction)
    }

    fn finding(severity: Severity, rule: &str) -> Finding {
        let keys = vec![CellKey::requests(1, 0)];
        Finding::new(rule, severity, keys, String::new(), Cause::Source)
    }

    // An info-only report has no problem: it stays 未审 with nothing open.
    #[test]
    fn info_findings_are_not_problems() {
        let s = session();
        let findings = vec![
            finding(Severity::Info, "a.info"),
            finding(Severity::Info, "b.info"),
        ];
        assert!(!has_problems(&s, &findings));
        assert_eq!(open_findings(&s, &findings), 0);
        assert_eq!(QueueStatus::of(&s, &findings), QueueStatus::Unreviewed);
        let entry = QueueEntry::new("a.txt", &s, &findings);
        assert_eq!(entry.status, QueueStatus::Unreviewed);
        assert_eq!(entry.open_findings, 0);
    }

    // An open warning makes 有问题; dismissing it clears it; confirming any finding (an info
    // one too) keeps it 有问题; marking reviewed wins over all.
    #[test]
    fn status_follows_verdicts_and_review() {
        let mut s = session();
        let warning = finding(Severity::Warning, "a.warning");
        let info = finding(Severity::Info, "b.info");
        let findings = vec![warning.clone(), info.clone()];
        assert_eq!(QueueStatus::of(&s, &findings), QueueStatus::Problems);
        assert_eq!(
            open_findings(&s, &findings),
            1,
            "the info finding is not open"
        );
        s.set_verdict(&warning.id(), &warning.keys, VerdictState::Dismissed, None);
        assert_eq!(QueueStatus::of(&s, &findings), QueueStatus::Unreviewed);
        s.set_verdict(&info.id(), &info.keys, VerdictState::Confirmed, None);
        assert_eq!(
            QueueStatus::of(&s, &findings),
            QueueStatus::Problems,
            "a confirmed finding is a problem"
        );
        s.status = ReviewStatus::Reviewed;
        assert_eq!(QueueStatus::of(&s, &findings), QueueStatus::Reviewed);
    }

    fn entry(file: &str, agency: &str, year: i32, status: QueueStatus, open: usize) -> QueueEntry {
        QueueEntry {
            file_name: file.to_owned(),
            agency: Some(agency.to_owned()),
            year: Some(year),
            status,
            open_findings: open,
            corrections: 0,
        }
    }

    // Each sort key orders as the queue shows it, stable on the order opened; the filter keeps
    // one status.
    #[test]
    fn sorts_and_filters() {
        let entries = [
            entry("b.txt", "乙局", 2023, QueueStatus::Reviewed, 0),
            entry("a.txt", "甲局", 2024, QueueStatus::Problems, 3),
            entry("c.txt", "甲局", 2023, QueueStatus::Unreviewed, 0),
            entry("d.txt", "甲局", 2023, QueueStatus::Problems, 3),
        ];
        let all = QueueFilter::All;
        assert_eq!(queue_order(&entries, QueueSort::File, all), [0, 1, 2, 3]);
        assert_eq!(
            queue_order(&entries, QueueSort::Agency, all),
            [0, 2, 3, 1],
            "乙 < 甲 in code point order, then year, then the order opened"
        );
        assert_eq!(queue_order(&entries, QueueSort::Year, all), [0, 2, 3, 1]);
        assert_eq!(
            queue_order(&entries, QueueSort::OpenFindings, all),
            [1, 3, 0, 2],
            "most open first, ties in the order opened"
        );
        let problems = QueueFilter::Status(QueueStatus::Problems);
        assert_eq!(queue_order(&entries, QueueSort::Year, problems), [3, 1]);
        let reviewed = QueueFilter::Status(QueueStatus::Reviewed);
        assert_eq!(queue_order(&entries, QueueSort::File, reviewed), [0]);
        let unknown = QueueEntry {
            agency: None,
            year: None,
            ..entry("e.txt", "", 0, QueueStatus::Unreviewed, 0)
        };
        let with_unknown = [entries[1].clone(), unknown];
        assert_eq!(
            queue_order(&with_unknown, QueueSort::Year, all),
            [1, 0],
            "an unread year sorts first"
        );
    }

    // Stepping wraps around in both directions, starts at an end when nothing (or a report
    // filtered out) is current, and gives nothing for an empty queue.
    #[test]
    fn step_wraps() {
        let order = [3, 1, 2];
        assert_eq!(step(&order, Some(3), true), Some(1));
        assert_eq!(step(&order, Some(2), true), Some(3));
        assert_eq!(step(&order, Some(3), false), Some(2));
        assert_eq!(step(&order, Some(1), false), Some(3));
        assert_eq!(step(&order, None, true), Some(3));
        assert_eq!(step(&order, None, false), Some(2));
        assert_eq!(step(&order, Some(7), true), Some(3), "not shown: the first");
        assert_eq!(step(&[5], Some(5), true), Some(5));
        assert_eq!(step(&[], None, true), None);
        assert_eq!(step(&[], Some(0), false), None);
    }

    // The sort and filter are stored in the window's settings: the names written before they
    // moved into the core (`"Year"`, `{"Status":"Problems"}`) still read.
    #[test]
    fn stored_sort_and_filter_keep_their_names() {
        let filter = QueueFilter::Status(QueueStatus::Problems);
        let json = serde_json::to_string(&(QueueSort::Year, filter)).expect("serialisable");
        assert_eq!(json, r#"["Year",{"Status":"Problems"}]"#);
        let back: (QueueSort, QueueFilter) =
            serde_json::from_str(r#"["OpenFindings",{"Status":"Reviewed"}]"#).expect("reads");
        assert_eq!(
            back,
            (
                QueueSort::OpenFindings,
                QueueFilter::Status(QueueStatus::Reviewed)
            )
        );
    }
}
