//! Across years of one body: last year's 结转下年度 must equal this year's 上年结转 in every
//! column (and this year's 结转下年度 next year's 上年结转); the stock of 规章 and 行政规范性文件
//! should follow last year's 现行有效 + 本年制发 − 本年废止 (a warning: revisions break it).

use super::{Cause, Ctx, Finding, OtherYear, Severity, format_number, same};
use crate::extract::Extraction;
use crate::model::{ACTIVE_ROWS, Active, CellKey, DocCol, REQUESTS_COLS, Req, TableId};

/// Rule: this year's 上年结转 vs last year's 结转下年度.
pub const CARRIED_OVER: &str = "years.carried_over";
/// Rule: this year's 结转下年度 vs next year's 上年结转.
pub const CARRY_FORWARD: &str = "years.carry_forward";
/// Rule: 现行有效 vs last year's 现行有效 + 本年制发 − 本年废止.
pub const IN_FORCE: &str = "years.in_force";

/// The first report of the given year among `others`.
pub(crate) fn of_year<'a>(others: &[OtherYear<'a>], year: i32) -> Option<OtherYear<'a>> {
    others
        .iter()
        .copied()
        .find(|o| o.extraction.year == Some(year))
}

fn value(e: &Extraction, key: CellKey) -> Option<f64> {
    e.cells.get(key.index()).and_then(|c| c.value)
}

/// Runs the cross-year rules against the reports of the year before and after.
pub(crate) fn check(ctx: &Ctx, others: &[OtherYear<'_>], out: &mut Vec<Finding>) {
    let Some(year) = ctx.report.year else {
        return;
    };
    if let Some(last) = year.checked_sub(1)
        && let Some(prev) = of_year(others, last)
    {
        carried(ctx, prev.extraction, last, true, out);
        in_force(ctx, prev.extraction, last, out);
    }
    if let Some(following) = year.checked_add(1)
        && let Some(next) = of_year(others, following)
    {
        carried(ctx, next.extraction, following, false, out);
    }
}

/// One column of the carry-over between consecutive years: the earlier year's 结转下年度 and the
/// later year's 上年结转, which must be equal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct CarryLink {
    /// Column of 表三.
    pub col: usize,
    /// 结转下年度 in the earlier report.
    pub earlier: CellKey,
    /// 上年结转 in the later report.
    pub later: CellKey,
    /// The earlier report's number, when it holds one.
    pub carried: Option<f64>,
    /// The later report's number, when it holds one.
    pub received: Option<f64>,
}

/// The carry-over of every column of 表三 from `earlier` to `later` (the year after); nothing
/// when either report lacks 表三. Shared by the cross-year findings and the years comparison.
pub(crate) fn carry_links(earlier: &Extraction, later: &Extraction) -> Vec<CarryLink> {
    if !earlier.has_table(TableId::Requests) || !later.has_table(TableId::Requests) {
        return Vec::new();
    }
    (0..REQUESTS_COLS.len())
        .map(|col| {
            let (e, l) = (
                CellKey::requests(Req::CarryForward.index(), col),
                CellKey::requests(Req::CarriedOver.index(), col),
            );
            CarryLink {
                col,
                earlier: e,
                later: l,
                carried: value(earlier, e),
                received: value(later, l),
            }
        })
        .collect()
}

/// The stock of one row of 表二 from one year to the next: earlier 现行有效 + later 制发 − later
/// 废止 should give later 现行有效.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct StockLink {
    /// Row of 表二 (0 规章, 1 行政规范性文件).
    pub row: usize,
    /// The earlier report's 现行有效.
    pub before: Option<f64>,
    /// The later report's 本年制发.
    pub issued: Option<f64>,
    /// The later report's 本年废止.
    pub repealed: Option<f64>,
    /// The later report's 现行有效.
    pub now: Option<f64>,
}

impl StockLink {
    /// 制发, 废止 and 现行有效 of the row.
    pub fn keys(&self) -> [CellKey; 3] {
        [
            CellKey::active(self.row, DocCol::Issued.index()),
            CellKey::active(self.row, DocCol::Repealed.index()),
            CellKey::active(self.row, DocCol::InForce.index()),
        ]
    }

    /// The stock the earlier year and this year's changes give, when all three are numbers.
    pub fn expected(&self) -> Option<f64> {
        Some(self.before? + self.issued? - self.repealed?)
    }
}

/// The stock continuity of 规章 and 行政规范性文件 from `earlier` to `later`; nothing when either
/// report lacks 表二.
pub(crate) fn stock_links(earlier: &Extraction, later: &Extraction) -> Vec<StockLink> {
    if !earlier.has_table(TableId::Active) || !later.has_table(TableId::Active) {
        return Vec::new();
    }
    [Active::Regulations, Active::Normative]
        .into_iter()
        .map(|row| StockLink {
            row: row.index(),
            before: value(earlier, CellKey::document(row, DocCol::InForce)),
            issued: value(later, CellKey::document(row, DocCol::Issued)),
            repealed: value(later, CellKey::document(row, DocCol::Repealed)),
            now: value(later, CellKey::document(row, DocCol::InForce)),
        })
        .collect()
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
    let (rule, year, links) = if here_is_later {
        (
            CARRIED_OVER,
            other_year.saturating_add(1),
            carry_links(other, ctx.report),
        )
    } else {
        (
            CARRY_FORWARD,
            other_year.saturating_sub(1),
            carry_links(ctx.report, other),
        )
    };
    for link in links {
        let col = &REQUESTS_COLS[link.col];
        let (here_key, here, there) = if here_is_later {
            (link.later, link.received, link.carried)
        } else {
            (link.earlier, link.carried, link.received)
        };
        let shown = |v: Option<f64>| v.map_or_else(|| "空白或非数字".to_owned(), format_number);
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
    for link in stock_links(prev, ctx.report) {
        let (Some(before), Some(i), Some(x), Some(now), Some(expected)) = (
            link.before,
            link.issued,
            link.repealed,
            link.now,
            link.expected(),
        ) else {
            continue;
        };
        if same(expected, now) {
            continue;
        }
        let keys = link.keys().to_vec();
        out.push(
            Finding::new(
                IN_FORCE,
                Severity::Warning,
                keys.clone(),
                format!(
                    "表二「{}」：{prev_year}年现行有效({}) + 本年制发({}) − 本年废止({}) = {} ≠ 本年现行有效({})（修订、失效也可能造成差异，请核对）",
                    ACTIVE_ROWS[link.row].label,
                    format_number(before),
                    format_number(i),
                    format_number(x),
                    format_number(expected),
                    format_number(now)
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
        let others: Vec<OtherYear<'_>> = others
            .iter()
            .map(|&extraction| OtherYear {
                extraction,
                source: None,
            })
            .collect();
        check(&ctx, &others, &mut out);
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
