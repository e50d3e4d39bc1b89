//! SourceText → Extraction: locates the six part headings and the three tables, reads every
//! cell with the byte span it was read from, and records what did not fit the template as
//! warnings. Pure and total: any text gives an extraction, never a panic.

mod decode;
mod digits;
mod layout;
mod locate;
mod metadata;
mod read;
mod tokens;
mod whole;

use crate::ingest::limits::MAX_EXTRACT_BYTES;
use crate::model::{CELL_COUNT, Cell, CellKey, SourceText, Span, TableId};
use serde::{Deserialize, Serialize};

pub use locate::PartHeading;
pub use metadata::AgencySource;

/// Everything read from one report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    /// The issuing body, e.g. `高青县行政审批服务局`.
    pub agency: Option<String>,
    /// The report year, from the title where it has one.
    pub year: Option<i32>,
    /// The title line(s) the agency and year were read from.
    pub title_span: Option<Span>,
    /// Where `agency` was found: the title, the compiled-by sentence or the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency_source: Option<AgencySource>,
    /// Where `year` was found (a year from the signature is the one before its date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_source: Option<AgencySource>,
    /// The six part headings found, in text order.
    pub parts: Vec<PartHeading>,
    /// Where each table was found (from its heading or first anchor to its end).
    pub tables: Vec<TableLocation>,
    /// All 200 cells in [`CellKey`] order.
    pub cells: Vec<Cell>,
    /// What did not fit the template.
    pub warnings: Vec<ExtractionWarning>,
}

/// Where a table was found in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableLocation {
    /// Which table.
    pub table: TableId,
    /// From the heading (or first anchor) to the end of the table's region.
    pub span: Span,
}

/// Something the extractor noticed and could not read cleanly. Checks turn each into a finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExtractionWarning {
    /// What happened.
    pub kind: WarningKind,
    /// The cells concerned.
    pub keys: Vec<CellKey>,
    /// Where in the source.
    pub span: Option<Span>,
    /// A Chinese sentence for the reviewer: [`WarningKind::message`].
    pub message: String,
}

/// The kinds of extraction warnings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WarningKind {
    /// A table was not found at all; its cells are blank.
    TableNotFound {
        /// Which table.
        table: TableId,
    },
    /// A row's label was not found in a table that was found.
    RowNotFound {
        /// Which table.
        table: TableId,
        /// The template label of the missing row.
        label: String,
    },
    /// A row had fewer values than columns; they were assigned from the left (or by position
    /// where delimiters showed the empty cells), the rest left blank.
    TooFewValues {
        /// Which table.
        table: TableId,
        /// The row label.
        label: String,
        /// Columns in the row.
        expected: usize,
        /// Values read.
        found: usize,
    },
    /// A row had more values than columns; the first ones were assigned, the rest are listed.
    TooManyValues {
        /// Which table.
        table: TableId,
        /// The row label.
        label: String,
        /// Columns in the row.
        expected: usize,
        /// Values read.
        found: usize,
        /// The values that were not assigned, as printed, with their spans (the first
        /// [`MAX_LISTED_EXTRAS`](crate::ingest::limits::MAX_LISTED_EXTRAS)).
        extra: Vec<(String, Span)>,
    },
    /// A row's digits were run together and split, because only one split fits the table's
    /// relations.
    DigitsSplit {
        /// Which table.
        table: TableId,
        /// The row label.
        label: String,
        /// The run of digits as printed.
        raw: String,
    },
    /// A row's digits were run together and could not be split unambiguously; the row's cells
    /// are left unread.
    DigitsUnresolved {
        /// Which table.
        table: TableId,
        /// The row label.
        label: String,
        /// The run of digits as printed.
        raw: String,
        /// How many ways it could be split (capped).
        candidates: usize,
    },
    /// A row or column label differs from the template (`社会组织` for `社会公益组织`,
    /// `预期` for `逾期`).
    LabelMismatch {
        /// Which table.
        table: TableId,
        /// The template's label.
        expected: String,
        /// The label as printed.
        found: String,
    },
    /// Labels of the pre-2021 trial format were found.
    StaleTemplate {
        /// The phrase seen, e.g. `本年新制作数量`.
        phrase: String,
    },
    /// A number wrapped over two lines of a narrow cell (`2` / `6`), joined because only the
    /// joined number satisfies the row's relation.
    NumberWrapped {
        /// Which table.
        table: TableId,
        /// The row label.
        label: String,
        /// The joined number.
        raw: String,
    },
    /// Rows whose values were printed column by column (the first column of all of them, then
    /// the second, …: a converter reading a page's columns in turn) or interleaved cell by
    /// cell, put back into rows because only that reading satisfies their relations.
    ReadByColumns {
        /// Which table.
        table: TableId,
        /// The rows' template labels.
        rows: Vec<String>,
    },
    /// Rows whose values read as well row by row as column by column but give other cells:
    /// left unread.
    OrderAmbiguous {
        /// Which table.
        table: TableId,
        /// The rows' template labels.
        rows: Vec<String>,
    },
    /// A group printed as one combined row (`（六）其他处理 0 0 0 0 0 0 0`) instead of its
    /// sub-rows: the sub-rows' cells stay blank and the combined values are listed.
    CombinedRow {
        /// Which table.
        table: TableId,
        /// The combined row's label.
        label: String,
        /// Its values as printed.
        values: Vec<String>,
    },
    /// Numbers inside a table that no cell could take when it was read as a whole.
    UnplacedValues {
        /// Which table.
        table: TableId,
        /// How many.
        count: usize,
        /// The first of them, as printed, with their spans.
        values: Vec<(String, Span)>,
    },
    /// Text inside a table that is neither a known label nor a value.
    UnreadText {
        /// Which table.
        table: TableId,
        /// The text.
        text: String,
    },
}

impl Extraction {
    /// The cell for `key`.
    pub fn cell(&self, key: CellKey) -> &Cell {
        &self.cells[key.index()]
    }

    /// True when the table was found.
    pub fn has_table(&self, table: TableId) -> bool {
        self.tables.iter().any(|t| t.table == table)
    }

    /// The tables found, in report order.
    pub fn tables_found(&self) -> Vec<TableId> {
        self.tables.iter().map(|t| t.table).collect()
    }

    /// Number of cells that hold printed text.
    pub fn cells_read(&self) -> usize {
        self.cells.iter().filter(|c| c.raw.is_some()).count()
    }
}

/// The agency and year of a report as [`extract`] reads them, without reading the tables: what
/// the first pass over a batch too large to keep in memory needs to find a body's other years
/// (the report is read in full later). `None` when the text has no table region at all.
pub fn identity(source: &SourceText) -> Option<(Option<String>, Option<i32>)> {
    let text = &source.text[..source.text.floor_char_boundary(MAX_EXTRACT_BYTES)];
    let lines = layout::Lines::with_virtual_breaks(text);
    let parts = locate::find_parts(text, &lines);
    let regions = locate::table_regions(text, &lines, &parts);
    if TableId::ALL.iter().all(|t| regions.get(*t).is_none()) {
        return None;
    }
    let meta = metadata::read(text, &lines, &parts);
    Some((meta.agency, meta.year))
}

/// Reads a report. Never panics; a text with no tables gives blank cells and
/// `TableNotFound` warnings. Only the first [`MAX_EXTRACT_BYTES`] of the text are read.
pub fn extract(source: &SourceText) -> Extraction {
    // Spans index the whole text; reading only its start keeps them valid.
    let text = &source.text[..source.text.floor_char_boundary(MAX_EXTRACT_BYTES)];
    let lines = layout::Lines::with_virtual_breaks(text);
    let parts = locate::find_parts(text, &lines);
    let meta = metadata::read(text, &lines, &parts);
    let regions = locate::table_regions(text, &lines, &parts);
    let mut cells: Vec<Cell> = std::iter::repeat_with(Cell::blank)
        .take(CELL_COUNT)
        .collect();
    let mut warnings = Vec::new();
    let mut tables = Vec::new();
    let mut active_warnings = 0..0;
    // Each region is split into tokens once: the line reader and the second readings share them.
    let tokens: [Option<Vec<tokens::Token>>; 3] = TableId::ALL.map(|table| {
        regions
            .get(table)
            .map(|region| read::region_tokens(text, &lines, region))
    });
    for table in TableId::ALL {
        let first_warning = warnings.len();
        let read = regions.get(table).and_then(|region| {
            let tokens = tokens[table as usize].as_deref().unwrap_or_default();
            let (end, doubtful) =
                read::read_table(table, text, tokens, region, &mut cells, &mut warnings)?;
            // 表三 and 表四 are read again as a whole when the lines left them in doubt; 表二,
            // whose reading depends on 表三's, below.
            let end = if table == TableId::Active {
                end
            } else {
                whole::reread(
                    table,
                    text,
                    tokens,
                    region,
                    &mut cells,
                    &mut warnings,
                    first_warning,
                    doubtful,
                )
                .map_or(end, |e| e.max(end))
            };
            Some((region.start, end))
        });
        if table == TableId::Active {
            active_warnings = first_warning..warnings.len();
        }
        match read {
            Some((start, end)) => tables.push(TableLocation {
                table,
                span: Span::new(start, end.max(start)),
            }),
            None => warnings.push(ExtractionWarning {
                kind: WarningKind::TableNotFound { table },
                keys: table.keys().collect(),
                span: None,
                message: WarningKind::TableNotFound { table }.message(),
            }),
        }
    }
    // Table 二 has no relations of its own: whether its shared value groups were printed by
    // columns is judged from table 三 of the same text.
    if let Some(tokens) = &tokens[TableId::Active as usize]
        && tables.iter().any(|t| t.table == TableId::Active)
    {
        let by_columns = warnings.iter().any(|w| {
            matches!(&w.kind, WarningKind::ReadByColumns { table, .. } if *table == TableId::Requests)
        });
        whole::reread_active(
            text,
            tokens,
            &mut cells,
            &mut warnings,
            active_warnings,
            by_columns,
        );
    }
    if let Some(w) = locate::stale_template(text, &regions) {
        warnings.push(w);
    }
    Extraction {
        agency: meta.agency,
        year: meta.year,
        title_span: meta.title_span,
        agency_source: meta.agency_source,
        year_source: meta.year_source,
        parts,
        tables,
        cells,
        warnings,
    }
}
