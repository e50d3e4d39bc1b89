//! The review notice (审核意见): the letter that ends a review, addressed to the body that issued
//! the report. [`Notice::build`] turns an [`ExportReport`] into numbered items, one per finding
//! the reviewer confirmed, grouped by kind (tables, text against tables, format), with where the
//! problem is, what is printed, what is wrong and the correction made or suggested. The writers
//! give plain text (to paste into an e-mail) and .docx bytes; [`write_notice`] saves both.

mod docx;

use super::report::{ExportCell, ExportFinding, ExportReport};
use crate::check::{Change, Severity};
use crate::ingest::fs::{WriteError, write_atomic};
use crate::model::format_number;
use crate::model::{
    ACTIVE_ROWS, APPEALS_COLS, APPEALS_GROUPS, CellKey, REQUESTS_COLS, TableId, ValueKind,
};
use crate::review::{CorrectionValue, VerdictState};
use std::fmt;
use std::path::{Path, PathBuf};

/// What goes into a notice besides the review itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoticeOptions {
    /// List findings without a verdict too, in a section of their own (待核实).
    pub include_open: bool,
    /// The date the notice is signed.
    pub date: jiff::civil::Date,
}

/// The sections of a notice, in the order they are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoticeSection {
    /// 统计表问题: the numbers of the three tables (relations, single values, other years).
    Tables,
    /// 正文与表格不一致: the text says something the tables do not.
    Narrative,
    /// 格式与结构问题: headings, dates, the template's layout.
    Format,
    /// 待核实: findings the reviewer has not judged (only with `include_open`).
    Open,
}

impl NoticeSection {
    /// The heading without its number, e.g. `统计表问题`.
    pub fn title(self) -> &'static str {
        match self {
            NoticeSection::Tables => "统计表问题",
            NoticeSection::Narrative => "正文与表格不一致",
            NoticeSection::Format => "格式与结构问题",
            NoticeSection::Open => "待核实",
        }
    }

    /// The section a confirmed finding of `rule` belongs to. The rule families are those of
    /// `check`: relations (`requests.*`, `appeals.*`), single values (`value.*`) and the
    /// cross-year comparisons (`years.*`) are about table numbers; the text's figures
    /// (`narrative.*`) and the year the text describes (`dates.narrative_year`) are the text
    /// against the tables; the part headings (`structure.*`), the title year and the statistics
    /// period (other `dates.*`) and the layout the reader met (`extract.*`: rows missing or
    /// merged, an old template) are format. A rule of none of these families counts as a table
    /// problem when it names cells.
    pub fn of_rule(rule: &str, has_cells: bool) -> NoticeSection {
        let family = rule.split('.').next().unwrap_or(rule);
        match family {
            "requests" | "appeals" | "value" | "years" => NoticeSection::Tables,
            "narrative" => NoticeSection::Narrative,
            "dates" if rule == crate::check::NARRATIVE_YEAR => NoticeSection::Narrative,
            "dates" | "structure" | "extract" => NoticeSection::Format,
            _ if has_cells => NoticeSection::Tables,
            _ => NoticeSection::Format,
        }
    }
}

/// One cell's change, as the notice words it.
#[derive(Clone, Debug, PartialEq)]
pub struct FixChange {
    /// The cell.
    pub key: CellKey,
    /// What is printed now (`5`, `空白`, `“/”`).
    pub from: String,
    /// What it should be.
    pub to: String,
}

/// The correction of an item: made by the reviewer, or suggested by the checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// True when the reviewer corrected the cells (经核实); false for a suggestion (建议).
    pub made: bool,
    /// The cells and their values.
    pub changes: Vec<FixChange>,
}

/// One numbered item of the notice.
#[derive(Clone, Debug, PartialEq)]
pub struct NoticeItem {
    /// The finding's rule id.
    pub rule: String,
    /// Where: the cells named in full (`表三「予以公开」行「总计」列`), or empty when the
    /// problem's own words say where (a relation, a quoted sentence).
    pub place: String,
    /// What is printed in those cells (`5`, `空白`), or empty.
    pub printed: String,
    /// What is wrong: the finding's message, which quotes the sentence or shows the relation
    /// with its numbers.
    pub problem: String,
    /// The correction made or suggested.
    pub fix: Option<Fix>,
    /// The reviewer's note on the verdict.
    pub note: Option<String>,
}

impl NoticeItem {
    /// The item as one paragraph, without its number: where and what is printed, the problem,
    /// the correction and the reviewer's note, each a sentence.
    pub fn text(&self) -> String {
        let mut out = String::new();
        if !self.place.is_empty() {
            out.push_str(&self.place);
            match self.printed.as_str() {
                "" => {}
                "空白" => out.push_str("未填写数值"),
                printed => {
                    out.push_str("填报为 ");
                    out.push_str(printed);
                }
            }
            out.push('。');
        }
        push_sentence(&mut out, &self.problem);
        if let Some(fix) = &self.fix {
            push_sentence(&mut out, &self.fix_text(fix));
        }
        if let Some(note) = &self.note {
            push_sentence(&mut out, &format!("审核说明：{note}"));
        }
        out
    }

    /// `经核实，应将…由 5 改为 7` or `建议将…由 5 改为 7`; the cell is not named again when it is
    /// the item's only place.
    pub fn fix_text(&self, fix: &Fix) -> String {
        let lead = if fix.made {
            "经核实，应将"
        } else {
            "建议将"
        };
        let single_place = fix.changes.len() == 1 && fix.changes[0].key_place() == self.place;
        let changes: Vec<String> = fix
            .changes
            .iter()
            .map(|c| {
                if single_place {
                    format!("该数值由 {} 改为 {}", c.from, c.to)
                } else {
                    format!("{}由 {} 改为 {}", c.key_place(), c.from, c.to)
                }
            })
            .collect();
        format!("{lead}{}", changes.join("，"))
    }

    /// What the table of section 一 shows as 应为: the new values, or `—`.
    pub fn should_be(&self) -> String {
        match &self.fix {
            Some(fix) => {
                let values: Vec<&str> = fix.changes.iter().map(|c| c.to.as_str()).collect();
                let joined = values.join("、");
                if fix.made {
                    joined
                } else {
                    format!("{joined}（建议）")
                }
            }
            None => "—".to_owned(),
        }
    }

    /// What the table of section 一 shows as 位置: the cells, or the relation's own place (the
    /// words before the first `：` of the problem), or the tables concerned.
    pub fn table_place(&self) -> String {
        if !self.place.is_empty() {
            return self.place.clone();
        }
        match self.problem.split_once('：') {
            Some((head, _)) if head.starts_with('表') && head.chars().count() <= 30 => {
                head.to_owned()
            }
            _ => "—".to_owned(),
        }
    }
}

impl FixChange {
    fn key_place(&self) -> String {
        cell_place(self.key)
    }
}

/// Appends `text` as a sentence: a full stop added unless it already ends in one.
fn push_sentence(out: &mut String, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    out.push_str(text);
    if !text.ends_with(['。', '！', '？', '.']) {
        out.push('。');
    }
}

/// A section with its items.
#[derive(Clone, Debug, PartialEq)]
pub struct NoticeBlock {
    /// Which section.
    pub section: NoticeSection,
    /// The numbered heading, e.g. `一、统计表问题` (numbered by position: an empty section is
    /// left out and the next one takes its number, as a formal document requires).
    pub heading: String,
    /// The items, in the order of their first cell.
    pub items: Vec<NoticeItem>,
}

/// A review notice, ready to be written as text or .docx.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// `关于《…年度报告》的审核意见`.
    pub title: String,
    /// The issuing body, followed by `：`.
    pub addressee: String,
    /// The opening sentence.
    pub opening: String,
    /// The sections that have items.
    pub blocks: Vec<NoticeBlock>,
    /// The closing request.
    pub closing: String,
    /// The date, e.g. `2025年3月4日`.
    pub date: String,
}

impl Notice {
    /// Builds the notice of one report: an item per confirmed finding (dismissed ones left
    /// out; findings without a verdict listed under 待核实 only with `include_open`, and then
    /// not the info-level ones, which ask nothing of the issuing body).
    pub fn build(report: &ExportReport, options: &NoticeOptions) -> Notice {
        let document = document_name(report);
        let mut items: Vec<(NoticeSection, usize, NoticeItem)> = Vec::new();
        for f in report.findings.iter().chain(&report.resolved) {
            let kind = NoticeSection::of_rule(&f.finding.rule, !f.finding.keys.is_empty());
            let section = match f.verdict.as_ref().map(|v| v.state) {
                Some(VerdictState::Confirmed) => kind,
                Some(VerdictState::Dismissed) => continue,
                None if options.include_open && f.finding.severity != Severity::Info => {
                    NoticeSection::Open
                }
                None => continue,
            };
            let order = f.finding.keys.first().map_or(0, |k| k.index() + 1);
            items.push((section, order, item(report, f, kind)));
        }
        // Resolved findings were appended after the current ones; one stable sort puts every
        // section's items in table order again.
        items.sort_by_key(|(section, order, _)| (*section, *order));
        let confirmed = items
            .iter()
            .filter(|(s, _, _)| *s != NoticeSection::Open)
            .count();
        let open = items.len() - confirmed;
        let mut blocks: Vec<NoticeBlock> = Vec::new();
        for (section, _, item) in items {
            match blocks.last_mut() {
                Some(block) if block.section == section => block.items.push(item),
                _ => blocks.push(NoticeBlock {
                    section,
                    heading: format!("{}、{}", chinese_number(blocks.len() + 1), section.title()),
                    items: vec![item],
                }),
            }
        }
        let opening = match (confirmed, open) {
            (0, 0) => format!("经审核，未发现你单位《{document}》存在需要更正的问题。"),
            (0, _) => format!(
                "经审核，暂未确认你单位《{document}》存在需要更正的问题，以下事项请予核实："
            ),
            _ => format!("经审核，你单位《{document}》存在以下问题，请逐项核实："),
        };
        let closing = match (confirmed, open) {
            (0, 0) => "特此告知。".to_owned(),
            (0, _) => "请对上述事项予以核实；如确有问题，请在重新发布年度报告前更正。".to_owned(),
            _ => "请对照上述意见逐项核实，在重新发布年度报告前完成更正，并将更正情况及时反馈。"
                .to_owned(),
        };
        Notice {
            title: format!("关于《{document}》的审核意见"),
            addressee: format!(
                "{}：",
                report
                    .agency
                    .as_deref()
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .unwrap_or("报告发布单位")
            ),
            opening,
            blocks,
            closing,
            date: format!(
                "{}年{}月{}日",
                options.date.year(),
                options.date.month(),
                options.date.day()
            ),
        }
    }

    /// Number of items in all sections.
    pub fn item_count(&self) -> usize {
        self.blocks.iter().map(|b| b.items.len()).sum()
    }

    /// Number of items from confirmed findings (all but 待核实).
    pub fn confirmed_count(&self) -> usize {
        self.blocks
            .iter()
            .filter(|b| b.section != NoticeSection::Open)
            .map(|b| b.items.len())
            .sum()
    }

    /// The notice as plain text with `\n` line ends: title, addressee, opening, the numbered
    /// items under their headings, closing and date. Paragraphs start with two ideographic
    /// spaces, as Chinese letters do.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.title);
        out.push_str("\n\n");
        out.push_str(&self.addressee);
        out.push('\n');
        out.push_str(INDENT);
        out.push_str(&self.opening);
        out.push('\n');
        for block in &self.blocks {
            out.push('\n');
            out.push_str(&block.heading);
            out.push('\n');
            for (i, item) in block.items.iter().enumerate() {
                out.push_str(INDENT);
                out.push_str(&item_number(i + 1));
                out.push_str(&item.text());
                out.push('\n');
            }
        }
        out.push('\n');
        out.push_str(INDENT);
        out.push_str(&self.closing);
        out.push_str("\n\n");
        out.push_str(&self.date);
        out.push('\n');
        out
    }

    /// The text file's bytes: a UTF-8 byte-order mark (so that Notepad and WPS on Chinese
    /// Windows, which otherwise guess GBK, read it right) and Windows line ends.
    pub fn to_text_file(&self) -> Vec<u8> {
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        bytes.extend_from_slice(self.to_text().replace('\n', "\r\n").as_bytes());
        bytes
    }

    /// The notice as .docx bytes.
    pub fn to_docx(&self) -> Result<Vec<u8>, NoticeError> {
        docx::docx_bytes(self)
    }
}

/// Two ideographic spaces: the first-line indent of a Chinese paragraph in plain text.
const INDENT: &str = "\u{3000}\u{3000}";

/// `（一）`, `（十二）`: the number of an item within its section.
pub fn item_number(n: usize) -> String {
    format!("（{}）", chinese_number(n))
}

/// 一 … 九十九 in Chinese numerals; larger numbers in Arabic digits (no notice has that many
/// items in a section, but the function must not fail).
pub fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", DIGITS[n / 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// The report's name as the notice quotes it, e.g. `高青县行政审批服务局2024年政府信息公开工作
/// 年度报告`; the file's name when neither body nor year was read.
fn document_name(report: &ExportReport) -> String {
    let agency = report
        .agency
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    match (agency, report.year) {
        (Some(a), Some(y)) => format!("{a}{y}年政府信息公开工作年度报告"),
        (Some(a), None) => format!("{a}政府信息公开工作年度报告"),
        (None, Some(y)) => format!("{y}年政府信息公开工作年度报告"),
        (None, None) => {
            let stem = file_stem(report.file_name());
            if stem.is_empty() {
                "政府信息公开工作年度报告".to_owned()
            } else {
                stem.to_owned()
            }
        }
    }
}

/// A file name without its last extension.
fn file_stem(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    }
}

/// A cell named in full for a reader of the report: `表三「予以公开」行「总计」列`,
/// `表二「行政许可」行「本年处理决定数量」列`, `表四「行政诉讼·未经复议直接起诉·结果纠正」栏`.
pub fn cell_place(key: CellKey) -> String {
    match key.table() {
        TableId::Active => {
            let row = &ACTIVE_ROWS[key.row()];
            let col = row.col_labels.get(key.col()).copied().unwrap_or("");
            format!("表二「{}」行「{col}」列", row.label)
        }
        TableId::Requests => {
            let col = REQUESTS_COLS[key.col()].label;
            let label = key.label();
            let row = label
                .strip_suffix(col)
                .map_or(label, str::trim_end)
                .replace(' ', "·");
            format!("表三「{row}」行「{col}」列")
        }
        TableId::Appeals => {
            let group = &APPEALS_GROUPS[key.row()];
            let col = APPEALS_COLS[key.col()].label;
            if group.parent.is_empty() {
                format!("表四「{}·{col}」栏", group.label)
            } else {
                format!("表四「{}·{}·{col}」栏", group.parent, group.label)
            }
        }
    }
}

/// A cell's content as the notice quotes it: the number or text printed, or `空白`.
fn shown(cell: &crate::model::Cell) -> String {
    match cell.kind() {
        ValueKind::Blank => "空白".to_owned(),
        ValueKind::Zero | ValueKind::Number => cell
            .raw
            .as_deref()
            .map_or_else(|| "空白".to_owned(), str::to_owned),
        ValueKind::Placeholder | ValueKind::Text => {
            format!("“{}”", cell.raw.as_deref().unwrap_or(""))
        }
    }
}

/// A correction's value as the notice writes it.
fn corrected(value: CorrectionValue) -> String {
    match value {
        CorrectionValue::Number(v) => format_number(v),
        CorrectionValue::Blank => "空白".to_owned(),
        CorrectionValue::NotApplicable => "“/”".to_owned(),
    }
}

/// One finding as an item: the reviewer's corrections on its cells when there are any (what
/// was printed → what the reviewer set), else the checks' suggestion. `kind` is the section of
/// the finding's rule: only a table problem is placed by its cells, since the text's problems
/// are placed by the sentence their message quotes.
fn item(report: &ExportReport, f: &ExportFinding, kind: NoticeSection) -> NoticeItem {
    let finding = &f.finding;
    let corrected_cells: Vec<(CellKey, &ExportCell)> = finding
        .keys
        .iter()
        .map(|k| (*k, report.cell(*k)))
        .filter(|(_, c)| c.correction.is_some())
        .collect();
    let fix = if corrected_cells.is_empty() {
        finding.suggestion.as_ref().map(|s| Fix {
            made: false,
            changes: s
                .changes
                .iter()
                .map(|c: &Change| FixChange {
                    key: c.key,
                    from: shown(&report.cell(c.key).value),
                    to: format_number(c.value),
                })
                .collect(),
        })
    } else {
        Some(Fix {
            made: true,
            changes: corrected_cells
                .iter()
                .filter_map(|(k, c)| {
                    let correction = c.correction.as_ref()?;
                    Some(FixChange {
                        key: *k,
                        from: shown(&c.original),
                        to: corrected(correction.value),
                    })
                })
                .collect(),
        })
    };
    // The cells are named when there is one, or when a fix names the cells that change; a
    // relation or a quoted sentence already says where in its message.
    let (place, printed) = match (finding.keys.as_slice(), &fix) {
        _ if kind != NoticeSection::Tables => (String::new(), String::new()),
        ([one], _) => (cell_place(*one), shown(&report.cell(*one).original)),
        (_, Some(fix)) if fix.changes.len() == 1 => {
            let key = fix.changes[0].key;
            (cell_place(key), shown(&report.cell(key).original))
        }
        _ => (String::new(), String::new()),
    };
    NoticeItem {
        rule: finding.rule.clone(),
        place,
        printed,
        problem: finding.message.trim().to_owned(),
        fix,
        note: f
            .verdict
            .as_ref()
            .and_then(|v| v.note.as_deref())
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
    }
}

/// Why a notice could not be written.
#[derive(Debug)]
pub enum NoticeError {
    /// The .docx could not be put together (a fault of the writer, not of the disk).
    Docx(String),
    /// A file could not be saved; any file already there is unchanged.
    Write(WriteError),
}

impl fmt::Display for NoticeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoticeError::Docx(why) => write!(f, "无法生成 Word 文件（{why}）"),
            NoticeError::Write(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for NoticeError {}

/// The file name's stem for a report's notice: `<report file stem>_审核意见`.
pub fn notice_stem(report_file: &str) -> String {
    let name = report_file
        .rsplit(['/', '\\'])
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or(report_file);
    let stem: String = file_stem(name)
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*'))
        .collect();
    let stem = stem.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if stem.is_empty() {
        "年报_审核意见".to_owned()
    } else {
        format!("{stem}_审核意见")
    }
}

/// Writes `<dir>/<stem>.docx` and `<dir>/<stem>.txt`, each atomically; returns both paths.
pub fn write_notice(
    notice: &Notice,
    dir: &Path,
    stem: &str,
) -> Result<(PathBuf, PathBuf), NoticeError> {
    let docx = notice.to_docx()?;
    let docx_path = dir.join(format!("{stem}.docx"));
    let text_path = dir.join(format!("{stem}.txt"));
    write_atomic(&docx_path, &docx).map_err(NoticeError::Write)?;
    write_atomic(&text_path, &notice.to_text_file()).map_err(NoticeError::Write)?;
    Ok((docx_path, text_path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{balanced, key, set};
    use crate::check::{Cause, Finding, run_checks};
    use crate::model::SourceText;
    use crate::review::ReviewSession;

    fn options(include_open: bool) -> NoticeOptions {
        NoticeOptions {
            include_open,
            date: jiff::civil::date(2025, 3, 4),
        }
    }

    /// A session on a balanced report with 表三「予以公开」「自然人」printed 6 instead of 5.
    fn suspect_session() -> ReviewSession {
        let mut e = balanced();
        set(&mut e, key("requests.granted.natural_person"), "6");
        ReviewSession::new(SourceText::from_utf8(""), e)
    }

    fn report_of(session: &ReviewSession) -> ExportReport {
        ExportReport::with_checks("dir/某县报告.txt", "00", session, &[])
    }

    fn judge(session: &mut ReviewSession, rule: &str, state: VerdictState, note: Option<&str>) {
        let findings = run_checks(&session.effective_extraction(), &session.source, &[]);
        let f = findings
            .iter()
            .find(|f| f.rule == rule)
            .unwrap_or_else(|| panic!("no {rule}: {findings:#?}"));
        session.set_verdict(&f.id(), &f.keys, state, note.map(str::to_owned));
    }

    // A confirmed suspect value is an item of 统计表问题 naming the cell, what is printed, the
    // relation's message and the suggested change.
    #[test]
    fn confirmed_suggestion_item() {
        let mut s = suspect_session();
        judge(
            &mut s,
            "value.suspect",
            VerdictState::Confirmed,
            Some("与原件核对"),
        );
        let notice = Notice::build(&report_of(&s), &options(false));
        assert_eq!(
            notice.title,
            "关于《某县行政审批服务局2024年政府信息公开工作年度报告》的审核意见"
        );
        assert_eq!(notice.addressee, "某县行政审批服务局：");
        assert_eq!(notice.blocks.len(), 1, "{notice:#?}");
        let block = &notice.blocks[0];
        assert_eq!(block.heading, "一、统计表问题");
        let item = &block.items[0];
        assert_eq!(item.place, "表三「予以公开」行「自然人」列");
        assert_eq!(item.printed, "6");
        assert_eq!(item.should_be(), "5（建议）");
        let text = item.text();
        assert!(
            text.starts_with("表三「予以公开」行「自然人」列填报为 6。"),
            "{text}"
        );
        assert!(text.contains(item.problem.as_str()), "{text}");
        assert!(text.contains("建议将该数值由 6 改为 5。"), "{text}");
        assert!(text.ends_with("审核说明：与原件核对。"), "{text}");
        assert!(notice.opening.contains("存在以下问题"));
        assert!(notice.closing.contains("重新发布年度报告前"));
        assert_eq!(notice.date, "2025年3月4日");
    }

    // A finding confirmed and then corrected no longer shows on the corrected cells; the notice
    // still lists it, with the reviewer's correction instead of the suggestion.
    #[test]
    fn confirmed_then_corrected_item() {
        let mut s = suspect_session();
        judge(&mut s, "value.suspect", VerdictState::Confirmed, None);
        s.commit(
            key("requests.granted.natural_person"),
            CorrectionValue::Number(5.0),
            None,
        );
        let report = report_of(&s);
        assert!(
            report
                .findings
                .iter()
                .all(|f| f.finding.rule != "value.suspect"),
            "the correction removes the finding from the corrected cells"
        );
        assert_eq!(report.resolved.len(), 1, "{:#?}", report.resolved);
        let notice = Notice::build(&report, &options(false));
        assert_eq!(notice.confirmed_count(), 1);
        let item = &notice.blocks[0].items[0];
        let fix = item.fix.as_ref().expect("a fix");
        assert!(fix.made);
        assert_eq!(item.should_be(), "5");
        assert!(
            item.text().contains("经核实，应将该数值由 6 改为 5。"),
            "{}",
            item.text()
        );
    }

    // Dismissed findings are left out; open ones only with include_open, under 待核实, and the
    // headings are numbered by position.
    #[test]
    fn dismissed_and_open_findings() {
        let mut s = suspect_session();
        judge(&mut s, "value.suspect", VerdictState::Dismissed, None);
        let report = report_of(&s);
        let notice = Notice::build(&report, &options(false));
        assert_eq!(notice.item_count(), 0, "{notice:#?}");
        assert!(notice.opening.contains("未发现"), "{}", notice.opening);
        assert_eq!(notice.closing, "特此告知。");

        let s = suspect_session();
        let report = report_of(&s);
        assert_eq!(Notice::build(&report, &options(false)).item_count(), 0);
        let notice = Notice::build(&report, &options(true));
        assert_eq!(notice.blocks.len(), 1);
        assert_eq!(notice.blocks[0].heading, "一、待核实");
        assert_eq!(notice.confirmed_count(), 0);
        assert!(notice.opening.contains("请予核实"), "{}", notice.opening);
    }

    // Rules go to their sections: table numbers, text against tables (narrative and the year
    // part 一 describes), format (structure, other dates, extraction); unknown rules by cells.
    #[test]
    fn sections_by_rule() {
        use NoticeSection::*;
        for (rule, cells, want) in [
            ("requests.balance", true, Tables),
            ("requests.row_sum.uncertain", true, Tables),
            ("appeals.group_sum", true, Tables),
            ("value.blank", true, Tables),
            ("value.suspect", true, Tables),
            ("years.carried_over", true, Tables),
            ("narrative.category", true, Narrative),
            ("narrative.percent", false, Narrative),
            ("dates.narrative_year", false, Narrative),
            ("dates.period_garbled", false, Format),
            ("dates.year_missing", false, Format),
            ("structure.part_number_style", false, Format),
            ("structure.template_word", true, Format),
            ("extract.label_mismatch", true, Format),
            ("extract.too_few_values", true, Format),
            ("something.new", true, Tables),
            ("something.new", false, Format),
        ] {
            assert_eq!(NoticeSection::of_rule(rule, cells), want, "{rule}");
        }
        assert_eq!(crate::check::NARRATIVE_YEAR, "dates.narrative_year");
    }

    // Items of several sections come in section order, numbered 一、二、三 without gaps, and the
    // text lists them with （一） numbers.
    #[test]
    fn several_sections_in_order() {
        let mut s = suspect_session();
        let k = key("requests.granted.total");
        let narrative = Finding::new(
            "narrative.category",
            Severity::Error,
            vec![k],
            "正文“其中予以公开7件”：予以公开 7 件 ≠ 表三 予以公开 总计(5)".into(),
            Cause::Source,
        );
        let heading = Finding::new(
            "structure.part_number_style",
            Severity::Info,
            Vec::new(),
            "部分标题编号不规范：“2、 主动公开政府信息情况”用阿拉伯数字编号（应为“二、”）".into(),
            Cause::Source,
        );
        let mut findings = run_checks(&s.effective_extraction(), &s.source, &[]);
        findings.push(heading.clone());
        findings.push(narrative.clone());
        for f in &findings {
            s.set_verdict(&f.id(), &f.keys, VerdictState::Confirmed, None);
        }
        let report = ExportReport::new("r.txt", "00", &s, findings);
        let notice = Notice::build(&report, &options(true));
        let headings: Vec<&str> = notice.blocks.iter().map(|b| b.heading.as_str()).collect();
        assert_eq!(
            headings,
            [
                "一、统计表问题",
                "二、正文与表格不一致",
                "三、格式与结构问题"
            ]
        );
        let text = notice.to_text();
        assert!(
            text.contains(&format!("（一）{}", notice.blocks[1].items[0].text())),
            "{text}"
        );
        assert!(
            text.contains("\u{3000}\u{3000}（一）正文“其中予以公开7件”"),
            "{text}"
        );
        assert!(text.trim_end().ends_with("2025年3月4日"), "{text}");
        let file = notice.to_text_file();
        assert!(file.starts_with("\u{feff}".as_bytes()));
        assert!(String::from_utf8_lossy(&file).contains("审核意见\r\n"));
    }

    // Without body or year the title falls back to what is known, and to the file name.
    #[test]
    fn title_fallbacks() {
        let mut s = suspect_session();
        s.extraction.agency = None;
        let notice = Notice::build(&report_of(&s), &options(false));
        assert_eq!(
            notice.title,
            "关于《2024年政府信息公开工作年度报告》的审核意见"
        );
        assert_eq!(notice.addressee, "报告发布单位：");
        s.extraction.year = None;
        let notice = Notice::build(&report_of(&s), &options(false));
        assert_eq!(notice.title, "关于《某县报告》的审核意见");
        s.extraction.agency = Some("某局".into());
        let notice = Notice::build(&report_of(&s), &options(false));
        assert_eq!(
            notice.title,
            "关于《某局政府信息公开工作年度报告》的审核意见"
        );
    }

    // Cells are named by table, row and column as a reader of the report says them.
    #[test]
    fn cell_places() {
        for (name, want) in [
            ("requests.granted.total", "表三「予以公开」行「总计」列"),
            (
                "requests.new.natural_person",
                "表三「本年新收政府信息公开申请数量」行「自然人」列",
            ),
            (
                "requests.other.other.other_org",
                "表三「其他处理·其他」行「其他」列",
            ),
            (
                "requests.denied.state_secret.research",
                "表三「属于国家秘密」行「科研机构」列",
            ),
            (
                "active.licensing.decisions",
                "表二「行政许可」行「本年处理决定数量」列",
            ),
            (
                "active.normative.in_force",
                "表二「行政规范性文件」行「现行有效件数」列",
            ),
            ("appeals.review.upheld", "表四「行政复议·结果维持」栏"),
            (
                "appeals.suit_direct.corrected",
                "表四「行政诉讼·未经复议直接起诉·结果纠正」栏",
            ),
        ] {
            assert_eq!(cell_place(key(name)), want, "{name}");
        }
    }

    // Chinese numerals for headings and items, and file stems for the notice files.
    #[test]
    fn numbers_and_stems() {
        let got: Vec<String> = [1, 9, 10, 11, 20, 21, 99, 100]
            .iter()
            .map(|n| chinese_number(*n))
            .collect();
        assert_eq!(
            got,
            ["一", "九", "十", "十一", "二十", "二十一", "九十九", "100"]
        );
        assert_eq!(item_number(12), "（十二）");
        assert_eq!(notice_stem("a/b/报告 2024.docx"), "报告 2024_审核意见");
        assert_eq!(notice_stem(r"C:\x\y.txt"), "y_审核意见");
        assert_eq!(notice_stem(".txt"), ".txt_审核意见".trim_start_matches('.'));
        assert_eq!(notice_stem(""), "年报_审核意见");
    }

    // The .docx is a zip whose document holds every item's words, with the East-Asian fonts
    // set and the title in its heading style.
    #[test]
    fn docx_holds_the_items() {
        use std::io::Read;
        let mut s = suspect_session();
        judge(&mut s, "value.suspect", VerdictState::Confirmed, None);
        let notice = Notice::build(&report_of(&s), &options(false));
        let bytes = notice.to_docx().expect("docx");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut read = |name: &str| {
            let mut text = String::new();
            zip.by_name(name)
                .expect(name)
                .read_to_string(&mut text)
                .expect("utf-8");
            text
        };
        let document = read("word/document.xml");
        let styles = read("word/styles.xml");
        for part in [
            notice.title.as_str(),
            "一、统计表问题",
            "表三「予以公开」行「自然人」列",
            "5（建议）",
            "2025年3月4日",
        ] {
            assert!(document.contains(part), "{part} missing");
        }
        assert!(document.contains(r#"w:pStyle w:val="Title""#));
        assert!(styles.contains(r#"w:eastAsia="仿宋""#), "{styles}");
        assert!(styles.contains(r#"w:eastAsia="黑体""#));
    }
}
