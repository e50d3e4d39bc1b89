//! One open report as the window holds it: the review session, its findings re-run after every
//! change, and what the panels read every frame (effective cells, the worst open severity per
//! cell, line starts of the source), computed once per change rather than once per frame.

use crate::check::{Finding, OtherYear, Severity, run_checks_across};
use crate::model::{CELL_COUNT, Cell, CellKey, Span};
use crate::review::queue::{QueueEntry, QueueStatus};
use crate::review::{ReviewSession, VerdictState};
use std::path::PathBuf;

/// Where a finding stands with the reviewer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingState {
    /// Not judged yet (or judged on numbers that have since changed).
    Open,
    /// Confirmed as a real problem.
    Confirmed,
    /// Dismissed: not a problem.
    Dismissed,
}

/// Counts for the status bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Cells with printed text.
    pub read: usize,
    /// Cells with an open or confirmed finding.
    pub flagged: usize,
    /// Cells corrected by the reviewer.
    pub corrected: usize,
    /// All findings.
    pub findings: usize,
    /// Findings not judged yet, of every severity, as the findings list shows them (the
    /// queue's count, [`QueueEntry::open_findings`], leaves out info findings).
    pub open: usize,
}

/// An open report.
#[derive(Debug)]
pub struct Report {
    /// A number unique among the reports of this window, for caches.
    pub id: u64,
    /// The file it was read from; `None` for the bundled sample.
    pub path: Option<PathBuf>,
    /// The file name shown in the queue and the title.
    pub name: String,
    /// The review: extraction, edit log, verdicts.
    pub session: ReviewSession,
    /// Messages from opening (e.g. a review file that could not be restored).
    pub notices: Vec<String>,
    findings: Vec<Finding>,
    finding_ids: Vec<String>,
    states: Vec<FindingState>,
    cells: Vec<Cell>,
    flags: Vec<Option<Severity>>,
    counts: Counts,
    entry: QueueEntry,
    line_starts: Vec<usize>,
}

impl Report {
    /// Wraps a session and runs the checks on it (without other years).
    pub fn new(id: u64, name: String, path: Option<PathBuf>, session: ReviewSession) -> Self {
        let mut report = Self::new_unchecked(id, name, path, session);
        report.recheck(&[]);
        report
    }

    fn new_unchecked(id: u64, name: String, path: Option<PathBuf>, session: ReviewSession) -> Self {
        let line_starts = std::iter::once(0)
            .chain(session.source.text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let cells = session.effective_cells();
        let entry = QueueEntry::new(name.clone(), &session, &[]);
        Self {
            id,
            path,
            name,
            session,
            notices: Vec::new(),
            findings: Vec::new(),
            finding_ids: Vec::new(),
            states: Vec::new(),
            cells,
            flags: vec![None; CELL_COUNT],
            counts: Counts::default(),
            entry,
            line_starts,
        }
    }

    /// Wraps a session whose findings were already computed (by the batch loader, with the
    /// other years of its body), keeping the notices from opening it.
    pub fn with_findings(
        id: u64,
        name: String,
        path: Option<PathBuf>,
        session: ReviewSession,
        findings: Vec<Finding>,
        notices: Vec<String>,
    ) -> Self {
        let mut report = Self::new_unchecked(id, name, path, session);
        report.finding_ids = findings.iter().map(Finding::id).collect();
        report.findings = findings;
        report.notices = notices;
        report.refresh_verdicts();
        report
    }

    /// Re-runs the checks on the effective values (after every edit), with the other years of
    /// the same body for the cross-year rules.
    pub fn recheck(&mut self, other_years: &[OtherYear<'_>]) {
        let effective = self.session.effective_extraction();
        self.findings = run_checks_across(&effective, &self.session.source, other_years);
        self.finding_ids = self.findings.iter().map(Finding::id).collect();
        self.cells = effective.cells;
        self.refresh_verdicts();
    }

    /// Recomputes the finding states, cell flags, counts and queue entry after a verdict or the
    /// review status changed.
    pub fn refresh_verdicts(&mut self) {
        self.states = self
            .findings
            .iter()
            .zip(&self.finding_ids)
            .map(|(f, id)| match self.session.verdict(id, &f.keys) {
                None => FindingState::Open,
                Some(v) => match v.state {
                    VerdictState::Confirmed => FindingState::Confirmed,
                    VerdictState::Dismissed => FindingState::Dismissed,
                },
            })
            .collect();
        self.flags = vec![None; CELL_COUNT];
        for (f, state) in self.findings.iter().zip(&self.states) {
            // Only causes are filled: a relation's cells are outlined while it is selected.
            if *state == FindingState::Dismissed || !crate::check::fills_cells(f) {
                continue;
            }
            for key in &f.keys {
                let slot = &mut self.flags[key.index()];
                // Severity orders Error < Warning < Info: the smallest is the worst.
                *slot = Some(slot.map_or(f.severity, |s| s.min(f.severity)));
            }
        }
        self.counts = Counts {
            read: self.session.extraction.cells_read(),
            flagged: self.flags.iter().filter(|f| f.is_some()).count(),
            corrected: self.session.corrected_keys().len(),
            findings: self.findings.len(),
            open: self
                .states
                .iter()
                .filter(|s| **s == FindingState::Open)
                .count(),
        };
        self.entry = QueueEntry::new(self.name.clone(), &self.session, &self.findings);
    }

    /// The findings of the last check run.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The stable id of finding `i` (for verdicts).
    pub fn finding_id(&self, i: usize) -> Option<&str> {
        self.finding_ids.get(i).map(String::as_str)
    }

    /// The reviewer's state of finding `i`.
    pub fn finding_state(&self, i: usize) -> FindingState {
        self.states.get(i).copied().unwrap_or(FindingState::Open)
    }

    /// The index of the finding with this id, if it is still found.
    pub fn finding_index(&self, id: &str) -> Option<usize> {
        self.finding_ids.iter().position(|f| f == id)
    }

    /// The cell as the reviewer sees it now (corrections applied).
    pub fn cell(&self, key: CellKey) -> &Cell {
        &self.cells[key.index()]
    }

    /// The worst severity among the open and confirmed findings whose cause is the cell (not
    /// the relations it merely takes part in).
    pub fn flag(&self, key: CellKey) -> Option<Severity> {
        self.flags[key.index()]
    }

    /// The findings that concern a cell, with their indices.
    pub fn findings_of(&self, key: CellKey) -> impl Iterator<Item = (usize, &Finding)> {
        self.findings
            .iter()
            .enumerate()
            .filter(move |(_, f)| f.keys.contains(&key))
    }

    /// Where the cell was read from in the source (the original reading, even when corrected).
    pub fn source_span(&self, key: CellKey) -> Option<Span> {
        self.session.extraction.cell(key).span
    }

    /// Counts for the status bar, as of the last check run or verdict.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// What the queue shows of this report (the core's [`QueueEntry`]), as of the last check
    /// run, verdict or status change.
    pub fn queue_entry(&self) -> &QueueEntry {
        &self.entry
    }

    /// The queue status (the core's definition, [`QueueStatus::of`]).
    pub fn queue_status(&self) -> QueueStatus {
        self.entry.status
    }

    /// The issuing body, as read from the title.
    pub fn agency(&self) -> Option<&str> {
        self.session.extraction.agency.as_deref()
    }

    /// The report year.
    pub fn year(&self) -> Option<i32> {
        self.session.extraction.year
    }

    /// Byte offsets where the source's lines start.
    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::extract;
    use crate::model::SourceText;

    fn report(text: &str) -> Report {
        let source = SourceText::from_utf8(text);
        let extraction = extract(&source);
        Report::new(
            1,
            "t.txt".into(),
            None,
            ReviewSession::new(source, extraction),
        )
    }

    // Line numbers are 1-based and count the line that holds the offset.
    #[test]
    fn line_numbers() {
        let r = report("一\n二\n\n四");
        assert_eq!(r.line_of(0), 1);
        assert_eq!(r.line_of("一\n".len()), 2);
        assert_eq!(r.line_of("一\n二\n\n".len()), 4);
        assert_eq!(r.line_starts().len(), 4);
    }
}
