//! [`ExportReport`]s → the cleaned workbook as xlsx bytes: one sheet per report with its three
//! tables in the printed layout (corrected cells filled and annotated, cells with open findings
//! marked by severity), then `问题清单`, `修改记录`, `汇总` and `说明`; and `历年对照` when a body
//! has reports of several years.

use super::layout::{
    COLUMN_WIDTHS, LabelStyle, META_ROW, ReportLayout, TITLE_ROW, ValuePosition, report_layout,
};
use super::report::{ExportCell, ExportFinding, ExportReport};
use super::sheet_name::SheetNamer;
use crate::check::compare::{body_name, cells_differ, is_jump};
use crate::check::{Cause, Severity};
use crate::ingest::fs::{WriteError, write_atomic};
use crate::model::format_number;
use crate::model::{Cell, CellKey, LAST_KEY, TableId, ValueKind};
use crate::review::{CorrectionValue, Edit};
use rust_xlsxwriter::utility::{quote_sheet_name, row_col_to_cell};
use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, Note, Url, Workbook, Worksheet, XlsxError,
};
use std::borrow::Cow;
use std::path::Path;

/// Name of the sheet with one row per report (written when there is more than one report). It
/// is defined beside the import that reads it back, a layer below.
pub use crate::review::import::SHEET_SUMMARY;
/// Name of the sheet listing every finding.
pub const SHEET_FINDINGS: &str = "问题清单";
/// Name of the sheet listing every committed correction.
pub const SHEET_TRAIL: &str = "修改记录";
/// Name of the sheet with the tool version, export time and source hashes.
pub const SHEET_ABOUT: &str = "说明";
/// Name of the sheet comparing a body's years, written when a body has several.
pub const SHEET_YEARS: &str = "历年对照";

/// Fill of a cell whose value changed from the year before in `历年对照`.
pub const CHANGED_FILL: u32 = 0xFFEB9C;
/// Fill of a cell that jumped (×5 or more) from the year before in `历年对照`.
pub const JUMP_FILL: u32 = 0xF8CBAD;

/// Fill of a corrected cell.
pub const CORRECTED_FILL: u32 = 0xC6EFCE;

/// Fill of a cell with an open finding of this severity.
pub fn severity_fill(severity: Severity) -> u32 {
    match severity {
        Severity::Error => 0xFFC7CE,
        Severity::Warning => 0xFFEB9C,
        Severity::Info => 0xE4DFEC,
    }
}

/// Border and text colour that goes with [`severity_fill`].
fn severity_ink(severity: Severity) -> u32 {
    match severity {
        Severity::Error => 0xC00000,
        Severity::Warning => 0xB26B00,
        Severity::Info => 0x7030A0,
    }
}

/// The fixed headers of `问题清单`.
pub const FINDINGS_HEADERS: [&str; 19] = [
    "序号",
    "报告文件",
    "机构",
    "年度",
    "工作表",
    "严重程度",
    "规则",
    "涉及单元格",
    "单元格名称",
    "说明（公式与数字）",
    "应为",
    "实为",
    "差额（实为−应为）",
    "可能原因",
    "审校结论",
    "结论备注",
    "结论时间",
    "建议修改（未采纳）",
    "由此引起的问题",
];

/// The fixed headers of `修改记录`.
pub const TRAIL_HEADERS: [&str; 12] = [
    "序号",
    "报告文件",
    "机构",
    "年度",
    "工作表",
    "单元格",
    "单元格名称",
    "原文（读取值）",
    "修改前",
    "修改后",
    "修改时间",
    "备注",
];

/// The first columns of `汇总`: Chinese header and machine name.
pub const SUMMARY_FIXED: [(&str, &str); 11] = [
    ("文件", "file"),
    ("机构", "agency"),
    ("年度", "year"),
    ("审校状态", "status"),
    ("读到的表", "tables_found"),
    ("错误", "errors"),
    ("警告", "warnings"),
    ("提示", "infos"),
    ("待处理问题", "pending"),
    ("修改单元格", "corrected_cells"),
    ("工作表", "sheet"),
];

/// A file that could not be read, listed in `说明`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreadableFile {
    /// The file as given.
    pub file: String,
    /// Why, in Chinese.
    pub reason: String,
}

/// What the workbook says about the export itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportInfo {
    /// When the export was made.
    pub exported_at: jiff::Timestamp,
    /// Inputs that could not be read.
    pub unreadable: Vec<UnreadableFile>,
    /// Other remarks for the reader (e.g. a saved review that could not be loaded).
    pub notices: Vec<String>,
}

impl ExportInfo {
    /// Info stamped with the current time.
    pub fn now() -> Self {
        Self {
            exported_at: jiff::Timestamp::now(),
            unreadable: Vec::new(),
            notices: Vec::new(),
        }
    }
}

/// Why a workbook could not be exported.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// There was no report to export.
    #[error("没有可导出的报告")]
    NoReports,
    /// The workbook could not be assembled (an Excel limit was exceeded).
    #[error("生成工作簿时出错：{0}")]
    Workbook(String),
    /// The file could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl From<XlsxError> for ExportError {
    fn from(e: XlsxError) -> Self {
        ExportError::Workbook(e.to_string())
    }
}

/// Writes the workbook and saves it atomically at `path`.
pub fn save_workbook(
    path: &Path,
    reports: &[ExportReport],
    info: &ExportInfo,
) -> Result<(), ExportError> {
    let bytes = workbook_bytes(reports, info)?;
    write_atomic(path, &bytes).map_err(ExportError::Write)
}

/// The names of the report sheets, in report order: agency and year, shortened and made unique
/// within Excel's rules.
pub fn report_sheet_names(reports: &[ExportReport]) -> Vec<String> {
    let mut namer = SheetNamer::new(&[
        SHEET_SUMMARY,
        SHEET_FINDINGS,
        SHEET_TRAIL,
        SHEET_ABOUT,
        SHEET_YEARS,
    ]);
    reports
        .iter()
        .map(|r| {
            let base = match &r.agency {
                Some(a) if !a.trim().is_empty() => a.clone(),
                _ => {
                    let name = r.file_name();
                    name.rsplit_once('.').map_or(name, |(s, _)| s).to_owned()
                }
            };
            let suffix = r.year.map(|y| y.to_string()).unwrap_or_default();
            namer.name(&base, &suffix)
        })
        .collect()
}

/// A time as the reviewer reads it, in the computer's time zone (`2025-01-10 14:03:07`).
pub fn display_time(t: jiff::Timestamp) -> String {
    local_time(t).strftime("%Y-%m-%d %H:%M:%S").to_string()
}

/// A time on the computer's clock, as Excel keeps dates (without a time zone).
pub fn local_time(t: jiff::Timestamp) -> jiff::civil::DateTime {
    t.to_zoned(jiff::tz::TimeZone::system()).datetime()
}

/// The number format of the time columns (修改时间, 结论时间): Excel shows the date and time
/// the way [`display_time`] writes them, and sorts and filters them as dates.
pub const TIME_FORMAT: &str = "yyyy-mm-dd hh:mm:ss";

/// A cell's raw text for logs: the text as printed, or `（空白）`.
pub fn raw_display(cell: &Cell) -> String {
    match cell.raw.as_deref().map(str::trim) {
        Some(raw) if !raw.is_empty() => raw.to_owned(),
        _ => "（空白）".to_owned(),
    }
}

/// The note attached to a value cell: the correction (original value, new value, time, note),
/// the printed text when the number had a unit or remark beside it, and the reviewer's cell note.
pub fn cell_note(cell: &ExportCell) -> Option<String> {
    let mut lines = Vec::new();
    if let Some(c) = &cell.correction {
        lines.push(format!("原值：{}", raw_display(&cell.original)));
        lines.push(format!("修改为：{}", c.value.display()));
        lines.push(format!("修改时间：{}", display_time(c.at)));
        if let Some(note) = &c.note {
            lines.push(format!("备注：{note}"));
        }
        if c.edits > 1 {
            lines.push(format!("（共修改 {} 次，详见“修改记录”）", c.edits));
        }
    } else if cell.value.is_annotated()
        && let Some(raw) = &cell.value.raw
    {
        lines.push(format!("原文：{raw}"));
    }
    if let Some(note) = &cell.note {
        lines.push(format!("审校批注：{note}"));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The formats of one workbook, made once.
struct Styles {
    title: Format,
    meta: Format,
    section: Format,
    missing: Format,
    clause: Format,
    header: Format,
    label: Format,
    /// Value formats by `[corrected][severity: none, error, warning, info]`.
    values: [[Format; 4]; 2],
    text: Format,
    wrap: Format,
    number: Format,
    time: Format,
    bold: Format,
    link: Format,
    severity: [Format; 3],
}

fn severity_index(s: Option<Severity>) -> usize {
    match s {
        None => 0,
        Some(Severity::Error) => 1,
        Some(Severity::Warning) => 2,
        Some(Severity::Info) => 3,
    }
}

impl Styles {
    fn new() -> Self {
        let boxed = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        let value = boxed.clone().set_align(FormatAlign::Center);
        let severities = [Severity::Error, Severity::Warning, Severity::Info];
        let value_for = |corrected: bool, s: Option<Severity>| {
            let mut f = value.clone();
            if corrected {
                f = f.set_background_color(Color::RGB(CORRECTED_FILL));
            }
            if let Some(s) = s {
                f = f
                    .set_border(FormatBorder::Medium)
                    .set_border_color(Color::RGB(severity_ink(s)));
                if !corrected {
                    f = f
                        .set_background_color(Color::RGB(severity_fill(s)))
                        .set_font_color(Color::RGB(severity_ink(s)));
                }
            }
            f
        };
        let row = |corrected| {
            [
                value_for(corrected, None),
                value_for(corrected, Some(Severity::Error)),
                value_for(corrected, Some(Severity::Warning)),
                value_for(corrected, Some(Severity::Info)),
            ]
        };
        let top = Format::new().set_align(FormatAlign::Top);
        Self {
            title: Format::new().set_bold().set_font_size(14),
            meta: Format::new().set_font_color(Color::RGB(0x595959)),
            section: Format::new().set_bold().set_font_size(12),
            missing: Format::new().set_font_color(Color::RGB(severity_ink(Severity::Error))),
            clause: boxed
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xF2F2F2)),
            header: boxed
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap()
                .set_background_color(Color::RGB(0xD9E1F2)),
            label: boxed.clone().set_text_wrap(),
            values: [row(false), row(true)],
            text: top.clone(),
            wrap: top.clone().set_text_wrap(),
            number: top.clone(),
            time: top.clone().set_num_format(TIME_FORMAT),
            bold: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border(FormatBorder::Thin),
            link: top
                .clone()
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
            severity: severities.map(|s| {
                top.clone()
                    .set_background_color(Color::RGB(severity_fill(s)))
                    .set_font_color(Color::RGB(severity_ink(s)))
            }),
        }
    }
}

/// Excel's limit on the characters in one cell (and one note).
pub const MAX_CELL_CHARS: usize = 32_767;

/// Text cut to what one Excel cell holds, ending in `…` when cut, so that a hostile or broken
/// report cannot make the whole export fail.
pub fn clip(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        None => Cow::Borrowed(text),
        Some(_) => {
            let keep: String = text.chars().take(MAX_CELL_CHARS - 1).collect();
            Cow::Owned(keep + "…")
        }
    }
}

/// An internal hyperlink to a cell of a sheet.
fn internal_link(sheet: &str, row: u32, col: u16) -> Url {
    Url::new(format!(
        "internal:{}!{}",
        quote_sheet_name(sheet),
        row_col_to_cell(row, col)
    ))
}

/// Excel allows at most this many hyperlinks on one sheet.
const MAX_LINKS: u32 = 65_000;

/// The order of the sheets: with one report its sheet comes first and `汇总` last (kept so that
/// corrections can be imported back from any exported workbook); with several, `汇总`,
/// `问题清单`, `修改记录` and `说明` come first and the reports follow. `历年对照`, when written
/// (see [`bodies_with_years`]), comes after all of these.
pub fn sheet_order(report_sheets: &[String]) -> Vec<String> {
    let fixed = [SHEET_FINDINGS, SHEET_TRAIL, SHEET_ABOUT].map(str::to_owned);
    if report_sheets.len() == 1 {
        report_sheets
            .iter()
            .cloned()
            .chain(fixed)
            .chain(std::iter::once(SHEET_SUMMARY.to_owned()))
            .collect()
    } else {
        std::iter::once(SHEET_SUMMARY.to_owned())
            .chain(fixed)
            .chain(report_sheets.iter().cloned())
            .collect()
    }
}

/// Builds the workbook in memory.
pub fn workbook_bytes(reports: &[ExportReport], info: &ExportInfo) -> Result<Vec<u8>, ExportError> {
    if reports.is_empty() {
        return Err(ExportError::NoReports);
    }
    let styles = Styles::new();
    let names = report_sheet_names(reports);
    let mut workbook = Workbook::new();
    for name in sheet_order(&names) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(&name)?;
        match name.as_str() {
            SHEET_SUMMARY => summary_sheet(sheet, reports, &names, &styles)?,
            SHEET_FINDINGS => findings_sheet(sheet, reports, &names, &styles)?,
            SHEET_TRAIL => trail_sheet(sheet, reports, &names, &styles)?,
            SHEET_ABOUT => about_sheet(sheet, reports, &names, info, &styles)?,
            _ => {
                // Report sheet names never equal the fixed names (the namer reserves them).
                if let Some(i) = names.iter().position(|n| *n == name) {
                    report_sheet(sheet, &reports[i], &styles)?;
                }
            }
        }
    }
    let bodies = bodies_with_years(reports);
    if !bodies.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet.set_name(SHEET_YEARS)?;
        years_sheet(sheet, reports, &bodies, &styles)?;
    }
    if let Some(first) = workbook.worksheets_mut().first_mut() {
        first.set_active(true);
    }
    Ok(workbook.save_to_buffer()?)
}

/// The title of a report sheet.
pub fn report_title(report: &ExportReport) -> String {
    let who = report
        .agency
        .clone()
        .unwrap_or_else(|| report.file_name().to_owned());
    match report.year {
        Some(y) => format!("{who} {y}年政府信息公开工作年度报告 · 统计表（审校后）"),
        None => format!("{who} 政府信息公开工作年度报告 · 统计表（审校后）"),
    }
}

/// The line under the title: file, status, counts.
pub fn report_meta(report: &ExportReport) -> String {
    let c = report.counts();
    format!(
        "文件：{}　审校状态：{}　问题：错误 {}、警告 {}、提示 {}（待处理 {}）　修改：{} 个单元格",
        report.file_name(),
        report.status_label(),
        c.errors,
        c.warnings,
        c.infos,
        c.pending,
        c.corrected_cells
    )
}

/// The remark written beside a section heading when the table was not found in the report.
pub const TABLE_MISSING: &str = "（原报告中未找到此表，单元格留空）";

fn report_sheet(
    sheet: &mut Worksheet,
    report: &ExportReport,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let layout = report_layout();
    for (c, w) in COLUMN_WIDTHS.iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    for (row, height) in &layout.row_heights {
        sheet.set_row_height(*row, *height)?;
    }
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.write_string_with_format(TITLE_ROW, 0, clip(&report_title(report)), &styles.title)?;
    sheet.write_string_with_format(META_ROW, 0, clip(&report_meta(report)), &styles.meta)?;
    for label in &layout.labels {
        let format = match label.style {
            LabelStyle::Section => &styles.section,
            LabelStyle::Clause => &styles.clause,
            LabelStyle::Header => &styles.header,
            LabelStyle::Row => &styles.label,
        };
        if label.is_merged() {
            sheet.merge_range(
                label.row,
                label.col,
                label.last_row,
                label.last_col,
                label.text,
                format,
            )?;
        } else {
            sheet.write_string_with_format(label.row, label.col, label.text, format)?;
        }
    }
    for (table, row) in TableId::ALL.iter().zip(layout.section_rows) {
        if !report.tables_found.contains(table) {
            sheet.write_string_with_format(row, 3, TABLE_MISSING, &styles.missing)?;
        }
    }
    let severities = report.open_severities();
    for key in CellKey::all() {
        let cell = report.cell(key);
        let corrected = usize::from(cell.correction.is_some());
        let format = &styles.values[corrected][severity_index(severities[key.index()])];
        let pos = layout.position(key);
        write_value(sheet, pos, &cell.value, format)?;
        if let Some(text) = cell_note(cell) {
            let lines = text.lines().count() as u32;
            let note = Note::new(clip(&text))
                .add_author_prefix(false)
                .set_width(300)
                .set_height(20 + 18 * lines.max(3));
            sheet.insert_note(pos.row, pos.col, &note)?;
        }
    }
    Ok(())
}

/// What a cell is written as.
enum Written<'a> {
    Number(f64),
    Text(Cow<'a, str>),
    Blank,
}

/// Numbers as numbers, placeholders and other text as printed, blank as blank. A number too
/// large for a float (a run of hundreds of digits) keeps its printed text.
fn written(cell: &Cell) -> Written<'_> {
    match (cell.kind(), cell.value, cell.raw.as_deref()) {
        (ValueKind::Zero | ValueKind::Number, Some(v), _) if v.is_finite() => Written::Number(v),
        (_, _, Some(raw)) if !raw.trim().is_empty() => Written::Text(clip(raw)),
        _ => Written::Blank,
    }
}

/// Writes one value in its table position (merged across its columns where the template does).
fn write_value(
    sheet: &mut Worksheet,
    pos: ValuePosition,
    cell: &Cell,
    format: &Format,
) -> Result<(), XlsxError> {
    if pos.last_col > pos.col {
        sheet.merge_range(pos.row, pos.col, pos.row, pos.last_col, "", format)?;
    }
    match written(cell) {
        Written::Number(v) => sheet.write_number_with_format(pos.row, pos.col, v, format)?,
        Written::Text(t) => sheet.write_string_with_format(pos.row, pos.col, t, format)?,
        Written::Blank => sheet.write_blank(pos.row, pos.col, format)?,
    };
    Ok(())
}

/// Writes a value in the summary, with a fill when the cell was corrected.
fn write_plain_value(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    match (written(cell), format) {
        (Written::Number(v), Some(f)) => sheet.write_number_with_format(row, col, v, f)?,
        (Written::Number(v), None) => sheet.write_number(row, col, v)?,
        (Written::Text(t), Some(f)) => sheet.write_string_with_format(row, col, t, f)?,
        (Written::Text(t), None) => sheet.write_string(row, col, t)?,
        (Written::Blank, Some(f)) => sheet.write_blank(row, col, f)?,
        (Written::Blank, None) => sheet,
    };
    Ok(())
}

fn write_headers(
    sheet: &mut Worksheet,
    row: u32,
    headers: &[&str],
    widths: &[f64],
    styles: &Styles,
) -> Result<(), XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(row, c as u16, *h, &styles.bold)?;
        if let Some(w) = widths.get(c) {
            sheet.set_column_width(c as u16, *w)?;
        }
    }
    Ok(())
}

fn write_opt_number(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<f64>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    if let Some(v) = v {
        sheet.write_number_with_format(row, col, v, &styles.number)?;
    }
    Ok(())
}

fn write_year(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    year: Option<i32>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    write_opt_number(sheet, row, col, year.map(f64::from), styles)
}

/// 报告原文有误, 读取有误, 无法判断.
pub fn cause_label(cause: Cause) -> &'static str {
    match cause {
        Cause::Source => "报告原文有误",
        Cause::Extraction => "读取有误",
        Cause::Unknown => "无法判断",
    }
}

/// The difference found − expected, rounded to hide floating-point noise in decimal fees.
pub fn difference(expected: Option<f64>, found: Option<f64>) -> Option<f64> {
    let (e, f) = (expected?, found?);
    Some(((f - e) * 1e6).round() / 1e6)
}

/// Cell names joined for a log column.
pub fn keys_text(keys: &[CellKey]) -> String {
    keys.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
}

/// Chinese cell names joined for a log column.
pub fn labels_text(keys: &[CellKey]) -> String {
    keys.iter()
        .map(|k| k.accessible_name())
        .collect::<Vec<_>>()
        .join("、")
}

fn findings_sheet(
    sheet: &mut Worksheet,
    reports: &[ExportReport],
    names: &[String],
    styles: &Styles,
) -> Result<(), XlsxError> {
    let widths = [
        6.0, 28.0, 24.0, 7.0, 20.0, 9.0, 22.0, 30.0, 30.0, 60.0, 9.0, 9.0, 10.0, 12.0, 10.0, 24.0,
        19.0, 36.0, 60.0,
    ];
    write_headers(sheet, 0, &FINDINGS_HEADERS, &widths, styles)?;
    sheet.set_row_height(0, 30)?;
    let layout = report_layout();
    let mut row = 1u32;
    for (report, name) in reports.iter().zip(names) {
        for f in &report.findings {
            findings_row(sheet, row, report, name, f, layout, styles)?;
            row += 1;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(
        0,
        0,
        row.saturating_sub(1),
        FINDINGS_HEADERS.len() as u16 - 1,
    )?;
    Ok(())
}

fn findings_row(
    sheet: &mut Worksheet,
    row: u32,
    report: &ExportReport,
    name: &str,
    f: &ExportFinding,
    layout: &ReportLayout,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let finding = &f.finding;
    sheet.write_number_with_format(row, 0, f64::from(row), &styles.number)?;
    sheet.write_string_with_format(row, 1, clip(&report.file), &styles.text)?;
    sheet.write_string_with_format(
        row,
        2,
        clip(report.agency.as_deref().unwrap_or("")),
        &styles.text,
    )?;
    write_year(sheet, row, 3, report.year, styles)?;
    write_sheet_link(
        sheet,
        row,
        4,
        name,
        finding.keys.first().copied(),
        layout,
        styles,
    )?;
    let s = finding.severity;
    sheet.write_string_with_format(
        row,
        5,
        s.label(),
        &styles.severity[severity_index(Some(s)) - 1],
    )?;
    sheet.write_string_with_format(row, 6, clip(&finding.rule), &styles.text)?;
    sheet.write_string_with_format(row, 7, clip(&keys_text(&finding.keys)), &styles.wrap)?;
    sheet.write_string_with_format(row, 8, clip(&labels_text(&finding.keys)), &styles.wrap)?;
    sheet.write_string_with_format(row, 9, clip(&finding.message), &styles.wrap)?;
    write_opt_number(sheet, row, 10, finding.expected, styles)?;
    write_opt_number(sheet, row, 11, finding.found, styles)?;
    write_opt_number(
        sheet,
        row,
        12,
        difference(finding.expected, finding.found),
        styles,
    )?;
    sheet.write_string_with_format(row, 13, cause_label(finding.cause), &styles.text)?;
    sheet.write_string_with_format(row, 14, f.verdict_label(), &styles.text)?;
    if let Some(v) = &f.verdict {
        if let Some(note) = &v.note {
            sheet.write_string_with_format(row, 15, clip(note), &styles.wrap)?;
        }
        sheet.write_datetime_with_format(row, 16, local_time(v.at), &styles.time)?;
    }
    // A suggestion still here was not taken (one taken is in 修改记录, noted 按建议修改, and its
    // finding is gone).
    if let Some(suggestion) = &finding.suggestion {
        let changes: Vec<String> = suggestion
            .changes
            .iter()
            .map(|c| format!("{} → {}", c.key.label(), format_number(c.value)))
            .collect();
        let text = format!(
            "{}（{} 个等式随之成立）",
            changes.join("；"),
            suggestion.restores
        );
        sheet.write_string_with_format(row, 17, clip(&text), &styles.wrap)?;
    }
    if !finding.covers.is_empty() {
        let covered: Vec<&str> = finding.covers.iter().map(|c| c.message.as_str()).collect();
        sheet.write_string_with_format(row, 18, clip(&covered.join("\n")), &styles.wrap)?;
    }
    Ok(())
}

/// Writes the report's sheet name, linked to the cell `key` on it (or to its top).
fn write_sheet_link(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    name: &str,
    key: Option<CellKey>,
    layout: &ReportLayout,
    styles: &Styles,
) -> Result<(), XlsxError> {
    if row >= MAX_LINKS {
        sheet.write_string_with_format(row, col, name, &styles.text)?;
        return Ok(());
    }
    let (r, c) = key.map_or((0, 0), |k| {
        let p = layout.position(k);
        (p.row, p.col)
    });
    sheet.write_url_with_format(
        row,
        col,
        internal_link(name, r, c).set_text(name),
        &styles.link,
    )?;
    Ok(())
}

fn trail_sheet(
    sheet: &mut Worksheet,
    reports: &[ExportReport],
    names: &[String],
    styles: &Styles,
) -> Result<(), XlsxError> {
    let widths = [
        6.0, 28.0, 24.0, 7.0, 20.0, 34.0, 28.0, 16.0, 12.0, 12.0, 19.0, 36.0,
    ];
    write_headers(sheet, 0, &TRAIL_HEADERS, &widths, styles)?;
    let layout = report_layout();
    let mut row = 1u32;
    for (report, name) in reports.iter().zip(names) {
        for edit in &report.trail {
            trail_row(sheet, row, report, name, edit, layout, styles)?;
            row += 1;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, row.saturating_sub(1), TRAIL_HEADERS.len() as u16 - 1)?;
    Ok(())
}

fn trail_row(
    sheet: &mut Worksheet,
    row: u32,
    report: &ExportReport,
    name: &str,
    edit: &Edit,
    layout: &ReportLayout,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.write_number_with_format(row, 0, f64::from(row), &styles.number)?;
    sheet.write_string_with_format(row, 1, clip(&report.file), &styles.text)?;
    sheet.write_string_with_format(
        row,
        2,
        clip(report.agency.as_deref().unwrap_or("")),
        &styles.text,
    )?;
    write_year(sheet, row, 3, report.year, styles)?;
    write_sheet_link(sheet, row, 4, name, Some(edit.key), layout, styles)?;
    sheet.write_string_with_format(row, 5, edit.key.name(), &styles.text)?;
    sheet.write_string_with_format(row, 6, edit.key.accessible_name(), &styles.text)?;
    let original = &report.cell(edit.key).original;
    sheet.write_string_with_format(row, 7, clip(&raw_display(original)), &styles.text)?;
    sheet.write_string_with_format(row, 8, clip(&raw_display(&edit.before)), &styles.text)?;
    match edit.value {
        CorrectionValue::Number(v) => sheet.write_number_with_format(row, 9, v, &styles.number)?,
        other => sheet.write_string_with_format(row, 9, other.display(), &styles.text)?,
    };
    sheet.write_datetime_with_format(row, 10, local_time(edit.at), &styles.time)?;
    if let Some(note) = &edit.note {
        sheet.write_string_with_format(row, 11, clip(note), &styles.wrap)?;
    }
    Ok(())
}

/// `表二、表三、表四`, or `（无）`.
pub fn tables_text(tables: &[TableId]) -> String {
    if tables.is_empty() {
        "（无）".to_owned()
    } else {
        tables
            .iter()
            .map(|t| t.label())
            .collect::<Vec<_>>()
            .join("、")
    }
}

fn summary_sheet(
    sheet: &mut Worksheet,
    reports: &[ExportReport],
    names: &[String],
    styles: &Styles,
) -> Result<(), XlsxError> {
    let fixed = SUMMARY_FIXED.len() as u16;
    let fixed_widths = [28.0, 24.0, 7.0, 9.0, 14.0, 6.0, 6.0, 6.0, 9.0, 9.0, 20.0];
    for (c, (label, machine)) in SUMMARY_FIXED.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, *label, &styles.bold)?;
        sheet.write_string_with_format(1, c, *machine, &styles.bold)?;
        sheet.set_column_width(c, fixed_widths[c as usize])?;
    }
    for key in CellKey::all() {
        let c = fixed + key.index() as u16;
        sheet.write_string_with_format(0, c, key.accessible_name(), &styles.bold)?;
        sheet.write_string_with_format(1, c, key.name(), &styles.bold)?;
    }
    sheet.set_column_range_width(fixed, fixed + LAST_KEY as u16, 12.0)?;
    sheet.set_row_height(0, 45)?;
    let corrected = Format::new().set_background_color(Color::RGB(CORRECTED_FILL));
    let layout = report_layout();
    for (i, (report, name)) in reports.iter().zip(names).enumerate() {
        let row = 2 + i as u32;
        let counts = report.counts();
        sheet.write_string(row, 0, clip(&report.file))?;
        sheet.write_string(row, 1, clip(report.agency.as_deref().unwrap_or("")))?;
        if let Some(y) = report.year {
            sheet.write_number(row, 2, f64::from(y))?;
        }
        sheet.write_string(row, 3, report.status_label())?;
        sheet.write_string(row, 4, tables_text(&report.tables_found))?;
        for (c, n) in [
            counts.errors,
            counts.warnings,
            counts.infos,
            counts.pending,
            counts.corrected_cells,
        ]
        .into_iter()
        .enumerate()
        {
            sheet.write_number(row, 5 + c as u16, n as f64)?;
        }
        write_sheet_link(sheet, row, 10, name, None, layout, styles)?;
        for key in CellKey::all() {
            let cell = report.cell(key);
            let format = cell.correction.as_ref().map(|_| &corrected);
            write_plain_value(sheet, row, fixed + key.index() as u16, &cell.value, format)?;
        }
    }
    let last_row = 1 + reports.len() as u32;
    sheet.set_freeze_panes(2, 2)?;
    sheet.autofilter(1, 0, last_row, fixed + LAST_KEY as u16)?;
    Ok(())
}

/// The bodies with reports of two or more years, in order of first appearance: the body's name
/// and its reports' indices, one per year (the first given), ascending by year.
pub fn bodies_with_years(reports: &[ExportReport]) -> Vec<(String, Vec<usize>)> {
    let mut bodies: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, r) in reports.iter().enumerate() {
        let (Some(body), Some(year)) = (r.agency.as_deref().and_then(body_name), r.year) else {
            continue;
        };
        let members = match bodies.iter_mut().find(|(b, _)| *b == body) {
            Some((_, m)) => m,
            None => {
                bodies.push((body, Vec::new()));
                match bodies.last_mut() {
                    Some((_, m)) => m,
                    None => continue,
                }
            }
        };
        if !members.iter().any(|&j| reports[j].year == Some(year)) {
            members.push(i);
        }
    }
    bodies.retain(|(_, m)| m.len() > 1);
    for (_, m) in &mut bodies {
        m.sort_by_key(|&j| reports[j].year);
    }
    bodies
}

/// `历年对照`: for each body with several years a block of 200 rows (one per cell) with one
/// column per year; a value that changed from the year before is filled (a jump more
/// strongly) and carries a note with the earlier value, and the `变化` column says so in words
/// for filtering.
fn years_sheet(
    sheet: &mut Worksheet,
    reports: &[ExportReport],
    bodies: &[(String, Vec<usize>)],
    styles: &Styles,
) -> Result<(), XlsxError> {
    let changed = Format::new().set_background_color(Color::RGB(CHANGED_FILL));
    let jumped = Format::new().set_background_color(Color::RGB(JUMP_FILL));
    let widest = bodies.iter().map(|(_, m)| m.len()).max().unwrap_or(0);
    sheet.set_column_width(0, 24.0)?;
    sheet.set_column_width(1, 30.0)?;
    sheet.set_column_width(2, 34.0)?;
    sheet.set_column_range_width(3, 3 + widest as u16, 10.0)?;
    let mut row = 0u32;
    for (body, members) in bodies {
        let mut headers: Vec<String> = vec!["机关".into(), "单元格".into(), "key".into()];
        headers.extend(members.iter().map(|&j| {
            reports[j]
                .year
                .map(|y| format!("{y}年"))
                .unwrap_or_default()
        }));
        headers.push("变化".into());
        for (c, h) in headers.iter().enumerate() {
            sheet.write_string_with_format(row, c as u16, h, &styles.bold)?;
        }
        row += 1;
        for key in CellKey::all() {
            sheet.write_string(row, 0, clip(body))?;
            sheet.write_string(row, 1, key.accessible_name())?;
            sheet.write_string(row, 2, key.name())?;
            let mut what = "";
            let mut previous: Option<&Cell> = None;
            for (n, &j) in members.iter().enumerate() {
                let cell = &reports[j].cell(key).value;
                let col = 3 + n as u16;
                let step = previous.map(|p| {
                    let jump = matches!((p.value, cell.value), (Some(a), Some(b)) if is_jump(a, b));
                    (cells_differ(p, cell), jump)
                });
                let format = match step {
                    Some((_, true)) => Some(&jumped),
                    Some((true, false)) => Some(&changed),
                    _ => None,
                };
                write_plain_value(sheet, row, col, cell, format)?;
                if let (Some(p), Some((true, jump))) = (previous, step) {
                    what = if jump || what == "跳变" {
                        "跳变"
                    } else {
                        "有变化"
                    };
                    let before = reports[members[n - 1]]
                        .year
                        .map(|y| y.to_string())
                        .unwrap_or_default();
                    let text = format!(
                        "{before}年：{}{}",
                        raw_display(p),
                        if jump { "（变化 5 倍以上）" } else { "" }
                    );
                    sheet.insert_note(row, col, &Note::new(text).add_author_prefix(false))?;
                }
                previous = Some(cell);
            }
            if !what.is_empty() {
                sheet.write_string(row, 3 + members.len() as u16, what)?;
            }
            row += 1;
        }
        row += 1;
    }
    sheet.set_freeze_panes(1, 3)?;
    Ok(())
}

/// The explanation rows of `说明` above the list of files: (label, text).
pub fn about_lines(reports: &[ExportReport], info: &ExportInfo) -> Vec<(String, String)> {
    let mut lines = vec![
        (
            "工具".to_owned(),
            format!("nianbao {}（年报审校）", env!("CARGO_PKG_VERSION")),
        ),
        ("导出时间".to_owned(), display_time(info.exported_at)),
        ("报告份数".to_owned(), reports.len().to_string()),
        (
            "未能读取的文件".to_owned(),
            info.unreadable.len().to_string(),
        ),
    ];
    for n in &info.notices {
        lines.push(("提示".to_owned(), n.clone()));
    }
    lines
}

/// The colour legend of `说明`: (label, explanation).
pub const LEGEND: [(&str, &str); 5] = [
    (
        "已修改",
        "审校人改过的单元格（绿色底）；批注中有原值、修改后的值、修改时间和备注",
    ),
    (
        "错误",
        "有未排除的“错误”级问题的单元格（红色底、红框），详见“问题清单”",
    ),
    ("警告", "有未排除的“警告”级问题的单元格（黄色底、橙框）"),
    ("提示", "有未排除的“提示”级问题的单元格（紫色底、紫框）"),
    (
        "数值",
        "数字按数字保存；原表空白的单元格留空；“/”“—”“无”等按原样保留为文字；带单位或附注的数字（如“12872.06 万元”）存为数字，原文见批注",
    ),
];

/// Headers of the file list in `说明`.
pub const ABOUT_FILE_HEADERS: [&str; 6] = ["序号", "文件", "SHA-256", "机构", "年度", "工作表"];

fn about_sheet(
    sheet: &mut Worksheet,
    reports: &[ExportReport],
    names: &[String],
    info: &ExportInfo,
    styles: &Styles,
) -> Result<(), XlsxError> {
    for (c, w) in [14.0, 44.0, 68.0, 28.0, 7.0, 28.0].iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    sheet.write_string_with_format(0, 0, "年报审校 · 导出说明", &styles.title)?;
    let mut row = 1u32;
    for (label, text) in about_lines(reports, info) {
        sheet.write_string_with_format(row, 0, label, &styles.text)?;
        sheet.write_string_with_format(row, 1, clip(&text), &styles.text)?;
        row += 1;
    }
    row += 1;
    let legend_formats = [
        &styles.values[1][0],
        &styles.values[0][1],
        &styles.values[0][2],
        &styles.values[0][3],
        &styles.values[0][0],
    ];
    for ((label, text), format) in LEGEND.iter().zip(legend_formats) {
        sheet.write_string_with_format(row, 0, *label, format)?;
        sheet.write_string_with_format(row, 1, *text, &styles.text)?;
        row += 1;
    }
    row += 1;
    write_headers(sheet, row, &ABOUT_FILE_HEADERS, &[], styles)?;
    row += 1;
    let layout = report_layout();
    for (i, (report, name)) in reports.iter().zip(names).enumerate() {
        sheet.write_number_with_format(row, 0, (i + 1) as f64, &styles.number)?;
        sheet.write_string_with_format(row, 1, clip(&report.file), &styles.text)?;
        sheet.write_string_with_format(row, 2, clip(&report.sha256), &styles.text)?;
        sheet.write_string_with_format(
            row,
            3,
            clip(report.agency.as_deref().unwrap_or("")),
            &styles.text,
        )?;
        write_year(sheet, row, 4, report.year, styles)?;
        write_sheet_link(sheet, row, 5, name, None, layout, styles)?;
        row += 1;
    }
    if !info.unreadable.is_empty() {
        row += 1;
        write_headers(sheet, row, &["序号", "未能读取的文件", "原因"], &[], styles)?;
        row += 1;
        for (i, u) in info.unreadable.iter().enumerate() {
            sheet.write_number_with_format(row, 0, (i + 1) as f64, &styles.number)?;
            sheet.write_string_with_format(row, 1, clip(&u.file), &styles.text)?;
            sheet.write_string_with_format(row, 2, clip(&u.reason), &styles.text)?;
            row += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Finding;
    use crate::extract::extract;
    use crate::model::{SourceText, Span};
    use crate::review::ReviewSession;
    use calamine::{Data, Reader, open_workbook_auto_from_rs};
    use std::io::Cursor;

    // Hostile content (huge texts, a number too large for a float, control characters, odd
    // names) still gives a workbook that calamine reads, with texts cut to Excel's limit.
    #[test]
    fn hostile_content_still_exports() {
        let mut extraction = extract(&SourceText::from_utf8(""));
        extraction.agency = Some(format!("局\u{1}\u{7}{}", "很长".repeat(40_000)));
        extraction.year = Some(2024);
        let huge = "9".repeat(400);
        let long = "字".repeat(40_000);
        let k0 = CellKey::requests(0, 0);
        let k1 = CellKey::requests(0, 1);
        // Built by hand: a cell whose number overflowed to infinity, as an older reader gave.
        extraction.cells[k0.index()] = Cell {
            raw: Some(huge.as_str().into()),
            value: Some(f64::INFINITY),
            span: Some(Span::new(0, 400)),
        };
        extraction.cells[k1.index()] = Cell::read(&long, Span::new(0, 3));
        let session = ReviewSession::new(SourceText::from_utf8(""), extraction);
        let finding = Finding {
            rule: "x".into(),
            severity: Severity::Error,
            keys: vec![k0],
            expected: Some(f64::NAN),
            found: Some(1.0),
            span: None,
            message: "\u{0}\u{1b}".repeat(20_000),
            cause: Cause::Unknown,
            covers: Vec::new(),
            suggestion: None,
        };
        let report = ExportReport::new("a\u{2}b.txt", "00", &session, vec![finding]);
        let bytes = workbook_bytes(&[report.clone(), report], &ExportInfo::now())
            .expect("hostile content exports");
        let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).expect("calamine reads it");
        let summary = book.worksheet_range(SHEET_SUMMARY).expect("summary");
        let col = SUMMARY_FIXED.len() as u32;
        assert_eq!(
            summary.get_value((2, col + k0.index() as u32)),
            Some(&Data::String(huge.clone())),
            "a number too large for a float keeps its text"
        );
        match summary.get_value((2, col + k1.index() as u32)) {
            Some(Data::String(s)) => {
                assert_eq!(s.chars().count(), MAX_CELL_CHARS);
                assert!(s.ends_with('…'));
            }
            other => panic!("long text: {other:?}"),
        }
    }
}
