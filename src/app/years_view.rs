//! The 历年对照 window: the current report beside the other open years of its body, cell by
//! cell, with the continuity relations that do not hold and the paragraphs copied from the
//! year before. The comparison itself is [`crate::check::compare::compare_years`] in the core;
//! this module holds the view's state and cache and draws its parts, returning intents like
//! every panel; [`super::years_window`] gathers the body's reports and draws the window.

use super::i18n::{Strings, fill};
use super::intent::UiIntent;
use super::tables::shown_value;
use super::theme;
use crate::check::compare::{CellHistory, CopiedParagraph, YearsComparison};
use crate::extract::Extraction;
use crate::model::format_number;
use crate::model::{CellKey, Span, TableId};
use egui_extras::{Column, TableBuilder};

/// Characters of a quoted paragraph shown before it is cut (the whole text is in its tooltip).
pub(super) const QUOTE_CHARS: usize = 90;
/// Width of the cell-name column: most 表三 labels fit; the longest (e.g. `本年新收政府信息公开
/// 申请数量 法人或其他组织 商业企业`) are cut, and read in full in the tooltip.
pub(super) const LABEL_WIDTH: f32 = 290.0;
/// Width of one year's column: numbers of up to seven digits, or `（空白）`.
pub(super) const YEAR_WIDTH: f32 = 64.0;

/// What the 历年对照 window shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct YearsView {
    /// The window is shown.
    pub open: bool,
    /// One table, or `None` for all three one after another.
    pub table: Option<TableId>,
    /// Only cells that differ between some two neighbouring years (on by default: with 200
    /// cells, the unchanged ones hide the few that matter).
    pub only_changed: bool,
}

impl Default for YearsView {
    fn default() -> Self {
        Self {
            open: false,
            table: None,
            only_changed: true,
        }
    }
}

/// The comparison of the current report's body, kept until one of its reports changes: the
/// paragraph comparison costs edit distances, too much to redo every frame.
#[derive(Debug)]
pub(super) struct YearsCache {
    /// The reports compared, as (index, id), the current one first.
    pub(super) members: Vec<(usize, u64)>,
    /// Their effective extractions when compared, in the order of `members`.
    pub(super) extractions: Vec<Extraction>,
    /// For each year of the comparison, its position in `members`.
    pub(super) by_year: Vec<usize>,
    /// The comparison.
    pub(super) comparison: YearsComparison,
}

/// Why there is nothing to compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Missing {
    /// The current report's year was not read.
    NoYear,
    /// No other year of the body is open.
    NoOtherYear,
}

/// The cell table: one row per cell, one column per year.
pub(super) fn cells_ui(
    ui: &mut egui::Ui,
    c: &YearsComparison,
    view: YearsView,
    current_year: Option<i32>,
    selected: Option<CellKey>,
    t: &Strings,
    out: &mut Vec<UiIntent>,
) {
    /// A line of the table: a table's heading (when all three are listed), a table with
    /// nothing to list, or a cell.
    enum Line<'a> {
        Heading(TableId),
        Nothing,
        Cell(&'a CellHistory),
    }
    let tables: Vec<TableId> = view.table.map_or(TableId::ALL.to_vec(), |t| vec![t]);
    let mut lines: Vec<Line<'_>> = Vec::new();
    for table in tables {
        if view.table.is_none() {
            lines.push(Line::Heading(table));
        }
        let before = lines.len();
        lines.extend(
            c.cells
                .iter()
                .filter(|h| h.key.table() == table && (!view.only_changed || h.changed()))
                .map(Line::Cell),
        );
        if lines.len() == before {
            lines.push(Line::Nothing);
        }
    }
    let dark = ui.visuals().dark_mode;
    let mut builder = TableBuilder::new(ui)
        .id_salt("years_table")
        .striped(true)
        .sense(egui::Sense::click())
        .auto_shrink([false, true])
        .min_scrolled_height(80.0)
        .column(Column::exact(LABEL_WIDTH).clip(true));
    for _ in &c.years {
        builder = builder.column(Column::exact(YEAR_WIDTH).clip(true));
    }
    builder
        .header(20.0, |mut header| {
            header.col(|ui| {
                ui.strong(t.years_cell);
            });
            for year in &c.years {
                header.col(|ui| {
                    let text = egui::RichText::new(t.year(year));
                    // The current report's year stands out: it is the one a click selects in.
                    ui.label(if Some(*year) == current_year {
                        text.strong().underline()
                    } else {
                        text.strong()
                    });
                });
            }
        })
        .body(|body| {
            body.rows(22.0, lines.len(), |mut row| match &lines[row.index()] {
                Line::Heading(table) => {
                    row.col(|ui| {
                        ui.label(egui::RichText::new(table.label()).strong());
                    });
                    for _ in &c.years {
                        row.col(|_| {});
                    }
                }
                Line::Nothing => {
                    row.col(|ui| {
                        ui.label(egui::RichText::new(t.years_no_changes).weak());
                    });
                    for _ in &c.years {
                        row.col(|_| {});
                    }
                }
                Line::Cell(h) => {
                    let is_selected = selected == Some(h.key);
                    row.set_selected(is_selected);
                    let mut clicked = false;
                    row.col(|ui| {
                        let response = ui
                            .add(egui::Button::selectable(is_selected, h.key.label()).truncate())
                            .on_hover_text(history_text(h, &c.years, t))
                            .accessible_name(row_name(h.key, t));
                        clicked |= response.clicked();
                    });
                    for (i, cell) in h.cells.iter().enumerate() {
                        row.col(|ui| {
                            let step = i.checked_sub(1).and_then(|s| h.steps.get(s));
                            let fill = match step {
                                Some(s) if s.jump => Some(theme::year_jump_fill(dark)),
                                Some(s) if s.changed => Some(theme::year_changed_fill(dark)),
                                _ => None,
                            };
                            if let Some(fill) = fill {
                                ui.painter().rect_filled(ui.max_rect(), 0.0, fill);
                            }
                            let response = ui.label(shown_value(cell.raw.as_deref(), t));
                            if let (Some(s), Some(prev)) = (step, i.checked_sub(1))
                                && s.changed
                            {
                                response.on_hover_text(step_text(h, &c.years, prev, t));
                            }
                        });
                    }
                    if clicked || row.response().clicked() {
                        out.push(UiIntent::Select(h.key));
                    }
                }
            });
        });
}

/// The broken continuity relations, each a click away from its cell in the current report.
pub(super) fn continuity_ui(
    ui: &mut egui::Ui,
    c: &YearsComparison,
    current_year: Option<i32>,
    t: &Strings,
    out: &mut Vec<UiIntent>,
) {
    ui.label(egui::RichText::new(t.years_continuity).strong());
    if c.continuity.is_empty() {
        ui.label(egui::RichText::new(t.years_continuity_none).weak());
        return;
    }
    let broken: Vec<_> = c.continuity.iter().filter(|r| r.broken()).collect();
    if broken.is_empty() {
        ui.label(
            egui::RichText::new(format!("{}{}", t.years_continuity_ok, c.continuity.len())).weak(),
        );
        return;
    }
    let num = |v: Option<f64>| v.map_or_else(|| t.blank.to_owned(), format_number);
    for (n, r) in broken.iter().enumerate() {
        let (ey, ly) = (c.years[r.earlier], c.years[r.earlier + 1]);
        let text = fill(
            t.years_break,
            &[
                ("earlier", &ey),
                ("later", &ly),
                ("label", &r.label()),
                ("expected", &num(r.expected)),
                ("found", &num(r.found)),
                ("difference", &num(r.difference())),
            ],
        );
        // The cell to select is the one in the report shown: the later year's, or the
        // earlier's when the earlier report is the one on screen.
        let key = if current_year == Some(ly) {
            r.later_keys.first()
        } else if current_year == Some(ey) {
            r.earlier_keys.first()
        } else {
            None
        };
        let response = ui.push_id(("continuity", n), |ui| {
            ui.add_enabled(key.is_some(), egui::Button::selectable(false, text).wrap())
        });
        if response.inner.clicked()
            && let Some(key) = key
        {
            out.push(UiIntent::Select(*key));
        }
    }
}

/// 在原文中显示 for the side of a copied paragraph that is in the report shown.
pub(super) fn reveal_button_ui(
    ui: &mut egui::Ui,
    p: &CopiedParagraph,
    c: &YearsComparison,
    current_year: Option<i32>,
    t: &Strings,
    out: &mut Vec<UiIntent>,
) {
    let span: Option<Span> = if current_year == c.years.get(p.earlier + 1).copied() {
        Some(p.later_span)
    } else if current_year == c.years.get(p.earlier).copied() {
        Some(p.earlier_span)
    } else {
        None
    };
    let response = ui
        .add_enabled(span.is_some(), egui::Button::new(t.show_in_source).small())
        .on_disabled_hover_text(t.years_not_shown);
    if response.clicked()
        && let Some(span) = span
    {
        out.push(UiIntent::RevealSpan(span));
    }
}

/// One side of a copied paragraph: `2024年：「…」`, cut to [`QUOTE_CHARS`], whole in the tooltip.
pub(super) fn quote_ui(ui: &mut egui::Ui, year: i32, text: &str, span: Span, t: &Strings) {
    let whole = text.get(span.start..span.end).unwrap_or_default().trim();
    let mut quote: String = whole.chars().take(QUOTE_CHARS).collect();
    if whole.chars().count() > QUOTE_CHARS {
        quote.push('…');
    }
    ui.add(egui::Label::new(fill(t.years_quote, &[("year", &year), ("quote", &quote)])).wrap())
        .on_hover_text(whole);
}

/// The accessible name of a cell's row: `历年对照 表三 予以公开 自然人`, unique beside the
/// cell editors named `表三 予以公开 自然人`.
pub fn row_name(key: CellKey, t: &Strings) -> String {
    format!("{} {}", t.years_view, key.accessible_name())
}

/// `2024年：0 → 2025年：12`, for the step into year `prev + 1`.
pub(super) fn step_text(h: &CellHistory, years: &[i32], prev: usize, t: &Strings) -> String {
    let value = |i: usize| shown_value(h.cells.get(i).and_then(|c| c.raw.as_deref()), t);
    let jump = h.steps.get(prev).is_some_and(|s| s.jump);
    let year = |i: usize| t.year(years.get(i).copied().unwrap_or_default());
    format!(
        "{} → {}{}",
        t.labelled(year(prev), value(prev)),
        t.labelled(year(prev + 1), value(prev + 1)),
        if jump { t.years_jump } else { "" },
    )
}

/// The cell's name and its value in every year, for the row's tooltip.
pub(super) fn history_text(h: &CellHistory, years: &[i32], t: &Strings) -> String {
    let values: Vec<String> = years
        .iter()
        .zip(&h.cells)
        .map(|(y, c)| t.labelled(t.year(y), shown_value(c.raw.as_deref(), t)))
        .collect();
    format!("{}\n{}", h.key.accessible_name(), values.join(" → "))
}
