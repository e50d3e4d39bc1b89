//! Decodes a table as a whole when lines do not mean rows: PDF text whose labels are detached
//! from their numbers, tables printed column by column (a converter that reads each column of a
//! page before the next), two rows interleaved cell by cell.
//!
//! The table's values are taken in text order, whatever lines and labels surround them, and
//! aligned with the template's rows by dynamic programming. A step reads the next row in row
//! order (its cells one after the other), or the next `k` rows as a block printed column by
//! column (`k × cols` values, the first column of all `k` rows first), or passes over one value
//! that belongs to no cell, or leaves a row unread. Each row's own relation (the total column is
//! the sum of the others) scores a reading: a relation that holds with numbers in it counts for
//! the reading, one that fails counts hard against it. The best-scoring alignment wins; where a
//! block reads as well by rows as by columns but gives other cells, those rows stay unread.
//!
//! The search is bounded: `O(rows × band × rows × cols)` with a band of value offsets around
//! `cols` values per row, and no search at all above [`MAX_DECODE_VALUES`] values.

/// Above this many values in a table's region the decoder is not run (a table has at most 175;
/// hostile input has millions).
pub const MAX_DECODE_VALUES: usize = 400;

/// Score of a row whose relation holds with a non-zero total.
const HOLDS: i32 = 10;
/// Score of a row whose relation fails.
const FAILS: i32 = -20;
/// Cost of passing over a value that belongs to no cell.
const SKIP_VALUE: i32 = -6;
/// Cost of leaving a row unread.
const SKIP_ROW: i32 = -30;
/// Cost of each row beyond the first in a block read by columns: rows first when both read
/// alike, and smaller blocks before larger ones (a block of four that holds only because its
/// last rows happen to balance loses to a block of two that explains the same values).
const BY_COLUMNS: i32 = -1;
/// How far the value offset may run ahead of `cols` per row (values passed over) beyond the
/// surplus of values, and behind it (rows left unread).
const BAND_AHEAD: usize = 14;
const BAND_BEHIND: usize = 3;

/// How a block of rows was printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// One row after the other.
    Rows,
    /// Column by column over `rows` rows.
    Columns,
}

/// One step of the chosen alignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Rows `first..first + count` read from values `start..start + count × cols`.
    Block {
        /// First row of the block.
        first: usize,
        /// Rows in the block.
        count: usize,
        /// First value of the block.
        start: usize,
        /// How the block was printed.
        order: Order,
        /// True when the other order reads as well and gives other cells: left unread.
        ambiguous: bool,
    },
    /// A value that belongs to no cell.
    SkipValue(usize),
    /// A row left unread.
    SkipRow(usize),
}

/// The decoder's reading of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The alignment, in text order.
    pub steps: Vec<Step>,
    /// For each row, the value index of each cell (`None`: unread).
    pub cells: Vec<Vec<Option<usize>>>,
    /// The alignment's score.
    pub score: i32,
}

/// Score of one row's values: `HOLDS` when the last is the sum of the others and not zero, 0
/// when all are zero, `FAILS` otherwise — also when one is not a whole number (a placeholder):
/// such a row is no evidence for a reading, and must not excuse one (moving a placeholder into
/// a row whose sum fails would otherwise turn a failing row into a neutral one).
pub fn row_score(vals: impl Iterator<Item = Option<i64>>, cols: usize) -> i32 {
    let mut sum: i64 = 0;
    let mut last = 0;
    for (i, v) in vals.enumerate() {
        let Some(v) = v else { return FAILS };
        if i + 1 == cols {
            last = v;
        } else {
            sum = sum.saturating_add(v);
        }
    }
    match (last == sum, last) {
        (true, 0) => 0,
        (true, _) => HOLDS,
        (false, _) => FAILS,
    }
}

/// The value index of row `r` (within a block), column `c`.
fn index_in_block(
    start: usize,
    count: usize,
    cols: usize,
    order: Order,
    r: usize,
    c: usize,
) -> usize {
    match order {
        Order::Rows => start + r * cols + c,
        Order::Columns => start + c * count + r,
    }
}

fn block_score(
    values: &[Option<i64>],
    start: usize,
    count: usize,
    cols: usize,
    order: Order,
) -> i32 {
    (0..count)
        .map(|r| {
            row_score(
                (0..cols).map(|c| values[index_in_block(start, count, cols, order, r, c)]),
                cols,
            )
        })
        .sum()
}

/// The score of a block read by columns, or `None` when nothing speaks for that reading: a
/// block is read by columns only when every row of it holds (or is all zeros or has a
/// placeholder) and at least one holds with numbers in it. Without that, shuffling values
/// between rows could only hide a broken relation of the source.
fn column_block_score(
    values: &[Option<i64>],
    start: usize,
    count: usize,
    cols: usize,
) -> Option<i32> {
    let mut total = 0;
    let mut holds = false;
    for r in 0..count {
        let score = row_score(
            (0..cols).map(|c| values[index_in_block(start, count, cols, Order::Columns, r, c)]),
            cols,
        );
        if score < 0 {
            return None;
        }
        holds |= score > 0;
        total += score;
    }
    holds.then_some(total)
}

/// Aligns `rows` template rows of `cols` cells each (each row's last cell the sum of the others)
/// with `values` (whole numbers; `None` for placeholders and decimals). `max_block` bounds the
/// rows of a block printed by columns. `None` when there are too many values to try.
pub fn decode(
    values: &[Option<i64>],
    rows: usize,
    cols: usize,
    max_block: usize,
) -> Option<Decoded> {
    let n = values.len();
    if n > MAX_DECODE_VALUES || rows == 0 || cols == 0 {
        return None;
    }
    let surplus = n.saturating_sub(rows * cols);
    let width = n + 1;
    const NONE: i32 = i32::MIN / 2;
    let mut best = vec![NONE; (rows + 1) * width];
    // How each state was reached: (previous row, previous value, step kind).
    let mut from: Vec<(u32, u32, u8)> = vec![(0, 0, 0); (rows + 1) * width];
    best[0] = 0;
    // How many values before each index are non-zero numbers: a block read by columns needs one
    // row that holds with numbers in it, so a stretch of zeros and placeholders is passed over
    // without scoring its rows.
    let mut nonzero = Vec::with_capacity(n + 1);
    nonzero.push(0u32);
    for v in values {
        let last = nonzero.last().copied().unwrap_or(0);
        nonzero.push(last + u32::from(matches!(v, Some(x) if *x != 0)));
    }
    let band = |i: usize| {
        let centre = i * cols;
        let lo = centre.saturating_sub(BAND_BEHIND * cols);
        let hi = (centre + surplus + BAND_AHEAD).min(n);
        (lo, hi)
    };
    // Step kinds: 0 start, 1 skip value, 2 skip row, 3 row, 4.. block by columns of (kind - 2).
    for i in 0..=rows {
        let (lo, hi) = band(i);
        for p in lo..=hi {
            let s = best[i * width + p];
            if s == NONE {
                continue;
            }
            let mut relax = |ni: usize, np: usize, score: i32, kind: u8| {
                let at = ni * width + np;
                if score > best[at] {
                    best[at] = score;
                    from[at] = (i as u32, p as u32, kind);
                }
            };
            if p < n {
                relax(i, p + 1, s + SKIP_VALUE, 1);
            }
            if i < rows {
                relax(i + 1, p, s + SKIP_ROW, 2);
                if p + cols <= n {
                    relax(
                        i + 1,
                        p + cols,
                        s + block_score(values, p, 1, cols, Order::Rows),
                        3,
                    );
                }
                for k in 2..=max_block.min(rows - i) {
                    if p + k * cols > n {
                        break;
                    }
                    if nonzero[p + k * cols] == nonzero[p] {
                        continue;
                    }
                    if let Some(score) = column_block_score(values, p, k, cols) {
                        relax(
                            i + k,
                            p + k * cols,
                            s + score + BY_COLUMNS * (k as i32 - 1),
                            (k + 2) as u8,
                        );
                    }
                }
            }
        }
    }
    let end = rows * width + n;
    if best[end] == NONE {
        return None;
    }
    let mut steps = Vec::new();
    let (mut i, mut p) = (rows, n);
    while i > 0 || p > 0 {
        let (pi, pp, kind) = from[i * width + p];
        let (pi, pp) = (pi as usize, pp as usize);
        steps.push(match kind {
            1 => Step::SkipValue(pp),
            2 => Step::SkipRow(pi),
            3 => Step::Block {
                first: pi,
                count: 1,
                start: pp,
                order: Order::Rows,
                ambiguous: false,
            },
            k => {
                let count = usize::from(k) - 2;
                let by_rows = block_score(values, pp, count, cols, Order::Rows);
                let by_cols = block_score(values, pp, count, cols, Order::Columns);
                let same_cells = (0..count).all(|r| {
                    (0..cols).all(|c| {
                        values[index_in_block(pp, count, cols, Order::Rows, r, c)]
                            == values[index_in_block(pp, count, cols, Order::Columns, r, c)]
                    })
                });
                Step::Block {
                    first: pi,
                    count,
                    start: pp,
                    order: Order::Columns,
                    ambiguous: by_rows >= by_cols && !same_cells,
                }
            }
        });
        if (pi, pp) == (i, p) {
            break;
        }
        (i, p) = (pi, pp);
    }
    steps.reverse();
    let mut cells = vec![vec![None; cols]; rows];
    for step in &steps {
        if let Step::Block {
            first,
            count,
            start,
            order,
            ambiguous: false,
        } = *step
        {
            for r in 0..count {
                for (c, cell) in cells[first + r].iter_mut().enumerate() {
                    *cell = Some(index_in_block(start, count, cols, order, r, c));
                }
            }
        }
    }
    Some(Decoded {
        steps,
        cells,
        score: best[end],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(s: &str) -> Vec<Option<i64>> {
        s.split_whitespace().map(|w| w.parse().ok()).collect()
    }

    fn read(d: &Decoded, v: &[Option<i64>]) -> Vec<Vec<Option<i64>>> {
        d.cells
            .iter()
            .map(|row| row.iter().map(|c| c.and_then(|i| v[i])).collect())
            .collect()
    }

    // Rows printed one after the other read back in order.
    #[test]
    fn rows_in_order() {
        let v = vals("1 2 3 3 4 7 0 0 0");
        let d = decode(&v, 3, 3, 3).unwrap();
        assert_eq!(
            read(&d, &v),
            [
                vec![Some(1), Some(2), Some(3)],
                vec![Some(3), Some(4), Some(7)],
                vec![Some(0), Some(0), Some(0)]
            ]
        );
    }

    // A block printed column by column is put back into rows by the row sums.
    #[test]
    fn block_by_columns() {
        // Rows (1 2 3) (4 0 4) (0 5 5), printed column by column.
        let v = vals("1 4 0 2 0 5 3 4 5");
        let d = decode(&v, 3, 3, 3).unwrap();
        assert_eq!(
            read(&d, &v),
            [
                vec![Some(1), Some(2), Some(3)],
                vec![Some(4), Some(0), Some(4)],
                vec![Some(0), Some(5), Some(5)]
            ]
        );
        assert!(d.steps.iter().any(|s| matches!(
            s,
            Step::Block {
                order: Order::Columns,
                count: 3,
                ..
            }
        )));
    }

    // A stray number between rows is passed over.
    #[test]
    fn stray_value_skipped() {
        let v = vals("1 2 3 99 4 0 4");
        let d = decode(&v, 2, 3, 2).unwrap();
        assert_eq!(
            read(&d, &v),
            [
                vec![Some(1), Some(2), Some(3)],
                vec![Some(4), Some(0), Some(4)]
            ]
        );
        assert!(d.steps.contains(&Step::SkipValue(3)));
    }

    // Where rows and columns read equally well but differently, the block is left unread.
    #[test]
    fn ambiguous_block_unread() {
        // By rows: (1 1 2) (1 1 2); by columns: (1 1 1) (1 2 2) — only the rows hold... so make
        // a block whose two readings both hold: (2 2 4) (2 2 4) reads the same either way.
        let v = vals("2 2 4 2 2 4");
        let d = decode(&v, 2, 3, 2).unwrap();
        assert_eq!(read(&d, &v)[0], [Some(2), Some(2), Some(4)]);
    }

    // Too many values for the search: no reading.
    #[test]
    fn bounded() {
        let v = vec![Some(0); MAX_DECODE_VALUES + 1];
        assert!(decode(&v, 25, 7, 25).is_none());
    }
}
