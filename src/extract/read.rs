//! Reads a table's cells from its region.
//!
//! The region is split into tokens and the tokens into segments: a run of label text followed by
//! a group of values. A label run names a row by anchor words (`予以公开`, `国家秘密`, …); the
//! values after it belong to the last row it names. Table 四 is read as one flat sequence of 15
//! values.
//!
//! Rows with the wrong number of values, the documented rule:
//! - when all of a row's values are on one tab- or pipe-delimited line and the fields between the
//!   first and last non-empty field number exactly the row's columns, fields are placed by
//!   position (an empty field is a blank cell);
//! - otherwise values are assigned from the left; with too few, the cells at the right stay blank
//!   (`TooFewValues`); with too many, the first ones are used and the rest are listed in the
//!   warning (`TooManyValues`);
//! - a single run of digits where several values are expected is split only when exactly one
//!   split satisfies the row's relation (`DigitsSplit`), otherwise the row stays unread
//!   (`DigitsUnresolved`).

use super::digits::{Relation, Split, split_digits};
use super::layout::{Lines, has_char, has_word_pair};
use super::locate::Region;
use super::tokens::{TokKind, Token, tokenize};
use super::{ExtractionWarning, WarningKind};
use crate::ingest::limits::{MAX_LISTED_EXTRAS, MAX_WARNINGS};
use crate::model::{
    ACTIVE_ROWS, APPEALS_COLS, APPEALS_GROUPS, Cell, CellKey, REQUESTS_COLS, REQUESTS_ROWS, Req,
    ReqCol, Span, TableId,
};
use aho_corasick::{
    Anchored,
    automaton::{Automaton, StateID},
    dfa::DFA,
};
use std::sync::LazyLock;

/// A label run and the value group after it: two adjacent slices of the token list.
#[derive(Debug, Clone, Copy)]
struct Segment<'t> {
    labels: &'t [Token],
    values: &'t [Token],
}

fn segments(tokens: &[Token]) -> Vec<Segment<'_>> {
    let mut out = Vec::with_capacity(tokens.len() / 2 + 1);
    let mut start = 0;
    let mut i = 0;
    while start < tokens.len() {
        // Labels (and empty fields) up to the first value.
        while i < tokens.len() && tokens[i].kind != TokKind::Value {
            i += 1;
        }
        let mid = i;
        // Values (and empty fields) up to the next label.
        while i < tokens.len() && tokens[i].kind != TokKind::Label {
            i += 1;
        }
        out.push(Segment {
            labels: &tokens[start..mid],
            values: &tokens[mid..i],
        });
        start = i;
    }
    out
}

/// The label run's text. Label tokens never contain white space (they are split on it).
fn label_text(text: &str, seg: &Segment) -> String {
    let mut s = String::new();
    label_text_into(text, seg, &mut s);
    s
}

/// [`label_text`] into a reused buffer.
fn label_text_into(text: &str, seg: &Segment, out: &mut String) {
    out.clear();
    for t in seg.labels.iter().filter(|t| t.kind == TokKind::Label) {
        out.push_str(&text[t.start..t.end]);
    }
}

/// The label run's text: borrowed from `text` when the run is one label (most rows), else
/// built in `buf`.
fn label_run<'a>(text: &'a str, seg: &Segment, buf: &'a mut String) -> &'a str {
    let mut labels = seg.labels.iter().filter(|t| t.kind == TokKind::Label);
    match (labels.next(), labels.next()) {
        (None, _) => "",
        (Some(t), None) => &text[t.start..t.end],
        _ => {
            label_text_into(text, seg, buf);
            buf.as_str()
        }
    }
}

/// Removes punctuation, quotes and brackets for comparing labels with the template.
fn normalize_label(s: &str) -> String {
    s.chars().filter(|&c| !ignored_in_label(c)).collect()
}

/// Characters [`normalize_label`] removes.
fn ignored_in_label(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '、' | '，'
                | ','
                | '.'
                | '。'
                | '．'
                | '“'
                | '”'
                | '"'
                | '‘'
                | '’'
                | '\''
                | '（'
                | '）'
                | '('
                | ')'
                | '：'
                | ':'
                | '；'
                | ';'
                | '《'
                | '》'
                | '<'
                | '>'
                | '-'
                | '—'
        )
}

/// True when the normalized `run` holds `canonical` aligned so that byte `pos` of `run` meets
/// byte `q` of `canonical` (where an anchor was found in both): the same answer as
/// `normalize_label(run).contains(canonical)` for that alignment, without building strings.
fn aligned_label_match(run: &str, pos: usize, canonical: &str, q: usize) -> bool {
    // Most labels are printed exactly as the template's: compare the bytes first.
    if pos >= q && run.get(pos - q..).is_some_and(|t| t.starts_with(canonical)) {
        return true;
    }
    let (Some(run_before), Some(run_after)) = (run.get(..pos), run.get(pos..)) else {
        return false;
    };
    let (Some(canon_before), Some(canon_after)) = (canonical.get(..q), canonical.get(q..)) else {
        return false;
    };
    let mut run_fwd = run_after.chars().filter(|&c| !ignored_in_label(c));
    let mut run_back = run_before.chars().rev().filter(|&c| !ignored_in_label(c));
    canon_after.chars().all(|c| run_fwd.next() == Some(c))
        && canon_before
            .chars()
            .rev()
            .all(|c| run_back.next() == Some(c))
}

/// The template label without numbering, normalized.
fn canonical(label: &str) -> String {
    let (_, rest) = super::locate::split_numbering(label);
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    normalize_label(rest)
}

/// A line (not delimited) is prose, not table: a sentence (`。`), or a long line with commas
/// and no values.
fn is_prose_line(
    text: &str,
    lines: &Lines,
    line: usize,
    has_value: bool,
    stops: &mut FullStops,
) -> bool {
    let l = lines.all()[line];
    let s = &text[l.start..l.end];
    // Over 60 characters needs over 60 bytes: most lines are turned away by their length.
    stops.any_in(l.start, l.end)
        || (!has_value && s.len() > 60 && has_char(s, '，') && s.trim().chars().count() > 60)
}

/// The `。` of a text in order, found by one forward search as lines ask for them.
struct FullStops<'t> {
    iter: memchr::memmem::FindIter<'t, 'static>,
    offset: usize,
    next: Option<usize>,
}

impl<'t> FullStops<'t> {
    fn new(text: &'t str, from: usize) -> Self {
        static FINDER: LazyLock<memchr::memmem::Finder<'static>> =
            LazyLock::new(|| memchr::memmem::Finder::new("。"));
        let mut iter = FINDER.find_iter(&text.as_bytes()[from..]);
        let next = iter.next().map(|i| i + from);
        FullStops {
            iter,
            offset: from,
            next,
        }
    }

    /// True when a `。` starts in `start..end`; calls must come with increasing `start`.
    fn any_in(&mut self, start: usize, end: usize) -> bool {
        while let Some(at) = self.next
            && at < start
        {
            self.next = self.iter.next().map(|i| i + self.offset);
        }
        self.next.is_some_and(|at| at < end)
    }
}

/// Tokens of the region without prose: prose before the first value (an introduction under
/// the heading) is skipped; prose after it ends the table.
pub(super) fn region_tokens(text: &str, lines: &Lines, region: &Region) -> Vec<Token> {
    let mut tokens = tokenize(text, lines, region.start, region.end);
    let mut stops = FullStops::new(text, region.start);
    // Judged a line at a time (a line's tokens are adjacent), kept tokens compacted in place.
    let mut kept = 0;
    let mut seen_value = false;
    let mut i = 0;
    while i < tokens.len() {
        let line = tokens[i].line;
        let end = i + tokens[i..].iter().take_while(|t| t.line == line).count();
        let has_value = tokens[i..end].iter().any(|t| t.kind == TokKind::Value);
        if !tokens[i].delimited && is_prose_line(text, lines, line, has_value, &mut stops) {
            if seen_value {
                break;
            }
        } else {
            seen_value |= has_value;
            tokens.copy_within(i..end, kept);
            kept += end - i;
        }
        i = end;
    }
    tokens.truncate(kept);
    tokens
}

/// The most cells in a row: table 四 is read as one row of 15.
const MAX_ROW_CELLS: usize = 15;
const _: () = assert!(APPEALS_GROUPS.len() * APPEALS_COLS.len() <= MAX_ROW_CELLS);
const _: () = assert!(REQUESTS_COLS.len() <= MAX_ROW_CELLS);

/// How one row's values were read.
struct RowRead {
    /// The first `expected` entries are the row's cells.
    cells: [Option<Span>; MAX_ROW_CELLS],
    warning: Option<WarningKind>,
    /// A cell whose number was wrapped over two lines of a narrow column: its index and the
    /// number's digits joined.
    joined: Option<(usize, String)>,
}

/// In a row of table 三 with one value too many, two neighbouring runs of digits on different
/// lines that are one number wrapped inside a narrow cell (`2` / `6` for 26): the pair whose
/// joining makes the row's total the sum of the others (with a total that is not zero), when
/// exactly one pair does. Returns the pair's first index and the joined digits.
fn wrapped_number(text: &str, vals: &[&Token], expected: usize) -> Option<(usize, String)> {
    if vals.len() != expected + 1 {
        return None;
    }
    let raw = |t: &Token| &text[t.start..t.end];
    let digits = |t: &Token| !raw(t).is_empty() && raw(t).bytes().all(|b| b.is_ascii_digit());
    let mut found = None;
    for j in 0..expected {
        let (a, b) = (vals[j], vals[j + 1]);
        if a.line == b.line || !digits(a) || !digits(b) || raw(a).len() + raw(b).len() > 12 {
            continue;
        }
        let joined = format!("{}{}", raw(a), raw(b));
        let mut numbers = Vec::with_capacity(expected);
        for (i, t) in vals.iter().enumerate() {
            if i == j {
                numbers.push(joined.parse::<i64>().ok());
            } else if i != j + 1 {
                numbers.push(whole_number(raw(t)));
            }
        }
        if super::decode::row_score(numbers.into_iter(), expected) > 0 {
            if found.is_some() {
                return None;
            }
            found = Some((j, joined));
        }
    }
    found
}

fn is_digit_run(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

/// Assigns a value group to a row of `expected` cells (see the module docs for the rule).
fn read_row(
    text: &str,
    values: &[Token],
    expected: usize,
    relation: Relation,
    table: TableId,
    label: &str,
) -> RowRead {
    let mut cells = [None; MAX_ROW_CELLS];
    let first = values.iter().position(|t| t.kind == TokKind::Value);
    let last = values.iter().rposition(|t| t.kind == TokKind::Value);
    let (Some(first), Some(last)) = (first, last) else {
        return RowRead {
            cells,
            warning: None,
            joined: None,
        };
    };
    let trimmed = &values[first..=last];
    let one_line = trimmed.iter().all(|t| t.line == trimmed[0].line) && trimmed[0].delimited;
    if one_line && trimmed.len() == expected {
        for (cell, t) in cells.iter_mut().zip(trimmed) {
            if t.kind == TokKind::Value {
                *cell = Some(Span::new(t.start, t.end));
            }
        }
        return RowRead {
            cells,
            warning: None,
            joined: None,
        };
    }
    let vals = || trimmed.iter().filter(|t| t.kind == TokKind::Value);
    let found = vals().count();
    if let (1, true, Some(only)) = (found, expected > 1, vals().next()) {
        let run = &text[only.start..only.end];
        if is_digit_run(run) && (only.glued || run.chars().count() >= expected) {
            match split_digits(run, expected, relation) {
                Split::Unique(cuts) => {
                    for (cell, (s, e)) in cells.iter_mut().zip(cuts) {
                        *cell = Some(Span::new(only.start + s, only.start + e));
                    }
                    return RowRead {
                        cells,
                        warning: Some(WarningKind::DigitsSplit {
                            table,
                            label: label.to_owned(),
                            raw: run.to_owned(),
                        }),
                        joined: None,
                    };
                }
                Split::Ambiguous(n) => {
                    return RowRead {
                        cells,
                        warning: Some(WarningKind::DigitsUnresolved {
                            table,
                            label: label.to_owned(),
                            raw: run.to_owned(),
                            candidates: n,
                        }),
                        joined: None,
                    };
                }
                Split::None => {}
            }
        }
    }
    if relation == Relation::RowSum
        && found == expected + 1
        && let Some((j, joined)) = wrapped_number(text, &vals().collect::<Vec<_>>(), expected)
    {
        let mut next = vals();
        for (i, cell) in cells.iter_mut().take(expected).enumerate() {
            let Some(t) = next.next() else { break };
            *cell = Some(if i == j {
                let second = next.next().map_or(t.end, |u| u.end);
                Span::new(t.start, second)
            } else {
                Span::new(t.start, t.end)
            });
        }
        return RowRead {
            cells,
            warning: Some(WarningKind::NumberWrapped {
                table,
                label: label.to_owned(),
                raw: joined.clone(),
            }),
            joined: Some((j, joined)),
        };
    }
    for (cell, t) in cells.iter_mut().take(expected).zip(vals()) {
        *cell = Some(Span::new(t.start, t.end));
    }
    let warning = if found < expected {
        Some(WarningKind::TooFewValues {
            table,
            label: label.to_owned(),
            expected,
            found,
        })
    } else if found > expected {
        Some(WarningKind::TooManyValues {
            table,
            label: label.to_owned(),
            expected,
            found,
            extra: vals()
                .skip(expected)
                .take(MAX_LISTED_EXTRAS)
                .map(|t| (text[t.start..t.end].to_owned(), Span::new(t.start, t.end)))
                .collect(),
        })
    } else {
        None
    };
    RowRead {
        cells,
        warning,
        joined: None,
    }
}

impl WarningKind {
    /// The one Chinese sentence for the reviewer that says what happened and what to check:
    /// the warning's `message`, and the message of the finding the checks make of it.
    pub fn message(&self) -> String {
        match self {
            WarningKind::TableNotFound { table } => format!(
                "没有找到{}（{}）：该表的单元格都没有读到，请核对原文是否缺表，或表格是否为图片",
                table.label(),
                table.title()
            ),
            WarningKind::RowNotFound { table, label } => format!(
                "{}中没有找到「{label}」这一行，该行单元格留空，请核对原文",
                table.label()
            ),
            WarningKind::TooFewValues {
                table,
                label,
                expected,
                found,
            } => format!(
                "{}「{label}」行只有 {found} 个数值，应有 {expected} 个：已按位置填入，缺的格留空，请核对原文该行",
                table.label()
            ),
            WarningKind::TooManyValues {
                table,
                label,
                expected,
                found,
                extra,
            } => {
                let surplus = found.saturating_sub(*expected);
                // Only the first MAX_LISTED_EXTRAS are listed; the count says how many there were.
                let more = if extra.len() < surplus {
                    format!(" 等 {surplus} 个")
                } else {
                    String::new()
                };
                let extra: Vec<&str> = extra.iter().map(|(raw, _)| raw.as_str()).collect();
                format!(
                    "{}「{label}」行有 {found} 个数值，应有 {expected} 个：已按顺序填入前 {expected} 个，多出的“{}”{more}未使用，请核对原文该行",
                    table.label(),
                    extra.join("”“")
                )
            }
            WarningKind::DigitsSplit { table, label, raw } => format!(
                "{}「{label}」行的数字连在一起（“{raw}”），已按表内勾稽关系唯一可行的方式拆分，请核对",
                table.label()
            ),
            WarningKind::DigitsUnresolved {
                table,
                label,
                raw,
                candidates,
            } => format!(
                "{}「{label}」行的数字连在一起（“{raw}”），有 {}{candidates} 种拆法无法确定，该行未读取，请按原文填写",
                table.label(),
                if *candidates >= 1000 { "至少 " } else { "" }
            ),
            WarningKind::LabelMismatch {
                table,
                expected,
                found,
            } => format!(
                "{}的栏目名称“{found}”与标准格式“{expected}”不一致",
                table.label()
            ),
            WarningKind::StaleTemplate { phrase } => format!(
                "出现旧版（2021 年以前）表格的栏目“{phrase}”：2021 年起应使用国办公开办函〔2021〕30号规定的格式"
            ),
            WarningKind::NumberWrapped { table, label, raw } => format!(
                "{}“{label}”一行有一个数字在窄栏中折成了两行，按本行的勾稽关系合为 {raw}；请核对该格",
                table.label()
            ),
            WarningKind::ReadByColumns { table, rows } => format!(
                "{}中{}的数字是按列（或逐格交错）排出的，已按各行的勾稽关系还原为行；请核对这些行",
                table.label(),
                rows_phrase(rows)
            ),
            WarningKind::OrderAmbiguous { table, rows } => format!(
                "{}中{}的数字按行读和按列读都符合勾稽关系，无法确定，未读取；nianbao 未能读出这些行，请在原文中核对并填写",
                table.label(),
                rows_phrase(rows)
            ),
            WarningKind::CombinedRow {
                table,
                label,
                values,
            } => format!(
                "{}把「{label}」印成了一行（{}），没有分列“逾期不补正”“逾期未缴费”“其他”3 个子项：子项单元格留空，请核对原文；若子项均为 0，可按 0 填写",
                table.label(),
                values.join(" ")
            ),
            WarningKind::UnplacedValues {
                table,
                count,
                values,
            } => format!(
                "{}中有 {count} 个数字无法对应到任何单元格：{}；请核对原文",
                table.label(),
                values
                    .iter()
                    .map(|(r, _)| format!("“{r}”"))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            WarningKind::UnreadText { table, text } => format!(
                "{}中有一段既不是栏目名也不是数值的文字：“{text}”",
                table.label()
            ),
        }
    }
}

/// `“A”至“B”等 N 行` for a run of rows, `“A”这一行` for one.
fn rows_phrase(rows: &[String]) -> String {
    match rows {
        [] => String::new(),
        [one] => format!("“{one}”这一行"),
        [first, .., last] => format!("“{first}”至“{last}”等 {} 行", rows.len()),
    }
}

pub(super) fn push_warning(
    warnings: &mut Vec<ExtractionWarning>,
    kind: WarningKind,
    keys: Vec<CellKey>,
    span: Option<Span>,
) {
    if warnings.len() >= MAX_WARNINGS {
        return;
    }
    let message = kind.message();
    warnings.push(ExtractionWarning {
        kind,
        keys,
        span,
        message,
    });
}

fn seg_span(seg: &Segment) -> Option<Span> {
    let first = seg
        .labels
        .iter()
        .chain(seg.values)
        .filter(|t| t.kind != TokKind::Empty);
    let mut span: Option<Span> = None;
    for t in first {
        let s = Span::new(t.start, t.end);
        span = Some(span.map_or(s, |sp| sp.cover(s)));
    }
    span
}

fn value_span(seg: &Segment) -> Option<Span> {
    let mut span: Option<Span> = None;
    for t in seg.values.iter().filter(|t| t.kind == TokKind::Value) {
        let s = Span::new(t.start, t.end);
        span = Some(span.map_or(s, |sp| sp.cover(s)));
    }
    span
}

/// A row of table 二 or 三 as the reader sees it.
struct RowSpec {
    keys: Vec<CellKey>,
    label: &'static str,
    canonical: String,
    anchors: &'static [&'static str],
    /// Anchors that count only once the table has reached group （六）.
    weak: &'static [&'static str],
    relation: Relation,
}

/// The words that name a row of table 三, and those that count only once the table has reached
/// group （六）. Every row has some: the match is exhaustive.
fn requests_anchors(row: Req) -> (&'static [&'static str], &'static [&'static str]) {
    match row {
        Req::New => (&["本年新收", "新收政府信息"], &[]),
        Req::CarriedOver => (&["上年结转"], &[]),
        Req::Granted => (&["予以公开"], &[]),
        Req::Partial => (&["部分公开"], &[]),
        Req::DeniedStateSecret => (&["国家秘密"], &[]),
        Req::DeniedLawForbidden => (&["禁止公开"], &[]),
        Req::DeniedSecurityStability => (&["三安全一稳定", "危及"], &[]),
        Req::DeniedThirdParty => (&["第三方"], &[]),
        Req::DeniedInternalAffairs => (&["内部事务"], &[]),
        Req::DeniedProcessInfo => (&["过程性信息"], &[]),
        Req::DeniedEnforcementFile => (&["执法案卷"], &[]),
        Req::DeniedInquiry => (&["查询事项"], &[]),
        Req::UnableNotHeld => (&["不掌握"], &[]),
        Req::UnableNeedsCreation => (&["另行制作", "没有现成"], &[]),
        Req::UnableUnclear => (&["仍不明确", "补正后申请"], &[]),
        Req::RejectedPetition => (&["信访", "举报投诉"], &[]),
        Req::RejectedRepeat => (&["重复申请"], &[]),
        Req::RejectedPublication => (&["出版物"], &[]),
        Req::RejectedMassRepeat => (&["大量反复"], &[]),
        Req::RejectedReconfirm => (&["重新出具", "确认或重新"], &[]),
        Req::OtherNoCorrection => (&["不补正", "逾期不补"], &[]),
        Req::OtherNoFee => (&["缴纳费用", "收费通知"], &[]),
        Req::OtherOther => (&["3.其他", "3、其他", "3．其他"], &["其他"]),
        Req::Total => (
            &["（七）总计", "(七)总计", "（七)总计", "(七）总计"],
            &["总计"],
        ),
        Req::CarryForward => (&["结转下年度", "下年度继续"], &[]),
    }
}

static REQUESTS_SPECS: LazyLock<Vec<RowSpec>> = LazyLock::new(requests_specs);
static ACTIVE_SPECS: LazyLock<Vec<RowSpec>> = LazyLock::new(active_specs);

fn requests_specs() -> Vec<RowSpec> {
    Req::ALL
        .iter()
        .map(|&req| {
            let (r, row) = (req.index(), &REQUESTS_ROWS[req.index()]);
            let (anchors, weak) = requests_anchors(req);
            RowSpec {
                keys: (0..REQUESTS_COLS.len())
                    .map(|c| CellKey::requests(r, c))
                    .collect(),
                label: row.label,
                canonical: canonical(row.label),
                anchors,
                weak,
                relation: Relation::RowSum,
            }
        })
        .collect()
}

fn active_anchors(id: &str) -> &'static [&'static str] {
    match id {
        "regulations" => &["规章"],
        "normative" => &["规范性文件"],
        "licensing" => &["行政许可"],
        "penalty" => &["行政处罚"],
        "coercion" => &["行政强制"],
        "fees" => &["事业性收费"],
        _ => &[],
    }
}

fn active_specs() -> Vec<RowSpec> {
    ACTIVE_ROWS
        .iter()
        .enumerate()
        .map(|(r, row)| RowSpec {
            keys: (0..row.cols.len()).map(|c| CellKey::active(r, c)).collect(),
            label: row.label,
            canonical: canonical(row.label),
            anchors: active_anchors(row.id),
            weak: &[],
            relation: Relation::None,
        })
        .collect()
}

/// All anchors of a table's rows in one automaton, so a label run is scanned once. The DFA is
/// walked by [`rows_named`] itself: the crate's overlapping search keeps its place in memory
/// and costs twice as much a byte.
struct Anchors {
    ac: DFA,
    /// The DFA's unanchored start state.
    start: StateID,
    /// For each pattern: the row it names and whether it is weak.
    owners: Vec<(usize, bool)>,
    /// For each pattern: where it sits in its row's canonical label, so a label is compared
    /// with the template in place.
    canon_offsets: Vec<Option<usize>>,
}

impl Anchors {
    fn new(specs: &[RowSpec]) -> Option<Anchors> {
        let mut patterns: Vec<&str> = Vec::new();
        let mut owners = Vec::new();
        let mut canon_offsets = Vec::new();
        for (r, spec) in specs.iter().enumerate() {
            for (list, weak) in [(spec.anchors, false), (spec.weak, true)] {
                for a in list {
                    patterns.push(a);
                    owners.push((r, weak));
                    canon_offsets.push(spec.canonical.find(a));
                }
            }
        }
        // Without a prefilter, the only special states are those that match (and the dead
        // state, which an unanchored search never enters).
        let ac = DFA::builder().prefilter(false).build(&patterns).ok()?;
        let start = ac.start_state(Anchored::No).ok()?;
        Some(Anchors {
            ac,
            start,
            owners,
            canon_offsets,
        })
    }
}

static REQUESTS_ANCHORS: LazyLock<Option<Anchors>> =
    LazyLock::new(|| Anchors::new(&REQUESTS_SPECS));
static ACTIVE_ANCHORS: LazyLock<Option<Anchors>> = LazyLock::new(|| Anchors::new(&ACTIVE_SPECS));

/// A weak `其他` counts only when it is not part of `其他处理`, `其他组织`, `其他情形`.
fn weak_ok(run: &str, end: usize) -> bool {
    let after = &run[end..];
    !(after.starts_with("处理") || after.starts_with("组织") || after.starts_with("情形"))
}

/// Rows named by a label run, in the order they appear in it: `(position, row, pattern)` with
/// the pattern that matched first for that row.
fn rows_named(
    run: &str,
    anchors: &Anchors,
    matched: &[bool],
    weak_allowed: bool,
    out: &mut Vec<(usize, usize, usize)>,
) {
    out.clear();
    // Every match, overlapping ones included, in the order of their ends.
    let dfa = &anchors.ac;
    let mut sid = anchors.start;
    for (i, &byte) in run.as_bytes().iter().enumerate() {
        sid = dfa.next_state(Anchored::No, sid, byte);
        if !dfa.is_special(sid) || !dfa.is_match(sid) {
            continue;
        }
        let end = i + 1;
        for k in 0..dfa.match_len(sid) {
            let pid = dfa.match_pattern(sid, k);
            let (pattern, start) = (pid.as_usize(), end - dfa.pattern_len(pid));
            let (r, weak) = anchors.owners[pattern];
            if matched[r] || (weak && (!weak_allowed || !weak_ok(run, end))) {
                continue;
            }
            match out.iter_mut().find(|(_, row, _)| *row == r) {
                Some(entry) if start < entry.0 => *entry = (start, r, pattern),
                Some(_) => {}
                None => out.push((start, r, pattern)),
            }
        }
    }
    out.sort_unstable();
}

/// A whole number, or `None` (placeholders, decimals, text).
pub(super) fn whole_number(raw: &str) -> Option<i64> {
    let v = crate::model::parse_number(raw)?;
    (v.fract() == 0.0 && v.abs() < 1e15).then_some(v as i64)
}

/// Reads one table into `cells` line by line; returns the end of what was read and whether
/// the reading is doubtful (rows the lines did not give cleanly: the caller then reads the
/// table as a whole), or `None` when nothing of the table was recognised in its region.
pub fn read_table(
    table: TableId,
    text: &str,
    tokens: &[Token],
    region: &Region,
    cells: &mut [Cell],
    warnings: &mut Vec<ExtractionWarning>,
) -> Option<(usize, bool)> {
    match table {
        TableId::Active => read_rows(
            table,
            &ACTIVE_SPECS,
            &ACTIVE_ANCHORS,
            None,
            text,
            tokens,
            region,
            cells,
            warnings,
        )
        .map(|(end, _)| (end, false)),
        TableId::Requests | TableId::Appeals => {
            let (end, doubtful) = if table == TableId::Requests {
                read_rows(
                    table,
                    &REQUESTS_SPECS,
                    &REQUESTS_ANCHORS,
                    Some(Req::OtherNoCorrection.index()),
                    text,
                    tokens,
                    region,
                    cells,
                    warnings,
                )?
            } else {
                (read_appeals(text, tokens, region, cells, warnings)?, false)
            };
            Some((end, doubtful))
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn read_rows(
    table: TableId,
    specs: &[RowSpec],
    anchors: &Option<Anchors>,
    weak_from: Option<usize>,
    text: &str,
    tokens: &[Token],
    region: &Region,
    cells: &mut [Cell],
    warnings: &mut Vec<ExtractionWarning>,
) -> Option<(usize, bool)> {
    let anchors = anchors.as_ref()?;
    let segs = segments(tokens);
    let mut matched = vec![false; specs.len()];
    let mut assigned: Vec<Option<usize>> = vec![None; segs.len()];
    // Segments whose label run names several rows (labels printed as a block before their
    // numbers): the rows, in text order.
    let mut blocks: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut end = region.start;
    let mut last_matched: Option<usize> = None;
    let mut header = String::new();
    let mut named = Vec::new();
    let mut run_buf = String::with_capacity(256);
    let last_row = specs.len() - 1;
    let mut done = false;
    for (i, seg) in segs.iter().enumerate() {
        if done {
            break;
        }
        let run = label_run(text, seg, &mut run_buf);
        let weak_allowed = match (weak_from, last_matched) {
            (Some(w), Some(l)) => l >= w,
            _ => false,
        };
        rows_named(run, anchors, &matched, weak_allowed, &mut named);
        if last_matched.is_none() && named.is_empty() {
            header.push_str(run);
        } else if last_matched.is_none() {
            header.push_str(&run[..named[0].0]);
        }
        for &(_, r, _) in &named {
            matched[r] = true;
            last_matched = Some(last_matched.map_or(r, |l| l.max(r)));
        }
        if named.len() > 1 {
            blocks.push((i, named.iter().map(|&(_, r, _)| r).collect()));
        }
        if let Some(&(pos, r, pattern)) = named.last() {
            assigned[i] = Some(r);
            let in_place = anchors.canon_offsets[pattern]
                .is_some_and(|q| aligned_label_match(run, pos, &specs[r].canonical, q));
            if !in_place {
                check_label(table, &specs[r], run, seg, warnings);
            }
            if let Some(s) = seg_span(seg) {
                end = end.max(s.end);
            }
            if table == TableId::Requests && r == last_row && !seg.values.is_empty() {
                done = true;
            }
        }
    }
    if matched.iter().all(|m| !m) {
        return None;
    }
    infer_unlabelled_rows(
        table,
        specs,
        &segs,
        &mut assigned,
        &mut matched,
        text,
        warnings,
    );
    if table == TableId::Requests && header.contains("社会组织") && !header.contains("社会公益组织")
    {
        push_warning(
            warnings,
            WarningKind::LabelMismatch {
                table,
                expected: "社会公益组织".to_owned(),
                found: "社会组织".to_owned(),
            },
            (0..REQUESTS_ROWS.len())
                .map(|r| CellKey::requests(r, ReqCol::SocialWelfare.index()))
                .collect(),
            None,
        );
    }
    let before = numbers_before_labels(specs, &segs, &assigned);
    let mut doubtful = false;
    for (i, seg) in segs.iter().enumerate() {
        let Some(r) = assigned[i] else { continue };
        if let Some(s) = seg_span(seg) {
            end = end.max(s.end);
        }
        let shifted;
        let seg = if before && i > 0 {
            shifted = Segment {
                labels: seg.labels,
                values: segs[i - 1].values,
            };
            &shifted
        } else {
            seg
        };
        if let Some((_, rows)) = blocks.iter().find(|(b, _)| *b == i)
            && let Some(fails) = read_label_block(specs, rows, text, seg, cells)
        {
            doubtful |= fails;
            continue;
        }
        let spec = &specs[r];
        let row = read_row(
            text,
            seg.values,
            spec.keys.len(),
            spec.relation,
            table,
            spec.label,
        );
        for (c, (key, span)) in spec.keys.iter().zip(&row.cells).enumerate() {
            if let Some(span) = span {
                let raw = match &row.joined {
                    Some((j, joined)) if *j == c => joined.as_str(),
                    _ => &text[span.start..span.end],
                };
                cells[key.index()] = Cell::read(raw, *span);
            }
        }
        if let Some(kind) = row.warning {
            push_warning(
                warnings,
                kind,
                spec.keys.clone(),
                value_span(seg).or(seg_span(seg)),
            );
        }
    }
    for (r, spec) in specs.iter().enumerate() {
        if !matched[r] {
            push_warning(
                warnings,
                WarningKind::RowNotFound {
                    table,
                    label: spec.label.to_owned(),
                },
                spec.keys.clone(),
                None,
            );
        }
    }
    Some((end, doubtful))
}

/// True when each row's numbers stand before its label (a converter's reading order): the
/// numbers before the first row label fill exactly the first row, and the last row label has
/// none after it.
fn numbers_before_labels(specs: &[RowSpec], segs: &[Segment], assigned: &[Option<usize>]) -> bool {
    let count = |seg: &Segment| {
        seg.values
            .iter()
            .filter(|t| t.kind == TokKind::Value)
            .count()
    };
    let first = assigned.iter().position(Option::is_some);
    let last = assigned.iter().rposition(Option::is_some);
    match (first, last) {
        (Some(f), Some(l)) if f > 0 && l > f => {
            let lead = count(&segs[f - 1]);
            assigned[f].is_some_and(|r| lead == specs[r].keys.len()) && count(&segs[l]) == 0
        }
        _ => false,
    }
}

/// A label run naming several rows, then their numbers (labels printed as a block): when the
/// values number exactly the rows' cells, they are read row after row in the order the labels
/// name them. Returns `None` (nothing written) otherwise, or whether a row's own relation fails
/// in that reading (then the values may have been printed in another order, by columns or
/// interleaved, and the table is decoded as a whole).
fn read_label_block(
    specs: &[RowSpec],
    rows: &[usize],
    text: &str,
    seg: &Segment,
    cells: &mut [Cell],
) -> Option<bool> {
    let values: Vec<&Token> = seg
        .values
        .iter()
        .filter(|t| t.kind == TokKind::Value)
        .collect();
    let wanted: usize = rows.iter().map(|&r| specs[r].keys.len()).sum();
    if values.len() != wanted {
        return None;
    }
    let mut next = values.iter();
    let mut fails = false;
    for &r in rows {
        let n = specs[r].keys.len();
        let row: Vec<&&Token> = next.by_ref().take(n).collect();
        if specs[r].relation == Relation::RowSum {
            let numbers = row.iter().map(|t| whole_number(&text[t.start..t.end]));
            fails |= super::decode::row_score(numbers, n) < 0;
        }
        for (key, t) in specs[r].keys.iter().zip(row) {
            cells[key.index()] = Cell::read(&text[t.start..t.end], Span::new(t.start, t.end));
        }
    }
    Some(fails)
}

/// Flags a row label that differs from the template (`预期` for `逾期`, a shortened label).
fn check_label(
    table: TableId,
    spec: &RowSpec,
    run: &str,
    seg: &Segment,
    warnings: &mut Vec<ExtractionWarning>,
) {
    // The canonical label has no punctuation, so holding it raw implies holding it normalized.
    if spec.canonical.is_empty() || normalize_label(run).contains(&spec.canonical) {
        return;
    }
    let shown: String = {
        let anchor_at = spec
            .anchors
            .iter()
            .filter_map(|a| run.find(a))
            .min()
            .unwrap_or(0);
        // Start the shown label at the numbering before the anchor, if any, within 30 bytes.
        let start = run[..anchor_at]
            .char_indices()
            .rev()
            .take(24)
            .find(|(_, c)| c.is_ascii_digit() || *c == '）' || *c == ')')
            .map_or(anchor_at, |(i, _)| i);
        run[start..].chars().take(60).collect()
    };
    push_warning(
        warnings,
        WarningKind::LabelMismatch {
            table,
            expected: spec.label.to_owned(),
            found: shown,
        },
        spec.keys.clone(),
        seg_span(&Segment {
            labels: seg.labels,
            values: &[],
        }),
    );
}

/// A value group whose label names no row, between matched rows i and i+2, belongs to row i+1.
fn infer_unlabelled_rows(
    table: TableId,
    specs: &[RowSpec],
    segs: &[Segment],
    assigned: &mut [Option<usize>],
    matched: &mut [bool],
    text: &str,
    warnings: &mut Vec<ExtractionWarning>,
) {
    // The next assigned row after each segment, computed once: searching forward from every
    // unlabelled segment would be quadratic in a region of thousands of them.
    let mut next_assigned = vec![None; segs.len()];
    for i in (0..segs.len().saturating_sub(1)).rev() {
        next_assigned[i] = assigned[i + 1].or(next_assigned[i + 1]);
    }
    let mut prev: Option<usize> = None;
    for i in 0..segs.len() {
        if let Some(r) = assigned[i] {
            prev = Some(r);
            continue;
        }
        let has_values = segs[i].values.iter().any(|t| t.kind == TokKind::Value);
        if !has_values {
            continue;
        }
        let next = next_assigned[i];
        let candidate = match (prev, next) {
            (Some(p), Some(n)) if n == p + 2 => Some(p + 1),
            (None, Some(1)) => Some(0),
            (Some(p), None)
                if p + 1 < specs.len()
                    && table == TableId::Requests
                    && p + 1 == specs.len() - 1 =>
            {
                Some(p + 1)
            }
            _ => None,
        };
        let printed = label_text(text, &segs[i]);
        match candidate.filter(|&c| !matched[c]) {
            Some(c) => {
                assigned[i] = Some(c);
                matched[c] = true;
                prev = Some(c);
                push_warning(
                    warnings,
                    WarningKind::LabelMismatch {
                        table,
                        expected: specs[c].label.to_owned(),
                        found: if printed.is_empty() {
                            "（无栏目名）".to_owned()
                        } else {
                            printed.chars().take(60).collect()
                        },
                    },
                    specs[c].keys.clone(),
                    seg_span(&segs[i]),
                );
            }
            None if prev.is_some() => {
                let shown = text_of_values(text, &segs[i]);
                push_warning(
                    warnings,
                    WarningKind::UnreadText {
                        table,
                        text: format!("{printed} {shown}")
                            .trim()
                            .chars()
                            .take(80)
                            .collect(),
                    },
                    Vec::new(),
                    seg_span(&segs[i]),
                );
            }
            None => {}
        }
    }
}

fn text_of_values(text: &str, seg: &Segment) -> String {
    seg.values
        .iter()
        .filter(|t| t.kind == TokKind::Value)
        .map(|t| &text[t.start..t.end])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Table 四: 15 values in a row (行政复议 ×5, 未经复议直接起诉 ×5, 复议后起诉 ×5).
fn read_appeals(
    text: &str,
    tokens: &[Token],
    region: &Region,
    cells: &mut [Cell],
    warnings: &mut Vec<ExtractionWarning>,
) -> Option<usize> {
    let expected = APPEALS_GROUPS.len() * APPEALS_COLS.len();
    let header_seen = tokens.iter().any(|t| {
        t.kind == TokKind::Label
            && has_word_pair(
                &text[t.start..t.end],
                &[
                    ('复', '议'),
                    ('诉', '讼'),
                    ('维', '持'),
                    ('纠', '正'),
                    ('审', '结'),
                ],
            )
    });
    let segs = segments(tokens);
    // Take value groups until 15 values are collected; the group that reaches 15 is kept whole
    // so that a sixteenth value on the same row is seen.
    let mut values: Vec<Token> = Vec::new();
    let mut count = 0;
    let mut last_seg: Option<&Segment> = None;
    for seg in &segs {
        if count >= expected {
            break;
        }
        let n = seg
            .values
            .iter()
            .filter(|t| t.kind == TokKind::Value)
            .count();
        if n == 0 {
            continue;
        }
        values.extend_from_slice(seg.values);
        count += n;
        last_seg = Some(seg);
    }
    if !header_seen && count == 0 {
        return None;
    }
    let keys: Vec<CellKey> = (0..APPEALS_GROUPS.len())
        .flat_map(|g| (0..APPEALS_COLS.len()).map(move |c| CellKey::appeals(g, c)))
        .collect();
    let row = read_row(
        text,
        &values,
        expected,
        Relation::GroupSums(APPEALS_COLS.len()),
        TableId::Appeals,
        "行政复议、行政诉讼",
    );
    for (key, span) in keys.iter().zip(&row.cells) {
        if let Some(span) = span {
            cells[key.index()] = Cell::read(&text[span.start..span.end], *span);
        }
    }
    let span = values
        .iter()
        .filter(|t| t.kind == TokKind::Value)
        .map(|t| Span::new(t.start, t.end))
        .reduce(Span::cover);
    if let Some(kind) = row.warning {
        push_warning(warnings, kind, keys, span);
    }
    let end = span
        .map(|s| s.end)
        .or_else(|| last_seg.and_then(seg_span).map(|s| s.end))
        .unwrap_or(region.start);
    Some(end.max(region.start))
}

/// What [`read_active_queued`] read: each cell with the span of its value, and the rows of
/// several cells that were read from a value group they shared (whose order, by rows or by
/// columns, had to be decided).
pub(super) struct QueuedRead {
    /// The cells read.
    pub cells: Vec<(CellKey, Span)>,
    /// Rows read from a shared value group, in order.
    pub shared: Vec<usize>,
}

/// Table 二 read as two queues, for text whose labels are detached from their numbers: row
/// labels wait for a value group and value groups wait for labels, and a group goes to the
/// waiting rows whose cells it fills exactly (`规章 行政规范性文件 行政许可 … 1 8 0 26 11 66 …
/// 447228`: the six values to the two rows of three, the next to 行政许可; a fee printed before
/// its label waits for it). Where a group fills several rows of three it was printed row by row,
/// or, when `by_columns` (table 三 of the same text was printed column by column), column by
/// column. Returns the cells read and the rows read from a shared group, or `None` when nothing
/// matched.
pub(super) fn read_active_queued(
    text: &str,
    tokens: &[Token],
    by_columns: bool,
) -> Option<QueuedRead> {
    let anchors = ACTIVE_ANCHORS.as_ref()?;
    let specs: &[RowSpec] = &ACTIVE_SPECS;
    let segs = segments(tokens);
    let mut matched = vec![false; specs.len()];
    let mut rows: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    let mut groups: std::collections::VecDeque<Vec<Span>> = std::collections::VecDeque::new();
    let mut named = Vec::new();
    let mut buf = String::new();
    let mut out = Vec::new();
    let mut shared = Vec::new();
    for seg in &segs {
        let run = label_run(text, seg, &mut buf);
        rows_named(run, anchors, &matched, false, &mut named);
        for &(_, r, _) in &named {
            matched[r] = true;
            rows.push_back(r);
        }
        let values: Vec<Span> = seg
            .values
            .iter()
            .filter(|t| t.kind == TokKind::Value)
            .map(|t| Span::new(t.start, t.end))
            .collect();
        if !values.is_empty() {
            groups.push_back(values);
        }
        while let Some(group) = groups.front() {
            let mut filled = 0;
            let Some(take) = rows.iter().position(|&r| {
                filled += specs[r].keys.len();
                filled >= group.len()
            }) else {
                break;
            };
            if filled != group.len() {
                break;
            }
            let taken: Vec<usize> = rows.drain(..=take).collect();
            let width = specs[taken[0]].keys.len();
            let square = taken.len() > 1 && taken.iter().all(|&r| specs[r].keys.len() == width);
            for (i, &r) in taken.iter().enumerate() {
                for (c, key) in specs[r].keys.iter().enumerate() {
                    let at = if square && by_columns {
                        c * taken.len() + i
                    } else {
                        taken[..i]
                            .iter()
                            .map(|&p| specs[p].keys.len())
                            .sum::<usize>()
                            + c
                    };
                    out.push((*key, group[at]));
                }
            }
            // Rows of one cell read the same in either order: only wider rows were shared.
            if square && width > 1 {
                shared.extend(&taken);
            }
            groups.pop_front();
        }
    }
    (!out.is_empty()).then_some(QueuedRead { cells: out, shared })
}
