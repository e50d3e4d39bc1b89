//! The three statistics tables drawn in the official layout of 国办公开办函〔2021〕30号:
//! grouped headers (申请人情况; 法人或其他组织 over its five columns; 行政复议 / 行政诉讼 ·
//! 未经复议直接起诉 / 复议后起诉) and row groups (三、本年度办理结果, （三）…（六）). Cells are
//! coloured by the worst open finding, corrected cells carry a mark, and the selected cell is
//! edited in place. Drawing returns intents; it changes nothing but the editor's text buffer.

use super::i18n::{Strings, fill};
use super::intent::{Move, UiIntent};
use super::report::{FindingState, Report};
use super::theme;
use crate::check::Severity;
use crate::model::{
    ACTIVE_ROWS, APPEALS_COLS, APPEALS_GROUPS, Appeal, CellKey, REQUESTS_COLS, REQUESTS_ROWS, Req,
    ReqCol, TableId, ValueKind,
};
use crate::review::CorrectionValue;
use egui::{
    Align2, Color32, CornerRadius, EventFilter, FontId, Id, Pos2, Rect, Sense, Stroke, StrokeKind,
    WidgetInfo, accesskit::Role, pos2, vec2,
};
use std::sync::LazyLock;

/// The in-place editor of one cell.
#[derive(Clone, Debug, PartialEq)]
pub struct CellEditor {
    /// The cell being edited.
    pub key: CellKey,
    /// What is typed so far.
    pub text: String,
    /// The text the editor opened with; committing it unchanged records nothing.
    pub initial: String,
    /// Why the last commit was refused.
    pub error: Option<String>,
    /// Focus the editor on the next frame it is drawn.
    pub focus_pending: bool,
}

impl CellEditor {
    /// The egui id of the editor's text field.
    pub fn id() -> Id {
        Id::unique("nianbao_cell_editor")
    }
}

/// The note field of the formula bar: the selected cell's free-text note being written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CellNote {
    /// The cell the text belongs to.
    pub key: Option<CellKey>,
    /// The text in the field.
    pub text: String,
}

/// What a block of the grid shows.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// A column heading.
    Header,
    /// A row label.
    Label,
    /// A row group label (vertical when narrow).
    Group,
    /// A small note (the 勾稽关系 in table 三's corner).
    Note,
    /// A value cell.
    Value(CellKey),
}

/// A rectangle of the grid: rows `r0..r1`, columns `c0..c1`.
#[derive(Clone, Copy, Debug)]
struct Block {
    r0: usize,
    r1: usize,
    c0: usize,
    c1: usize,
    kind: Kind,
    text: &'static str,
}

/// A table's grid: column widths, row count, and the blocks that tile it.
struct TableSpec {
    widths: Vec<f32>,
    rows: usize,
    blocks: Vec<Block>,
}

fn block(r0: usize, r1: usize, c0: usize, c1: usize, kind: Kind, text: &'static str) -> Block {
    Block {
        r0,
        r1,
        c0,
        c1,
        kind,
        text,
    }
}

/// Table 二: four columns; each clause heading, a 信息内容 header row, then its rows.
fn active_spec() -> TableSpec {
    let mut blocks = Vec::new();
    let mut r = 0;
    let mut i = 0;
    while i < ACTIVE_ROWS.len() {
        let clause = ACTIVE_ROWS[i].clause;
        let group: Vec<usize> = (i..ACTIVE_ROWS.len())
            .take_while(|&j| ACTIVE_ROWS[j].clause == clause)
            .collect();
        // Rows under one clause share their columns, except 行政许可 (its own clause).
        blocks.push(block(r, r + 1, 0, 4, Kind::Header, clause));
        r += 1;
        let first = &ACTIVE_ROWS[group[0]];
        blocks.push(block(r, r + 1, 0, 1, Kind::Header, "信息内容"));
        let n = first.cols.len();
        for (c, label) in first.col_labels.iter().enumerate() {
            let (c0, c1) = if n == 1 { (1, 4) } else { (1 + c, 2 + c) };
            blocks.push(block(r, r + 1, c0, c1, Kind::Header, label));
        }
        r += 1;
        for &j in &group {
            let row = &ACTIVE_ROWS[j];
            blocks.push(block(r, r + 1, 0, 1, Kind::Label, row.label));
            for c in 0..row.cols.len() {
                let (c0, c1) = if row.cols.len() == 1 {
                    (1, 4)
                } else {
                    (1 + c, 2 + c)
                };
                blocks.push(block(
                    r,
                    r + 1,
                    c0,
                    c1,
                    Kind::Value(CellKey::active(j, c)),
                    "",
                ));
            }
            r += 1;
        }
        i += group.len();
    }
    TableSpec {
        widths: vec![140.0, 150.0, 150.0, 150.0],
        rows: r,
        blocks,
    }
}

/// The row-group label of table 三 rows (（三）不予公开 …), when the row sits in a sub-group.
fn requests_subgroup(row: usize) -> Option<&'static str> {
    let g = REQUESTS_ROWS[row].group;
    g.starts_with('（').then_some(g)
}

/// Table 三: three label columns (三、本年度办理结果 | （三）不予公开 | item) and seven values,
/// under the three header rows 申请人情况 / 自然人 · 法人或其他组织 · 总计 / five organisations.
fn requests_spec() -> TableSpec {
    const H: usize = 3;
    const L: usize = 3;
    let mut blocks = vec![
        block(
            0,
            H,
            0,
            L,
            Kind::Note,
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        ),
        block(0, 1, L, L + 7, Kind::Header, "申请人情况"),
        block(
            1,
            3,
            L,
            L + 1,
            Kind::Header,
            REQUESTS_COLS[ReqCol::NaturalPerson.index()].label,
        ),
        block(1, 2, L + 1, L + 6, Kind::Header, "法人或其他组织"),
        block(
            1,
            3,
            L + 6,
            L + 7,
            Kind::Header,
            REQUESTS_COLS[ReqCol::Total.index()].label,
        ),
    ];
    for (c, col) in REQUESTS_COLS.iter().enumerate().take(6).skip(1) {
        blocks.push(block(2, 3, L + c, L + c + 1, Kind::Header, col.label));
    }
    let first_result = Req::Granted.index();
    let total = Req::Total.index();
    blocks.push(block(
        H + first_result,
        H + total + 1,
        0,
        1,
        Kind::Group,
        "三、本年度办理结果",
    ));
    let mut row = 0;
    while row < REQUESTS_ROWS.len() {
        let r = H + row;
        let spec = &REQUESTS_ROWS[row];
        if let Some(group) = requests_subgroup(row) {
            let len = (row..REQUESTS_ROWS.len())
                .take_while(|&j| REQUESTS_ROWS[j].group == group)
                .count();
            blocks.push(block(r, r + len, 1, 2, Kind::Group, group));
            for (j, item) in REQUESTS_ROWS.iter().enumerate().skip(row).take(len) {
                blocks.push(block(H + j, H + j + 1, 2, 3, Kind::Label, item.label));
            }
            for j in row..row + len {
                push_requests_values(&mut blocks, H + j, j);
            }
            row += len;
            continue;
        }
        let c0 = if (first_result..=total).contains(&row) {
            1
        } else {
            0
        };
        blocks.push(block(r, r + 1, c0, L, Kind::Label, spec.label));
        push_requests_values(&mut blocks, r, row);
        row += 1;
    }
    TableSpec {
        // Narrow label columns whose text wraps, so that the seven value columns fit beside
        // the source on a 1366-pixel-wide screen.
        widths: vec![24.0, 56.0, 150.0, 58.0, 58.0, 58.0, 58.0, 58.0, 58.0, 58.0],
        rows: H + REQUESTS_ROWS.len(),
        blocks,
    }
}

fn push_requests_values(blocks: &mut Vec<Block>, r: usize, row: usize) {
    for c in 0..REQUESTS_COLS.len() {
        blocks.push(block(
            r,
            r + 1,
            3 + c,
            4 + c,
            Kind::Value(CellKey::requests(row, c)),
            "",
        ));
    }
}

/// Table 四: 行政复议 and 行政诉讼 (未经复议直接起诉 / 复议后起诉), five columns each, one row.
fn appeals_spec() -> TableSpec {
    let n = APPEALS_COLS.len();
    let mut blocks = vec![
        block(
            0,
            2,
            0,
            n,
            Kind::Header,
            APPEALS_GROUPS[Appeal::Review.index()].label,
        ),
        block(
            0,
            1,
            n,
            3 * n,
            Kind::Header,
            APPEALS_GROUPS[Appeal::SuitDirect.index()].parent,
        ),
        block(
            1,
            2,
            n,
            2 * n,
            Kind::Header,
            APPEALS_GROUPS[Appeal::SuitDirect.index()].label,
        ),
        block(
            1,
            2,
            2 * n,
            3 * n,
            Kind::Header,
            APPEALS_GROUPS[Appeal::SuitAfterReview.index()].label,
        ),
    ];
    for g in 0..APPEALS_GROUPS.len() {
        for (c, col) in APPEALS_COLS.iter().enumerate() {
            let x = g * n + c;
            blocks.push(block(2, 3, x, x + 1, Kind::Header, col.label));
            blocks.push(block(
                3,
                4,
                x,
                x + 1,
                Kind::Value(CellKey::appeals(g, c)),
                "",
            ));
        }
    }
    TableSpec {
        widths: vec![44.0; 3 * n],
        rows: 4,
        blocks,
    }
}

static SPECS: LazyLock<[TableSpec; 3]> =
    LazyLock::new(|| [active_spec(), requests_spec(), appeals_spec()]);

fn spec(table: TableId) -> &'static TableSpec {
    match table {
        TableId::Active => &SPECS[0],
        TableId::Requests => &SPECS[1],
        TableId::Appeals => &SPECS[2],
    }
}

/// The printed part heading of a table: `二、主动公开政府信息情况`.
pub fn table_heading(table: TableId) -> String {
    let number = match table {
        TableId::Active => "二",
        TableId::Requests => "三",
        TableId::Appeals => "四",
    };
    format!("{number}、{}", table.title())
}

/// The position of a cell in its table's grid of values: (row, column) as drawn. Table 四 is
/// drawn as one row of fifteen.
fn visual_pos(key: CellKey) -> (usize, usize) {
    match key.table() {
        TableId::Appeals => (0, key.row() * APPEALS_COLS.len() + key.col()),
        _ => (key.row(), key.col()),
    }
}

/// The cell drawn at (`row`, `col`) of `table`'s grid of values, if there is one (rows of
/// table 二 have one to three values).
pub fn cell_at(table: TableId, row: usize, col: usize) -> Option<CellKey> {
    if row >= visual_rows(table) {
        return None;
    }
    let key = key_at(table, row, col);
    (visual_pos(key) == (row, col)).then_some(key)
}

/// The rectangle of cells between `a` and `b` (both corners included) as rows of the grid;
/// empty when they are in different tables. Grid squares without a cell are `None`.
pub fn cell_range(a: CellKey, b: CellKey) -> Vec<Vec<Option<CellKey>>> {
    let table = a.table();
    if b.table() != table {
        return Vec::new();
    }
    let ((ra, ca), (rb, cb)) = (visual_pos(a), visual_pos(b));
    (ra.min(rb)..=ra.max(rb))
        .map(|r| {
            (ca.min(cb)..=ca.max(cb))
                .map(|c| cell_at(table, r, c))
                .collect()
        })
        .collect()
}

/// The cell `rows` down and `cols` right of `from` in its table's grid, if there is one.
pub fn cell_offset(from: CellKey, rows: usize, cols: usize) -> Option<CellKey> {
    let (r, c) = visual_pos(from);
    cell_at(from.table(), r + rows, c + cols)
}

fn visual_rows(table: TableId) -> usize {
    match table {
        TableId::Active => ACTIVE_ROWS.len(),
        TableId::Requests => REQUESTS_ROWS.len(),
        TableId::Appeals => 1,
    }
}

fn key_at(table: TableId, row: usize, col: usize) -> CellKey {
    match table {
        TableId::Active => {
            let r = row.min(ACTIVE_ROWS.len() - 1);
            CellKey::active(r, col.min(ACTIVE_ROWS[r].cols.len() - 1))
        }
        TableId::Requests => CellKey::requests(
            row.min(REQUESTS_ROWS.len() - 1),
            col.min(REQUESTS_COLS.len() - 1),
        ),
        TableId::Appeals => {
            let x = col.min(APPEALS_GROUPS.len() * APPEALS_COLS.len() - 1);
            CellKey::appeals(x / APPEALS_COLS.len(), x % APPEALS_COLS.len())
        }
    }
}

/// The cell next to `key` in direction `m`, as the tables are drawn; moving down from a table's
/// last row enters the next table, up from its first row the previous one.
pub fn neighbour(key: CellKey, m: Move) -> CellKey {
    let table = key.table();
    let (row, col) = visual_pos(key);
    let tables = TableId::ALL;
    let ti = tables.iter().position(|t| *t == table).unwrap_or(0);
    match m {
        Move::Stay => key,
        Move::Left => key_at(table, row, col.saturating_sub(1)),
        Move::Right => key_at(table, row, col + 1),
        Move::Up if row > 0 => key_at(table, row - 1, col),
        Move::Up if ti > 0 => {
            let prev = tables[ti - 1];
            key_at(prev, visual_rows(prev) - 1, col)
        }
        Move::Up => key,
        Move::Down if row + 1 < visual_rows(table) => key_at(table, row + 1, col),
        Move::Down if ti + 1 < tables.len() => key_at(tables[ti + 1], 0, col),
        Move::Down => key,
    }
}

/// What the tables panel needs to draw.
pub struct TablesView<'a> {
    /// The report shown.
    pub report: &'a Report,
    /// The selected cell.
    pub selected: Option<CellKey>,
    /// The other cells of a selected range (shift+arrows).
    pub range: &'a [CellKey],
    /// Cells of the selected finding.
    pub related: &'a [CellKey],
    /// The open editor, if any.
    pub editor: Option<&'a mut CellEditor>,
    /// Scroll this cell into view this frame.
    pub scroll_to: Option<CellKey>,
    /// Scroll this table's heading to the top this frame.
    pub jump_to: Option<TableId>,
    /// Show cell keys and rule ids (查看 → 显示内部名称).
    pub internal: bool,
    /// Interface strings.
    pub t: &'static Strings,
}

const PAD: f32 = 4.0;
const MIN_ROW: f32 = 22.0;

/// The header rows of table 三 that stay at the top while its rows scroll under them.
const REQUESTS_HEADER_ROWS: usize = 3;

/// The accessible name of the button that scrolls to `table`: `跳到表三`.
pub fn jump_button_name(table: TableId, t: &Strings) -> String {
    fill(t.jump_to, &[("table", &table.label())])
}

/// The bar above the tables: 表二 / 表三 / 表四 buttons that scroll to each table, and the
/// legend of cell colours.
pub fn table_bar_ui(ui: &mut egui::Ui, t: &Strings, out: &mut Vec<UiIntent>) {
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        for table in TableId::ALL {
            let response = ui
                .button(table.label())
                .on_hover_text(table_heading(table))
                .accessible_name(jump_button_name(table, t));
            if response.clicked() {
                out.push(UiIntent::JumpToTable(table));
            }
        }
        ui.separator();
        legend_ui(ui, t, dark);
    });
}

/// Draws the three tables and returns what the reviewer asked for in `out`.
pub fn tables_ui(ui: &mut egui::Ui, mut view: TablesView<'_>, out: &mut Vec<UiIntent>) {
    let dark = ui.visuals().dark_mode;
    for table in TableId::ALL {
        let heading = ui.horizontal(|ui| {
            ui.label(
                egui::RichText::new(table_heading(table))
                    .strong()
                    .size(15.0),
            );
            if !view.report.session.extraction.has_table(table) {
                ui.label(egui::RichText::new(view.t.table_missing).weak());
            }
        });
        if view.jump_to == Some(table) {
            ui.scroll_to_rect(heading.response.rect, Some(egui::Align::TOP));
        }
        ui.add_space(2.0);
        grid_ui(ui, table, &mut view, dark, out);
        ui.add_space(14.0);
    }
}

fn legend_ui(ui: &mut egui::Ui, t: &Strings, dark: bool) {
    ui.horizontal(|ui| {
        for severity in [Severity::Error, Severity::Warning, Severity::Info] {
            swatch(ui, theme::severity_fill(severity, dark), None);
            ui.label(t.severity(severity));
            ui.add_space(6.0);
        }
        swatch(
            ui,
            theme::corrected_fill(dark),
            Some(theme::corrected_strong(dark)),
        );
        ui.label(t.corrected);
    });
}

fn swatch(ui: &mut egui::Ui, fill: Color32, corner: Option<Color32>) {
    let (rect, _) = ui.allocate_exact_size(vec2(14.0, 14.0), Sense::hover());
    let p = ui.painter();
    p.rect(
        rect,
        CornerRadius::ZERO,
        fill,
        Stroke::new(1.0, theme::grid_line(ui.visuals().dark_mode)),
        StrokeKind::Inside,
    );
    if let Some(c) = corner {
        corner_mark(p, rect, c);
    }
}

fn corner_mark(p: &egui::Painter, rect: Rect, color: Color32) {
    let s = 7.0;
    p.add(egui::Shape::convex_polygon(
        vec![
            rect.right_top(),
            rect.right_top() + vec2(0.0, s),
            rect.right_top() - vec2(s, 0.0),
        ],
        color,
        Stroke::NONE,
    ));
}

/// The column widths of a table drawn `available` wide: the item-label column takes up to
/// 640 more points when there is room, so that its labels (the longest, （六）'s, are some 40
/// characters) stay on one line and the table is shorter (all of 表三 fits a 1920×1080 screen;
/// at 1366 the narrow column keeps the values in view).
fn widths_in(table: TableId, spec: &TableSpec, available: f32) -> Vec<f32> {
    let mut widths = spec.widths.clone();
    let label = match table {
        TableId::Active => 0,
        TableId::Requests => 2,
        TableId::Appeals => return widths,
    };
    let spare = available - widths.iter().sum::<f32>() - 16.0;
    widths[label] += spare.clamp(0.0, 640.0).floor();
    widths
}

/// Row heights that fit every block's text at the columns' widths.
fn row_heights(ui: &egui::Ui, spec: &TableSpec, widths: &[f32]) -> Vec<f32> {
    let mut heights = vec![MIN_ROW; spec.rows];
    let mut tall: Vec<(&Block, f32)> = Vec::new();
    for b in &spec.blocks {
        if b.text.is_empty() {
            continue;
        }
        let width: f32 = widths[b.c0..b.c1].iter().sum::<f32>() - 2.0 * PAD;
        let galley = text_galley(ui, b.kind, b.text, width, Color32::PLACEHOLDER);
        let need = galley.size().y + 2.0 * PAD;
        if b.r1 - b.r0 == 1 {
            heights[b.r0] = heights[b.r0].max(need);
        } else {
            tall.push((b, need));
        }
    }
    for (b, need) in tall {
        let have: f32 = heights[b.r0..b.r1].iter().sum();
        if have < need {
            heights[b.r1 - 1] += need - have;
        }
    }
    heights
}

fn font_for(kind: Kind) -> FontId {
    match kind {
        Kind::Note => FontId::proportional(11.0),
        _ => FontId::proportional(13.0),
    }
}

fn text_galley(
    ui: &egui::Ui,
    kind: Kind,
    text: &str,
    width: f32,
    color: Color32,
) -> std::sync::Arc<egui::Galley> {
    ui.painter()
        .layout(text.to_owned(), font_for(kind), color, width.max(8.0))
}

fn grid_ui(
    ui: &mut egui::Ui,
    table: TableId,
    view: &mut TablesView<'_>,
    dark: bool,
    out: &mut Vec<UiIntent>,
) {
    let spec = spec(table);
    let widths = widths_in(table, spec, ui.available_width());
    let heights = row_heights(ui, spec, &widths);
    let mut xs = Vec::with_capacity(widths.len() + 1);
    xs.push(0.0);
    for w in &widths {
        xs.push(xs.last().copied().unwrap_or(0.0) + w);
    }
    let mut ys = Vec::with_capacity(heights.len() + 1);
    ys.push(0.0);
    for h in &heights {
        ys.push(ys.last().copied().unwrap_or(0.0) + h);
    }
    let size = vec2(
        xs.last().copied().unwrap_or(0.0),
        ys.last().copied().unwrap_or(0.0),
    );
    let (outer, _) = ui.allocate_exact_size(size, Sense::hover());
    let origin = outer.min;
    let rect_of = |b: &Block| {
        Rect::from_min_max(
            origin + vec2(xs[b.c0], ys[b.r0]),
            origin + vec2(xs[b.c1], ys[b.r1]),
        )
    };
    // A cell to bring into view may sit in a table that is scrolled out of sight entirely.
    let sticky = if table == TableId::Requests {
        ys[REQUESTS_HEADER_ROWS]
    } else {
        0.0
    };
    if let Some(target) = view.scroll_to
        && let Some(b) = spec.blocks.iter().find(|b| b.kind == Kind::Value(target))
    {
        // Room above the cell for the header rows that stay pinned over it.
        let r = rect_of(b);
        let around =
            Rect::from_min_max(r.min - vec2(24.0, 24.0 + sticky), r.max + vec2(24.0, 24.0));
        ui.scroll_to_rect(around, None);
    }
    if !ui.is_rect_visible(outer) {
        return;
    }
    let line = Stroke::new(1.0, theme::grid_line(dark));
    let mut cell_rects: Vec<(CellKey, Rect)> = Vec::new();
    for b in &spec.blocks {
        let rect = rect_of(b);
        if !ui.is_rect_visible(rect) {
            if let Kind::Value(key) = b.kind {
                cell_rects.push((key, rect));
            }
            continue;
        }
        match b.kind {
            Kind::Value(key) => {
                cell_rects.push((key, rect));
            }
            kind => paint_block(ui, kind, b.text, rect, dark, line),
        }
    }
    for (key, rect) in cell_rects {
        value_cell_ui(ui, key, rect, view, dark, line, out);
    }
    // Table 三's header rows stay at the top of the view while its rows scroll under them.
    let clip = ui.clip_rect();
    if sticky > 0.0 && outer.top() < clip.top() && outer.bottom() - sticky > clip.top() {
        let dy = clip.top() - outer.top();
        let band = Rect::from_min_max(
            pos2(outer.left(), clip.top()),
            pos2(outer.right(), clip.top() + sticky),
        );
        ui.painter()
            .rect_filled(band, CornerRadius::ZERO, ui.visuals().panel_fill);
        for b in spec.blocks.iter().filter(|b| b.r1 <= REQUESTS_HEADER_ROWS) {
            paint_block(
                ui,
                b.kind,
                b.text,
                rect_of(b).translate(vec2(0.0, dy)),
                dark,
                line,
            );
        }
        // The band takes the pointer, so a click on it never reaches a cell hidden beneath.
        ui.interact(band, Id::unique("requests_sticky_header"), Sense::click());
    }
}

/// Paints a header, label, group or note block with its text.
fn paint_block(ui: &egui::Ui, kind: Kind, text: &str, rect: Rect, dark: bool, line: Stroke) {
    let painter = ui.painter();
    let fill = if kind == Kind::Label {
        Color32::TRANSPARENT
    } else {
        theme::header_fill(dark)
    };
    painter.rect(rect, CornerRadius::ZERO, fill, line, StrokeKind::Middle);
    let color = if kind == Kind::Note {
        ui.visuals().weak_text_color()
    } else {
        ui.visuals().text_color()
    };
    let galley = text_galley(ui, kind, text, rect.width() - 2.0 * PAD, color);
    let pos = match kind {
        Kind::Label => pos2(rect.left() + PAD, rect.center().y - galley.size().y / 2.0),
        _ => rect.center() - galley.size() / 2.0,
    };
    painter.galley(pos, galley, color);
}

fn value_cell_ui(
    ui: &mut egui::Ui,
    key: CellKey,
    rect: Rect,
    view: &mut TablesView<'_>,
    dark: bool,
    line: Stroke,
    out: &mut Vec<UiIntent>,
) {
    let report = view.report;
    if let Some(editor) = view.editor.as_deref_mut()
        && editor.key == key
    {
        editor_ui(ui, rect, editor, out);
        return;
    }
    let id = Id::unique(("nianbao_cell", key.index()));
    let response = ui.interact(rect, id, Sense::CLICK);
    let cell = report.cell(key);
    let shown = cell.raw.as_deref().unwrap_or_default().to_owned();
    let selected = view.selected == Some(key);
    response.widget_info(|| {
        let mut info = WidgetInfo::selected(Role::Cell, true, selected, key.accessible_name());
        info.current_text_value = Some(shown.clone());
        info
    });
    if !ui.is_rect_visible(rect) {
        return;
    }
    let flag = report.flag(key);
    let corrected = report.session.is_corrected(key);
    let in_range = view.range.contains(&key);
    let fill = match (flag, corrected) {
        _ if in_range => ui.visuals().selection.bg_fill.gamma_multiply(0.45),
        (Some(s), _) => theme::severity_fill(s, dark),
        (None, true) => theme::corrected_fill(dark),
        (None, false) if response.hovered() => ui.visuals().widgets.hovered.weak_bg_fill,
        (None, false) => Color32::TRANSPARENT,
    };
    let painter = ui.painter();
    painter.rect(rect, CornerRadius::ZERO, fill, line, StrokeKind::Middle);
    if corrected {
        corner_mark(painter, rect, theme::corrected_strong(dark));
    }
    let color = if corrected {
        theme::corrected_strong(dark)
    } else {
        match cell.kind() {
            ValueKind::Placeholder | ValueKind::Text => ui.visuals().weak_text_color(),
            _ => ui.visuals().text_color(),
        }
    };
    if !shown.is_empty() {
        let galley = painter.layout_no_wrap(shown.clone(), FontId::proportional(13.5), color);
        let inner = rect.shrink(2.0);
        let pos = Align2::CENTER_CENTER
            .align_size_within_rect(galley.size(), inner)
            .min;
        // A long annotated value (`12872.06 万元`) is clipped to its cell.
        ui.painter().with_clip_rect(inner).galley(
            Pos2::new(pos.x.max(inner.left()), pos.y),
            galley,
            color,
        );
    }
    if view.related.contains(&key) {
        let c = flag.map_or(ui.visuals().selection.stroke.color, |s| {
            theme::severity_strong(s, dark)
        });
        ui.painter().rect_stroke(
            rect.shrink(1.0),
            CornerRadius::ZERO,
            Stroke::new(2.0, c),
            StrokeKind::Inside,
        );
    }
    if selected {
        ui.painter().rect_stroke(
            rect,
            CornerRadius::ZERO,
            Stroke::new(2.5, ui.visuals().selection.stroke.color),
            StrokeKind::Inside,
        );
    }
    if response.clicked() {
        out.push(UiIntent::Select(key));
    }
    if response.double_clicked() {
        out.push(UiIntent::BeginEdit {
            key,
            replace_with: None,
        });
    }
    response.context_menu(|ui| cell_menu_ui(ui, key, report, view.t, out));
    response.on_hover_ui(|ui| cell_tooltip_ui(ui, key, report, view.t, view.internal));
}

fn editor_ui(ui: &mut egui::Ui, rect: Rect, editor: &mut CellEditor, out: &mut Vec<UiIntent>) {
    let key = editor.key;
    let te = egui::TextEdit::singleline(&mut editor.text)
        .id(CellEditor::id())
        .align(Align2::CENTER_CENTER)
        .margin(egui::Margin::symmetric(2, 2))
        .font(FontId::proportional(13.5))
        .event_filter(EventFilter {
            tab: true,
            horizontal_arrows: true,
            vertical_arrows: true,
            escape: true,
        })
        .return_key(None)
        .desired_width(rect.width() - 4.0);
    // `place`, not `put`: the editor sits over a cell already laid out, and advancing the
    // cursor past it would move everything drawn after it (the next table) up over this one.
    let response = ui
        .place(rect.shrink(1.0), te)
        .accessible_name(key.accessible_name());
    if editor.error.is_some() {
        ui.painter().rect_stroke(
            rect,
            CornerRadius::ZERO,
            Stroke::new(
                2.0,
                theme::severity_strong(Severity::Error, ui.visuals().dark_mode),
            ),
            StrokeKind::Inside,
        );
    }
    if editor.focus_pending {
        response.request_focus();
        editor.focus_pending = false;
    } else if response.lost_focus() {
        out.push(UiIntent::CommitCell {
            key,
            text: editor.text.clone(),
            then: Move::Stay,
        });
    }
}

fn cell_menu_ui(
    ui: &mut egui::Ui,
    key: CellKey,
    report: &Report,
    t: &Strings,
    out: &mut Vec<UiIntent>,
) {
    ui.label(egui::RichText::new(shown_name(key)).weak());
    if ui.button(t.edit_cell).clicked() {
        out.push(UiIntent::BeginEdit {
            key,
            replace_with: None,
        });
        ui.close();
    }
    if ui.button(t.mark_blank).clicked() {
        out.push(UiIntent::MarkCell {
            key,
            value: CorrectionValue::Blank,
        });
        ui.close();
    }
    if ui.button(t.mark_na).clicked() {
        out.push(UiIntent::MarkCell {
            key,
            value: CorrectionValue::NotApplicable,
        });
        ui.close();
    }
    if ui
        .add_enabled(
            report.session.is_corrected(key),
            egui::Button::new(t.restore_original),
        )
        .clicked()
    {
        out.push(UiIntent::Select(key));
        out.push(UiIntent::RestoreOriginal);
        ui.close();
    }
    if let Some(span) = report.source_span(key)
        && ui.button(t.show_in_source).clicked()
    {
        out.push(UiIntent::RevealSpan(span));
        ui.close();
    }
}

/// A cell's name as shown in labels, `表三 · 予以公开 自然人`. It differs from the accessible
/// name of the cell itself so that the name stays unique in the accessibility tree.
pub fn shown_name(key: CellKey) -> String {
    format!("{} · {}", key.table().label(), key.label())
}

/// What a cell holds, for tooltips and the formula bar: `5`, `/`, `（空白）`.
pub fn shown_value(raw: Option<&str>, t: &Strings) -> String {
    match raw {
        Some(r) if !r.is_empty() => r.to_owned(),
        _ => t.blank.to_owned(),
    }
}

/// A correction's value for the window: `5`, `/`, or this language's word for blank.
pub fn shown_correction(value: CorrectionValue, t: &Strings) -> String {
    match value {
        CorrectionValue::Blank => t.blank.to_owned(),
        other => other.display(),
    }
}

fn cell_tooltip_ui(ui: &mut egui::Ui, key: CellKey, report: &Report, t: &Strings, internal: bool) {
    let dark = ui.visuals().dark_mode;
    ui.label(egui::RichText::new(shown_name(key)).strong());
    if internal {
        ui.label(egui::RichText::new(key.name()).weak().monospace());
    }
    let original = report.session.extraction.cell(key);
    match original.span {
        Some(span) => ui.label(t.labelled(
            t.original,
            t.aside(
                shown_value(original.raw.as_deref(), t),
                format!("{} {}", t.line, report.line_of(span.start)),
            ),
        )),
        None => ui.label(t.labelled(
            t.original,
            t.aside(shown_value(original.raw.as_deref(), t), t.not_in_source),
        )),
    };
    if let Some(edit) = report.session.current_edit(key) {
        ui.label(
            egui::RichText::new(t.labelled(
                t.corrected,
                format!(
                    "{} → {}",
                    shown_value(edit.before.raw.as_deref(), t),
                    shown_correction(edit.value, t)
                ),
            ))
            .color(theme::corrected_strong(dark)),
        );
        ui.label(t.labelled(t.corrected_at, crate::export::xlsx::display_time(edit.at)));
        if let Some(note) = &edit.note {
            ui.label(t.labelled(t.note, note));
        }
    }
    if let Some(note) = report.session.notes.get(&key) {
        ui.label(t.labelled(t.cell_note, note));
    }
    for (i, f) in report.findings_of(key) {
        ui.separator();
        let state = report.finding_state(i);
        let mut head = t.severity(f.severity).to_owned();
        if internal {
            head.push_str(" · ");
            head.push_str(&f.rule);
        }
        if state != FindingState::Open {
            head.push_str(" · ");
            head.push_str(match state {
                FindingState::Confirmed => t.state_confirmed,
                _ => t.state_dismissed,
            });
        }
        ui.label(
            egui::RichText::new(head)
                .color(theme::severity_strong(f.severity, dark))
                .strong(),
        );
        ui.label(&f.message);
        if let Some(numbers) = numbers_line(f.expected, f.found, t) {
            ui.label(numbers);
        }
    }
}

/// `应为 12，实为 10（相差 2）` when a finding has both numbers.
pub fn numbers_line(expected: Option<f64>, found: Option<f64>, t: &Strings) -> Option<String> {
    let fmt = crate::model::format_number;
    match (expected, found) {
        (Some(e), Some(f)) => Some(fill(
            t.numbers_both,
            &[
                ("expected", &fmt(e)),
                ("found", &fmt(f)),
                ("difference", &fmt((f - e).abs())),
            ],
        )),
        (Some(e), None) => Some(fill(t.numbers_expected, &[("expected", &fmt(e))])),
        (None, Some(f)) => Some(fill(t.numbers_found, &[("found", &fmt(f))])),
        (None, None) => None,
    }
}

/// What the formula bar shows.
pub struct FormulaBar<'a> {
    /// The report shown.
    pub report: &'a Report,
    /// The selected cell.
    pub selected: Option<CellKey>,
    /// The open editor, whose refusal reason the bar repeats.
    pub editor: Option<&'a CellEditor>,
    /// Interface strings.
    pub t: &'static Strings,
    /// Show the cell's key (查看 → 显示内部名称).
    pub internal: bool,
}

/// The bar above the tables: the selected cell's name, original and current value, the
/// blank / not-applicable buttons, and why a typed value was refused.
pub fn formula_bar_ui(
    ui: &mut egui::Ui,
    bar: FormulaBar<'_>,
    note: &mut CellNote,
    out: &mut Vec<UiIntent>,
) {
    let FormulaBar {
        report,
        selected,
        editor,
        t,
        internal,
    } = bar;
    // A fixed height, so that selecting a cell never shifts the tables under the pointer
    // (the second click of a double click must land on the same cell).
    let size = vec2(ui.available_width(), 28.0);
    let layout = egui::Layout::left_to_right(egui::Align::Center);
    ui.allocate_ui_with_layout(size, layout, |ui| {
        ui.set_min_size(size);
        let Some(key) = selected else {
            ui.label(egui::RichText::new(t.cell).weak());
            return;
        };
        ui.label(egui::RichText::new(shown_name(key)).strong());
        if internal {
            ui.label(
                egui::RichText::new(key.name())
                    .weak()
                    .monospace()
                    .size(11.0),
            );
        }
        ui.separator();
        let original = report.session.extraction.cell(key);
        ui.label(t.labelled(t.original, shown_value(original.raw.as_deref(), t)));
        if report.session.is_corrected(key) {
            ui.label(
                egui::RichText::new(
                    t.labelled(t.current, shown_value(report.cell(key).raw.as_deref(), t)),
                )
                .color(theme::corrected_strong(ui.visuals().dark_mode)),
            );
        }
        ui.separator();
        if ui.button(t.mark_blank).clicked() {
            out.push(UiIntent::MarkCell {
                key,
                value: CorrectionValue::Blank,
            });
        }
        if ui.button(t.mark_na).clicked() {
            out.push(UiIntent::MarkCell {
                key,
                value: CorrectionValue::NotApplicable,
            });
        }
        if report.session.is_corrected(key) && ui.button(t.restore_original).clicked() {
            out.push(UiIntent::RestoreOriginal);
        }
        let saved = report.session.notes.get(&key);
        if note.key != Some(key) {
            note.key = Some(key);
            note.text = saved.cloned().unwrap_or_default();
        }
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut note.text)
                    .id(Id::unique("cell_note"))
                    .hint_text(t.cell_note)
                    .desired_width(150.0),
            )
            .accessible_name(t.cell_note);
        if response.lost_focus() && note.text.trim() != saved.map_or("", |s| s.trim()) {
            out.push(UiIntent::SetCellNote {
                key,
                text: note.text.clone(),
            });
        }
        if let Some(error) = editor.and_then(|e| e.error.as_deref()) {
            ui.label(egui::RichText::new(error).color(theme::severity_strong(
                Severity::Error,
                ui.visuals().dark_mode,
            )));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    // Every one of the 200 cells appears exactly once in the three grids.
    #[test]
    fn every_cell_drawn_once() {
        let mut seen = HashSet::new();
        for table in TableId::ALL {
            for b in &spec(table).blocks {
                if let Kind::Value(key) = b.kind {
                    assert!(seen.insert(key), "{key} drawn twice");
                    assert_eq!(key.table(), table, "{key} in the wrong table");
                }
            }
        }
        assert_eq!(seen.len(), 200);
    }

    // The blocks of each grid tile it: no grid square is covered twice or left uncovered.
    #[test]
    fn blocks_tile_the_grid() {
        for table in TableId::ALL {
            let s = spec(table);
            let mut cover = vec![vec![0u8; s.widths.len()]; s.rows];
            for b in &s.blocks {
                for row in cover.iter_mut().take(b.r1).skip(b.r0) {
                    for square in row.iter_mut().take(b.c1).skip(b.c0) {
                        *square += 1;
                    }
                }
            }
            for (r, row) in cover.iter().enumerate() {
                for (c, n) in row.iter().enumerate() {
                    assert_eq!(*n, 1, "{table:?} square ({r},{c}) covered {n} times");
                }
            }
        }
    }

    // Arrow movement stays in the grid and crosses between tables at their edges.
    #[test]
    fn neighbours() {
        let granted_np = CellKey::requests(2, 0);
        assert_eq!(neighbour(granted_np, Move::Down), CellKey::requests(3, 0));
        assert_eq!(neighbour(granted_np, Move::Left), granted_np);
        assert_eq!(neighbour(granted_np, Move::Right), CellKey::requests(2, 1));
        let last = CellKey::requests(24, 6);
        assert_eq!(neighbour(last, Move::Right), last);
        assert_eq!(neighbour(last, Move::Down), CellKey::appeals(1, 1));
        assert_eq!(
            neighbour(CellKey::appeals(0, 4), Move::Right),
            CellKey::appeals(1, 0)
        );
        assert_eq!(
            neighbour(CellKey::requests(0, 3), Move::Up),
            CellKey::active(5, 0)
        );
        assert_eq!(
            neighbour(CellKey::active(0, 2), Move::Down),
            CellKey::active(1, 2)
        );
        assert_eq!(
            neighbour(CellKey::active(1, 2), Move::Down),
            CellKey::active(2, 0)
        );
    }
}
