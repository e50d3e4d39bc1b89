//! The second reading of a table, as a whole: when the line reader's reading leaves rows
//! unfound, rows with the wrong number of values, or relations broken, the table's values are
//! decoded in text order against the template (see [`super::decode`]) and the reading that
//! explains the table better is kept. Every decision the relations made is recorded as a
//! warning; where they leave a block open its cells stay unread and flagged.

use super::decode::{self, Order, Step};
use super::locate::Region;
use super::read::{push_warning, read_active_queued, whole_number};
use super::tokens::{TokKind, Token};
use super::{ExtractionWarning, WarningKind};
use crate::ingest::limits::MAX_LISTED_EXTRAS;
use crate::model::{
    APPEALS_COLS, APPEALS_GROUPS, Cell, CellKey, REQUESTS_COLS, REQUESTS_ROWS, Req, Span, TableId,
};

/// Rows of table 三 that a report may print as one combined row （六）其他处理.
const OTHER_ROWS: std::ops::Range<usize> = Req::OtherNoCorrection.index()..Req::Total.index();

/// A row of the table as the decoder reads it: a template row, or the combined （六） row whose
/// values belong to no cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Row {
    Template(usize),
    CombinedOther,
}

/// How well a table's cells agree with its relations, as (rows, columns): each row relation
/// that holds with numbers in it counts for the reading, each that fails counts hard against it,
/// each cell read counts a little (so reading more of the table is better, other things equal);
/// the column relations of table 三 come second, to choose between readings the rows leave
/// equal (a report's own column errors must not make its numbers be read in another order).
fn quality(table: TableId, cells: &[Cell]) -> (i32, i32) {
    let value = |k: CellKey| cells[k.index()].raw.as_deref().and_then(whole_number);
    let read = table
        .keys()
        .filter(|k| cells[k.index()].raw.is_some())
        .count() as i32;
    let relation = |parts: &[Option<i64>], total: Option<i64>| {
        decode::row_score(parts.iter().copied().chain([total]), parts.len() + 1)
    };
    let mut score = read;
    let mut columns = 0;
    match table {
        TableId::Requests => {
            let cols = REQUESTS_COLS.len();
            for r in 0..REQUESTS_ROWS.len() {
                let parts: Vec<Option<i64>> = (0..cols - 1)
                    .map(|c| value(CellKey::requests(r, c)))
                    .collect();
                score += relation(&parts, value(CellKey::requests(r, cols - 1)));
            }
            for c in 0..cols {
                let v = |r| value(CellKey::requests(r, c));
                let results: Vec<Option<i64>> = (2..23).map(v).collect();
                columns += relation(&results, v(23));
                // new + carried over = total + carried forward, as a sum relation: new =
                // (total + carried forward) - carried over is not a sum, so compare directly.
                if let (Some(a), Some(b), Some(t), Some(f)) = (v(0), v(1), v(23), v(24)) {
                    columns += match (a + b == t + f, a + b) {
                        (true, 0) => 0,
                        (true, _) => 10,
                        (false, _) => -20,
                    };
                }
            }
        }
        TableId::Appeals => {
            let cols = APPEALS_COLS.len();
            for g in 0..APPEALS_GROUPS.len() {
                let parts: Vec<Option<i64>> = (0..cols - 1)
                    .map(|c| value(CellKey::appeals(g, c)))
                    .collect();
                score += relation(&parts, value(CellKey::appeals(g, cols - 1)));
            }
        }
        TableId::Active => {}
    }
    (score, columns)
}

/// True when the line reader's warnings say its reading is doubtful as a whole: a row not
/// found, text it could not place, digits it could not split, or more than one row with the
/// wrong number of values. One such row alone (a value missing or one too many, as reports
/// print them) is the report's, and the relations cannot supply a missing value.
fn troubled(warnings: &[ExtractionWarning]) -> bool {
    let mut counts = 0;
    for w in warnings {
        match w.kind {
            WarningKind::RowNotFound { .. }
            | WarningKind::DigitsUnresolved { .. }
            | WarningKind::UnreadText { .. } => return true,
            WarningKind::TooFewValues { .. } | WarningKind::TooManyValues { .. } => counts += 1,
            _ => {}
        }
    }
    counts > 1
}

/// The rows of table 三 as printed: the template's, or with （六） printed as one row when its
/// three sub-rows are nowhere in the region.
fn requests_rows(text: &str, region: &Region) -> (Vec<Row>, bool) {
    let body = &text.as_bytes()[region.start..region.end];
    // `memmem` rather than `str::contains`, whose searcher takes longer to build than a
    // region takes to scan.
    let has = |word: &str| memchr::memmem::find(body, word.as_bytes()).is_some();
    let combined = has("其他处理")
        && ![
            "不补正",
            "逾期不补",
            "缴纳费用",
            "收费通知",
            "3.其他",
            "3、其他",
            "3．其他",
        ]
        .iter()
        .any(|a| has(a));
    let mut rows = Vec::with_capacity(REQUESTS_ROWS.len());
    for r in 0..REQUESTS_ROWS.len() {
        if combined && OTHER_ROWS.contains(&r) {
            if r == OTHER_ROWS.start {
                rows.push(Row::CombinedOther);
            }
        } else {
            rows.push(Row::Template(r));
        }
    }
    (rows, combined)
}

fn key_of(table: TableId, row: usize, col: usize) -> CellKey {
    match table {
        TableId::Requests => CellKey::requests(row, col),
        _ => CellKey::appeals(row, col),
    }
}

fn row_label(table: TableId, row: Row) -> String {
    match (table, row) {
        (TableId::Requests, Row::Template(r)) => {
            let row = &REQUESTS_ROWS[r];
            format!("{}{}", row.group, row.label)
        }
        (_, Row::Template(g)) => APPEALS_GROUPS[g].label.to_owned(),
        (_, Row::CombinedOther) => "（六）其他处理".to_owned(),
    }
}

/// Reads the table again as a whole and keeps that reading when it explains the table better
/// than the line reader's (whose warnings start at `first_warning`; `doubtful` when it read a
/// block of rows whose relations fail). Returns the end of the values read when the whole
/// reading was kept.
#[allow(clippy::too_many_arguments)]
pub fn reread(
    table: TableId,
    text: &str,
    tokens: &[Token],
    region: &Region,
    cells: &mut [Cell],
    warnings: &mut Vec<ExtractionWarning>,
    first_warning: usize,
    doubtful: bool,
) -> Option<usize> {
    let (rows, combined) = match table {
        TableId::Requests => requests_rows(text, region),
        TableId::Appeals => (
            (0..APPEALS_GROUPS.len()).map(Row::Template).collect(),
            false,
        ),
        TableId::Active => return None,
    };
    // A reading in which every row was found with as many values as columns is the text's own:
    // a relation it breaks is the report's error, never a reason to read the numbers otherwise.
    if !combined && !doubtful && !troubled(&warnings[first_warning..]) {
        return None;
    }
    let by_lines = quality(table, cells);
    let cols = match table {
        TableId::Requests => REQUESTS_COLS.len(),
        _ => APPEALS_COLS.len(),
    };
    let values: Vec<Span> = tokens
        .iter()
        .filter(|t| t.kind == TokKind::Value)
        .map(|t| Span::new(t.start, t.end))
        .collect();
    let numbers: Vec<Option<i64>> = values
        .iter()
        .map(|s| whole_number(&text[s.start..s.end]))
        .collect();
    let decoded = decode::decode(&numbers, rows.len(), cols, rows.len())?;
    let mut candidate = cells.to_vec();
    for key in table.keys() {
        candidate[key.index()] = Cell::blank();
    }
    let mut combined_values = Vec::new();
    for (row, read) in rows.iter().zip(&decoded.cells) {
        for (c, at) in read.iter().enumerate() {
            let Some(at) = *at else { continue };
            let span = values[at];
            match *row {
                Row::Template(r) => {
                    candidate[key_of(table, r, c).index()] =
                        Cell::read(&text[span.start..span.end], span);
                }
                Row::CombinedOther => combined_values.push(span),
            }
        }
    }
    let whole = quality(table, &candidate);
    if whole < by_lines || (whole == by_lines && !combined) {
        return None;
    }
    for key in table.keys() {
        cells[key.index()] = candidate[key.index()].clone();
    }
    // The line reader's doubts about rows are answered; what it said of labels stands.
    let kept: Vec<ExtractionWarning> = warnings
        .drain(first_warning..)
        .filter(|w| {
            matches!(
                w.kind,
                WarningKind::LabelMismatch { .. } | WarningKind::StaleTemplate { .. }
            )
        })
        .collect();
    warnings.extend(kept);
    report(table, text, &rows, &decoded, &values, warnings);
    if combined {
        let keys: Vec<CellKey> = OTHER_ROWS
            .flat_map(|r| (0..cols).map(move |c| CellKey::requests(r, c)))
            .collect();
        let span = combined_values.iter().copied().reduce(Span::cover);
        push_warning(
            warnings,
            WarningKind::CombinedRow {
                table,
                label: "（六）其他处理".to_owned(),
                values: combined_values
                    .iter()
                    .map(|s| text[s.start..s.end].to_owned())
                    .collect(),
            },
            keys,
            span,
        );
    }
    values.iter().zip(&numbers).map(|(s, _)| s.end).max()
}

/// Warnings for what the relations decided: blocks read by columns, blocks left open, values
/// that belong to no cell, rows left unread.
fn report(
    table: TableId,
    text: &str,
    rows: &[Row],
    decoded: &decode::Decoded,
    values: &[Span],
    warnings: &mut Vec<ExtractionWarning>,
) {
    let cols = decoded.cells.first().map_or(0, Vec::len);
    let keys_of = |first: usize, count: usize| -> Vec<CellKey> {
        rows[first..first + count]
            .iter()
            .filter_map(|r| match r {
                Row::Template(r) => Some(*r),
                Row::CombinedOther => None,
            })
            .flat_map(|r| (0..cols).map(move |c| key_of(table, r, c)))
            .collect()
    };
    let labels_of = |first: usize, count: usize| -> Vec<String> {
        rows[first..first + count]
            .iter()
            .map(|r| row_label(table, *r))
            .collect()
    };
    let span_of = |start: usize, count: usize| {
        values[start..start + count * cols]
            .iter()
            .copied()
            .reduce(Span::cover)
    };
    let mut skipped: Vec<(String, Span)> = Vec::new();
    for step in &decoded.steps {
        match *step {
            Step::Block {
                first,
                count,
                start,
                order: Order::Columns,
                ambiguous,
            } => {
                let kind = if ambiguous {
                    WarningKind::OrderAmbiguous {
                        table,
                        rows: labels_of(first, count),
                    }
                } else {
                    WarningKind::ReadByColumns {
                        table,
                        rows: labels_of(first, count),
                    }
                };
                push_warning(warnings, kind, keys_of(first, count), span_of(start, count));
            }
            Step::Block { .. } => {}
            Step::SkipValue(at) => {
                let s = values[at];
                skipped.push((text[s.start..s.end].to_owned(), s));
            }
            Step::SkipRow(r) => {
                if let Row::Template(t) = rows[r] {
                    push_warning(
                        warnings,
                        WarningKind::RowNotFound {
                            table,
                            label: row_label(table, Row::Template(t)),
                        },
                        keys_of(r, 1),
                        None,
                    );
                }
            }
        }
    }
    if !skipped.is_empty() {
        let span = skipped.iter().map(|(_, s)| *s).reduce(Span::cover);
        let count = skipped.len();
        skipped.truncate(MAX_LISTED_EXTRAS);
        push_warning(
            warnings,
            WarningKind::UnplacedValues {
                table,
                count,
                values: skipped,
            },
            Vec::new(),
            span,
        );
    }
}

/// Reads table 二 again with its labels and numbers matched as queues (see
/// [`read_active_queued`]) and keeps that reading when it reads more cells than the line
/// reader did, or as many without the line reader's doubts. `by_columns`: table 三 of the same
/// text was printed column by column.
pub fn reread_active(
    text: &str,
    tokens: &[Token],
    cells: &mut [Cell],
    warnings: &mut Vec<ExtractionWarning>,
    own_warnings: std::ops::Range<usize>,
    by_columns: bool,
) {
    let table = TableId::Active;
    let read_by_lines = table
        .keys()
        .filter(|k| cells[k.index()].raw.is_some())
        .count();
    let doubtful = troubled(&warnings[own_warnings.clone()]);
    if read_by_lines == table.cell_count() && !doubtful && !by_columns {
        return;
    }
    let Some(queued) = read_active_queued(text, tokens, by_columns) else {
        return;
    };
    let (read, shared) = (queued.cells, queued.shared);
    if read.len() < read_by_lines || (read.len() == read_by_lines && !doubtful && shared.is_empty())
    {
        return;
    }
    for key in table.keys() {
        cells[key.index()] = Cell::blank();
    }
    for (key, span) in &read {
        cells[key.index()] = Cell::read(&text[span.start..span.end], *span);
    }
    let mut replaced: Vec<ExtractionWarning> = warnings[own_warnings.clone()]
        .iter()
        .filter(|w| {
            matches!(
                w.kind,
                WarningKind::LabelMismatch { .. } | WarningKind::StaleTemplate { .. }
            )
        })
        .cloned()
        .collect();
    if by_columns && !shared.is_empty() {
        let mut extra = Vec::new();
        let keys: Vec<CellKey> = read
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| shared.contains(&k.row()))
            .collect();
        push_warning(
            &mut extra,
            WarningKind::ReadByColumns {
                table,
                rows: shared
                    .iter()
                    .map(|&r| crate::model::ACTIVE_ROWS[r].label.to_owned())
                    .collect(),
            },
            keys,
            None,
        );
        replaced.extend(extra);
    }
    for (r, row) in crate::model::ACTIVE_ROWS.iter().enumerate() {
        if !read.iter().any(|(k, _)| k.row() == r) {
            let mut extra = Vec::new();
            push_warning(
                &mut extra,
                WarningKind::RowNotFound {
                    table,
                    label: row.label.to_owned(),
                },
                (0..row.cols.len()).map(|c| CellKey::active(r, c)).collect(),
                None,
            );
            replaced.extend(extra);
        }
    }
    warnings.splice(own_warnings, replaced);
}
