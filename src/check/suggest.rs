//! The suggested fix for broken relations: the smallest change of printed numbers that makes
//! them hold again and breaks none that holds.
//!
//! First one cell: a cell is a candidate when every relation it takes part in that can be
//! evaluated is broken, and all of them want the same new number for it (a count stays a whole
//! number ≥ 0). A candidate is suggested only when no other candidate explains as many of the
//! same broken relations — two cells that explain it equally give no suggestion. Then a pair:
//! two cells of one table whose values, swapped, restore the remaining broken relations they
//! take part in and break none (digits typed into the neighbouring column). A value moved
//! into a neighbouring zero cell is `value.shifted`'s own suggestion.
//!
//! A suggested cell becomes one finding (`value.suspect`, `value.swapped`) that carries the
//! suggestion and covers the relation findings it explains. Relations with a cell the reader
//! had trouble with are left alone: no fix is computed from doubtful cells.

use super::arithmetic::is_relation;
use super::arithmetic::{self, Outcome, Relation, UNCERTAIN};
use super::{
    Cause, Change, Covered, Ctx, Finding, Severity, Suggestion, Trouble, format_number, same,
    sort_findings,
};
use crate::extract::WarningKind;
use crate::model::{CellKey, REQUESTS_COLS, parse_number};
use std::collections::BTreeSet;

/// Rule: one cell that, changed, makes every broken relation it is in hold.
pub const SUSPECT: &str = "value.suspect";
/// Rule: two cells that, swapped, make every broken relation they are in hold.
pub const SWAPPED: &str = "value.swapped";

/// Cells worth a pair search at most: beyond that the relations are too broken for a swap to
/// be the explanation (and the search stays small).
const MAX_PAIR_CELLS: usize = 60;

/// One cell's change and the broken relations (indices) it restores.
struct Candidate {
    changes: Vec<Change>,
    restores: Vec<usize>,
}

/// Adds the suggestions and folds the relation findings they explain.
pub(crate) fn suggest(ctx: &Ctx, out: &mut Vec<Finding>) {
    // Only a broken relation asks for a fix; most reports have none.
    if !out
        .iter()
        .any(|f| is_relation(&f.rule) && !f.rule.ends_with(UNCERTAIN))
    {
        return;
    }
    let rels = arithmetic::relations();
    let plain = |k: CellKey| ctx.value(k);
    let outcomes: Vec<Outcome> = rels
        .iter()
        .map(|rel| {
            if rel.keys.iter().any(|k| ctx.trouble(*k) != Trouble::None) {
                Outcome::Uncertain
            } else {
                arithmetic::evaluate(ctx, rel, &plain)
            }
        })
        .collect();
    let broken: Vec<usize> = (0..rels.len())
        .filter(|&i| matches!(outcomes[i], Outcome::Broken(..)))
        .collect();
    if broken.is_empty() {
        return;
    }
    let suspects: BTreeSet<CellKey> = broken
        .iter()
        .flat_map(|&i| rels[i].keys.iter().copied())
        .filter(|k| ctx.trouble(*k) == Trouble::None && ctx.value(*k).is_some())
        .collect();
    let singles: Vec<Candidate> = suspects
        .iter()
        .filter_map(|&k| single(ctx, rels, &outcomes, k))
        .collect();
    let mut chosen = unambiguous(singles);
    let explained: BTreeSet<usize> = chosen.iter().flat_map(|c| c.restores.clone()).collect();
    let rest: Vec<usize> = broken
        .iter()
        .copied()
        .filter(|i| !explained.contains(i))
        .collect();
    let shifted = out.iter().any(|f| f.rule == arithmetic::SHIFTED);
    if rest.len() >= 2 && !shifted {
        let cells: Vec<CellKey> = suspects
            .iter()
            .copied()
            .filter(|k| rest.iter().any(|&i| rels[i].keys.contains(k)))
            .collect();
        if cells.len() <= MAX_PAIR_CELLS {
            chosen.extend(unambiguous(pairs(ctx, rels, &outcomes, &cells)));
        }
    }
    if chosen.is_empty() {
        return;
    }
    for candidate in chosen {
        let finding = explain(ctx, rels, &candidate, out);
        out.push(finding);
    }
    sort_findings(out);
}

/// The one new number for `key` that every evaluable relation it is in asks for, when all of
/// them are broken.
fn single(ctx: &Ctx, rels: &[Relation], outcomes: &[Outcome], key: CellKey) -> Option<Candidate> {
    let current = ctx.value(key)?;
    let mut wanted: Option<f64> = None;
    let mut restores = Vec::new();
    for (i, rel) in rels.iter().enumerate() {
        if !rel.keys.contains(&key) {
            continue;
        }
        match outcomes[i] {
            Outcome::Holds => return None,
            Outcome::Broken(lhs, rhs) => {
                let on_left = rel.lhs.iter().any(|(k, _)| *k == key);
                let v = if on_left {
                    current + (rhs - lhs)
                } else {
                    current + (lhs - rhs)
                };
                match wanted {
                    None => wanted = Some(v),
                    Some(w) if same(w, v) => {}
                    Some(_) => return None,
                }
                restores.push(i);
            }
            Outcome::Uncertain | Outcome::Skipped => {}
        }
    }
    let value = wanted?;
    if value < -1e-6 || (current.fract() == 0.0 && value.fract().abs() > 1e-6) {
        return None;
    }
    Some(Candidate {
        changes: vec![Change { key, value }],
        restores,
    })
}

/// Pairs of cells of one table whose values, swapped, restore every broken relation either is
/// in and break none.
fn pairs(ctx: &Ctx, rels: &[Relation], outcomes: &[Outcome], cells: &[CellKey]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (n, &a) in cells.iter().enumerate() {
        for &b in &cells[n + 1..] {
            let (Some(va), Some(vb)) = (ctx.value(a), ctx.value(b)) else {
                continue;
            };
            if a.table() != b.table() || same(va, vb) {
                continue;
            }
            let swapped = |k: CellKey| {
                if k == a {
                    Some(vb)
                } else if k == b {
                    Some(va)
                } else {
                    ctx.value(k)
                }
            };
            let mut restores = Vec::new();
            let mut fine = true;
            for (i, rel) in rels.iter().enumerate() {
                if !rel.keys.contains(&a) && !rel.keys.contains(&b) {
                    continue;
                }
                if matches!(outcomes[i], Outcome::Uncertain | Outcome::Skipped) {
                    continue;
                }
                let after = arithmetic::evaluate(ctx, rel, &swapped);
                match (outcomes[i], after) {
                    (_, Outcome::Broken(..)) => {
                        fine = false;
                        break;
                    }
                    (Outcome::Broken(..), _) => restores.push(i),
                    _ => {}
                }
            }
            if fine && restores.len() >= 2 {
                out.push(Candidate {
                    changes: vec![Change { key: a, value: vb }, Change { key: b, value: va }],
                    restores,
                });
            }
        }
    }
    out
}

/// The candidates no other candidate rivals: none explains as many relations while sharing
/// one of them.
fn unambiguous(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let keep: Vec<bool> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            !candidates.iter().enumerate().any(|(j, other)| {
                j != i
                    && other.restores.len() >= c.restores.len()
                    && other.restores.iter().any(|r| c.restores.contains(r))
            })
        })
        .collect();
    candidates
        .into_iter()
        .zip(keep)
        .filter_map(|(c, keep)| keep.then_some(c))
        .collect()
}

/// The finding that carries a suggestion; the relation findings it explains (and a narrative
/// figure that witnesses the same number) are taken out of `out` and covered by it.
fn explain(ctx: &Ctx, rels: &[Relation], candidate: &Candidate, out: &mut Vec<Finding>) -> Finding {
    let mut covers = Vec::new();
    let mut places = Vec::new();
    for &i in &candidate.restores {
        let rel = &rels[i];
        places.push(rel.place.as_str());
        if let Some(pos) = out
            .iter()
            .position(|f| f.rule == rel.rule && f.keys == rel.keys)
        {
            covers.push(covered(out.remove(pos)));
        }
    }
    let n = candidate.restores.len();
    let keys: Vec<CellKey> = candidate.changes.iter().map(|c| c.key).collect();
    let (rule, message, expected, found) = match candidate.changes.as_slice() {
        [one] => {
            let mut message = format!(
                "{}「{}」({}) 可能有误：{}的勾稽关系不成立；若改为 {}，这 {n} 个等式即全部成立",
                one.key.table().label(),
                one.key.label(),
                ctx.shown(one.key),
                places.join("、"),
                format_number(one.value)
            );
            // A narrative figure for the same cell that says the suggested number.
            if let Some(pos) = out.iter().position(|f| {
                f.rule.starts_with("narrative.")
                    && f.keys == [one.key]
                    && f.found.is_some_and(|v| same(v, one.value))
            }) {
                message.push_str(&format!("；正文也写作 {}", format_number(one.value)));
                covers.push(covered(out.remove(pos)));
            }
            (SUSPECT, message, Some(one.value), ctx.value(one.key))
        }
        _ => {
            let shown: Vec<String> = candidate
                .changes
                .iter()
                .map(|c| format!("「{}」({})", c.key.label(), ctx.shown(c.key)))
                .collect();
            let message = format!(
                "{}{} 疑似填反：两格对调后，{}的 {n} 个等式即全部成立",
                keys[0].table().label(),
                shown.join("与"),
                places.join("、")
            );
            (SWAPPED, message, None, None)
        }
    };
    let mut finding = Finding::new(rule, Severity::Error, keys.clone(), message, Cause::Source)
        .numbers(expected, found)
        .at(ctx.span_of(&keys));
    finding.covers = covers;
    finding.suggestion = Some(Suggestion {
        changes: candidate.changes.clone(),
        restores: n,
    });
    finding
}

/// A group printed as one combined row: its values put into the first sub-row and the other
/// sub-rows set to 0 (all 0 when the combined row says 0), suggested when that makes every
/// relation the row left unchecked hold.
pub(crate) fn combined_row_fix(ctx: &Ctx, f: &Finding) -> Option<Suggestion> {
    let values = ctx.report.warnings.iter().find_map(|w| match &w.kind {
        WarningKind::CombinedRow { values, .. } if w.keys == f.keys => Some(values),
        _ => None,
    })?;
    let cols = REQUESTS_COLS.len();
    if values.len() != cols || !f.keys.len().is_multiple_of(cols) {
        return None;
    }
    let numbers: Vec<f64> = values
        .iter()
        .map(|v| parse_number(v))
        .collect::<Option<_>>()?;
    let mut keys = f.keys.clone();
    keys.sort();
    let changes: Vec<Change> = keys
        .iter()
        .enumerate()
        .map(|(n, &key)| Change {
            key,
            value: if n < cols { numbers[n] } else { 0.0 },
        })
        .collect();
    let value = |k: CellKey| {
        changes
            .iter()
            .find(|c| c.key == k)
            .map_or_else(|| ctx.value(k), |c| Some(c.value))
    };
    let mut restores = 0;
    for c in &f.covers {
        let rel = arithmetic::relations()
            .iter()
            .find(|r| c.rule.starts_with(r.rule) && r.keys == c.keys)?;
        match arithmetic::evaluate(ctx, rel, &value) {
            Outcome::Holds => restores += 1,
            _ => return None,
        }
    }
    Some(Suggestion { changes, restores })
}

/// A finding as it is listed under its cause.
pub(crate) fn covered(f: Finding) -> Covered {
    Covered {
        rule: f.rule,
        severity: f.severity,
        keys: f.keys,
        message: f.message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::run_checks;
    use crate::check::testing::{key, row, set, zeros};
    use crate::extract::{Extraction, extract};
    use crate::model::{SourceText, TableId};

    fn suggestions(e: &Extraction) -> Vec<Finding> {
        run_checks(e, &SourceText::from_utf8(""), &[])
            .into_iter()
            .filter(|f| f.suggestion.is_some())
            .collect()
    }

    /// A balanced table 三 with applicants in two columns (natural persons and companies),
    /// so that a row holds two different numbers to swap: 7 new, 5 granted, 2 not held.
    fn balanced() -> Extraction {
        let mut e = zeros();
        row(&mut e, crate::model::Req::New, [6, 1, 0, 0, 0, 0, 7]);
        row(&mut e, crate::model::Req::Granted, [4, 1, 0, 0, 0, 0, 5]);
        row(
            &mut e,
            crate::model::Req::UnableNotHeld,
            [2, 0, 0, 0, 0, 0, 2],
        );
        row(&mut e, crate::model::Req::Total, [6, 1, 0, 0, 0, 0, 7]);
        e
    }

    // One mistyped cell: one finding on that cell with its original number, covering the two
    // relations it broke.
    #[test]
    fn one_wrong_cell_is_named_with_its_number() {
        let mut e = balanced();
        set(&mut e, key("requests.granted.natural_person"), "7");
        let all = run_checks(&e, &SourceText::from_utf8(""), &[]);
        let s = suggestions(&e);
        assert_eq!(s.len(), 1, "{s:#?}");
        assert_eq!(s[0].rule, SUSPECT);
        assert_eq!(s[0].keys, vec![key("requests.granted.natural_person")]);
        let fix = s[0]
            .suggestion
            .as_ref()
            .map(|s| (s.changes.clone(), s.restores));
        assert_eq!(
            fix,
            Some((
                vec![Change {
                    key: key("requests.granted.natural_person"),
                    value: 4.0
                }],
                2
            ))
        );
        assert_eq!(s[0].covers.len(), 2);
        assert!(
            all.iter().all(|f| f.rule != arithmetic::ROW_SUM),
            "the broken row sum is folded: {all:#?}"
        );
    }

    // Two cells of one row swapped: one pair suggestion.
    #[test]
    fn swapped_cells_are_one_pair() {
        let mut e = balanced();
        set(&mut e, key("requests.granted.natural_person"), "1");
        set(&mut e, key("requests.granted.commercial"), "4");
        let s = suggestions(&e);
        assert_eq!(s.len(), 1, "{s:#?}");
        assert_eq!(s[0].rule, SWAPPED);
        assert_eq!(s[0].suggestion.as_ref().map(|s| s.changes.len()), Some(2));
    }

    // A 表四 group's total off by one: any of its five cells would do, so no suggestion.
    #[test]
    fn equal_explanations_give_no_suggestion() {
        let mut e = zeros();
        set(&mut e, key("appeals.review.total"), "2");
        assert!(suggestions(&e).is_empty());
    }

    /// Every cell whose change alone makes all relations hold, by brute force. Relations with
    /// a cell on a row the reader had trouble with are not evaluated (no fix is computed from
    /// doubtful cells).
    fn explaining_cells(ctx: &Ctx) -> Vec<CellKey> {
        let rels: Vec<&Relation> = arithmetic::relations()
            .iter()
            .filter(|r| r.keys.iter().all(|k| ctx.trouble(*k) == Trouble::None))
            .collect();
        let plain = |k: CellKey| ctx.value(k);
        let broken: Vec<&Relation> = rels
            .iter()
            .copied()
            .filter(|r| matches!(arithmetic::evaluate(ctx, r, &plain), Outcome::Broken(..)))
            .collect();
        let Some(first) = broken.first() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for &k in &first.keys {
            let Some(current) = ctx.value(k) else {
                continue;
            };
            let Outcome::Broken(l, r) = arithmetic::evaluate(ctx, first, &plain) else {
                continue;
            };
            let on_left = first.lhs.iter().any(|(x, _)| *x == k);
            let v = if on_left {
                current + (r - l)
            } else {
                current + (l - r)
            };
            let changed = |x: CellKey| if x == k { Some(v) } else { ctx.value(x) };
            if rels.iter().all(|rel| {
                !matches!(
                    arithmetic::evaluate(ctx, rel, &changed),
                    Outcome::Broken(..)
                )
            }) {
                out.push(k);
            }
        }
        out
    }

    /// The same text with one byte range replaced.
    fn replaced(text: &str, span: crate::model::Span, with: &str) -> String {
        format!("{}{with}{}", &text[..span.start], &text[span.end..])
    }

    // Fix localisation on the seeds: every number of 表三 and 表四 changed in the text by a few
    // units (and, where it has two different digits, with them swapped); where exactly one
    // cell explains all broken relations, the first suggestion names that cell and its printed
    // number in at least 95 % of the cases.
    #[test]
    fn seeds_mistypes_are_localised() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("seeds")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        assert_eq!(files.len(), 5);
        for path in files {
            let text = std::fs::read_to_string(&path).expect("utf-8 seed");
            let source = SourceText::from_utf8(&text);
            let original = extract(&source);
            let ctx0 = Ctx::new(&original, &source);
            let (mut cases, mut right) = (0usize, 0usize);
            let mut misses = Vec::new();
            for key in TableId::Requests.keys().chain(TableId::Appeals.keys()) {
                let cell = original.cell(key);
                let (Some(v), Some(span)) = (cell.value, cell.span) else {
                    continue;
                };
                if ctx0.trouble(key) != Trouble::None || v.fract() != 0.0 {
                    continue;
                }
                let digits = format!("{}", v as i64);
                let mut variants = vec![format!("{}", v as i64 + 3)];
                let b = digits.as_bytes();
                if b.len() >= 2 && b[0] != b[1] {
                    let mut swapped = b.to_vec();
                    swapped.swap(0, 1);
                    if swapped[0] != b'0' {
                        variants.push(String::from_utf8(swapped).unwrap_or_default());
                    }
                }
                for variant in variants {
                    let source = SourceText::from_utf8(replaced(&text, span, &variant));
                    let e = extract(&source);
                    let ctx = Ctx::new(&e, &source);
                    if explaining_cells(&ctx) != [key] {
                        continue;
                    }
                    cases += 1;
                    let findings = run_checks(&e, &source, &[]);
                    let top = findings.iter().find_map(|f| f.suggestion.as_ref());
                    let wanted = [Change { key, value: v }];
                    if top.is_some_and(|s| s.changes == wanted) {
                        right += 1;
                    } else {
                        misses.push(format!("{} {digits}→{variant}", key.name()));
                    }
                }
            }
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            eprintln!(
                "{}: {right}/{cases} mistypes localised",
                name.unwrap_or_default()
            );
            assert!(cases > 0, "{path:?}: no case");
            assert!(
                right * 100 >= cases * 95,
                "{path:?}: {right}/{cases} localised; missed {misses:?}"
            );
        }
    }
}
