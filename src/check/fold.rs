//! One finding per cause. After every rule has run, findings that are only consequences of
//! another finding are folded under it (its `covers`), so the reviewer decides once:
//! - a relation that cannot be checked because of blank, placeholder or word cells goes under
//!   the finding that reports those cells (a blank run, a blank row, a placeholder);
//! - a relation that cannot be checked or does not hold on a row the reader had trouble with
//!   (too many or too few values, a combined row, a row not found) goes under that extraction
//!   finding, and so does a narrative figure compared with a cell of that row;
//! - the broken relations a shifted value explains go under `value.shifted`.
//!
//! A finding is folded only when every cell that makes it uncertain (or doubtful) belongs to
//! some cause; it goes under the cause of its first such cell. The cause keeps the more serious
//! severity and says in its message how many relations it leaves unchecked.

use super::arithmetic::{SHIFTED, UNCERTAIN, is_relation};
use super::suggest::{combined_row_fix, covered};
use super::values::{BLANK, BLANK_RUN, PLACEHOLDER, TEXT};
use super::warnings::COMBINED_ROW;
use super::{Cause, Ctx, Finding, Trouble};
use crate::model::CellKey;

/// Places listed in a cause's message at most; the rest are counted.
const MAX_PLACES: usize = 4;

/// True for findings that report the state of cells and can be the cause of others.
fn is_cause(f: &Finding) -> bool {
    !f.keys.is_empty()
        && ([BLANK, BLANK_RUN, PLACEHOLDER, TEXT].contains(&f.rule.as_str())
            || f.rule.starts_with("extract."))
}

/// The cells that make a relation finding uncertain or doubtful: its cells with no number,
/// and those on rows the reader had trouble with. Empty for a clean broken relation.
fn culprits(ctx: &Ctx, f: &Finding) -> Vec<CellKey> {
    f.keys
        .iter()
        .copied()
        .filter(|k| ctx.value(*k).is_none() || ctx.trouble(*k) != Trouble::None)
        .collect()
}

/// Folds consequences under their causes; `out` keeps its order.
pub(crate) fn fold(ctx: &Ctx, out: &mut Vec<Finding>) {
    let mut target: Vec<Option<usize>> = vec![None; out.len()];
    let shifted = out.iter().position(|f| f.rule == SHIFTED);
    for (i, f) in out.iter().enumerate() {
        // A narrative figure compared with a doubtful reading goes under the row's finding.
        let doubtful_narrative = f.rule.starts_with("narrative.") && f.cause == Cause::Extraction;
        if !is_relation(&f.rule) && !doubtful_narrative {
            continue;
        }
        let uncertain = f.rule.ends_with(UNCERTAIN);
        let doubtful = f.cause == Cause::Extraction;
        if !uncertain && !doubtful {
            // A clean broken relation stays on its own unless a shifted value explains it.
            target[i] = shifted;
            continue;
        }
        let cells = culprits(ctx, f);
        if cells.is_empty() {
            continue;
        }
        let cause_of = |k: CellKey| {
            out.iter()
                .position(|c| is_cause(c) && c.keys.contains(&k))
                .filter(|&j| j != i)
        };
        if cells.iter().all(|k| cause_of(*k).is_some()) {
            target[i] = cause_of(cells[0]);
        }
    }
    if target.iter().all(Option::is_none) {
        return;
    }
    let mut kept: Vec<(usize, Finding)> = Vec::with_capacity(out.len());
    let mut moved: Vec<(usize, Finding)> = Vec::new();
    for (i, f) in out.drain(..).enumerate() {
        match target[i] {
            Some(j) => moved.push((j, f)),
            None => kept.push((i, f)),
        }
    }
    let targets: Vec<usize> = moved.iter().map(|(j, _)| *j).collect();
    for (j, f) in moved {
        if let Some((_, cause)) = kept.iter_mut().find(|(i, _)| *i == j) {
            cause.severity = cause.severity.min(f.severity);
            cause.covers.push(covered(f));
        }
    }
    for (i, f) in &mut kept {
        if f.rule != SHIFTED && targets.contains(i) {
            f.message.push_str(&consequence(f));
            if f.rule == COMBINED_ROW {
                f.suggestion = combined_row_fix(ctx, f);
            }
        }
    }
    out.extend(kept.into_iter().map(|(_, f)| f));
}

/// `；因此无法核对的等式 N 个：表三「商业企业」列、…`, from the places the covered messages start
/// with.
fn consequence(f: &Finding) -> String {
    let mut places: Vec<&str> = Vec::new();
    for c in &f.covers {
        let place = c.message.split_once('：').map_or("", |(p, _)| p);
        if !place.is_empty() && !places.contains(&place) {
            places.push(place);
        }
    }
    let broken = f.covers.iter().any(|c| !c.rule.ends_with(UNCERTAIN));
    let relations = f.covers.iter().all(|c| is_relation(&c.rule));
    let what = match (broken, relations) {
        (false, true) => "因此无法核对的等式",
        (true, true) => "因此无法核对或不成立的等式",
        (_, false) => "因此无法核对或存疑的比较",
    };
    let mut listed = places
        .iter()
        .take(MAX_PLACES)
        .copied()
        .collect::<Vec<_>>()
        .join("、");
    if places.len() > MAX_PLACES {
        listed.push_str(&format!(" 等 {} 处", places.len()));
    }
    format!("；{what} {} 个：{listed}", f.covers.len())
}
