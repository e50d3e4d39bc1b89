//! Integration tests: properties checked on generated input (proptest). Extraction never panics
//! and keeps its output contract on any text, alone or spliced into a real report; a table of
//! values rendered in every supported layout extracts to the same values; undoing then redoing
//! any edit sequence returns the same state; the exported workbook, read back with calamine,
//! holds the effective value of every cell after any edit sequence.

use crate::extract::{Layout, render};
use calamine::{Data, Reader, open_workbook_auto_from_rs};
use nianbao::export::layout::report_layout;
use nianbao::export::xlsx::report_sheet_names;
use nianbao::export::{ExportInfo, ExportReport, workbook_bytes};
use nianbao::extract::{Extraction, extract};
use nianbao::model::{CELL_COUNT, CellKey, SourceText};
use nianbao::review::{CorrectionValue, ReviewSession};
use proptest::prelude::*;
use std::sync::LazyLock;

/// Cases per property: enough to find the shape of a bug, few enough to keep the suite fast.
const CASES: u32 = 128;

/// The extraction's contract: 200 cells; a span exactly covers the cell's raw text; a number
/// only where there is raw text; table spans inside the text.
fn assert_contract(source: &SourceText, ex: &Extraction) -> Result<(), TestCaseError> {
    prop_assert_eq!(ex.cells.len(), CELL_COUNT);
    for key in CellKey::all() {
        let cell = ex.cell(key);
        match (&cell.raw, cell.span) {
            (Some(raw), Some(span)) => prop_assert_eq!(
                source.text.get(span.start..span.end),
                Some(raw.as_str()),
                "{}: span does not cover the raw text",
                key
            ),
            (None, None) => {}
            (raw, span) => prop_assert!(false, "{}: raw {:?} but span {:?}", key, raw, span),
        }
        prop_assert!(
            cell.value.is_none() || cell.raw.is_some(),
            "{}: a value without raw text",
            key
        );
    }
    for table in &ex.tables {
        prop_assert!(table.span.start <= table.span.end && table.span.end <= source.text.len());
    }
    Ok(())
}

/// Pieces real tables are made of, so generated text reaches the table reader, not only the
/// heading search.
const PIECES: &[&str] = &[
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "规章",
    "行政规范性文件",
    "行政事业性收费",
    "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（三）不予公开",
    "1．属于国家秘密",
    "自然人",
    "总计",
    "结果维持",
    "未经复议直接起诉",
    "本列数据的勾稽关系",
    "0",
    "7",
    "12",
    "2351",
    "88.5",
    "693665",
    "１２",
    "/",
    "—",
    "无",
    "万元",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    " ",
    "   ",
    "|",
    "| --- |",
    "。",
    "，",
    "— 5 —",
    "第3页",
    "\u{a0}",
    "\u{3000}",
    "\u{c}",
];

/// Text built from table pieces and arbitrary strings.
fn table_like_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(PIECES).prop_map(str::to_owned),
            1 => any::<String>(),
        ],
        0..200,
    )
    .prop_map(|pieces| pieces.concat())
}

/// The five seed reports, decoded.
static SEEDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ["000", "001", "002", "003", "004"]
        .iter()
        .map(|p| crate::extract::seed_source(p).text)
        .collect()
});

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    // Any string (arbitrary Unicode) extracts without a panic and keeps the contract.
    #[test]
    fn extraction_total_on_any_string(text in any::<String>()) {
        let source = SourceText::from_utf8(text);
        assert_contract(&source, &extract(&source))?;
    }

    // Text made of table pieces and arbitrary strings extracts without a panic and keeps the
    // contract.
    #[test]
    fn extraction_total_on_table_like_text(text in table_like_text()) {
        let source = SourceText::from_utf8(text);
        assert_contract(&source, &extract(&source))?;
    }

    // Any text spliced into a real report (replacing a stretch of it) extracts without a panic
    // and keeps the contract.
    #[test]
    fn extraction_total_on_spliced_seeds(
        seed in 0..5usize,
        at in any::<prop::sample::Index>(),
        cut in 0..400usize,
        inserted in table_like_text(),
    ) {
        let text = &SEEDS[seed];
        let start = text.floor_char_boundary(at.index(text.len() + 1));
        let end = text.floor_char_boundary((start + cut).min(text.len()));
        let spliced = format!("{}{inserted}{}", &text[..start], &text[end..]);
        let source = SourceText::from_utf8(spliced);
        assert_contract(&source, &extract(&source))?;
    }
}

/// Index of the one cell that holds money (may have decimals): `active.fees.amount`.
fn fee_index() -> usize {
    CellKey::from_name("active.fees.amount")
        .expect("fee key")
        .index()
}

/// One printed cell: mostly a whole count, sometimes a placeholder.
fn printed_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => (0u32..100_000).prop_map(|v| v.to_string()),
        1 => prop::sample::select(&["/", "—", "无"][..]).prop_map(str::to_owned),
    ]
}

/// 200 values as a report prints them: whole counts and placeholders, and an amount with up to
/// two decimals in the fee cell.
fn table_values() -> impl Strategy<Value = Vec<String>> {
    (
        prop::collection::vec(printed_cell(), CELL_COUNT),
        0u32..10_000_000,
        0u32..3,
    )
        .prop_map(|(mut values, fee_cents, decimals)| {
            values[fee_index()] = match decimals {
                0 => (fee_cents / 100).to_string(),
                1 => format!("{}.{}", fee_cents / 100, fee_cents % 10),
                _ => format!("{}.{:02}", fee_cents / 100, fee_cents % 100),
            };
            values
        })
}

/// The cells whose raw text differs from the values rendered, each named by its key.
fn wrong_cells(ex: &Extraction, values: &[String]) -> Vec<String> {
    CellKey::all()
        .filter_map(|k| {
            let got = ex.cell(k).raw.as_deref();
            let want = values[k.index()].as_str();
            (got != Some(want)).then(|| format!("{k}: expected {want:?}, got {got:?}"))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES / 2))]

    // Any table of values rendered in each supported layout (one cell per line, blank lines
    // between cells, tab rows, markdown pipes, space-separated PDF text) extracts to exactly
    // those values.
    #[test]
    fn rendered_tables_read_back(values in table_values()) {
        for layout in Layout::ALL {
            let source = SourceText::from_utf8(render(layout, &values));
            let ex = extract(&source);
            let wrong = wrong_cells(&ex, &values);
            prop_assert!(wrong.is_empty(), "{:?}: {} wrong:\n{}", layout, wrong.len(), wrong.join("\n"));
            assert_contract(&source, &ex)?;
        }
    }
}

/// A reviewer's action.
#[derive(Clone, Debug)]
enum Action {
    Commit(usize, CorrectionValue),
    Undo,
    Redo,
}

fn action() -> impl Strategy<Value = Action> {
    let value = prop_oneof![
        6 => (0u32..50).prop_map(|v| CorrectionValue::Number(f64::from(v))),
        1 => Just(CorrectionValue::Blank),
        1 => Just(CorrectionValue::NotApplicable),
    ];
    prop_oneof![
        4 => (0..CELL_COUNT, value).prop_map(|(k, v)| Action::Commit(k, v)),
        2 => Just(Action::Undo),
        1 => Just(Action::Redo),
    ]
}

/// A review of seed 002, whose tables hold non-zero numbers.
static SESSION: LazyLock<ReviewSession> = LazyLock::new(|| {
    let source = crate::extract::seed_source("002");
    let ex = extract(&source);
    ReviewSession::new(source, ex)
});

/// Applies reviewer actions to a session.
fn apply(s: &mut ReviewSession, actions: &[Action]) {
    for a in actions {
        match *a {
            Action::Commit(k, v) => {
                let key = CellKey::from_index(k).expect("key index");
                s.commit(key, v, None);
            }
            Action::Undo => {
                s.undo();
            }
            Action::Redo => {
                s.redo();
            }
        }
    }
}

/// How an effective cell reads back from the workbook: its number, its printed text (a
/// placeholder), or nothing.
fn expected_data(cell: &nianbao::model::Cell) -> Data {
    match (cell.raw.as_deref().map(str::trim), cell.value) {
        (None, _) | (Some(""), _) => Data::Empty,
        (Some(_), Some(v)) => Data::Float(v),
        (Some(raw), None) => Data::String(raw.to_owned()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES / 2))]

    // After any sequence of commits, undos and redos, the exported workbook read back with
    // calamine holds every cell's effective value where the template puts it.
    #[test]
    fn export_reads_back_effective_values(actions in prop::collection::vec(action(), 0..30)) {
        let mut s = SESSION.clone();
        apply(&mut s, &actions);
        let report = ExportReport::with_checks("report.txt", "0", &s, &[]);
        let bytes = workbook_bytes(std::slice::from_ref(&report), &ExportInfo::now())
            .expect("workbook");
        let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
            .expect("calamine opens the workbook");
        let name = &report_sheet_names(std::slice::from_ref(&report))[0];
        let range = book.worksheet_range(name).expect("report sheet");
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for key in CellKey::all() {
            let p = report_layout().position(key);
            let got = range
                .get_value((p.row - r0, u32::from(p.col) - c0))
                .cloned()
                .unwrap_or(Data::Empty);
            prop_assert_eq!(got, expected_data(&s.effective_cell(key)), "{}", key);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    // After any sequence of commits, undos and redos: undoing k steps then redoing k steps
    // returns the same cells, cursor and log; undoing everything gives back the extraction,
    // which no edit ever changes.
    #[test]
    fn undo_then_redo_is_identity(actions in prop::collection::vec(action(), 0..40), k in 0..40usize) {
        let mut s = SESSION.clone();
        apply(&mut s, &actions);
        let cells = s.effective_cells();
        let cursor = s.cursor();
        let log = s.edits().to_vec();
        let k = k.min(cursor);
        for _ in 0..k {
            prop_assert!(s.undo().is_some());
        }
        for _ in 0..k {
            prop_assert!(s.redo().is_some());
        }
        prop_assert_eq!(s.cursor(), cursor);
        prop_assert_eq!(s.edits(), &log[..]);
        prop_assert_eq!(s.effective_cells(), cells);
        while s.undo().is_some() {}
        prop_assert_eq!(s.effective_cells(), SESSION.extraction.cells.clone());
        prop_assert_eq!(&s.extraction, &SESSION.extraction);
        while s.redo().is_some() {}
        prop_assert_eq!(s.cursor(), log.len());
    }
}

// A table 二 printed with its labels detached, whose rows of three hold dashes ("— 0 —" under
// 规章, then "0 0 0"), reads each value to its own cell: found by `rendered_tables_read_back`,
// which once gave 规章 the zeros of the next row and 行政许可 the fee.
#[test]
fn detached_labels_with_dashes_in_table_two() {
    for first_rows in [
        ["—", "0", "—", "0", "0", "0"],
        ["0", "0", "0", "—", "0", "—"],
    ] {
        let mut values: Vec<String> = (0..CELL_COUNT).map(|i| (i % 7).to_string()).collect();
        for (v, s) in values.iter_mut().zip(first_rows) {
            *v = s.to_owned();
        }
        values[6..9].fill("0".to_owned());
        values[fee_index()] = "32164.86".to_owned();
        let text = render(Layout::LabelsDetached, &values);
        let ex = extract(&SourceText::from_utf8(text.clone()));
        let wrong = wrong_cells(&ex, &values);
        assert!(
            wrong.is_empty(),
            "{} wrong:\n{}\n{text}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}
