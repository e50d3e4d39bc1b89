//! Every extraction warning becomes a finding: a table or row not found, a row with fewer or
//! more values than columns, run-together digits, a label that differs from the template, the
//! pre-2021 template, and text in a table that could not be read.

use super::{Cause, Ctx, Finding, Severity};
use crate::extract::{ExtractionWarning, WarningKind};

/// Rule: a table was not found.
pub const TABLE_NOT_FOUND: &str = "extract.table_not_found";
/// Rule: a row's label was not found.
pub const ROW_NOT_FOUND: &str = "extract.row_not_found";
/// Rule: a row with fewer values than columns.
pub const TOO_FEW_VALUES: &str = "extract.too_few_values";
/// Rule: a row with more values than columns.
pub const TOO_MANY_VALUES: &str = "extract.too_many_values";
/// Rule: run-together digits that were split using the table's relations.
pub const DIGITS_SPLIT: &str = "extract.digits_split";
/// Rule: run-together digits that could not be split.
pub const DIGITS_UNRESOLVED: &str = "extract.digits_unresolved";
/// Rule: a label printed differently from the template.
pub const LABEL_MISMATCH: &str = "extract.label_mismatch";
/// Rule: labels of the pre-2021 trial format.
pub const STALE_TEMPLATE: &str = "extract.stale_template";
/// Rule: text inside a table that is neither a label nor a value.
pub const UNREAD_TEXT: &str = "extract.unread_text";
/// Rule: a number wrapped over two lines of a narrow cell, joined by the row's relation.
pub const NUMBER_WRAPPED: &str = "extract.number_wrapped";
/// Rule: rows printed column by column, put back into rows by their relations.
pub const READ_BY_COLUMNS: &str = "extract.read_by_columns";
/// Rule: rows that read as well by rows as by columns: left unread.
pub const ORDER_AMBIGUOUS: &str = "extract.order_ambiguous";
/// Rule: a group printed as one combined row instead of its sub-rows.
pub const COMBINED_ROW: &str = "extract.combined_row";
/// Rule: numbers in a table that no cell could take.
pub const UNPLACED_VALUES: &str = "extract.unplaced_values";

/// The rule, severity, cause and numbers of one warning; its message is the extractor's.
fn describe(w: &ExtractionWarning) -> (&'static str, Severity, Cause, Option<(f64, f64)>) {
    let counts = |expected: usize, found: usize| Some((expected as f64, found as f64));
    match &w.kind {
        WarningKind::TableNotFound { .. } => {
            (TABLE_NOT_FOUND, Severity::Warning, Cause::Extraction, None)
        }
        WarningKind::RowNotFound { .. } => {
            (ROW_NOT_FOUND, Severity::Warning, Cause::Extraction, None)
        }
        WarningKind::TooFewValues {
            expected, found, ..
        } => (
            TOO_FEW_VALUES,
            Severity::Warning,
            Cause::Source,
            counts(*expected, *found),
        ),
        WarningKind::TooManyValues {
            expected, found, ..
        } => (
            TOO_MANY_VALUES,
            Severity::Warning,
            Cause::Source,
            counts(*expected, *found),
        ),
        WarningKind::DigitsSplit { .. } => (DIGITS_SPLIT, Severity::Info, Cause::Extraction, None),
        WarningKind::DigitsUnresolved { .. } => (
            DIGITS_UNRESOLVED,
            Severity::Warning,
            Cause::Extraction,
            None,
        ),
        WarningKind::LabelMismatch { .. } => (LABEL_MISMATCH, Severity::Info, Cause::Source, None),
        WarningKind::StaleTemplate { .. } => {
            (STALE_TEMPLATE, Severity::Warning, Cause::Source, None)
        }
        WarningKind::NumberWrapped { .. } => {
            (NUMBER_WRAPPED, Severity::Info, Cause::Extraction, None)
        }
        WarningKind::ReadByColumns { .. } => {
            (READ_BY_COLUMNS, Severity::Info, Cause::Extraction, None)
        }
        WarningKind::OrderAmbiguous { .. } => {
            (ORDER_AMBIGUOUS, Severity::Warning, Cause::Extraction, None)
        }
        WarningKind::CombinedRow { .. } => (COMBINED_ROW, Severity::Warning, Cause::Source, None),
        WarningKind::UnplacedValues { .. } => {
            (UNPLACED_VALUES, Severity::Warning, Cause::Extraction, None)
        }
        WarningKind::UnreadText { .. } => (UNREAD_TEXT, Severity::Info, Cause::Extraction, None),
    }
}

/// Turns each extraction warning into a finding.
pub(crate) fn check(ctx: &Ctx, out: &mut Vec<Finding>) {
    for w in &ctx.report.warnings {
        let (rule, severity, cause, numbers) = describe(w);
        let message = w.kind.message();
        let span = w.span.or_else(|| ctx.span_of(&w.keys));
        let (expected, found) = numbers.map_or((None, None), |(e, f)| (Some(e), Some(f)));
        out.push(
            Finding::new(rule, severity, w.keys.clone(), message, cause)
                .numbers(expected, found)
                .at(span),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::*;
    use crate::check::{Ctx, Finding};
    use crate::extract::Extraction;
    use crate::model::{CellKey, SourceText, Span, TableId};

    fn run(e: &Extraction) -> Vec<Finding> {
        let src = SourceText::from_utf8("");
        let ctx = Ctx::new(e, &src);
        let mut out = Vec::new();
        check(&ctx, &mut out);
        out
    }

    fn warning(kind: WarningKind, keys: Vec<CellKey>) -> ExtractionWarning {
        ExtractionWarning {
            kind,
            keys,
            span: Some(Span::new(5, 9)),
            message: String::new(),
        }
    }

    // No warning, no finding; each kind of warning gives its own rule, severity and cause.
    #[test]
    fn each_warning_becomes_a_finding() {
        let mut e = zeros();
        assert!(run(&e).is_empty());
        let row: Vec<CellKey> = (0..7).map(|c| CellKey::requests(4, c)).collect();
        let cases = [
            (
                WarningKind::TableNotFound {
                    table: TableId::Appeals,
                },
                TABLE_NOT_FOUND,
                Severity::Warning,
                Cause::Extraction,
            ),
            (
                WarningKind::RowNotFound {
                    table: TableId::Requests,
                    label: "（二）部分公开".into(),
                },
                ROW_NOT_FOUND,
                Severity::Warning,
                Cause::Extraction,
            ),
            (
                WarningKind::TooFewValues {
                    table: TableId::Requests,
                    label: "1.属于国家秘密".into(),
                    expected: 7,
                    found: 6,
                },
                TOO_FEW_VALUES,
                Severity::Warning,
                Cause::Source,
            ),
            (
                WarningKind::TooManyValues {
                    table: TableId::Appeals,
                    label: "行政复议、行政诉讼".into(),
                    expected: 15,
                    found: 16,
                    extra: vec![("0".into(), Span::new(1, 2))],
                },
                TOO_MANY_VALUES,
                Severity::Warning,
                Cause::Source,
            ),
            (
                WarningKind::DigitsSplit {
                    table: TableId::Requests,
                    label: "（一）予以公开".into(),
                    raw: "5000005".into(),
                },
                DIGITS_SPLIT,
                Severity::Info,
                Cause::Extraction,
            ),
            (
                WarningKind::DigitsUnresolved {
                    table: TableId::Requests,
                    label: "（一）予以公开".into(),
                    raw: "1111111".into(),
                    candidates: 4,
                },
                DIGITS_UNRESOLVED,
                Severity::Warning,
                Cause::Extraction,
            ),
            (
                WarningKind::LabelMismatch {
                    table: TableId::Requests,
                    expected: "社会公益组织".into(),
                    found: "社会组织".into(),
                },
                LABEL_MISMATCH,
                Severity::Info,
                Cause::Source,
            ),
            (
                WarningKind::StaleTemplate {
                    phrase: "本年新制作数量".into(),
                },
                STALE_TEMPLATE,
                Severity::Warning,
                Cause::Source,
            ),
            (
                WarningKind::UnreadText {
                    table: TableId::Active,
                    text: "注：".into(),
                },
                UNREAD_TEXT,
                Severity::Info,
                Cause::Extraction,
            ),
            (
                WarningKind::ReadByColumns {
                    table: TableId::Requests,
                    rows: vec!["1.属于国家秘密".into(), "2.其他法律行政法规禁止公开".into()],
                },
                READ_BY_COLUMNS,
                Severity::Info,
                Cause::Extraction,
            ),
            (
                WarningKind::NumberWrapped {
                    table: TableId::Requests,
                    label: "（一）予以公开".into(),
                    raw: "26".into(),
                },
                NUMBER_WRAPPED,
                Severity::Info,
                Cause::Extraction,
            ),
            (
                WarningKind::OrderAmbiguous {
                    table: TableId::Requests,
                    rows: vec!["1.属于国家秘密".into(), "2.其他法律行政法规禁止公开".into()],
                },
                ORDER_AMBIGUOUS,
                Severity::Warning,
                Cause::Extraction,
            ),
            (
                WarningKind::CombinedRow {
                    table: TableId::Requests,
                    label: "（六）其他处理".into(),
                    values: vec!["0".into(); 7],
                },
                COMBINED_ROW,
                Severity::Warning,
                Cause::Source,
            ),
            (
                WarningKind::UnplacedValues {
                    table: TableId::Requests,
                    count: 1,
                    values: vec![("99".into(), Span::new(1, 3))],
                },
                UNPLACED_VALUES,
                Severity::Warning,
                Cause::Extraction,
            ),
        ];
        for (kind, rule, severity, cause) in cases {
            e.warnings = vec![warning(kind, row.clone())];
            let f = run(&e);
            assert_eq!(f.len(), 1, "{rule}");
            assert_eq!(f[0].rule, rule);
            assert_eq!(f[0].severity, severity, "{rule}");
            assert_eq!(f[0].cause, cause, "{rule}");
            assert_eq!(f[0].keys, row, "{rule}");
            assert_eq!(f[0].span, Some(Span::new(5, 9)), "{rule}");
            assert!(!f[0].message.is_empty());
        }
    }

    // The too-many message lists the values left over, with the counts as expected/found.
    #[test]
    fn too_many_values_names_the_extra() {
        let mut e = zeros();
        e.warnings = vec![warning(
            WarningKind::TooManyValues {
                table: TableId::Appeals,
                label: "行政复议、行政诉讼".into(),
                expected: 15,
                found: 16,
                extra: vec![("0".into(), Span::new(1, 2))],
            },
            TableId::Appeals.keys().collect(),
        )];
        let f = run(&e);
        assert!(
            f[0].message.contains("有 16 个数值，应有 15 个"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("多出的“0”"));
        assert_eq!((f[0].expected, f[0].found), (Some(15.0), Some(16.0)));
    }
}
