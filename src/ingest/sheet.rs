//! Spreadsheets read with calamine (.xlsx streamed cell by cell, .xls): each visible sheet
//! becomes its name on a line (when it says something) and one tab-separated line per row.
//! Numbers are written as the sheet shows them (`5`, not `5.0`).

use super::archive::Archive;
use super::blocks::{Block, Row, Table, TableCell, TextOut};
use super::{IngestError, limits};
use crate::model::{SourceKind, SourceText};
use calamine::{Data, DataRef, Reader, SheetType, SheetVisible, Xls, XlsError, Xlsx, XlsxError};
use std::collections::BTreeMap;
use std::io::Cursor;

/// The non-empty cells of one sheet, by (row, column).
#[derive(Debug, Default)]
pub(crate) struct SheetCells {
    /// The sheet's name.
    pub name: String,
    /// Cell texts by absolute position.
    pub cells: BTreeMap<(u32, u32), String>,
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

/// Reads an .xlsx workbook. `bytes` must already have passed [`Archive::open`].
pub(crate) fn read_xlsx(
    bytes: &[u8],
    archive: &mut Archive<'_>,
) -> Result<SourceText, IngestError> {
    let _ = archive;
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
        let mut reader = book
            .worksheet_cells_reader(&name)
            .map_err(|e| xlsx_error(&e))?;
        let mut sheet = SheetCells {
            name,
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
        let mut sheet = SheetCells {
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
    let blocks = sheets_to_blocks(sheets)?;
    let mut out = TextOut::default();
    out.blocks(&blocks)?;
    let text = out.finish();
    if text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    Ok(SourceText {
        text,
        kind: SourceKind::Spreadsheet,
    })
}

/// Each non-empty sheet: its name as a paragraph (unless it is a default name and the only
/// sheet), then its rows. Columns to the left of the first used column are not written.
pub(crate) fn sheets_to_blocks(sheets: Vec<SheetCells>) -> Result<Vec<Block>, IngestError> {
    let sheets: Vec<SheetCells> = sheets.into_iter().filter(|s| !s.cells.is_empty()).collect();
    let several = sheets.len() > 1;
    let mut blocks = Vec::new();
    for sheet in sheets {
        if several || !is_default_sheet_name(&sheet.name) {
            blocks.push(Block::Para(sheet.name.clone()));
        }
        let first_col = sheet.cells.keys().map(|&(_, c)| c).min().unwrap_or(0);
        let mut table = Table::default();
        let mut current: Option<(u32, Row)> = None;
        for ((r, c), text) in sheet.cells {
            let col = (c - first_col) as usize;
            if col >= limits::MAX_TABLE_COLUMNS {
                return Err(IngestError::TooComplex(format!(
                    "工作表超过 {} 列",
                    limits::MAX_TABLE_COLUMNS
                )));
            }
            if current.as_ref().is_none_or(|(row, _)| *row != r)
                && let Some((_, done)) = current.replace((r, Row::default()))
            {
                table.rows.push(done);
            }
            if let Some((_, row)) = current.as_mut() {
                while row.cells.len() < col {
                    row.cells.push(TableCell::default());
                }
                row.cells.push(TableCell {
                    blocks: vec![Block::Para(text)],
                    ..TableCell::default()
                });
            }
        }
        if let Some((_, done)) = current {
            table.rows.push(done);
        }
        blocks.push(Block::Table(table));
    }
    Ok(blocks)
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

    // Sparse cells are laid out on their columns; one sheet with a default name gets no title.
    #[test]
    fn layout() {
        let mut sheet = SheetCells {
            name: "Sheet1".into(),
            ..SheetCells::default()
        };
        sheet.cells.insert((3, 1), "行政许可".into());
        sheet.cells.insert((3, 3), "69482".into());
        sheet.cells.insert((5, 2), "0".into());
        let blocks = sheets_to_blocks(vec![sheet]).expect("blocks");
        let mut out = TextOut::default();
        out.blocks(&blocks).expect("layout");
        assert_eq!(out.finish(), "行政许可\t\t69482\n\t0\n");
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
