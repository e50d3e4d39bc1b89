//! The issuing body and the report year, read from the title near the top of the report.

use super::layout::Lines;
use super::locate::PartHeading;
use crate::model::Span;

/// How many lines from the top are searched for the title when no part heading bounds it.
const TITLE_SEARCH_LINES: usize = 40;

/// Words that mark the title line.
const TITLE_WORDS: &[&str] = &["年度报告", "年报", "工作报告"];

/// Prefixes that web pages put before the title.
const TITLE_PREFIXES: &[&str] = &["标题:", "标题：", "标题", "题目:", "题目："];

/// `(agency, year, title span)`.
pub fn title(
    text: &str,
    lines: &Lines,
    parts: &[PartHeading],
) -> (Option<String>, Option<i32>, Option<Span>) {
    let limit = parts.first().map_or(usize::MAX, |p| p.span.start);
    let top: Vec<_> = lines
        .all()
        .iter()
        .take(TITLE_SEARCH_LINES)
        .take_while(|l| l.start < limit)
        .collect();
    for (i, line) in top.iter().enumerate() {
        let raw = &text[line.start..line.end];
        let trimmed = raw.trim();
        if trimmed.chars().count() > 80 || !TITLE_WORDS.iter().any(|w| trimmed.contains(w)) {
            continue;
        }
        let Some((year, year_at)) = year_in(trimmed) else {
            continue;
        };
        let lead = raw.len() - raw.trim_start().len();
        let span = Span::new(line.start + lead, line.start + lead + trimmed.len());
        let mut agency = clean_agency(&trimmed[..year_at]);
        if agency.is_none() {
            // The agency is often on the line above the title.
            agency = top[..i]
                .iter()
                .rev()
                .map(|l| text[l.start..l.end].trim())
                .find(|s| !s.is_empty())
                .filter(|s| s.chars().count() <= 40 && !s.contains("报告"))
                .and_then(clean_agency);
        }
        return (agency, Some(year), Some(span));
    }
    (None, None, None)
}

fn clean_agency(s: &str) -> Option<String> {
    let mut a = s.trim();
    for p in TITLE_PREFIXES {
        if let Some(rest) = a.strip_prefix(p) {
            a = rest.trim();
        }
    }
    for suffix in ["关于", "的"] {
        if let Some(rest) = a.strip_suffix(suffix) {
            a = rest.trim();
        }
    }
    let a = a.trim_matches(|c: char| c.is_whitespace() || "《》“”\"".contains(c));
    (a.chars().count() >= 2).then(|| a.to_owned())
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
        let t = "高青县行政审批服务局\n2024年政府信息公开工作年度报告\n";
        let lines = Lines::new(t);
        let (agency, year, _) = title(t, &lines, &[]);
        assert_eq!(agency.as_deref(), Some("高青县行政审批服务局"));
        assert_eq!(year, Some(2024));
        let t = "标题: 张店区行政审批服务局2023年政府信息公开工作年度报告\n";
        let lines = Lines::new(t);
        assert_eq!(
            title(t, &lines, &[]).0.as_deref(),
            Some("张店区行政审批服务局")
        );
    }
}
