//! Integration tests: extraction of the five seed reports, cell by cell against values read by a
//! person, each seed's quirk, hand-written fixtures in every layout, and robustness.

use nianbao::extract::{Extraction, WarningKind, extract};
use nianbao::ingest::{IngestError, decode_text, load};
use nianbao::model::{CellKey, SourceText, TableId, ValueKind};
use std::path::PathBuf;

/// The directory of the seed reports.
pub fn seeds_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds")
}

/// The path of a seed by its number prefix (`000`…`004`).
pub fn seed_path(prefix: &str) -> PathBuf {
    let dir = seeds_dir();
    std::fs::read_dir(&dir)
        .expect("seeds dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .expect("seed exists")
}

/// The decoded text of a seed.
pub fn seed_source(prefix: &str) -> SourceText {
    let bytes = std::fs::read(seed_path(prefix)).expect("read seed");
    decode_text(&bytes).expect("decode seed")
}

/// A seed's extraction.
pub fn seed(prefix: &str) -> (SourceText, Extraction) {
    let src = seed_source(prefix);
    let ex = extract(&src);
    (src, ex)
}

/// Expected raw texts of all 200 cells, written as the three tables: table 二 as six rows
/// (`0 0 0`), table 三 as 25 rows of seven, table 四 as three groups of five. `_` is a blank cell.
struct Expected {
    active: [&'static str; 6],
    requests: [&'static str; 25],
    appeals: [&'static str; 3],
}

const Z7: &str = "0 0 0 0 0 0 0";
const Z5: &str = "0 0 0 0 0";

fn expected_raws(e: &Expected) -> Vec<Option<String>> {
    let mut out = Vec::new();
    let mut push_row = |row: &str| {
        // The fee cell may hold a number with a unit: `12872.06 万元` is one cell, written with
        // a non-breaking join `12872.06~万元` here.
        for cell in row.split(' ') {
            out.push((cell != "_").then(|| cell.replace('~', " ")));
        }
    };
    e.active.iter().for_each(|r| push_row(r));
    e.requests.iter().for_each(|r| push_row(r));
    e.appeals.iter().for_each(|r| push_row(r));
    assert_eq!(out.len(), 200, "expected table has 200 cells");
    out
}

/// Compares every cell's raw text and number; the message names each wrong key.
fn assert_cells(name: &str, ex: &Extraction, expected: &Expected) {
    let raws = expected_raws(expected);
    let mut wrong = Vec::new();
    for key in CellKey::all() {
        let cell = ex.cell(key);
        let want = &raws[key.index()];
        if cell.raw.as_deref() != want.as_deref() {
            wrong.push(format!("{key}: expected {want:?}, got {:?}", cell.raw));
            continue;
        }
        let want_value = want.as_deref().and_then(nianbao::model::parse_number);
        if cell.value != want_value {
            wrong.push(format!(
                "{key}: expected value {want_value:?}, got {:?}",
                cell.value
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{name}: {} wrong cells:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// Every span points at exactly its raw text.
fn assert_spans(src: &SourceText, ex: &Extraction) {
    for key in CellKey::all() {
        let cell = ex.cell(key);
        match (&cell.raw, cell.span) {
            (Some(raw), Some(span)) => assert_eq!(src.slice(span), raw, "{key}: span"),
            (None, None) => {}
            other => panic!("{key}: raw and span disagree: {other:?}"),
        }
    }
}

fn requests_zero_except(rows: &[(usize, &'static str)]) -> [&'static str; 25] {
    let mut r = [Z7; 25];
    for &(i, v) in rows {
        r[i] = v;
    }
    r
}

// Seed 000 (高青县, one cell per line, tab-indented): all 200 cells as read by a person.
#[test]
fn seed_000_all_cells() {
    let (src, ex) = seed("000");
    let mut requests = requests_zero_except(&[
        (0, "1 0 0 0 0 0 1"),
        (13, "1 0 0 0 0 0 1"),
        (23, "1 0 0 0 0 0 1"),
    ]);
    requests[24] = Z7;
    assert_cells(
        "000",
        &ex,
        &Expected {
            active: ["0 0 0", "0 0 0", "_", "0", "0", "0"],
            requests,
            appeals: [Z5, Z5, Z5],
        },
    );
    assert_spans(&src, &ex);
    assert_eq!(ex.agency.as_deref(), Some("高青县行政审批服务局"));
    assert_eq!(ex.year, Some(2024));
}

// Seed 001 (张店区, cells separated by blank lines, ASCII brackets, NBSP): all 200 cells.
#[test]
fn seed_001_all_cells() {
    let (src, ex) = seed("001");
    assert_cells(
        "001",
        &ex,
        &Expected {
            active: ["0 0 0", "0 0 0", "69482", "0", "0", "0"],
            requests: requests_zero_except(&[
                (0, "7 0 0 0 0 0 7"),
                (2, "5 0 0 0 0 0 5"),
                (12, "2 0 0 0 0 0 2"),
                (23, "7 0 0 0 0 0 7"),
            ]),
            appeals: [Z5, Z5, Z5],
        },
    );
    assert_spans(&src, &ex);
    assert_eq!(ex.agency.as_deref(), Some("张店区行政审批服务局"));
    assert_eq!(ex.year, Some(2023));
}

// Seed 002 (临沂市, tab-separated rows, a label split across a page break): all 200 cells.
#[test]
fn seed_002_all_cells() {
    let (src, ex) = seed("002");
    assert_cells(
        "002",
        &ex,
        &Expected {
            active: ["0 0 0", "0 0 0", "31510", "0", "0", "39910.33"],
            requests: requests_zero_except(&[
                (0, "59 0 0 0 0 0 59"),
                (2, "48 0 0 0 0 0 48"),
                (12, "11 0 0 0 0 0 11"),
                (23, "59 0 0 0 0 0 59"),
            ]),
            appeals: [Z5, "2 0 0 0 2", Z5],
        },
    );
    assert_spans(&src, &ex);
    assert_eq!(ex.agency.as_deref(), Some("临沂市行政审批服务局"));
    assert_eq!(ex.year, Some(2024));
}

// Seed 003 (金乡县, tab rows, a row with six values for seven cells): all 200 cells.
#[test]
fn seed_003_all_cells() {
    let (src, ex) = seed("003");
    let mut requests = requests_zero_except(&[
        (0, "2 0 0 0 0 0 2"),
        (2, "2 0 0 0 0 0 2"),
        (23, "2 0 0 0 0 0 2"),
    ]);
    requests[4] = "0 0 0 0 0 0 _";
    assert_cells(
        "003",
        &ex,
        &Expected {
            active: ["0 0 0", "0 0 0", "23140", "0", "0", "0"],
            requests,
            appeals: [Z5, Z5, Z5],
        },
    );
    assert_spans(&src, &ex);
    assert_eq!(ex.agency.as_deref(), Some("金乡县行政审批服务局"));
    assert_eq!(ex.year, Some(2022));
}

// Seed 004 (聊城市, sixteen values in table 四, a unit typed into the fee cell): all 200 cells.
#[test]
fn seed_004_all_cells() {
    let (src, ex) = seed("004");
    assert_cells(
        "004",
        &ex,
        &Expected {
            active: ["0 0 0", "0 0 0", "32866", "0", "0", "12872.06~万元"],
            requests: requests_zero_except(&[
                (0, "13 0 0 0 0 0 13"),
                (2, "12 0 0 0 0 0 12"),
                (12, "1 0 0 0 0 0 1"),
                (23, "13 0 0 0 0 0 13"),
            ]),
            appeals: ["1 0 0 0 1", Z5, Z5],
        },
    );
    assert_spans(&src, &ex);
    assert_eq!(ex.agency.as_deref(), Some("聊城市行政审批服务局"));
    assert_eq!(ex.year, Some(2022));
}

fn key(name: &str) -> CellKey {
    CellKey::from_name(name).unwrap_or_else(|| panic!("no key {name}"))
}

fn warnings_of<'a>(
    ex: &'a Extraction,
    pred: impl Fn(&WarningKind) -> bool + 'a,
) -> Vec<&'a WarningKind> {
    ex.warnings
        .iter()
        .map(|w| &w.kind)
        .filter(|k| pred(k))
        .collect()
}

// 000: the blank 行政许可 cell is blank (not zero), and the heading `2、` is read as part 二.
#[test]
fn seed_000_blank_cell_and_numbering() {
    let (_, ex) = seed("000");
    let lic = ex.cell(key("active.licensing.decisions"));
    assert_eq!(lic.kind(), ValueKind::Blank);
    assert_eq!(lic.value, None);
    let parts: Vec<(u8, Option<u32>)> = ex
        .parts
        .iter()
        .map(|p| (p.part, p.printed_number))
        .collect();
    assert_eq!(
        parts,
        [
            (1, Some(1)),
            (2, Some(2)),
            (3, Some(3)),
            (4, Some(4)),
            (5, Some(5)),
            (6, Some(6))
        ]
    );
    assert_eq!(ex.tables_found(), TableId::ALL);
}

// 001: the template's 逾期 misprinted as 预期 is noticed for both rows; headings with the
// variant title of part 四 are found.
#[test]
fn seed_001_label_typos() {
    let (_, ex) = seed("001");
    let typos = warnings_of(
        &ex,
        |k| matches!(k, WarningKind::LabelMismatch { found, .. } if found.contains("预期")),
    );
    assert_eq!(typos.len(), 2, "{:?}", ex.warnings);
    assert!(
        ex.parts
            .iter()
            .any(|p| p.part == 4 && p.text.contains("因政府信息公开工作被申请行政复议"))
    );
    assert_eq!(ex.parts.len(), 6);
}

// 002: the label `(五) 不予` / `处理` split across a page break still lands on the right rows.
#[test]
fn seed_002_split_label() {
    let (src, ex) = seed("002");
    let petition = ex.cell(key("requests.rejected.petition.total"));
    let repeat = ex.cell(key("requests.rejected.repeat.natural_person"));
    assert_eq!(petition.raw.as_deref(), Some("0"));
    assert_eq!(repeat.raw.as_deref(), Some("0"));
    // The repeat row's first value sits on the line after `处理`.
    let line = src.line_of(repeat.span.expect("span").start);
    assert_eq!(line, 69);
    assert!(ex.warnings.is_empty(), "{:?}", ex.warnings);
}

// 003: six values for seven cells: assigned from the left, the total left blank, and a warning
// that names the row and the counts.
#[test]
fn seed_003_short_row() {
    let (_, ex) = seed("003");
    let short = warnings_of(&ex, |k| matches!(k, WarningKind::TooFewValues { .. }));
    assert_eq!(short.len(), 1);
    match short[0] {
        WarningKind::TooFewValues {
            table,
            label,
            expected,
            found,
        } => {
            assert_eq!(*table, TableId::Requests);
            assert!(label.contains("国家秘密"));
            assert_eq!((*expected, *found), (7, 6));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        ex.cell(key("requests.denied.state_secret.total")).kind(),
        ValueKind::Blank
    );
    assert!(
        warnings_of(
            &ex,
            |k| matches!(k, WarningKind::LabelMismatch { found, .. } if found == "社会组织")
        )
        .len()
            == 1
    );
}

// 004: sixteen values for fifteen cells: the first fifteen used, the sixteenth listed; the fee
// cell keeps its unit in raw and reads the number.
#[test]
fn seed_004_long_row_and_unit() {
    let (src, ex) = seed("004");
    let long = warnings_of(&ex, |k| matches!(k, WarningKind::TooManyValues { .. }));
    assert_eq!(long.len(), 1);
    match long[0] {
        WarningKind::TooManyValues {
            table,
            expected,
            found,
            extra,
            ..
        } => {
            assert_eq!(*table, TableId::Appeals);
            assert_eq!((*expected, *found), (15, 16));
            assert_eq!(extra.len(), 1);
            assert_eq!(src.slice(extra[0].1), "0");
        }
        other => panic!("unexpected {other:?}"),
    }
    let fee = ex.cell(key("active.fees.amount"));
    assert_eq!(fee.raw.as_deref(), Some("12872.06 万元"));
    assert_eq!(fee.value, Some(12872.06));
    assert!(fee.is_annotated());
}

// Every seed: no cell is read from outside its table's region.
#[test]
fn spans_inside_tables() {
    for p in ["000", "001", "002", "003", "004"] {
        let (_, ex) = seed(p);
        for k in CellKey::all() {
            if let Some(span) = ex.cell(k).span {
                let loc = ex
                    .tables
                    .iter()
                    .find(|t| t.table == k.table())
                    .expect("table located");
                assert!(
                    span.start >= loc.span.start && span.end <= loc.span.end,
                    "{p} {k}: span {span:?} outside table {:?}",
                    loc.span
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hand-written layouts: a report rendered in each layout real converters produce.

/// A full set of 200 raw values for the hand-made fixtures, distinct enough to catch shifts.
pub(crate) fn sample_values() -> Vec<String> {
    let mut v = Vec::new();
    v.extend(["1", "0", "12", "3", "1", "40"].map(String::from)); // active.regulations/normative
    v.extend(["2351", "17", "0", "88.5"].map(String::from));
    for r in 0..25 {
        let row: Vec<u32> = (0..6).map(|c| ((r * 7 + c * 3) % 5) as u32).collect();
        let total: u32 = row.iter().sum();
        v.extend(row.iter().map(|x| x.to_string()));
        v.push(total.to_string());
    }
    for g in 0..3u32 {
        let row = [g, 1, 0, g % 2];
        v.extend(row.iter().map(|x| x.to_string()));
        v.push(row.iter().sum::<u32>().to_string());
    }
    v
}

pub(crate) const ACTIVE_LABELS: [&str; 6] = [
    "规章",
    "行政规范性文件",
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政事业性收费",
];

/// How a renderer separates cells.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Layout {
    /// Each cell on its own line.
    LinePerCell,
    /// Each cell on its own line, with blank lines between.
    BlankLines,
    /// One row per line, cells separated by tabs.
    Tabs,
    /// Markdown pipe table rows.
    Pipes,
    /// One row per line, cells separated by runs of spaces (PDF text).
    Spaces,
    /// The whole report on one line after a few metadata lines, everything separated by single
    /// spaces (a web page's text exported by a crawler).
    OneLine,
    /// PDF text whose labels are printed as a block before the table's numbers, one row of
    /// numbers per line.
    LabelsDetached,
}

impl Layout {
    /// Every layout.
    pub(crate) const ALL: [Layout; 7] = [
        Layout::LinePerCell,
        Layout::BlankLines,
        Layout::Tabs,
        Layout::Pipes,
        Layout::Spaces,
        Layout::OneLine,
        Layout::LabelsDetached,
    ];
}

fn join_row(layout: Layout, cells: &[&str]) -> String {
    match layout {
        Layout::LinePerCell => cells.join("\n"),
        Layout::BlankLines => cells.join("\n\n"),
        Layout::Tabs => cells.join("\t"),
        Layout::Pipes => format!("| {} |", cells.join(" | ")),
        Layout::Spaces => cells.join("   "),
        Layout::OneLine => cells.join(" "),
        Layout::LabelsDetached => {
            // Labels (any cell with a character that is not a digit or a dot) go to their own
            // lines before the table's numbers: see `detach_labels`.
            cells.join(" ")
        }
    }
}

/// A label cell: text that is not a printed value (a number or a placeholder).
fn is_label_cell(cell: &str) -> bool {
    !(matches!(cell, "/" | "—" | "无") || cell.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// For [`Layout::LabelsDetached`]: the table's label cells first, one per line, then its rows
/// of values, one row per line.
fn detach_labels(rows: &[Vec<&str>]) -> String {
    let mut labels = Vec::new();
    let mut values = Vec::new();
    for row in rows {
        labels.extend(row.iter().filter(|c| is_label_cell(c)).copied());
        let vals: Vec<&str> = row.iter().filter(|c| !is_label_cell(c)).copied().collect();
        if !vals.is_empty() {
            values.push(vals.join(" "));
        }
    }
    format!("{}\n{}", labels.join("\n"), values.join("\n"))
}

/// Renders a whole report with the given values in a layout.
pub(crate) fn render(layout: Layout, values: &[String]) -> String {
    let mut i = 0;
    let mut active: Vec<Vec<&str>> = vec![vec![
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]];
    for (r, label) in ACTIVE_LABELS.iter().enumerate() {
        let n = if r < 2 { 3 } else { 1 };
        let mut cells = vec![*label];
        cells.extend(values[i..i + n].iter().map(String::as_str));
        i += n;
        active.push(cells);
    }
    let labels: Vec<String> = nianbao::model::REQUESTS_ROWS
        .iter()
        .map(|row| format!("{}{}", row.group, row.label))
        .collect();
    let mut requests: Vec<Vec<&str>> = vec![vec![
        "本列数据的勾稽关系",
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]];
    for label in &labels {
        let mut cells = vec![label.as_str()];
        cells.extend(values[i..i + 7].iter().map(String::as_str));
        i += 7;
        requests.push(cells);
    }
    let appeals: Vec<Vec<&str>> = vec![
        vec!["行政复议", "行政诉讼"],
        vec![
            "结果维持",
            "结果纠正",
            "其他结果",
            "尚未审结",
            "总计",
            "未经复议直接起诉",
            "复议后起诉",
        ],
        values[i..i + 15].iter().map(String::as_str).collect(),
    ];
    let body = |rows: &[Vec<&str>], headers: usize| -> String {
        if matches!(layout, Layout::LabelsDetached) {
            return detach_labels(rows);
        }
        let sep = match layout {
            Layout::BlankLines => "\n\n",
            _ => "\n",
        };
        let mut lines = Vec::new();
        for (r, cells) in rows.iter().enumerate() {
            lines.push(join_row(layout, cells));
            if matches!(layout, Layout::Pipes) && r < headers {
                lines.push(format!("|{}|", vec!["---"; cells.len()].join("|")));
            }
        }
        lines.join(sep)
    };
    let out = format!(
        "某某县人民政府办公室\n2024年政府信息公开工作年度报告\n一、总体情况\n本机关全年共收到申请若干件。\n二、主动公开政府信息情况\n{}\n三、收到和处理政府信息公开申请情况\n{}\n四、政府信息公开行政复议、行政诉讼情况\n{}\n五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n本机关未收取信息处理费。\n",
        body(&active, 1),
        body(&requests, 1),
        body(&appeals, 2),
    );
    if matches!(layout, Layout::OneLine) {
        let one: Vec<&str> = out.split_whitespace().collect();
        return format!(
            "标题:某某县人民政府办公室2024年政府信息公开工作年度报告\n发布时间:2025-01-20\n原文链接:http://www.example.gov.cn/art/2025/1/20/art_1.html\n{}\n",
            one.join(" ")
        );
    }
    out
}

pub(crate) fn assert_values(name: &str, ex: &Extraction, values: &[String]) {
    let mut wrong = Vec::new();
    for k in CellKey::all() {
        let got = ex.cell(k).raw.as_deref();
        if got != Some(values[k.index()].as_str()) {
            wrong.push(format!(
                "{k}: expected {:?}, got {got:?}",
                values[k.index()]
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{name}: {} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

// Every layout (line per cell, blank lines, tabs, markdown pipes, spaces) reads all 200 values.
#[test]
fn every_layout_reads_all_cells() {
    let values = sample_values();
    for layout in Layout::ALL {
        let text = render(layout, &values);
        let src = SourceText::from_utf8(text);
        let ex = extract(&src);
        assert_values(&format!("{layout:?}"), &ex, &values);
        assert_spans(&src, &ex);
        assert!(ex.warnings.is_empty(), "{layout:?}: {:?}", ex.warnings);
    }
}

// CRLF line ends, full-width digits and brackets, full-width spaces: read as what they mean.
#[test]
fn crlf_fullwidth() {
    let values = sample_values();
    let text = render(Layout::Tabs, &values)
        .replace('\n', "\r\n")
        .replace("（", "(")
        .replace("一、本年新收", "一、\u{3000}本年新收");
    let fullwidth: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)
            } else {
                c
            }
        })
        .collect();
    let src = SourceText::from_utf8(fullwidth);
    let ex = extract(&src);
    for k in CellKey::all() {
        let want: f64 = values[k.index()].parse().expect("number");
        assert_eq!(ex.cell(k).value, Some(want), "{k}");
    }
    assert_spans(&src, &ex);
    assert_eq!(ex.year, Some(2024));
}

// A row broken across a page break: label on one line, a page number, then the numbers.
#[test]
fn row_broken_across_page() {
    let values = sample_values();
    let text = render(Layout::Tabs, &values).replace(
        "（三）不予公开1.属于国家秘密\t",
        "（三）不予公开1.属于国家秘密\n\n— 5 —\n\n",
    );
    let ex = extract(&SourceText::from_utf8(text));
    assert_values("page break", &ex, &values);
    assert!(ex.warnings.is_empty(), "{:?}", ex.warnings);
}

// Page-number lines of several styles inside tables are ignored.
#[test]
fn page_number_lines_inside_tables() {
    let values = sample_values();
    let text = render(Layout::LinePerCell, &values)
        .replace("\n（二）部分公开", "\n- 4 -\n（二）部分公开")
        .replace("\n行政处罚", "\n第 3 页 共 9 页\n行政处罚");
    let ex = extract(&SourceText::from_utf8(text));
    assert_values("page numbers", &ex, &values);
}

// Wrapped header words and labels split in two (`不予` / `处理`) are read.
#[test]
fn wrapped_words() {
    let values = sample_values();
    let text = render(Layout::LinePerCell, &values)
        .replace("商业企业", "商业\n企业")
        .replace(
            "（五）不予处理1.信访举报投诉类申请",
            "（五）不予\n处理\n1.信访举报\n投诉类申请",
        );
    let ex = extract(&SourceText::from_utf8(text));
    assert_values("wrapped", &ex, &values);
}

// A row's digits run together: split when the row's total makes the split unique, otherwise
// the cells stay unread with a warning.
#[test]
fn digits_run_together() {
    let mut values = sample_values();
    let base = render(Layout::Tabs, &values);
    // Table 三's first row: the seven values glued to the label.
    let new_row: Vec<String> = values[10..17].to_vec();
    let glued = format!("一、本年新收政府信息公开申请数量{}", new_row.concat());
    let tabbed = format!("一、本年新收政府信息公开申请数量\t{}", new_row.join("\t"));
    let text = base.replace(&tabbed, &glued);
    assert_ne!(text, base, "fixture changed");
    let ex = extract(&SourceText::from_utf8(text));
    assert_values("glued requests row", &ex, &values);
    assert_eq!(
        warnings_of(&ex, |k| matches!(k, WarningKind::DigitsSplit { .. })).len(),
        1
    );

    // Table 二's 行政规范性文件 693665: many splits, no relation: unresolved.
    values[3] = "69".into();
    values[4] = "3".into();
    values[5] = "665".into();
    let text =
        render(Layout::Tabs, &values).replace("行政规范性文件\t69\t3\t665", "行政规范性文件693665");
    let ex = extract(&SourceText::from_utf8(text));
    for name in [
        "active.normative.issued",
        "active.normative.repealed",
        "active.normative.in_force",
    ] {
        assert_eq!(ex.cell(key(name)).raw, None, "{name} must stay unresolved");
    }
    assert_eq!(
        warnings_of(&ex, |k| matches!(k, WarningKind::DigitsUnresolved { .. })).len(),
        1
    );
}

// Units and notes inside cells: raw kept, number read.
#[test]
fn units_and_notes() {
    let mut values = sample_values();
    values[2] = "22（其中修订16件）".into();
    values[9] = "88.5 万元".into();
    let text = render(Layout::Tabs, &values);
    let ex = extract(&SourceText::from_utf8(text));
    assert_values("notes", &ex, &values);
    assert_eq!(
        ex.cell(key("active.regulations.in_force")).value,
        Some(22.0)
    );
    assert_eq!(ex.cell(key("active.fees.amount")).value, Some(88.5));
}

// Placeholders and blank fields stay distinct from zero; a delimited row with an empty field
// places the values by position.
#[test]
fn placeholders_and_positional_blanks() {
    let mut values = sample_values();
    values[0] = "/".into();
    values[3] = "—".into();
    values[6] = "无".into();
    let text = render(Layout::Tabs, &values)
        .replace("行政规范性文件\t—\t1\t40", "行政规范性文件\t—\t\t40");
    let ex = extract(&SourceText::from_utf8(text));
    assert_eq!(
        ex.cell(key("active.regulations.issued")).kind(),
        ValueKind::Placeholder
    );
    assert_eq!(
        ex.cell(key("active.normative.issued")).kind(),
        ValueKind::Placeholder
    );
    assert_eq!(
        ex.cell(key("active.normative.repealed")).kind(),
        ValueKind::Blank
    );
    assert_eq!(
        ex.cell(key("active.normative.in_force")).raw.as_deref(),
        Some("40")
    );
    assert_eq!(
        ex.cell(key("active.licensing.decisions")).kind(),
        ValueKind::Placeholder
    );
    assert!(warnings_of(&ex, |k| matches!(k, WarningKind::TooFewValues { .. })).is_empty());
}

// Headings without numbering, with `（二）` numbering, or with spaces inside the words.
#[test]
fn heading_variants() {
    let values = sample_values();
    let text = render(Layout::Tabs, &values)
        .replace("二、主动公开政府信息情况", "主动公开政府信息情况")
        .replace("三、收到和处理", "（三）收到 和处理")
        .replace(
            "四、政府信息公开行政复议、行政诉讼情况",
            "4. 因政府信息公开工作被申请行政复议、提起行政诉讼情况",
        );
    let ex = extract(&SourceText::from_utf8(text));
    assert_values("heading variants", &ex, &values);
    assert_eq!(ex.parts.len(), 6);
}

// A text with no tables: every cell blank, three TableNotFound warnings, no panic.
#[test]
fn no_tables() {
    let ex = extract(&SourceText::from_utf8(
        "关于某事项的通知\n各单位：请于2024年底前完成。\n",
    ));
    assert!(ex.tables.is_empty());
    assert_eq!(ex.cells_read(), 0);
    assert_eq!(
        warnings_of(&ex, |k| matches!(k, WarningKind::TableNotFound { .. })).len(),
        3
    );
}

// GBK and UTF-16 versions of a seed extract to the same cells, spans pointing into the decoded text.
#[test]
fn encodings_of_a_seed() {
    let utf8 = std::fs::read(seed_path("002")).expect("seed");
    let text = String::from_utf8(utf8.clone()).expect("utf8");
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let reference = extract(&decode_text(&utf8).expect("utf8"));
    for (name, bytes) in [("gb18030", gbk.into_owned()), ("utf16", utf16)] {
        let src = load(&bytes, "x.txt").expect(name);
        let ex = extract(&src);
        assert_eq!(ex.cells.len(), 200);
        for k in CellKey::all() {
            assert_eq!(ex.cell(k).raw, reference.cell(k).raw, "{name} {k}");
        }
        assert_spans(&src, &ex);
    }
}

// ---------------------------------------------------------------------------------------------
// Robustness: truncation, junk, invalid UTF-8, empty and oversized files.

// Every seed truncated at many points extracts without panicking, and spans stay in range.
#[test]
fn truncated_seeds_never_panic() {
    for p in ["000", "001", "002", "003", "004"] {
        let bytes = std::fs::read(seed_path(p)).expect("seed");
        for cut in (0..bytes.len()).step_by(97) {
            if let Ok(src) = decode_text(&bytes[..cut]) {
                let ex = extract(&src);
                for k in CellKey::all() {
                    if let Some(span) = ex.cell(k).span {
                        assert!(span.end <= src.text.len(), "{p} cut {cut} {k}");
                    }
                }
            }
        }
    }
}

// Random bytes and invalid UTF-8 give a Chinese error or an extraction, never a panic.
#[test]
fn junk_never_panics() {
    let mut seed = 0x2545F4914F6CDD1Du64;
    for len in [1usize, 7, 100, 4096, 70_000] {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed >> 24) as u8
            })
            .collect();
        match load(&bytes, "junk.txt") {
            Ok(src) => {
                let _ = extract(&src);
            }
            Err(e) => assert!(
                e.to_string()
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            ),
        }
    }
    let mut invalid = std::fs::read(seed_path("001")).expect("seed");
    invalid.insert(500, 0xFF);
    invalid.insert(900, 0xC3);
    let src = load(&invalid, "bad.txt").expect("decoded with replacement or detection");
    let _ = extract(&src);
}

// An empty file and a file over the size limit are refused with a message, before loading.
#[test]
fn empty_and_oversized_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").expect("write");
    assert_eq!(nianbao::ingest::read_file(&empty), Err(IngestError::Empty));
    let big = dir.path().join("big.txt");
    let f = std::fs::File::create(&big).expect("create");
    f.set_len(60 * 1024 * 1024).expect("sparse 60 MB");
    let err = nianbao::ingest::read_file(&big).expect_err("too large");
    assert!(matches!(err, IngestError::TooLarge { .. }));
    assert!(err.to_string().contains("超过"));
    assert_eq!(
        nianbao::ingest::read_file(dir.path()),
        Err(IngestError::IsDirectory)
    );
}

// ---------------------------------------------------------------------------------------------
// The command line.

// `nianbao extract` prints one JSON line per input in order; unreadable inputs give a Chinese
// `error`, the batch goes on, and the exit status is 2.
#[test]
fn cli_extract_batch_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let junk = dir.path().join("junk.docx");
    std::fs::write(&junk, [0u8, 159, 146, 150, 0, 1, 2, 3].repeat(64)).expect("write");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").expect("write");
    let notice = dir.path().join("notice.txt");
    std::fs::write(&notice, "关于做好年底工作的通知\n各单位：请按时完成。\n").expect("write");
    let missing = dir.path().join("missing.txt");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .arg("extract")
        .arg(seed_path("000"))
        .args([&junk, &empty, &notice, &missing])
        .arg(seed_path("004"))
        .output()
        .expect("run nianbao");
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .expect("utf8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0]["agency"], "高青县行政审批服务局");
    assert_eq!(lines[0]["cells"].as_object().map(|m| m.len()), Some(200));
    for (i, what) in [(1, "文件"), (2, "空"), (3, "没有找到"), (4, "不存在")] {
        let err = lines[i]["error"]
            .as_str()
            .unwrap_or_else(|| panic!("line {i} has an error"));
        assert!(err.contains(what), "line {i}: {err}");
    }
    assert_eq!(lines[5]["cells"]["active.fees.amount"]["value"], 12872.06);
    assert_eq!(lines[5]["cells"]["appeals.review.total"]["raw"], "1");
}

// Folders are read recursively, in sorted order, skipping review files.
#[test]
fn cli_extract_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sub = dir.path().join("b");
    std::fs::create_dir(&sub).expect("mkdir");
    std::fs::copy(seed_path("001"), dir.path().join("a.txt")).expect("copy");
    std::fs::copy(seed_path("002"), sub.join("c.txt")).expect("copy");
    std::fs::write(dir.path().join("a.txt.nianbao.json"), "{}").expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .arg("extract")
        .arg(dir.path())
        .output()
        .expect("run nianbao");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf8");
    let files: Vec<String> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("json")["file"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    assert_eq!(files.len(), 2);
    assert!(
        files[0].ends_with("a.txt") && files[1].ends_with("c.txt"),
        "{files:?}"
    );
}

// Prose under a heading, before the table, is not read as labels or values, even when it names
// a row (`规范性文件`) and holds numbers; prose after a table ends it.
#[test]
fn prose_around_tables() {
    let values = sample_values();
    let text = render(Layout::Tabs, &values)
        .replace(
            "二、主动公开政府信息情况\n",
            "二、主动公开政府信息情况\n本年度共制发规范性文件3件，废止 2 件，行政许可办理 15 件。\n",
        )
        .replace(
            "五、存在的主要问题及改进情况\n",
            "本年度复议案件 3 件，均已审结，结果维持 2 件。\n五、存在的主要问题及改进情况\n",
        );
    let ex = extract(&SourceText::from_utf8(text));
    assert_values("prose", &ex, &values);
    assert!(ex.warnings.is_empty(), "{:?}", ex.warnings);
}

// The first pass of a large `check` reads only the agency and year of a report; they are the
// ones the full reading gives, for every seed and the corpus's text conversions.
#[test]
fn identity_agrees_with_the_full_reading() {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["tests/fixtures/seeds", "tests/fixtures/corpus/reports"] {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(&dir).expect("fixtures") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "txt") {
                files.push(path);
            }
        }
    }
    assert!(files.len() >= 8, "{files:?}");
    for path in files {
        let bytes = std::fs::read(&path).expect("read");
        let source = decode_text(&bytes).expect("text");
        let full = extract(&source);
        assert_eq!(
            nianbao::extract::identity(&source),
            Some((full.agency.clone(), full.year)),
            "{}",
            path.display()
        );
    }
    let none = SourceText::from_utf8("一份没有统计表的说明。\n2024年\n".to_owned());
    assert_eq!(nianbao::extract::identity(&none), None);
}
