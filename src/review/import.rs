//! Corrections from a workbook: reads the `汇总` sheet of a cleaned workbook exported earlier
//! (or by a colleague) by its row of canonical cell keys, matches each row to an open report,
//! previews which cells would change, and applies them on confirmation as ordinary commits, so
//! they can be undone and are saved like any other correction.

use super::session::{CorrectionValue, ReviewSession, parse_correction};
use crate::model::format_number;
use crate::model::value::is_placeholder;
use crate::model::{Cell, CellKey, ValueKind, parse_number};
use calamine::{Data, Reader, open_workbook_auto_from_rs};
use std::io::Cursor;
use std::path::Path;

/// The sheet with one row per report.
pub const SHEET_SUMMARY: &str = "汇总";

/// Least number of canonical keys a row needs to be taken as the key header row.
const MIN_KEYS_IN_HEADER: usize = 10;

/// How many rows from the top are searched for the key header row.
const HEADER_SEARCH_ROWS: usize = 10;

/// Why a workbook cannot be imported. `Display` is the Chinese sentence shown to the reviewer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Not a workbook calamine can read, or damaged.
    #[error("无法读取工作簿：{0}")]
    Unreadable(String),
    /// The workbook has no `汇总` sheet.
    #[error("工作簿中没有“{SHEET_SUMMARY}”工作表：请选择由本程序导出的整理后工作簿")]
    NoSummarySheet,
    /// The `汇总` sheet has no row of canonical cell keys.
    #[error(
        "“{SHEET_SUMMARY}”工作表中没有单元格编号行（如 requests.new.total）：无法确定各列对应哪个单元格"
    )]
    NoKeyHeader,
}

/// A report the workbook may correct: its path and its session as it is now.
#[derive(Clone, Copy, Debug)]
pub struct ImportTarget<'a> {
    /// The report file.
    pub path: &'a Path,
    /// Its review session.
    pub session: &'a ReviewSession,
}

/// One cell the import would change.
#[derive(Clone, Debug, PartialEq)]
pub struct CellChange {
    /// The cell.
    pub key: CellKey,
    /// The cell as the reviewer sees it now.
    pub from: Cell,
    /// The value from the workbook.
    pub to: CorrectionValue,
}

impl CellChange {
    /// `表三 予以公开 自然人：5 → 6` for the preview list.
    pub fn describe(&self) -> String {
        let from = self.from.raw.as_deref().unwrap_or("（空白）").to_owned();
        format!(
            "{}：{from} → {}",
            self.key.accessible_name(),
            self.to.display()
        )
    }
}

/// What the workbook would change in one report.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportImport {
    /// Index of the report in the targets given to [`preview_import`].
    pub target: usize,
    /// The row in the sheet (1-based, as the spreadsheet program numbers it).
    pub sheet_row: usize,
    /// The file as named in the workbook.
    pub file: String,
    /// Cells that would change.
    pub changes: Vec<CellChange>,
    /// Cells whose workbook text cannot be taken as a value (Chinese, naming the cell).
    pub skipped: Vec<String>,
}

/// What importing a workbook would do, for the reviewer to confirm.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportPreview {
    /// The workbook's name, recorded in each correction's note.
    pub workbook: String,
    /// Per report: the cells that would change (reports with nothing to change are left out).
    pub reports: Vec<ReportImport>,
    /// Rows that match no open report, or several (Chinese, naming the row's file).
    pub unmatched: Vec<String>,
}

impl ImportPreview {
    /// Number of cells that would change in all reports.
    pub fn change_count(&self) -> usize {
        self.reports.iter().map(|r| r.changes.len()).sum()
    }
}

/// The columns of the summary sheet that matter.
struct Columns {
    header_row: usize,
    file: usize,
    agency: Option<usize>,
    year: Option<usize>,
    keys: Vec<(usize, CellKey)>,
}

fn text_of(cell: &Data) -> String {
    match cell {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => format_number(*f),
        _ => String::new(),
    }
}

fn find_columns(rows: &[&[Data]]) -> Option<Columns> {
    let header_row = rows.iter().take(HEADER_SEARCH_ROWS).position(|row| {
        row.iter()
            .filter(|c| CellKey::from_name(&text_of(c)).is_some())
            .count()
            >= MIN_KEYS_IN_HEADER
    })?;
    let keys: Vec<(usize, CellKey)> = rows[header_row]
        .iter()
        .enumerate()
        .filter_map(|(i, c)| CellKey::from_name(&text_of(c)).map(|k| (i, k)))
        .collect();
    let labelled = |names: &[&str]| -> Option<usize> {
        rows[..=header_row].iter().rev().find_map(|row| {
            row.iter()
                .position(|c| names.contains(&text_of(c).to_lowercase().as_str()))
        })
    };
    Some(Columns {
        header_row,
        file: labelled(&["file", "文件", "文件名", "报告文件"]).unwrap_or(0),
        agency: labelled(&["agency", "机构", "机关", "单位", "报告机关", "发布机关"]),
        year: labelled(&["year", "年度", "年份", "报告年度"]),
        keys,
    })
}

/// Matches a workbook row to the open reports: by full path, then by file name, then by agency
/// and year. `Err` tells why no single report matched.
fn match_row(
    file: &str,
    agency: Option<&str>,
    year: Option<i32>,
    targets: &[ImportTarget<'_>],
) -> Result<usize, String> {
    let unique = |found: Vec<usize>| -> Option<Result<usize, String>> {
        match found.len() {
            0 => None,
            1 => Some(Ok(found[0])),
            n => Some(Err(format!(
                "“{file}”对应 {n} 份已打开的报告，无法确定是哪一份"
            ))),
        }
    };
    if !file.is_empty() {
        let by_path: Vec<usize> = (0..targets.len())
            .filter(|&i| targets[i].path.to_string_lossy() == file)
            .collect();
        if let Some(r) = unique(by_path) {
            return r;
        }
        let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
        let by_name: Vec<usize> = (0..targets.len())
            .filter(|&i| {
                targets[i]
                    .path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy() == name)
            })
            .collect();
        if let Some(r) = unique(by_name) {
            return r;
        }
    }
    if let (Some(agency), Some(year)) = (agency.filter(|a| !a.is_empty()), year) {
        let by_body: Vec<usize> = (0..targets.len())
            .filter(|&i| {
                let e = &targets[i].session.extraction;
                e.agency.as_deref() == Some(agency) && e.year == Some(year)
            })
            .collect();
        if let Some(r) = unique(by_body) {
            return r;
        }
    }
    Err(format!("“{file}”不在已打开的报告中"))
}

/// What a workbook cell asks for: a value, or why it cannot be taken.
fn wanted(key: CellKey, cell: &Data, current: &Cell) -> Result<Option<CorrectionValue>, String> {
    let name = key.accessible_name();
    let value = match cell {
        Data::Empty => CorrectionValue::Blank,
        Data::Int(i) => parse_correction(key, &i.to_string())
            .map_err(|e| format!("{name}：工作簿中的 {i} 无法导入（{e}）"))?,
        Data::Float(f) => parse_correction(key, &format_number(*f))
            .map_err(|e| format!("{name}：工作簿中的 {f} 无法导入（{e}）"))?,
        Data::String(s) => {
            let t = s.trim();
            if t.is_empty() {
                CorrectionValue::Blank
            } else if is_placeholder(t) {
                CorrectionValue::NotApplicable
            } else if current.raw.as_deref().map(str::trim) == Some(t) {
                // The printed text itself, e.g. `22（其中修订16件）`: nothing to change.
                return Ok(None);
            } else if let Ok(v) = parse_correction(key, t) {
                v
            } else if let Some(v) = parse_number(t) {
                // A number with a unit or note beside it (`12872.06 万元`).
                parse_correction(key, &format_number(v))
                    .map_err(|e| format!("{name}：工作簿中的“{t}”无法导入（{e}）"))?
            } else {
                return Err(format!("{name}：工作簿中的“{t}”不是数字，未导入"));
            }
        }
        other => {
            return Err(format!(
                "{name}：工作簿中的“{}”不是数字，未导入",
                text_of(other)
            ));
        }
    };
    let unchanged = match value {
        CorrectionValue::Number(v) => current.value == Some(v),
        CorrectionValue::Blank => current.kind() == ValueKind::Blank,
        CorrectionValue::NotApplicable => current.kind() == ValueKind::Placeholder,
    };
    Ok((!unchanged).then_some(value))
}

/// Reads a workbook (its bytes) and lists, per open report, the cells it would change.
/// Nothing is changed until [`apply_import`].
pub fn preview_import(
    bytes: &[u8],
    workbook_name: &str,
    targets: &[ImportTarget<'_>],
) -> Result<ImportPreview, ImportError> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ImportError::Unreadable(e.to_string()))?;
    if !workbook.sheet_names().iter().any(|n| n == SHEET_SUMMARY) {
        return Err(ImportError::NoSummarySheet);
    }
    let range = workbook
        .worksheet_range(SHEET_SUMMARY)
        .map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let rows: Vec<&[Data]> = range.rows().collect();
    let columns = find_columns(&rows).ok_or(ImportError::NoKeyHeader)?;
    let mut preview = ImportPreview {
        workbook: workbook_name.to_owned(),
        ..ImportPreview::default()
    };
    let mut seen = vec![false; targets.len()];
    for (offset, row) in rows.iter().enumerate().skip(columns.header_row + 1) {
        let cell = |i: usize| row.get(i).unwrap_or(&Data::Empty);
        let file = text_of(cell(columns.file));
        let has_values = columns
            .keys
            .iter()
            .any(|(i, _)| !matches!(cell(*i), Data::Empty));
        if file.is_empty() && !has_values {
            continue;
        }
        let agency = columns.agency.map(|i| text_of(cell(i)));
        let year = columns
            .year
            .and_then(|i| text_of(cell(i)).parse::<i32>().ok());
        let sheet_row = first_row + offset + 1;
        let target = match match_row(&file, agency.as_deref(), year, targets) {
            Ok(t) => t,
            Err(why) => {
                preview.unmatched.push(format!("第 {sheet_row} 行：{why}"));
                continue;
            }
        };
        if std::mem::replace(&mut seen[target], true) {
            preview.unmatched.push(format!(
                "第 {sheet_row} 行：“{file}”在工作簿中出现多次，只采用第一次"
            ));
            continue;
        }
        let session = targets[target].session;
        let mut changes = Vec::new();
        let mut skipped = Vec::new();
        for &(i, key) in &columns.keys {
            let current = session.effective_cell(key);
            match wanted(key, cell(i), &current) {
                Ok(Some(to)) => changes.push(CellChange {
                    key,
                    from: current,
                    to,
                }),
                Ok(None) => {}
                Err(why) => skipped.push(why),
            }
        }
        if !changes.is_empty() || !skipped.is_empty() {
            preview.reports.push(ReportImport {
                target,
                sheet_row,
                file,
                changes,
                skipped,
            });
        }
    }
    Ok(preview)
}

/// Commits one report's changes, one ordinary commit per cell (each undoable), with a note
/// naming the workbook. Returns how many cells changed. The caller saves the session.
pub fn apply_import(changes: &ReportImport, workbook: &str, session: &mut ReviewSession) -> usize {
    let note = format!("从工作簿“{workbook}”导入");
    changes
        .changes
        .iter()
        .filter(|c| session.commit(c.key, c.to, Some(note.clone())))
        .count()
}
