//! Dates within one report: the year in the title, the statistics period (1 January to
//! 31 December of that year, not garbled like `自202311日起`), and the year part 一 says it is
//! describing (`2023年，我局…` in a 2024 report).

use super::scan::{self, Piece, Unit};
use super::{Cause, Ctx, Finding, Severity};
use crate::model::Span;

/// Rule: no report year found in the title.
pub const YEAR_MISSING: &str = "dates.year_missing";
/// Rule: the statistics period's dates have lost their 年/月 (`自202311日起`).
pub const PERIOD_GARBLED: &str = "dates.period_garbled";
/// Rule: the statistics period is of another year than the title.
pub const PERIOD_YEAR: &str = "dates.period_year";
/// Rule: the statistics period is not 1 January to 31 December.
pub const PERIOD_RANGE: &str = "dates.period_range";
/// Rule: part 一 describes another year than the title's.
pub const NARRATIVE_YEAR: &str = "dates.narrative_year";

const PERIOD_WORDS: &[&str] = &[
    "统计期限",
    "统计期间",
    "统计时限",
    "统计时间",
    "统计区间",
    "统计周期",
    "统计口径为",
];

/// Runs the date rules.
pub(crate) fn check(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(year) = ctx.report.year else {
        out.push(
            Finding::new(
                YEAR_MISSING,
                Severity::Warning,
                Vec::new(),
                "标题中没有找到报告年度，无法核对统计期限和正文中的年份".to_owned(),
                Cause::Unknown,
            )
            .at(ctx.report.title_span),
        );
        return;
    };
    period(ctx, year, out);
    narrative_year(ctx, year, out);
}

/// A date read from the period sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Date {
    year: Option<i32>,
    month: u32,
    day: u32,
}

/// What the period sentence says.
#[derive(Debug, PartialEq, Eq)]
enum Period {
    /// Dates read cleanly (one or two).
    Dates(Vec<Date>),
    /// A run of digits directly before 日 with no 年 or 月: the separators were lost.
    Garbled,
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}'
}

/// A number (value, digit count) or another character, white space dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Number(u64, usize),
    Char(char),
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for c in text.chars().filter(|c| !is_space(*c)) {
        let digit = match c {
            '0'..='9' => Some(u64::from(c) - u64::from('0')),
            '０'..='９' => Some(u64::from(c) - u64::from('０')),
            _ => None,
        };
        let Some(d) = digit else {
            out.push(Token::Char(c));
            continue;
        };
        if let Some(Token::Number(v, n)) = out.last_mut() {
            *v = v.saturating_mul(10).saturating_add(d);
            *n += 1;
        } else {
            out.push(Token::Number(d, 1));
        }
    }
    out
}

fn is_separator(c: char) -> bool {
    matches!(c, '-' | '.' | '/' | '－' | '．' | '／')
}

/// Reads the dates in a sentence: `2024年1月1日`, `12月31日` (year carried over),
/// `2024-01-01`, `2024.1.1`.
fn read_period(text: &str) -> Period {
    let toks = tokens(text);
    let mut dates = Vec::new();
    let mut year: Option<i32> = None;
    let mut month: Option<u32> = None;
    let mut i = 0;
    while i < toks.len() {
        let Token::Number(v, n) = toks[i] else {
            i += 1;
            continue;
        };
        let number = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        match toks.get(i + 1) {
            Some(Token::Char('年')) => year = i32::try_from(v).ok(),
            Some(Token::Char('月')) => month = Some(number(v)),
            Some(Token::Char('日' | '号')) => {
                match month.take() {
                    Some(m) => dates.push(Date {
                        year,
                        month: m,
                        day: number(v),
                    }),
                    // `202311日`: a year, month and day run together before 日.
                    None if n >= 5 => return Period::Garbled,
                    None => {}
                }
            }
            Some(Token::Char(s1)) if is_separator(*s1) && n == 4 => {
                if let (Some(Token::Number(m, _)), Some(Token::Char(s2)), Some(Token::Number(d, _))) =
                    (toks.get(i + 2), toks.get(i + 3), toks.get(i + 4))
                    && is_separator(*s2)
                {
                    year = i32::try_from(v).ok();
                    dates.push(Date {
                        year,
                        month: number(*m),
                        day: number(*d),
                    });
                    i += 5;
                    continue;
                }
            }
            _ => {}
        }
        i += 2;
    }
    Period::Dates(dates)
}

/// The sentence that states the statistics period, searched in the text before part 二.
fn period_sentence<'a>(ctx: &Ctx<'a>) -> Option<Piece<'a>> {
    let limit = ctx
        .report
        .parts
        .iter()
        .find(|p| p.part >= 2)
        .map(|p| p.span.start)
        .into_iter()
        .chain(ctx.report.tables.iter().map(|t| t.span.start))
        .min()
        .unwrap_or(ctx.text.len())
        .min(ctx.text.len());
    let head = ctx.text.get(..limit).unwrap_or(ctx.text);
    // The single-character search is fast; the words are checked where it hits.
    let at = scan::positions(head, "统")
        .find(|&i| PERIOD_WORDS.iter().any(|w| head[i..].starts_with(w)))?;
    let rest = &ctx.text[at..];
    let end = rest.find(['。', '\n']).unwrap_or(rest.len());
    Some(Piece {
        text: &rest[..end],
        start: at,
    })
}

fn period(ctx: &Ctx, year: i32, out: &mut Vec<Finding>) {
    let Some(sentence) = period_sentence(ctx) else {
        return;
    };
    let span = Some(sentence.span());
    let quote = sentence.quote(60);
    match read_period(sentence.text) {
        Period::Garbled => out.push(
            Finding::new(
                PERIOD_GARBLED,
                Severity::Warning,
                Vec::new(),
                format!(
                    "统计期限写作“{quote}”：日期缺少“年”“月”，无法确认统计期间（可能是转换丢字），应为 {year}年1月1日至{year}年12月31日"
                ),
                Cause::Unknown,
            )
            .at(span),
        ),
        Period::Dates(dates) => {
            let [from, to] = match dates.as_slice() {
                [from, to, ..] => [*from, *to],
                _ => return,
            };
            let to_year = to.year.or(from.year);
            let years: Vec<i32> = [from.year, to_year].into_iter().flatten().collect();
            if years.iter().any(|y| *y != year) {
                out.push(
                    Finding::new(
                        PERIOD_YEAR,
                        Severity::Error,
                        Vec::new(),
                        format!("标题为 {year} 年度报告，但统计期限写作“{quote}”"),
                        Cause::Source,
                    )
                    .numbers(Some(f64::from(year)), years.first().map(|y| f64::from(*y)))
                    .at(span),
                );
            } else if (from.month, from.day, to.month, to.day) != (1, 1, 12, 31) {
                out.push(
                    Finding::new(
                        PERIOD_RANGE,
                        Severity::Warning,
                        Vec::new(),
                        format!(
                            "统计期限写作“{quote}”：年度报告应统计 {year}年1月1日至12月31日"
                        ),
                        Cause::Source,
                    )
                    .at(span),
                );
            }
        }
    }
}

/// Words in a clause that make its year a comparison or a span, not the year described.
const NOT_SUBJECT: &[&str] = &[
    "以来",
    "相比",
    "较",
    "同比",
    "比上年",
    "去年",
    "截至",
    "截止",
    "至今",
];
/// Words later in the sentence that make the year a plan.
const PLAN: &[&str] = &["将", "计划", "拟", "力争"];
/// First-person phrases before a year that make it the year described (`本机关2023年度`).
const SELF: &[&str] = &[
    "本机关",
    "本局",
    "我局",
    "本单位",
    "我单位",
    "我委",
    "本委",
    "我厅",
    "本厅",
    "我办",
    "本办",
    "本部门",
    "我部门",
];

/// The year a clause says it describes: a year at its start (or after `本机关`), followed by a
/// comma or the start of what was done (`2023年，`, `2023年度我局`, `2023年共`).
fn subject_year(clause: &str) -> Option<i32> {
    if !scan::has_digit(clause) {
        return None;
    }
    let n = scan::numbers(clause)
        .into_iter()
        .find(|n| n.unit == Unit::Year)?;
    if !(1990.0..=2100.0).contains(&n.value) {
        return None;
    }
    let before = clause[..n.start].trim_matches(is_space);
    let after_self = SELF.iter().any(|s| before.ends_with(s));
    let at_start = before.is_empty() || before.ends_with(['）', ')', '、', '：', ':']);
    let after = clause[n.end..].trim_start_matches(is_space);
    let after = after.strip_prefix('年').unwrap_or(after);
    let after = after
        .strip_prefix('度')
        .unwrap_or(after)
        .trim_start_matches(is_space);
    let subject =
        after.is_empty() || after.starts_with(['，', ',', '内', '共', '全', '我', '本', '累']);
    if !(after_self || at_start && subject)
        || NOT_SUBJECT.iter().any(|w| scan::contains_short(clause, w))
    {
        return None;
    }
    Some(n.value as i32)
}

fn narrative_year(ctx: &Ctx, year: i32, out: &mut Vec<Finding>) {
    let Some((start, end)) = ctx.part_region(1) else {
        return;
    };
    let Some(text) = ctx.text.get(start..end) else {
        return;
    };
    let mut wrong: Vec<(Span, String, i32)> = Vec::new();
    let mut last_clause = usize::MAX;
    // Every year is printed with a 年: look only around those.
    for at in scan::positions(text, "年") {
        // Only a 年 right after a digit ends a year.
        let before = text.as_bytes()[..at].trim_ascii_end();
        if !before
            .last()
            .is_some_and(|b| b.is_ascii_digit() || (0x90..=0x99).contains(b))
        {
            continue;
        }
        let (c_start, c_end) = scan::around(text, at, scan::Stretch::Clause);
        if c_start == last_clause {
            continue;
        }
        last_clause = c_start;
        let Some(said) = subject_year(&text[c_start..c_end]) else {
            continue;
        };
        if said == year {
            continue;
        }
        let (s_start, s_end) = scan::around(text, at, scan::Stretch::Sentence);
        let later = &text[c_start..s_end.max(c_start)];
        // A sentence that also names the report's year compares the two.
        let this_year = format!("{year}年");
        let compares = text[s_start..s_end].contains(&this_year);
        if !compares && !PLAN.iter().any(|w| scan::contains_short(later, w)) {
            let clause = Piece {
                text: &text[c_start..c_end],
                start: start + c_start,
            };
            let sentence = Piece {
                text: &text[s_start..s_end],
                start: start + s_start,
            };
            wrong.push((clause.span(), sentence.quote(30), said));
        }
    }
    let Some((span, _, said)) = wrong.first().cloned() else {
        return;
    };
    let quotes: Vec<String> = wrong
        .iter()
        .take(3)
        .map(|(_, q, _)| format!("“{q}”"))
        .collect();
    out.push(
        Finding::new(
            NARRATIVE_YEAR,
            Severity::Warning,
            Vec::new(),
            format!(
                "标题为 {year} 年度报告，但第一部分写的是 {said} 年的情况：{}",
                quotes.join("；")
            ),
            Cause::Source,
        )
        .numbers(Some(f64::from(year)), Some(f64::from(said)))
        .at(Some(span)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::*;
    use crate::check::{Ctx, Finding};
    use crate::extract::PartHeading;
    use crate::model::SourceText;

    /// Runs the date rules on `intro` + part 一 `body` in a report titled `year`.
    fn run(year: Option<i32>, intro: &str, body: &str) -> Vec<Finding> {
        let text = format!("{intro}\n一、总体情况\n{body}\n二、主动公开政府信息情况\n");
        let mut e = zeros();
        e.year = year;
        let h1 = text.find("一、总体情况").unwrap_or(0);
        let h2 = text.find("二、主动").unwrap_or(0);
        e.parts = vec![
            PartHeading {
                part: 1,
                printed_number: Some(1),
                text: "一、总体情况".into(),
                span: Span::new(h1, h1 + "一、总体情况".len()),
            },
            PartHeading {
                part: 2,
                printed_number: Some(2),
                text: "二、主动公开政府信息情况".into(),
                span: Span::new(h2, h2 + "二、主动公开政府信息情况".len()),
            },
        ];
        e.tables.clear();
        let src = SourceText::from_utf8(text);
        let ctx = Ctx::new(&e, &src);
        let mut out = Vec::new();
        check(&ctx, &mut out);
        out
    }

    fn rules(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.rule.as_str()).collect()
    }

    // The periods printed in the seeds read cleanly; `自202311日起` is garbled.
    #[test]
    fn garbled_period_rule() {
        for ok in [
            "报告中所列数据统计期限自2024年1月1日始，至2024年12月31日止。",
            "本报告所列数据的统计期限自 2024 年 1 月 1 日起至 2024 年 12 月 31 日止。",
            "本年度报告中所列数据统计期限从 2024 年 1 月 1 日至 12 月 31 日止。",
            "统计期间为2024-01-01至2024-12-31。",
        ] {
            assert!(
                run(Some(2024), ok, "").is_empty(),
                "{ok}: {:#?}",
                run(Some(2024), ok, "")
            );
        }
        let f = run(
            Some(2023),
            "本年度报告中所列数据的统计期限自202311日起,至20231231日止。",
            "",
        );
        assert_eq!(rules(&f), [PERIOD_GARBLED]);
        assert!(
            f[0].message.contains("统计期限自202311日起,至20231231日止"),
            "{}",
            f[0].message
        );
    }

    // A period of another year is an error; a partial year a warning.
    #[test]
    fn period_year_and_range_rules() {
        let f = run(
            Some(2024),
            "统计期限自2023年1月1日起至2023年12月31日止。",
            "",
        );
        assert_eq!(rules(&f), [PERIOD_YEAR]);
        assert_eq!(f[0].severity, Severity::Error);
        let f = run(
            Some(2024),
            "统计期限自2024年3月1日起至2024年12月31日止。",
            "",
        );
        assert_eq!(rules(&f), [PERIOD_RANGE]);
    }

    // Part 一 describing another year is flagged; comparisons and plans are not.
    #[test]
    fn narrative_year_rule() {
        assert!(
            run(
                Some(2024),
                "",
                "2024年，我局坚持公开。受理数量较 2023 年持平。2025年，我局将继续努力。"
            )
            .is_empty()
        );
        let f = run(Some(2024), "", "本机关2023年度政务公开工作取得成效。");
        assert_eq!(rules(&f), [NARRATIVE_YEAR]);
        let f = run(Some(2024), "", "2023 年，我局收到申请。");
        assert_eq!(rules(&f), [NARRATIVE_YEAR]);
        assert!(run(Some(2024), "", "2023年，我局收到申请5件，2024年收到7件。").is_empty());
        assert!(f[0].message.contains("2023 年的情况"), "{}", f[0].message);
        assert_eq!(f[0].found, Some(2023.0));
    }

    // Without a title year nothing can be compared: one warning says so.
    #[test]
    fn missing_year_rule() {
        assert!(run(Some(2024), "", "").is_empty());
        assert_eq!(rules(&run(None, "", "")), [YEAR_MISSING]);
    }
}
