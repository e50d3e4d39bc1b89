//! What an export is made of: one [`ExportReport`] per report, a snapshot of a review session
//! (cells as extracted and as corrected, the audit trail, findings with their verdicts) plus the
//! file name and the SHA-256 of the source bytes. Built on the UI thread, written anywhere.

use crate::check::{Finding, Severity, run_checks};
use crate::extract::Extraction;
use crate::model::{CELL_COUNT, Cell, CellKey, TableId};
use crate::review::{CorrectionValue, Edit, ReviewSession, ReviewStatus, Verdict, VerdictState};

/// One report as it goes into the workbook.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportReport {
    /// The file name as the reviewer knows it (a path or a bare name).
    pub file: String,
    /// SHA-256 of the source file's bytes, lower-case hex.
    pub sha256: String,
    /// The issuing body, e.g. `高青县行政审批服务局`.
    pub agency: Option<String>,
    /// The report year.
    pub year: Option<i32>,
    /// Where the report stands in the reviewer's queue.
    pub status: ReviewStatus,
    /// The tables the extractor found, in report order.
    pub tables_found: Vec<TableId>,
    /// All 200 cells in [`CellKey`] order.
    pub cells: Vec<ExportCell>,
    /// Every finding on the corrected cells, with the verdict that still applies to it.
    pub findings: Vec<ExportFinding>,
    /// Findings on the cells as printed that the reviewer confirmed and then corrected away:
    /// they no longer show on the corrected cells, but the issuing body must still hear of
    /// them (the review notice lists them with the correction made). Empty when nothing was
    /// corrected.
    pub resolved: Vec<ExportFinding>,
    /// The committed corrections in the order they were made (undone ones excluded).
    pub trail: Vec<Edit>,
}

/// One cell: the value to write and what the reviewer did to it.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportCell {
    /// The cell after correction (the extracted cell when not corrected).
    pub value: Cell,
    /// The cell as extracted from the source.
    pub original: Cell,
    /// The correction in effect, if any.
    pub correction: Option<CellCorrection>,
    /// A reviewer's note on the cell that is not tied to a correction.
    pub note: Option<String>,
}

/// The correction in effect on a cell.
#[derive(Clone, Debug, PartialEq)]
pub struct CellCorrection {
    /// The value the reviewer gave.
    pub value: CorrectionValue,
    /// When it was committed.
    pub at: jiff::Timestamp,
    /// The reviewer's note on that edit.
    pub note: Option<String>,
    /// How many committed edits touched the cell (1 for a single correction).
    pub edits: usize,
}

/// A finding and the reviewer's verdict on it.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportFinding {
    /// The finding as the checks produced it.
    pub finding: Finding,
    /// The verdict, when one was given while the cells held their current text.
    pub verdict: Option<Verdict>,
}

impl ExportFinding {
    /// True unless the reviewer judged it "not a problem": pending and confirmed findings are
    /// still marked in the tables.
    pub fn is_open(&self) -> bool {
        !matches!(
            self.verdict.as_ref().map(|v| v.state),
            Some(VerdictState::Dismissed)
        )
    }

    /// 待处理, 确有问题 or 不是问题.
    pub fn verdict_label(&self) -> &'static str {
        match self.verdict.as_ref().map(|v| v.state) {
            None => "待处理",
            Some(VerdictState::Confirmed) => "确有问题",
            Some(VerdictState::Dismissed) => "不是问题",
        }
    }
}

/// Counts shown in the summary sheet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReportCounts {
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
    /// Findings without a verdict.
    pub pending: usize,
    /// Cells whose value was corrected.
    pub corrected_cells: usize,
    /// Committed corrections (a cell corrected twice counts twice).
    pub corrections: usize,
}

impl ExportReport {
    /// Takes a snapshot of a session. `findings` are the checks run on the session's corrected
    /// cells (see [`ExportReport::with_checks`]); `sha256` is [`crate::ingest::sha256_hex`] of the source bytes.
    pub fn new(
        file: impl Into<String>,
        sha256: impl Into<String>,
        session: &ReviewSession,
        findings: Vec<Finding>,
    ) -> Self {
        let trail = session.audit_trail().to_vec();
        let mut edit_counts = [0usize; CELL_COUNT];
        for edit in &trail {
            edit_counts[edit.key.index()] += 1;
        }
        let cells = CellKey::all()
            .map(|key| ExportCell {
                value: session.effective_cell(key),
                original: session.extraction.cell(key).clone(),
                correction: session.current_edit(key).map(|edit| CellCorrection {
                    value: edit.value,
                    at: edit.at,
                    note: edit.note.clone(),
                    edits: edit_counts[key.index()],
                }),
                note: session
                    .notes
                    .get(&key)
                    .filter(|n| !n.trim().is_empty())
                    .cloned(),
            })
            .collect();
        let findings: Vec<ExportFinding> = findings
            .into_iter()
            .map(|finding| {
                let verdict = session.verdict(&finding.id(), &finding.keys).cloned();
                ExportFinding { finding, verdict }
            })
            .collect();
        let resolved = resolved_findings(session, &findings);
        Self {
            file: file.into(),
            sha256: sha256.into(),
            agency: session.extraction.agency.clone(),
            year: session.extraction.year,
            status: session.status,
            tables_found: session.tables_found(),
            cells,
            findings,
            resolved,
            trail,
        }
    }

    /// Runs the checks on the session's corrected cells (with `other_years` of the same body for
    /// the cross-year rules) and takes the snapshot.
    pub fn with_checks(
        file: impl Into<String>,
        sha256: impl Into<String>,
        session: &ReviewSession,
        other_years: &[&Extraction],
    ) -> Self {
        let findings = run_checks(
            &session.effective_extraction(),
            &session.source,
            other_years,
        );
        Self::new(file, sha256, session, findings)
    }

    /// The cell for `key`.
    pub fn cell(&self, key: CellKey) -> &ExportCell {
        &self.cells[key.index()]
    }

    /// The most serious open finding on a cell, if any.
    pub fn open_severity(&self, key: CellKey) -> Option<Severity> {
        self.findings
            .iter()
            .filter(|f| f.is_open() && f.finding.keys.contains(&key))
            .map(|f| f.finding.severity)
            .min()
    }

    /// The most serious open finding of every cell, in key order (one pass over the findings).
    pub fn open_severities(&self) -> Vec<Option<Severity>> {
        let mut out: Vec<Option<Severity>> = vec![None; CELL_COUNT];
        for f in self.findings.iter().filter(|f| f.is_open()) {
            for key in &f.finding.keys {
                let slot = &mut out[key.index()];
                *slot = Some(slot.map_or(f.finding.severity, |s| s.min(f.finding.severity)));
            }
        }
        out
    }

    /// Finding and correction counts.
    pub fn counts(&self) -> ReportCounts {
        let mut c = ReportCounts {
            corrected_cells: self.cells.iter().filter(|c| c.correction.is_some()).count(),
            corrections: self.trail.len(),
            ..ReportCounts::default()
        };
        for f in &self.findings {
            match f.finding.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
            if f.verdict.is_none() {
                c.pending += 1;
            }
        }
        c
    }

    /// The file's name without its folders, for titles and sheet names.
    pub fn file_name(&self) -> &str {
        self.file
            .rsplit(['/', '\\'])
            .next()
            .filter(|n| !n.is_empty())
            .unwrap_or(&self.file)
    }

    /// 未审校 or 已审校.
    pub fn status_label(&self) -> &'static str {
        match self.status {
            ReviewStatus::Unreviewed => "未审校",
            ReviewStatus::Reviewed => "已审校",
        }
    }
}

/// The confirmed findings of the cells as printed that no longer show on the corrected cells.
/// The checks run a second time, on the extraction, only when a confirmed verdict names a
/// finding missing from `current`, so an export of uncorrected reports costs nothing more.
/// Cross-year rules are left out of that run: their other years are not at hand here, and a
/// cross-year finding that a correction removed is listed from the corrected cells' run.
fn resolved_findings(session: &ReviewSession, current: &[ExportFinding]) -> Vec<ExportFinding> {
    if session.audit_trail().is_empty() {
        return Vec::new();
    }
    let current_ids: std::collections::HashSet<String> =
        current.iter().map(|f| f.finding.id()).collect();
    let missing = session
        .verdicts
        .iter()
        .any(|(id, v)| v.state == VerdictState::Confirmed && !current_ids.contains(id));
    if !missing {
        return Vec::new();
    }
    run_checks(&session.extraction, &session.source, &[])
        .into_iter()
        .filter_map(|finding| {
            let id = finding.id();
            if current_ids.contains(&id) {
                return None;
            }
            let verdict = session.verdicts.get(&id)?;
            // The verdict must have been given on the printed text of these cells, or the
            // finding's message (with its numbers) is not what the reviewer confirmed.
            let judged_printed =
                verdict.judged.len() == finding.keys.len()
                    && finding.keys.iter().zip(&verdict.judged).all(|(k, raw)| {
                        session.extraction.cell(*k).raw.as_deref() == raw.as_deref()
                    });
            (verdict.state == VerdictState::Confirmed && judged_printed).then(|| ExportFinding {
                finding,
                verdict: Some(verdict.clone()),
            })
        })
        .collect()
}

/// Characters Windows, macOS and Linux refuse (or handle badly) in file names.
fn is_bad_file_char(c: char) -> bool {
    c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*')
}

/// A file-name-safe version of `text`: forbidden characters dropped, white space squeezed, at
/// most `max` characters, no leading or trailing dots or spaces.
fn file_safe(text: &str, max: usize) -> String {
    let cleaned: String = text
        .chars()
        .filter(|c| !is_bad_file_char(*c))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let squeezed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = squeezed.chars().take(max).collect();
    cut.trim_matches(|c: char| c == '.' || c == ' ').to_owned()
}

/// The name offered in the save dialog: `高青县行政审批服务局_2024_审校.xlsx` for one report;
/// `高青县行政审批服务局_3份报告_审校.xlsx` for several of one body;
/// `年报审校_50份报告.xlsx` otherwise. Never empty, never containing a path separator.
pub fn suggested_file_name(reports: &[ExportReport]) -> String {
    let agency_of = |r: &ExportReport| {
        r.agency
            .as_deref()
            .map(|a| file_safe(a, 60))
            .filter(|a| !a.is_empty())
    };
    match reports {
        [] => "年报审校.xlsx".to_owned(),
        [one] => {
            let who = agency_of(one)
                .or_else(|| {
                    let name = one.file_name();
                    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
                    Some(file_safe(stem, 60)).filter(|s| !s.is_empty())
                })
                .unwrap_or_else(|| "年报".to_owned());
            match one.year {
                Some(y) => format!("{who}_{y}_审校.xlsx"),
                None => format!("{who}_审校.xlsx"),
            }
        }
        many => {
            let first = agency_of(&many[0]);
            let same = first.is_some() && many.iter().all(|r| agency_of(r) == first);
            match first.filter(|_| same) {
                Some(who) => format!("{who}_{}份报告_审校.xlsx", many.len()),
                None => format!("年报审校_{}份报告.xlsx", many.len()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceText;

    fn report(agency: Option<&str>, year: Option<i32>, file: &str) -> ExportReport {
        let source = SourceText::from_utf8("");
        let mut extraction = crate::extract::extract(&source);
        extraction.agency = agency.map(str::to_owned);
        extraction.year = year;
        let session = ReviewSession::new(source, extraction);
        ExportReport::new(file, crate::ingest::sha256_hex(b""), &session, Vec::new())
    }

    // Suggested names follow agency_year_审校.xlsx and never carry path separators.
    #[test]
    fn suggested_names() {
        let one = report(Some("高青县行政审批服务局"), Some(2024), "a.txt");
        assert_eq!(
            suggested_file_name(std::slice::from_ref(&one)),
            "高青县行政审批服务局_2024_审校.xlsx"
        );
        let odd = report(Some("某局/办公室: \"综合\"科"), None, "x.txt");
        assert_eq!(
            suggested_file_name(std::slice::from_ref(&odd)),
            "某局办公室 综合科_审校.xlsx"
        );
        let nameless = report(None, Some(2023), "dir/报告 2023.docx");
        assert_eq!(
            suggested_file_name(std::slice::from_ref(&nameless)),
            "报告 2023_2023_审校.xlsx"
        );
        let two = [one.clone(), one.clone()];
        assert_eq!(
            suggested_file_name(&two),
            "高青县行政审批服务局_2份报告_审校.xlsx"
        );
        let mixed = [one, nameless];
        assert_eq!(suggested_file_name(&mixed), "年报审校_2份报告.xlsx");
        assert_eq!(suggested_file_name(&[]), "年报审校.xlsx");
    }

    // The file name drops the folders of either path style.
    #[test]
    fn file_name_without_folders() {
        assert_eq!(report(None, None, "a/b/c.txt").file_name(), "c.txt");
        assert_eq!(report(None, None, r"C:\x\y.docx").file_name(), "y.docx");
        assert_eq!(report(None, None, "plain.txt").file_name(), "plain.txt");
    }
}
