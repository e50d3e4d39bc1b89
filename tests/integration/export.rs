//! The cleaned workbook: written to a buffer, read back with calamine, every value on every sheet
//! compared with the review sessions it came from; notes read from the zip; the command line run
//! on files; a failed save leaves the old file alone.

use calamine::{Data, Reader, Sheets, open_workbook_auto_from_rs};
use nianbao::check::{Cause, Finding, Severity};
use nianbao::export::layout::{REQUESTS_CORNER, report_layout};
use nianbao::export::xlsx::{
    self, ABOUT_FILE_HEADERS, CORRECTED_FILL, ExportInfo, FINDINGS_HEADERS, LEGEND, SHEET_ABOUT,
    SHEET_FINDINGS, SHEET_SUMMARY, SHEET_TRAIL, SUMMARY_FIXED, TRAIL_HEADERS, UnreadableFile,
    severity_fill,
};
use nianbao::export::{ExportError, ExportReport, workbook_bytes};
use nianbao::extract::{Extraction, TableLocation, extract};
use nianbao::ingest::sha256_hex;
use nianbao::model::{
    ACTIVE_ROWS, APPEALS_COLS, APPEALS_GROUPS, Cell, CellKey, REQUESTS_COLS, REQUESTS_ROWS,
    SourceText, Span, TableId,
};
use nianbao::review::batch::load_reports;
use nianbao::review::import::{ImportTarget, preview_import};
use nianbao::review::{
    CorrectionValue, ReviewSession, ReviewStatus, StoreDirs, VerdictState, format_number, store,
};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Cursor, Read};
use std::sync::atomic::AtomicBool;

type Book = Sheets<Cursor<Vec<u8>>>;

// ---------------------------------------------------------------------------------------------
// Reports built by hand (table values as printed in seed 002, 临沂市行政审批服务局 2024), varied
// per index so that 50 reports differ: placeholders, blanks, units, notes, a missing table.

const ACTIVE: [&str; 10] = ["0", "0", "0", "0", "0", "0", "31510", "0", "0", "39910.33"];

const REQUESTS: [[&str; 7]; 25] = [
    ["59", "0", "0", "0", "0", "0", "59"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["48", "0", "0", "0", "0", "0", "48"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["11", "0", "0", "0", "0", "0", "11"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["0", "0", "0", "0", "0", "0", "0"],
    ["59", "0", "0", "0", "0", "0", "59"],
    ["0", "0", "0", "0", "0", "0", "0"],
];

const APPEALS: [&str; 15] = [
    "0", "0", "0", "0", "0", "2", "0", "0", "0", "2", "0", "0", "0", "0", "0",
];

fn key(name: &str) -> CellKey {
    CellKey::from_name(name).unwrap_or_else(|| panic!("unknown key {name}"))
}

/// The printed text of every cell of report number `i`, `None` for blank.
fn raw_values(i: usize) -> Vec<Option<String>> {
    let mut raws: Vec<Option<String>> = ACTIVE
        .iter()
        .chain(REQUESTS.iter().flatten())
        .chain(APPEALS.iter())
        .map(|s| Some((*s).to_owned()))
        .collect();
    let set = |raws: &mut Vec<Option<String>>, name: &str, v: Option<&str>| {
        raws[key(name).index()] = v.map(str::to_owned);
    };
    set(
        &mut raws,
        "requests.new.natural_person",
        Some(&(59 + i).to_string()),
    );
    if i % 3 == 1 {
        for col in ["issued", "repealed", "in_force"] {
            set(&mut raws, &format!("active.regulations.{col}"), Some("/"));
        }
    }
    if i % 4 == 2 {
        for col in ["upheld", "corrected", "other", "pending", "total"] {
            set(&mut raws, &format!("appeals.review.{col}"), None);
        }
    }
    if i % 5 == 3 {
        set(
            &mut raws,
            "active.normative.in_force",
            Some("22（其中修订16件）"),
        );
        set(&mut raws, "active.fees.amount", Some("12872.06 万元"));
    }
    if i % 7 == 4 {
        set(&mut raws, "active.coercion.decisions", Some("见附件"));
        set(&mut raws, "requests.denied.inquiry.other_org", Some("—"));
    }
    raws
}

const AGENCIES: [&str; 4] = [
    "临沂市行政审批服务局",
    "中华人民共和国国家发展和改革委员会办公厅政府信息公开工作领导小组办公室",
    "某县[试点]局:综合*科?",
    "高青县行政审批服务局",
];

/// A hand-made extraction standing in for the extractor's output.
fn hand_extraction(i: usize) -> Extraction {
    let mut e = extract(&SourceText::from_utf8(""));
    e.agency = Some(AGENCIES[i % AGENCIES.len()].to_owned());
    e.year = Some(2020 + (i % 5) as i32);
    let missing_appeals = i % 10 == 9;
    e.tables = TableId::ALL
        .iter()
        .filter(|t| !(missing_appeals && **t == TableId::Appeals))
        .map(|&table| TableLocation {
            table,
            span: Span::new(0, 0),
        })
        .collect();
    e.warnings.clear();
    let mut offset = 0;
    for (k, raw) in raw_values(i).into_iter().enumerate() {
        let key = CellKey::from_index(k).expect("index in range");
        e.cells[k] = match raw {
            Some(raw) if !(missing_appeals && key.table() == TableId::Appeals) => {
                let cell = Cell::read(&raw, Span::new(offset, offset + raw.len()));
                offset += raw.len() + 1;
                cell
            }
            _ => Cell::blank(),
        };
    }
    e
}

/// A session with corrections (one undone, one cell corrected twice), verdicts and notes.
fn hand_session(i: usize) -> ReviewSession {
    let mut s = ReviewSession::new(
        SourceText::from_utf8(format!("报告 {i}")),
        hand_extraction(i),
    );
    if i.is_multiple_of(2) {
        s.commit(
            key("requests.new.total"),
            CorrectionValue::Number(60.0 + i as f64),
            Some("按原件更正".into()),
        );
    }
    if i.is_multiple_of(3) {
        s.commit(
            key("active.licensing.decisions"),
            CorrectionValue::Blank,
            None,
        );
    }
    if i.is_multiple_of(5) {
        s.commit(
            key("requests.granted.research"),
            CorrectionValue::NotApplicable,
            Some("该栏不适用".into()),
        );
    }
    if i == 0 {
        s.commit(
            key("active.fees.amount"),
            CorrectionValue::Number(1.5),
            None,
        );
        s.commit(
            key("active.fees.amount"),
            CorrectionValue::Number(2.25),
            Some("单位为万元".into()),
        );
        s.commit(
            key("appeals.suit_direct.upheld"),
            CorrectionValue::Number(9.0),
            None,
        );
        s.undo();
        s.notes
            .insert(key("requests.total.total"), "与正文第二段核对".into());
        s.status = ReviewStatus::Reviewed;
    }
    s
}

/// Findings standing in for the checks: an error, a warning and an info.
fn hand_findings(s: &ReviewSession) -> Vec<Finding> {
    let balance = [
        "requests.new.total",
        "requests.carried_over.total",
        "requests.total.total",
        "requests.carry_forward.total",
    ]
    .map(key);
    let new_total = s.effective_value(balance[0]).unwrap_or(0.0);
    vec![
        Finding {
            rule: "requests.balance".into(),
            severity: Severity::Error,
            keys: balance.to_vec(),
            expected: Some(59.0),
            found: Some(new_total),
            span: None,
            message: format!("总计列：{new_total} + 0 ≠ 59 + 0"),
            cause: Cause::Source,
            covers: Vec::new(),
            suggestion: None,
        },
        Finding {
            rule: "active.fees.unit".into(),
            severity: Severity::Warning,
            keys: vec![key("active.fees.amount")],
            expected: None,
            found: s.effective_value(key("active.fees.amount")),
            span: None,
            message: "收费金额很大，请确认单位是万元".into(),
            cause: Cause::Unknown,
            covers: Vec::new(),
            suggestion: None,
        },
        Finding {
            rule: "appeals.note".into(),
            severity: Severity::Info,
            keys: vec![
                key("appeals.suit_direct.upheld"),
                key("appeals.suit_direct.total"),
            ],
            expected: Some(0.1 + 0.2),
            found: Some(0.3),
            span: None,
            message: "有行政诉讼".into(),
            cause: Cause::Extraction,
            covers: Vec::new(),
            suggestion: None,
        },
    ]
}

/// Session and report `i`, with verdicts varying: the info finding dismissed on even reports,
/// the warning confirmed on multiples of three.
fn hand_report(i: usize) -> (ReviewSession, ExportReport) {
    let mut s = hand_session(i);
    let findings = hand_findings(&s);
    if i.is_multiple_of(2) {
        s.set_verdict(
            &findings[2].id(),
            &findings[2].keys,
            VerdictState::Dismissed,
            Some("原件如此".into()),
        );
    }
    if i.is_multiple_of(3) {
        s.set_verdict(
            &findings[1].id(),
            &findings[1].keys,
            VerdictState::Confirmed,
            None,
        );
    }
    let file = format!("reports/{i:03}_report.txt");
    let report = ExportReport::new(&file, sha256_hex(file.as_bytes()), &s, findings);
    (s, report)
}

// ---------------------------------------------------------------------------------------------
// Reading back.

fn open(bytes: &[u8]) -> Book {
    open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).expect("calamine opens the workbook")
}

/// Every non-empty cell of a sheet by absolute position.
fn sheet_cells(book: &mut Book, name: &str) -> BTreeMap<(u32, u32), Data> {
    let range = book
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range
        .used_cells()
        .filter(|(_, _, v)| !matches!(v, Data::Empty))
        .map(|(r, c, v)| ((r0 + r as u32, c0 + c as u32), v.clone()))
        .collect()
}

/// A cell as read back; a date cell as [`time`] expects it: the date and time it shows, to the
/// second, marked as a date (a text cell reads as `Data::String`, so a time written as text fails).
fn at(cells: &BTreeMap<(u32, u32), Data>, row: u32, col: u32) -> Data {
    match cells.get(&(row, col)) {
        Some(Data::DateTime(d)) => {
            let seconds = ((d.as_f64() - 25_569.0) * 86_400.0).round() as i64;
            let shown = jiff::Timestamp::from_second(seconds).map_or_else(
                |e| e.to_string(),
                |t| t.strftime("%Y-%m-%d %H:%M:%S").to_string(),
            );
            Data::DateTimeIso(shown)
        }
        Some(other) => other.clone(),
        None => Data::Empty,
    }
}

/// A time cell as read back through [`at`]: an Excel date showing the time on the computer's
/// clock.
fn time(t: jiff::Timestamp) -> Data {
    Data::DateTimeIso(xlsx::display_time(t))
}

/// What a cell should read as: its number, its printed text, or nothing.
fn expected_data(cell: &Cell) -> Data {
    match (cell.raw.as_deref().map(str::trim), cell.value) {
        (None, _) | (Some(""), _) => Data::Empty,
        (Some(_), Some(v)) => Data::Float(v),
        (Some(raw), None) => Data::String(raw.to_owned()),
    }
}

/// A text cell as read back; an empty text reads as an empty cell.
fn text(s: &str) -> Data {
    if s.is_empty() {
        Data::Empty
    } else {
        Data::String(s.to_owned())
    }
}

fn num(v: f64) -> Data {
    Data::Float(v)
}

fn opt_num(v: Option<f64>) -> Data {
    v.map_or(Data::Empty, Data::Float)
}

/// Notes by sheet name and cell reference, read from the zip (calamine does not read notes).
fn notes_by_sheet(bytes: &[u8]) -> HashMap<String, HashMap<String, String>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("xlsx is a zip");
    let mut read = |name: &str| -> Option<String> {
        let mut f = zip.by_name(name).ok()?;
        let mut s = String::new();
        f.read_to_string(&mut s).ok()?;
        Some(s)
    };
    let attr = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = tag[start..].find('"')? + start;
        Some(tag[start..end].to_owned())
    };
    let tags = |xml: &str, element: &str| -> Vec<String> {
        xml.split(&format!("<{element} "))
            .skip(1)
            .map(|t| format!(" {}", t.split('>').next().unwrap_or("")))
            .collect()
    };
    let workbook = read("xl/workbook.xml").expect("workbook.xml");
    let rels = read("xl/_rels/workbook.xml.rels").expect("workbook rels");
    let targets: HashMap<String, String> = tags(&rels, "Relationship")
        .iter()
        .filter_map(|t| Some((attr(t, "Id")?, attr(t, "Target")?)))
        .collect();
    let mut out = HashMap::new();
    for sheet in tags(&workbook, "sheet") {
        let (Some(name), Some(rid)) = (attr(&sheet, "name"), attr(&sheet, "r:id")) else {
            continue;
        };
        let name = unescape(&name);
        let Some(target) = targets.get(&rid) else {
            continue;
        };
        let file = target.rsplit('/').next().unwrap_or("").to_owned();
        let Some(sheet_rels) = read(&format!("xl/worksheets/_rels/{file}.rels")) else {
            continue;
        };
        let Some(comments) = tags(&sheet_rels, "Relationship")
            .iter()
            .filter_map(|t| attr(t, "Target"))
            .find(|t| t.contains("comments"))
        else {
            continue;
        };
        let path = format!("xl/{}", comments.trim_start_matches("../"));
        let xml = read(&path).unwrap_or_else(|| panic!("{path} missing"));
        let mut notes = HashMap::new();
        for part in xml.split("<comment ").skip(1) {
            let head = part.split('>').next().unwrap_or("");
            let reference = attr(&format!(" {head}"), "ref").unwrap_or_default();
            let body = part.split("</comment>").next().unwrap_or("");
            let mut text = String::new();
            let plain = body.split("<t>").skip(1);
            let spaced = body
                .split("<t ")
                .skip(1)
                .map(|t| t.split_once('>').map_or("", |(_, c)| c));
            for t in plain.chain(spaced) {
                text.push_str(t.split("</t>").next().unwrap_or(""));
            }
            notes.insert(reference, unescape(&text));
        }
        out.insert(name, notes);
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn fill_of(styles: &calamine::StyleRange, row: u32, col: u32) -> Option<u32> {
    let style = styles.get((row, col))?;
    let fill = style.fill.as_ref().filter(|f| f.is_visible())?;
    fill.get_color().map(|c| c.to_argb() & 0x00FF_FFFF)
}

// ---------------------------------------------------------------------------------------------
// Checks of each sheet against the reports, independent of how the writer lays things out
// except for the cell positions, which are themselves checked against the printed labels.

/// Every text that may appear on a report sheet besides values, title and meta line.
fn template_texts() -> HashSet<String> {
    let mut t: HashSet<String> = [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "信息内容",
        "申请人情况",
        "法人或其他组织",
        "三、本年度办理结果",
        REQUESTS_CORNER,
        xlsx::TABLE_MISSING,
    ]
    .map(str::to_owned)
    .into_iter()
    .collect();
    for r in ACTIVE_ROWS {
        t.insert(r.label.into());
        t.insert(r.clause.into());
        t.extend(r.col_labels.iter().map(|s| (*s).to_owned()));
    }
    for r in REQUESTS_ROWS {
        t.insert(r.label.into());
        t.insert(r.group.into());
    }
    t.extend(REQUESTS_COLS.iter().map(|c| c.label.to_owned()));
    for g in APPEALS_GROUPS {
        t.insert(g.label.into());
        t.insert(g.parent.into());
    }
    t.extend(APPEALS_COLS.iter().map(|c| c.label.to_owned()));
    t
}

fn has_text(
    cells: &BTreeMap<(u32, u32), Data>,
    row: u32,
    cols: std::ops::RangeInclusive<u32>,
    want: &str,
) -> bool {
    cols.into_iter().any(|c| at(cells, row, c) == text(want))
}

/// Checks one report sheet: every value, every label, title, merges, fills, notes.
fn check_report_sheet(
    book: &mut Book,
    notes: &HashMap<String, HashMap<String, String>>,
    name: &str,
    report: &ExportReport,
    session: &ReviewSession,
) {
    let cells = sheet_cells(book, name);
    let layout = report_layout();
    let mut value_positions = HashSet::new();
    for key in CellKey::all() {
        let p = layout.position(key);
        let (row, col) = (p.row, u32::from(p.col));
        value_positions.insert((row, col));
        let want = expected_data(&session.effective_cell(key));
        assert_eq!(at(&cells, row, col), want, "{name}: {key}");
        // The position is where the printed template puts this cell.
        match key.table() {
            TableId::Active => {
                let r = &ACTIVE_ROWS[key.row()];
                assert!(
                    has_text(&cells, row, 0..=0, r.label),
                    "{name}: {key} row label"
                );
                assert!(
                    (1..=2).any(|up| at(&cells, row - up, col) == text(r.col_labels[key.col()])),
                    "{name}: {key} column label"
                );
            }
            TableId::Requests => {
                let r = &REQUESTS_ROWS[key.row()];
                assert!(
                    has_text(&cells, row, 0..=2, r.label),
                    "{name}: {key} row label"
                );
                let header_top = layout.position(CellKey::requests(0, 0)).row - 3;
                assert!(
                    has_text_rows(
                        &cells,
                        header_top..=header_top + 2,
                        col,
                        REQUESTS_COLS[key.col()].label
                    ),
                    "{name}: {key} column label"
                );
            }
            TableId::Appeals => {
                assert!(
                    (1..=2)
                        .any(|up| at(&cells, row - up, col) == text(APPEALS_COLS[key.col()].label)),
                    "{name}: {key} column label"
                );
                let group = &APPEALS_GROUPS[key.row()];
                let first = col - key.col() as u32;
                assert!(
                    has_text_rows(&cells, row - 3..=row - 2, first, group.label),
                    "{name}: {key} group label"
                );
            }
        }
    }
    let allowed = template_texts();
    for (&(r, c), v) in &cells {
        if value_positions.contains(&(r, c)) {
            continue;
        }
        match (r, c, v) {
            (0, 0, Data::String(s)) => {
                let agency = report.agency.as_deref().unwrap_or("");
                assert!(s.contains(agency), "{name}: title {s}");
                if let Some(y) = report.year {
                    assert!(s.contains(&format!("{y}年")), "{name}: title {s}");
                }
            }
            (1, 0, Data::String(s)) => {
                assert!(s.contains(report.file_name()), "{name}: meta {s}");
                let c = report.counts();
                assert!(
                    s.contains(&format!("错误 {}", c.errors)),
                    "{name}: meta {s}"
                );
                assert!(
                    s.contains(&format!("修改：{} 个单元格", c.corrected_cells)),
                    "{name}: meta {s}"
                );
            }
            (_, _, Data::String(s)) => {
                assert!(
                    allowed.contains(s),
                    "{name}: unexpected text {s:?} at {r},{c}"
                )
            }
            _ => panic!("{name}: unexpected value {v:?} at {r},{c}"),
        }
    }
    // A missing table is said so beside its heading.
    for (t, row) in TableId::ALL.iter().zip(layout.section_rows) {
        let said = cells.values().any(|v| *v == text(xlsx::TABLE_MISSING))
            && has_text(&cells, row, 0..=14, xlsx::TABLE_MISSING);
        assert_eq!(
            said,
            !report.tables_found.contains(t),
            "{name}: {t:?} missing remark"
        );
    }
    // Merged header cells as in the printed template.
    if let Sheets::Xlsx(x) = book {
        let merges = x.merge_cells_by_sheet_name(name).expect("merges");
        let spans = |want: &str| -> Vec<(u32, u32)> {
            merges
                .iter()
                .filter(|m| at(&cells, m.start.0, m.start.1) == text(want))
                .map(|m| (m.end.0 - m.start.0 + 1, m.end.1 - m.start.1 + 1))
                .collect()
        };
        assert_eq!(spans("申请人情况"), vec![(1, 6)], "{name}");
        assert_eq!(spans("法人或其他组织"), vec![(1, 5)], "{name}");
        assert_eq!(spans(REQUESTS_CORNER), vec![(3, 3)], "{name}");
        assert_eq!(spans("三、本年度办理结果"), vec![(22, 1)], "{name}");
        assert_eq!(spans("（三）不予公开"), vec![(8, 1)], "{name}");
        assert_eq!(spans("行政诉讼"), vec![(1, 10)], "{name}");
        assert_eq!(spans("行政复议"), vec![(1, 5)], "{name}");
        assert_eq!(spans("未经复议直接起诉"), vec![(1, 5)], "{name}");
        assert!(
            spans("总计").contains(&(3, 1)),
            "{name}: 表三 总计 spans the header rows"
        );
        // Fills: corrected cells in one colour, open findings by severity, others plain.
        let styles = x.worksheet_style(name).expect("styles");
        for key in CellKey::all() {
            let p = layout.position(key);
            let fill = fill_of(&styles, p.row, u32::from(p.col));
            let open = report
                .findings
                .iter()
                .filter(|f| f.is_open() && f.finding.keys.contains(&key))
                .map(|f| f.finding.severity)
                .min();
            let want = if session.is_corrected(key) {
                Some(CORRECTED_FILL)
            } else {
                open.map(severity_fill)
            };
            assert_eq!(fill, want, "{name}: {key} fill");
        }
    }
    // Notes: a corrected cell says its original value, time and note; an annotated number
    // keeps its printed text; nothing else has a note.
    let sheet_notes = notes.get(name).cloned().unwrap_or_default();
    let mut expected_refs = HashSet::new();
    for key in CellKey::all() {
        let p = layout.position(key);
        let reference = rust_xlsxwriter::utility::row_col_to_cell(p.row, p.col);
        let note = sheet_notes.get(&reference);
        let original = session.extraction.cell(key);
        if let Some(edit) = session.current_edit(key) {
            expected_refs.insert(reference.clone());
            let note = note.unwrap_or_else(|| panic!("{name}: {key} corrected but no note"));
            let original_text = original.raw.clone().unwrap_or_else(|| "（空白）".into());
            assert!(
                note.contains(&format!("原值：{original_text}")),
                "{name}: {key}: {note}"
            );
            assert!(
                note.contains(&format!("修改为：{}", edit.value.display())),
                "{name}: {key}: {note}"
            );
            assert!(
                note.contains(&xlsx::display_time(edit.at)),
                "{name}: {key}: {note}"
            );
            if let Some(n) = &edit.note {
                assert!(note.contains(n.as_str()), "{name}: {key}: {note}");
            }
            assert!(
                !note.contains("Author") && !note.starts_with("nianbao:"),
                "{name}: {key}: no author prefix"
            );
        } else if original.is_annotated() {
            expected_refs.insert(reference.clone());
            let raw = original.raw.clone().unwrap_or_default();
            let want = format!("原文：{raw}");
            assert!(
                note.is_some_and(|n| n.contains(&want)),
                "{name}: {key}: {note:?}"
            );
        }
        if let Some(n) = session.notes.get(&key) {
            expected_refs.insert(reference.clone());
            assert!(
                note.is_some_and(|t| t.contains(n.as_str())),
                "{name}: {key} cell note"
            );
        }
    }
    let got: HashSet<String> = sheet_notes.keys().cloned().collect();
    assert_eq!(got, expected_refs, "{name}: cells with notes");
}

fn has_text_rows(
    cells: &BTreeMap<(u32, u32), Data>,
    rows: std::ops::RangeInclusive<u32>,
    col: u32,
    want: &str,
) -> bool {
    rows.into_iter().any(|r| at(cells, r, col) == text(want))
}

fn check_findings_sheet(book: &mut Book, reports: &[ExportReport], names: &[String]) {
    let cells = sheet_cells(book, SHEET_FINDINGS);
    for (c, h) in FINDINGS_HEADERS.iter().enumerate() {
        assert_eq!(at(&cells, 0, c as u32), text(h), "问题清单 header {c}");
    }
    let mut row = 1u32;
    let mut expected_cells = FINDINGS_HEADERS.len();
    for (report, name) in reports.iter().zip(names) {
        for f in &report.findings {
            let g = &f.finding;
            let keys: Vec<&str> = g.keys.iter().map(|k| k.name()).collect();
            let labels: Vec<String> = g.keys.iter().map(|k| k.accessible_name()).collect();
            let (verdict, note, when) = match &f.verdict {
                None => ("待处理", None, None),
                Some(v) => (
                    match v.state {
                        VerdictState::Confirmed => "确有问题",
                        VerdictState::Dismissed => "不是问题",
                    },
                    v.note.clone(),
                    Some(v.at),
                ),
            };
            let diff = match (g.expected, g.found) {
                (Some(e), Some(f)) => Some(((f - e) * 1e6).round() / 1e6),
                _ => None,
            };
            let want = [
                num(f64::from(row)),
                text(&report.file),
                text(report.agency.as_deref().unwrap_or("")),
                opt_num(report.year.map(f64::from)),
                text(name),
                text(g.severity.label()),
                text(&g.rule),
                text(&keys.join(", ")),
                text(&labels.join("、")),
                text(&g.message),
                opt_num(g.expected),
                opt_num(g.found),
                opt_num(diff),
                text(match g.cause {
                    Cause::Source => "报告原文有误",
                    Cause::Extraction => "读取有误",
                    Cause::Unknown => "无法判断",
                }),
                text(verdict),
                note.as_deref().map_or(Data::Empty, text),
                when.map_or(Data::Empty, time),
                g.suggestion.as_ref().map_or(Data::Empty, |s| {
                    let changes: Vec<String> = s
                        .changes
                        .iter()
                        .map(|c| format!("{} → {}", c.key.label(), format_number(c.value)))
                        .collect();
                    text(&format!(
                        "{}（{} 个等式随之成立）",
                        changes.join("；"),
                        s.restores
                    ))
                }),
                if g.covers.is_empty() {
                    Data::Empty
                } else {
                    let m: Vec<&str> = g.covers.iter().map(|c| c.message.as_str()).collect();
                    text(&m.join("\n"))
                },
            ];
            for (c, w) in want.iter().enumerate() {
                assert_eq!(
                    at(&cells, row, c as u32),
                    *w,
                    "问题清单 row {row} col {}",
                    FINDINGS_HEADERS[c]
                );
            }
            expected_cells += want.iter().filter(|w| **w != Data::Empty).count();
            row += 1;
        }
    }
    assert_eq!(cells.len(), expected_cells, "问题清单 has nothing else");
}

fn check_trail_sheet(
    book: &mut Book,
    reports: &[ExportReport],
    sessions: &[ReviewSession],
    names: &[String],
) {
    let cells = sheet_cells(book, SHEET_TRAIL);
    for (c, h) in TRAIL_HEADERS.iter().enumerate() {
        assert_eq!(at(&cells, 0, c as u32), text(h), "修改记录 header {c}");
    }
    let mut row = 1u32;
    let mut expected_cells = TRAIL_HEADERS.len();
    for ((report, session), name) in reports.iter().zip(sessions).zip(names) {
        for edit in session.audit_trail() {
            let show = |c: &Cell| c.raw.clone().unwrap_or_else(|| "（空白）".into());
            let want = [
                num(f64::from(row)),
                text(&report.file),
                text(report.agency.as_deref().unwrap_or("")),
                opt_num(report.year.map(f64::from)),
                text(name),
                text(edit.key.name()),
                text(&edit.key.accessible_name()),
                text(&show(session.extraction.cell(edit.key))),
                text(&show(&edit.before)),
                match edit.value {
                    CorrectionValue::Number(v) => num(v),
                    CorrectionValue::Blank => text("（空白）"),
                    CorrectionValue::NotApplicable => text("/"),
                },
                time(edit.at),
                edit.note.as_deref().map_or(Data::Empty, text),
            ];
            for (c, w) in want.iter().enumerate() {
                assert_eq!(
                    at(&cells, row, c as u32),
                    *w,
                    "修改记录 row {row} col {}",
                    TRAIL_HEADERS[c]
                );
            }
            expected_cells += want.iter().filter(|w| **w != Data::Empty).count();
            row += 1;
        }
    }
    assert_eq!(cells.len(), expected_cells, "修改记录 has nothing else");
}

fn check_summary_sheet(
    book: &mut Book,
    reports: &[ExportReport],
    sessions: &[ReviewSession],
    names: &[String],
) {
    let cells = sheet_cells(book, SHEET_SUMMARY);
    let fixed = SUMMARY_FIXED.len() as u32;
    for (c, (label, machine)) in SUMMARY_FIXED.iter().enumerate() {
        assert_eq!(at(&cells, 0, c as u32), text(label));
        assert_eq!(at(&cells, 1, c as u32), text(machine));
    }
    for k in CellKey::all() {
        let c = fixed + k.index() as u32;
        assert_eq!(
            at(&cells, 0, c),
            text(&k.accessible_name()),
            "汇总 header {k}"
        );
        assert_eq!(at(&cells, 1, c), text(k.name()), "汇总 key header {k}");
    }
    let mut expected_cells = 2 * (fixed as usize + 200);
    for (i, ((report, session), name)) in reports.iter().zip(sessions).zip(names).enumerate() {
        let row = 2 + i as u32;
        let counts = report.counts();
        let tables: Vec<&str> = report.tables_found.iter().map(|t| t.label()).collect();
        let errors = report
            .findings
            .iter()
            .filter(|f| f.finding.severity == Severity::Error)
            .count();
        let fixed_want = [
            text(&report.file),
            text(session.extraction.agency.as_deref().unwrap_or("")),
            opt_num(session.extraction.year.map(f64::from)),
            text(if session.status == ReviewStatus::Reviewed {
                "已审校"
            } else {
                "未审校"
            }),
            text(&tables.join("、")),
            num(errors as f64),
            num(counts.warnings as f64),
            num(counts.infos as f64),
            num(report
                .findings
                .iter()
                .filter(|f| f.verdict.is_none())
                .count() as f64),
            num(session.corrected_keys().len() as f64),
            text(name),
        ];
        for (c, w) in fixed_want.iter().enumerate() {
            assert_eq!(
                at(&cells, row, c as u32),
                *w,
                "汇总 row {row} {}",
                SUMMARY_FIXED[c].1
            );
        }
        expected_cells += fixed_want.iter().filter(|w| **w != Data::Empty).count();
        for k in CellKey::all() {
            let want = expected_data(&session.effective_cell(k));
            assert_eq!(
                at(&cells, row, fixed + k.index() as u32),
                want,
                "汇总 {}: {k}",
                report.file
            );
            expected_cells += usize::from(want != Data::Empty);
        }
    }
    assert_eq!(cells.len(), expected_cells, "汇总 has nothing else");
}

fn check_about_sheet(
    book: &mut Book,
    reports: &[ExportReport],
    names: &[String],
    info: &ExportInfo,
) {
    let cells = sheet_cells(book, SHEET_ABOUT);
    let all: Vec<&Data> = cells.values().collect();
    let version = format!("nianbao {}", env!("CARGO_PKG_VERSION"));
    assert!(
        all.iter()
            .any(|d| matches!(d, Data::String(s) if s.contains(&version))),
        "说明 names the tool version"
    );
    assert!(
        all.contains(&&text(&xlsx::display_time(info.exported_at))),
        "说明 gives the export time"
    );
    for (label, _) in LEGEND {
        assert!(all.contains(&&text(label)), "说明 legend {label}");
    }
    let header_row = cells
        .iter()
        .find(|(_, v)| **v == text(ABOUT_FILE_HEADERS[2]))
        .map(|((r, _), _)| *r)
        .expect("file list header");
    for (c, h) in ABOUT_FILE_HEADERS.iter().enumerate() {
        assert_eq!(at(&cells, header_row, c as u32), text(h));
    }
    for (i, (report, name)) in reports.iter().zip(names).enumerate() {
        let row = header_row + 1 + i as u32;
        let want = [
            num((i + 1) as f64),
            text(&report.file),
            text(&report.sha256),
            text(report.agency.as_deref().unwrap_or("")),
            opt_num(report.year.map(f64::from)),
            text(name),
        ];
        for (c, w) in want.iter().enumerate() {
            assert_eq!(
                at(&cells, row, c as u32),
                *w,
                "说明 row {row} {}",
                ABOUT_FILE_HEADERS[c]
            );
        }
        assert_eq!(report.sha256.len(), 64);
    }
    let after = header_row + 1 + reports.len() as u32;
    for (i, u) in info.unreadable.iter().enumerate() {
        let row = after + 2 + i as u32;
        assert_eq!(at(&cells, row, 1), text(&u.file), "说明 unreadable {i}");
        assert_eq!(at(&cells, row, 2), text(&u.reason), "说明 unreadable {i}");
    }
    if info.unreadable.is_empty() {
        assert!(
            cells.keys().all(|(r, _)| *r < after),
            "说明 has nothing after the file list"
        );
    }
}

/// Writes `reports`, reads everything back and checks every sheet.
fn round_trip(sessions: &[ReviewSession], reports: &[ExportReport], info: &ExportInfo) -> Vec<u8> {
    let bytes = workbook_bytes(reports, info).expect("workbook");
    let mut book = open(&bytes);
    let names = xlsx::report_sheet_names(reports);
    let mut order = xlsx::sheet_order(&names);
    if !xlsx::bodies_with_years(reports).is_empty() {
        order.push(xlsx::SHEET_YEARS.to_owned());
    }
    assert_eq!(book.sheet_names(), order, "sheet order");
    let unique: HashSet<String> = book
        .sheet_names()
        .iter()
        .map(|n| n.to_lowercase())
        .collect();
    assert_eq!(unique.len(), book.sheet_names().len(), "sheet names unique");
    for n in book.sheet_names() {
        assert!(nianbao::export::sheet_name::is_valid_sheet_name(&n), "{n}");
    }
    let notes = notes_by_sheet(&bytes);
    for ((report, session), name) in reports.iter().zip(sessions).zip(&names) {
        check_report_sheet(&mut book, &notes, name, report, session);
    }
    check_findings_sheet(&mut book, reports, &names);
    check_trail_sheet(&mut book, reports, sessions, &names);
    check_about_sheet(&mut book, reports, &names, info);
    check_summary_sheet(&mut book, reports, sessions, &names);
    if reports.len() == 1 {
        assert_eq!(
            book.sheet_names().last(),
            Some(&SHEET_SUMMARY.to_owned()),
            "one report: 汇总 last"
        );
    }
    bytes
}

fn sessions_and_reports(n: usize) -> (Vec<ReviewSession>, Vec<ExportReport>) {
    (0..n).map(hand_report).unzip()
}

// ---------------------------------------------------------------------------------------------

// One corrected report: every value, label, merge, fill, note and log row reads back.
#[test]
fn one_report_round_trip() {
    let (sessions, reports) = sessions_and_reports(1);
    assert_eq!(reports[0].trail.len(), 5, "undone edit left out");
    let info = ExportInfo {
        exported_at: "2025-01-20T08:30:00Z".parse().expect("a time"),
        unreadable: vec![UnreadableFile {
            file: "坏文件.docx".into(),
            reason: "文件已损坏或格式不符：zip 读取失败".into(),
        }],
        notices: vec![],
    };
    let bytes = round_trip(&sessions, &reports, &info);
    // Spot-check the values a reviewer would look at first, by key.
    let mut book = open(&bytes);
    let cells = sheet_cells(&mut book, &xlsx::report_sheet_names(&reports)[0]);
    let layout = report_layout();
    let pos = |k: &str| {
        let p = layout.position(key(k));
        (p.row, u32::from(p.col))
    };
    let (r, c) = pos("requests.new.total");
    assert_eq!(at(&cells, r, c), num(60.0), "corrected requests.new.total");
    let (r, c) = pos("active.licensing.decisions");
    assert_eq!(at(&cells, r, c), Data::Empty, "corrected to blank");
    let (r, c) = pos("requests.granted.research");
    assert_eq!(at(&cells, r, c), text("/"), "corrected to not applicable");
    let (r, c) = pos("active.fees.amount");
    assert_eq!(at(&cells, r, c), num(2.25), "second correction wins");
    let (r, c) = pos("appeals.suit_direct.upheld");
    assert_eq!(at(&cells, r, c), num(2.0), "undone correction not applied");
    let notes = notes_by_sheet(&bytes);
    let (r, c) = pos("active.fees.amount");
    let fee_note = &notes[&xlsx::report_sheet_names(&reports)[0]]
        [&rust_xlsxwriter::utility::row_col_to_cell(r, c as u16)];
    assert!(fee_note.contains("原值：39910.33"), "{fee_note}");
    assert!(fee_note.contains("共修改 2 次"), "{fee_note}");
}

// Fifty reports with long, odd and repeated agency names: all sheets, the summary row of each
// and every cell of every report read back.
#[test]
fn fifty_reports_round_trip() {
    let (sessions, reports) = sessions_and_reports(50);
    let info = ExportInfo {
        exported_at: "2025-01-20T08:30:00Z".parse().expect("a time"),
        unreadable: vec![],
        notices: vec!["示例提示".into()],
    };
    let bytes = round_trip(&sessions, &reports, &info);
    let book = open(&bytes);
    // Four fixed sheets, the fifty reports, and 历年对照 (each body has several years here).
    assert_eq!(book.sheet_names().len(), 55);
    let names = xlsx::report_sheet_names(&reports);
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("中华人民共和国") && n.chars().count() == 31)
    );
    assert!(
        names.iter().any(|n| n == "某县试点局综合科2022"),
        "{names:?}"
    );
}

// An export with no report is refused and a failed save names the reason in Chinese and leaves
// the old file untouched.
#[test]
fn failed_save_keeps_old_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("out.xlsx");
    std::fs::write(&target, b"old workbook").expect("old file");
    let info = ExportInfo::now();
    let err = xlsx::save_workbook(&target, &[], &info).expect_err("nothing to export");
    assert_eq!(err, ExportError::NoReports);
    assert_eq!(std::fs::read(&target).expect("read"), b"old workbook");
    let reports = vec![hand_report(1).1];
    let missing = dir.path().join("不存在的文件夹").join("out.xlsx");
    let err = xlsx::save_workbook(&missing, &reports, &info).expect_err("no folder");
    assert!(err.to_string().contains("文件夹不存在"), "{err}");
    xlsx::save_workbook(&target, &reports, &info).expect("saves");
    let bytes = std::fs::read(&target).expect("read");
    assert_eq!(open(&bytes).sheet_names().len(), 5);
}

// The command line refuses a non-xlsx output and, with nothing readable, writes nothing and
// exits 2 after naming each bad file on stderr.
#[test]
fn cli_unreadable_inputs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("乱码.txt");
    std::fs::write(&bad, [0u8, 159, 146, 150, 0, 1, 2, 3]).expect("bad file");
    let out = dir.path().join("out.xlsx");
    std::fs::write(&out, b"old").expect("old output");
    let run = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(args)
            .output()
            .expect("binary runs")
    };
    let o = run(&[
        "export".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
        bad.as_os_str(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("乱码.txt"), "{stderr}");
    assert_eq!(
        std::fs::read(&out).expect("read"),
        b"old",
        "old output untouched"
    );
    let csv = dir.path().join("out.csv");
    let o = run(&[
        "export".as_ref(),
        "-o".as_ref(),
        csv.as_os_str(),
        bad.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains(".xlsx"));
    assert!(!csv.exists());
}

// ---------------------------------------------------------------------------------------------
// The seed reports, read by the extractor.

fn seed_paths() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("seed folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 5);
    paths
}

// The five seeds, each corrected in a different way (number, blank, not applicable, twice, with
// and without notes), round-trip through the workbook with the checks' findings.
#[test]
fn seed_reports_round_trip() {
    let corrections: [(&str, CorrectionValue, Option<&str>); 5] = [
        (
            "requests.new.total",
            CorrectionValue::Number(7.0),
            Some("按原件第3页更正"),
        ),
        ("active.fees.amount", CorrectionValue::NotApplicable, None),
        (
            "appeals.review.total",
            CorrectionValue::Blank,
            Some("原件此格空白"),
        ),
        (
            "requests.granted.natural_person",
            CorrectionValue::Number(0.0),
            None,
        ),
        (
            "active.licensing.decisions",
            CorrectionValue::Number(12.0),
            Some("单位应为件"),
        ),
    ];
    let mut sessions = Vec::new();
    let mut reports = Vec::new();
    for (i, path) in seed_paths().iter().enumerate() {
        let bytes = std::fs::read(path).expect("seed");
        let source = nianbao::ingest::load(&bytes, "seed.txt").expect("decodes");
        let extraction = extract(&source);
        assert_eq!(extraction.tables_found().len(), 3, "{}", path.display());
        let mut s = ReviewSession::new(source, extraction);
        let (name, value, note) = corrections[i];
        assert!(
            s.commit(key(name), value, note.map(str::to_owned)),
            "{name} changes"
        );
        if i == 1 {
            s.commit(
                key("requests.new.natural_person"),
                CorrectionValue::Number(8.0),
                None,
            );
            s.commit(
                key("requests.new.natural_person"),
                CorrectionValue::Number(9.0),
                Some("再次核对".into()),
            );
        }
        let file = path.to_string_lossy().into_owned();
        reports.push(ExportReport::with_checks(
            &file,
            sha256_hex(&bytes),
            &s,
            &[],
        ));
        sessions.push(s);
    }
    let info = ExportInfo::now();
    let bytes = round_trip(&sessions, &reports, &info);
    // By key, values a person reads in the seeds: 临沂 licensing 31510 and fees 39910.33.
    let mut book = open(&bytes);
    let names = xlsx::report_sheet_names(&reports);
    assert_eq!(names[2], "临沂市行政审批服务局2024");
    let cells = sheet_cells(&mut book, SHEET_SUMMARY);
    let col = |k: &str| SUMMARY_FIXED.len() as u32 + key(k).index() as u32;
    assert_eq!(
        at(&cells, 4, col("active.licensing.decisions")),
        num(31510.0)
    );
    assert_eq!(at(&cells, 4, col("active.fees.amount")), num(39910.33));
    assert_eq!(
        at(&cells, 3, col("active.fees.amount")),
        text("/"),
        "corrected to not applicable"
    );
    assert_eq!(at(&cells, 3, col("requests.new.natural_person")), num(9.0));
}

// `nianbao export` on a folder with the seeds (two with corrections saved beside them) and a
// file that is not a report: the saved corrections are applied, 说明 lists the bad file and
// every SHA-256, the previous export in the folder is not read as input, exit status 2.
#[test]
fn cli_exports_seed_folder_with_saved_corrections() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("reports");
    std::fs::create_dir(&input).expect("input folder");
    let data_dir = dir.path().join("data");
    let dirs = StoreDirs::with_data_dir(&data_dir);
    let mut paths = Vec::new();
    for p in seed_paths() {
        let copy = input.join(p.file_name().expect("name"));
        std::fs::copy(&p, &copy).expect("copy seed");
        paths.push(copy);
    }
    // Corrections saved as the window saves them.
    let mut opened = store::open_report_in(&paths[0], &dirs).expect("opens");
    opened.session.commit(
        key("requests.new.natural_person"),
        CorrectionValue::Number(2.0),
        Some("按原件更正".into()),
    );
    store::save_in(&opened.session, &paths[0], &dirs).expect("saved");
    let mut opened = store::open_report_in(&paths[3], &dirs).expect("opens");
    opened.session.commit(
        key("active.fees.amount"),
        CorrectionValue::NotApplicable,
        None,
    );
    store::save_in(&opened.session, &paths[3], &dirs).expect("saved");

    std::fs::write(
        input.join("通知.txt"),
        "关于召开会议的通知\n请各单位准时参加。",
    )
    .expect("bad file");
    let out = input.join("审校.xlsx");
    std::fs::write(&out, b"previous export").expect("old output");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .arg("export")
        .arg("-o")
        .arg(&out)
        .arg(&input)
        .output()
        .expect("binary runs");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("通知.txt") && stderr.contains("没有找到任何统计表"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("审校.xlsx"),
        "the output is not read as an input: {stderr}"
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("5 份报告"));
    let bytes = std::fs::read(&out).expect("workbook written");

    // The same reports opened through the library (saved reviews restored) give the content.
    let loaded = load_reports(&paths, &dirs, &AtomicBool::new(false), |_, _, _| {});
    let mut sessions = Vec::new();
    let mut reports = Vec::new();
    for (path, result) in loaded {
        let r = result.expect("seed opens");
        let file = path.to_string_lossy().into_owned();
        let sha = sha256_hex(&std::fs::read(&path).expect("seed"));
        assert_eq!(r.session.source_sha256(), Some(sha.as_str()), "{file}");
        reports.push(ExportReport::new(file, sha, &r.session, r.findings));
        sessions.push(r.session);
    }
    assert!(sessions[0].is_corrected(key("requests.new.natural_person")));
    assert!(sessions[3].is_corrected(key("active.fees.amount")));
    let mut book = open(&bytes);
    let names = xlsx::report_sheet_names(&reports);
    assert_eq!(book.sheet_names(), xlsx::sheet_order(&names));
    let notes = notes_by_sheet(&bytes);
    for ((report, session), name) in reports.iter().zip(&sessions).zip(&names) {
        check_report_sheet(&mut book, &notes, name, report, session);
    }
    check_summary_sheet(&mut book, &reports, &sessions, &names);
    check_findings_sheet(&mut book, &reports, &names);
    check_trail_sheet(&mut book, &reports, &sessions, &names);
    let summary = sheet_cells(&mut book, SHEET_SUMMARY);
    let col = |k: &str| SUMMARY_FIXED.len() as u32 + key(k).index() as u32;
    assert_eq!(
        at(&summary, 2, col("requests.new.natural_person")),
        num(2.0)
    );
    assert_eq!(at(&summary, 5, col("active.fees.amount")), text("/"));
    let trail = sheet_cells(&mut book, SHEET_TRAIL);
    assert_eq!(at(&trail, 1, 5), text("requests.new.natural_person"));
    assert_eq!(at(&trail, 1, 11), text("按原件更正"));
    assert_eq!(at(&trail, 2, 5), text("active.fees.amount"));
    let about = sheet_cells(&mut book, SHEET_ABOUT);
    let bad = input.join("通知.txt").to_string_lossy().into_owned();
    assert!(
        about.values().any(|v| *v == text(&bad)),
        "说明 lists the unreadable file"
    );
    for r in &reports {
        assert!(
            about.values().any(|v| *v == text(&r.sha256)),
            "说明 has {}",
            r.sha256
        );
    }
}

// A workbook exported from several reports imports back onto the same reports with nothing to
// change: what the export writes is what the import reads.
#[test]
fn export_then_import_changes_nothing() {
    let (sessions, reports) = sessions_and_reports(12);
    let bytes = workbook_bytes(&reports, &ExportInfo::now()).expect("workbook");
    let paths: Vec<std::path::PathBuf> = reports.iter().map(|r| r.file.clone().into()).collect();
    let targets: Vec<ImportTarget<'_>> = paths
        .iter()
        .zip(&sessions)
        .map(|(path, session)| ImportTarget { path, session })
        .collect();
    let preview = preview_import(&bytes, "审校.xlsx", &targets).expect("imports");
    assert!(preview.unmatched.is_empty(), "{:?}", preview.unmatched);
    assert_eq!(preview.change_count(), 0, "{:?}", preview.reports);
    assert!(
        preview.reports.iter().all(|r| r.skipped.is_empty()),
        "{:?}",
        preview.reports
    );
}

// `历年对照`: a body with two years gets one row per cell and one column per year; a changed
// value is marked in the 变化 column (and filled, with a note), a jump as 跳变; a single year
// writes no such sheet.
#[test]
fn years_sheet_compares_a_body_s_years() {
    let text = std::fs::read_to_string("tests/fixtures/seeds/000_073f686d539d8498.txt")
        .expect("seed")
        .trim_start_matches('\u{feff}')
        .to_owned();
    let earlier = ReviewSession::new(
        SourceText::from_utf8(text.clone()),
        extract(&SourceText::from_utf8(text.clone())),
    );
    let moved = text.replace("2024", "2025");
    let source = SourceText::from_utf8(moved);
    let mut later = ReviewSession::new(source.clone(), extract(&source));
    later.commit(
        key("active.normative.in_force"),
        CorrectionValue::Number(40.0),
        None,
    );
    later.commit(
        key("requests.new.natural_person"),
        CorrectionValue::Number(2.0),
        None,
    );
    let reports = vec![
        ExportReport::with_checks("a/2024.txt", sha256_hex(b"a"), &earlier, &[]),
        ExportReport::with_checks("a/2025.txt", sha256_hex(b"b"), &later, &[]),
    ];
    let bytes = xlsx::workbook_bytes(&reports, &ExportInfo::now()).expect("workbook");
    let mut book = open(&bytes);
    assert!(book.sheet_names().contains(&xlsx::SHEET_YEARS.to_owned()));
    let cells = sheet_cells(&mut book, xlsx::SHEET_YEARS);
    let header: Vec<Data> = (0..6).map(|c| at(&cells, 0, c)).collect();
    assert_eq!(
        header,
        ["机关", "单元格", "key", "2024年", "2025年", "变化"].map(|s| Data::String(s.into()))
    );
    let row_of = |k: &str| 1 + key(k).index() as u32;
    let r = row_of("active.normative.in_force");
    assert_eq!(
        at(&cells, r, 2),
        Data::String("active.normative.in_force".into())
    );
    assert_eq!(at(&cells, r, 3), num(0.0));
    assert_eq!(at(&cells, r, 4), num(40.0));
    assert_eq!(at(&cells, r, 5), Data::String("跳变".into()));
    let r = row_of("requests.new.natural_person");
    assert_eq!((at(&cells, r, 3), at(&cells, r, 4)), (num(1.0), num(2.0)));
    assert_eq!(at(&cells, r, 5), Data::String("有变化".into()));
    let marked = (1..=200)
        .filter(|&r| at(&cells, r, 5) != Data::Empty)
        .count();
    assert_eq!(marked, 2, "only the two corrected cells changed");
    assert_eq!(
        at(&cells, 200, 2),
        Data::String("appeals.suit_after_review.total".into())
    );
    // The note on the changed value names last year's.
    let notes = notes_by_sheet(&bytes);
    let years_notes = notes.get(xlsx::SHEET_YEARS).cloned().unwrap_or_default();
    let note = years_notes.get(&rust_xlsxwriter::utility::row_col_to_cell(
        row_of("active.normative.in_force"),
        4,
    ));
    assert_eq!(
        note.map(String::as_str),
        Some("2024年：0（变化 5 倍以上）"),
        "{years_notes:?}"
    );
    let one = xlsx::workbook_bytes(&reports[..1], &ExportInfo::now()).expect("workbook");
    assert!(
        !open(&one)
            .sheet_names()
            .contains(&xlsx::SHEET_YEARS.to_owned())
    );
}
