//! 历年对照: one body's reports of several years side by side. For each of the 200 cells the
//! value per year, whether it changed and where it jumped; the continuity between consecutive
//! years (结转 and the stock of 现行有效, the same relations as the `years.*` rules); and the
//! narrative paragraphs a later report copied from the year before, with the numbers in them
//! that still carry last year's figures. Pure: extractions and texts in, spans out.

use super::years::{StockLink, carry_links, of_year, stock_links};
use super::{Cause, Ctx, Finding, OtherYear, Severity, format_number, same};
use crate::extract::Extraction;
use crate::model::{ACTIVE_ROWS, Cell, CellKey, DocCol, REQUESTS_COLS, SourceText, Span};
use std::collections::{BTreeSet, HashMap};

/// A jump is a change by this factor or more, either way.
pub const JUMP_RATIO: f64 = 5.0;
/// …where the larger of the two numbers is at least this. It keeps 0 → 1 or 1 → 5 from being
/// jumps: small counts swing by large factors every year and mean nothing.
pub const JUMP_FLOOR: f64 = 10.0;
/// Two paragraphs are the same text when this share of their characters (digits and white
/// space removed) survives an edit distance: 0.9 allows a changed word or two in a sentence.
pub const COPY_SIMILARITY: f64 = 0.9;
/// Lines shorter than this (after removing digits and white space) are headings or labels, not
/// paragraphs: every report repeats them.
const MIN_PARAGRAPH_CHARS: usize = 20;
/// Paragraphs longer than this are compared exactly only: the edit distance costs
/// length × 10 % of length per pair.
const MAX_FUZZY_CHARS: usize = 1_000;
/// At most this many edit distances per pair of years, so that a long report with many
/// paragraphs of similar length costs a bounded time.
const MAX_FUZZY_PAIRS: usize = 400;
/// Paragraphs read per report at most.
const MAX_PARAGRAPHS: usize = 2_000;
/// Cells listed for one stale number at most.
const MAX_STALE_KEYS: usize = 6;
/// What follows a count in the narrative. A number followed by anything else (a year, a date,
/// a document number, a percentage) is not compared with the tables.
const COUNT_UNITS: [&str; 16] = [
    "万元", "件", "条", "宗", "起", "个", "次", "项", "篇", "场", "份", "家", "人", "期", "部",
    "元",
];

/// One report of the body for one year: its effective cells (corrections applied) and its text.
#[derive(Clone, Copy, Debug)]
pub struct YearReport<'a> {
    /// The report year.
    pub year: i32,
    /// The extraction with the reviewer's corrections applied.
    pub extraction: &'a Extraction,
    /// The text the extraction's spans index.
    pub source: &'a SourceText,
}

impl<'a> YearReport<'a> {
    fn side(&self) -> Side<'a> {
        Side {
            extraction: self.extraction,
            text: &self.source.text,
        }
    }
}

/// A report as the paragraph comparison reads it: cells and text.
#[derive(Clone, Copy)]
pub(crate) struct Side<'a> {
    /// The corrected cells.
    pub extraction: &'a Extraction,
    /// The text the spans index.
    pub text: &'a str,
}

/// The comparison of one body's years.
#[derive(Clone, Debug, PartialEq)]
pub struct YearsComparison {
    /// The years compared, ascending, each once.
    pub years: Vec<i32>,
    /// The 200 cells in canonical order.
    pub cells: Vec<CellHistory>,
    /// The continuity relations of every pair of consecutive years.
    pub continuity: Vec<Continuity>,
    /// Paragraphs of a year copied from the year before it (in `years`).
    pub copied: Vec<CopiedParagraph>,
}

/// One cell across the years.
#[derive(Clone, Debug, PartialEq)]
pub struct CellHistory {
    /// The cell.
    pub key: CellKey,
    /// The cell as printed (or corrected) in each year, in the order of `years`.
    pub cells: Vec<Cell>,
    /// From each year to the next: `steps[i]` goes from `years[i]` to `years[i + 1]`.
    pub steps: Vec<Step>,
}

impl CellHistory {
    /// True when the cell differs between any two neighbouring years.
    pub fn changed(&self) -> bool {
        self.steps.iter().any(|s| s.changed)
    }

    /// True when the cell jumps between any two neighbouring years.
    pub fn jumped(&self) -> bool {
        self.steps.iter().any(|s| s.jump)
    }
}

/// From one year to the next.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Step {
    /// The printed value differs (a number, or blank / placeholder / text).
    pub changed: bool,
    /// Both are numbers and one is [`JUMP_RATIO`] times the other (see [`is_jump`]).
    pub jump: bool,
}

/// Which continuity relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// 结转下年度 of the earlier year = 上年结转 of the later, in one column of 表三.
    Carry {
        /// Column of 表三.
        col: usize,
    },
    /// 现行有效 of the earlier year + 制发 − 废止 of the later = 现行有效 of the later, in one row
    /// of 表二.
    Stock {
        /// Row of 表二.
        row: usize,
    },
}

/// One continuity relation between two consecutive years.
#[derive(Clone, Debug, PartialEq)]
pub struct Continuity {
    /// Index in `years` of the earlier year; the later is the next one.
    pub earlier: usize,
    /// Which relation.
    pub relation: Relation,
    /// Its cells in the earlier report.
    pub earlier_keys: Vec<CellKey>,
    /// Its cells in the later report.
    pub later_keys: Vec<CellKey>,
    /// What the earlier year says the later cell should be, when computable.
    pub expected: Option<f64>,
    /// What the later report prints.
    pub found: Option<f64>,
    /// Where the earlier cells are in the earlier source.
    pub earlier_span: Option<Span>,
    /// Where the later cells are in the later source.
    pub later_span: Option<Span>,
}

impl Continuity {
    /// `found − expected`, when both are numbers.
    pub fn difference(&self) -> Option<f64> {
        Some(self.found? - self.expected?)
    }

    /// True when both sides are numbers and differ.
    pub fn broken(&self) -> bool {
        self.difference().is_some_and(|d| !same(d, 0.0))
    }

    /// A Chinese name of the relation, e.g. `表三「自然人」列 结转下年度 → 上年结转`.
    pub fn label(&self) -> String {
        match self.relation {
            Relation::Carry { col } => format!(
                "表三「{}」列 结转下年度 → 上年结转",
                REQUESTS_COLS.get(col).map_or("", |c| c.label)
            ),
            Relation::Stock { row } => format!(
                "表二「{}」 现行有效 + 制发 − 废止",
                ACTIVE_ROWS.get(row).map_or("", |r| r.label)
            ),
        }
    }
}

/// A paragraph of a later year that is (nearly) the same text as one of the year before.
#[derive(Clone, Debug, PartialEq)]
pub struct CopiedParagraph {
    /// Index in `years` of the earlier year; the later is the next one.
    pub earlier: usize,
    /// The paragraph in the earlier source.
    pub earlier_span: Span,
    /// The paragraph in the later source.
    pub later_span: Span,
    /// 1.0 for the same characters (digits and white space aside), down to [`COPY_SIMILARITY`].
    pub similarity: f64,
    /// Numbers copied unchanged that equal a table value of the earlier year which changed.
    pub stale: Vec<StaleNumber>,
}

/// A number a later paragraph copied from the year before, equal to the earlier year's value
/// of cells whose value has since changed.
#[derive(Clone, Debug, PartialEq)]
pub struct StaleNumber {
    /// The number.
    pub value: f64,
    /// Where it is in the earlier source.
    pub earlier_span: Span,
    /// Where it is in the later source.
    pub later_span: Span,
    /// The sentence around it in the later source.
    pub sentence: Span,
    /// The cells that held this number in the earlier year and another one in the later.
    pub keys: Vec<CellKey>,
}

/// True when going from `a` to `b` (either way) multiplies by [`JUMP_RATIO`] or more and the
/// larger is at least [`JUMP_FLOOR`]; from 0, reaching the floor is a jump.
pub fn is_jump(a: f64, b: f64) -> bool {
    let (lo, hi) = (a.min(b), a.max(b));
    if hi.is_nan() || hi < JUMP_FLOOR {
        return false;
    }
    lo <= 0.0 || hi / lo >= JUMP_RATIO
}

/// True when two cells print different things: different numbers, or (for cells without a
/// number) a different kind or text.
pub fn cells_differ(a: &Cell, b: &Cell) -> bool {
    match (a.value, b.value) {
        (Some(x), Some(y)) => !same(x, y),
        (None, None) => {
            a.kind() != b.kind()
                || a.raw.as_deref().map(str::trim) != b.raw.as_deref().map(str::trim)
        }
        _ => true,
    }
}

/// The name a body is grouped by: the agency with white space removed and full-width brackets
/// made ASCII, so that line breaks and bracket styles in titles do not split a body's years.
pub fn body_name(agency: &str) -> Option<String> {
    let name: String = agency
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The body a report is by, for grouping its years ([`body_name`] of its agency).
pub fn body_of(extraction: &Extraction) -> Option<String> {
    extraction.agency.as_deref().and_then(body_name)
}

/// Bodies the reviewer said are the same although their names differ (a renamed office, a
/// title read differently). Names are [`body_name`]s; linking is transitive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BodyLinks {
    pairs: BTreeSet<(String, String)>,
}

impl BodyLinks {
    /// Records that `a` and `b` are one body.
    pub fn link(&mut self, a: &str, b: &str) {
        if a != b {
            let (x, y) = if a < b { (a, b) } else { (b, a) };
            self.pairs.insert((x.to_owned(), y.to_owned()));
        }
    }

    /// True when no link was made.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The name standing for `name`'s whole group: the smallest name linked to it, directly
    /// or through others (`name` itself when unlinked).
    pub fn body(&self, name: &str) -> String {
        let mut seen: BTreeSet<&str> = BTreeSet::from([name]);
        let mut todo = vec![name];
        while let Some(n) = todo.pop() {
            for (a, b) in &self.pairs {
                let other = if a == n {
                    b.as_str()
                } else if b == n {
                    a.as_str()
                } else {
                    continue;
                };
                if seen.insert(other) {
                    todo.push(other);
                }
            }
        }
        seen.first()
            .map_or_else(|| name.to_owned(), |s| (*s).to_owned())
    }

    /// True when the two names are one body, by name or by links.
    pub fn same_body(&self, a: &str, b: &str) -> bool {
        a == b || self.body(a) == self.body(b)
    }
}

/// Compares one body's reports. They are taken in ascending year; a year given twice keeps
/// its first report.
pub fn compare_years(reports: &[YearReport<'_>]) -> YearsComparison {
    let mut ordered: Vec<YearReport<'_>> = Vec::with_capacity(reports.len());
    for r in reports {
        if !ordered.iter().any(|o| o.year == r.year) {
            ordered.push(*r);
        }
    }
    ordered.sort_by_key(|r| r.year);
    let years: Vec<i32> = ordered.iter().map(|r| r.year).collect();
    let cells = CellKey::all()
        .map(|key| cell_history(key, &ordered))
        .collect();
    let mut continuity = Vec::new();
    let mut copied = Vec::new();
    for (i, pair) in ordered.windows(2).enumerate() {
        let [earlier, later] = pair else {
            continue;
        };
        if later.year.checked_sub(earlier.year) == Some(1) {
            continuity.extend(continuity_of(i, earlier, later));
        }
        copied.extend(
            copied_paragraphs(earlier.side(), later.side())
                .into_iter()
                .map(|mut c| {
                    c.earlier = i;
                    c
                }),
        );
    }
    YearsComparison {
        years,
        cells,
        continuity,
        copied,
    }
}

fn cell_history(key: CellKey, reports: &[YearReport<'_>]) -> CellHistory {
    let cells: Vec<Cell> = reports
        .iter()
        .map(|r| {
            r.extraction
                .cells
                .get(key.index())
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    let steps = cells
        .windows(2)
        .map(|w| match w {
            [a, b] => Step {
                changed: cells_differ(a, b),
                jump: matches!((a.value, b.value), (Some(x), Some(y)) if is_jump(x, y)),
            },
            _ => Step::default(),
        })
        .collect();
    CellHistory { key, cells, steps }
}

fn span_of(e: &Extraction, keys: &[CellKey]) -> Option<Span> {
    keys.iter()
        .filter_map(|k| e.cells.get(k.index()).and_then(|c| c.span))
        .reduce(Span::cover)
}

fn continuity_of(i: usize, earlier: &YearReport<'_>, later: &YearReport<'_>) -> Vec<Continuity> {
    let (e, l) = (earlier.extraction, later.extraction);
    let mut out: Vec<Continuity> = carry_links(e, l)
        .into_iter()
        .map(|link| Continuity {
            earlier: i,
            relation: Relation::Carry { col: link.col },
            earlier_keys: vec![link.earlier],
            later_keys: vec![link.later],
            expected: link.carried,
            found: link.received,
            earlier_span: span_of(e, &[link.earlier]),
            later_span: span_of(l, &[link.later]),
        })
        .collect();
    out.extend(stock_links(e, l).into_iter().map(|link: StockLink| {
        let stock = CellKey::active(link.row, DocCol::InForce.index());
        let later_keys = link.keys().to_vec();
        Continuity {
            earlier: i,
            relation: Relation::Stock { row: link.row },
            earlier_keys: vec![stock],
            expected: link.expected(),
            found: link.now,
            earlier_span: span_of(e, &[stock]),
            later_span: span_of(l, &later_keys),
            later_keys,
        }
    }));
    out
}

/// A narrative paragraph: its span and its characters without digits and white space.
struct Paragraph {
    span: Span,
    chars: Vec<char>,
    /// Character counts in 64 buckets: half their distance is a lower bound of the edit
    /// distance, so most pairs are rejected without computing it.
    bag: [u16; 64],
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// The lines of the text outside its tables that are long enough to be paragraphs.
fn paragraphs(e: &Extraction, text: &str) -> Vec<Paragraph> {
    let tables: Vec<Span> = e.tables.iter().map(|t| t.span).collect();
    let mut out = Vec::new();
    let mut start = 0usize;
    for line in text.split_inclusive('\n') {
        let span = Span::new(start, start + line.len());
        start += line.len();
        if out.len() >= MAX_PARAGRAPHS {
            break;
        }
        if tables
            .iter()
            .any(|t| span.start < t.end && t.start < span.end)
        {
            continue;
        }
        let chars: Vec<char> = line
            .chars()
            .filter(|c| !c.is_whitespace() && !is_digit(*c))
            .collect();
        if chars.len() < MIN_PARAGRAPH_CHARS {
            continue;
        }
        let trimmed = line.trim_end();
        let lead = line.len() - line.trim_start().len();
        let span = Span::new(span.start + lead, span.start + trimmed.len().max(lead));
        let mut bag = [0u16; 64];
        for c in &chars {
            let b = &mut bag[(*c as usize) % 64];
            *b = b.saturating_add(1);
        }
        out.push(Paragraph { span, chars, bag });
    }
    out
}

/// The edit distance of `a` and `b` when it is at most `k`, computed in a band of width
/// 2k + 1 around the diagonal (O(len × k)); `None` beyond.
pub fn bounded_edit_distance(a: &[char], b: &[char], k: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > k {
        return None;
    }
    let big = k + 1;
    let mut prev: Vec<usize> = (0..=m).map(|j| if j <= k { j } else { big }).collect();
    let mut cur = vec![big; m + 1];
    for i in 1..=n {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(m);
        cur[0] = if i <= k { i } else { big };
        if lo > 1 {
            cur[lo - 1] = big;
        }
        let mut best = cur[0];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let d = (prev[j - 1] + cost)
                .min(prev[j] + 1)
                .min(cur[j - 1] + 1)
                .min(big);
            cur[j] = d;
            best = best.min(d);
        }
        if hi < m {
            cur[hi + 1] = big;
        }
        if best > k {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[m];
    (d <= k).then_some(d)
}

/// How alike two character sequences are: 1 − edit distance / longer length, when that is at
/// least `min`; `None` below (or when the work bound says not to look).
pub fn similarity(a: &[char], b: &[char], min: f64) -> Option<f64> {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return Some(1.0);
    }
    let k = ((1.0 - min) * longest as f64).floor() as usize;
    let d = bounded_edit_distance(a, b, k)?;
    let s = 1.0 - d as f64 / longest as f64;
    (s >= min).then_some(s)
}

fn bag_distance(a: &[u16; 64], b: &[u16; 64]) -> usize {
    a.iter()
        .zip(b)
        .map(|(x, y)| usize::from(x.abs_diff(*y)))
        .sum::<usize>()
        / 2
}

/// The paragraphs of `later` that are the same text as one of `earlier`, with their stale
/// numbers. `earlier` in the result is 0; the caller sets it.
pub(crate) fn copied_paragraphs(earlier: Side<'_>, later: Side<'_>) -> Vec<CopiedParagraph> {
    let before = paragraphs(earlier.extraction, earlier.text);
    let after = paragraphs(later.extraction, later.text);
    let mut exact: HashMap<&[char], usize> = HashMap::with_capacity(before.len());
    for (i, p) in before.iter().enumerate() {
        exact.entry(p.chars.as_slice()).or_insert(i);
    }
    let mut budget = MAX_FUZZY_PAIRS;
    let mut out = Vec::new();
    for q in &after {
        let found = match exact.get(q.chars.as_slice()) {
            Some(&i) => Some((i, 1.0)),
            None if q.chars.len() <= MAX_FUZZY_CHARS => {
                let mut best: Option<(usize, f64)> = None;
                for (i, p) in before.iter().enumerate() {
                    let longest = p.chars.len().max(q.chars.len());
                    let k = ((1.0 - COPY_SIMILARITY) * longest as f64).floor() as usize;
                    if p.chars.len() > MAX_FUZZY_CHARS
                        || p.chars.len().abs_diff(q.chars.len()) > k
                        || bag_distance(&p.bag, &q.bag) > k
                    {
                        continue;
                    }
                    if budget == 0 {
                        break;
                    }
                    budget -= 1;
                    if let Some(s) = similarity(&p.chars, &q.chars, COPY_SIMILARITY)
                        && best.is_none_or(|(_, b)| s > b)
                    {
                        best = Some((i, s));
                    }
                }
                best
            }
            None => None,
        };
        let Some((i, similarity)) = found else {
            continue;
        };
        let p = &before[i];
        out.push(CopiedParagraph {
            earlier: 0,
            earlier_span: p.span,
            later_span: q.span,
            similarity,
            stale: stale_numbers(earlier, p.span, later, q.span),
        });
    }
    out
}

/// A count printed in a paragraph: its value and span.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Count {
    value: f64,
    span: Span,
}

/// The numbers in `span` of `text` that a count unit follows (件, 条, 万元…).
fn counts(text: &str, span: Span) -> Vec<Count> {
    let Some(region) = text.get(span.start..span.end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut iter = region.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if !is_digit(c) {
            continue;
        }
        if region[..i]
            .chars()
            .next_back()
            .is_some_and(|p| p == '.' || p == '第')
        {
            while iter.peek().is_some_and(|(_, c)| is_digit(*c)) {
                iter.next();
            }
            continue;
        }
        let mut end = i + c.len_utf8();
        let mut digits = String::from(to_ascii_digit(c));
        let mut dot = false;
        while let Some(&(j, d)) = iter.peek() {
            if is_digit(d) {
                digits.push(to_ascii_digit(d));
            } else if (d == '.' || d == ',') && !dot {
                let next = region[j + 1..].chars().next();
                if !next.is_some_and(is_digit) {
                    break;
                }
                if d == '.' {
                    dot = true;
                    digits.push('.');
                }
            } else {
                break;
            }
            end = j + d.len_utf8();
            iter.next();
        }
        let rest = region[end..].trim_start();
        if COUNT_UNITS.iter().any(|u| rest.starts_with(u))
            && let Ok(value) = digits.parse::<f64>()
        {
            out.push(Count {
                value,
                span: Span::new(span.start + i, span.start + end),
            });
        }
    }
    out
}

fn to_ascii_digit(c: char) -> char {
    if ('０'..='９').contains(&c) {
        char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c)
    } else {
        c
    }
}

/// The sentence of `text` around `at`, within `within`: from the last stop before it to the
/// next stop after it.
fn sentence_around(text: &str, within: Span, at: Span) -> Span {
    const STOPS: [char; 5] = ['。', '；', ';', '！', '？'];
    let Some(region) = text.get(within.start..within.end) else {
        return at;
    };
    let (a, b) = (
        at.start.saturating_sub(within.start).min(region.len()),
        at.end.saturating_sub(within.start).min(region.len()),
    );
    let start = region
        .get(..a)
        .and_then(|s| {
            s.rfind(STOPS)
                .map(|p| p + s[p..].chars().next().map_or(1, char::len_utf8))
        })
        .unwrap_or(0);
    let end = region
        .get(b..)
        .and_then(|s| {
            s.find(STOPS)
                .map(|p| b + p + s[p..].chars().next().map_or(1, char::len_utf8))
        })
        .unwrap_or(region.len());
    Span::new(within.start + start, within.start + end)
}

/// The counts of the later paragraph copied unchanged from the earlier one that equal the
/// earlier year's number of cells whose number changed.
fn stale_numbers(
    earlier: Side<'_>,
    earlier_span: Span,
    later: Side<'_>,
    later_span: Span,
) -> Vec<StaleNumber> {
    let before = counts(earlier.text, earlier_span);
    let after = counts(later.text, later_span);
    // Cells whose number changed, by their earlier number.
    let mut changed: Vec<(f64, CellKey)> = Vec::new();
    for key in CellKey::all() {
        let (Some(x), Some(y)) = (
            earlier
                .extraction
                .cells
                .get(key.index())
                .and_then(|c| c.value),
            later
                .extraction
                .cells
                .get(key.index())
                .and_then(|c| c.value),
        ) else {
            continue;
        };
        if !same(x, y) {
            changed.push((x, key));
        }
    }
    if changed.is_empty() {
        return Vec::new();
    }
    let aligned = before.len() == after.len();
    let mut out = Vec::new();
    for (n, q) in after.iter().enumerate() {
        // The same number in the same place of the earlier paragraph (or anywhere in it when
        // the paragraph gained or lost a number): copied, not written anew.
        let source = if aligned {
            before.get(n).filter(|p| same(p.value, q.value))
        } else {
            before.iter().find(|p| same(p.value, q.value))
        };
        let Some(p) = source else {
            continue;
        };
        // Most cells are 0 in most years, so a copied 0 cannot say which figure it stands for.
        if q.value == 0.0 {
            continue;
        }
        let keys: Vec<CellKey> = changed
            .iter()
            .filter(|(x, _)| same(*x, q.value))
            .map(|(_, k)| *k)
            .take(MAX_STALE_KEYS)
            .collect();
        if keys.is_empty() {
            continue;
        }
        out.push(StaleNumber {
            value: q.value,
            earlier_span: p.span,
            later_span: q.span,
            sentence: sentence_around(later.text, later_span, q.span),
            keys,
        });
    }
    out
}

/// How a stale number reads in a message: `表三 本年新收 总计 13 → 20`.
pub(crate) fn stale_cells_text(
    earlier: &Extraction,
    later: &Extraction,
    keys: &[CellKey],
) -> String {
    keys.iter()
        .map(|k| {
            let v = |e: &Extraction| {
                e.cells
                    .get(k.index())
                    .and_then(|c| c.value)
                    .map_or_else(String::new, format_number)
            };
            format!("{} {} → {}", k.accessible_name(), v(earlier), v(later))
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// Rule: a paragraph copied from last year's report still prints last year's figure of cells
/// that have since changed. A finding of the later report, like the other `years.*` rules.
pub const COPIED_PARAGRAPH: &str = "years.copied_paragraph";
/// Characters of a quoted sentence at most.
const MAX_QUOTE_CHARS: usize = 80;

/// Runs the copied-paragraph rule against last year's report of the same body, when its text
/// is at hand.
pub(crate) fn check(ctx: &Ctx, others: &[OtherYear<'_>], out: &mut Vec<Finding>) {
    let Some(last) = ctx.report.year.and_then(|y| y.checked_sub(1)) else {
        return;
    };
    if let Some(prev) = of_year(others, last)
        && let Some(source) = prev.source
    {
        copied(ctx, prev.extraction, &source.text, last, out);
    }
}

/// A sentence of this report, in a paragraph copied from last year's, that prints a number
/// equal to last year's figure of cells whose figure changed this year: probably not updated.
fn copied(ctx: &Ctx, prev: &Extraction, prev_text: &str, prev_year: i32, out: &mut Vec<Finding>) {
    let earlier = Side {
        extraction: prev,
        text: prev_text,
    };
    let later = Side {
        extraction: ctx.report,
        text: ctx.text,
    };
    for paragraph in copied_paragraphs(earlier, later) {
        // One finding per sentence: its numbers and their cells together.
        let mut sentences: Vec<(crate::model::Span, Vec<&StaleNumber>)> = Vec::new();
        for s in &paragraph.stale {
            match sentences.iter_mut().find(|(span, _)| *span == s.sentence) {
                Some((_, list)) => list.push(s),
                None => sentences.push((s.sentence, vec![s])),
            }
        }
        for (span, stale) in sentences {
            let mut keys: Vec<CellKey> = Vec::new();
            for s in &stale {
                for k in &s.keys {
                    if !keys.contains(k) {
                        keys.push(*k);
                    }
                }
            }
            let numbers: Vec<String> = stale.iter().map(|s| format_number(s.value)).collect();
            let sentence = ctx.slice(span).trim();
            let quote: String = sentence.chars().take(MAX_QUOTE_CHARS).collect();
            let more = if sentence.chars().count() > MAX_QUOTE_CHARS {
                "…"
            } else {
                ""
            };
            let cells: Vec<String> = stale
                .iter()
                .map(|s| stale_cells_text(prev, ctx.report, &s.keys))
                .collect();
            out.push(
                Finding::new(
                    COPIED_PARAGRAPH,
                    Severity::Warning,
                    keys,
                    format!(
                        "「{quote}{more}」所在段落与{prev_year}年报告几乎相同，其中的 {} 等于{prev_year}年的数字（{}），而表中数字今年已变化：可能照抄上年未更新",
                        numbers.join("、"),
                        cells.join("；")
                    ),
                    Cause::Source,
                )
                .numbers(None, stale.first().map(|s| s.value))
                .at(Some(span)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    // The jump rule: ×5 either way with the larger at least 10; from 0, reaching 10.
    #[test]
    fn jump_rule() {
        assert!(!is_jump(0.0, 1.0), "0 → 1");
        assert!(!is_jump(1.0, 5.0), "1 → 5: below the floor");
        assert!(!is_jump(0.0, 9.0), "0 → 9: below the floor");
        assert!(is_jump(0.0, 10.0), "0 → 10");
        assert!(is_jump(2.0, 10.0), "2 → 10");
        assert!(!is_jump(3.0, 14.0), "3 → 14: ×4.7");
        assert!(is_jump(100.0, 20.0), "100 → 20: a fall by 5");
        assert!(!is_jump(100.0, 21.0), "100 → 21");
        assert!(!is_jump(12.0, 12.0));
        assert!(!is_jump(f64::NAN, 50.0));
    }

    // The banded edit distance agrees with the plain one inside the band and gives up beyond.
    #[test]
    fn bounded_edit_distance_matches_plain() {
        fn plain(a: &[char], b: &[char]) -> usize {
            let mut prev: Vec<usize> = (0..=b.len()).collect();
            for i in 1..=a.len() {
                let mut cur = vec![i; b.len() + 1];
                for j in 1..=b.len() {
                    cur[j] = (prev[j - 1] + usize::from(a[i - 1] != b[j - 1]))
                        .min(prev[j] + 1)
                        .min(cur[j - 1] + 1);
                }
                prev = cur;
            }
            prev[b.len()]
        }
        let words = [
            "",
            "甲",
            "本年共收到申请件",
            "本年共收到政府信息公开申请件",
            "本年度共收到政府信息公开申请件，办结件",
            "共收到申请件本年",
            "kitten",
            "sitting",
            "abcdefghij",
            "jihgfedcba",
        ];
        for a in words {
            for b in words {
                let (x, y) = (chars(a), chars(b));
                let d = plain(&x, &y);
                for k in 0..12 {
                    let got = bounded_edit_distance(&x, &y, k);
                    let want = (d <= k).then_some(d);
                    assert_eq!(got, want, "{a:?} vs {b:?} with k = {k}: plain distance {d}");
                }
            }
        }
    }

    // Similarity: one changed character in 20 is 0.95; three in 20 is below 0.9.
    #[test]
    fn similarity_threshold() {
        let a = chars("本年度我局共收到政府信息公开申请，均已按时办结答复完毕");
        let mut b = a.clone();
        b[3] = '县';
        let s = similarity(&a, &b, 0.9).unwrap_or(0.0);
        assert!((s - (1.0 - 1.0 / a.len() as f64)).abs() < 1e-9, "{s}");
        b[5] = '甲';
        b[7] = '乙';
        b[9] = '丙';
        assert_eq!(similarity(&a, &b, 0.9), None, "four of {} changed", a.len());
        assert_eq!(similarity(&a, &a, 0.9), Some(1.0));
    }

    // Counts are numbers before a unit; years, document numbers and ordinals are not.
    #[test]
    fn counts_in_text() {
        let text =
            "2024年共收到申请13件，办结1,205件，收费0.5万元，国务院令第711号，占12%，公开１５条。";
        let got: Vec<(f64, &str)> = counts(text, Span::new(0, text.len()))
            .into_iter()
            .map(|c| (c.value, &text[c.span.start..c.span.end]))
            .collect();
        assert_eq!(
            got,
            [
                (13.0, "13"),
                (1205.0, "1,205"),
                (0.5, "0.5"),
                (15.0, "１５")
            ]
        );
    }

    // Names group across white space and bracket styles; links join differently named bodies.
    #[test]
    fn bodies_and_links() {
        assert_eq!(
            body_name(" 某县 行政审批服务局（本级）\n"),
            body_name("某县行政审批服务局(本级)")
        );
        assert_eq!(body_name(" \n"), None);
        let mut links = BodyLinks::default();
        assert!(!links.same_body("甲局", "乙局"));
        links.link("乙局", "甲局");
        links.link("丙局", "乙局");
        assert!(links.same_body("甲局", "丙局"));
        // The smallest name in code-point order stands for the group: 丙 (U+4E19) < 乙 < 甲.
        assert_eq!(links.body("甲局"), "丙局");
        assert!(!links.same_body("甲局", "丁局"));
    }

    // The sentence around a number ends at the stops on either side.
    #[test]
    fn sentence_bounds() {
        let text = "第一句。本年收到申请13件；其余略。";
        let at = text.find("13").unwrap_or(0);
        let s = sentence_around(text, Span::new(0, text.len()), Span::new(at, at + 2));
        assert_eq!(&text[s.start..s.end], "本年收到申请13件；");
    }
}
