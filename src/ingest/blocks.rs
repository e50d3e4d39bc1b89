//! Paragraphs and tables read from a structured document (Word, web page), and their layout as
//! the text the window shows: one paragraph per line, one table row per line with its cells
//! separated by tabs. Merged cells are written once, followed by empty fields, so columns line up.

use super::{IngestError, limits};
use crate::model::{SourceKind, SourceText};

/// A piece of a document's body, in reading order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Block {
    /// One paragraph's text (may hold line breaks, which become separate lines).
    Para(String),
    /// A table.
    Table(Table),
    /// Rows already laid out as cell texts (spreadsheets).
    Grid(Vec<Vec<String>>),
}

/// A table: rows of cells, as written in the source (not yet laid out on a grid).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Table {
    /// The rows in order.
    pub rows: Vec<Row>,
}

/// One table row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Row {
    /// Empty grid columns before the first cell (Word's `w:gridBefore`).
    pub skip_before: usize,
    /// The cells in order.
    pub cells: Vec<TableCell>,
}

/// One table cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TableCell {
    /// What the cell holds.
    pub blocks: Vec<Block>,
    /// Grid columns covered (`colspan`, `w:gridSpan`), at least 1.
    pub colspan: usize,
    /// Rows covered (`rowspan`), at least 1. Word marks the covered cells instead (`vMerge`).
    pub rowspan: usize,
    /// True for a Word cell that continues a vertical merge from the row above: written empty.
    pub continues_above: bool,
}

impl Default for TableCell {
    fn default() -> Self {
        Self {
            blocks: Vec::new(),
            colspan: 1,
            rowspan: 1,
            continues_above: false,
        }
    }
}

/// The text being built, refusing to grow past [`limits::MAX_TEXT_BYTES`].
#[derive(Debug, Default)]
pub(crate) struct TextOut {
    text: String,
}

/// A container being filled while a Word or web document is read: the body, a table with the
/// row being read, or a cell. The readers keep a stack of them, the body at the bottom.
pub enum Open {
    /// The document's blocks.
    Body(Vec<Block>),
    /// A table and the row being read.
    Table(Table, Option<Row>),
    /// A cell being read.
    Cell(TableCell),
}

/// Adds a block to the innermost container that holds blocks. Text directly in a table
/// (outside any cell) belongs before the table.
pub fn push_block(open: &mut [Open], block: Block) {
    for container in open.iter_mut().rev() {
        match container {
            Open::Body(blocks) => {
                blocks.push(block);
                return;
            }
            Open::Cell(cell) => {
                cell.blocks.push(block);
                return;
            }
            Open::Table(..) => {}
        }
    }
}

/// Pops the innermost open container and adds it to its parent; the body stays.
pub fn close_top(open: &mut Vec<Open>) {
    match open.pop() {
        Some(Open::Cell(cell)) => {
            if let Some(Open::Table(_, row)) = open.last_mut() {
                row.get_or_insert_with(Row::default).cells.push(cell);
            }
        }
        Some(Open::Table(mut table, row)) => {
            if let Some(r) = row {
                table.rows.push(r);
            }
            push_block(open, Block::Table(table));
        }
        Some(body @ Open::Body(_)) => open.push(body),
        None => {}
    }
}

/// The text a reader's blocks lay out to.
pub fn lay_out(blocks: &[Block]) -> Result<String, IngestError> {
    let mut out = TextOut::default();
    out.blocks(blocks)?;
    Ok(out.finish())
}

/// A reader's text as the source of a report, or [`IngestError::Empty`] when it holds nothing
/// but white space.
pub fn source(text: String, kind: SourceKind) -> Result<SourceText, IngestError> {
    if text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    Ok(SourceText { text, kind })
}

impl TextOut {
    /// Appends one line (a newline is added). Tabs and line breaks must already be handled.
    pub fn line(&mut self, line: &str) -> Result<(), IngestError> {
        if self.text.len() + line.len() + 1 > limits::MAX_TEXT_BYTES {
            return Err(IngestError::TooComplex(format!(
                "文字超过 {} MB",
                limits::MAX_TEXT_BYTES / 1_048_576
            )));
        }
        self.text.push_str(line);
        self.text.push('\n');
        Ok(())
    }

    /// Appends a paragraph: each of its lines, white space tidied; empty lines are dropped.
    pub fn paragraph(&mut self, text: &str) -> Result<(), IngestError> {
        for line in text.split('\n') {
            let tidy = tidy_inline(line);
            if !tidy.is_empty() {
                self.line(&tidy)?;
            }
        }
        Ok(())
    }

    /// Appends one table row from cell texts, tab-separated; a row with no text is dropped.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<(), IngestError> {
        if cells.iter().all(|c| c.as_ref().is_empty()) {
            return Ok(());
        }
        let joined = cells
            .iter()
            .map(|c| c.as_ref())
            .collect::<Vec<_>>()
            .join("\t");
        self.line(&joined)
    }

    /// Appends blocks in order; tables holding tables are page layout and are read as blocks.
    pub fn blocks(&mut self, blocks: &[Block]) -> Result<(), IngestError> {
        for block in blocks {
            match block {
                Block::Para(text) => self.paragraph(text)?,
                Block::Table(table) if table.holds_tables() => {
                    for row in &table.rows {
                        for cell in &row.cells {
                            self.blocks(&cell.blocks)?;
                        }
                    }
                }
                Block::Table(table) => self.table(table)?,
                Block::Grid(rows) => {
                    for row in rows {
                        self.row(row)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Lays a table out on its grid and appends one line per row.
    pub fn table(&mut self, table: &Table) -> Result<(), IngestError> {
        for row in table.grid()? {
            self.row(&row)?;
        }
        Ok(())
    }

    /// The text built so far.
    pub fn finish(self) -> String {
        self.text
    }
}

impl Table {
    /// True when a cell holds another table (the outer table is page layout, not data).
    fn holds_tables(&self) -> bool {
        self.rows
            .iter()
            .flat_map(|r| &r.cells)
            .flat_map(|c| &c.blocks)
            .any(|b| matches!(b, Block::Table(_)))
    }

    /// The rows as cell texts on the table's grid: a spanning cell's text in its first slot,
    /// the slots it covers empty. Each row is as long as its own last cell reaches.
    fn grid(&self) -> Result<Vec<Vec<String>>, IngestError> {
        let mut rows: Vec<Vec<String>> = Vec::with_capacity(self.rows.len());
        // For each column, how many more rows a rowspan from above still covers.
        let mut covered: Vec<usize> = Vec::new();
        for row in &self.rows {
            let mut out: Vec<String> = Vec::new();
            let mut col = row.skip_before.min(limits::MAX_TABLE_COLUMNS);
            out.resize(col, String::new());
            for cell in &row.cells {
                while covered.get(col).is_some_and(|&n| n > 0) {
                    out.push(String::new());
                    col += 1;
                }
                let span = cell.colspan.max(1);
                if col + span > limits::MAX_TABLE_COLUMNS {
                    return Err(IngestError::TooComplex(format!(
                        "表格超过 {} 列",
                        limits::MAX_TABLE_COLUMNS
                    )));
                }
                let text = if cell.continues_above {
                    String::new()
                } else {
                    cell_text(&cell.blocks)
                };
                out.push(text);
                out.resize(col + span, String::new());
                let rowspan = cell.rowspan.clamp(1, limits::MAX_ROW_SPAN);
                if covered.len() < col + span {
                    covered.resize(col + span, 0);
                }
                for slot in &mut covered[col..col + span] {
                    // This row is the first of the span; the count is for the rows below.
                    *slot = rowspan;
                }
                col += span;
            }
            // Slots still covered after the last cell stay empty fields only if a later cell
            // exists; trailing covered slots are not written.
            for slot in &mut covered {
                *slot = slot.saturating_sub(1);
            }
            rows.push(out);
        }
        Ok(rows)
    }
}

/// A cell's text on one line: its paragraphs (and nested content) joined, white space tidied.
pub(crate) fn cell_text(blocks: &[Block]) -> String {
    let mut parts: Vec<String> = Vec::new();
    collect_cell_parts(blocks, &mut parts, 0);
    join_parts(&parts)
}

fn collect_cell_parts(blocks: &[Block], parts: &mut Vec<String>, depth: usize) {
    for block in blocks {
        match block {
            Block::Para(text) => {
                for line in text.split('\n') {
                    let tidy = tidy_inline(line);
                    if !tidy.is_empty() {
                        parts.push(tidy);
                    }
                }
            }
            // Table nesting is bounded by the readers (limits::MAX_TABLE_NESTING).
            Block::Table(table) if depth < limits::MAX_TABLE_NESTING => {
                for row in &table.rows {
                    for cell in &row.cells {
                        collect_cell_parts(&cell.blocks, parts, depth + 1);
                    }
                }
            }
            Block::Table(_) => {}
            Block::Grid(rows) => {
                parts.extend(rows.iter().flatten().filter(|t| !t.is_empty()).cloned())
            }
        }
    }
}

/// Joins pieces of one cell: nothing between two Chinese characters (a header wrapped as
/// `商业` / `企业` reads `商业企业`), a space otherwise (so `1` and `2` never become `12`).
pub(crate) fn join_parts(parts: &[String]) -> String {
    let mut out = String::new();
    for part in parts {
        if let (Some(prev), Some(next)) = (out.chars().last(), part.chars().next())
            && !(is_cjk(prev) && is_cjk(next))
        {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// Chinese characters and full-width punctuation: text that is written without spaces.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'   // CJK punctuation
        | '\u{3400}'..='\u{4DBF}' // extension A
        | '\u{4E00}'..='\u{9FFF}' // unified ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FF01}'..='\u{FF0F}' // full-width punctuation ！＂＃…／
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
        | '\u{201C}' | '\u{201D}' // “ ” as used in Chinese text
    )
}

/// One line of inline text: tabs, line breaks and runs of white space (including no-break and
/// ideographic spaces) become one space; the ends are trimmed. Control characters are dropped.
pub(crate) fn tidy_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else if c.is_control() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{00AD}') {
            // Zero-width and soft-hyphen characters are invisible in the source too.
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str) -> TableCell {
        TableCell {
            blocks: vec![Block::Para(text.to_owned())],
            ..TableCell::default()
        }
    }

    fn lay_out(blocks: &[Block]) -> String {
        super::lay_out(blocks).expect("layout")
    }

    // A header cell spanning two rows and a cell spanning two columns keep the columns aligned.
    #[test]
    fn spans_line_up() {
        let table = Table {
            rows: vec![
                Row {
                    skip_before: 0,
                    cells: vec![
                        TableCell {
                            rowspan: 2,
                            ..cell("信息内容")
                        },
                        TableCell {
                            colspan: 2,
                            ..cell("申请人情况")
                        },
                        cell("总计"),
                    ],
                },
                Row {
                    skip_before: 0,
                    cells: vec![cell("自然人"), cell("法人"), cell("")],
                },
                Row {
                    skip_before: 0,
                    cells: vec![cell("规章"), cell("0"), cell("1"), cell("1")],
                },
            ],
        };
        assert_eq!(
            lay_out(&[Block::Table(table)]),
            "信息内容\t申请人情况\t\t总计\n\t自然人\t法人\t\n规章\t0\t1\t1\n"
        );
    }

    // Wrapped header words join without a space, numbers with one; a layout table is unwrapped.
    #[test]
    fn cell_text_and_layout_tables() {
        let inner = Table {
            rows: vec![Row {
                skip_before: 0,
                cells: vec![
                    TableCell {
                        blocks: vec![Block::Para("商业".into()), Block::Para("企业".into())],
                        ..TableCell::default()
                    },
                    TableCell {
                        blocks: vec![Block::Para("1".into()), Block::Para("2".into())],
                        ..TableCell::default()
                    },
                ],
            }],
        };
        let outer = Table {
            rows: vec![Row {
                skip_before: 0,
                cells: vec![TableCell {
                    blocks: vec![Block::Para("首页 > 年报".into()), Block::Table(inner)],
                    ..TableCell::default()
                }],
            }],
        };
        assert_eq!(
            lay_out(&[Block::Table(outer)]),
            "首页 > 年报\n商业企业\t1 2\n"
        );
    }

    // No-break and ideographic spaces and tabs inside a paragraph become single spaces.
    #[test]
    fn tidies_white_space() {
        assert_eq!(
            tidy_inline("\u{a0} （一）\t予以公开\u{3000}\u{3000}5 \r"),
            "（一） 予以公开 5"
        );
    }
}
