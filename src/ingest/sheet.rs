//! Spreadsheets read with calamine (.xlsx streamed cell by cell, .xls): each visible sheet
//! becomes its name on a line (when it says something) and one tab-separated line per row.
//! Numbers are written as the sheet shows them (`5`, not `5.0`).

use super::archive::Archive;
use super::blocks::{Block, cell_text, lay_out, source};
use super::{IngestError, limits};
use crate::model::{SourceKind, SourceText};
use calamine::{Data, DataRef, Reader, SheetType, SheetVisible, Xls, XlsError, Xlsx, XlsxError};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

/// The non-empty cells of one sheet, by (row, column).
#[derive(Debug, Default)]
pub(crate) struct SheetCells {
    /// The sheet's name.
    pub name: String,
    /// Cell texts by absolute position.
    pub cells: BTreeMap<(u32, u32), String>,
    /// Merged ranges: first row, first column, last row, last column.
    pub merges: Vec<(u32, u32, u32, u32)>,
}

/// Counts cells against [`limits::MAX_SHEET_CELLS`] over a whole workbook.
#[derive(Debug, Default)]
pub(crate) struct CellBudget(usize);

impl CellBudget {
    /// Takes one cell from the budget, or fails when the workbook has too many.
    pub fn take(&mut self) -> Result<(), IngestError> {
        self.0 += 1;
        if self.0 > limits::MAX_SHEET_CELLS {
            return Err(IngestError::TooComplex(format!(
                "表格单元格超过 {} 个",
                limits::MAX_SHEET_CELLS
            )));
        }
        Ok(())
    }
}

/// Parts of a workbook that are pictures: never parsed by calamine, so not checked.
const MEDIA_ENDINGS: [&str; 10] = [
    ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".wdp",
];

/// Checks every part of a workbook that calamine may parse (any part but pictures: a sheet is
/// found through the relationships, whatever its name) before calamine sees it:
/// - together they inflate to at most [`limits::MAX_UNZIPPED_BYTES`];
/// - they hold at most [`limits::MAX_SHEET_CELLS`] cell elements (`<c …>`, also with a namespace
///   prefix): calamine parses a sheet's whole XML (twice: merges, then cells) before any cell
///   reaches the budget, about 2 µs a cell in a debug build;
/// - every cell reference is one calamine can convert (see [`check_references`]).
fn check_xlsx_parts(archive: &mut Archive<'_>) -> Result<(), IngestError> {
    let mut cells = 0usize;
    let mut inflated = 0u64;
    for name in archive.part_names() {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with('/') || MEDIA_ENDINGS.iter().any(|e| lower.ends_with(e)) {
            continue;
        }
        let Some(xml) = archive.read_part(&name)? else {
            continue;
        };
        inflated += xml.len() as u64;
        if inflated > limits::MAX_UNZIPPED_BYTES {
            return Err(IngestError::ZipBomb);
        }
        for prefix in [&b"<c"[..], b":c"] {
            cells += memchr::memmem::find_iter(&xml, prefix)
                .filter(|&at| matches!(xml.get(at + 2), Some(b' ' | b'>' | b'/')))
                .count();
        }
        if cells > limits::MAX_SHEET_CELLS {
            return Err(IngestError::TooComplex(format!(
                "表格单元格超过 {} 个",
                limits::MAX_SHEET_CELLS
            )));
        }
        check_references(&xml)?;
    }
    Ok(())
}

/// Refuses cell references (`r="B7"`, `ref="A1:C3"` attributes) that calamine cannot convert
/// safely. It computes them with unchecked arithmetic: more than 3 letters or 7 digits overflow,
/// and a range whose end lies above or left of its start underflows (a panic in a debug build,
/// a wrapped number in a release one). Excel writes neither.
fn check_references(xml: &[u8]) -> Result<(), IngestError> {
    let is_name = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':');
    for eq in memchr::memchr_iter(b'=', xml) {
        let name_end = eq
            - xml[..eq]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
        let name_start = name_end
            - xml[..name_end]
                .iter()
                .rev()
                .take_while(|&&b| is_name(b))
                .count();
        let name = &xml[name_start..name_end];
        let after_space = name_start > 0 && xml[name_start - 1].is_ascii_whitespace();
        if !after_space || !(name == b"r" || name == b"ref") {
            continue;
        }
        let rest = &xml[eq + 1..];
        let open = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let Some(&quote) = rest.get(open) else {
            continue;
        };
        if quote != b'"' && quote != b'\'' {
            continue;
        }
        let value_start = open + 1;
        let Some(len) = memchr::memchr(quote, &rest[value_start..]) else {
            continue;
        };
        let value = &rest[value_start..value_start + len];
        if !is_safe_reference(value) {
            let shown = String::from_utf8_lossy(&value[..value.len().min(40)]).into_owned();
            return Err(IngestError::Damaged(format!(
                "工作表中的单元格引用无效（{shown}）"
            )));
        }
    }
    Ok(())
}

/// A reference calamine converts without overflow: each corner at most 3 letters then at most
/// 7 digits (Excel's last cell is XFD1048576), and a range of two corners from top-left to
/// bottom-right. Other shapes (`$A$1`, `A:A`) are errors calamine reports itself.
fn is_safe_reference(value: &[u8]) -> bool {
    let mut corners = Vec::with_capacity(2);
    let mut parts = 0;
    for part in value.split(|&b| b == b':') {
        parts += 1;
        let letters = part.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let digits = part[letters..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if letters > 3 || digits > 7 {
            return false;
        }
        if letters > 0 && digits > 0 && letters + digits == part.len() {
            let col = part[..letters].iter().fold(0u32, |c, b| {
                c * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
            });
            let row = part[letters..]
                .iter()
                .fold(0u32, |r, b| r * 10 + u32::from(b - b'0'));
            corners.push((row, col));
        }
    }
    match corners.as_slice() {
        [a, b] if parts == 2 => a.0 <= b.0 && a.1 <= b.1,
        _ => true,
    }
}

/// Reads an .xlsx workbook. `bytes` must already have passed [`Archive::open`].
pub(crate) fn read_xlsx(
    bytes: &[u8],
    archive: &mut Archive<'_>,
) -> Result<SourceText, IngestError> {
    check_xlsx_parts(archive)?;
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| xlsx_error(&e))?;
    let names: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let mut budget = CellBudget::default();
    let mut sheets = Vec::new();
    for name in names {
        // Merges only shape the layout; a sheet whose merges cannot be read is laid out without.
        let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
        let mut reader = book
            .worksheet_cells_reader(&name)
            .map_err(|e| xlsx_error(&e))?;
        let mut sheet = SheetCells {
            name,
            merges: merges
                .iter()
                .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
                .collect(),
            ..SheetCells::default()
        };
        while let Some(cell) = reader.next_cell().map_err(|e| xlsx_error(&e))? {
            let text = data_text(cell.get_value());
            if !text.is_empty() {
                budget.take()?;
                sheet.cells.insert(cell.get_position(), text);
            }
        }
        sheets.push(sheet);
    }
    finish(sheets)
}

/// Reads an .xls workbook (BIFF in an OLE2 container).
pub(crate) fn read_xls(bytes: &[u8]) -> Result<SourceText, IngestError> {
    let mut book = Xls::new(Cursor::new(bytes)).map_err(|e| xls_error(&e))?;
    let names: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let mut budget = CellBudget::default();
    let mut sheets = Vec::new();
    for name in names {
        let range = book.worksheet_range(&name).map_err(|e| xls_error(&e))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
        let mut sheet = SheetCells {
            merges: merges
                .iter()
                .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
                .collect(),
            name,
            ..SheetCells::default()
        };
        for (r, c, value) in range.used_cells() {
            let text = owned_data_text(value);
            if !text.is_empty() {
                budget.take()?;
                sheet.cells.insert((row0 + r as u32, col0 + c as u32), text);
            }
        }
        sheets.push(sheet);
    }
    finish(sheets)
}

/// Lays the sheets out as text.
pub(crate) fn finish(sheets: Vec<SheetCells>) -> Result<SourceText, IngestError> {
    source(
        lay_out(&sheets_to_blocks(sheets)?)?,
        SourceKind::Spreadsheet,
    )
}

/// Each non-empty sheet: its name as a paragraph (unless it is a default name and the only
/// sheet), then its rows. A row with a single cell (a title, a heading, a line of narrative) is
/// a paragraph; runs of rows with several cells are tables, laid out on the columns where some
/// cell of that table starts. Columns where no cell of the table starts (the parts of merged
/// cells, columns left empty for spacing) are not written, so a value merged across three sheet
/// columns is one field; a merged cell is written once in its first row and column, followed
/// by empty fields for the columns of the table it covers.
pub(crate) fn sheets_to_blocks(sheets: Vec<SheetCells>) -> Result<Vec<Block>, IngestError> {
    let sheets: Vec<SheetCells> = sheets.into_iter().filter(|s| !s.cells.is_empty()).collect();
    let several = sheets.len() > 1;
    let mut blocks = Vec::new();
    for sheet in sheets {
        if several || !is_default_sheet_name(&sheet.name) {
            blocks.push(Block::Para(sheet.name.clone()));
        }
        sheet_blocks(sheet, &mut blocks);
    }
    Ok(blocks)
}

/// One sheet's rows as paragraphs and tables.
fn sheet_blocks(sheet: SheetCells, blocks: &mut Vec<Block>) {
    // Each row's cells that start something: non-empty cells and the first cell of a merge.
    let mut rows: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
    for ((r, c), text) in sheet.cells {
        rows.entry(r)
            .or_default()
            .insert(c, cell_text(&[Block::Para(text)]));
    }
    for &(r0, c0, _, _) in sheet.merges.iter().take(limits::MAX_SHEET_MERGES) {
        if let Some(row) = rows.get_mut(&r0) {
            row.entry(c0).or_default();
        }
    }
    let mut table: Vec<BTreeMap<u32, String>> = Vec::new();
    for (_, row) in rows {
        let filled: Vec<&String> = row.values().filter(|t| !t.is_empty()).collect();
        if filled.is_empty() {
            continue;
        }
        if row.len() == 1 {
            flush_table(&mut table, blocks);
            blocks.push(Block::Para(filled[0].clone()));
        } else {
            table.push(row);
        }
    }
    flush_table(&mut table, blocks);
}

/// Writes the rows gathered for one table on the columns where its cells start.
fn flush_table(table: &mut Vec<BTreeMap<u32, String>>, blocks: &mut Vec<Block>) {
    if table.is_empty() {
        return;
    }
    let columns: BTreeSet<u32> = table.iter().flat_map(|r| r.keys().copied()).collect();
    let rows = std::mem::take(table)
        .into_iter()
        .map(|row| {
            let last = row.keys().next_back().copied().unwrap_or(0);
            columns
                .iter()
                .take_while(|&&c| c <= last)
                .map(|c| row.get(c).cloned().unwrap_or_default())
                .collect()
        })
        .collect();
    blocks.push(Block::Grid(rows));
}

/// `Sheet1`, `工作表1`, `Sheet`: names that say nothing about the content.
fn is_default_sheet_name(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit());
    matches!(stem, "sheet" | "工作表" | "表" | "")
}

/// A cell's value as the sheet shows it.
pub(crate) fn data_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            s.trim().to_owned()
        }
        DataRef::SharedString(s) => s.trim().to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        DataRef::DateTime(d) => date_text(d.as_f64()),
        DataRef::Error(e) => e.to_string(),
    }
}

/// A cell's value from an eagerly read sheet (.xls), as the sheet shows it.
fn owned_data_text(value: &Data) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) => date_text(d.as_f64()),
        Data::Error(e) => e.to_string(),
    }
}

/// A number with at most 15 significant digits, as Excel shows it: `5`, `12872.06`, `0.5`.
pub(crate) fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    if rounded == rounded.trunc() && rounded.abs() < 1e15 {
        // Whole numbers print without a decimal point; the cast is exact below 2^53.
        return format!("{}", rounded as i64);
    }
    format!("{rounded}")
}

/// An Excel serial date (1900 system) as `YYYY-MM-DD`, with `HH:MM` when it has a time.
fn date_text(serial: f64) -> String {
    if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
        return number_text(serial);
    }
    let days = serial.trunc() as i64;
    // Excel counts 1900-02-29, which did not exist; serial 60 is that day.
    let days_since_1899_12_30 = if days < 60 { days + 1 } else { days };
    let (y, m, d) = civil_from_days(days_since_1899_12_30 - 25_569);
    let minutes = ((serial - serial.trunc()) * 1440.0).round() as i64;
    if minutes == 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}",
            minutes / 60,
            minutes % 60
        )
    }
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn xlsx_error(e: &XlsxError) -> IngestError {
    match e {
        XlsxError::Password => IngestError::Encrypted,
        _ => IngestError::Damaged(format!(
            "无法读取 Excel 工作簿（{e}），请用 Excel/WPS 打开后另存一份"
        )),
    }
}

fn xls_error(e: &XlsError) -> IngestError {
    match e {
        XlsError::Password => IngestError::Encrypted,
        _ => IngestError::Damaged(format!(
            "无法读取旧版 Excel 工作簿（{e}），请用 Excel/WPS 另存为 .xlsx 后再打开"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // References calamine would overflow on (too many letters or digits, a reversed range) are
    // refused; Excel's own references, and shapes calamine rejects itself, pass.
    #[test]
    fn cell_references() {
        for ok in [
            &b"A1"[..],
            b"XFD1048576",
            b"A1:XFD1048576",
            b"B2:B2",
            b"5",
            b"$A$1",
            b"A:A",
            b"",
        ] {
            assert!(is_safe_reference(ok), "{}", String::from_utf8_lossy(ok));
        }
        for bad in [
            &b"F56:H18"[..],
            b"B1:A1",
            b"AAAA1",
            b"A12345678",
            b"1234567890",
            b"AAAAAAAAAAAAA1:B2",
        ] {
            assert!(!is_safe_reference(bad), "{}", String::from_utf8_lossy(bad));
        }
        let sheet = br#"<worksheet><dimension ref="A1:C3"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData><mergeCells><mergeCell ref = 'F56:H18'/></mergeCells></worksheet>"#;
        let err = check_references(sheet).expect_err("reversed merge");
        assert!(err.to_string().contains("F56:H18"), "{err}");
        assert!(check_references(br#"<c r="A1" xr:uid="{1}"><f>A1=B1</f></c>"#).is_ok());
    }

    // Numbers print as the sheet shows them, never as 5.0 or with float noise.
    #[test]
    fn numbers() {
        for (f, want) in [
            (5.0, "5"),
            (0.0, "0"),
            (12872.06, "12872.06"),
            (0.1 + 0.2, "0.3"),
            (-3.5, "-3.5"),
        ] {
            assert_eq!(number_text(f), want, "{f}");
        }
        assert_eq!(date_text(45292.0), "2024-01-01");
    }

    // Sparse cells are laid out on the columns where a cell of their table starts; a row with a
    // single cell is a line of its own; one sheet with a default name gets no title.
    #[test]
    fn layout() {
        let mut sheet = SheetCells {
            name: "Sheet1".into(),
            ..SheetCells::default()
        };
        sheet.cells.insert((3, 1), "行政许可".into());
        sheet.cells.insert((3, 3), "69482".into());
        sheet.cells.insert((4, 1), "行政处罚".into());
        sheet.cells.insert((4, 2), "0".into());
        sheet.cells.insert((6, 2), "7".into());
        let blocks = sheets_to_blocks(vec![sheet]).expect("blocks");
        assert_eq!(
            lay_out(&blocks).expect("layout"),
            "行政许可\t\t69482\n行政处罚\t0\n7\n"
        );
    }

    // A table exported from a web page: each cell merged across several sheet columns, a label
    // merged down two rows, a title row. Columns where no cell starts are not written.
    #[test]
    fn merged_layout() {
        let mut sheet = SheetCells {
            name: "Sheet1".into(),
            ..SheetCells::default()
        };
        sheet
            .cells
            .insert((0, 0), "三、收到和处理政府信息公开申请情况".into());
        sheet.merges.push((0, 0, 0, 11));
        for (c, t) in [
            (0, "三、本年度办理结果"),
            (3, "（一）予以公开"),
            (6, "5"),
            (9, "5"),
        ] {
            sheet.cells.insert((1, c), t.into());
        }
        sheet
            .merges
            .extend([(1, 0, 2, 2), (1, 3, 1, 5), (1, 6, 1, 8), (1, 9, 1, 11)]);
        for (c, t) in [(3, "（二）部分公开"), (9, "0")] {
            sheet.cells.insert((2, c), t.into());
        }
        // (2, 6) is a blank cell merged over three columns: written as one empty field.
        sheet
            .merges
            .extend([(2, 3, 2, 5), (2, 6, 2, 8), (2, 9, 2, 11)]);
        let blocks = sheets_to_blocks(vec![sheet]).expect("blocks");
        assert_eq!(
            lay_out(&blocks).expect("layout"),
            "三、收到和处理政府信息公开申请情况\n\
             三、本年度办理结果\t（一）予以公开\t5\t5\n\
             \t（二）部分公开\t\t0\n"
        );
    }

    // An xlsx written by rust_xlsxwriter reads back with its sheet names, strings and numbers.
    #[test]
    fn xlsx_round_trip() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let s1 = book.add_worksheet().set_name("二、主动公开").expect("name");
        s1.write_string(0, 0, "规章").expect("w");
        s1.write_number(0, 1, 0.0).expect("w");
        s1.write_number(0, 2, 12872.06).expect("w");
        let s2 = book.add_worksheet();
        s2.write_string(1, 0, "行政强制").expect("w");
        s2.write_number(1, 1, 3.0).expect("w");
        let bytes = book.save_to_buffer().expect("save");
        let mut archive = Archive::open(&bytes).expect("zip");
        let src = read_xlsx(&bytes, &mut archive).expect("read");
        assert_eq!(
            src.text,
            "二、主动公开\n规章\t0\t12872.06\nSheet2\n行政强制\t3\n"
        );
    }
}
