//! Across years of one body: last year's 结转下年度 must equal this year's 上年结转 in every
//! column (and this year's 结转下年度 next year's 上年结转); the stock of 规章 and 行政规范性文件
//! should follow last year's 现行有效 + 本年制发 − 本年废止 (a warning: revisions break it).

use super::{Cause, Ctx, Finding, Severity, fmt_num, same};
use crate::extract::Extraction;
use crate::model::{ACTIVE_ROWS, CellKey, REQUESTS_COLS, TableId};

/// Rule: this year's 上年结转 vs last year's 结转下年度.
pub const CARRIED_OVER: &str = "years.carried_over";
/// Rule: this year's 结转下年度 vs next year's 上年结转.
pub const CARRY_FORWARD: &str = "years.carry_forward";
/// Rule: 现行有效 vs last year's 现行有效 + 本年制发 − 本年废止.
pub const IN_FORCE: &str = "years.in_force";

const CARRIED_OVER_ROW: usize = 1;
const CARRY_FORWARD_ROW: usize = 24;

/// The first report of the given year among `others`.
fn of_year<'a>(others: &[&'a Extraction], year: i32) -> Option<&'a Extraction> {
    others.iter().copied().find(|e| e.year == Some(year))
}

fn value(e: &Extraction, key: CellKey) -> Option<f64> {
    e.cells.get(key.index()).and_then(|c| c.value)
}

/// Runs the cross-year rules against the reports of the year before and after.
pub(crate) fn check(ctx: &Ctx, others: &[&Extraction], out: &mut Vec<Finding>) {
    let Some(year) = ctx.report.year else {
        return;
    };
    if let Some(last) = year.checked_sub(1)
        && let Some(prev) = of_year(others, last)
    {
        carried(ctx, prev, last, true, out);
        in_force(ctx, prev, last, out);
    }
    if let Some(following) = year.checked_add(1)
        && let Some(next) = of_year(others, following)
    {
        carried(ctx, next, following, false, out);
    }
}

/// Compares 上年结转 here with 结转下年度 in `prev` (`here_is_later`), or 结转下年度 here with
/// 上年结转 in `next`.
fn carried(
    ctx: &Ctx,
    other: &Extraction,
    other_year: i32,
    here_is_later: bool,
    out: &mut Vec<Finding>,
) {
    if !ctx.has_table(TableId::Requests) || !other.has_table(TableId::Requests) {
        return;
    }
    let (here_row, other_row, rule) = if here_is_later {
        (CARRIED_OVER_ROW, CARRY_FORWARD_ROW, CARRIED_OVER)
    } else {
        (CARRY_FORWARD_ROW, CARRIED_OVER_ROW, CARRY_FORWARD)
    };
    let year = if here_is_later {
        other_year.saturating_add(1)
    } else {
        other_year.saturating_sub(1)
    };
    for (c, col) in REQUESTS_COLS.iter().enumerate() {
        let here_key = CellKey::requests(here_row, c);
        let other_key = CellKey::requests(other_row, c);
        let (here, there) = (ctx.value(here_key), value(other, other_key));
        let shown = |v: Option<f64>| v.map_or_else(|| "空白或非数字".to_owned(), fmt_num);
        let (last, this) = if here_is_later {
            (
                format!("{other_year}年报告 结转下年度({})", shown(there)),
                format!("{year}年报告 上年结转({})", shown(here)),
            )
        } else {
            (
                format!("{year}年报告 结转下年度({})", shown(here)),
                format!("{other_year}年报告 上年结转({})", shown(there)),
            )
        };
        let place = format!("表三「{}」列", col.label);
        let finding = match (here, there) {
            (Some(h), Some(t)) if same(h, t) => continue,
            (None, None) => continue,
            (Some(h), Some(t)) => Finding::new(
                rule,
                Severity::Error,
                vec![here_key],
                format!("{place}：{last} ≠ {this}（上一年结转的申请应在下一年作为上年结转）"),
                Cause::Source,
            )
            .numbers(Some(t), Some(h)),
            _ => Finding::new(
                &format!("{rule}.uncertain"),
                Severity::Warning,
                vec![here_key],
                format!("{place}：无法核对 {last} = {this}"),
                Cause::Source,
            )
            .numbers(there, here),
        };
        out.push(finding.at(ctx.span_of(&[here_key])));
    }
}

/// 现行有效 = last year's 现行有效 + 本年制发 − 本年废止, for 规章 and 行政规范性文件.
fn in_force(ctx: &Ctx, prev: &Extraction, prev_year: i32, out: &mut Vec<Finding>) {
    if !ctx.has_table(TableId::Active) || !prev.has_table(TableId::Active) {
        return;
    }
    for (r, row) in ACTIVE_ROWS.iter().enumerate().take(2) {
        let issued = CellKey::active(r, 0);
        let repealed = CellKey::active(r, 1);
        let stock = CellKey::active(r, 2);
        let (Some(before), Some(i), Some(x), Some(now)) = (
            value(prev, stock),
            ctx.value(issued),
            ctx.value(repealed),
            ctx.value(stock),
        ) else {
            continue;
        };
        let expected = before + i - x;
        if same(expected, now) {
            continue;
        }
        let keys = vec![issued, repealed, stock];
        out.push(
            Finding::new(
                IN_FORCE,
                Severity::Warning,
                keys.clone(),
                format!(
                    "表二「{}」：{prev_year}年现行有效({}) + 本年制发({}) − 本年废止({}) = {} ≠ 本年现行有效({})（修订、失效也可能造成差异，请核对）",
                    row.label,
                    fmt_num(before),
                    fmt_num(i),
                    fmt_num(x),
                    fmt_num(expected),
                    fmt_num(now)
                ),
                Cause::Source,
            )
            .numbers(Some(expected), Some(now))
            .at(ctx.span_of(&keys)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::*;
    use crate::check::{Ctx, Finding};
    use crate::model::SourceText;

    fn run(this: &Extraction, others: &[&Extraction]) -> Vec<Finding> {
        let src = SourceText::from_utf8("");
        let ctx = Ctx::new(this, &src);
        let mut out = Vec::new();
        check(&ctx, others, &mut out);
        out
    }

    fn of(year: i32) -> Extraction {
        let mut e = zeros();
        e.year = Some(year);
        e
    }

    // Last year's carry-forward equal to this year's carried-over passes; a difference is an
    // error on this year's cell; a report two years back is not compared.
    #[test]
    fn carried_over_rule() {
        let mut last = of(2023);
        set(&mut last, key("requests.carry_forward.natural_person"), "2");
        set(&mut last, key("requests.carry_forward.total"), "2");
        let mut this = of(2024);
        set(&mut this, key("requests.carried_over.natural_person"), "2");
        set(&mut this, key("requests.carried_over.total"), "2");
        assert!(run(&this, &[&last]).is_empty());
        set(&mut this, key("requests.carried_over.total"), "1");
        let f = run(&this, &[&last]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].rule, CARRIED_OVER);
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].keys, [key("requests.carried_over.total")]);
        assert!(
            f[0].message
                .contains("2023年报告 结转下年度(2) ≠ 2024年报告 上年结转(1)"),
            "{}",
            f[0].message
        );
        let mut older = last.clone();
        older.year = Some(2022);
        assert!(run(&this, &[&older]).is_empty());
        // A blank on one side cannot be compared: a warning.
        blank(&mut this, key("requests.carried_over.total"));
        assert_eq!(run(&this, &[&last])[0].rule, "years.carried_over.uncertain");
    }

    // This year's carry-forward is compared with next year's carried-over.
    #[test]
    fn carry_forward_rule() {
        let this = of(2023);
        let mut next = of(2024);
        assert!(run(&this, &[&next]).is_empty());
        set(&mut next, key("requests.carried_over.research"), "3");
        let f = run(&this, &[&next]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule, CARRY_FORWARD);
        assert_eq!(f[0].keys, [key("requests.carry_forward.research")]);
    }

    // The stock of 规范性文件 follows last year's stock + issued − repealed, or warns.
    #[test]
    fn in_force_rule() {
        let mut last = of(2023);
        set(&mut last, key("active.normative.in_force"), "20");
        let mut this = of(2024);
        set(&mut this, key("active.normative.issued"), "3");
        set(&mut this, key("active.normative.repealed"), "1");
        set(&mut this, key("active.normative.in_force"), "22");
        assert!(run(&this, &[&last]).is_empty());
        set(&mut this, key("active.normative.in_force"), "25");
        let f = run(&this, &[&last]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule, IN_FORCE);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].message
                .contains("2023年现行有效(20) + 本年制发(3) − 本年废止(1) = 22 ≠ 本年现行有效(25)"),
            "{}",
            f[0].message
        );
    }
}
