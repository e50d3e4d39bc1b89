//! Finds the six part headings (tolerating `二、`, `2、`, `（二）`, no numbering, spaces inside
//! words, title variants) and from them the region of text each table is read from.

use super::layout::{Lines, trim};
use super::{ExtractionWarning, WarningKind};
use crate::ingest::limits::MAX_TABLE_REGION_BYTES;
use crate::model::value::chinese_numeral;
use crate::model::{Span, TableId};
use aho_corasick::AhoCorasick;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// A part heading (一、总体情况 … 六、其他需要报告的事项) as found in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartHeading {
    /// Which part it is by its words (1…6).
    pub part: u8,
    /// The number printed before it (`二、` → 2, `2、` → 2, `（二）` → 2), if any.
    pub printed_number: Option<u32>,
    /// The heading line, trimmed.
    pub text: String,
    /// Where the heading line is (trimmed).
    pub span: Span,
}

/// A table's region: byte range of the text to read it from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// The regions found, by table.
#[derive(Debug, Default)]
pub struct Regions {
    regions: [Option<Region>; 3],
}

impl Regions {
    /// The region of a table.
    pub fn get(&self, table: TableId) -> Option<&Region> {
        self.regions[table as usize].as_ref()
    }
}

/// Words one of which every part heading contains.
const HEADING_WORDS: [&str; 4] = ["情况", "问题", "事项", "概述"];

/// True when `s` holds one of [`HEADING_WORDS`]. Each is two 3-byte characters; the last byte
/// of the second (况 B5, 题 98, 项 B9, 述 B0) is searched for first and the six bytes ending
/// there compared, which on CJK text costs less than a substring search per word.
fn names_heading_word(s: &str) -> bool {
    let b = s.as_bytes();
    let ends_word =
        |i: usize| i >= 5 && HEADING_WORDS.iter().any(|w| &b[i - 5..=i] == w.as_bytes());
    memchr::memchr3_iter(0xB5, 0x98, 0xB9, b).any(ends_word)
        || memchr::memchr_iter(0xB0, b).any(ends_word)
}

/// Longest line (in characters) taken for a heading.
const MAX_HEADING_CHARS: usize = 40;

/// Chinese numerals of at most three characters from 〇 一 … 九 十, as part numbers are printed
/// (`二`, `十二`, `二十一`).
fn chinese_number(s: &str) -> Option<u32> {
    if s.is_empty() || s.chars().count() > 3 || !s.chars().all(is_chinese_numeral) {
        return None;
    }
    chinese_numeral(s)
}

/// 〇 一 … 九 十.
fn is_chinese_numeral(c: char) -> bool {
    matches!(
        c,
        '〇' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

fn ascii_number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 8 {
        return None;
    }
    let mut n = 0u32;
    for c in s.chars() {
        let d = if c.is_ascii_digit() {
            c as u32 - '0' as u32
        } else if ('０'..='９').contains(&c) {
            c as u32 - '０' as u32
        } else {
            return None;
        };
        n = n * 10 + d;
    }
    Some(n)
}

fn number_word(s: &str) -> Option<u32> {
    chinese_number(s).or_else(|| ascii_number(s))
}

/// Splits a numbering prefix off a heading line: `二、`, `2、`, `2.`, `（二）`, `(2)`, `第二部分`.
/// Returns the number and the rest of the line.
pub fn split_numbering(line: &str) -> (Option<u32>, &str) {
    let t = line
        .trim_start_matches(['#', ' ', '\u{3000}', '\u{a0}', '*'])
        .trim();
    for (open, close) in [('（', '）'), ('(', ')'), ('（', ')'), ('(', '）')] {
        if let Some(rest) = t.strip_prefix(open)
            && let Some(i) = rest.find(close)
            && let Some(n) = number_word(rest[..i].trim())
        {
            return (Some(n), rest[i + close.len_utf8()..].trim_start());
        }
    }
    if let Some(rest) = t.strip_prefix('第')
        && let Some(i) = rest.find("部分")
        && let Some(n) = number_word(rest[..i].trim())
    {
        let rest = rest[i + "部分".len()..].trim_start();
        return (Some(n), rest.trim_start_matches(['、', '：', ':', ' ']));
    }
    let end = t
        .char_indices()
        .find(|(_, c)| !(is_chinese_numeral(*c) || c.is_ascii_digit() || ('０'..='９').contains(c)))
        .map_or(t.len(), |(i, _)| i);
    if end > 0 {
        let after = &t[end..];
        let mut chars = after.chars();
        if let Some(sep) = chars.next()
            && matches!(
                sep,
                '、' | '.' | '．' | ',' | '，' | ' ' | '\u{3000}' | '\u{a0}'
            )
            && let Some(n) = number_word(&t[..end])
        {
            return (Some(n), chars.as_str().trim_start());
        }
    }
    (None, t)
}

/// Which part a heading's words name, given the text after its numbering (spaces removed).
fn part_of(words: &str) -> Option<u8> {
    let bare = words.strip_prefix("政府信息公开").unwrap_or(words);
    let starts = |a: &str| bare.starts_with(a);
    if words.contains("行政复议") && words.contains("诉讼") {
        return Some(4);
    }
    if starts("总体情况") || words == "概述" {
        return Some(1);
    }
    if words.contains("主动公开政府信息") {
        return Some(2);
    }
    if words.contains("收到和处理") {
        return Some(3);
    }
    if words.contains("存在的主要问题") || words.contains("主要问题及改进") {
        return Some(5);
    }
    if words.contains("其他需要报告") || words.contains("其他需报告") {
        return Some(6);
    }
    None
}

/// Finds the part headings: short lines naming a part, taken in order 一…六 (the first fitting
/// line after the previous heading).
pub fn find_parts(text: &str, lines: &Lines) -> Vec<PartHeading> {
    let mut candidates: Vec<PartHeading> = Vec::new();
    for line in lines.all() {
        let raw = &text[line.start..line.end];
        // Cheap filters first: a heading is a short line without table delimiters (rows of
        // delimited tables mostly start with theirs) that names a heading word.
        if raw.len() < 12 || matches!(raw.as_bytes()[0], b'\t' | b'|') || !may_start_heading(raw) {
            continue;
        }
        let trimmed = trim(raw);
        if trimmed.len() < 12
            || trimmed.len() > MAX_HEADING_CHARS * 4
            || memchr::memchr2(b'\t', b'|', raw.as_bytes()).is_some()
            || (trimmed.len() > MAX_HEADING_CHARS && trimmed.chars().count() > MAX_HEADING_CHARS)
            || !names_heading_word(trimmed)
        {
            continue;
        }
        let (number, rest) = split_numbering(trimmed);
        let words: std::borrow::Cow<str> = if rest.contains(char::is_whitespace) {
            rest.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .into()
        } else {
            rest.into()
        };
        let Some(part) = part_of(&words) else {
            continue;
        };
        if words.chars().count() > 32 {
            continue;
        }
        if number.is_none() && !starts_with_part_words(&words) {
            continue;
        }
        // `（一）主动公开政府信息情况` under `一、总体情况`, `（二）…存在的主要问题` under part 五: a
        // bracketed number that is not the part's own marks a sub-heading.
        if trimmed.starts_with(['（', '(']) && number.is_some_and(|n| n != u32::from(part)) {
            continue;
        }
        let lead = raw.len() - raw.trim_start().len();
        let start = line.start + lead;
        candidates.push(PartHeading {
            part,
            printed_number: number,
            text: trimmed.to_owned(),
            span: Span::new(start, start + trimmed.len()),
        });
    }
    let mut chosen: Vec<PartHeading> = Vec::new();
    let mut after = 0usize;
    for part in 1..=6u8 {
        if let Some(h) = candidates
            .iter()
            .find(|h| h.part == part && h.span.start >= after)
        {
            after = h.span.end;
            chosen.push(h.clone());
        }
    }
    chosen
}

/// A first test on the line's first character: a heading starts with its numbering (`二、`,
/// `2、`, `（二）`, `第二部分`) or, unnumbered, with its part's words (see
/// [`starts_with_part_words`]). Lines it turns away would be turned away later anyway.
fn may_start_heading(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    let mut i = 0;
    // Past markdown marks and white space to the first character, ASCII judged by its byte.
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            if matches!(b, b'#' | b'*' | b' ' | b'\t'..=b'\r') {
                i += 1;
                continue;
            }
            return b.is_ascii_digit() || b == b'(';
        }
        let Some(c) = raw[i..].chars().next() else {
            return false;
        };
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        return ('０'..='９').contains(&c)
            || is_chinese_numeral(c)
            || matches!(
                c,
                '（' | '第' | '总' | '主' | '收' | '政' | '因' | '存' | '其'
            );
    }
    false
}

/// Without a number, a heading must start with its part's words.
fn starts_with_part_words(words: &str) -> bool {
    PART_WORDS.iter().any(|a| words.starts_with(a))
}

/// The words an unnumbered heading starts with.
const PART_WORDS: [&str; 7] = [
    "总体情况",
    "主动公开政府信息",
    "收到和处理",
    "政府信息公开行政复议",
    "因政府信息公开",
    "存在的主要问题",
    "其他需要报告",
];

fn heading(parts: &[PartHeading], part: u8) -> Option<&PartHeading> {
    parts.iter().find(|h| h.part == part)
}

/// First line at or after `from` (and before `to`) whose text contains one of `needles`:
/// the line's start.
fn first_line_with(
    text: &str,
    lines: &Lines,
    from: usize,
    to: usize,
    needles: &[&str],
) -> Option<usize> {
    let i = lines.first_at_or_after(from);
    lines.all()[i..]
        .iter()
        .take_while(|l| l.start < to)
        .find(|l| {
            let s = &text[l.start..l.end];
            needles.iter().any(|n| s.contains(n))
        })
        .map(|l| l.start)
}

/// Finds each table's region from the part headings, or from the tables' own anchor words when
/// a heading is missing.
pub fn table_regions(text: &str, lines: &Lines, parts: &[PartHeading]) -> Regions {
    let len = text.len();
    let h = |p| heading(parts, p);
    let next_heading_after = |pos: usize, from_part: u8| {
        parts
            .iter()
            .filter(|p| p.part >= from_part && p.span.start >= pos)
            .map(|p| p.span.start)
            .min()
    };

    let active_start = h(2).map(|p| p.span.end).or_else(|| {
        first_line_with(
            text,
            lines,
            0,
            len,
            &["本年制发件数", "第二十条第", "本年处理决定数量"],
        )
    });
    let requests_start = h(3).map(|p| p.span.end).or_else(|| {
        let from = active_start.unwrap_or(0);
        first_line_with(
            text,
            lines,
            from,
            len,
            &["勾稽关系", "本年新收政府信息公开申请", "本年新收"],
        )
    });
    let appeals_start = h(4).map(|p| p.span.end).or_else(|| {
        let from = requests_start.or(active_start).unwrap_or(0);
        first_line_with(text, lines, from, len, &["未经复议直接起诉", "复议后起诉"])
            .map(|pos| header_start_before(text, lines, pos))
    });

    let mut regions = Regions::default();
    if let Some(start) = active_start {
        let end = [
            h(3).map(|p| p.span.start).or(requests_start),
            h(4).map(|p| p.span.start).or(appeals_start),
        ]
        .into_iter()
        .flatten()
        .filter(|&s| s > start)
        .min()
        .or_else(|| next_heading_after(start, 3))
        .unwrap_or(len);
        regions.regions[TableId::Active as usize] = Some(Region { start, end });
    }
    if let Some(start) = requests_start {
        let end = appeals_start
            .filter(|&s| s > start)
            .map(|s| h(4).filter(|p| p.span.end == s).map_or(s, |p| p.span.start))
            .or_else(|| next_heading_after(start, 4))
            .unwrap_or(len);
        regions.regions[TableId::Requests as usize] = Some(Region { start, end });
    }
    if let Some(start) = appeals_start {
        let end = next_heading_after(start, 5).unwrap_or(len);
        regions.regions[TableId::Appeals as usize] = Some(Region { start, end });
    }
    for region in regions.regions.iter_mut().flatten() {
        region.end = region
            .end
            .min(text.floor_char_boundary(region.start + MAX_TABLE_REGION_BYTES));
    }
    regions
}

/// When table 四 is found by `未经复议直接起诉`, its header line `行政复议 … 行政诉讼` may sit just
/// above: start there.
fn header_start_before(text: &str, lines: &Lines, pos: usize) -> usize {
    let i = lines.first_at_or_after(pos);
    lines.all()[..i]
        .iter()
        .rev()
        .take(6)
        .find(|l| text[l.start..l.end].trim_start().starts_with("行政复议"))
        .map_or(pos, |l| l.start)
}

/// Labels of the 2019 trial format that should not appear in a 2021-format report.
const STALE_PHRASES: &[&str] = &[
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "本年增减",
    "处理决定数量（件）",
];

/// A warning when labels of the pre-2021 trial format appear in the tables.
pub fn stale_template(text: &str, regions: &Regions) -> Option<ExtractionWarning> {
    static FINDER: LazyLock<Option<AhoCorasick>> =
        LazyLock::new(|| AhoCorasick::new(STALE_PHRASES).ok());
    let region = regions.get(TableId::Active)?;
    let body = &text[region.start..region.end];
    // The first phrase of the list that occurs, at its first occurrence: one pass over the
    // table instead of one per phrase.
    let (index, at) = FINDER
        .as_ref()?
        .find_overlapping_iter(body)
        .map(|m| (m.pattern().as_usize(), m.start()))
        .min()?;
    let phrase = STALE_PHRASES[index];
    let at = region.start + at;
    let kind = WarningKind::StaleTemplate {
        phrase: phrase.to_owned(),
    };
    Some(ExtractionWarning {
        message: kind.message(),
        kind,
        keys: TableId::Active.keys().collect(),
        span: Some(Span::new(at, at + phrase.len())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every numbering style of a part heading is read, with its printed number.
    #[test]
    fn numbering_styles() {
        assert_eq!(
            split_numbering("二、主动公开政府信息情况"),
            (Some(2), "主动公开政府信息情况")
        );
        assert_eq!(
            split_numbering("2、 主动公开政府信息情况"),
            (Some(2), "主动公开政府信息情况")
        );
        assert_eq!(split_numbering("（二）主动公开"), (Some(2), "主动公开"));
        assert_eq!(split_numbering("(3) 收到"), (Some(3), "收到"));
        assert_eq!(split_numbering("第四部分 行政复议"), (Some(4), "行政复议"));
        assert_eq!(split_numbering("十二、其他"), (Some(12), "其他"));
        assert_eq!(split_numbering("总体情况"), (None, "总体情况"));
    }

    // The first-character filter lets every heading start through: part words, numerals,
    // digits, brackets, 第, after markdown marks and spaces.
    #[test]
    fn heading_starts() {
        for w in PART_WORDS {
            assert!(may_start_heading(w), "{w}");
        }
        for s in [
            "二、主动公开",
            "十二、其他",
            "2、 主动公开",
            "２．主动公开",
            "（二）主动公开",
            "(3) 收到",
            "第四部分 行政复议",
            "## 一、总体情况",
            "**三、收到和处理**",
            "\u{3000}　四、政府信息公开行政复议",
        ] {
            assert!(may_start_heading(s), "{s}");
        }
        assert!(!may_start_heading("本年新收政府信息公开申请数量"));
        assert!(!may_start_heading("\t行政许可"));
    }

    // The heading words are found wherever they are, and only whole.
    #[test]
    fn heading_words() {
        for w in HEADING_WORDS {
            assert!(names_heading_word(w), "{w}");
            assert!(names_heading_word(&format!("一、{w}")), "{w}");
        }
        assert!(names_heading_word("五、存在的主要问题及改进情况"));
        assert!(!names_heading_word("三、收到和处理政府信息公开申请"));
        assert!(!names_heading_word("情 况"));
        assert!(!names_heading_word(""));
    }

    // Headings are found in order with variants; long sentences naming parts are not headings.
    #[test]
    fn finds_parts() {
        let text = "报告全文分总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分。\n\
一、总体情况\n正文\n2、 主动公开政府信息情况\n规章\t0\n（三）收到和处理政府信息公开申请情况\n四、结转下年度继续办理\t0\n\
四、因政府信息公开工作被申请行政复议、提起行政诉讼情况\n五、政府信息公开工作存在的主要问题及改进情况\n六、其他需要报告的事项\n";
        let lines = Lines::new(text);
        let parts = find_parts(text, &lines);
        let got: Vec<(u8, Option<u32>)> =
            parts.iter().map(|p| (p.part, p.printed_number)).collect();
        assert_eq!(
            got,
            [
                (1, Some(1)),
                (2, Some(2)),
                (3, Some(3)),
                (4, Some(4)),
                (5, Some(5)),
                (6, Some(6))
            ]
        );
        assert_eq!(
            parts[3].text,
            "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"
        );
    }

    // Sub-headings numbered in brackets name a part's words under another part (real web
    // pages): `（一）主动公开政府信息情况` under 总体情况 is not part 二, `（二）…存在的主要问题`
    // under part 五 not a second part 五; the real headings are found.
    #[test]
    fn bracketed_sub_headings_are_not_parts() {
        let text = "一、总体情况\n（一）主动公开政府信息情况\n本年主动公开信息120条。\n\
二、主动公开政府信息情况\n规章\t0\n三、收到和处理政府信息公开申请情况\n\
四、政府信息公开行政复议、行政诉讼情况\n五、政府信息公开工作存在的主要问题及改进情况\n\
（一）存在的主要问题\n（二）改进情况\n六、其他需要报告的事项\n";
        let lines = Lines::new(text);
        let parts = find_parts(text, &lines);
        let got: Vec<(u8, &str)> = parts.iter().map(|p| (p.part, p.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (1, "一、总体情况"),
                (2, "二、主动公开政府信息情况"),
                (3, "三、收到和处理政府信息公开申请情况"),
                (4, "四、政府信息公开行政复议、行政诉讼情况"),
                (5, "五、政府信息公开工作存在的主要问题及改进情况"),
                (6, "六、其他需要报告的事项"),
            ]
        );
    }
}
