//! `ReviewSession`: extracted values + an edit log with a cursor + verdicts.

use crate::extract::Extraction;
use crate::model::{Cell, CellKey, SourceText, TableId, format_number};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The value a reviewer gives a cell.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum CorrectionValue {
    /// A number.
    Number(f64),
    /// Marked blank on purpose (nothing should be printed).
    Blank,
    /// Marked not applicable on purpose (shown as `/`).
    NotApplicable,
}

impl CorrectionValue {
    /// The cell this correction stands for; the span stays that of the original reading so the
    /// source can still be highlighted.
    pub fn to_cell(self, original: &Cell) -> Cell {
        match self {
            CorrectionValue::Number(v) => Cell {
                raw: Some(format_number(v).into()),
                value: Some(v),
                span: original.span,
            },
            CorrectionValue::Blank => Cell {
                raw: None,
                value: None,
                span: None,
            },
            CorrectionValue::NotApplicable => Cell {
                raw: Some("/".into()),
                value: None,
                span: original.span,
            },
        }
    }

    /// How the value is written in tables and logs.
    pub fn display(self) -> String {
        match self {
            CorrectionValue::Number(v) => format_number(v),
            CorrectionValue::Blank => "（空白）".to_owned(),
            CorrectionValue::NotApplicable => "/".to_owned(),
        }
    }
}

/// Reads what a reviewer typed into a cell. Only numbers are accepted; counts must be whole and
/// not negative (the fee cell may have decimals). Blank and not-applicable are chosen on purpose
/// through [`CorrectionValue::Blank`] / [`CorrectionValue::NotApplicable`], not typed.
pub fn parse_correction(key: CellKey, text: &str) -> Result<CorrectionValue, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("没有输入数字；如确实应为空白，请选择“标为空白”".to_owned());
    }
    let normalized: String = t
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '－' => '-',
            _ => c,
        })
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    let v: f64 = normalized
        .parse()
        .map_err(|_| format!("“{t}”不是数字；如该格不适用，请选择“标为不适用”"))?;
    if !v.is_finite() {
        return Err(format!("“{t}”不是有效的数字"));
    }
    if v < 0.0 {
        return Err("数值不能为负数".to_owned());
    }
    let is_fee = key.name() == "active.fees.amount";
    if !is_fee && v.fract() != 0.0 {
        return Err("件数必须是整数".to_owned());
    }
    Ok(CorrectionValue::Number(v))
}

/// One committed correction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edit {
    /// The cell.
    pub key: CellKey,
    /// The effective cell before this edit.
    pub before: Cell,
    /// The new value.
    pub value: CorrectionValue,
    /// The reviewer's note, if any.
    pub note: Option<String>,
    /// When it was committed (saved as RFC 3339 in UTC, whole seconds).
    pub at: jiff::Timestamp,
    /// Edits committed together (a suggestion applied, a blank run set to 0) share a group
    /// number and are undone and redone as one step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<usize>,
}

/// A reviewer's judgement of a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictState {
    /// A real problem in the report.
    Confirmed,
    /// Not a problem.
    Dismissed,
}

/// A verdict, remembered with the numbers it judged so it lapses when they change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// Confirmed or dismissed.
    pub state: VerdictState,
    /// Optional note.
    pub note: Option<String>,
    /// The raw text of the finding's cells when the verdict was given.
    pub judged: Vec<Option<String>>,
    /// When (saved as RFC 3339 in UTC, whole seconds).
    pub at: jiff::Timestamp,
}

/// Where a report stands in the reviewer's queue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Not reviewed yet.
    #[default]
    Unreviewed,
    /// Marked reviewed by the reviewer.
    Reviewed,
}

/// The review of one report.
#[derive(Clone, Debug)]
pub struct ReviewSession {
    /// The decoded source text.
    pub source: SourceText,
    /// What was extracted; never changed by corrections.
    pub extraction: Extraction,
    edits: Vec<Edit>,
    cursor: usize,
    /// Verdicts by finding id.
    pub verdicts: BTreeMap<String, Verdict>,
    /// Per-cell notes that are not tied to an edit.
    pub notes: BTreeMap<CellKey, String>,
    /// Queue status.
    pub status: ReviewStatus,
    source_sha256: Option<String>,
}

/// The current time, to the second (as the edit log and verdicts keep it).
pub fn now() -> jiff::Timestamp {
    let now = jiff::Timestamp::now();
    now.round(jiff::Unit::Second).unwrap_or(now)
}

impl ReviewSession {
    /// A fresh review of an extraction.
    pub fn new(source: SourceText, extraction: Extraction) -> Self {
        Self {
            source,
            extraction,
            edits: Vec::new(),
            cursor: 0,
            verdicts: BTreeMap::new(),
            notes: BTreeMap::new(),
            status: ReviewStatus::Unreviewed,
            source_sha256: None,
        }
    }

    /// The SHA-256 (lower-case hex) of the source file's bytes as they were when the report was
    /// opened; saved with the review so a changed source is noticed on reopening.
    pub fn source_sha256(&self) -> Option<&str> {
        self.source_sha256.as_deref()
    }

    /// Records the SHA-256 of the source file's bytes (see [`Self::source_sha256`]).
    pub fn set_source_sha256(&mut self, hex: String) {
        self.source_sha256 = Some(hex);
    }

    /// Restores a review from a saved log.
    pub fn restore(
        source: SourceText,
        extraction: Extraction,
        edits: Vec<Edit>,
        cursor: usize,
    ) -> Self {
        let cursor = cursor.min(edits.len());
        Self {
            edits,
            cursor,
            ..Self::new(source, extraction)
        }
    }

    /// The cell as the reviewer currently sees it: the last applied correction, or the
    /// extracted cell.
    pub fn effective_cell(&self, key: CellKey) -> Cell {
        match self.current_edit(key) {
            Some(edit) => edit.value.to_cell(self.extraction.cell(key)),
            None => self.extraction.cell(key).clone(),
        }
    }

    /// The effective number of a cell.
    pub fn effective_value(&self, key: CellKey) -> Option<f64> {
        self.effective_cell(key).value
    }

    /// All 200 effective cells, in key order.
    pub fn effective_cells(&self) -> Vec<Cell> {
        CellKey::all().map(|k| self.effective_cell(k)).collect()
    }

    /// An extraction with the corrections applied (spans and warnings as extracted).
    pub fn effective_extraction(&self) -> Extraction {
        let mut e = self.extraction.clone();
        e.cells = self.effective_cells();
        e
    }

    /// The last applied edit of a cell.
    pub fn current_edit(&self, key: CellKey) -> Option<&Edit> {
        self.edits[..self.cursor]
            .iter()
            .rev()
            .find(|e| e.key == key)
    }

    /// True when the cell's effective value differs from what was extracted (an edit that put
    /// the extracted value back, see [`ReviewSession::original_value`], does not count).
    pub fn is_corrected(&self, key: CellKey) -> bool {
        let original = self.extraction.cell(key);
        self.current_edit(key)
            .is_some_and(|e| e.value.to_cell(original) != *original)
    }

    /// The correction that puts back what was extracted for `key` (恢复原值): its number, blank,
    /// or not applicable for a placeholder such as `/` or `无`. `None` when the extracted text
    /// was something else (a word), which no correction can reproduce.
    pub fn original_value(&self, key: CellKey) -> Option<CorrectionValue> {
        let original = self.extraction.cell(key);
        match (original.kind(), original.value) {
            (crate::model::ValueKind::Blank, _) => Some(CorrectionValue::Blank),
            (crate::model::ValueKind::Placeholder, _) => Some(CorrectionValue::NotApplicable),
            (_, Some(v)) => Some(CorrectionValue::Number(v)),
            _ => None,
        }
    }

    /// Commits a correction; drops the redo tail. Returns false (and records nothing) when the
    /// value equals the current one.
    pub fn commit(&mut self, key: CellKey, value: CorrectionValue, note: Option<String>) -> bool {
        let before = self.effective_cell(key);
        if value.to_cell(self.extraction.cell(key)) == before {
            return false;
        }
        self.edits.truncate(self.cursor);
        self.edits.push(Edit {
            key,
            before,
            value,
            note: note.filter(|n| !n.trim().is_empty()),
            at: now(),
            group: None,
        });
        self.cursor = self.edits.len();
        true
    }

    /// Commits several corrections as one step (one undo, one redo), each with the same note.
    /// Cells whose value would not change are left out. Returns how many cells changed.
    pub fn commit_group(&mut self, changes: &[(CellKey, CorrectionValue)], note: &str) -> usize {
        let start = self.cursor;
        let group = self.edits[..start]
            .iter()
            .filter_map(|e| e.group)
            .max()
            .map_or(0, |g| g + 1);
        let mut changed = 0;
        for (key, value) in changes {
            if self.commit(*key, *value, Some(note.to_owned())) {
                if let Some(edit) = self.edits.last_mut() {
                    edit.group = Some(group);
                }
                changed += 1;
            }
        }
        changed
    }

    /// Undoes one step (a committed cell, or a group committed together); returns the first
    /// key it touched.
    pub fn undo(&mut self) -> Option<CellKey> {
        if self.cursor == 0 {
            return None;
        }
        self.cursor -= 1;
        if let Some(group) = self.edits[self.cursor].group {
            while self.cursor > 0 && self.edits[self.cursor - 1].group == Some(group) {
                self.cursor -= 1;
            }
        }
        Some(self.edits[self.cursor].key)
    }

    /// Redoes one undone step (a cell, or a group); returns the first key it touched.
    pub fn redo(&mut self) -> Option<CellKey> {
        if self.cursor >= self.edits.len() {
            return None;
        }
        let first = self.cursor;
        self.cursor += 1;
        if let Some(group) = self.edits[first].group {
            while self.cursor < self.edits.len() && self.edits[self.cursor].group == Some(group) {
                self.cursor += 1;
            }
        }
        Some(self.edits[first].key)
    }

    /// True when there is something to undo.
    pub fn can_undo(&self) -> bool {
        self.cursor > 0
    }

    /// True when there is something to redo.
    pub fn can_redo(&self) -> bool {
        self.cursor < self.edits.len()
    }

    /// The whole log, including undone edits after the cursor.
    pub fn edits(&self) -> &[Edit] {
        &self.edits
    }

    /// The position of the cursor in the log.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The audit trail: every committed correction still in effect order (undone ones excluded).
    pub fn audit_trail(&self) -> &[Edit] {
        &self.edits[..self.cursor]
    }

    /// Keys whose effective value differs from the extraction, in key order.
    pub fn corrected_keys(&self) -> Vec<CellKey> {
        CellKey::all().filter(|k| self.is_corrected(*k)).collect()
    }

    /// Records a verdict on a finding whose cells are `keys`.
    pub fn set_verdict(
        &mut self,
        finding_id: &str,
        keys: &[CellKey],
        state: VerdictState,
        note: Option<String>,
    ) {
        let judged = keys
            .iter()
            .map(|k| self.effective_cell(*k).raw.map(String::from))
            .collect();
        self.verdicts.insert(
            finding_id.to_owned(),
            Verdict {
                state,
                note: note.filter(|n| !n.trim().is_empty()),
                judged,
                at: now(),
            },
        );
    }

    /// Removes a verdict.
    pub fn clear_verdict(&mut self, finding_id: &str) {
        self.verdicts.remove(finding_id);
    }

    /// The verdict that still applies to a finding: one given while its cells held the same
    /// text as now.
    pub fn verdict(&self, finding_id: &str, keys: &[CellKey]) -> Option<&Verdict> {
        let v = self.verdicts.get(finding_id)?;
        let same = v.judged.len() == keys.len()
            && keys
                .iter()
                .zip(&v.judged)
                .all(|(k, raw)| self.effective_cell(*k).raw.as_deref() == raw.as_deref());
        same.then_some(v)
    }

    /// The tables found by the extractor.
    pub fn tables_found(&self) -> Vec<TableId> {
        self.extraction.tables_found()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::extract;

    fn session() -> ReviewSession {
        let src = SourceText::from_utf8("");
        let ex = extract(&src);
        ReviewSession::new(src, ex)
    }

    // Undo and redo move a cursor over the log; a new edit drops the redo tail.
    #[test]
    fn undo_redo_cursor() {
        let mut s = session();
        let a = CellKey::requests(0, 0);
        let b = CellKey::requests(0, 6);
        assert!(s.commit(a, CorrectionValue::Number(3.0), None));
        assert!(s.commit(b, CorrectionValue::Number(3.0), Some("按原件".into())));
        assert_eq!(s.effective_value(b), Some(3.0));
        assert_eq!(s.undo(), Some(b));
        assert_eq!(s.effective_value(b), None);
        assert_eq!(s.effective_value(a), Some(3.0));
        assert_eq!(s.redo(), Some(b));
        assert_eq!(s.effective_value(b), Some(3.0));
        s.undo();
        s.commit(a, CorrectionValue::Number(4.0), None);
        assert!(!s.can_redo(), "a new edit drops the redo tail");
        assert_eq!(s.effective_value(a), Some(4.0));
        assert_eq!(s.audit_trail().len(), 2);
        assert_eq!(
            s.extraction.cell(a).value,
            None,
            "extraction is never mutated"
        );
    }

    // Corrections committed together are one undo step and one redo step, each with its note;
    // two groups in a row stay apart, and a single edit between them is its own step.
    #[test]
    fn group_is_one_step() {
        let mut s = session();
        let a = CellKey::requests(0, 0);
        let b = CellKey::requests(0, 6);
        let c = CellKey::requests(1, 0);
        let zero = CorrectionValue::Number(0.0);
        assert_eq!(s.commit_group(&[(a, zero), (b, zero)], "按 0 处理"), 2);
        assert!(s.commit(c, CorrectionValue::Number(1.0), None));
        assert_eq!(s.commit_group(&[(c, zero), (a, zero)], "按建议修改"), 1);
        assert_eq!(
            s.commit_group(&[(b, CorrectionValue::Number(2.0))], "按建议修改"),
            1
        );
        assert_eq!(s.audit_trail().len(), 5);
        assert_eq!(s.undo(), Some(b));
        assert_eq!(s.effective_value(b), Some(0.0));
        assert_eq!(s.undo(), Some(c));
        assert_eq!(s.effective_value(c), Some(1.0));
        assert_eq!(s.undo(), Some(c));
        assert_eq!(s.effective_value(c), None);
        assert_eq!(s.undo(), Some(a), "both cells of the first group at once");
        assert_eq!((s.effective_value(a), s.effective_value(b)), (None, None));
        assert!(!s.can_undo());
        assert_eq!(s.redo(), Some(a));
        assert_eq!(
            (s.effective_value(a), s.effective_value(b)),
            (Some(0.0), Some(0.0))
        );
        assert_eq!(s.audit_trail()[1].note.as_deref(), Some("按 0 处理"));
    }

    // Typed values are checked: words, negatives and fractional counts are refused.
    #[test]
    fn parse_refuses_non_numbers() {
        let k = CellKey::requests(2, 0);
        assert_eq!(
            parse_correction(k, " ７ "),
            Ok(CorrectionValue::Number(7.0))
        );
        assert!(parse_correction(k, "abc").is_err());
        assert!(parse_correction(k, "-1").is_err());
        assert!(parse_correction(k, "1.5").is_err());
        assert!(parse_correction(k, "").is_err());
        let fee = CellKey::from_name("active.fees.amount").expect("key exists");
        assert_eq!(
            parse_correction(fee, "12.5"),
            Ok(CorrectionValue::Number(12.5))
        );
    }

    // A verdict lapses when the cells it judged change.
    #[test]
    fn verdict_lapses_on_change() {
        let mut s = session();
        let k = CellKey::requests(0, 0);
        s.set_verdict("r1", &[k], VerdictState::Dismissed, Some("原件如此".into()));
        assert!(s.verdict("r1", &[k]).is_some());
        s.commit(k, CorrectionValue::Number(1.0), None);
        assert!(s.verdict("r1", &[k]).is_none());
        s.undo();
        assert!(s.verdict("r1", &[k]).is_some());
    }

    // A review saved with the times as text (as every store written so far has them) loads into
    // time values and is written back with the same text: the edit and verdict times to the
    // second, the save time to the nanosecond.
    #[test]
    fn stored_times_load_and_round_trip() {
        let body = r#"{"file_name":"report.txt","report_path":"/x/report.txt","source_sha256":"ab","saved_at":"2025-01-10T06:03:07.123456789Z","status":"reviewed","edits":[{"key":"requests.new.total","before":{"raw":"5","value":5.0,"span":null},"value":{"kind":"number","value":7.0},"note":"核对原件","at":"2025-01-10T06:01:02Z"}],"cursor":1,"extracted":{"requests.new.total":"5"},"verdicts":{"arith.requests.total":{"state":"dismissed","note":null,"judged":["5"],"at":"2025-01-10T06:02:03Z"}},"notes":{}}"#;
        let saved: super::super::store::SavedReview = serde_json::from_str(body).expect("loads");
        let edit_at: jiff::Timestamp = "2025-01-10T06:01:02Z".parse().expect("time");
        assert_eq!(saved.edits[0].at, edit_at);
        assert_eq!(
            saved.verdicts["arith.requests.total"].at,
            "2025-01-10T14:02:03+08:00".parse().expect("time")
        );
        assert_eq!(saved.saved_at.subsec_nanosecond(), 123_456_789);
        assert_eq!(serde_json::to_string(&saved).expect("writes"), body);
        // A time that is not a time is refused, as any field of the wrong type is.
        let bad = body.replace("2025-01-10T06:01:02Z", "昨天");
        assert!(serde_json::from_str::<super::super::store::SavedReview>(&bad).is_err());
    }

    // A new edit's time is whole seconds, as the edit log has always kept it.
    #[test]
    fn now_is_whole_seconds() {
        assert_eq!(now().subsec_nanosecond(), 0);
    }

    // Review files written by nianbao before the times were typed (kept in the fuzz corpus)
    // load, with their edits' times as written.
    #[test]
    fn review_files_written_earlier_load() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/review/");
        for name in ["a.review.json", "b.review.json"] {
            let bytes = std::fs::read(format!("{dir}{name}")).expect("corpus file");
            let saved = super::super::store::decode_review(&bytes)
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert!(!saved.edits.is_empty(), "{name}");
            let text = String::from_utf8_lossy(&bytes);
            for edit in &saved.edits {
                assert!(
                    text.contains(&format!("\"at\": \"{}\"", edit.at)),
                    "{name}: {}",
                    edit.at
                );
            }
            assert!(
                text.contains(&format!("\"saved_at\": \"{}\"", saved.saved_at)),
                "{name}"
            );
        }
    }
}
