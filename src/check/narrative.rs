//! Narrative vs table: figures that parts 一 and 六 restate (applications received and
//! answered, the result categories, carried over and forward, percentages, review and
//! litigation counts, documents issued) compared with their cells, and claims such as
//! `均获维持`, `无败诉`, `全部办结` checked against the table. A number is compared only when
//! its clause clearly names the quantity; a qualified or doubtful clause gives at most `info`.

use super::scan::{
    self, CLAUSE, LIST, LongWords, Number, Piece, SENTENCE_IN_PARAGRAPH, Unit, Word, Words,
    long_words, word, words,
};
use super::{Cause, Ctx, Finding, Severity, Trouble, format_number, same};
use crate::model::{Active, Appeal, AppealCol, CellKey, DocCol, Req, ReqCol};
use aho_corasick::packed;
use std::sync::LazyLock;

/// Rule: applications received (`共收到政府信息公开申请13件`) vs 本年新收.
pub const RECEIVED: &str = "narrative.received";
/// Rule: applications answered or closed vs 办理结果总计.
pub const HANDLED: &str = "narrative.handled";
/// Rule: a result category (予以公开, 部分公开, 不予公开, 无法提供, 不予处理, 其他处理) vs its rows.
pub const CATEGORY: &str = "narrative.category";
/// Rule: the items a sentence lists after 其中 do not add up to the total it states.
pub const PARTS: &str = "narrative.parts";
/// Rule: 上年结转 / 结转下年度 restated.
pub const CARRIED: &str = "narrative.carried";
/// Rule: a percentage of a category that does not recompute.
pub const PERCENT: &str = "narrative.percent";
/// Rule: review or litigation counts (and their results) vs table 四.
pub const APPEALS: &str = "narrative.appeals";
/// Rule: 规章 / 行政规范性文件 issued vs table 二.
pub const DOCUMENTS: &str = "narrative.documents";
/// Rule: a claim (`未发生行政复议`, `均获维持`, `无败诉`, `全部办结`, `未收到申请`) the table
/// contradicts.
pub const CLAIM: &str = "narrative.claim";

/// Words after which a number is a difference or another year's figure, not the quantity.
const COMPARISON: &[Word] = words![
    "较",
    "同比",
    "比上年",
    "比去年",
    "增加",
    "减少",
    "增长",
    "下降",
    "上升",
    "环比",
    "去年",
    "上一年度",
    "持平",
    "累计",
];
/// Words that show a clause is about something other than information-disclosure applications.
const NOT_REQUESTS: &[Word] = words![
    "建议",
    "提案",
    "热线",
    "复议",
    "诉讼",
    "咨询",
    "留言",
    "来信",
    "来电",
    "诉求",
    "工单",
    "主动",
    "信件",
    "举报件",
    "许可",
    "审批",
    "办件",
    "证照",
    "登记",
    "政务服务"
];
/// Words that show a sentence is about other business than information-disclosure applications.
static OTHER_BUSINESS: LongWords = long_words![
    "许可",
    "审批",
    "办件",
    "证照",
    "登记",
    "政务服务",
    "热线",
    "建议",
    "提案",
    "诉求",
    "工单",
];
/// Words that show a percentage is a rate of something else.
const OTHER_RATES: &[Word] = words![
    "满意",
    "办结率",
    "答复率",
    "回复率",
    "按时",
    "及时",
    "增长",
    "下降",
    "同比",
    "关联率",
    "覆盖率",
    "知晓率",
];

/// What a narrative number may restate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quantity {
    Received,
    Handled,
    /// A result category: its name and the rows it sums.
    Category(&'static str, usize, usize),
    CarriedOver,
    CarryForward,
    /// Review (`true`) or litigation (`false`) cases, total.
    Appeals(bool),
    /// A result column of table 四 (0 upheld, 1 corrected, 3 pending) for review or litigation.
    AppealResult(bool, usize),
    /// Documents of 表二: 规章 (row `0`) or 行政规范性文件 (row `1`), issued (column `0`),
    /// repealed (`1`) or in force (`2`).
    Documents(Active, DocCol),
}

const CATEGORIES: [(&str, &[Word], usize, usize); 6] = [
    (
        "不予公开",
        words!["不予公开", "不予以公开"],
        Req::DeniedStateSecret.index(),
        Req::DeniedInquiry.index(),
    ),
    (
        "部分公开",
        words!["部分公开"],
        Req::Partial.index(),
        Req::Partial.index(),
    ),
    (
        "予以公开",
        words!["予以公开", "同意公开"],
        Req::Granted.index(),
        Req::Granted.index(),
    ),
    (
        "无法提供",
        words!["无法提供"],
        Req::UnableNotHeld.index(),
        Req::UnableUnclear.index(),
    ),
    (
        "不予处理",
        words!["不予处理"],
        Req::RejectedPetition.index(),
        Req::RejectedReconfirm.index(),
    ),
    (
        "其他处理",
        words!["其他处理"],
        Req::OtherNoCorrection.index(),
        Req::OtherOther.index(),
    ),
];

/// Which applicant columns a clause restricts itself to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Columns {
    Total,
    One(usize),
    Organisations,
}

impl Columns {
    fn of(text: &Words) -> Columns {
        const NAMED: [(Word, usize); 5] = [
            (word!("自然人"), ReqCol::NaturalPerson.index()),
            (word!("商业企业"), ReqCol::Commercial.index()),
            (word!("科研机构"), ReqCol::Research.index()),
            (word!("公益组织"), ReqCol::SocialWelfare.index()),
            (word!("法律服务机构"), ReqCol::LegalService.index()),
        ];
        if let Some((_, c)) = NAMED.iter().find(|(w, _)| text.has(*w)) {
            Columns::One(*c)
        } else if text.has_any(words!["法人", "其他组织", "企业"]) {
            Columns::Organisations
        } else {
            Columns::Total
        }
    }

    fn cols(self) -> std::ops::RangeInclusive<usize> {
        match self {
            Columns::Total => ReqCol::Total.index()..=ReqCol::Total.index(),
            Columns::One(c) => c..=c,
            Columns::Organisations => ReqCol::Commercial.index()..=ReqCol::OtherOrg.index(),
        }
    }

    fn label(self) -> &'static str {
        match self {
            Columns::Total => "总计",
            Columns::One(c) => crate::model::REQUESTS_COLS[c].label,
            Columns::Organisations => "法人或其他组织",
        }
    }
}

/// Sum of table 三 cells over rows `rows` and columns `cols`; `None` if any is not a number.
fn sum3(
    ctx: &Ctx,
    rows: std::ops::RangeInclusive<usize>,
    cols: std::ops::RangeInclusive<usize>,
) -> Option<f64> {
    let mut s = 0.0;
    for r in rows {
        for c in cols.clone() {
            s += ctx.value(CellKey::requests(r, c))?;
        }
    }
    Some(s)
}

/// Table 四 column `col` for review (`true`) or the two litigation groups.
fn appeals_keys(review: bool, col: usize) -> Vec<CellKey> {
    if review {
        vec![CellKey::appeals(Appeal::Review.index(), col)]
    } else {
        vec![
            CellKey::appeals(Appeal::SuitDirect.index(), col),
            CellKey::appeals(Appeal::SuitAfterReview.index(), col),
        ]
    }
}

fn sum_keys(ctx: &Ctx, keys: &[CellKey]) -> Option<f64> {
    keys.iter().map(|k| ctx.value(*k)).sum()
}

/// The cells a quantity is compared with, its rule, and the readings that count as agreeing
/// (label and value; the first is the main one).
struct Comparison {
    rule: &'static str,
    /// What the text states, e.g. `收到申请`.
    what: String,
    keys: Vec<CellKey>,
    readings: Vec<(String, f64)>,
    strong: bool,
}

/// The comparison for a quantity. Labels are only written when `labels` is set: the numbers
/// alone decide whether the text agrees, and most of the time it does.
fn comparison(ctx: &Ctx, q: Quantity, cols: Columns, labels: bool) -> Option<Comparison> {
    macro_rules! lab {
        ($($arg:tt)*) => {
            if labels { format!($($arg)*) } else { String::new() }
        };
    }
    let rq = |r: usize| -> Vec<CellKey> { cols.cols().map(|c| CellKey::requests(r, c)).collect() };
    let col = cols.label();
    let c = match q {
        Quantity::Received => {
            let new = sum3(ctx, Req::New.index()..=Req::New.index(), cols.cols())?;
            let carried = sum3(
                ctx,
                Req::CarriedOver.index()..=Req::CarriedOver.index(),
                cols.cols(),
            )?;
            let mut readings = vec![(lab!("表三 本年新收 {col}({})", format_number(new)), new)];
            if carried != 0.0 {
                readings.push((
                    lab!(
                        "本年新收({}) + 上年结转({}) = {}",
                        format_number(new),
                        format_number(carried),
                        format_number(new + carried)
                    ),
                    new + carried,
                ));
            }
            Comparison {
                rule: RECEIVED,
                what: lab!("收到申请"),
                keys: rq(Req::New.index()),
                readings,
                strong: true,
            }
        }
        Quantity::Handled => {
            let total = sum3(ctx, Req::Total.index()..=Req::Total.index(), cols.cols())?;
            let new = sum3(ctx, Req::New.index()..=Req::New.index(), cols.cols())?;
            let carried = sum3(
                ctx,
                Req::CarriedOver.index()..=Req::CarriedOver.index(),
                cols.cols(),
            )?;
            let forward = sum3(
                ctx,
                Req::CarryForward.index()..=Req::CarryForward.index(),
                cols.cols(),
            )?;
            let mut readings = vec![(
                lab!("表三 办理结果总计 {col}({})", format_number(total)),
                total,
            )];
            readings.push((lab!("本年新收({})", format_number(new)), new));
            if carried != 0.0 {
                readings.push((
                    lab!("本年新收 + 上年结转({})", format_number(new + carried)),
                    new + carried,
                ));
            }
            if forward != 0.0 {
                readings.push((
                    lab!(
                        "办理结果总计 + 结转下年度({})",
                        format_number(total + forward)
                    ),
                    total + forward,
                ));
            }
            Comparison {
                rule: HANDLED,
                what: lab!("办理/答复申请"),
                keys: rq(Req::Total.index()),
                readings,
                strong: false,
            }
        }
        Quantity::Category(name, first, last) => {
            let v = sum3(ctx, first..=last, cols.cols())?;
            let label = if first == last {
                lab!("表三 {name} {col}({})", format_number(v))
            } else {
                lab!("表三 {name}各项之和 {col}({})", format_number(v))
            };
            Comparison {
                rule: CATEGORY,
                what: name.to_owned(),
                keys: (first..=last).flat_map(rq).collect(),
                readings: vec![(label, v)],
                strong: true,
            }
        }
        Quantity::CarriedOver | Quantity::CarryForward => {
            let (row, name) = if q == Quantity::CarriedOver {
                (Req::CarriedOver.index(), "上年结转")
            } else {
                (Req::CarryForward.index(), "结转下年度")
            };
            let v = sum3(ctx, row..=row, cols.cols())?;
            Comparison {
                rule: CARRIED,
                what: name.to_owned(),
                keys: rq(row),
                readings: vec![(lab!("表三 {name} {col}({})", format_number(v)), v)],
                strong: true,
            }
        }
        Quantity::Appeals(review) => {
            let keys = appeals_keys(review, 4);
            let total = sum_keys(ctx, &keys)?;
            let (what, mut readings) = if review {
                (
                    "行政复议",
                    vec![(lab!("表四 行政复议 总计({})", format_number(total)), total)],
                )
            } else {
                let direct = ctx.value(keys[0])?;
                let after = ctx.value(keys[1])?;
                (
                    "行政诉讼",
                    vec![(
                        lab!(
                            "表四 行政诉讼 总计({} = 直接起诉 {} + 复议后起诉 {})",
                            format_number(total),
                            format_number(direct),
                            format_number(after)
                        ),
                        total,
                    )],
                )
            };
            // When both kinds of suit occurred, the text may give either alone.
            if !review && readings.len() == 1 {
                let (direct, after) = (ctx.value(keys[0])?, ctx.value(keys[1])?);
                if direct != 0.0 && after != 0.0 {
                    readings.push((String::new(), direct));
                    readings.push((String::new(), after));
                }
            }
            Comparison {
                rule: APPEALS,
                what: lab!("{what}"),
                keys,
                readings,
                strong: false,
            }
        }
        Quantity::AppealResult(review, col) => {
            let keys = appeals_keys(review, col);
            let v = sum_keys(ctx, &keys)?;
            let group = if review {
                "行政复议"
            } else {
                "行政诉讼"
            };
            let name = crate::model::APPEALS_COLS[col].label;
            Comparison {
                rule: APPEALS,
                what: lab!("{group}{name}"),
                keys,
                readings: vec![(lab!("表四 {group} {name}({})", format_number(v)), v)],
                strong: false,
            }
        }
        Quantity::Documents(row, col) => {
            let key = CellKey::document(row, col);
            let v = ctx.value(key)?;
            let name = if row == Active::Regulations {
                "规章"
            } else {
                "行政规范性文件"
            };
            let (act, column) = match col {
                DocCol::Issued => ("制发", "本年制发件数"),
                DocCol::Repealed => ("废止", "本年废止件数"),
                DocCol::InForce => ("现行有效", "现行有效件数"),
            };
            Comparison {
                rule: DOCUMENTS,
                what: lab!("{act}{name}"),
                keys: vec![key],
                readings: vec![(lab!("表二 {name} {column}({})", format_number(v)), v)],
                strong: false,
            }
        }
    };
    Some(c)
}

/// Byte position of `word` in `text` where it is not preceded by any of `not_after` and not
/// followed by any of `not_before`.
fn find_word(words: &Words, word: Word, not_after: &[char], not_before: &[&str]) -> Option<usize> {
    let text = words.text;
    words.find(word)?;
    let word = word.text;
    let mut from = 0;
    while let Some(i) = scan::find_short(&text[from..], word).map(|i| i + from) {
        let before = text[..i].chars().next_back();
        let after = &text[i + word.len()..];
        if !before.is_some_and(|c| not_after.contains(&c))
            && !not_before.iter().any(|w| after.starts_with(w))
        {
            return Some(i);
        }
        from = i + word.len();
    }
    None
}

/// The appeal group a piece names: review (`true`) or litigation (`false`), if exactly one.
fn names_group(text: &Words) -> Option<bool> {
    match (text.has(word!("复议")), text.has(word!("诉讼"))) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// The quantities a list item names, each with the byte range of its keyword.
fn quantities(
    item: &Words,
    context: &Context,
    group: Option<bool>,
) -> Vec<(Quantity, usize, usize)> {
    let mut out = Vec::new();
    let about_disclosure = context.about_disclosure;
    if context.about_requests {
        for (name, words, first, last) in CATEGORIES {
            let found = words.iter().find_map(|w| {
                let pos = if w.text == "予以公开" {
                    find_word(item, *w, &['不'], &[])
                } else {
                    item.find(*w)
                };
                pos.map(|p| (p, w.len()))
            });
            if let Some((p, len)) = found {
                // `不予公开` also contains `予公开`, never `予以公开`; `部分公开` is its own row.
                if !out
                    .iter()
                    .any(|(q, s, e)| matches!(q, Quantity::Category(..)) && p < *e && *s < p + len)
                {
                    out.push((Quantity::Category(name, first, last), p, p + len));
                }
            }
        }
        let carried = item.find_any(words![
            "上年结转",
            "上年度结转",
            "上一年度结转",
            "上一年结转"
        ]);
        if let Some((p, len)) = carried {
            out.push((Quantity::CarriedOver, p, p + len));
        } else if let Some((p, len)) = item.find_any(words![
            "结转下",
            "结转至",
            "结转到",
            "转入下",
            "顺延到下",
            "顺延至下",
            "延期到下",
            "延至下"
        ]) {
            out.push((Quantity::CarryForward, p, p + len));
        }
        // Received is an error when it disagrees: the clause must say which applications
        // (`政府信息公开申请`, `依申请公开`), not just `申请` (`受理行政许可申请`).
        if item.has(word!("申请"))
            && item.has(word!("公开"))
            && let Some((p, len)) = item.find_any(words!["收到", "新收", "受理", "接收", "接到"])
            && carried.is_none()
        {
            out.push((Quantity::Received, p, p + len));
        }
        let handled = words!["答复", "办结", "回复"]
            .iter()
            .filter_map(|w| item.find(*w).map(|p| (p, w.len())))
            .chain(find_word(item, word!("办理"), &[], &["结果"]).map(|p| (p, "办理".len())))
            .chain(
                find_word(item, word!("处理"), &['予', '他'], &["费", "决定"])
                    .map(|p| (p, "处理".len())),
            )
            .min();
        // `收到并答复…7件` is one count: answered only when nothing more specific is named.
        if let Some((p, len)) = handled
            && out.is_empty()
        {
            out.push((Quantity::Handled, p, p + len));
        }
        // A clause naming neither 公开 nor 申请 (`办结32866件`) takes its topic from the
        // sentence, which may be about licences or hotlines.
        let elsewhere = || {
            !item.has(word!("公开"))
                && !item.has(word!("申请"))
                && OTHER_BUSINESS.in_text(context.sentence.text)
        };
        if !out.is_empty() && (item.has_any(NOT_REQUESTS) || elsewhere()) {
            out.clear();
        }
    }
    // A body that is itself a review organ counts reviews it decided: only cases said to be
    // about information disclosure are table 四's.
    if about_disclosure && !item.has(word!("建议")) && !item.has(word!("提案")) {
        let here = names_group(item);
        if let Some(review) = here
            && let Some((p, len)) = item.find_any(words!["复议", "诉讼"])
        {
            out.push((Quantity::Appeals(review), p, p + len));
        }
        if let Some(review) = here.or(group) {
            for (words, col) in [
                (words!["维持"], AppealCol::Upheld.index()),
                (words!["纠正"], AppealCol::Corrected.index()),
                (
                    words!["尚未审结", "未审结", "正在审理", "审理中"],
                    AppealCol::Pending.index(),
                ),
            ] {
                if let Some((p, len)) = item.find_any(words) {
                    out.push((Quantity::AppealResult(review, col), p, p + len));
                }
            }
        }
    }
    let issued = item.find_any(words!["制发", "出台", "印发", "制定", "发布"]);
    let other_acts = words![
        "清理",
        "废止",
        "备案",
        "审查",
        "审核",
        "解读",
        "现行有效",
        "评估",
        "宣传",
        "规章制度",
    ];
    // 现行有效 / 废止 …件: the stock and the repealed; 制发 only where no other act is named.
    let act = if let Some((p, len)) = item.find_any(words!["现行有效"]) {
        Some((DocCol::InForce, p, len))
    } else if let Some((p, len)) = item
        .find_any(words!["废止"])
        .filter(|_| !item.has_any(words!["清理", "审查", "评估"]))
    {
        Some((DocCol::Repealed, p, len))
    } else {
        issued
            .filter(|_| !item.has_any(other_acts))
            .map(|(p, len)| (DocCol::Issued, p, len))
    };
    if let Some((col, p, len)) = act
        && !item.has(word!("规章制度"))
    {
        if item.has(word!("规范性文件")) {
            out.push((Quantity::Documents(Active::Normative, col), p, p + len));
        } else if item.has(word!("规章")) {
            out.push((Quantity::Documents(Active::Regulations, col), p, p + len));
        }
    }
    out
}

/// The count a keyword refers to: the first count after it, else the last one before it.
fn count_for(numbers: &[Number], start: usize, end: usize) -> Option<Number> {
    let is_count = |n: &&Number| n.unit == Unit::Count;
    numbers
        .iter()
        .filter(is_count)
        .find(|n| n.start >= end)
        .or_else(|| {
            numbers
                .iter()
                .rev()
                .filter(is_count)
                .find(|n| n.end <= start)
        })
        .copied()
}

/// Where the narrative is: part 一 (to the next heading) and part 六 (to the end).
fn regions(ctx: &Ctx) -> Vec<(usize, usize)> {
    let parts = &ctx.report.parts;
    let first = ctx.part_region(1).or_else(|| {
        // No heading for part 一: read what comes before the first table or heading.
        let end = ctx
            .report
            .tables
            .iter()
            .map(|t| t.span.start)
            .chain(parts.iter().map(|p| p.span.start))
            .min()
            .unwrap_or(0)
            .min(ctx.text.len());
        Some((0, end))
    });
    first.into_iter().chain(ctx.part_region(6)).collect()
}

/// The words that decide which lines, sentences and clauses are read. Appeal words (复议,
/// 诉讼, 败诉) make a line's appeal figures and claims worth reading, document words (规范性文件,
/// 规章) its document figures; 申请 marks a paragraph about applications. A claim
/// ([`claims`]) needs an appeal word or 维持, or, about applications, one of the words of
/// answering or receiving nothing.
const TOPIC_WORDS: [(&str, u8); 16] = [
    ("申请", APPLY),
    ("复议", APPEAL),
    ("诉讼", APPEAL),
    ("败诉", APPEAL),
    ("规范性文件", DOCUMENT),
    ("规章", DOCUMENT),
    ("维持", UPHELD),
    ("办结", ANSWERED),
    ("答复", ANSWERED),
    ("回复", ANSWERED),
    ("办理完毕", ANSWERED),
    ("处理完毕", ANSWERED),
    ("未收到", ANSWERED),
    ("没有收到", ANSWERED),
    ("未受理", ANSWERED),
    ("无申请", ANSWERED | APPLY),
];
const APPLY: u8 = 1;
const APPEAL: u8 = 2;
const DOCUMENT: u8 = 4;
const UPHELD: u8 = 8;
const ANSWERED: u8 = 16;
static DISCLOSE_WORDS: LongWords = long_words!["公开"];
static AMONG_WORDS: LongWords = long_words!["其中"];

/// A clause states a claim only with one of these words…
const CLAIM_ANCHORS: &[Word] = words!["复议", "诉讼", "败诉", "维持"];
/// …or, about applications, one of these.
const REQUEST_CLAIM_ANCHORS: &[Word] = words![
    "办结",
    "答复",
    "回复",
    "办理完毕",
    "处理完毕",
    "未收到",
    "没有收到",
    "未受理",
    "无申请"
];

/// One vector search for all topic words (Teddy): the places of each kind, in one pass over
/// a part. A match hides a word that starts inside it: `无申请` holds 申请 (its kind says so),
/// `败诉讼` hides 诉讼 behind 败诉 (of the same kind), and `答复议` or `回复议` hides 复议, which
/// [`Topics::of`] adds. No other word starts inside another, so every word a substring search
/// would find is found.
static TOPIC_SEARCH: LazyLock<Option<packed::Searcher>> = LazyLock::new(|| {
    packed::Config::new()
        .match_kind(packed::MatchKind::LeftmostFirst)
        .builder()
        .extend(TOPIC_WORDS.map(|(w, _)| w))
        .build()
});

/// The topic words of a part: (start, end, kind), in order, with byte offsets in the source.
struct Topics(Vec<(usize, usize, u8)>);

impl Topics {
    fn of(text: &str, base: usize) -> Topics {
        let hits = match TOPIC_SEARCH.as_ref() {
            Some(searcher) => {
                // About one topic word in a hundred bytes of a report's prose.
                let mut hits = Vec::with_capacity(text.len() / 64 + 8);
                for m in searcher.find_iter(text) {
                    let (word, kind) = TOPIC_WORDS[m.pattern()];
                    hits.push((base + m.start(), base + m.end(), kind));
                    // `答复议`: the 复议 that starts inside 答复 or 回复.
                    let inside = m.start() + "答".len();
                    if word.ends_with('复') && text[inside..].starts_with("复议") {
                        hits.push((base + inside, base + inside + "复议".len(), APPEAL));
                    }
                }
                hits
            }
            // No vector search on this machine: each word on its own, in order.
            None => {
                let mut hits: Vec<(usize, usize, u8)> = TOPIC_WORDS
                    .iter()
                    .flat_map(|&(w, kind)| {
                        text.match_indices(w)
                            .map(move |(i, _)| (base + i, base + i + w.len(), kind))
                    })
                    .collect();
                hits.sort_unstable();
                hits
            }
        };
        Topics(hits)
    }

    /// The kinds of topic word wholly inside `piece`.
    fn within(&self, piece: Piece) -> u8 {
        let end = piece.start + piece.text.len();
        let from = self.0.partition_point(|h| h.0 < piece.start);
        self.0[from..]
            .iter()
            .take_while(|h| h.0 < end)
            .filter(|h| h.1 <= end)
            .fold(0, |kinds, h| kinds | h.2)
    }
}

/// Runs the narrative rules over parts 一 and 六. Most of the text is about other things:
/// lines are skipped unless they are about applications or name appeals or documents, and
/// within them only pieces with a count or a claim word are read closely.
pub(crate) fn check(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (start, end) in regions(ctx) {
        let Some(text) = ctx.text.get(start..end) else {
            continue;
        };
        let topics = Topics::of(text, start);
        let mut heading_has_apply = false;
        for line in (Piece { text, start }).paragraphs() {
            let kinds = topics.within(line);
            let has_apply = kinds & APPLY != 0;
            let about_requests = heading_has_apply || has_apply;
            if about_requests || kinds & (APPEAL | DOCUMENT) != 0 {
                for sentence in line.split(SENTENCE_IN_PARAGRAPH) {
                    check_sentence(ctx, sentence, topics.within(sentence), about_requests, out);
                }
            }
            // A short line is a heading (`（二）依申请公开`): it sets the topic of what follows.
            // 30 characters of Chinese are 90 bytes.
            heading_has_apply = has_apply && line.text.trim().len() < 90;
        }
    }
}

/// Reads a sentence with the kinds of topic word in it.
fn check_sentence(
    ctx: &Ctx,
    sentence: Piece,
    kinds: u8,
    about_requests: bool,
    out: &mut Vec<Finding>,
) {
    // Claims need no digit; outside a paragraph about applications only appeal claims remain.
    let claims_possible = about_requests || kinds & APPEAL != 0;
    // A claim also needs one of its words in the sentence (see `claims`).
    let claims_here = claims_possible
        && (kinds & (APPEAL | UPHELD) != 0 || about_requests && kinds & ANSWERED != 0);
    // Counts in Chinese numerals (三件) are looked for only where figures are compared.
    let numerals = claims_possible || kinds & DOCUMENT != 0;
    let number_in = |text: &str| scan::has_digit(text) || numerals && scan::has_chinese_count(text);
    let has_digit = number_in(sentence.text);
    if !has_digit && !claims_here {
        return;
    }
    let context = Context {
        about_requests,
        about_disclosure: DISCLOSE_WORDS.in_text(sentence.text),
        sentence,
    };
    let mut group: Option<bool> = None;
    let mut last_category: Option<Quantity> = None;
    for clause in sentence.split(CLAUSE) {
        let digits = has_digit && number_in(clause.text);
        let numbers = if digits {
            scan::numbers(clause.text)
        } else {
            Vec::new()
        };
        let counted = numbers
            .iter()
            .any(|n| matches!(n.unit, Unit::Count | Unit::Percent));
        // Nothing to read: no claim, no figure, and no 复议 or 诉讼 to set the group.
        if !claims_here && !counted && kinds & APPEAL == 0 {
            continue;
        }
        let words = Words::new(clause.text);
        if claims_here && !numbers.iter().any(|n| n.unit == Unit::Count) {
            claims(ctx, &context, clause, &words, group, out);
        }
        if counted {
            if clause.text.contains('、') {
                for item in clause.split(LIST) {
                    let numbers = scan::numbers(item.text);
                    let words = Words::new(item.text);
                    figures(
                        ctx,
                        &context,
                        item,
                        &words,
                        &numbers,
                        group,
                        &mut last_category,
                        out,
                    );
                }
            } else {
                figures(
                    ctx,
                    &context,
                    clause,
                    &words,
                    &numbers,
                    group,
                    &mut last_category,
                    out,
                );
            }
        }
        if let Some(g) = names_group(&words) {
            group = Some(g);
        }
    }
    if about_requests && has_digit && AMONG_WORDS.in_text(sentence.text) {
        parts(&context, out);
    }
}

/// What an item after 其中 counts: a result category or an applicant column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Category(&'static str),
    Applicants(Columns),
}

/// The items listed after 其中 and the total they belong to.
struct Listed {
    total: f64,
    items: Vec<(Part, f64)>,
    /// The items were of different kinds or one came twice: a nested list, not read.
    mixed: bool,
}

impl Listed {
    /// Whether the items name every share of the total: every result category, or 自然人 and
    /// 法人或其他组织 (or its five kinds).
    fn complete(&self) -> bool {
        let has = |p: Part| self.items.iter().any(|(q, _)| *q == p);
        let categories = CATEGORIES
            .iter()
            .all(|(name, ..)| has(Part::Category(name)));
        let natural = has(Part::Applicants(Columns::One(
            ReqCol::NaturalPerson.index(),
        )));
        let organisations = has(Part::Applicants(Columns::Organisations))
            || (ReqCol::Commercial.index()..=ReqCol::OtherOrg.index())
                .all(|c| has(Part::Applicants(Columns::One(c))));
        categories || natural && organisations
    }
}

/// `共收到申请95件，其中自然人申请80件、法人或其他组织申请20件`: the items after 其中 must not
/// add up to more than the total before it, and, when they name every share, must add up to
/// it. Each 其中 belongs to the last count of applications received or handled before it; the
/// list ends at the first item that counts something else. A warning quoting the sentence: the
/// table decides which figure is wrong.
fn parts(context: &Context, out: &mut Vec<Finding>) {
    let sentence = context.sentence;
    let mut total: Option<f64> = None;
    let mut listed: Option<Listed> = None;
    let mut finished: Vec<Listed> = Vec::new();
    for clause in sentence.split(CLAUSE) {
        for item in clause.split(LIST) {
            let words = Words::new(item.text);
            let numbers = scan::numbers(item.text);
            let Some(count) = numbers.iter().find(|n| n.unit == Unit::Count) else {
                continue;
            };
            if words.has_any(COMPARISON) {
                continue;
            }
            let found = quantities(&words, context, None);
            if item.has("其中") {
                finished.extend(listed.take());
                if let Some(total) = total {
                    listed = Some(Listed {
                        total,
                        items: Vec::new(),
                        mixed: false,
                    });
                }
            }
            let part = match found.as_slice() {
                [(Quantity::Category(name, ..), ..)] => Some(Part::Category(name)),
                [] | [(Quantity::Received | Quantity::Handled, ..)]
                    if Columns::of(&words) != Columns::Total =>
                {
                    Some(Part::Applicants(Columns::of(&words)))
                }
                _ => None,
            };
            match (&mut listed, part) {
                (Some(l), Some(part)) => {
                    let kind = |p: Part| std::mem::discriminant(&p);
                    if l.items
                        .iter()
                        .any(|(q, _)| *q == part || kind(*q) != kind(part))
                    {
                        l.mixed = true;
                    }
                    l.items.push((part, count.value));
                }
                (_, part) => {
                    finished.extend(listed.take());
                    if part.is_none()
                        && let [(Quantity::Received | Quantity::Handled, ..)] = found.as_slice()
                    {
                        total = Some(count.value);
                    }
                }
            }
        }
    }
    finished.extend(listed);
    for l in finished.iter().filter(|l| !l.mixed && !l.items.is_empty()) {
        let sum: f64 = l.items.iter().map(|(_, v)| v).sum();
        let over = sum > l.total + 1e-9;
        let short = l.complete() && !same(sum, l.total);
        if !over && !short {
            continue;
        }
        let names: Vec<String> = l
            .items
            .iter()
            .map(|(p, v)| {
                let name = match p {
                    Part::Category(name) => name,
                    Part::Applicants(c) => c.label(),
                };
                format!("{name} {}", format_number(*v))
            })
            .collect();
        let relation = if over { "大于" } else { "不等于" };
        let message = format!(
            "正文“{}”：其中所列各项（{}）之和 {} 件{relation}所述总数 {} 件，请核对正文",
            sentence.quote(60),
            names.join("、"),
            format_number(sum),
            format_number(l.total)
        );
        out.push(
            Finding::new(PARTS, Severity::Warning, Vec::new(), message, Cause::Source)
                .numbers(Some(l.total), Some(sum))
                .at(Some(sentence.span())),
        );
    }
}

/// What is known about the sentence a clause belongs to.
struct Context<'a> {
    sentence: Piece<'a>,
    /// The paragraph (or its heading) is about applications.
    about_requests: bool,
    /// The sentence speaks of 公开 (disclosure).
    about_disclosure: bool,
}

/// Compares the counts and percentages of one list item with the table.
#[allow(clippy::too_many_arguments)]
fn figures(
    ctx: &Ctx,
    context: &Context,
    item: Piece,
    words: &Words,
    numbers: &[Number],
    group: Option<bool>,
    last_category: &mut Option<Quantity>,
    out: &mut Vec<Finding>,
) {
    if !numbers
        .iter()
        .any(|n| matches!(n.unit, Unit::Count | Unit::Percent))
    {
        return;
    }
    let other_year = numbers
        .iter()
        .any(|n| n.unit == Unit::Year && ctx.report.year.is_some_and(|y| n.value != f64::from(y)));
    if other_year {
        return;
    }
    let found = quantities(words, context, group);
    if found.is_empty() && !numbers.iter().any(|n| n.unit == Unit::Percent) {
        return;
    }
    let cols = Columns::of(words);
    for &(q, start, end) in &found {
        if matches!(q, Quantity::Category(..)) {
            *last_category = Some(q);
        }
        // Comparison words are looked for outside the keyword (`上一年度结转` is a keyword).
        if words.has_any(COMPARISON) {
            let (head, tail) = (&item.text[..start], &item.text[end..]);
            if COMPARISON
                .iter()
                .any(|w| scan::contains_short(head, w.text) || scan::contains_short(tail, w.text))
            {
                continue;
            }
        }
        let Some(n) = count_for(numbers, start, end) else {
            continue;
        };
        let is_request_quantity = !matches!(
            q,
            Quantity::Appeals(_) | Quantity::AppealResult(..) | Quantity::Documents(..)
        );
        let cols = if is_request_quantity {
            cols
        } else {
            Columns::Total
        };
        let Some(light) = comparison(ctx, q, cols, false) else {
            continue;
        };
        if let Some(at) = light.readings.iter().position(|(_, v)| same(*v, n.value)) {
            // 收到 may count the carried-over applications too; the reviewer is told which
            // figure the text means, since the table's 本年新收 differs from it.
            if q == Quantity::Received
                && at > 0
                && let Some(cmp) = comparison(ctx, q, cols, true)
            {
                out.push(
                    Finding::new(
                        RECEIVED,
                        Severity::Info,
                        cmp.keys.clone(),
                        format!(
                            "正文“{}”：收到申请 {} 件 = {}，即含上年结转，与表三 本年新收（{}）不同；\
                             请确认正文的说法",
                            item.quote(40),
                            format_number(n.value),
                            cmp.readings[at].0,
                            format_number(cmp.readings[0].1)
                        ),
                        Cause::Source,
                    )
                    .numbers(Some(cmp.readings[0].1), Some(n.value))
                    .at(Some(item.span())),
                );
            }
            continue;
        }
        let Some(cmp) = comparison(ctx, q, cols, true) else {
            continue;
        };
        let severity = if cols != Columns::Total {
            Severity::Info
        } else if cmp.strong {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.push(mismatch(ctx, item, &cmp, n.value, severity));
    }
    percentages(ctx, item, words, numbers, &found, *last_category, out);
}

/// Said of a comparison whose table figure sits on a row the reader had trouble with.
const DOUBTFUL_ROW: &str = "；表中该行 nianbao 未能清楚读出，请在原文中核对该行后再比较";

fn mismatch(ctx: &Ctx, item: Piece, cmp: &Comparison, said: f64, severity: Severity) -> Finding {
    // A table figure from a row the reader had trouble with is no evidence against the text:
    // the reading is what is in doubt.
    let doubtful = cmp.keys.iter().any(|k| ctx.trouble(*k) != Trouble::None);
    let (severity, cause, note) = match (doubtful, severity) {
        (true, Severity::Error) => (Severity::Warning, Cause::Extraction, DOUBTFUL_ROW),
        (true, s) => (s, Cause::Extraction, DOUBTFUL_ROW),
        (false, s) => (s, Cause::Source, ""),
    };
    let main = &cmp.readings[0];
    let others: Vec<&str> = cmp.readings[1..]
        .iter()
        .map(|(l, _)| l.as_str())
        .filter(|l| !l.is_empty())
        .collect();
    let also = if others.is_empty() {
        String::new()
    } else {
        format!("，也不等于{}", others.join("、"))
    };
    let message = format!(
        "正文“{}”：{} {} 件 ≠ {}{also}{note}",
        item.quote(40),
        cmp.what,
        format_number(said),
        main.0
    );
    Finding::new(cmp.rule, severity, cmp.keys.clone(), message, cause)
        .numbers(Some(main.1), Some(said))
        .at(Some(item.span()))
}

/// Percentages of a result category (`予以公开48件，占81.4%`) recomputed from the table.
fn percentages(
    ctx: &Ctx,
    item: Piece,
    words: &Words,
    numbers: &[Number],
    found: &[(Quantity, usize, usize)],
    last_category: Option<Quantity>,
    out: &mut Vec<Finding>,
) {
    let Some(pct) = numbers.iter().find(|n| n.unit == Unit::Percent) else {
        return;
    };
    if words.has_any(OTHER_RATES) {
        return;
    }
    let here = found
        .iter()
        .map(|(q, _, _)| *q)
        .find(|q| matches!(q, Quantity::Category(..)));
    let share = words.has_any(words!["占", "比例", "比重"]);
    let Some(Quantity::Category(name, first, last)) = here.or(last_category.filter(|_| share))
    else {
        return;
    };
    let Some(part) = sum3(
        ctx,
        first..=last,
        ReqCol::Total.index()..=ReqCol::Total.index(),
    ) else {
        return;
    };
    let totals = [
        (Req::Total.index()..=Req::Total.index(), "办理结果总计"),
        (Req::New.index()..=Req::New.index(), "本年新收"),
        (
            Req::New.index()..=Req::CarriedOver.index(),
            "本年新收 + 上年结转",
        ),
    ];
    let step = 10f64.powi(-(pct.decimals as i32));
    let mut tried = Vec::new();
    let mut wholes: Vec<f64> = Vec::new();
    for (rows, label) in totals {
        let Some(whole) = sum3(ctx, rows, ReqCol::Total.index()..=ReqCol::Total.index()) else {
            return;
        };
        if whole <= 0.0 || wholes.contains(&whole) {
            continue;
        }
        wholes.push(whole);
        let share = part / whole * 100.0;
        let rounded = (share - pct.value).abs() <= step / 2.0 + 1e-9;
        let truncated = share >= pct.value - 1e-9 && share < pct.value + step;
        if rounded || truncated {
            return;
        }
        tried.push(format!(
            "{name}({}) ÷ {label}({}) = {:.1}%",
            format_number(part),
            format_number(whole),
            share
        ));
    }
    if tried.is_empty() {
        return;
    }
    let mut keys: Vec<CellKey> = (first..=last)
        .map(|r| CellKey::requests(r, ReqCol::Total.index()))
        .collect();
    keys.push(CellKey::requests(Req::Total.index(), ReqCol::Total.index()));
    let message = format!(
        "正文“{}”：{name}占比 {}% 与表三不符：{}",
        item.quote(40),
        format_number(pct.value),
        tried.join("；")
    );
    out.push(
        Finding::new(PERCENT, Severity::Warning, keys, message, Cause::Source)
            .numbers(None, Some(pct.value))
            .at(Some(item.span())),
    );
}

/// True when a negation comes before `word` in `text`, with no count in the text.
fn negates(text: &Words, word: Word) -> bool {
    let Some(at) = text.find(word) else {
        return false;
    };
    let head = &text.text[..at];
    ["未", "没有", "无", "没", "不存在"]
        .iter()
        .any(|n| scan::contains_short(head, n))
}

/// Claims without numbers that the table may contradict.
fn claims(
    ctx: &Ctx,
    context: &Context,
    clause: Piece,
    w: &Words,
    group: Option<bool>,
    out: &mut Vec<Finding>,
) {
    let sentence = context.sentence;
    let about_requests = context.about_requests;
    let t = clause.text;
    if !(w.has_any(CLAIM_ANCHORS) || about_requests && w.has_any(REQUEST_CLAIM_ANCHORS)) {
        return;
    }
    let span = Some(clause.span());
    let quote = clause.quote(40);
    let mut push = |keys: Vec<CellKey>, message: String, found: f64| {
        out.push(
            Finding::new(CLAIM, Severity::Warning, keys, message, Cause::Source)
                .numbers(Some(0.0), Some(found))
                .at(span),
        );
    };
    // A claim that the table's figure for a group's column is 0, contradicted by the table.
    let mut zero_claim = |review: bool, col: usize, what: &str| {
        let keys = appeals_keys(review, col);
        if let Some(v) = sum_keys(ctx, &keys)
            && v > 0.0
        {
            let name = if review {
                "行政复议"
            } else {
                "行政诉讼"
            };
            push(
                keys,
                format!(
                    "正文称“{quote}”，但表四 {name} {what}为 {}",
                    format_number(v)
                ),
                v,
            );
        }
    };
    // 未发生…被纠错: about 结果纠正, not the total: the named group's (or both groups')
    // corrected results must be 0.
    let corrected_words = words!["纠错", "被纠正", "纠正"];
    if let Some((at, _)) = w.find_any(corrected_words)
        && ["未", "没有", "无", "零", "没"]
            .iter()
            .any(|n| scan::contains_short(&t[..at], n))
    {
        let groups: Vec<bool> = match names_group(w) {
            Some(g) => vec![g],
            None => vec![true, false],
        };
        for review in groups {
            zero_claim(review, 1, "结果纠正");
        }
    }
    // 未发生行政复议 / 没有行政诉讼: the table's totals must be 0.
    if !w.has_any(words![
        "败诉",
        "纠正",
        "纠错",
        "撤销",
        "确认违法",
        "建议",
        "提案"
    ]) {
        for (review, word) in [(true, word!("复议")), (false, word!("诉讼"))] {
            if negates(w, word) {
                zero_claim(review, 4, "总计");
            }
        }
    }
    // 均获维持: nothing corrected, other or pending in the group the sentence is about.
    let upheld_words = words![
        "均获维持",
        "均被维持",
        "全部维持",
        "均维持",
        "均予以维持",
        "均予维持",
        "全部获得维持",
    ];
    if w.has_any(upheld_words) {
        let groups: Vec<bool> = match names_group(w)
            .or(group)
            .or(names_group(&Words::new(sentence.text)))
        {
            Some(g) => vec![g],
            None if sentence.has("复议") && sentence.has("诉讼") => vec![true, false],
            None => Vec::new(),
        };
        for review in groups {
            let keys: Vec<CellKey> = [1, 2, 3]
                .iter()
                .flat_map(|&c| appeals_keys(review, c))
                .collect();
            if let Some(v) = sum_keys(ctx, &keys)
                && v > 0.0
            {
                let name = if review {
                    "行政复议"
                } else {
                    "行政诉讼"
                };
                push(
                    keys,
                    format!(
                        "正文称“{quote}”，但表四 {name} 的结果纠正、其他结果、尚未审结合计为 {}",
                        format_number(v)
                    ),
                    v,
                );
            }
        }
    }
    // 无败诉: no litigation result corrected.
    if w.has_any(words![
        "无败诉",
        "未败诉",
        "零败诉",
        "没有败诉",
        "未发生败诉",
        "未出现败诉",
    ]) {
        let keys = appeals_keys(false, 1);
        if let Some(v) = sum_keys(ctx, &keys)
            && v > 0.0
        {
            push(
                keys,
                format!(
                    "正文称“{quote}”，但表四 行政诉讼 结果纠正为 {}",
                    format_number(v)
                ),
                v,
            );
        }
    }
    // Claims about proposals, hotlines or petitions are not about applications.
    if !about_requests
        || !w.has_any(REQUEST_CLAIM_ANCHORS)
        || sentence.has_any(&["建议", "提案", "热线", "诉求", "工单", "留言"])
    {
        return;
    }
    // 全部办结 / 均已答复: nothing carried forward.
    let all = w.find_any(words!["全部", "均", "全都"]);
    let closed = w.find_any(words!["办结", "答复", "回复", "办理完毕", "处理完毕"]);
    // `均在法定期限内答复` is about time limits: applications carried into next year are
    // still within theirs.
    if let (Some((a, _)), Some((c, _))) = (all, closed)
        && a < c
        && t[a..c].chars().count() <= 8
        && !["期限", "时限", "期内"]
            .iter()
            .any(|x| scan::contains_short(&t[a..c], x))
    {
        let key = CellKey::requests(Req::CarryForward.index(), ReqCol::Total.index());
        if let Some(v) = ctx.value(key)
            && v > 0.0
        {
            push(
                vec![key],
                format!(
                    "正文称“{quote}”，但表三 结转下年度继续办理 总计为 {}",
                    format_number(v)
                ),
                v,
            );
        }
    }
    // 未收到申请: no new applications.
    if w.has(word!("申请")) && w.has_any(words!["未收到", "没有收到", "未受理", "无申请"])
    {
        let key = CellKey::requests(Req::New.index(), ReqCol::Total.index());
        if let Some(v) = ctx.value(key)
            && v > 0.0
        {
            push(
                vec![key],
                format!(
                    "正文称“{quote}”，但表三 本年新收 总计为 {}",
                    format_number(v)
                ),
                v,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::*;
    use crate::check::{Ctx, Finding};
    use crate::extract::{Extraction, PartHeading};
    use crate::model::{SourceText, Span};

    /// A report whose part 一 is `body`, with the small balanced table of 7 applications:
    /// 5 granted, 2 not held, 1 review upheld.
    fn report(body: &str) -> (Extraction, SourceText) {
        let text = format!("一、总体情况\n{body}\n二、主动公开政府信息情况\n");
        let mut e = balanced();
        set(&mut e, key("appeals.review.upheld"), "1");
        set(&mut e, key("appeals.review.total"), "1");
        let h1 = "一、总体情况";
        let h2 = "二、主动公开政府信息情况";
        let at2 = text.find(h2).unwrap_or(0);
        e.parts = vec![
            PartHeading {
                part: 1,
                printed_number: Some(1),
                text: h1.into(),
                span: Span::new(0, h1.len()),
            },
            PartHeading {
                part: 2,
                printed_number: Some(2),
                text: h2.into(),
                span: Span::new(at2, at2 + h2.len()),
            },
        ];
        (e, SourceText::from_utf8(text))
    }

    fn run(body: &str) -> Vec<Finding> {
        let (e, src) = report(body);
        let ctx = Ctx::new(&e, &src);
        let mut out = Vec::new();
        check(&ctx, &mut out);
        out
    }

    // 收到 meaning 新收 + 上年结转 is accepted, and the reviewer is told which figure it is.
    #[test]
    fn received_with_carried_over_is_named() {
        let (mut e, src) = report("2024年，我局共收到政府信息公开申请9件。");
        set(
            &mut e,
            CellKey::requests(Req::CarriedOver.index(), ReqCol::Total.index()),
            "2",
        );
        let ctx = Ctx::new(&e, &src);
        let mut out = Vec::new();
        check(&ctx, &mut out);
        let received: Vec<&Finding> = out.iter().filter(|f| f.rule == RECEIVED).collect();
        assert_eq!(received.len(), 1, "{out:?}");
        assert_eq!(received[0].severity, Severity::Info);
        assert!(
            received[0]
                .message
                .contains("本年新收(7) + 上年结转(2) = 9"),
            "{}",
            received[0].message
        );
        let plain = run("2024年，我局共收到政府信息公开申请7件。");
        assert!(plain.iter().all(|f| f.rule != RECEIVED), "{plain:?}");
    }

    // The items after 其中 must not add up to more than the total before them, nor differ from
    // it when they name every share; nested lists, comparisons and partial lists are no case.
    #[test]
    fn parts_after_qizhong() {
        let parts = |body: &str| -> Vec<String> {
            run(body)
                .into_iter()
                .filter(|f| f.rule == PARTS)
                .map(|f| f.message)
                .collect()
        };
        let wrong = parts("共收到政府信息公开申请7件，其中自然人申请4件、法人或其他组织申请2件。");
        assert_eq!(wrong.len(), 1, "{wrong:?}");
        assert!(
            wrong[0].contains("自然人 4、法人或其他组织 2）之和 6 件不等于所述总数 7 件"),
            "{wrong:?}"
        );
        let over = parts("本年度办结政府信息公开申请7件，其中予以公开5件，部分公开3件。");
        assert_eq!(over.len(), 1, "{over:?}");
        assert!(over[0].contains("之和 8 件大于所述总数 7 件"), "{over:?}");
        for fine in [
            "共收到政府信息公开申请7件，其中自然人申请5件、法人或其他组织申请2件。",
            "本年度办结政府信息公开申请7件，其中予以公开5件。",
            "共收到政府信息公开申请7件，其中自然人申请7件，比上年增加3件。",
            "2024年，我局共办理政府信息公开申请7件，与去年相比数量增加6件，其中7件全部为自然人申请，\
             按时依法依规答复7件，其中予以公开5件，无法提供2件。",
            "共收到政府信息公开申请7件，其中自然人申请5件（其中予以公开5件），法人申请2件。",
        ] {
            assert_eq!(parts(fine), Vec::<String>::new(), "{fine}");
        }
    }

    // A figure compared with a row the reader had trouble with blames the reading, not the
    // report: a warning with cause 读取问题, folded under the row's own finding.
    #[test]
    fn doubtful_row_blames_the_reading() {
        use crate::extract::{ExtractionWarning, WarningKind};
        let (mut e, src) = report("2024年，我局共收到政府信息公开申请8件。");
        let keys: Vec<CellKey> = (0..7).map(|c| CellKey::requests(0, c)).collect();
        warn(
            &mut e,
            ExtractionWarning {
                kind: WarningKind::TooFewValues {
                    table: crate::model::TableId::Requests,
                    label: "一、本年新收政府信息公开申请数量".into(),
                    expected: 7,
                    found: 6,
                },
                keys,
                span: None,
                message: String::new(),
            },
        );
        let ctx = Ctx::new(&e, &src);
        let mut f = Vec::new();
        check(&ctx, &mut f);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!(f[0].cause, Cause::Extraction);
        assert!(f[0].message.contains("未能清楚读出"), "{}", f[0].message);
        let all = crate::check::run_checks(&e, &src, &[]);
        assert!(all.iter().all(|f| f.rule != RECEIVED), "{all:#?}");
        let row = all
            .iter()
            .find(|f| f.rule == "extract.too_few_values")
            .expect("the row's finding");
        assert!(row.covers.iter().any(|c| c.rule == RECEIVED), "{row:#?}");
    }

    // 收到申请: the same number passes; another is an error naming 本年新收.
    #[test]
    fn received_rule() {
        assert!(run("2024年，我局共收到政府信息公开申请7件，与上年度持平。").is_empty());
        assert!(run("我局收到 7 条政府信息公开申请，均按要求进行答复。").is_empty());
        assert!(run("全年共收到政府信息公开申请七件。").is_empty());
        let f = run("全年共收到政府信息公开申请八件。");
        assert_eq!(f.len(), 1, "Chinese numerals are read: {f:#?}");
        assert_eq!(f[0].found, Some(8.0));
        let f = run("2024年，我局共收到政府信息公开申请9件。");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].rule, RECEIVED);
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].keys[0].name(), "requests.new.total");
        assert!(
            f[0].message
                .contains("收到申请 9 件 ≠ 表三 本年新收 总计(7)"),
            "{}",
            f[0].message
        );
        assert_eq!((f[0].expected, f[0].found), (Some(7.0), Some(9.0)));
    }

    // 予以公开N件 vs the table, as in seed 001; 不予公开0件 agrees.
    #[test]
    fn category_rule() {
        assert!(run("共办理申请7件，其中予以公开5件，无法提供2件，不予公开0件。").is_empty());
        let f =
            run("共办理政府信息公开申请7件，按时依法依规答复7件，其中予以公开7件，不予公开0件。");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].rule, CATEGORY);
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].keys, [key("requests.granted.total")]);
        assert!(
            f[0].message
                .contains("予以公开 7 件 ≠ 表三 予以公开 总计(5)"),
            "{}",
            f[0].message
        );
        // A sum category names all its rows.
        let f = run("申请办理中，不予公开3件。");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].keys.len(), 8);
        assert!(f[0].message.contains("不予公开各项之和 总计(0)"));
    }

    // Numbers in comparisons, other years or other topics are not compared.
    #[test]
    fn doubtful_clauses_are_not_compared() {
        assert!(run("共收到申请7件，较上年增加6件。").is_empty());
        assert!(run("2023年收到政府信息公开申请3件。").is_empty());
        assert!(run("共收到代表建议2条，政协提案3件。").is_empty());
        assert!(run("办理12345热线168件，办理结果满意率90%以上。").is_empty());
        assert!(run("主动予以公开政府信息300条。").is_empty());
        // Other business of an approval bureau is not an information-disclosure application.
        assert!(run("全年受理行政许可申请32866件，办结32866件。").is_empty());
        assert!(run("依申请公开方面，共收到申请9件。").is_empty());
        // Restricted to one applicant type: compared with that column, and only as a hint.
        let f = run("依申请公开方面，自然人申请予以公开4件。");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Info);
        assert_eq!(f[0].keys, [key("requests.granted.natural_person")]);
    }

    // 办理/答复 accepts the readings a report may mean, and warns when none fits.
    #[test]
    fn handled_rule() {
        assert!(run("依法依规按时办结答复7件。申请全部办结。").is_empty());
        let f = run("政府信息公开申请方面，按时答复6件。");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].rule, HANDLED);
        assert_eq!(f[0].severity, Severity::Warning);
    }

    // 上年结转 and 结转下年度 restated are compared with their rows.
    #[test]
    fn carried_rule() {
        assert!(run("申请方面，上年结转0件，结转下年度0件。").is_empty());
        let f = run("申请方面，结转下年度继续办理2件。");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].rule, CARRIED);
        assert_eq!(f[0].keys, [key("requests.carry_forward.total")]);
        // `另有N件顺延到下年度答复` is the carried-forward figure, not the answered one, also
        // when a converter wrapped the line inside it.
        assert!(run("申请方面，另有0件顺延到下年度\n答复。").is_empty());
        let f = run("申请方面，另有3件顺延到下年度\n答复。");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].rule, CARRIED);
    }

    // A percentage of a category recomputes from the table, or is flagged.
    #[test]
    fn percent_rule() {
        assert!(run("申请办理中，予以公开5件，占71.4%。").is_empty());
        assert!(run("申请办理中，予以公开5件，占71%。").is_empty());
        let f = run("申请办理中，予以公开5件，占80%。");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].rule, PERCENT);
        assert!(
            f[0].message
                .contains("予以公开(5) ÷ 办理结果总计(7) = 71.4%"),
            "{}",
            f[0].message
        );
        assert!(run("申请办理满意率80%。").is_empty());
    }

    // Review and litigation counts and results restated, with the group from the sentence.
    #[test]
    fn appeals_rule() {
        assert!(run("因政府信息公开发生行政复议1件，结果维持1件，全年未发生行政诉讼。").is_empty());
        let f = run("因政府信息公开发生行政复议2件，结果维持1件。");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].rule, APPEALS);
        assert_eq!(f[0].keys, [key("appeals.review.total")]);
        let f = run("因政府信息公开发生行政复议1件，结果纠正1件。");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].keys, [key("appeals.review.corrected")]);
    }

    // Claims that real reports make and that the table does not contradict: every reply in
    // time although some are carried into next year; no review result corrected although
    // reviews happened (未发生…被纠错 is about 结果纠正). A corrected result contradicts the
    // second, and only that cell is named.
    #[test]
    fn claims_about_time_limits_and_corrections() {
        let (mut e, src) = report("所有申请均在法定期限内答复。全年未发生行政复议被纠错的情况。");
        set(&mut e, key("requests.carry_forward.total"), "1");
        let ctx = Ctx::new(&e, &src);
        let mut f = Vec::new();
        check(&ctx, &mut f);
        assert!(f.is_empty(), "{f:#?}");
        set(&mut e, key("appeals.review.corrected"), "1");
        let ctx = Ctx::new(&e, &src);
        let mut f = Vec::new();
        check(&ctx, &mut f);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].rule, CLAIM);
        assert_eq!(f[0].keys, [key("appeals.review.corrected")]);
    }

    // 未发生行政复议 / 均获维持 / 无败诉 / 全部办结 / 未收到申请 against the table.
    #[test]
    fn claim_rule() {
        assert!(run("全年未发生行政诉讼。行政复议案件均获维持。").is_empty());
        let f = run("全年没有行政复议和行政诉讼案件。");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].rule, CLAIM);
        assert_eq!(f[0].keys, [key("appeals.review.total")]);
        let (mut e, src) =
            report("申请均已按时办结。本年度未收到政府信息公开申请。行政诉讼均获维持，无败诉。");
        set(&mut e, key("requests.carry_forward.total"), "1");
        set(&mut e, key("appeals.suit_direct.corrected"), "1");
        let ctx = Ctx::new(&e, &src);
        let mut f = Vec::new();
        check(&ctx, &mut f);
        let keys: Vec<&str> = f.iter().map(|f| f.keys[0].name()).collect();
        assert_eq!(
            keys,
            [
                "requests.carry_forward.total",
                "requests.new.total",
                "appeals.suit_direct.corrected",
                "appeals.suit_direct.corrected"
            ],
            "{f:#?}"
        );
        // Claims about proposals are not about applications.
        assert!(run("申请方面良好。办理人大代表建议16件，已全部办结。").is_empty());
    }

    // The sentence-level test of `check_sentence` finds every word `claims` needs, with the
    // kind it needs, even where one word hides inside another.
    #[test]
    fn topic_words_cover_claim_anchors() {
        let kind_of = |w: &str| {
            TOPIC_WORDS
                .iter()
                .find(|(t, _)| *t == w)
                .map_or(0, |(_, k)| *k)
        };
        for w in CLAIM_ANCHORS {
            assert_ne!(kind_of(w.text) & (APPEAL | UPHELD), 0, "{}", w.text);
        }
        for w in REQUEST_CLAIM_ANCHORS {
            assert_ne!(kind_of(w.text) & ANSWERED, 0, "{}", w.text);
        }
        let text = "已答复议题1件，无申请复议";
        let topics = Topics::of(text, 10);
        let kinds: Vec<(&str, u8)> = topics
            .0
            .iter()
            .map(|&(s, e, k)| (&text[s - 10..e - 10], k))
            .collect();
        assert_eq!(
            kinds,
            [
                ("答复", ANSWERED),
                ("复议", APPEAL),
                ("无申请", ANSWERED | APPLY),
                ("复议", APPEAL)
            ]
        );
        let whole = Piece { text, start: 10 };
        assert_eq!(topics.within(whole), ANSWERED | APPEAL | APPLY);
    }

    // 规范性文件 issued restated vs table 二.
    #[test]
    fn documents_rule() {
        assert!(run("本年度制发行政规范性文件0件，清理规范性文件3件。").is_empty());
        let f = run("本年度制发行政规范性文件2件。");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].rule, DOCUMENTS);
        assert_eq!(f[0].keys, [key("active.normative.issued")]);
        assert!(run("完善内部规章制度3项。").is_empty());
        // 现行有效 and 废止 figures against their columns (the test table has 0 in each).
        assert!(run("现行有效行政规范性文件0件。").is_empty());
        let f = run("截至年底，现行有效行政规范性文件5件。");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].keys, [key("active.normative.in_force")]);
        let f = run("本年度废止规章1件。");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].keys, [key("active.regulations.repealed")]);
        assert!(run("清理并废止规范性文件3件。").is_empty());
    }
}
