//! OpenDocument (.ods spreadsheets, .odt text): `content.xml` read as paragraphs and tables.
//! Read here rather than with calamine because calamine's ODS reader expands repeated cells
//! into a dense grid of up to 10^8 cells; this reader keeps repeated empty rows and cells as
//! counts and charges every written cell to [`limits::MAX_SHEET_CELLS`].

use super::archive::Archive;
use super::blocks::{Block, Row, Table, TableCell, cell_text, lay_out, source};
use super::sheet::{self, CellBudget, SheetCells};
use super::xml::{attr, damaged_xml, descend, resolve_ref, xml_str};
use super::{IngestError, limits};
use crate::model::{SourceKind, SourceText};
use quick_xml::Reader;
use quick_xml::events::Event;

/// Reads an .ods or .odt container (already checked against the zip limits).
pub(crate) fn read(
    archive: &mut Archive<'_>,
    spreadsheet: bool,
) -> Result<SourceText, IngestError> {
    let content = archive
        .read_part("content.xml")?
        .ok_or_else(|| IngestError::Damaged("文档缺少内容部分（content.xml）".into()))?;
    let xml = xml_str(&content)?;
    if spreadsheet {
        return sheet::finish(parse_spreadsheet(&xml)?);
    }
    let blocks = parse_content(&xml)?;
    // An OpenDocument text is a word-processor document, like a .docx.
    source(lay_out(&blocks)?, SourceKind::Docx)
}

/// Reads the sheets of an .ods `content.xml`: each non-empty cell at its row and column (repeats
/// counted, not expanded when empty), merged ranges from the spanning attributes.
fn parse_spreadsheet(xml: &str) -> Result<Vec<SheetCells>, IngestError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    let mut budget = CellBudget::default();
    let mut sheets: Vec<SheetCells> = Vec::new();
    let mut depth = 0usize;
    let mut skip_from: Option<usize> = None;
    let (mut row, mut col) = (0u32, 0u32);
    let mut row_repeat = 1u32;
    // Cells of the row being read: column, text, columns and rows spanned.
    let mut row_cells: Vec<(u32, String, u32, u32)> = Vec::new();
    // The cell being read: its paragraphs, repeat count, spans, and whether it is covered.
    let mut cell: Option<(Vec<String>, u32, u32, u32, bool)> = None;
    let mut para: Option<String> = None;
    let to_u32 = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    loop {
        let event = reader.read_event().map_err(|_| damaged_xml())?;
        let (e, is_start) = match &event {
            Event::Start(e) => (Some(e), true),
            Event::Empty(e) => (Some(e), false),
            _ => (None, false),
        };
        if let Some(e) = e {
            if is_start {
                descend(&mut depth)?;
            }
            let name = e.local_name();
            let local = name.as_ref().as_bytes();
            if skip_from.is_none() && is_skipped(local) && is_start {
                skip_from = Some(depth);
            }
            if skip_from.is_some() {
                continue;
            }
            match local {
                b"table" => {
                    sheets.push(SheetCells {
                        name: attr(e, b"name").unwrap_or_default(),
                        ..SheetCells::default()
                    });
                    row = 0;
                }
                b"table-row" => {
                    col = 0;
                    row_cells.clear();
                    row_repeat = to_u32(repeat_attr(e, b"number-rows-repeated"));
                    if !is_start {
                        row = row.saturating_add(row_repeat);
                    }
                }
                b"table-cell" | b"covered-table-cell" => {
                    let spans = |a: &[u8]| to_u32(repeat_attr(e, a));
                    let state = (
                        Vec::new(),
                        to_u32(repeat_attr(e, b"number-columns-repeated")),
                        spans(b"number-columns-spanned"),
                        spans(b"number-rows-spanned"),
                        local == b"covered-table-cell",
                    );
                    if is_start {
                        cell = Some(state);
                    } else {
                        end_sheet_cell(state, &mut col, &mut row_cells, &mut budget)?;
                    }
                }
                b"p" | b"h" if is_start && cell.is_some() => para = Some(String::new()),
                _ => {
                    if let Some(p) = para.as_mut() {
                        match local {
                            b"s" => {
                                let n = attr(e, b"c").and_then(|v| v.parse::<usize>().ok());
                                p.push_str(&" ".repeat(n.unwrap_or(1).clamp(1, 64)));
                            }
                            b"tab" => p.push('\t'),
                            b"line-break" => p.push('\n'),
                            _ => {}
                        }
                    }
                }
            }
            continue;
        }
        match event {
            Event::End(e) => {
                let name = e.local_name();
                let local = name.as_ref().as_bytes();
                if let Some(from) = skip_from {
                    if depth == from {
                        skip_from = None;
                    }
                    depth = depth.saturating_sub(1);
                    continue;
                }
                depth = depth.saturating_sub(1);
                match local {
                    b"p" | b"h" => {
                        if let (Some(text), Some(c)) = (para.take(), cell.as_mut()) {
                            c.0.push(text);
                        }
                    }
                    b"table-cell" | b"covered-table-cell" => {
                        if let Some(state) = cell.take() {
                            end_sheet_cell(state, &mut col, &mut row_cells, &mut budget)?;
                        }
                    }
                    b"table-row" => {
                        if let Some(sheet) = sheets.last_mut()
                            && !row_cells.is_empty()
                        {
                            for k in 0..row_repeat {
                                for (c, text, colspan, rowspan) in &row_cells {
                                    if k > 0 {
                                        budget.take()?;
                                    }
                                    let r = row.saturating_add(k);
                                    sheet.cells.insert((r, *c), text.clone());
                                    if *colspan > 1 || *rowspan > 1 {
                                        sheet.merges.push((
                                            r,
                                            *c,
                                            r.saturating_add(rowspan - 1),
                                            c.saturating_add(colspan - 1),
                                        ));
                                    }
                                }
                            }
                        }
                        row_cells.clear();
                        row = row.saturating_add(row_repeat);
                    }
                    _ => {}
                }
            }
            Event::Text(t) if skip_from.is_none() => {
                if let Some(p) = para.as_mut() {
                    p.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if skip_from.is_none() => {
                if let Some(p) = para.as_mut()
                    && let Some(c) = resolve_ref(&r)
                {
                    p.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(sheets)
}

/// Places a finished cell (`repeat` times) in the row being read; empty and covered cells only
/// move the column on.
fn end_sheet_cell(
    (paras, repeat, colspan, rowspan, covered): (Vec<String>, u32, u32, u32, bool),
    col: &mut u32,
    row_cells: &mut Vec<(u32, String, u32, u32)>,
    budget: &mut CellBudget,
) -> Result<(), IngestError> {
    let text = cell_text(&paras.into_iter().map(Block::Para).collect::<Vec<_>>());
    let spans = colspan > 1 || rowspan > 1;
    if covered || (text.is_empty() && !spans) {
        *col = col.saturating_add(repeat);
        return Ok(());
    }
    for _ in 0..repeat {
        budget.take()?;
        row_cells.push((*col, text.clone(), colspan, rowspan));
        *col = col.saturating_add(1);
    }
    Ok(())
}

/// A table row being read.
struct RowState {
    row: Row,
    /// How many times the row repeats.
    repeat: usize,
    /// Empty cells seen since the last non-empty one, written only if a non-empty cell follows.
    pending_empty: usize,
}

enum Open {
    Body(Vec<Block>),
    /// A table and the row being read.
    Table(Table, Option<RowState>),
    /// A cell, how many times it repeats, and whether it is a covered (merged-away) cell.
    Cell(TableCell, usize, bool),
}

/// Elements whose content is not body text.
fn is_skipped(local: &[u8]) -> bool {
    matches!(
        local,
        b"annotation"
            | b"note"
            | b"tracked-changes"
            | b"frame"
            | b"custom-shape"
            | b"forms"
            | b"table-column"
            | b"table-columns"
            | b"named-expressions"
            | b"database-ranges"
            | b"automatic-styles"
            | b"font-face-decls"
            | b"scripts"
            | b"calculation-settings"
            | b"content-validations"
            | b"label-ranges"
            | b"sequence-decls"
    )
}

fn parse_content(xml: &str) -> Result<Vec<Block>, IngestError> {
    let mut reader = Reader::from_str(xml);
    // Word files edited by other tools sometimes close elements out of order; read on.
    reader.config_mut().check_end_names = false;
    let mut open: Vec<Open> = vec![Open::Body(Vec::new())];
    let mut budget = CellBudget::default();
    let mut depth = 0usize;
    let mut tables = 0usize;
    let mut skip_from: Option<usize> = None;
    // The paragraph being read and how deep its element is.
    let mut para: Option<(String, usize)> = None;
    loop {
        let event = reader.read_event().map_err(|_| damaged_xml())?;
        match event {
            Event::Start(e) => {
                descend(&mut depth)?;
                let name = e.local_name();
                let local = name.as_ref().as_bytes();
                if skip_from.is_none() && is_skipped(local) {
                    skip_from = Some(depth);
                }
                if skip_from.is_some() {
                    continue;
                }
                match local {
                    b"table" => {
                        tables += 1;
                        if tables > limits::MAX_TABLE_NESTING {
                            return Err(IngestError::TooComplex(format!(
                                "表格嵌套超过 {} 层",
                                limits::MAX_TABLE_NESTING
                            )));
                        }
                        open.push(Open::Table(Table::default(), None));
                    }
                    b"table-row" => {
                        let repeat = repeat_attr(&e, b"number-rows-repeated");
                        if let Some(Open::Table(_, row)) = open.last_mut() {
                            *row = Some(RowState {
                                row: Row::default(),
                                repeat,
                                pending_empty: 0,
                            });
                        }
                    }
                    b"table-cell" | b"covered-table-cell" => {
                        let repeat = repeat_attr(&e, b"number-columns-repeated");
                        open.push(Open::Cell(
                            TableCell::default(),
                            repeat,
                            local == b"covered-table-cell",
                        ));
                    }
                    b"p" | b"h" => para = Some((String::new(), depth)),
                    _ => empty_element(&e, local, &mut para),
                }
            }
            Event::Empty(e) => {
                if skip_from.is_some() {
                    continue;
                }
                let name = e.local_name();
                let local = name.as_ref().as_bytes();
                match local {
                    b"table-cell" | b"covered-table-cell" => {
                        let repeat = repeat_attr(&e, b"number-columns-repeated");
                        add_cell(&mut open, TableCell::default(), repeat, &mut budget)?;
                    }
                    b"table-row" => {}
                    _ => empty_element(&e, local, &mut para),
                }
            }
            Event::End(e) => {
                let name = e.local_name();
                let local = name.as_ref().as_bytes();
                if let Some(from) = skip_from {
                    if depth == from {
                        skip_from = None;
                    }
                    depth = depth.saturating_sub(1);
                    continue;
                }
                match local {
                    b"p" | b"h" if para.as_ref().is_some_and(|(_, d)| *d == depth) => {
                        if let Some((text, _)) = para.take() {
                            push_block(&mut open, Block::Para(text));
                        }
                    }
                    b"table-cell" | b"covered-table-cell" => {
                        if let Some((text, _)) = para.take() {
                            push_block(&mut open, Block::Para(text));
                        }
                        if let Some(Open::Cell(cell, repeat, covered)) = open.pop() {
                            let cell = if covered { TableCell::default() } else { cell };
                            add_cell(&mut open, cell, repeat, &mut budget)?;
                        }
                    }
                    b"table-row" => end_row(&mut open, &mut budget)?,
                    b"table" => {
                        tables = tables.saturating_sub(1);
                        end_row(&mut open, &mut budget)?;
                        if let Some(Open::Table(table, _)) = open.pop() {
                            push_block(&mut open, Block::Table(table));
                        }
                    }
                    _ => {}
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if skip_from.is_none() => {
                if let Some((p, _)) = para.as_mut() {
                    p.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if skip_from.is_none() => {
                if let Some((p, _)) = para.as_mut()
                    && let Some(c) = resolve_ref(&r)
                {
                    p.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // A truncated file: close what is open.
    if let Some((text, _)) = para.take() {
        push_block(&mut open, Block::Para(text));
    }
    while open.len() > 1 {
        match open.pop() {
            Some(Open::Cell(cell, repeat, _)) => add_cell(&mut open, cell, repeat, &mut budget)?,
            Some(Open::Table(table, _)) => push_block(&mut open, Block::Table(table)),
            _ => {}
        }
    }
    match open.pop() {
        Some(Open::Body(blocks)) => Ok(blocks),
        _ => Ok(Vec::new()),
    }
}

/// Spaces, tabs and line breaks written as elements inside a paragraph.
fn empty_element(
    e: &quick_xml::events::BytesStart<'_>,
    local: &[u8],
    para: &mut Option<(String, usize)>,
) {
    let Some((p, _)) = para.as_mut() else {
        return;
    };
    match local {
        b"s" => {
            let n = attr(e, b"c")
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(1);
            p.push_str(&" ".repeat(n.clamp(1, 64)));
        }
        b"tab" => p.push('\t'),
        b"line-break" => p.push('\n'),
        _ => {}
    }
}

fn repeat_attr(e: &quick_xml::events::BytesStart<'_>, local: &[u8]) -> usize {
    attr(e, local)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .max(1)
}

/// Adds a cell (`repeat` times) to the row being read. Empty cells are kept as a count and only
/// written when a non-empty cell follows, so a row ending in 16,000 empty columns costs nothing.
fn add_cell(
    open: &mut [Open],
    cell: TableCell,
    repeat: usize,
    budget: &mut CellBudget,
) -> Result<(), IngestError> {
    let Some(Open::Table(_, Some(state))) = open.last_mut() else {
        return Ok(());
    };
    if cell.blocks.is_empty() {
        state.pending_empty = state.pending_empty.saturating_add(repeat);
        return Ok(());
    }
    let pending = std::mem::take(&mut state.pending_empty);
    let row = &mut state.row;
    if row.cells.len() + pending + repeat > limits::MAX_TABLE_COLUMNS {
        return Err(IngestError::TooComplex(format!(
            "表格超过 {} 列",
            limits::MAX_TABLE_COLUMNS
        )));
    }
    for _ in 0..pending {
        row.cells.push(TableCell::default());
    }
    for _ in 0..repeat {
        budget.take()?;
        row.cells.push(cell.clone());
    }
    Ok(())
}

/// Ends the row being read: trailing empty cells are dropped, a repeated row is written as
/// many times as it repeats (empty rows not at all).
fn end_row(open: &mut [Open], budget: &mut CellBudget) -> Result<(), IngestError> {
    let Some(Open::Table(table, row)) = open.last_mut() else {
        return Ok(());
    };
    let Some(RowState { row, repeat, .. }) = row.take() else {
        return Ok(());
    };
    if row.cells.is_empty() {
        return Ok(());
    }
    for _ in 1..repeat {
        for _ in 0..row.cells.len() {
            budget.take()?;
        }
        table.rows.push(row.clone());
    }
    table.rows.push(row);
    Ok(())
}

fn push_block(open: &mut [Open], block: Block) {
    for container in open.iter_mut().rev() {
        match container {
            Open::Body(blocks) => {
                blocks.push(block);
                return;
            }
            Open::Cell(cell, _, _) => {
                cell.blocks.push(block);
                return;
            }
            Open::Table(..) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(xml: &str, spreadsheet: bool) -> String {
        if spreadsheet {
            return sheet::finish(parse_spreadsheet(xml).expect("parse"))
                .expect("layout")
                .text;
        }
        let blocks = parse_content(xml).expect("parse");
        lay_out(&blocks).expect("layout")
    }

    // Repeated cells and rows, covered cells, and a sheet padded to 16,384 columns and
    // 1,048,576 rows: written as the sheet shows them, quickly.
    #[test]
    fn ods_repeats() {
        let xml = r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>
            <table:table table:name="表三"><table:table-column table:number-columns-repeated="16384"/>
            <table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>申请人<text:s/>情况</text:p></table:table-cell><table:covered-table-cell/><table:table-cell table:number-columns-repeated="16382"/></table:table-row>
            <table:table-row table:number-rows-repeated="2"><table:table-cell/><table:table-cell table:number-columns-repeated="2"><text:p>0</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16381"/></table:table-row>
            <table:table-row table:number-rows-repeated="1048573"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#;
        let t = std::time::Instant::now();
        assert_eq!(text_of(xml, true), "表三\n申请人 情况\n0\t0\n0\t0\n");
        assert!(t.elapsed().as_secs_f64() < 10.0);
    }

    // An OpenDocument text: headings, paragraphs with line breaks, and a table.
    #[test]
    fn odt_text() {
        let xml = r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:text>
            <text:h text:outline-level="1">二、主动公开政府信息情况</text:h>
            <table:table table:name="Table1"><table:table-row><table:table-cell><text:p>商业</text:p><text:p>企业</text:p></table:table-cell><table:table-cell><text:p>5</text:p></table:table-cell></table:table-row></table:table>
            <text:p>第一行<text:line-break/>第二行<office:annotation><text:p>批注</text:p></office:annotation></text:p>
            </office:text></office:body></office:document-content>"#;
        assert_eq!(
            text_of(xml, false),
            "二、主动公开政府信息情况\n商业企业\t5\n第一行\n第二行\n"
        );
    }
}
