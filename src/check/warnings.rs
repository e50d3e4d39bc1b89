//! Every extraction warning becomes a finding: a table or row not found, a row with fewer or
//! more values than columns, run-together digits, a label that differs from the template, the
//! pre-2021 template, and text in a table that could not be read.

use super::{Cause, Ctx, Finding, Severity};
use crate::extract::{ExtractionWarning, WarningKind};
use crate::model::TableId;

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

fn table_name(table: TableId) -> String {
    format!("{}（{}）", table.label(), table.title())
}

/// The rule, severity, cause, message and numbers of one warning.
fn describe(w: &ExtractionWarning) -> (&'static str, Severity, Cause, String, Option<(f64, f64)>) {
    match &w.kind {
        WarningKind::TableNotFound { table } => (
            TABLE_NOT_FOUND,
            Severity::Warning,
            Cause::Extraction,
            format!(
                "没有找到{}：该表的单元格都没有读到，请核对原文是否缺表，或表格是否为图片",
                table_name(*table)
            ),
            None,
        ),
        WarningKind::RowNotFound { table, label } => (
            ROW_NOT_FOUND,
            Severity::Warning,
            Cause::Extraction,
            format!(
                "{}中没有找到「{label}」这一行，该行单元格留空，请核对原文",
                table.label()
            ),
            None,
        ),
        WarningKind::TooFewValues {
            table,
            label,
            expected,
            found,
        } => (
            TOO_FEW_VALUES,
            Severity::Warning,
            Cause::Source,
            format!(
                "{}「{label}」行只有 {found} 个数值，应有 {expected} 个：已按位置填入，缺的格留空，请核对原文该行",
                table.label()
            ),
            Some((*expected as f64, *found as f64)),
        ),
        WarningKind::TooManyValues {
            table,
            label,
            expected,
            found,
            extra,
        } => {
            let extra: Vec<&str> = extra.iter().map(|(raw, _)| raw.as_str()).collect();
            (
                TOO_MANY_VALUES,
                Severity::Warning,
                Cause::Source,
                format!(
                    "{}「{label}」行有 {found} 个数值，应有 {expected} 个：已按顺序填入前 {expected} 个，多出的“{}”未使用，请核对原文该行",
                    table.label(),
                    extra.join("”“")
                ),
                Some((*expected as f64, *found as f64)),
            )
        }
        WarningKind::DigitsSplit { table, label, raw } => (
            DIGITS_SPLIT,
            Severity::Info,
            Cause::Extraction,
            format!(
                "{}「{label}」行的数字连在一起（“{raw}”），已按表内勾稽关系唯一可行的方式拆分，请核对",
                table.label()
            ),
            None,
        ),
        WarningKind::DigitsUnresolved {
            table,
            label,
            raw,
            candidates,
        } => (
            DIGITS_UNRESOLVED,
            Severity::Warning,
            Cause::Extraction,
            format!(
                "{}「{label}」行的数字连在一起（“{raw}”），有 {candidates} 种拆法无法确定，该行未读取，请按原文填写",
                table.label()
            ),
            None,
        ),
        WarningKind::LabelMismatch {
            table,
            expected,
            found,
        } => (
            LABEL_MISMATCH,
            Severity::Info,
            Cause::Source,
            format!(
                "{}的栏目名称“{found}”与标准格式“{expected}”不一致",
                table.label()
            ),
            None,
        ),
        WarningKind::StaleTemplate { phrase } => (
            STALE_TEMPLATE,
            Severity::Warning,
            Cause::Source,
            format!(
                "出现旧版（2021 年以前）表格的栏目“{phrase}”：2021 年起应使用国办公开办函〔2021〕30号规定的格式"
            ),
            None,
        ),
        WarningKind::NumberWrapped { .. } => (
            NUMBER_WRAPPED,
            Severity::Info,
            Cause::Extraction,
            format!("{}；请核对该格", w.message),
            None,
        ),
        WarningKind::ReadByColumns { .. } => (
            READ_BY_COLUMNS,
            Severity::Info,
            Cause::Extraction,
            format!("{}；请核对这些行", w.message),
            None,
        ),
        WarningKind::OrderAmbiguous { .. } => (
            ORDER_AMBIGUOUS,
            Severity::Warning,
            Cause::Extraction,
            format!(
                "{}；nianbao 未能读出这些行，请在原文中核对并填写",
                w.message
            ),
            None,
        ),
        WarningKind::CombinedRow {
            table,
            label,
            values,
        } => (
            COMBINED_ROW,
            Severity::Warning,
            Cause::Source,
            format!(
                "{}把「{label}」印成了一行（{}），没有分列“逾期不补正”“逾期未缴费”“其他”3 个子项：子项单元格留空，请核对原文；若子项均为 0，可按 0 填写",
                table.label(),
                values.join(" ")
            ),
            None,
        ),
        WarningKind::UnplacedValues { .. } => (
            UNPLACED_VALUES,
            Severity::Warning,
            Cause::Extraction,
            format!("{}；请核对原文", w.message),
            None,
        ),
        WarningKind::UnreadText { table, text } => (
            UNREAD_TEXT,
            Severity::Info,
            Cause::Extraction,
            format!(
                "{}中有一段既不是栏目名也不是数值的文字：“{text}”",
                table.label()
            ),
            None,
        ),
    }
}

/// Turns each extraction warning into a finding.
pub(crate) fn check(ctx: &Ctx, out: &mut Vec<Finding>) {
    for w in &ctx.report.warnings {
        let (rule, severity, cause, message, numbers) = describe(w);
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
    use crate::model::{CellKey, SourceText, Span};

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
