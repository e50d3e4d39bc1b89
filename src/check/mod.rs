//! Extraction (+ corrections, + other years) → findings. One function per rule, each with a
//! stable id, a severity, the cells concerned, expected and found numbers, and a Chinese message
//! that shows the formula with the actual numbers. Rules live in one file per family:
//! arithmetic, values, narrative, structure, dates, years (across reports) and warnings.

mod arithmetic;
pub mod compare;
mod dates;
mod fold;
mod narrative;
mod scan;
mod structure;
mod suggest;
mod values;
mod warnings;
mod years;

/// The rule of a part 一 that describes another year than the title's: the one `dates.*` rule
/// about the text rather than the report's format (the review notice files it with the text).
pub use dates::NARRATIVE_YEAR;

use crate::extract::{Extraction, WarningKind};
use crate::model::{CELL_COUNT, CellKey, SourceText, Span, TableId, ValueKind};
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

impl Cause {
    /// `source`, `extraction`, `unknown`.
    pub fn name(self) -> &'static str {
        match self {
            Cause::Source => "source",
            Cause::Extraction => "extraction",
            Cause::Unknown => "unknown",
        }
    }

    /// 原文问题, 读取问题, 原因不明.
    pub fn label(self) -> &'static str {
        match self {
            Cause::Source => "原文问题",
            Cause::Extraction => "读取问题",
            Cause::Unknown => "原因不明",
        }
    }
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
    /// The findings this one is the cause of, folded under it (one finding per cause): the
    /// relations a blank run or a misread row leaves unchecked or broken, the relations a
    /// suspect cell breaks. They need no decision of their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covers: Vec<Covered>,
    /// The smallest change of printed numbers that makes the relations this finding is about
    /// hold again, where exactly one such change exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Suggestion>,
}

/// A finding folded under its cause: what it said, without a verdict of its own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Covered {
    /// Its rule id, e.g. `requests.row_sum.uncertain`.
    pub rule: String,
    /// How serious it would have been on its own.
    pub severity: Severity,
    /// Its cells.
    pub keys: Vec<CellKey>,
    /// Its message.
    pub message: String,
}

/// One cell's suggested new number.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The cell.
    pub key: CellKey,
    /// The number it should hold.
    pub value: f64,
}

/// A fix: the changes, and how many relations then hold that do not now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// One cell, or a pair (swapped cells).
    pub changes: Vec<Change>,
    /// Relations restored by the change.
    pub restores: usize,
}

impl Finding {
    /// A stable identity for verdicts: rule and cells.
    pub fn id(&self) -> String {
        let keys: Vec<&str> = self.keys.iter().map(|k| k.name()).collect();
        format!("{}:{}", self.rule, keys.join(","))
    }

    /// A finding with no numbers and no span yet.
    pub(crate) fn new(
        rule: &str,
        severity: Severity,
        keys: Vec<CellKey>,
        message: String,
        cause: Cause,
    ) -> Self {
        Finding {
            rule: rule.to_owned(),
            severity,
            keys,
            expected: None,
            found: None,
            span: None,
            message,
            cause,
            covers: Vec::new(),
            suggestion: None,
        }
    }

    /// Sets the expected and the found number.
    pub(crate) fn numbers(mut self, expected: Option<f64>, found: Option<f64>) -> Self {
        self.expected = expected;
        self.found = found;
        self
    }

    /// Sets the source span.
    pub(crate) fn at(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }
}

/// True when a finding is about cells printed blank (a blank run, a blank row) and so offers
/// to set them to 0, as the reviewer's decision.
pub fn offers_zero_fill(f: &Finding) -> bool {
    f.rule == values::BLANK || f.rule == values::BLANK_RUN
}

/// True when a finding's cells are its cause and are filled with its colour in the window: not
/// for a relation (balance, sums), whose cells merely take part in it, nor for a row label that
/// differs from the template, which is about the label; their cells are outlined only while the
/// finding is selected.
pub fn fills_cells(f: &Finding) -> bool {
    !arithmetic::is_relation(&f.rule) && f.rule != warnings::LABEL_MISMATCH
}

/// Runs every rule on a report whose cells already include the reviewer's corrections.
/// `other_years` are reports of the same body for other years, for the cross-year rules.
/// The result is sorted by the (table, row, column) of each finding's first cell, then by rule;
/// findings about the whole report (no cells) come first. The same input always gives the same
/// list.
pub fn run_checks(
    report: &Extraction,
    source: &SourceText,
    other_years: &[&Extraction],
) -> Vec<Finding> {
    let others: Vec<OtherYear<'_>> = other_years
        .iter()
        .map(|&extraction| OtherYear {
            extraction,
            source: None,
        })
        .collect();
    run_checks_across(report, source, &others)
}

/// Another year's report of the same body, for the cross-year rules: its corrected cells and,
/// when the caller has it, its text (for the copied-paragraph rule).
#[derive(Clone, Copy, Debug)]
pub struct OtherYear<'a> {
    /// The report with its corrections applied.
    pub extraction: &'a Extraction,
    /// Its text; without it the copied-paragraph rule is not run against this year.
    pub source: Option<&'a SourceText>,
}

/// [`run_checks`] with the other years' texts, so that a paragraph copied from last year's
/// report with figures that have since changed is found too.
pub fn run_checks_across(
    report: &Extraction,
    source: &SourceText,
    other_years: &[OtherYear<'_>],
) -> Vec<Finding> {
    let ctx = Ctx::new(report, source);
    // A report has a few dozen findings at most; growing the vector by doubling copies them.
    let mut out = Vec::with_capacity(32);
    warnings::check(&ctx, &mut out);
    values::check(&ctx, &mut out);
    arithmetic::check(&ctx, &mut out);
    structure::check(&ctx, &mut out);
    dates::check(&ctx, &mut out);
    narrative::check(&ctx, &mut out);
    years::check(&ctx, other_years, &mut out);
    compare::check(&ctx, other_years, &mut out);
    sort_findings(&mut out);
    suggest::suggest(&ctx, &mut out);
    fold::fold(&ctx, &mut out);
    out
}

/// Sorts findings into their documented order and merges findings with the same id (same
/// rule, same cells) into the first, in text order, so that a verdict always refers to one
/// finding: the messages are joined and the most serious severity is kept.
fn sort_findings(out: &mut Vec<Finding>) {
    out.sort_by(|a, b| {
        let ka = a.keys.first().map_or(0, |k| k.index() + 1);
        let kb = b.keys.first().map_or(0, |k| k.index() + 1);
        ka.cmp(&kb)
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.keys.cmp(&b.keys))
            .then_with(|| a.span.cmp(&b.span))
            .then_with(|| a.message.cmp(&b.message))
    });
    let mut merged: Vec<Finding> = Vec::with_capacity(out.len());
    for f in out.drain(..) {
        match merged.last_mut() {
            Some(prev) if prev.rule == f.rule && prev.keys == f.keys => {
                if !prev.message.contains(&f.message) {
                    prev.message.push('；');
                    prev.message.push_str(&f.message);
                }
                prev.severity = prev.severity.min(f.severity);
            }
            _ => merged.push(f),
        }
    }
    *out = merged;
}

/// Why a cell's reading is doubtful, from the extraction warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Trouble {
    /// Nothing noticed.
    None,
    /// The row was read with a warning (too few or too many values, digits split or unresolved,
    /// row not found): its values may sit in the wrong cells.
    Row,
    /// The whole table was not found.
    TableMissing,
}

/// What a rule may read: the report, its text, and each cell's number, kind and trouble.
pub(crate) struct Ctx<'a> {
    /// The report with corrections applied.
    pub report: &'a Extraction,
    /// The decoded source text the spans index.
    pub text: &'a str,
    kinds: [ValueKind; CELL_COUNT],
    trouble: [Trouble; CELL_COUNT],
}

impl<'a> Ctx<'a> {
    fn new(report: &'a Extraction, source: &'a SourceText) -> Self {
        let mut kinds = [ValueKind::Blank; CELL_COUNT];
        for (kind, cell) in kinds.iter_mut().zip(&report.cells) {
            *kind = cell.kind();
        }
        let mut trouble = [Trouble::None; CELL_COUNT];
        for w in &report.warnings {
            let level = match w.kind {
                WarningKind::TableNotFound { .. } => Trouble::TableMissing,
                WarningKind::RowNotFound { .. }
                | WarningKind::TooFewValues { .. }
                | WarningKind::TooManyValues { .. }
                | WarningKind::DigitsSplit { .. }
                | WarningKind::DigitsUnresolved { .. }
                | WarningKind::OrderAmbiguous { .. }
                | WarningKind::CombinedRow { .. } => Trouble::Row,
                WarningKind::LabelMismatch { .. }
                | WarningKind::ReadByColumns { .. }
                | WarningKind::NumberWrapped { .. }
                | WarningKind::UnplacedValues { .. }
                | WarningKind::StaleTemplate { .. }
                | WarningKind::UnreadText { .. } => Trouble::None,
            };
            for key in &w.keys {
                let t = &mut trouble[key.index()];
                if *t == Trouble::None || level == Trouble::TableMissing {
                    *t = level;
                }
            }
        }
        // A table the extractor did not list as found has no readable cells at all.
        for table in TableId::ALL {
            if !report.tables.iter().any(|t| t.table == table) {
                for key in table.keys() {
                    trouble[key.index()] = Trouble::TableMissing;
                }
            }
        }
        Ctx {
            report,
            text: &source.text,
            kinds,
            trouble,
        }
    }

    /// The number in a cell, when it holds one (placeholders, words and blanks give `None`).
    pub fn value(&self, key: CellKey) -> Option<f64> {
        self.report.cells.get(key.index()).and_then(|c| c.value)
    }

    /// What a cell holds.
    pub fn kind(&self, key: CellKey) -> ValueKind {
        self.kinds[key.index()]
    }

    /// Why a cell's reading is doubtful.
    pub fn trouble(&self, key: CellKey) -> Trouble {
        self.trouble[key.index()]
    }

    /// The raw text of a cell.
    pub fn raw(&self, key: CellKey) -> Option<&'a str> {
        self.report
            .cells
            .get(key.index())
            .and_then(|c| c.raw.as_deref())
    }

    /// The smallest span covering the cells that have one.
    pub fn span_of(&self, keys: &[CellKey]) -> Option<Span> {
        keys.iter()
            .filter_map(|k| self.report.cells.get(k.index()).and_then(|c| c.span))
            .reduce(Span::cover)
    }

    /// The text under a span, or `""`.
    pub fn slice(&self, span: Span) -> &'a str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The byte range of a part's text: from its heading to the next heading (or the end).
    pub fn part_region(&self, part: u8) -> Option<(usize, usize)> {
        let parts = &self.report.parts;
        let i = parts.iter().position(|p| p.part == part)?;
        let start = parts[i].span.end.min(self.text.len());
        let end = parts
            .get(i + 1)
            .map_or(self.text.len(), |next| next.span.start)
            .clamp(start, self.text.len());
        Some((start, end))
    }

    /// True when the table was found.
    pub fn has_table(&self, table: TableId) -> bool {
        self.report.tables.iter().any(|t| t.table == table)
    }

    /// The number of a cell as it reads in a message: the number, or 空白 / the placeholder /
    /// the text in quotes.
    pub fn shown(&self, key: CellKey) -> String {
        match self.value(key) {
            Some(v) => format_number(v),
            None => match self.kind(key) {
                ValueKind::Blank => "空白".to_owned(),
                _ => format!("“{}”", self.raw(key).unwrap_or("")),
            },
        }
    }
}

pub(crate) use crate::model::format_number;

/// Equality for counts and amounts read from text: exact up to rounding noise.
pub(crate) fn same(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[cfg(test)]
pub(crate) mod testing {
    //! Hand-made extractions for the rule tests.

    use crate::extract::{Extraction, ExtractionWarning, TableLocation};
    use crate::model::{CELL_COUNT, Cell, CellKey, Span, TableId};

    /// A report with all three tables found and every cell `0`, each with its own span.
    pub fn zeros() -> Extraction {
        let cells = (0..CELL_COUNT)
            .map(|i| Cell::read("0", Span::new(10_000 + i * 10, 10_000 + i * 10 + 1)))
            .collect();
        Extraction {
            agency: Some("某县行政审批服务局".to_owned()),
            year: Some(2024),
            title_span: None,
            agency_source: None,
            year_source: None,
            parts: Vec::new(),
            tables: TableId::ALL
                .iter()
                .map(|&table| TableLocation {
                    table,
                    span: Span::new(10_000, 12_000),
                })
                .collect(),
            cells,
            warnings: Vec::new(),
        }
    }

    /// Sets a cell's raw text (its number read from it).
    pub fn set(e: &mut Extraction, key: CellKey, raw: &str) {
        let span = e.cells[key.index()].span.unwrap_or(Span::new(
            10_000 + key.index() * 10,
            10_001 + key.index() * 10,
        ));
        e.cells[key.index()] = Cell::read(raw, span);
    }

    /// Sets a cell blank.
    pub fn blank(e: &mut Extraction, key: CellKey) {
        e.cells[key.index()] = Cell::blank();
    }

    /// Sets a table 三 row (seven values, total last).
    pub fn row(e: &mut Extraction, r: crate::model::Req, values: [u32; 7]) {
        for (c, v) in values.iter().enumerate() {
            set(e, CellKey::requests(r.index(), c), &v.to_string());
        }
    }

    /// A small balanced table 三: 7 new, 5 granted, 2 not held.
    pub fn balanced() -> Extraction {
        let mut e = zeros();
        row(&mut e, crate::model::Req::New, [7, 0, 0, 0, 0, 0, 7]);
        row(&mut e, crate::model::Req::Granted, [5, 0, 0, 0, 0, 0, 5]);
        row(
            &mut e,
            crate::model::Req::UnableNotHeld,
            [2, 0, 0, 0, 0, 0, 2],
        );
        row(&mut e, crate::model::Req::Total, [7, 0, 0, 0, 0, 0, 7]);
        e
    }

    /// Looks a key up by name.
    pub fn key(name: &str) -> CellKey {
        CellKey::from_name(name).unwrap_or_else(|| panic!("no key {name}"))
    }

    /// Adds an extraction warning.
    pub fn warn(e: &mut Extraction, w: ExtractionWarning) {
        e.warnings.push(w);
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    // An all-zero report with no text gives no error and no warning about its cells.
    #[test]
    fn balanced_zero_report_has_no_cell_findings() {
        let e = zeros();
        let src = SourceText::from_utf8("");
        let findings = run_checks(&e, &src, &[]);
        let cell_findings: Vec<_> = findings.iter().filter(|f| !f.keys.is_empty()).collect();
        assert!(cell_findings.is_empty(), "{cell_findings:#?}");
    }

    // Findings come sorted by their first cell, then by rule, and the order is stable.
    #[test]
    fn findings_are_sorted_and_deterministic() {
        let mut e = zeros();
        row(&mut e, crate::model::Req::Granted, [3, 0, 0, 0, 0, 0, 3]);
        set(&mut e, key("appeals.review.total"), "2");
        blank(&mut e, key("active.licensing.decisions"));
        let src = SourceText::from_utf8("");
        let a = run_checks(&e, &src, &[]);
        let b = run_checks(&e, &src, &[]);
        assert_eq!(a, b);
        let firsts: Vec<usize> = a
            .iter()
            .map(|f| f.keys.first().map_or(0, |k| k.index() + 1))
            .collect();
        let mut sorted = firsts.clone();
        sorted.sort();
        assert_eq!(firsts, sorted);
        assert_eq!(a.last().map(|f| f.rule.as_str()), Some("appeals.group_sum"));
    }

    // Two findings with the same id are merged into one, keeping the more serious severity.
    #[test]
    fn same_id_findings_merge() {
        let k = key("requests.granted.total");
        let mut out = vec![
            Finding::new(
                "narrative.category",
                Severity::Info,
                vec![k],
                "乙".into(),
                Cause::Source,
            )
            .at(Some(Span::new(9, 10))),
            Finding::new(
                "narrative.category",
                Severity::Error,
                vec![k],
                "甲".into(),
                Cause::Source,
            )
            .at(Some(Span::new(1, 2))),
        ];
        sort_findings(&mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].message, "甲；乙");
        assert_eq!(out[0].severity, Severity::Error);
        assert_eq!(out[0].span, Some(Span::new(1, 2)));
    }

    // Nonsense from outside (spans past the end or inside a character, too few cells, parts in
    // any order) gives findings or none, never a panic.
    #[test]
    fn hostile_extraction_does_not_panic() {
        use crate::extract::{ExtractionWarning, PartHeading, WarningKind};
        let text = "一、总体情况\n收到申请7件。二、主动";
        let src = SourceText::from_utf8(text);
        let mut e = zeros();
        e.parts = vec![
            PartHeading {
                part: 6,
                printed_number: Some(99),
                text: "六".into(),
                span: Span::new(1, 2),
            },
            PartHeading {
                part: 1,
                printed_number: None,
                text: "一".into(),
                span: Span::new(5, 10_000),
            },
            PartHeading {
                part: 0,
                printed_number: Some(0),
                text: String::new(),
                span: Span::new(9, 3),
            },
        ];
        e.tables[0].span = Span::new(2, 1_000_000);
        e.title_span = Some(Span::new(7, 8));
        e.warnings.push(ExtractionWarning {
            kind: WarningKind::TooManyValues {
                table: crate::model::TableId::Requests,
                label: String::new(),
                expected: 0,
                found: usize::MAX,
                extra: Vec::new(),
            },
            keys: vec![key("requests.total.total")],
            span: Some(Span::new(usize::MAX - 1, usize::MAX)),
            message: String::new(),
        });
        set(&mut e, key("active.fees.amount"), "1e308");
        set(&mut e, key("requests.new.total"), "99999999999999999999999");
        let _ = run_checks(&e, &src, &[&e]);
        e.cells.truncate(17);
        e.year = Some(i32::MIN);
        let _ = run_checks(&e, &src, &[&e]);
        e.cells.clear();
        e.year = Some(i32::MAX);
        let _ = run_checks(&e, &src, &[&e]);
    }

    // Only causes fill their cells: a blank does, a relation and a label finding do not (their
    // cells are outlined while selected).
    #[test]
    fn only_causes_fill_cells() {
        let mut e = zeros();
        row(&mut e, crate::model::Req::Granted, [3, 0, 0, 0, 0, 0, 3]);
        blank(&mut e, key("active.licensing.decisions"));
        let f = run_checks(&e, &SourceText::from_utf8(""), &[]);
        let fills = |rule: &str| {
            f.iter()
                .find(|f| f.rule == rule)
                .map(fills_cells)
                .unwrap_or_else(|| panic!("no {rule}: {f:#?}"))
        };
        assert!(fills("value.blank"));
        assert!(!fills("requests.results_sum"));
        let label = Finding::new(
            warnings::LABEL_MISMATCH,
            Severity::Info,
            vec![key("requests.new.total")],
            String::new(),
            Cause::Source,
        );
        assert!(!fills_cells(&label));
    }

    // Numbers print without `.0` and with at most two decimals.
    #[test]
    fn numbers_print_plainly() {
        assert_eq!(format_number(7.0), "7");
        assert_eq!(format_number(12872.06), "12872.06");
        assert_eq!(format_number(0.5), "0.5");
    }
}
