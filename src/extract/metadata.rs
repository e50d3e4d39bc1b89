//! The issuing body and the report year. First from the title near the top, wherever it sits
//! (split over up to three lines, after a first line `正文`, after `标题:`, navigation text or a
//! page number); failing that from the sentence that says who compiled the report
//! (`本报告由…根据《条例》…编制`), and last from the signature at the end (the body's name
//! above the date). Only the top and the last lines are read, never the whole text.

use super::layout::Lines;
use super::locate::PartHeading;
use crate::model::Span;
use serde::{Deserialize, Serialize};

/// How many lines from the top are searched for the title when no part heading bounds it.
const TITLE_SEARCH_LINES: usize = 40;

/// A title is printed over at most this many lines.
const TITLE_MAX_LINES: usize = 3;

/// A line longer than this (in characters) is a paragraph; only its head can hold the title.
const TITLE_MAX_CHARS: usize = 80;

/// Words that mark the title line.
const TITLE_WORDS: &[&str] = &["年度报告", "年报", "工作报告"];

/// Prefixes that web pages put before the title.
const TITLE_PREFIXES: &[&str] = &[
    "标题:",
    "标题：",
    "标题",
    "题目:",
    "题目：",
    "题目",
    "正文:",
    "正文：",
    "正文",
    "当前位置:",
    "当前位置：",
    "当前位置",
];

/// Title words that may stand between the body's name and the year.
const NAME_TRAILERS: &[&str] = &[
    "政府信息公开工作",
    "政府信息公开",
    "政务公开工作",
    "政务公开",
    "信息公开",
    "关于",
    "的",
];

/// Characters that separate the steps of a site's navigation path (`首页 > 政务公开 > …`).
const NAVIGATION_SEPARATORS: &[char] = &['>', '＞', '»', '›', '→', '|', '｜', '/'];

/// How a body's name ends: `…人民政府`, `…局`, `…委员会`, `…办公室`, `…中心`, `…街道办事处`.
const BODY_ENDINGS: &[char] = &[
    '府', '局', '会', '委', '室', '办', '厅', '院', '所', '部', '处', '署', '站', '队', '馆', '社',
    '司', '行', '道', '镇', '乡', '区', '县', '市', '州', '省', '盟', '旗', '校', '学', '心', '台',
    '园', '场', '团', '科', '关', '狱', '村', '组',
];

/// How many lines from the top are searched for the compiled-by sentence.
const COMPILED_SEARCH_LINES: usize = 80;

/// How many bytes from the top are searched for the compiled-by sentence, at most.
const COMPILED_HEAD_BYTES: usize = 16 * 1024;

/// How many characters after `本报告` the compiled-by sentence and its period are looked for in.
const COMPILED_WINDOW_CHARS: usize = 240;

/// How many non-empty lines from the end are searched for the signature.
const SIGNATURE_LINES: usize = 8;

/// Where the body's name (or the year) was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencySource {
    /// The report's title (`淮安市洪泽区人民政府2024年政府信息公开工作年度报告`), or the line
    /// just above it.
    Title,
    /// The sentence that says who compiled the report (`本报告由…根据《条例》…编制`); the year
    /// from the statistics period that follows it.
    CompiledBy,
    /// The body's name and the date at the end of the report; the year is the one before the
    /// date's (reports are published by 31 January of the next year).
    Signature,
}

/// The body and year of a report, and where each was found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The issuing body.
    pub agency: Option<String>,
    /// The report year.
    pub year: Option<i32>,
    /// The title line(s), when the title was found.
    pub title_span: Option<Span>,
    /// Where `agency` was found.
    pub agency_source: Option<AgencySource>,
    /// Where `year` was found.
    pub year_source: Option<AgencySource>,
}

/// Reads the body and the year: from the title, else the compiled-by sentence, else the
/// signature.
pub fn read(text: &str, lines: &Lines, parts: &[PartHeading]) -> Metadata {
    let mut meta = Metadata::default();
    if let Some(t) = title(text, lines, parts) {
        meta.title_span = Some(t.span);
        meta.year = Some(t.year);
        meta.year_source = Some(AgencySource::Title);
        if let Some(agency) = t.agency {
            meta.agency = Some(agency);
            meta.agency_source = Some(AgencySource::Title);
        }
    }
    if meta.agency.is_none() || meta.year.is_none() {
        let (agency, year) = compiled_by(text, lines);
        meta.fill(agency, year, AgencySource::CompiledBy);
    }
    if meta.agency.is_none() || meta.year.is_none() {
        let (agency, year) = signature(text, lines);
        meta.fill(agency, year, AgencySource::Signature);
    }
    meta
}

impl Metadata {
    /// Takes what is still missing from a later source.
    fn fill(&mut self, agency: Option<String>, year: Option<i32>, source: AgencySource) {
        if self.agency.is_none() && agency.is_some() {
            self.agency = agency;
            self.agency_source = Some(source);
        }
        if self.year.is_none() && year.is_some() {
            self.year = year;
            self.year_source = Some(source);
        }
    }
}

/// The title found near the top.
struct Title {
    agency: Option<String>,
    year: i32,
    span: Span,
}

/// The text of a top line that can hold (part of) the title: the line, or the head of a long
/// line up to the end of its first title word.
fn title_piece(line: &str) -> Option<&str> {
    let trimmed = line.trim();
    if trimmed.chars().count() <= TITLE_MAX_CHARS {
        return Some(trimmed);
    }
    // A report exported as one long line: the title is its head.
    let head_end = trimmed
        .char_indices()
        .nth(TITLE_MAX_CHARS)
        .map_or(trimmed.len(), |(i, _)| i);
    let head = &trimmed[..head_end];
    TITLE_WORDS
        .iter()
        .filter_map(|w| head.find(w).map(|at| at + w.len()))
        .min()
        .map(|end| &trimmed[..end])
}

/// The title: the first run of one to three non-empty top lines that together hold a title
/// word and a year, the shortest run ending at each line tried first. The agency is what
/// precedes the year; when that is empty or only the tail of a name (`人民政府`), the line
/// above supplies it.
fn title(text: &str, lines: &Lines, parts: &[PartHeading]) -> Option<Title> {
    let limit = parts.first().map_or(usize::MAX, |p| p.span.start);
    // Non-empty top lines read so far; `None` for a paragraph line, which no title crosses.
    // Lines are read only up to the title.
    let mut top: Vec<Option<(Span, &str)>> = Vec::with_capacity(8);
    for l in lines
        .all()
        .iter()
        .take(TITLE_SEARCH_LINES)
        .take_while(|l| l.start < limit)
    {
        let raw = &text[l.start..l.end];
        let lead = raw.len() - raw.trim_start().len();
        if lead == raw.len() {
            continue;
        }
        top.push(title_piece(raw).map(|piece| {
            let start = l.start + lead;
            (Span::new(start, start + piece.len()), piece)
        }));
        let end = top.len() - 1;
        if let Some(found) = title_ending_at(&top, end) {
            return Some(found);
        }
    }
    None
}

/// The title whose last line is `top[end]`, trying one line, then two, then three.
fn title_ending_at(top: &[Option<(Span, &str)>], end: usize) -> Option<Title> {
    for count in 1..=TITLE_MAX_LINES.min(end + 1) {
        let first = end + 1 - count;
        let Some(window) = top[first..=end].iter().copied().collect::<Option<Vec<_>>>() else {
            break;
        };
        // One line is a title only with a title word in it (checked before joining).
        if count == 1 && !TITLE_WORDS.iter().any(|w| window[0].1.contains(w)) {
            continue;
        }
        let joined: String = window.iter().map(|(_, s)| *s).collect();
        if !TITLE_WORDS.iter().any(|w| joined.contains(w)) {
            continue;
        }
        // Over several lines the year comes before the title words
        // (`…2024年政府信息公开\n工作年度报告`): `年度报告` and a sentence below are no title.
        let Some((year, year_at)) = year_in(&joined)
            .filter(|&(_, at)| count == 1 || TITLE_WORDS.iter().any(|w| joined[at..].contains(w)))
        else {
            continue;
        };
        let mut agency = clean_agency(&joined[..year_at]);
        let tail = match agency.as_deref() {
            None => Some(""),
            Some(name) if is_name_tail(name) => Some(name),
            Some(_) => None,
        };
        // The body on a line above: the whole name, or the place before a name's tail.
        if let Some(tail) = tail {
            let whole = top[..first]
                .iter()
                .rev()
                .take(2)
                .map_while(|l| l.map(|(_, s)| s))
                .filter(|s| !s.contains("报告"))
                .find_map(|s| {
                    clean_agency(&format!("{s}{tail}"))
                        .filter(|n| n.chars().count() > tail.chars().count())
                });
            agency = whole.or(agency);
        }
        let span = Span::new(window[0].0.start, window[count - 1].0.end);
        return Some(Title { agency, year, span });
    }
    None
}

/// A name that is only the generic tail of a body's name, its place printed on the line above
/// (`人民政府` under `淮安市洪泽区`).
fn is_name_tail(name: &str) -> bool {
    [
        "人民政府",
        "政府",
        "人民政府办公室",
        "人民政府办公厅",
        "办公室",
        "委员会",
        "管理委员会",
    ]
    .contains(&name)
}

/// The body's name in a piece of title: prefixes (`标题:`, navigation, page numbers) and
/// wrapping words (`关于`, quotes) taken off, white space removed; `None` unless it ends as a
/// body's name does.
fn clean_agency(s: &str) -> Option<String> {
    let mut a = s.trim();
    // Navigation: only the last step can be the title.
    if let Some(at) = a.rfind(NAVIGATION_SEPARATORS) {
        let sep_len = a[at..].chars().next().map_or(1, char::len_utf8);
        a = a[at + sep_len..].trim();
    }
    // A page number or list marker before the title (`- 1 -`, `1`, `1.`).
    a = a
        .trim_start_matches(|c: char| {
            c.is_ascii_digit() || c.is_whitespace() || "-–—－.．、·".contains(c)
        })
        .trim();
    for _ in 0..2 {
        for p in TITLE_PREFIXES {
            if let Some(rest) = a.strip_prefix(p) {
                a = rest.trim();
            }
        }
    }
    // Words of the title between the body and the year (`…局政府信息公开2024年度报告`).
    for _ in 0..3 {
        for suffix in NAME_TRAILERS {
            if let Some(rest) = a.strip_suffix(suffix) {
                a = rest.trim();
            }
        }
    }
    let a = a.trim_matches(|c: char| c.is_whitespace() || "《》“”\"".contains(c));
    let name: String = a.chars().filter(|c| !c.is_whitespace()).collect();
    let count = name.chars().count();
    let plain = name.chars().all(|c| {
        c == '(' || c == ')' || !c.is_ascii_punctuation() && !"，。；：！？、".contains(c)
    });
    // A name may end in a parenthesis naming a second body: `…宣传部（县新闻出版局）`.
    let core = match name.strip_suffix(['）', ')']) {
        Some(inner) => &inner[..inner.rfind(['（', '(']).unwrap_or(inner.len())],
        None => name.as_str(),
    };
    let ends_as_body = core
        .chars()
        .last()
        .is_some_and(|c| BODY_ENDINGS.contains(&c));
    ((2..=40).contains(&count) && plain && ends_as_body).then_some(name)
}

/// `本报告由…根据《条例》…编制` (or `…局根据《…条例》…编制本报告`) in the top lines: the body
/// that compiled the report, and the year of the statistics period that follows.
fn compiled_by(text: &str, lines: &Lines) -> (Option<String>, Option<i32>) {
    let Some(last) = lines.all().iter().take(COMPILED_SEARCH_LINES).next_back() else {
        return (None, None);
    };
    // A report on one long line: its head only.
    let head = &text[..text.floor_char_boundary(last.end.min(COMPILED_HEAD_BYTES))];
    let Some(at) = head.find("本报告").or_else(|| head.find("根据《")) else {
        return (None, None);
    };
    // The sentence may start before `根据《`: back up to the start of its line or sentence.
    let from = head[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| c == '\n' || c == '。')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let compact: String = text[from..]
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(COMPILED_WINDOW_CHARS)
        .collect();
    let year = period_year(&compact);
    let Some(basis) = ["根据", "按照", "依据", "依照"]
        .iter()
        .filter_map(|w| compact.find(w))
        .min()
    else {
        return (None, year);
    };
    if !compact[basis..].contains("编制") && !compact[basis..].contains("编写") {
        return (None, year);
    }
    let mut name = &compact[..basis];
    let sentence_start = name.rfind(['。', '；']).map_or(0, |i| i + '。'.len_utf8());
    name = &name[sentence_start..];
    for lead in ["本报告是", "本报告由", "本报告系", "本报告", "由"] {
        if let Some(rest) = name.strip_prefix(lead) {
            name = rest;
            break;
        }
    }
    // The government's report is compiled by its office.
    for office in ["办公室", "办公厅"] {
        if let Some(body) = name.strip_suffix(office)
            && body.ends_with("人民政府")
        {
            name = body;
        }
    }
    (clean_agency(name), year)
}

/// The year of a statistics period `YYYY年1月1日` (or `01月01日`) in compact text.
fn period_year(compact: &str) -> Option<i32> {
    for pattern in ["年1月1日", "年01月01日"] {
        for (at, _) in compact.match_indices(pattern) {
            let digits = compact[..at].chars().rev().take(4).collect::<Vec<_>>();
            if digits.len() == 4 && digits.iter().all(char::is_ascii_digit) {
                let year = digits
                    .iter()
                    .rev()
                    .fold(0, |acc, c| acc * 10 + (*c as i32 - '0' as i32));
                if (1990..=2100).contains(&year) {
                    return Some(year);
                }
            }
        }
    }
    None
}

/// The signature in the last lines: a line that is only a date (`2025年1月20日`, `2025年1月`), the body's
/// name on the line above or before the date on the same line. The report year is the year
/// before the date's.
fn signature(text: &str, lines: &Lines) -> (Option<String>, Option<i32>) {
    let last: Vec<&str> = lines
        .all()
        .iter()
        .rev()
        .map(|l| text[l.start..l.end].trim())
        .filter(|s| !s.is_empty())
        .take(SIGNATURE_LINES)
        .collect();
    for (i, line) in last.iter().enumerate() {
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.chars().count() > 60 || !compact.ends_with(['日', '号', '月']) {
            continue;
        }
        let Some((date_year, at)) = year_in(&compact) else {
            continue;
        };
        let date = &compact[at..];
        if date.chars().count() > 14 || !date.contains('月') {
            continue;
        }
        let agency = clean_agency(&compact[..at])
            .or_else(|| last.get(i + 1).and_then(|above| clean_agency(above)));
        if agency.is_some() {
            return (agency, Some(date_year - 1));
        }
    }
    (None, None)
}

/// The first year (1990–2100) written as four digits (ASCII, full-width, or `二〇二四`) followed
/// by `年`: `(year, byte offset where the year starts)`.
pub fn year_in(s: &str) -> Option<(i32, usize)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for w in 0..chars.len() {
        let digits: Option<Vec<u32>> = chars[w..]
            .iter()
            .take(4)
            .map(|&(_, c)| digit_of(c))
            .collect();
        let Some(digits) = digits.filter(|d| d.len() == 4) else {
            continue;
        };
        if w > 0 && digit_of(chars[w - 1].1).is_some() {
            continue;
        }
        let after = chars[w + 4..]
            .iter()
            .map(|&(_, c)| c)
            .find(|c| !c.is_whitespace());
        if after != Some('年') {
            continue;
        }
        let year = digits.iter().fold(0, |acc, d| acc * 10 + *d as i32);
        if (1990..=2100).contains(&year) {
            return Some((year, chars[w].0));
        }
    }
    None
}

fn digit_of(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        '〇' | '零' | 'Ｏ' => Some(0),
        _ => "一二三四五六七八九".find(c).map(|i| (i / 3) as u32 + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(text: &str) -> Metadata {
        read(text, &Lines::new(text), &[])
    }

    // Years in ASCII, with spaces, full-width and Chinese numerals are read.
    #[test]
    fn years() {
        assert_eq!(year_in("2024年政府信息公开").map(|y| y.0), Some(2024));
        assert_eq!(year_in("XX局 2022 年政府").map(|y| y.0), Some(2022));
        assert_eq!(year_in("二〇二三年度").map(|y| y.0), Some(2023));
        assert_eq!(year_in("２０２１年").map(|y| y.0), Some(2021));
        assert_eq!(year_in("12345年"), None);
    }

    // The agency comes from the title line, or from the line above it.
    #[test]
    fn agency_from_title() {
        let m = meta("高青县行政审批服务局\n2024年政府信息公开工作年度报告\n");
        assert_eq!(m.agency.as_deref(), Some("高青县行政审批服务局"));
        assert_eq!(m.year, Some(2024));
        assert_eq!(m.agency_source, Some(AgencySource::Title));
        let m = meta("标题: 张店区行政审批服务局2023年政府信息公开工作年度报告\n");
        assert_eq!(m.agency.as_deref(), Some("张店区行政审批服务局"));
    }

    /// Body, year and the source of each.
    fn found(
        text: &str,
    ) -> (
        Option<String>,
        Option<i32>,
        Option<AgencySource>,
        Option<AgencySource>,
    ) {
        let m = meta(text);
        (m.agency, m.year, m.agency_source, m.year_source)
    }

    const HONGZE: &str = "淮安市洪泽区人民政府";

    // A title split over two or three lines, wherever the lines break, is read whole.
    #[test]
    fn title_split_over_lines() {
        let want = (
            Some(HONGZE.to_owned()),
            Some(2024),
            Some(AgencySource::Title),
            Some(AgencySource::Title),
        );
        for text in [
            "淮安市洪泽区人民政府2024年政府信息公开\n工作年度报告\n本报告由……",
            "淮安市洪泽区人民政府\n2024年政府信息公开工作\n年度报告\n",
            "淮安市洪泽区\n人民政府2024年政府信息\n公开工作年度报告\n",
            "淮安市洪泽区人民政府2024年政\n府信息公开工作年度报告\n",
            "淮安市洪泽区人民\n政府2024年政府信息公开工作年度报告\n",
        ] {
            assert_eq!(found(text), want, "{text}");
        }
        let text = "淮安市洪泽区人民政府\n2024年政府信息公开工作\n年度报告\n";
        let span = meta(text).title_span.expect("title span");
        assert_eq!(
            &text[span.start..span.end],
            "2024年政府信息公开工作\n年度报告"
        );
    }

    // Before the title: a first line `正文`, `标题:`, a site's navigation path, a page number.
    #[test]
    fn title_after_other_lines() {
        let want = (
            Some(HONGZE.to_owned()),
            Some(2024),
            Some(AgencySource::Title),
            Some(AgencySource::Title),
        );
        for text in [
            "正文\n淮安市洪泽区人民政府\n2024年政府信息公开工作年度报告\n",
            "正文\n淮安市洪泽区人民政府2024年政府信息公开\n工作年度报告\n",
            "标题：淮安市洪泽区人民政府2024年政府信息公开工作年度报告\n发布时间：2025-01-20\n",
            "首页 > 政务公开 > 政府信息公开年报\n淮安市洪泽区人民政府2024年政府信息公开工作年度报告\n",
            "当前位置：首页 > 信息公开 > 淮安市洪泽区人民政府2024年政府信息公开工作年度报告\n",
            "- 1 -\n淮安市洪泽区人民政府\n2024 年政府信息公开工作年度报告\n",
            "淮安市洪泽区人民政府\n- 1 -\n2024年政府信息公开工作年度报告\n",
            "1 淮安市洪泽区人民政府2024年政府信息公开工作年度报告\n",
        ] {
            assert_eq!(found(text), want, "{text}");
        }
    }

    // Title words between the body and the year, and a year printed after the title words.
    #[test]
    fn title_words_around_the_year() {
        let m = meta("淮安市洪泽区人民政府政府信息公开2024年度报告\n");
        assert_eq!((m.agency.as_deref(), m.year), (Some(HONGZE), Some(2024)));
        let m = meta("淮安市洪泽区人民政府\n政府信息公开工作年度报告（2024年）\n");
        assert_eq!((m.agency.as_deref(), m.year), (Some(HONGZE), Some(2024)));
    }

    // Navigation words and page numbers are never taken for the body.
    #[test]
    fn no_body_from_navigation() {
        for text in [
            "正文\n2024年政府信息公开工作年度报告\n一、总体情况\n",
            "- 1 -\n2024年政府信息公开工作年度报告\n",
            "信息公开 | 政务公开\n2024年政府信息公开工作年度报告\n",
        ] {
            let m = meta(text);
            assert_eq!(m.agency, None, "{text}");
            assert_eq!(m.year, Some(2024), "{text}");
        }
    }

    // A report exported as one long line keeps its title at the head.
    #[test]
    fn title_at_head_of_one_line() {
        let text = format!(
            "{HONGZE}2024年政府信息公开工作年度报告 本报告由{HONGZE}办公室编制。{}",
            "一、总体情况 ".repeat(50)
        );
        assert_eq!(found(&text).0.as_deref(), Some(HONGZE));
        assert_eq!(found(&text).1, Some(2024));
    }

    // Without a body in the title: the compiled-by sentence gives it (a government's report is
    // compiled by its office), and its statistics period gives the year when the title has none.
    #[test]
    fn body_from_compiled_by() {
        let text = "2024年政府信息公开工作年度报告\n本报告由淮安市洪泽区人民政府办公室根据《中华人民共和\n国政府信息公开条例》要求编制此报告。\n";
        assert_eq!(
            found(text),
            (
                Some(HONGZE.to_owned()),
                Some(2024),
                Some(AgencySource::CompiledBy),
                Some(AgencySource::Title)
            )
        );
        let text = "政府信息公开工作年度报告\n本报告由淮安市洪泽区人\n民政府办公室根据《条例》要求编制。报告中所列数据统计期限自 2024 年 1 月 1 日起至 2024 年 12 月 31 日止。\n";
        assert_eq!(
            found(text),
            (
                Some(HONGZE.to_owned()),
                Some(2024),
                Some(AgencySource::CompiledBy),
                Some(AgencySource::CompiledBy)
            )
        );
        let text = "年度报告\n洪泽区交通运输局根据《中华人民共和国政府信息公开条例》编制本报告。统计期限自2023年1月1日至2023年12月31日。\n";
        assert_eq!(found(text).0.as_deref(), Some("洪泽区交通运输局"));
        assert_eq!(found(text).1, Some(2023));
        // `本报告根据…` names no body.
        let text = "本报告根据《中华人民共和国政府信息公开条例》编制。\n";
        assert_eq!(found(text).0, None);
    }

    // Last: the signature at the end, the body above the date or before it on one line; the
    // report year is the year before the date's.
    #[test]
    fn body_from_signature() {
        let want = (
            Some(HONGZE.to_owned()),
            Some(2024),
            Some(AgencySource::Signature),
            Some(AgencySource::Signature),
        );
        for end in [
            "淮安市洪泽区人民政府\n2025年1月20日\n",
            "淮安市洪泽区人民政府 2025 年 1 月 20 日\n\n- 5 -\n",
            "淮安市洪泽区人民政府\n二〇二五年一月二十日\n",
            "淮安市洪泽区人民政府\n2025年1月\n",
        ] {
            let text = format!("政府信息公开工作年度报告\n一、总体情况\n全年收取费用0元。\n{end}");
            assert_eq!(found(&text), want, "{end}");
        }
        // A sentence that ends with a date is not a signature.
        let text = "年度报告\n统计期限至2024年12月31日\n";
        assert_eq!(found(text).0, None);
    }
}
