//! The report's skeleton: the six part headings present, in order, numbered 一…六 in Chinese
//! numerals; parts 一, 五 and 六 not empty; part 六 saying whether 信息处理费 was charged.
//! Findings here concern the whole report and carry no cells; each rule gives at most one.

use super::{Cause, Ctx, Finding, Severity};
use crate::extract::PartHeading;
use crate::model::{
    ACTIVE_ROWS, APPEALS_COLS, APPEALS_GROUPS, REQUESTS_COLS, REQUESTS_ROWS, Span, TableId,
};
use aho_corasick::AhoCorasick;
use memchr::memmem::Finder;
use std::sync::LazyLock;

/// Rule: part headings missing.
pub const PARTS_MISSING: &str = "structure.parts_missing";
/// Rule: part headings out of order or repeated.
pub const PARTS_ORDER: &str = "structure.parts_order";
/// Rule: a part heading printed with the wrong number.
pub const PART_NUMBERS: &str = "structure.part_numbers";
/// Rule: a part heading numbered with Arabic digits or not numbered.
pub const PART_NUMBER_STYLE: &str = "structure.part_number_style";
/// Rule: a part with (almost) no text.
pub const PART_EMPTY: &str = "structure.part_empty";
/// Rule: part 六 does not say whether 信息处理费 was charged.
pub const PROCESSING_FEE: &str = "structure.processing_fee";
/// Rule: a template word misspelt in a table (`不子公开` for `不予公开`).
pub const TEMPLATE_WORD: &str = "structure.template_word";

/// Words of 表三's template that a typo can hit (its group headings and row and column words);
/// pairs among them differ in at least two characters, so one wrong character points at one
/// word. 表二 and 表四 are not searched: their few words are the row labels the reader matches.
const TEMPLATE_WORDS: [&str; 14] = [
    "予以公开",
    "部分公开",
    "不予公开",
    "无法提供",
    "不予处理",
    "其他处理",
    "本年新收",
    "上年结转",
    "办理结果",
    "结转下年度",
    "商业企业",
    "科研机构",
    "法律服务机构",
    "国家秘密",
];

/// A search for each template word: a table that prints all of them needs no closer look.
/// Each search stops at the word's first place, so this costs less than one pass for all.
static WORDS: LazyLock<[Finder<'static>; TEMPLATE_WORDS.len()]> =
    LazyLock::new(|| TEMPLATE_WORDS.map(Finder::new));

/// The halves of every template word: a word printed with one wrong character still holds one
/// of its halves exactly, so a search for the halves finds every place worth a closer look.
/// Pattern `2w` is word `w`'s first half, `2w + 1` its second.
static HALVES: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    let halves = TEMPLATE_WORDS.iter().flat_map(|w| {
        let half = w
            .char_indices()
            .nth(w.chars().count() / 2)
            .map_or(0, |(i, _)| i);
        [&w[..half], &w[half..]]
    });
    AhoCorasick::new(halves).ok()
});

/// Characters written either way in real reports: no typo.
const VARIANTS: [(char, char); 1] = [('他', '它')];

/// Every label the template prints, joined: a word found in it is no typo (`不再处理` is in
/// 行政机关不再处理其政府信息公开申请).
static TEMPLATE_TEXT: LazyLock<String> = LazyLock::new(|| {
    let mut text = String::new();
    for row in ACTIVE_ROWS {
        text.push_str(row.label);
        text.push('|');
        for c in row.col_labels {
            text.push_str(c);
            text.push('|');
        }
    }
    for label in REQUESTS_ROWS.iter().map(|r| r.label) {
        text.push_str(label);
        text.push('|');
    }
    for label in REQUESTS_COLS.iter().map(|c| c.label) {
        text.push_str(label);
        text.push('|');
    }
    for g in APPEALS_GROUPS {
        text.push_str(g.parent);
        text.push_str(g.label);
        text.push('|');
    }
    for label in APPEALS_COLS.iter().map(|c| c.label) {
        text.push_str(label);
        text.push('|');
    }
    text
});

/// Table regions longer than this are not searched for typos (hostile input).
const MAX_TYPO_REGION: usize = 64 * 1024;

/// The six parts' names as the format prints them.
pub(crate) const PART_NAMES: [&str; 6] = [
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
];

const NUMERALS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// `一`, `二`, … for small numbers; the digits otherwise.
fn numeral(n: u32) -> String {
    match n {
        0..=9 => NUMERALS[n as usize].to_owned(),
        10 => "十".to_owned(),
        _ => n.to_string(),
    }
}

fn part_name(part: u8) -> String {
    let i = usize::from(part.clamp(1, 6)) - 1;
    format!("第{}部分“{}”", numeral(u32::from(part)), PART_NAMES[i])
}

/// Fewer non-blank characters than this and a part counts as empty.
const EMPTY_BELOW: usize = 10;

/// The text of a part: from its heading to the next heading (or the end).
fn part_text<'a>(ctx: &Ctx<'a>, parts: &[PartHeading], i: usize) -> &'a str {
    let start = parts[i].span.end.min(ctx.text.len());
    let end = parts
        .get(i + 1)
        .map_or(ctx.text.len(), |p| p.span.start)
        .clamp(start, ctx.text.len());
    ctx.text.get(start..end).unwrap_or("")
}

/// Runs the structure rules.
pub(crate) fn check(ctx: &Ctx, out: &mut Vec<Finding>) {
    template_words(ctx, out);
    let parts = &ctx.report.parts;
    if parts.is_empty() {
        out.push(Finding::new(
            PARTS_MISSING,
            Severity::Warning,
            Vec::new(),
            "没有找到六个部分的标题（一、总体情况 … 六、其他需要报告的事项），请核对报告结构"
                .to_owned(),
            Cause::Unknown,
        ));
        return;
    }
    missing(parts, out);
    order(parts, out);
    numbers(ctx, parts, out);
    empty(ctx, parts, out);
    processing_fee(ctx, parts, out);
}

/// Template words printed with one wrong character inside 表三, one info finding per
/// misspelling (on the words, not on cells). Only a word the table does not print correctly is
/// looked for, so a table that prints all of them costs one search.
fn template_words(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(halves) = HALVES.as_ref() else {
        return;
    };
    let mut seen: Vec<String> = Vec::new();
    for table in ctx
        .report
        .tables
        .iter()
        .filter(|t| t.table == TableId::Requests)
    {
        let region = ctx.slice(table.span);
        if region.len() > MAX_TYPO_REGION {
            continue;
        }
        let printed_words = WORDS
            .each_ref()
            .map(|w| w.find(region.as_bytes()).is_some());
        if printed_words.iter().all(|p| *p) {
            continue;
        }
        for m in halves.find_overlapping_iter(region) {
            let w = m.pattern().as_usize() / 2;
            if printed_words[w] {
                continue;
            }
            let word = TEMPLATE_WORDS[w];
            // Template words are all CJK, three bytes a character: the window starts at the
            // first half, or the first half's length before the second.
            let start = if m.pattern().as_usize() % 2 == 0 {
                m.start()
            } else {
                let before = word.len() - (m.end() - m.start());
                match m.start().checked_sub(before) {
                    Some(s) => s,
                    None => continue,
                }
            };
            let Some(printed) = region.get(start..start + word.len()) else {
                continue;
            };
            let mut wrong = printed
                .chars()
                .zip(word.chars())
                .filter(|(got, w)| got != w);
            let Some((got, w)) = wrong.next() else {
                continue;
            };
            if wrong.next().is_some()
                || !('\u{4e00}'..='\u{9fff}').contains(&got)
                || VARIANTS.contains(&(w, got))
                || VARIANTS.contains(&(got, w))
                || TEMPLATE_TEXT.contains(printed)
                || seen.iter().any(|s| s == printed)
            {
                continue;
            }
            seen.push(printed.to_owned());
            let at = table.span.start + start;
            out.push(
                Finding::new(
                    TEMPLATE_WORD,
                    Severity::Info,
                    Vec::new(),
                    format!(
                        "{}中的“{printed}”疑为“{word}”之误（统计表的标准用语），请核对原文",
                        table.table.label()
                    ),
                    Cause::Source,
                )
                .at(Some(Span::new(at, at + printed.len()))),
            );
        }
    }
}

fn missing(parts: &[PartHeading], out: &mut Vec<Finding>) {
    let absent: Vec<String> = (1..=6u8)
        .filter(|n| !parts.iter().any(|p| p.part == *n))
        .map(part_name)
        .collect();
    if !absent.is_empty() {
        out.push(Finding::new(
            PARTS_MISSING,
            Severity::Warning,
            Vec::new(),
            format!("没有找到{}的标题", absent.join("、")),
            Cause::Unknown,
        ));
    }
}

fn order(parts: &[PartHeading], out: &mut Vec<Finding>) {
    let mut problems = Vec::new();
    let mut span = None;
    for pair in parts.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if b.part == a.part {
            problems.push(format!("{}出现两次（“{}”）", part_name(b.part), b.text));
        } else if b.part < a.part {
            problems.push(format!("“{}”排在“{}”之后", b.text, a.text));
        } else {
            continue;
        }
        span.get_or_insert(b.span);
    }
    if !problems.is_empty() {
        out.push(
            Finding::new(
                PARTS_ORDER,
                Severity::Warning,
                Vec::new(),
                format!("六个部分的顺序不对：{}", problems.join("；")),
                Cause::Source,
            )
            .at(span),
        );
    }
}

fn starts_with_digit(text: &str) -> bool {
    text.trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

fn numbers(ctx: &Ctx, parts: &[PartHeading], out: &mut Vec<Finding>) {
    let mut wrong = Vec::new();
    let mut style = Vec::new();
    let (mut wrong_span, mut style_span): (Option<Span>, Option<Span>) = (None, None);
    for p in parts {
        match p.printed_number {
            Some(n) if n != u32::from(p.part) => {
                wrong.push(format!(
                    "{}的标题编号为“{}”（应为“{}”）",
                    part_name(p.part),
                    numeral(n),
                    numeral(u32::from(p.part))
                ));
                wrong_span.get_or_insert(p.span);
            }
            Some(_) if starts_with_digit(ctx.slice(p.span)) || starts_with_digit(&p.text) => {
                style.push(format!(
                    "“{}”用阿拉伯数字编号（应为“{}、”）",
                    p.text,
                    numeral(u32::from(p.part))
                ));
                style_span.get_or_insert(p.span);
            }
            Some(_) => {}
            None => {
                style.push(format!(
                    "“{}”没有编号（应为“{}、”）",
                    p.text,
                    numeral(u32::from(p.part))
                ));
                style_span.get_or_insert(p.span);
            }
        }
    }
    if !wrong.is_empty() {
        out.push(
            Finding::new(
                PART_NUMBERS,
                Severity::Warning,
                Vec::new(),
                format!("部分标题编号有误：{}", wrong.join("；")),
                Cause::Source,
            )
            .at(wrong_span),
        );
    }
    if !style.is_empty() {
        out.push(
            Finding::new(
                PART_NUMBER_STYLE,
                Severity::Info,
                Vec::new(),
                format!("部分标题编号不规范：{}", style.join("；")),
                Cause::Source,
            )
            .at(style_span),
        );
    }
}

fn empty(ctx: &Ctx, parts: &[PartHeading], out: &mut Vec<Finding>) {
    let mut empty = Vec::new();
    let mut span = None;
    for (i, p) in parts.iter().enumerate() {
        // Parts 二 to 四 hold tables; their emptiness shows as a missing table instead.
        if !matches!(p.part, 1 | 5 | 6) {
            continue;
        }
        let filled = part_text(ctx, parts, i)
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(EMPTY_BELOW)
            .count();
        if filled < EMPTY_BELOW {
            empty.push(part_name(p.part));
            span.get_or_insert(p.span);
        }
    }
    if !empty.is_empty() {
        out.push(
            Finding::new(
                PART_EMPTY,
                Severity::Warning,
                Vec::new(),
                format!("{}没有内容", empty.join("、")),
                Cause::Source,
            )
            .at(span),
        );
    }
}

fn processing_fee(ctx: &Ctx, parts: &[PartHeading], out: &mut Vec<Finding>) {
    let Some(i) = parts.iter().position(|p| p.part == 6) else {
        return;
    };
    let text = part_text(ctx, parts, i);
    if text.contains("处理费") || text.contains("收费") || text.contains("收取费用") {
        return;
    }
    out.push(
        Finding::new(
            PROCESSING_FEE,
            Severity::Info,
            Vec::new(),
            "第六部分没有说明是否收取信息处理费（按《政府信息公开信息处理费管理办法》应予报告；它与表二的行政事业性收费不是一回事）".to_owned(),
            Cause::Source,
        )
        .at(Some(parts[i].span)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::*;
    use crate::check::{Ctx, Finding};
    use crate::model::SourceText;

    const HEADINGS: [&str; 6] = [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ];
    const BODY: &str = "本年度工作按计划推进，各项任务均已完成。";

    /// A report text with the given headings (as `(part, printed number, heading)`), each
    /// followed by `body`, and its extraction.
    fn run(headings: &[(u8, Option<u32>, &str)], body: &str) -> Vec<Finding> {
        let mut text = String::new();
        let mut parts = Vec::new();
        for (part, printed, heading) in headings {
            let start = text.len();
            text.push_str(heading);
            parts.push(PartHeading {
                part: *part,
                printed_number: *printed,
                text: (*heading).to_owned(),
                span: Span::new(start, text.len()),
            });
            text.push('\n');
            text.push_str(body);
            text.push('\n');
        }
        let mut e = zeros();
        e.parts = parts;
        let src = SourceText::from_utf8(text);
        let ctx = Ctx::new(&e, &src);
        let mut out = Vec::new();
        check(&ctx, &mut out);
        out
    }

    fn standard() -> Vec<(u8, Option<u32>, &'static str)> {
        HEADINGS
            .iter()
            .enumerate()
            .map(|(i, h)| (i as u8 + 1, Some(i as u32 + 1), *h))
            .collect()
    }

    fn rules(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.rule.as_str()).collect()
    }

    const FEE_BODY: &str = "本年度未收取信息处理费，各项工作均已完成。";

    // Six parts in order, numbered 一…六, with text: nothing to say.
    #[test]
    fn standard_structure_passes() {
        assert!(run(&standard(), FEE_BODY).is_empty());
    }

    // A missing part is named; no headings at all is one finding.
    #[test]
    fn missing_parts() {
        let mut h = standard();
        h.remove(4);
        let f = run(&h, FEE_BODY);
        assert_eq!(rules(&f), [PARTS_MISSING]);
        assert!(
            f[0].message.contains("第五部分“存在的主要问题及改进情况”"),
            "{}",
            f[0].message
        );
        let f = run(&[], FEE_BODY);
        assert_eq!(rules(&f), [PARTS_MISSING]);
    }

    // Parts out of order or repeated are flagged.
    #[test]
    fn parts_out_of_order() {
        let mut h = standard();
        h.swap(1, 2);
        let f = run(&h, FEE_BODY);
        assert_eq!(rules(&f), [PARTS_ORDER]);
        assert!(
            f[0].message
                .contains("“二、主动公开政府信息情况”排在“三、收到和处理政府信息公开申请情况”之后"),
            "{}",
            f[0].message
        );
        let mut h = standard();
        h.insert(3, (1, Some(1), "一、总体情况"));
        let f = run(&h, FEE_BODY);
        assert_eq!(rules(&f), [PARTS_ORDER]);
    }

    // A wrong number is a warning; `2、` or no number is only a hint.
    #[test]
    fn part_numbers() {
        let mut h = standard();
        h[1] = (2, Some(3), "三、主动公开政府信息情况");
        let f = run(&h, FEE_BODY);
        assert_eq!(rules(&f), [PART_NUMBERS]);
        assert!(
            f[0].message.contains("编号为“三”（应为“二”）"),
            "{}",
            f[0].message
        );
        let mut h = standard();
        h[1] = (2, Some(2), "2、 主动公开政府信息情况");
        h[4] = (5, None, "存在的主要问题及改进情况");
        let f = run(&h, FEE_BODY);
        assert_eq!(rules(&f), [PART_NUMBER_STYLE]);
        assert_eq!(f[0].severity, Severity::Info);
    }

    // An empty part 五 is flagged; part 六 must mention 信息处理费.
    #[test]
    fn empty_part_and_fee_statement() {
        let f = run(&standard(), "");
        assert_eq!(rules(&f), [PART_EMPTY, PROCESSING_FEE]);
        assert!(f[0].message.contains("第一部分“总体情况”、第五部分"));
        let f = run(&standard(), BODY);
        assert_eq!(rules(&f), [PROCESSING_FEE]);
    }
}
