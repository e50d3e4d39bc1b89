//! The review notice as a Word document (docx-rs): A4 with the margins of GB/T 9704 official
//! documents, the title in a `Title` style and the section headings in `heading 1` (so Word's
//! navigation pane lists them), body text in 仿宋 with first-line indents, the table problems
//! as a table (序号 / 位置 / 原文数值 / 应为 / 说明) and the other items as numbered paragraphs.
//! Numbers are written into the text rather than through Word numbering, so Word, WPS and
//! LibreOffice show the same numbers and a copied paragraph keeps its number.

use super::{Notice, NoticeBlock, NoticeSection, item_number};
use docx_rs::{
    AlignmentType, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts,
    SpecialIndentType, Style, StyleType, Table, TableCell, TableRow, VAlignType, WidthType,
};

/// Font sizes in half-points: 二号 (22 pt) for the title, 三号 (16 pt) for the text, 小四
/// (12 pt) inside the table.
const TITLE_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
const TABLE_SIZE: usize = 24;

/// Two characters of 三号 text, in twentieths of a point: the first-line indent.
const INDENT_TWIPS: i32 = 640;

/// The fixed line pitch of official documents, 28 pt, in twentieths of a point.
const LINE_TWIPS: i32 = 560;

/// A4 in twentieths of a point, and the text width left by the margins below.
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
const MARGIN_TOP: i32 = 2098;
const MARGIN_BOTTOM: i32 = 1985;
const MARGIN_LEFT: i32 = 1588;
const MARGIN_RIGHT: i32 = 1474;
const TEXT_WIDTH: usize = (PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;

/// Column widths of the table of section 一 (序号, 位置, 原文数值, 应为, 说明), adding up to
/// [`TEXT_WIDTH`]. The narrow ones hold their header on one line: 12 pt characters are 240
/// wide, and the cell margins take 216.
const TABLE_COLUMNS: [usize; 5] = [760, 2300, 1250, 1300, TEXT_WIDTH - 760 - 2300 - 1250 - 1300];

/// Fonts with the East-Asian name set, which is the one Word uses for Chinese characters.
fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .cs("Times New Roman")
        .east_asia(east_asia)
}

fn body_spacing() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(LINE_TWIPS)
}

/// A body paragraph, indented by two characters unless `indent` is false.
fn paragraph(text: &str, indent: bool) -> Paragraph {
    let p = Paragraph::new()
        .add_run(Run::new().add_text(text))
        .line_spacing(body_spacing());
    if indent {
        p.indent(
            None,
            Some(SpecialIndentType::FirstLine(INDENT_TWIPS)),
            None,
            None,
        )
    } else {
        p
    }
}

fn empty_line() -> Paragraph {
    Paragraph::new().line_spacing(body_spacing())
}

/// A paragraph inside a table cell: small, single-spaced.
fn cell(text: &str, align: AlignmentType, bold: bool) -> TableCell {
    let run = Run::new().add_text(text).size(TABLE_SIZE);
    let run = if bold { run.bold() } else { run };
    TableCell::new()
        .vertical_align(VAlignType::Center)
        .add_paragraph(
            Paragraph::new().add_run(run).align(align).line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Auto)
                    .line(276),
            ),
        )
}

/// The items of section 一 as a table.
fn table_of(block: &NoticeBlock) -> Table {
    let header = TableRow::new(
        ["序号", "位置", "原文数值", "应为", "说明"]
            .iter()
            .zip(TABLE_COLUMNS)
            .map(|(h, w)| cell(h, AlignmentType::Center, true).width(w, WidthType::Dxa))
            .collect(),
    )
    .cant_split();
    let mut rows = vec![header];
    for (i, item) in block.items.iter().enumerate() {
        let mut explanation = item.problem.trim().to_owned();
        if !explanation.ends_with('。') {
            explanation.push('。');
        }
        if let Some(fix) = &item.fix {
            explanation.push_str(&item.fix_text(fix));
            explanation.push('。');
        }
        if let Some(note) = &item.note {
            explanation.push_str(&format!("审核说明：{note}。"));
        }
        let printed = if item.printed.is_empty() {
            "—".to_owned()
        } else {
            item.printed.clone()
        };
        let texts = [
            ((i + 1).to_string(), AlignmentType::Center),
            (item.table_place(), AlignmentType::Left),
            (printed, AlignmentType::Center),
            (item.should_be(), AlignmentType::Center),
            (explanation, AlignmentType::Left),
        ];
        rows.push(
            TableRow::new(
                texts
                    .iter()
                    .zip(TABLE_COLUMNS)
                    .map(|((t, align), w)| cell(t, *align, false).width(w, WidthType::Dxa))
                    .collect(),
            )
            .cant_split(),
        );
    }
    Table::new(rows)
        .set_grid(TABLE_COLUMNS.to_vec())
        .width(TEXT_WIDTH, WidthType::Dxa)
}

/// Puts the document together and packs it.
pub(super) fn docx_bytes(notice: &Notice) -> Result<Vec<u8>, super::NoticeError> {
    let title_style = Style::new("Title", StyleType::Paragraph)
        .name("Title")
        .based_on("Normal")
        .fonts(fonts("宋体"))
        .size(TITLE_SIZE)
        .bold()
        .align(AlignmentType::Center)
        .outline_lvl(0);
    let heading_style = Style::new("Heading1", StyleType::Paragraph)
        .name("heading 1")
        .based_on("Normal")
        .fonts(fonts("黑体"))
        .size(BODY_SIZE)
        .outline_lvl(1);
    let mut doc = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(851)
                .footer(992),
        )
        .default_fonts(fonts("仿宋"))
        .default_size(BODY_SIZE)
        .add_style(title_style)
        .add_style(heading_style)
        .add_paragraph(
            Paragraph::new()
                .style("Title")
                .add_run(Run::new().add_text(&notice.title))
                .line_spacing(
                    LineSpacing::new()
                        .line_rule(LineSpacingType::Auto)
                        .line(360),
                ),
        )
        .add_paragraph(empty_line())
        .add_paragraph(paragraph(&notice.addressee, false))
        .add_paragraph(paragraph(&notice.opening, true));
    for block in &notice.blocks {
        doc = doc.add_paragraph(
            Paragraph::new()
                .style("Heading1")
                .add_run(Run::new().add_text(&block.heading))
                .line_spacing(body_spacing())
                .indent(
                    None,
                    Some(SpecialIndentType::FirstLine(INDENT_TWIPS)),
                    None,
                    None,
                )
                .keep_next(true),
        );
        if block.section == NoticeSection::Tables {
            doc = doc.add_table(table_of(block));
        } else {
            for (i, item) in block.items.iter().enumerate() {
                doc = doc.add_paragraph(paragraph(
                    &format!("{}{}", item_number(i + 1), item.text()),
                    true,
                ));
            }
        }
    }
    doc = doc
        .add_paragraph(paragraph(&notice.closing, true))
        .add_paragraph(empty_line())
        .add_paragraph(
            paragraph(&notice.date, false)
                .align(AlignmentType::Right)
                .indent(None, None, Some(INDENT_TWIPS * 2), None),
        );
    let mut cursor = std::io::Cursor::new(Vec::new());
    doc.pack(&mut cursor)
        .map_err(|e| super::NoticeError::Docx(e.to_string()))?;
    Ok(cursor.into_inner())
}
