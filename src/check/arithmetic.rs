//! The relations printed in the tables: table 三's balance and sums per column, its row sums,
//! table 四's group sums. A relation with a blank, placeholder or unreadable input is uncertain
//! (a warning naming that cell); a broken one is an error. Also finds the classic shifted value:
//! counts that only balance if one value is moved one cell.

use super::{Cause, Change, Ctx, Finding, Severity, Suggestion, Trouble, format_number, same};
use crate::model::{
    APPEALS_COLS, APPEALS_GROUPS, AppealCol, CellKey, REQUESTS_COLS, REQUESTS_ROWS, Req, ReqCol,
    TableId,
};
use std::sync::LazyLock;

/// Rule: table 三, every column: new + carried_over = total + carry_forward.
pub const BALANCE: &str = "requests.balance";
/// Rule: table 三, every column: total = sum of the 21 result rows.
pub const RESULTS_SUM: &str = "requests.results_sum";
/// Rule: table 三, every row: the total column = sum of the six applicant columns.
pub const ROW_SUM: &str = "requests.row_sum";
/// Rule: table 四, every group: total = upheld + corrected + other + pending.
pub const GROUP_SUM: &str = "appeals.group_sum";

/// The relation rules: what a cause's finding folds, and what a suggested fix restores.
const RELATION_RULES: [&str; 4] = [BALANCE, RESULTS_SUM, ROW_SUM, GROUP_SUM];

/// True for the rule of a relation (`requests.balance`, `appeals.group_sum.uncertain`…).
pub(crate) fn is_relation(rule: &str) -> bool {
    let base = rule.strip_suffix(UNCERTAIN).unwrap_or(rule);
    RELATION_RULES.contains(&base)
}
/// Rule: a value that makes every broken relation hold when moved to the next cell.
pub const SHIFTED: &str = "value.shifted";

/// Suffix of the rule id of a relation that could not be verified.
pub(crate) const UNCERTAIN: &str = ".uncertain";

/// How a relation is written in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    /// Both sides written out in full.
    Full,
    /// `total ≠ parts`, listing only the non-zero parts (21 result rows).
    SparseSum,
}

/// One relation `sum(lhs) = sum(rhs)`.
pub(crate) struct Relation {
    pub(crate) rule: &'static str,
    /// Where it is, e.g. `表三「自然人」列`.
    pub(crate) place: String,
    pub(crate) lhs: Vec<(CellKey, String)>,
    rhs: Vec<(CellKey, String)>,
    /// All keys in canonical order (the finding's keys).
    pub(crate) keys: Vec<CellKey>,
    style: Style,
    /// Name of the right-hand side when it is a sum, e.g. `各项办理结果之和`.
    sum_name: &'static str,
}

/// The short name of a table 三 row, e.g. `予以公开`.
pub(crate) fn requests_row_name(row: usize) -> &'static str {
    let label = CellKey::requests(row, ReqCol::Total.index()).label();
    label.strip_suffix(" 总计").unwrap_or(label)
}

fn relation(
    rule: &'static str,
    place: String,
    lhs: Vec<(CellKey, String)>,
    rhs: Vec<(CellKey, String)>,
    style: Style,
    sum_name: &'static str,
) -> Relation {
    let mut keys: Vec<CellKey> = lhs.iter().chain(&rhs).map(|(k, _)| *k).collect();
    keys.sort();
    Relation {
        rule,
        place,
        lhs,
        rhs,
        keys,
        style,
        sum_name,
    }
}

static RELATIONS: LazyLock<Vec<Relation>> = LazyLock::new(build_relations);

/// Every relation the tables print, in a fixed order.
pub(crate) fn relations() -> &'static [Relation] {
    &RELATIONS
}

fn build_relations() -> Vec<Relation> {
    let mut out = Vec::new();
    for (c, col) in REQUESTS_COLS.iter().enumerate() {
        out.push(relation(
            BALANCE,
            format!("表三「{}」列", col.label),
            vec![
                (
                    CellKey::requests(Req::New.index(), c),
                    "本年新收".to_owned(),
                ),
                (
                    CellKey::requests(Req::CarriedOver.index(), c),
                    "上年结转".to_owned(),
                ),
            ],
            vec![
                (
                    CellKey::requests(Req::Total.index(), c),
                    "办理结果总计".to_owned(),
                ),
                (
                    CellKey::requests(Req::CarryForward.index(), c),
                    "结转下年度".to_owned(),
                ),
            ],
            Style::Full,
            "",
        ));
    }
    for (c, col) in REQUESTS_COLS.iter().enumerate() {
        out.push(relation(
            RESULTS_SUM,
            format!("表三「{}」列", col.label),
            vec![(
                CellKey::requests(Req::Total.index(), c),
                "办理结果总计".to_owned(),
            )],
            Req::RESULTS
                .map(|r| (CellKey::requests(r, c), requests_row_name(r).to_owned()))
                .collect(),
            Style::SparseSum,
            "各项办理结果之和",
        ));
    }
    for r in 0..REQUESTS_ROWS.len() {
        out.push(relation(
            ROW_SUM,
            format!("表三「{}」行", requests_row_name(r)),
            vec![(
                CellKey::requests(r, ReqCol::Total.index()),
                "总计".to_owned(),
            )],
            REQUESTS_COLS[ReqCol::APPLICANTS]
                .iter()
                .enumerate()
                .map(|(c, col)| (CellKey::requests(r, c), col.label.to_owned()))
                .collect(),
            Style::Full,
            "",
        ));
    }
    for (g, group) in APPEALS_GROUPS.iter().enumerate() {
        let place = if group.parent.is_empty() {
            format!("表四「{}」", group.label)
        } else {
            format!("表四「{}·{}」", group.parent, group.label)
        };
        out.push(relation(
            GROUP_SUM,
            place,
            vec![(
                CellKey::appeals(g, AppealCol::Total.index()),
                "总计".to_owned(),
            )],
            APPEALS_COLS[..AppealCol::Total.index()]
                .iter()
                .enumerate()
                .map(|(c, col)| (CellKey::appeals(g, c), col.label.to_owned()))
                .collect(),
            Style::Full,
            "",
        ));
    }
    out
}

/// The state of one relation on a report.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Outcome {
    /// Every input is a number and the two sides agree.
    Holds,
    /// Every input is a number and the sides differ: `lhs`, `rhs`.
    Broken(f64, f64),
    /// Some input is not a number.
    Uncertain,
    /// The table was not found: nothing to say beyond that.
    Skipped,
}

/// Evaluates a relation with the numbers `value` gives for its cells.
pub(crate) fn evaluate(
    ctx: &Ctx,
    rel: &Relation,
    value: &dyn Fn(CellKey) -> Option<f64>,
) -> Outcome {
    let mut sides = [0.0f64; 2];
    let mut uncertain = false;
    for (side, terms) in [&rel.lhs, &rel.rhs].into_iter().enumerate() {
        for (key, _) in terms {
            if ctx.trouble(*key) == Trouble::TableMissing {
                return Outcome::Skipped;
            }
            match value(*key) {
                Some(v) => sides[side] += v,
                None => uncertain = true,
            }
        }
    }
    if uncertain {
        Outcome::Uncertain
    } else if same(sides[0], sides[1]) {
        Outcome::Holds
    } else {
        Outcome::Broken(sides[0], sides[1])
    }
}

/// Runs the arithmetic rules.
pub(crate) fn check(ctx: &Ctx, out: &mut Vec<Finding>) {
    let value = |k: CellKey| ctx.value(k);
    let mut broken_relations = Vec::new();
    for (i, rel) in RELATIONS.iter().enumerate() {
        match evaluate(ctx, rel, &value) {
            Outcome::Holds | Outcome::Skipped => {}
            Outcome::Broken(l, r) => {
                broken_relations.push(i);
                out.push(broken(ctx, rel, l, r));
            }
            Outcome::Uncertain => out.push(uncertain(ctx, rel)),
        }
    }
    if !broken_relations.is_empty() {
        shifted(ctx, &broken_relations, out);
    }
}

/// `本年新收(7) + 上年结转(0)`.
fn side_text(ctx: &Ctx, terms: &[(CellKey, String)]) -> String {
    terms_text(ctx, terms.iter()).0
}

/// The terms as `label(value)`, joined by ` + ` into one string, and how many there were.
fn terms_text<'a>(
    ctx: &Ctx,
    terms: impl Iterator<Item = &'a (CellKey, String)>,
) -> (String, usize) {
    let mut text = String::with_capacity(128);
    let mut count = 0;
    for (k, label) in terms {
        if count > 0 {
            text.push_str(" + ");
        }
        text.push_str(label);
        text.push('(');
        text.push_str(&ctx.shown(*k));
        text.push(')');
        count += 1;
    }
    (text, count)
}

/// The terms of a sparse sum that are blank or not zero.
fn nonzero_terms<'a>(
    ctx: &'a Ctx,
    rel: &'a Relation,
) -> impl Iterator<Item = &'a (CellKey, String)> + 'a {
    rel.rhs
        .iter()
        .filter(|(k, _)| ctx.value(*k).is_none_or(|v| v != 0.0))
}

/// `各项办理结果之和 5（予以公开 3 + 本机关不掌握相关政府信息 2）`.
fn sparse_sum_text(ctx: &Ctx, rel: &Relation, sum: f64) -> String {
    let (nonzero, count) = terms_text(ctx, nonzero_terms(ctx, rel));
    if count == 0 {
        format!("{}({})，各项均为 0", rel.sum_name, format_number(sum))
    } else {
        format!("{}({}) = {nonzero}", rel.sum_name, format_number(sum))
    }
}

/// The right-hand side of an uncertain sparse sum: its blank and non-zero terms only.
fn sparse_terms_text(ctx: &Ctx, rel: &Relation) -> String {
    let (shown, count) = terms_text(ctx, nonzero_terms(ctx, rel));
    if count == rel.rhs.len() {
        shown
    } else {
        format!("{shown}（其余各项为 0）")
    }
}

fn formula(ctx: &Ctx, rel: &Relation, op: &str, rhs_sum: Option<f64>) -> String {
    match (rel.style, rhs_sum) {
        (Style::SparseSum, None) => format!(
            "{} {op} {}",
            side_text(ctx, &rel.lhs),
            sparse_terms_text(ctx, rel)
        ),
        (Style::SparseSum, Some(sum)) => format!(
            "{} {op} {}",
            side_text(ctx, &rel.lhs),
            sparse_sum_text(ctx, rel, sum)
        ),
        _ => {
            let rhs = side_text(ctx, &rel.rhs);
            match rhs_sum {
                Some(sum) if rel.rhs.len() > 2 => {
                    format!(
                        "{} {op} {rhs} = {}",
                        side_text(ctx, &rel.lhs),
                        format_number(sum)
                    )
                }
                _ => format!("{} {op} {rhs}", side_text(ctx, &rel.lhs)),
            }
        }
    }
}

fn broken(ctx: &Ctx, rel: &Relation, lhs: f64, rhs: f64) -> Finding {
    let doubtful = rel.keys.iter().any(|k| ctx.trouble(*k) == Trouble::Row);
    let (severity, cause, note) = if doubtful {
        (
            Severity::Warning,
            Cause::Extraction,
            "；该行读取时数值个数与栏数不符，可能是读取错位",
        )
    } else {
        (Severity::Error, Cause::Source, "")
    };
    let diff = lhs - rhs;
    let message = format!(
        "{}：{}（相差 {}）{note}",
        rel.place,
        formula(ctx, rel, "≠", Some(rhs)),
        format_number(diff.abs())
    );
    // For a sum, the printed total is what was found and the sum of its parts is expected.
    let (expected, found) = if rel.lhs.len() == 1 {
        (rhs, lhs)
    } else {
        (lhs, rhs)
    };
    Finding::new(rel.rule, severity, rel.keys.clone(), message, cause)
        .numbers(Some(expected), Some(found))
        .at(ctx.span_of(&rel.keys))
}

fn uncertain(ctx: &Ctx, rel: &Relation) -> Finding {
    let unknown: Vec<CellKey> = rel
        .lhs
        .iter()
        .chain(&rel.rhs)
        .map(|(k, _)| *k)
        .filter(|k| ctx.value(*k).is_none())
        .collect();
    let named: Vec<String> = unknown
        .iter()
        .map(|k| format!("「{}」为{}", k.label(), ctx.shown(*k)))
        .collect();
    let known = |terms: &[(CellKey, String)]| -> f64 {
        terms.iter().filter_map(|(k, _)| ctx.value(*k)).sum()
    };
    let (lhs, rhs) = (known(&rel.lhs), known(&rel.rhs));
    let mut expected = None;
    let hint = if let [only] = unknown.as_slice() {
        let on_left = rel.lhs.iter().any(|(k, _)| k == only);
        let needed = if on_left { rhs - lhs } else { lhs - rhs };
        if needed < -1e-6 {
            "；即使该格为 0，等式也不成立".to_owned()
        } else {
            expected = Some(needed);
            format!("；若该格为 {}，则等式成立", format_number(needed))
        }
    } else if same(lhs, rhs) {
        "；若这些格均为 0，则等式成立".to_owned()
    } else {
        String::new()
    };
    let message = format!(
        "{}：无法核对 {}，因为{}{hint}。空白、“/”等不等于 0，请核对原文",
        rel.place,
        formula(ctx, rel, "=", None),
        named.join("，")
    );
    let rule = format!("{}{UNCERTAIN}", rel.rule);
    let cause = if unknown.iter().any(|k| ctx.trouble(*k) == Trouble::Row) {
        Cause::Extraction
    } else {
        Cause::Source
    };
    Finding::new(&rule, Severity::Warning, rel.keys.clone(), message, cause)
        .numbers(expected, None)
        .at(ctx.span_of(&unknown).or(ctx.span_of(&rel.keys)))
}

/// Pairs of neighbouring cells a value may have slipped between: table 三 left/right and
/// up/down, table 四 left/right along its printed row of 15.
fn neighbour_pairs() -> impl Iterator<Item = (CellKey, CellKey)> {
    let rows = REQUESTS_ROWS.len();
    let cols = REQUESTS_COLS.len();
    let horizontal = (0..rows).flat_map(move |r| {
        (0..cols - 1).map(move |c| (CellKey::requests(r, c), CellKey::requests(r, c + 1)))
    });
    let vertical = (0..rows - 1).flat_map(move |r| {
        (0..cols).map(move |c| (CellKey::requests(r, c), CellKey::requests(r + 1, c)))
    });
    let appeals = TableId::Appeals.keys().zip(TableId::Appeals.keys().skip(1));
    horizontal.chain(vertical).chain(appeals)
}

/// Looks for the one move of a value into a neighbouring zero cell that makes every broken
/// relation (`broken_before`, indices in [`RELATIONS`]) hold and breaks none that held.
fn shifted(ctx: &Ctx, broken_before: &[usize], out: &mut Vec<Finding>) {
    let mut candidates = Vec::new();
    for (a, b) in neighbour_pairs() {
        let (Some(va), Some(vb)) = (ctx.value(a), ctx.value(b)) else {
            continue;
        };
        // A move puts a value into a cell that holds 0.
        let (from, to, v) = match (va == 0.0, vb == 0.0) {
            (false, true) => (a, b, va),
            (true, false) => (b, a, vb),
            _ => continue,
        };
        let touches_broken = broken_before
            .iter()
            .any(|&i| RELATIONS[i].keys.contains(&from) || RELATIONS[i].keys.contains(&to));
        if !touches_broken {
            continue;
        }
        let moved = |k: CellKey| {
            if k == from {
                Some(0.0)
            } else if k == to {
                Some(v)
            } else {
                ctx.value(k)
            }
        };
        let all_hold = RELATIONS
            .iter()
            .all(|rel| !matches!(evaluate(ctx, rel, &moved), Outcome::Broken(..)));
        if all_hold {
            candidates.push((from, to, v));
        }
    }
    // Only an unambiguous move is worth reporting.
    if let [(from, to, v)] = candidates.as_slice() {
        let fixed: Vec<&str> = broken_before
            .iter()
            .map(|&i| RELATIONS[i].place.as_str())
            .collect();
        let mut places = fixed.clone();
        places.dedup();
        let doubtful = ctx.trouble(*from) == Trouble::Row || ctx.trouble(*to) == Trouble::Row;
        let cause = if doubtful {
            Cause::Extraction
        } else {
            Cause::Source
        };
        let message = format!(
            "疑似填错位置：{}「{}」的 {} 若移到相邻的「{}」（现为 0），{}的勾稽关系即全部成立",
            from.table().label(),
            from.label(),
            format_number(*v),
            to.label(),
            places.join("、")
        );
        let keys = vec![*from, *to];
        let mut finding = Finding::new(SHIFTED, Severity::Warning, keys.clone(), message, cause)
            .numbers(Some(0.0), Some(*v))
            .at(ctx.span_of(&keys));
        finding.suggestion = Some(Suggestion {
            changes: vec![
                Change {
                    key: *from,
                    value: 0.0,
                },
                Change {
                    key: *to,
                    value: *v,
                },
            ],
            restores: broken_before.len(),
        });
        out.push(finding);
    }
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

    fn rules(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.rule.as_str()).collect()
    }

    // The balance rule passes on a balanced column and fails, with the formula, when broken.
    #[test]
    fn balance_rule() {
        assert!(run(&balanced()).is_empty(), "{:#?}", run(&balanced()));
        let mut e = balanced();
        row(
            &mut e,
            crate::model::Req::CarriedOver,
            [1, 0, 0, 0, 0, 0, 1],
        );
        let f = run(&e);
        let bal: Vec<&Finding> = f.iter().filter(|f| f.rule == BALANCE).collect();
        assert_eq!(bal.len(), 2, "{f:#?}");
        assert_eq!(bal[0].severity, Severity::Error);
        assert_eq!(bal[0].keys[0].name(), "requests.new.natural_person");
        assert!(
            bal[0]
                .message
                .contains("本年新收(7) + 上年结转(1) ≠ 办理结果总计(7) + 结转下年度(0)"),
            "{}",
            bal[0].message
        );
        assert_eq!((bal[0].expected, bal[0].found), (Some(8.0), Some(7.0)));
    }

    // The results-sum rule passes on a balanced column and fails when a result row is off.
    #[test]
    fn results_sum_rule() {
        assert!(run(&balanced()).iter().all(|f| f.rule != RESULTS_SUM));
        let mut e = balanced();
        row(&mut e, crate::model::Req::New, [8, 0, 0, 0, 0, 0, 8]);
        row(&mut e, crate::model::Req::Total, [8, 0, 0, 0, 0, 0, 8]);
        let f = run(&e);
        let sums: Vec<&Finding> = f.iter().filter(|f| f.rule == RESULTS_SUM).collect();
        assert_eq!(sums.len(), 2, "{f:#?}");
        assert_eq!(sums[1].keys[0].name(), "requests.granted.total");
        assert!(
            sums[1].message.contains(
                "办理结果总计(8) ≠ 各项办理结果之和(7) = 予以公开(5) + 本机关不掌握相关政府信息(2)"
            ),
            "{}",
            sums[1].message
        );
        assert_eq!((sums[1].expected, sums[1].found), (Some(7.0), Some(8.0)));
    }

    // The row-sum rule passes on a balanced row and fails when the total is not the sum.
    #[test]
    fn row_sum_rule() {
        assert!(run(&balanced()).iter().all(|f| f.rule != ROW_SUM));
        let mut e = balanced();
        set(&mut e, key("requests.granted.commercial"), "1");
        set(&mut e, key("requests.new.commercial"), "1");
        set(&mut e, key("requests.total.commercial"), "1");
        let f = run(&e);
        let rows: Vec<&Finding> = f.iter().filter(|f| f.rule == ROW_SUM).collect();
        assert_eq!(rows.len(), 3, "{f:#?}");
        assert!(
            rows.iter().any(|r| r.message.contains(
                "表三「予以公开」行：总计(5) ≠ 自然人(5) + 商业企业(1) + 科研机构(0) + 社会公益组织(0) + 法律服务机构(0) + 其他(0) = 6"
            )),
            "{rows:#?}"
        );
    }

    // Table 四's group sum passes when balanced and fails when the total is off.
    #[test]
    fn group_sum_rule() {
        let mut e = zeros();
        set(&mut e, key("appeals.review.upheld"), "1");
        set(&mut e, key("appeals.review.total"), "1");
        assert!(run(&e).is_empty());
        set(&mut e, key("appeals.review.total"), "2");
        let f = run(&e);
        assert_eq!(rules(&f), [GROUP_SUM], "{f:#?}");
        assert!(f[0].message.contains(
            "表四「行政复议」：总计(2) ≠ 结果维持(1) + 结果纠正(0) + 其他结果(0) + 尚未审结(0) = 1"
        ));
    }

    // A blank input makes the relation uncertain (a warning naming the cell), never an error.
    #[test]
    fn blank_makes_relation_uncertain() {
        let mut e = balanced();
        blank(&mut e, key("requests.granted.total"));
        let f = run(&e);
        assert!(f.iter().all(|f| f.severity == Severity::Warning), "{f:#?}");
        assert_eq!(
            rules(&f),
            [
                "requests.results_sum.uncertain",
                "requests.row_sum.uncertain"
            ]
        );
        assert!(
            f[1].message.contains("「予以公开 总计」为空白"),
            "{}",
            f[1].message
        );
        assert!(f[1].message.contains("若该格为 5"), "{}", f[1].message);
        assert_eq!(f[1].expected, Some(5.0));
        // A placeholder is uncertain too, and a balanced relation with numbers gives nothing.
        set(&mut e, key("requests.granted.total"), "/");
        assert_eq!(run(&e).len(), 2);
        set(&mut e, key("requests.granted.total"), "5");
        assert!(run(&e).is_empty());
    }

    // A relation read from a row with the wrong number of values is a warning, not an error.
    #[test]
    fn troubled_row_downgrades_to_warning() {
        use crate::extract::{ExtractionWarning, WarningKind};
        let mut e = balanced();
        set(&mut e, key("requests.granted.total"), "6");
        let r = Req::Granted.index();
        warn(
            &mut e,
            ExtractionWarning {
                kind: WarningKind::TooManyValues {
                    table: TableId::Requests,
                    label: "（一）予以公开".into(),
                    expected: 7,
                    found: 8,
                    extra: vec![],
                },
                keys: (0..7).map(|c| CellKey::requests(r, c)).collect(),
                span: None,
                message: String::new(),
            },
        );
        let f = run(&e);
        assert!(!f.is_empty());
        assert!(f.iter().all(|f| f.severity == Severity::Warning), "{f:#?}");
        assert!(f.iter().all(|f| f.cause == Cause::Extraction));
    }

    // A value typed one column to the right is found: moving it back makes everything hold.
    #[test]
    fn shifted_value_is_found() {
        let mut e = balanced();
        // 5 granted to natural persons typed under 商业企业.
        set(&mut e, key("requests.granted.natural_person"), "0");
        set(&mut e, key("requests.granted.commercial"), "5");
        let f = run(&e);
        let shift: Vec<&Finding> = f.iter().filter(|f| f.rule == SHIFTED).collect();
        assert_eq!(shift.len(), 1, "{f:#?}");
        assert_eq!(
            shift[0].keys.iter().map(|k| k.name()).collect::<Vec<_>>(),
            [
                "requests.granted.commercial",
                "requests.granted.natural_person"
            ]
        );
        assert!(
            shift[0]
                .message
                .contains("「予以公开 商业企业」的 5 若移到相邻的「予以公开 自然人」")
        );
        // A plain wrong total is not mistaken for a shift.
        let mut e = balanced();
        set(&mut e, key("requests.total.total"), "9");
        assert!(run(&e).iter().all(|f| f.rule != SHIFTED));
    }

    // A value typed one row down is found too.
    #[test]
    fn value_in_wrong_row_is_found() {
        let mut e = balanced();
        row(&mut e, crate::model::Req::New, [5, 2, 0, 0, 0, 0, 7]);
        row(&mut e, crate::model::Req::Total, [5, 2, 0, 0, 0, 0, 7]);
        // 予以公开 was 3 natural persons + 2 companies; the 3 slipped one row down.
        row(&mut e, crate::model::Req::Granted, [0, 2, 0, 0, 0, 0, 5]);
        set(&mut e, key("requests.partial.natural_person"), "3");
        let f = run(&e);
        let shift: Vec<&Finding> = f.iter().filter(|f| f.rule == SHIFTED).collect();
        assert_eq!(shift.len(), 1, "{f:#?}");
        assert_eq!(shift[0].keys[1].name(), "requests.granted.natural_person");
    }

    // A missing table gives no relation findings (the extraction finding covers it).
    #[test]
    fn missing_table_is_skipped() {
        let mut e = zeros();
        e.tables.retain(|t| t.table != TableId::Requests);
        for k in TableId::Requests.keys() {
            blank(&mut e, k);
        }
        assert!(run(&e).is_empty());
    }
}
