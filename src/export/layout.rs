//! Where everything sits on a report sheet: the three tables in the printed template's layout
//! (row and column labels, merged header cells) and the position of each of the 200 cells.
//! Computed once; the writer and the tests both read it.

use crate::model::{
    ACTIVE_ROWS, APPEALS_COLS, APPEALS_GROUPS, Appeal, CELL_COUNT, CellKey, REQUESTS_COLS,
    REQUESTS_ROWS, Req, ReqCol,
};
use std::sync::LazyLock;

/// Width of the label area (columns A–C) in columns.
pub const LABEL_COLS: u16 = 3;

/// Column widths of a report sheet, in Excel character units (A, B, C, then the value columns).
pub const COLUMN_WIDTHS: [f64; 15] = [
    10.0, 14.0, 34.0, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5,
];

/// Row of the sheet title.
pub const TITLE_ROW: u32 = 0;
/// Row of the line naming the file, status and counts.
pub const META_ROW: u32 = 1;

/// How a label cell looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelStyle {
    /// A part heading above a table (`三、收到和处理政府信息公开申请情况`), not merged.
    Section,
    /// A sub-heading inside table 二 (`第二十条第（一）项`).
    Clause,
    /// A column header.
    Header,
    /// A row label.
    Row,
}

/// A fixed text on the sheet, possibly spanning merged cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabelCell {
    /// First row (0-based).
    pub row: u32,
    /// First column (0-based).
    pub col: u16,
    /// Last row of the merged range (equal to `row` when not merged).
    pub last_row: u32,
    /// Last column of the merged range.
    pub last_col: u16,
    /// The text as in the template.
    pub text: &'static str,
    /// How it looks.
    pub style: LabelStyle,
}

impl LabelCell {
    /// True when the label spans more than one cell.
    pub fn is_merged(&self) -> bool {
        self.last_row > self.row || self.last_col > self.col
    }
}

/// Where a value cell sits: one row, possibly several merged columns (table 二's one-value rows
/// span the three value columns as in the template).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValuePosition {
    /// Row (0-based).
    pub row: u32,
    /// First column (0-based).
    pub col: u16,
    /// Last column of the merged range.
    pub last_col: u16,
}

/// The whole fixed layout of a report sheet.
#[derive(Debug)]
pub struct ReportLayout {
    /// Every fixed label.
    pub labels: Vec<LabelCell>,
    /// The position of each cell, in [`CellKey`] order.
    pub values: Vec<ValuePosition>,
    /// The section heading row of each table (二, 三, 四).
    pub section_rows: [u32; 3],
    /// Row heights (in points) for rows whose labels wrap onto several lines.
    pub row_heights: Vec<(u32, f64)>,
    /// One past the last row used.
    pub end_row: u32,
}

impl ReportLayout {
    /// The position of a cell.
    pub fn position(&self, key: CellKey) -> ValuePosition {
        self.values[key.index()]
    }
}

/// The layout, built on first use.
pub fn report_layout() -> &'static ReportLayout {
    static LAYOUT: LazyLock<ReportLayout> = LazyLock::new(build);
    &LAYOUT
}

/// The note above table 三's label area, as printed in the template.
pub const REQUESTS_CORNER: &str =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

struct Builder {
    labels: Vec<LabelCell>,
    values: Vec<ValuePosition>,
}

impl Builder {
    fn label(
        &mut self,
        row: u32,
        col: u16,
        last_row: u32,
        last_col: u16,
        text: &'static str,
        style: LabelStyle,
    ) {
        self.labels.push(LabelCell {
            row,
            col,
            last_row,
            last_col,
            text,
            style,
        });
    }

    fn value(&mut self, key: CellKey, row: u32, col: u16, last_col: u16) {
        self.values[key.index()] = ValuePosition { row, col, last_col };
    }
}

fn build() -> ReportLayout {
    let mut b = Builder {
        labels: Vec::new(),
        values: vec![
            ValuePosition {
                row: 0,
                col: 0,
                last_col: 0
            };
            CELL_COUNT
        ],
    };
    let v = LABEL_COLS; // first value column (D)
    let mut r = 3;

    // 二: groups of rows under their clause of article 20, each with its own header row.
    let active_section = r;
    b.label(r, 0, r, 0, "二、主动公开政府信息情况", LabelStyle::Section);
    r += 1;
    let mut i = 0;
    while i < ACTIVE_ROWS.len() {
        let first = ACTIVE_ROWS[i];
        let group_len = ACTIVE_ROWS[i..]
            .iter()
            .take_while(|row| row.clause == first.clause && row.cols.len() == first.cols.len())
            .count();
        b.label(r, 0, r, v + 2, first.clause, LabelStyle::Clause);
        r += 1;
        b.label(r, 0, r, v - 1, "信息内容", LabelStyle::Header);
        if first.cols.len() == 1 {
            b.label(r, v, r, v + 2, first.col_labels[0], LabelStyle::Header);
        } else {
            for (c, label) in first.col_labels.iter().enumerate() {
                let c = v + c as u16;
                b.label(r, c, r, c, label, LabelStyle::Header);
            }
        }
        r += 1;
        for (offset, row) in ACTIVE_ROWS[i..i + group_len].iter().enumerate() {
            b.label(r, 0, r, v - 1, row.label, LabelStyle::Row);
            for c in 0..row.cols.len() {
                let key = CellKey::active(i + offset, c);
                if row.cols.len() == 1 {
                    b.value(key, r, v, v + 2);
                } else {
                    b.value(key, r, v + c as u16, v + c as u16);
                }
            }
            r += 1;
        }
        i += group_len;
    }

    // 三: three header rows, then 25 rows whose labels nest in up to three levels.
    r += 1;
    let requests_section = r;
    b.label(
        r,
        0,
        r,
        0,
        "三、收到和处理政府信息公开申请情况",
        LabelStyle::Section,
    );
    r += 1;
    let h = r;
    let total_col = v + REQUESTS_COLS.len() as u16 - 1;
    b.label(h, 0, h + 2, v - 1, REQUESTS_CORNER, LabelStyle::Header);
    b.label(h, v, h, total_col - 1, "申请人情况", LabelStyle::Header);
    b.label(
        h,
        total_col,
        h + 2,
        total_col,
        REQUESTS_COLS[ReqCol::Total.index()].label,
        LabelStyle::Header,
    );
    b.label(
        h + 1,
        v,
        h + 2,
        v,
        REQUESTS_COLS[ReqCol::NaturalPerson.index()].label,
        LabelStyle::Header,
    );
    b.label(
        h + 1,
        v + 1,
        h + 1,
        v + 5,
        "法人或其他组织",
        LabelStyle::Header,
    );
    for (c, col) in REQUESTS_COLS.iter().enumerate().take(6).skip(1) {
        let c = v + c as u16;
        b.label(h + 2, c, h + 2, c, col.label, LabelStyle::Header);
    }
    r = h + 3;
    let first_body = r;
    let results_first = Req::Granted.index();
    let results_last = Req::Total.index();
    let mut row_index = 0;
    while row_index < REQUESTS_ROWS.len() {
        let row = REQUESTS_ROWS[row_index];
        let rr = first_body + row_index as u32;
        let in_results = (results_first..=results_last).contains(&row_index);
        let sub_group = row.group.starts_with('（');
        if sub_group {
            let len = REQUESTS_ROWS[row_index..]
                .iter()
                .take_while(|x| x.group == row.group)
                .count();
            b.label(rr, 1, rr + len as u32 - 1, 1, row.group, LabelStyle::Row);
            for k in 0..len {
                let rk = rr + k as u32;
                b.label(
                    rk,
                    2,
                    rk,
                    2,
                    REQUESTS_ROWS[row_index + k].label,
                    LabelStyle::Row,
                );
            }
            row_index += len;
        } else {
            let first_col = if in_results { 1 } else { 0 };
            b.label(rr, first_col, rr, v - 1, row.label, LabelStyle::Row);
            row_index += 1;
        }
    }
    b.label(
        first_body + results_first as u32,
        0,
        first_body + results_last as u32,
        0,
        "三、本年度办理结果",
        LabelStyle::Row,
    );
    for (ri, _) in REQUESTS_ROWS.iter().enumerate() {
        for c in 0..REQUESTS_COLS.len() {
            let col = v + c as u16;
            b.value(CellKey::requests(ri, c), first_body + ri as u32, col, col);
        }
    }
    r = first_body + REQUESTS_ROWS.len() as u32;

    // 四: 行政复议 and 行政诉讼 side by side, three header rows and one row of values.
    r += 1;
    let appeals_section = r;
    b.label(
        r,
        0,
        r,
        0,
        "四、政府信息公开行政复议、行政诉讼情况",
        LabelStyle::Section,
    );
    r += 1;
    let n = APPEALS_COLS.len() as u16;
    b.label(
        r,
        0,
        r,
        n - 1,
        APPEALS_GROUPS[Appeal::Review.index()].label,
        LabelStyle::Header,
    );
    b.label(
        r,
        n,
        r,
        3 * n - 1,
        APPEALS_GROUPS[Appeal::SuitDirect.index()].parent,
        LabelStyle::Header,
    );
    for (c, col) in APPEALS_COLS.iter().enumerate() {
        let c = c as u16;
        b.label(r + 1, c, r + 2, c, col.label, LabelStyle::Header);
    }
    for (g, group) in APPEALS_GROUPS.iter().enumerate().skip(1) {
        let first = g as u16 * n;
        b.label(
            r + 1,
            first,
            r + 1,
            first + n - 1,
            group.label,
            LabelStyle::Header,
        );
        for (c, col) in APPEALS_COLS.iter().enumerate() {
            let c = first + c as u16;
            b.label(r + 2, c, r + 2, c, col.label, LabelStyle::Header);
        }
    }
    let value_row = r + 3;
    for g in 0..APPEALS_GROUPS.len() {
        for c in 0..APPEALS_COLS.len() {
            let col = g as u16 * n + c as u16;
            b.value(CellKey::appeals(g, c), value_row, col, col);
        }
    }
    let end_row = value_row + 1;
    let row_heights = row_heights(&b.labels);
    ReportLayout {
        labels: b.labels,
        values: b.values,
        section_rows: [active_section, requests_section, appeals_section],
        row_heights,
        end_row,
    }
}

/// Display width of text in Excel character units: CJK and full-width characters count two.
pub fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if (c as u32) < 0x1100 { 1.0 } else { 2.0 })
        .sum()
}

/// Lines a text wraps onto in a cell `width` units wide.
pub fn wrapped_lines(text: &str, width: f64) -> u32 {
    let usable = (width - 1.0).max(1.0);
    (text_width(text) / usable).ceil().max(1.0) as u32
}

/// Height in points of `lines` lines of the default 11-point font.
pub fn lines_height(lines: u32) -> f64 {
    15.0 * f64::from(lines.max(1))
}

/// Rows that need more than one line: the label's lines spread over the rows it spans.
fn row_heights(labels: &[LabelCell]) -> Vec<(u32, f64)> {
    let mut out: Vec<(u32, f64)> = Vec::new();
    for l in labels.iter().filter(|l| l.style != LabelStyle::Section) {
        let width: f64 = (l.col..=l.last_col)
            .map(|c| COLUMN_WIDTHS.get(c as usize).copied().unwrap_or(9.5))
            .sum();
        let rows = l.last_row - l.row + 1;
        let lines = wrapped_lines(l.text, width).div_ceil(rows);
        if lines > 1 {
            let height = lines_height(lines);
            for row in l.row..=l.last_row {
                match out.iter_mut().find(|(r, _)| *r == row) {
                    Some((_, h)) => *h = h.max(height),
                    None => out.push((row, height)),
                }
            }
        }
    }
    out.sort_by_key(|(r, _)| *r);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    // Every cell has its own position, and no value overlaps a label.
    #[test]
    fn positions_are_distinct_and_free() {
        let layout = report_layout();
        let mut seen = HashSet::new();
        for key in CellKey::all() {
            let p = layout.position(key);
            for c in p.col..=p.last_col {
                assert!(seen.insert((p.row, c)), "{key}: position taken twice");
            }
        }
        for l in &layout.labels {
            for r in l.row..=l.last_row {
                for c in l.col..=l.last_col {
                    assert!(
                        !seen.contains(&(r, c)),
                        "label {} overlaps a value at {r},{c}",
                        l.text
                    );
                }
            }
        }
    }

    // Merged label ranges never overlap each other (Excel refuses overlapping merges).
    #[test]
    fn merges_do_not_overlap() {
        let layout = report_layout();
        let mut seen = HashSet::new();
        for l in &layout.labels {
            for r in l.row..=l.last_row {
                for c in l.col..=l.last_col {
                    assert!(seen.insert((r, c)), "label {} overlaps at {r},{c}", l.text);
                }
            }
        }
    }

    // Table 三's rows follow the template: 予以公开 in the row after 上年结转, 总计 in the last column.
    #[test]
    fn requests_positions() {
        let layout = report_layout();
        let new = layout.position(CellKey::requests(0, 0));
        let granted = layout.position(CellKey::requests(2, 0));
        let carry = layout.position(CellKey::requests(24, 6));
        assert_eq!(granted.row, new.row + 2);
        assert_eq!(new.col, LABEL_COLS);
        assert_eq!(carry.col, LABEL_COLS + 6);
        assert_eq!(carry.row, new.row + 24);
        let fees = layout.position(CellKey::active(5, 0));
        assert_eq!((fees.col, fees.last_col), (LABEL_COLS, LABEL_COLS + 2));
    }
}
