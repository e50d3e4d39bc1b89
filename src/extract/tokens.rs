//! Splits a table's region into tokens: values (numbers, placeholders, numbers with a unit or a
//! note), labels (any other text), and empty fields of delimited rows. Page-number lines and
//! markdown separator rows are dropped.

use super::layout::{Lines, trim, trim_bounds};
use crate::model::value::placeholder_exact;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokKind {
    /// A cell value: a number (maybe with a unit or note) or a placeholder.
    Value,
    /// Any other text: labels, headers, notes.
    Label,
    /// An empty field between delimiters (tab or `|`).
    Empty,
}

/// One token with its byte range in the source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: TokKind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Index of the line it is on.
    pub line: usize,
    /// True when the line it is on is delimited by tabs or pipes.
    pub delimited: bool,
    /// A run of digits glued to the label before it (`行政规范性文件693665`).
    pub glued: bool,
}

/// Units that may follow a number inside a cell.
const UNITS: &[&str] = &[
    "万元", "元", "件", "个", "条", "项", "次", "%", "％", "万", "宗", "份",
];

/// Tokenizes the lines of `text` from byte `start` to byte `end`.
pub fn tokenize(text: &str, lines: &Lines, start: usize, end: usize) -> Vec<Token> {
    // About one token per eight bytes of a table (a CJK label is 3 bytes a character).
    let mut out = Vec::with_capacity((end - start) / 8 + 16);
    let first = lines.first_at_or_after(start);
    // One vectorised search of the whole region spares a search of each line in regions
    // without delimiters.
    let any_delims = memchr::memchr2(b'\t', b'|', &text.as_bytes()[start..end]).is_some();
    for (idx, line) in lines.all().iter().enumerate().skip(first) {
        if line.start >= end {
            break;
        }
        let line_end = line.end.min(end);
        let content = &text[line.start..line_end];
        let t = trim(content);
        if t.is_empty() || is_page_furniture(t, text, lines, idx) || is_markdown_rule(t) {
            continue;
        }
        // Fields are short: plain byte loops beat vectorised searches here. Both delimiters
        // are ASCII, so they never match inside a multi-byte character.
        let bytes = content.as_bytes();
        let is_delim = |b: &u8| *b == b'\t' || *b == b'|';
        let first_delim = if any_delims {
            bytes.iter().position(is_delim)
        } else {
            None
        };
        let delimited = first_delim
            .is_some_and(|i| bytes[i] == b'\t' || bytes[i..].contains(&b'\t') || is_pipe_row(t));
        if let (true, Some(first)) = (delimited, first_delim) {
            let mut field_start = line.start;
            for (i, &b) in bytes.iter().enumerate().skip(first) {
                if is_delim(&b) {
                    push_field(text, field_start, line.start + i, idx, true, &mut out);
                    field_start = line.start + i + 1;
                }
            }
            push_field(text, field_start, line_end, idx, true, &mut out);
        } else {
            push_words(text, line.start, line_end, idx, false, false, &mut out);
        }
    }
    out
}

/// `t` is a trimmed line.
fn is_pipe_row(t: &str) -> bool {
    t.starts_with('|') || t.matches('|').count() >= 2
}

/// `— 5 —`, `- 4 -`, `第 3 页`, `第3页 共12页`: page furniture inside a table (`t` is the
/// trimmed line `idx` of `text`). A dashed number is also how a row of three cells prints when
/// two are dash placeholders (`— 5 —` under 规章, labels detached), so between two lines of
/// values it is taken for a page number only when another line of the text shows the page
/// before or after it (`— 4 —`, `— 6 —`): every page of a numbered document has its number.
/// A `第 3 页` line is always furniture.
fn is_page_furniture(t: &str, text: &str, lines: &Lines, idx: usize) -> bool {
    // The first byte of `-`, of `— – ― ─` (E2), of `－` (EF) and of `第` (E7) first.
    if !matches!(t.as_bytes().first(), Some(b'-' | 0xE2 | 0xEF | 0xE7)) {
        return false;
    }
    let Some(n) = dashed_page_number(t) else {
        return is_numbered_page(t);
    };
    let all = lines.all();
    let line_text = |i: usize| trim(&text[all[i].start..all[i].end]);
    let between_values = {
        let before = (0..idx).rev().map(line_text).find(|l| !l.is_empty());
        let after = (idx + 1..all.len()).map(line_text).find(|l| !l.is_empty());
        [before, after].iter().all(|l| l.is_some_and(is_value_line))
    };
    !between_values
        || (0..all.len()).any(|i| {
            i != idx && dashed_page_number(line_text(i)).is_some_and(|m| m + 1 == n || m == n + 1)
        })
}

/// A trimmed line of nothing but printed values: numbers and placeholders.
fn is_value_line(l: &str) -> bool {
    l.split_whitespace()
        .all(|w| placeholder_exact(w) || w.starts_with(|c: char| c.is_ascii_digit()))
}

/// The page number of a trimmed line that is a number between dashes (`— 5 —`, `-4-`): a
/// page count, so from 1, without a leading zero, under 10,000.
fn dashed_page_number(t: &str) -> Option<u32> {
    if !t.starts_with(['-', '—', '–', '－', '―', '─']) {
        return None;
    }
    let dashes = |c: char| matches!(c, '-' | '—' | '–' | '－' | '―' | '─') || c.is_whitespace();
    let inner = t.trim_matches(dashes);
    if inner.is_empty()
        || inner.len() > 4
        || inner.starts_with('0')
        || t.ends_with(|c: char| c.is_ascii_digit())
        || !inner.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    inner.parse().ok()
}

/// `第 3 页`, `第3页 共12页` (`t` is trimmed).
fn is_numbered_page(t: &str) -> bool {
    let Some(rest) = t.strip_prefix('第') else {
        return false;
    };
    let rest = rest.trim_start();
    let digits = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    if digits.len() == rest.len() {
        return false;
    }
    let Some(tail) = digits.trim_start().strip_prefix('页') else {
        return false;
    };
    let tail = tail.trim();
    tail.is_empty()
        || (tail.starts_with('共')
            && tail.ends_with('页')
            && tail
                .trim_start_matches('共')
                .trim_end_matches('页')
                .trim()
                .chars()
                .all(|c| c.is_ascii_digit()))
}

/// `|---|:--:|` rows of markdown tables (`t` is trimmed).
fn is_markdown_rule(t: &str) -> bool {
    // The character test first: it fails at once on a pipe row with content.
    matches!(t.as_bytes().first(), Some(b'|' | b'-' | b':'))
        && t.bytes()
            .all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'))
        && t.contains("---")
}

/// One delimited field: an empty token, one value, several values separated by spaces, or words.
fn push_field(
    text: &str,
    start: usize,
    end: usize,
    line: usize,
    delimited: bool,
    out: &mut Vec<Token>,
) {
    let (s, e) = trim_range(text, start, end);
    if s >= e {
        out.push(Token {
            kind: TokKind::Empty,
            start: s,
            end: s,
            line,
            delimited,
            glued: false,
        });
        return;
    }
    if classify_word(&text[s..e]) == WordKind::Value {
        out.push(Token {
            kind: TokKind::Value,
            start: s,
            end: e,
            line,
            delimited,
            glued: false,
        });
        return;
    }
    push_words(text, s, e, line, delimited, true, out);
}

/// Splits on white space and classifies each word; units and bracketed notes after a value are
/// merged into it; digits glued to a label are split off as a value. `known_label`: the caller
/// has classified the whole range as a label, so a range that turns out to be one word is not
/// classified again.
fn push_words(
    text: &str,
    start: usize,
    end: usize,
    line: usize,
    delimited: bool,
    known_label: bool,
    out: &mut Vec<Token>,
) {
    let bytes = text.as_bytes();
    let mut i = start;
    let mut word_start: Option<usize> = None;
    // Byte-level scan: ASCII white space, or a multi-byte white-space character (NBSP,
    // ideographic space, the U+2000 block); other characters are skipped by their UTF-8 length.
    while i < end {
        let b = bytes[i];
        let (width, space) = if b < 0x80 {
            (1, b.is_ascii_whitespace())
        } else {
            let width = utf8_width(b);
            let space = matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3)
                && text
                    .get(i..(i + width).min(end))
                    .and_then(|s| s.chars().next())
                    .is_some_and(char::is_whitespace);
            (width, space)
        };
        if space {
            if let Some(ws) = word_start.take() {
                push_word(text, ws, i, line, delimited, false, out);
            }
        } else if word_start.is_none() {
            word_start = Some(i);
        }
        i += width;
    }
    if let Some(ws) = word_start {
        // The word started at `start` only when no white space came before the end.
        push_word(
            text,
            ws,
            end,
            line,
            delimited,
            known_label && ws == start,
            out,
        );
    }
}

/// Length of a UTF-8 sequence from its first byte.
fn utf8_width(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn push_word(
    text: &str,
    s: usize,
    e: usize,
    line: usize,
    delimited: bool,
    known_label: bool,
    out: &mut Vec<Token>,
) {
    let word = &text[s..e];
    let token = |kind, start, end, glued| Token {
        kind,
        start,
        end,
        line,
        delimited,
        glued,
    };
    if !known_label && classify_word(word) == WordKind::Value {
        out.push(token(TokKind::Value, s, e, false));
        return;
    }
    if let Some(last) = out.last_mut()
        && last.kind == TokKind::Value
        && last.line == line
        && !last.glued
        && is_unit_or_note(word)
        && text[last.end..s].chars().all(char::is_whitespace)
        && !text[last.end..s].contains('\t')
    {
        last.end = e;
        return;
    }
    match glued_digits_start(word) {
        Some(d) => {
            out.push(token(TokKind::Label, s, s + d, false));
            out.push(token(TokKind::Value, s + d, e, true));
        }
        None => out.push(token(TokKind::Label, s, e, false)),
    }
}

fn trim_range(text: &str, start: usize, end: usize) -> (usize, usize) {
    let (s, e) = trim_bounds(&text[start..end]);
    if s == e {
        return (start, start);
    }
    (start + s, start + e)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WordKind {
    Value,
    Label,
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// A whole word (or field, trimmed) read as a cell value, or not.
fn classify_word(w: &str) -> WordKind {
    if placeholder_exact(w) {
        return WordKind::Value;
    }
    // A number starts with an ASCII digit or minus, or a full-width digit or minus (0xEF…) or
    // `−` (0xE2…); any other first byte is a label without scanning.
    if !matches!(w.as_bytes().first(), Some(b'0'..=b'9' | b'-' | 0xEF | 0xE2)) {
        return WordKind::Label;
    }
    let Some(len) = crate::model::value::number_len(w) else {
        return WordKind::Label;
    };
    let rest = w[len..].trim_start();
    if rest.is_empty() {
        return WordKind::Value;
    }
    // `1.属于国家秘密`, `2、重复申请`: an enumerator, not a number.
    if rest.starts_with(['.', '、', '．', '，', ',']) {
        return WordKind::Label;
    }
    if is_unit_or_note(rest) {
        return WordKind::Value;
    }
    WordKind::Label
}

/// `万元`, `件`, or a bracketed note such as `（其中修订16件）` (not an enumerator like `（二）`).
fn is_unit_or_note(word: &str) -> bool {
    let w = word.trim();
    if UNITS.contains(&w) {
        return true;
    }
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(inner) = w.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            if inner.contains(['（', '）', '(', ')']) {
                return false;
            }
            let numeral = inner
                .chars()
                .all(|c| "一二三四五六七八九十".contains(c) || is_digit(c));
            return !numeral && inner.chars().count() >= 2;
        }
    }
    false
}

/// Where a run of digits glued to the end of a label starts (`行政规范性文件693665` → 21).
fn glued_digits_start(word: &str) -> Option<usize> {
    let mut trimmed = word.trim_end_matches(is_digit);
    if trimmed.len() == word.len() || trimmed.is_empty() {
        return None;
    }
    // A decimal glued to its label: `行政事业性收费39910.33`.
    if let Some(int_part) = trimmed.strip_suffix(['.', '．'])
        && int_part.ends_with(is_digit)
    {
        trimmed = int_part.trim_end_matches(is_digit);
    }
    let before = trimmed.chars().next_back()?;
    // Only after a CJK character that ends a label, never after `第` (`第20条`) or a digit-ish sign.
    let cjk = ('\u{4e00}'..='\u{9fff}').contains(&before);
    (cjk && before != '第' && !trimmed.chars().any(is_digit)).then_some(trimmed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokKind, &str)> {
        let lines = Lines::new(text);
        tokenize(text, &lines, 0, text.len())
            .into_iter()
            .map(|t| (t.kind, &text[t.start..t.end]))
            .collect()
    }

    // Tab-separated rows keep empty fields; values and labels are told apart.
    #[test]
    fn tab_rows() {
        use TokKind::*;
        assert_eq!(
            kinds("行政许可\t31510\t\t\n"),
            [
                (Label, "行政许可"),
                (Value, "31510"),
                (Empty, ""),
                (Empty, "")
            ]
        );
        assert_eq!(
            kinds("\t\t1. 属于国家秘密\t0"),
            [
                (Empty, ""),
                (Empty, ""),
                (Label, "1."),
                (Label, "属于国家秘密"),
                (Value, "0")
            ]
        );
    }

    // Units and notes stay with their number; enumerators and years are labels.
    #[test]
    fn units_notes_enumerators() {
        use TokKind::*;
        assert_eq!(
            kinds("行政事业性收费\t12872.06 万元\t\t"),
            [
                (Label, "行政事业性收费"),
                (Value, "12872.06 万元"),
                (Empty, ""),
                (Empty, "")
            ]
        );
        assert_eq!(
            kinds("规范性文件 22（其中修订16件） 0"),
            [
                (Label, "规范性文件"),
                (Value, "22（其中修订16件）"),
                (Value, "0")
            ]
        );
        assert_eq!(
            kinds("2022年 3.其他 （二）"),
            [(Label, "2022年"), (Label, "3.其他"), (Label, "（二）")]
        );
        assert_eq!(
            kinds("0 （二）部分公开"),
            [(Value, "0"), (Label, "（二）部分公开")]
        );
    }

    // Digits run together after a label are split off as one glued value.
    #[test]
    fn glued_digits() {
        let text = "行政规范性文件693665";
        let lines = Lines::new(text);
        let toks = tokenize(text, &lines, 0, text.len());
        assert_eq!(toks.len(), 2);
        assert!(toks[1].glued);
        assert_eq!(&text[toks[1].start..toks[1].end], "693665");
        assert_eq!(kinds("第20条"), [(TokKind::Label, "第20条")]);
        assert_eq!(
            kinds("行政事业性收费39910.33"),
            [
                (TokKind::Label, "行政事业性收费"),
                (TokKind::Value, "39910.33")
            ]
        );
    }

    // A dashed number is a page number only beside the page before or after it; alone, or as
    // 0, it is a row of three cells with two dash placeholders.
    #[test]
    fn dashed_numbers_without_neighbour_pages_are_values() {
        let values = |text: &str| {
            kinds(text)
                .iter()
                .map(|(_, t)| t.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(
            values("规章\n1 2 3\n— 0 —\n4 5 6"),
            "规章 1 2 3 — 0 — 4 5 6"
        );
        assert_eq!(
            values("规章\n1 2 3\n— 5 —\n4 5 6"),
            "规章 1 2 3 — 5 — 4 5 6"
        );
        // The page before (or after) is numbered elsewhere: furniture.
        assert_eq!(values("— 4 —\n1 2 3\n— 5 —\n4 5 6"), "1 2 3 4 5 6");
        assert_eq!(values("1 2 3\n-12-\n1 2\n-11-"), "1 2 3 1 2");
        // Beside a label it is furniture; a leading zero is not a page count.
        assert_eq!(values("规章\n— 5 —\n4 5 6"), "规章 4 5 6");
        assert_eq!(values("1\n— 07 —\n2"), "1 — 07 — 2");
    }

    // Page-number lines and markdown rules are dropped; pipe rows are delimited.
    #[test]
    fn page_numbers_and_pipes() {
        use TokKind::*;
        assert!(kinds("— 5 —\n- 4 -\n第 3 页\n第3页 共12页\n|---|:---:|").is_empty());
        assert_eq!(
            kinds("| 规章 | 0 | / |"),
            [
                (Empty, ""),
                (Label, "规章"),
                (Value, "0"),
                (Value, "/"),
                (Empty, "")
            ]
        );
        assert_eq!(kinds("5"), [(Value, "5")]);
    }
}
