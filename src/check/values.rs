//! Rules on single cells: blanks, placeholders where a number belongs, words in a number cell,
//! negative or fractional counts, units or notes typed inside a cell, and a fee (万元) that looks
//! as if it was given in 元.

use super::{Cause, Ctx, Finding, Severity, Trouble, format_number};
use crate::check::arithmetic::requests_row_name;
use crate::model::{
    ACTIVE_ROWS, APPEALS_COLS, APPEALS_GROUPS, Active, CellKey, REQUESTS_COLS, REQUESTS_ROWS, Span,
    TableId, ValueKind,
};
use std::sync::LazyLock;

/// Rule: cells with nothing printed.
pub const BLANK: &str = "value.blank";
/// Rule: `/`, `—`, `无` where a number belongs.
pub const PLACEHOLDER: &str = "value.placeholder";
/// Rule: a blank run, one finding for all its cells: 表三 columns blank in every row, or a
/// whole table printed with nothing in it.
pub const BLANK_RUN: &str = "value.blank_run";
/// Rule: words with no number in a number cell.
pub const TEXT: &str = "value.text";
/// Rule: a negative number.
pub const NEGATIVE: &str = "value.negative";
/// Rule: a count with a fractional part.
pub const FRACTION: &str = "value.fraction";
/// Rule: a unit or a note typed inside the cell.
pub const ANNOTATED: &str = "value.annotated";
/// Rule: a fee that looks as if it was given in 元, not 万元.
pub const FEE_UNIT: &str = "value.fee_unit";

/// The fee cell, the only one that may hold decimals.
fn fee_key() -> CellKey {
    CellKey::active_at(Active::Fees, 0)
}

/// A fee of this many 万元 (10 亿元) or more is worth a second look at the unit.
const FEE_LARGE: f64 = 100_000.0;
/// A fee of this many 万元 (100 亿元) or more is almost certainly given in 元.
const FEE_IMPLAUSIBLE: f64 = 1_000_000.0;

/// One printed row of a table: where it is named in messages and its cells.
struct Row {
    place: String,
    label: &'static str,
    keys: Vec<CellKey>,
}

static ROWS: LazyLock<Vec<Row>> = LazyLock::new(rows);

fn rows() -> Vec<Row> {
    let mut out = Vec::new();
    for (r, row) in ACTIVE_ROWS.iter().enumerate() {
        out.push(Row {
            place: format!("表二「{}」行", row.label),
            label: row.label,
            keys: (0..row.cols.len()).map(|c| CellKey::active(r, c)).collect(),
        });
    }
    for (r, row) in REQUESTS_ROWS.iter().enumerate() {
        out.push(Row {
            place: format!("表三「{}」行", requests_row_name(r)),
            label: row.label,
            keys: (0..REQUESTS_COLS.len())
                .map(|c| CellKey::requests(r, c))
                .collect(),
        });
    }
    for (g, group) in APPEALS_GROUPS.iter().enumerate() {
        out.push(Row {
            place: format!("表四「{}」", group.label),
            label: group.label,
            keys: (0..APPEALS_COLS.len())
                .map(|c| CellKey::appeals(g, c))
                .collect(),
        });
    }
    out
}

/// Where a row's label is printed inside its table, to point at a row whose cells have no span.
fn label_span(ctx: &Ctx, table: TableId, label: &str) -> Option<Span> {
    let region = ctx.report.tables.iter().find(|t| t.table == table)?.span;
    let text = ctx.slice(region);
    // Table 三's labels start with a numbering such as `（一）` that sources print in either
    // kind of bracket, and some end in a long parenthetical: search for the words between.
    let mut needle = label;
    if let Some(rest) = needle.strip_prefix('（')
        && let Some((_, tail)) = rest.split_once('）')
    {
        needle = tail;
    }
    let needle = needle.split_once('（').map_or(needle, |(head, _)| head);
    if needle.is_empty() {
        return None;
    }
    let at = text.find(needle)?;
    Some(Span::new(
        region.start + at,
        region.start + at + needle.len(),
    ))
}

/// Runs the single-cell rules.
pub(crate) fn check(ctx: &Ctx, out: &mut Vec<Finding>) {
    let run = blank_run(ctx, out);
    for row in ROWS.iter() {
        let table = row.keys[0].table();
        if !ctx.has_table(table) {
            continue;
        }
        grouped(ctx, row, &run, out);
        for &key in &row.keys {
            single(ctx, key, out);
        }
    }
}

/// True when the cell is blank and read without trouble: a blank the report printed.
fn printed_blank(ctx: &Ctx, key: CellKey) -> bool {
    ctx.kind(key) == ValueKind::Blank && ctx.trouble(key) == Trouble::None
}

/// Blank runs: a whole table with nothing in it, or 表三 columns blank in all 25 rows. One
/// finding per table names every cell of the run (the relations it leaves unchecked are folded
/// under it later); returns the cells, which the per-row findings then leave out.
fn blank_run(ctx: &Ctx, out: &mut Vec<Finding>) -> Vec<CellKey> {
    let mut run = Vec::new();
    for table in TableId::ALL {
        if !ctx.has_table(table) {
            continue;
        }
        let keys: Vec<CellKey> = table.keys().collect();
        let (cells, which) = if keys.iter().all(|k| printed_blank(ctx, *k)) {
            (keys, format!("{}整表", table.label()))
        } else if table == TableId::Requests {
            let cols: Vec<usize> = (0..REQUESTS_COLS.len())
                .filter(|&c| {
                    (0..REQUESTS_ROWS.len()).all(|r| printed_blank(ctx, CellKey::requests(r, c)))
                })
                .collect();
            if cols.is_empty() {
                continue;
            }
            let names: Vec<&str> = cols.iter().map(|&c| REQUESTS_COLS[c].label).collect();
            let mut cells: Vec<CellKey> = (0..REQUESTS_ROWS.len())
                .flat_map(|r| cols.iter().map(move |&c| CellKey::requests(r, c)))
                .collect();
            cells.sort();
            (cells, format!("表三「{}」列整列", names.join("、")))
        } else {
            continue;
        };
        let message = format!(
            "{which}为空白（{} 格）：空白不等于 0，请核对原文是否漏填；若确为 0，可一次“按 0 处理”",
            cells.len()
        );
        let span = ctx.span_of(&cells).or_else(|| {
            ctx.report
                .tables
                .iter()
                .find(|t| t.table == table)
                .map(|t| t.span)
        });
        out.push(
            Finding::new(
                BLANK_RUN,
                Severity::Warning,
                cells.clone(),
                message,
                Cause::Source,
            )
            .at(span),
        );
        run.extend(cells);
    }
    run
}

/// Blank and placeholder cells, one finding per row; cells of a blank run are left out.
fn grouped(ctx: &Ctx, row: &Row, run: &[CellKey], out: &mut Vec<Finding>) {
    // Almost every row holds numbers only.
    if !row
        .keys
        .iter()
        .any(|k| matches!(ctx.kind(*k), ValueKind::Blank | ValueKind::Placeholder))
    {
        return;
    }
    for (rule, kind) in [
        (BLANK, ValueKind::Blank),
        (PLACEHOLDER, ValueKind::Placeholder),
    ] {
        let keys: Vec<CellKey> = row
            .keys
            .iter()
            .copied()
            // Cells of a row the extractor could not read cleanly are reported by its warning.
            .filter(|k| ctx.kind(*k) == kind && ctx.trouble(*k) == Trouble::None)
            .filter(|k| !run.contains(k))
            .collect();
        if keys.is_empty() {
            continue;
        }
        let table = keys[0].table();
        let which = if row.keys.len() == 1 {
            format!("表二「{}」", row.label)
        } else if keys.len() == row.keys.len() {
            format!("{}整行", row.place)
        } else {
            let cols: Vec<&str> = keys.iter().map(|k| column_name(*k)).collect();
            format!("{}的「{}」", row.place, cols.join("、"))
        };
        let (severity, message) = if kind == ValueKind::Blank {
            (
                Severity::Warning,
                format!("{which}为空白：空白不等于 0，请核对原文是否漏填"),
            )
        } else {
            let shown: Vec<String> = keys.iter().map(|k| ctx.shown(*k)).collect();
            let mut uniq = shown.clone();
            uniq.sort();
            uniq.dedup();
            // In table 二 a placeholder usually means the body has no such power: worth a look.
            let severity = if table == TableId::Active {
                Severity::Info
            } else {
                Severity::Warning
            };
            (
                severity,
                format!(
                    "{which}填的是{}而不是数字：若为 0 应填 0，若不适用请在说明中注明",
                    uniq.join("、")
                ),
            )
        };
        let span = ctx
            .span_of(&keys)
            .or_else(|| ctx.span_of(&row.keys))
            .or_else(|| label_span(ctx, table, row.label));
        out.push(Finding::new(rule, severity, keys, message, Cause::Source).at(span));
    }
}

/// The column part of a key's label, e.g. `自然人`.
fn column_name(key: CellKey) -> &'static str {
    let label = key.label();
    label.rsplit_once(' ').map_or(label, |(_, col)| col)
}

/// True when a raw cell text is a plain whole number (`0`, `12`): nothing more to check.
fn plain_count(raw: &str) -> bool {
    !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit())
}

fn single(ctx: &Ctx, key: CellKey, out: &mut Vec<Finding>) {
    let raw = ctx.raw(key).unwrap_or("");
    let is_fee = key == fee_key();
    // Almost every cell is a plain count: only the rest needs a closer look.
    if plain_count(raw) && (!is_fee || raw.len() < 6) {
        return;
    }
    let span = ctx.span_of(&[key]);
    let name = format!("{}「{}」", key.table().label(), key.label());
    if ctx.kind(key) == ValueKind::Text {
        out.push(
            Finding::new(
                TEXT,
                Severity::Warning,
                vec![key],
                format!("{name}写的是“{raw}”，不是数字"),
                Cause::Unknown,
            )
            .at(span),
        );
        return;
    }
    let Some(v) = ctx.value(key) else {
        return;
    };
    if v < 0.0 {
        out.push(
            Finding::new(
                NEGATIVE,
                Severity::Error,
                vec![key],
                format!("{name}为负数（{}）：件数和金额不能为负", format_number(v)),
                Cause::Source,
            )
            .numbers(None, Some(v))
            .at(span),
        );
    }
    if !is_fee && v.fract() != 0.0 {
        out.push(
            Finding::new(
                FRACTION,
                Severity::Error,
                vec![key],
                format!("{name}为 {}：件数应为整数", format_number(v)),
                Cause::Unknown,
            )
            .numbers(Some(v.round()), Some(v))
            .at(span),
        );
    }
    if ctx
        .report
        .cells
        .get(key.index())
        .is_some_and(|c| c.is_annotated())
    {
        out.push(
            Finding::new(
                ANNOTATED,
                Severity::Warning,
                vec![key],
                format!(
                    "{name}写作“{raw}”：单元格内带有单位或说明文字，应只填数字（按 {} 读取）",
                    format_number(v)
                ),
                Cause::Source,
            )
            .numbers(Some(v), Some(v))
            .at(span),
        );
    }
    if is_fee {
        fee_unit(ctx, key, raw, v, &name, out);
    }
}

fn fee_unit(ctx: &Ctx, key: CellKey, raw: &str, v: f64, name: &str, out: &mut Vec<Finding>) {
    let span = ctx.span_of(&[key]);
    let says_yuan = raw.contains('元') && !raw.contains("万元");
    let (severity, message) = if says_yuan {
        (
            Severity::Warning,
            format!(
                "{name}写作“{raw}”，单位是元；表头单位为万元，应填 {} 万元",
                format_number(v / 10_000.0)
            ),
        )
    } else if v >= FEE_IMPLAUSIBLE {
        (
            Severity::Warning,
            format!(
                "{name}为 {} 万元（即 {} 亿元），金额异常大，疑似按元填写；若按元计应为 {} 万元",
                format_number(v),
                format_number(v / 10_000.0),
                format_number(v / 10_000.0)
            ),
        )
    } else if v >= FEE_LARGE {
        (
            Severity::Info,
            format!(
                "{name}为 {} 万元（即 {} 亿元），请确认单位是万元而不是元",
                format_number(v),
                format_number(v / 10_000.0)
            ),
        )
    } else {
        return;
    };
    out.push(
        Finding::new(FEE_UNIT, severity, vec![key], message, Cause::Source)
            .numbers(Some(v / 10_000.0), Some(v))
            .at(span),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::*;
    use crate::check::{Ctx, Finding};
    use crate::extract::Extraction;
    use crate::model::SourceText;

    fn run(e: &Extraction) -> Vec<Finding> {
        let src = SourceText::from_utf8("");
        let ctx = Ctx::new(e, &src);
        let mut out = Vec::new();
        check(&ctx, &mut out);
        out
    }

    fn only(e: &Extraction, rule: &str) -> Vec<Finding> {
        run(e).into_iter().filter(|f| f.rule == rule).collect()
    }

    // A blank cell is a warning naming it; a 0 is not.
    #[test]
    fn blank_rule() {
        let mut e = zeros();
        assert!(run(&e).is_empty());
        blank(&mut e, key("active.licensing.decisions"));
        let f = only(&e, BLANK);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].keys, [key("active.licensing.decisions")]);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].message.contains("表二「行政许可」为空白"),
            "{}",
            f[0].message
        );
        // Blanks in one row are one finding.
        blank(&mut e, key("requests.granted.research"));
        blank(&mut e, key("requests.granted.other_org"));
        let f = only(&e, BLANK);
        assert_eq!(f.len(), 2);
        assert!(
            f[1].message
                .contains("表三「予以公开」行的「科研机构、其他」为空白"),
            "{}",
            f[1].message
        );
    }

    // A placeholder where a number belongs is flagged; in table 二 only as a hint.
    #[test]
    fn placeholder_rule() {
        let mut e = zeros();
        assert!(only(&e, PLACEHOLDER).is_empty());
        set(&mut e, key("requests.partial.total"), "—");
        set(&mut e, key("active.coercion.decisions"), "/");
        let f = only(&e, PLACEHOLDER);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].severity, Severity::Info);
        assert_eq!(f[1].severity, Severity::Warning);
        assert!(f[1].message.contains("“—”"), "{}", f[1].message);
    }

    // Words in a number cell are flagged; numbers are not.
    #[test]
    fn text_rule() {
        let mut e = zeros();
        set(&mut e, key("requests.new.total"), "12");
        assert!(only(&e, TEXT).is_empty());
        set(&mut e, key("requests.new.total"), "见附件");
        let f = only(&e, TEXT);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("“见附件”"));
    }

    // Negative counts are errors; zero is fine.
    #[test]
    fn negative_rule() {
        let mut e = zeros();
        assert!(only(&e, NEGATIVE).is_empty());
        set(&mut e, key("appeals.review.pending"), "-1");
        let f = only(&e, NEGATIVE);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].found, Some(-1.0));
    }

    // Fractional counts are errors, but the fee may have decimals.
    #[test]
    fn fraction_rule() {
        let mut e = zeros();
        set(&mut e, key("active.fees.amount"), "12.5");
        assert!(only(&e, FRACTION).is_empty());
        set(&mut e, key("requests.granted.total"), "1.5");
        let f = only(&e, FRACTION);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].keys, [key("requests.granted.total")]);
    }

    // A unit or a note inside a cell is flagged; a plain number is not.
    #[test]
    fn annotated_rule() {
        let mut e = zeros();
        set(&mut e, key("active.fees.amount"), "12872.06");
        assert!(only(&e, ANNOTATED).is_empty());
        set(&mut e, key("active.fees.amount"), "12872.06 万元");
        set(
            &mut e,
            key("active.normative.in_force"),
            "22（其中修订16件）",
        );
        let f = only(&e, ANNOTATED);
        assert_eq!(f.len(), 2);
        assert!(f[1].message.contains("“12872.06 万元”"), "{}", f[1].message);
        assert!(f[1].message.contains("按 12872.06 读取"));
    }

    // A fee given in 元 or implausibly large is flagged; an ordinary 万元 amount is not.
    #[test]
    fn fee_unit_rule() {
        let mut e = zeros();
        set(&mut e, key("active.fees.amount"), "39910.33");
        assert!(only(&e, FEE_UNIT).is_empty());
        set(&mut e, key("active.fees.amount"), "3500 元");
        let f = only(&e, FEE_UNIT);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("应填 0.35 万元"), "{}", f[0].message);
        set(&mut e, key("active.fees.amount"), "128720600");
        let f = only(&e, FEE_UNIT);
        assert_eq!(f[0].severity, Severity::Warning);
        set(&mut e, key("active.fees.amount"), "250000");
        assert_eq!(only(&e, FEE_UNIT)[0].severity, Severity::Info);
    }

    // Cells of a missing table are left to the extraction finding.
    #[test]
    fn missing_table_cells_are_not_blanks() {
        let mut e = zeros();
        e.tables.retain(|t| t.table != TableId::Appeals);
        for k in TableId::Appeals.keys() {
            blank(&mut e, k);
        }
        assert!(run(&e).is_empty());
    }
}
