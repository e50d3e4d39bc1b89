//! The 历年对照 window: the current report beside the other open years of its body, cell by
//! cell, with the continuity relations that do not hold and the paragraphs copied from the
//! year before. The comparison itself is [`compare_years`] in the core; this module keeps it
//! cached between changes and draws it, returning intents like every panel.

use super::i18n::Strings;
use super::intent::UiIntent;
use super::review_app::ReviewApp;
use super::tables::shown_value;
use super::theme;
use crate::check::compare::{
    CellHistory, CopiedParagraph, YearReport, YearsComparison, compare_years, stale_cells_text,
};
use crate::extract::Extraction;
use crate::model::{CellKey, Span, TableId};
use crate::review::format_number;
use egui_extras::{Column, TableBuilder};

/// Characters of a quoted paragraph shown before it is cut (the whole text is in its tooltip).
const QUOTE_CHARS: usize = 90;
/// Width of the cell-name column: most 表三 labels fit; the longest (e.g. `本年新收政府信息公开
/// 申请数量 法人或其他组织 商业企业`) are cut, and read in full in the tooltip.
const LABEL_WIDTH: f32 = 290.0;
/// Width of one year's column: numbers of up to seven digits, or `（空白）`.
const YEAR_WIDTH: f32 = 64.0;

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
    members: Vec<(usize, u64)>,
    /// Their effective extractions when compared, in the order of `members`.
    extractions: Vec<Extraction>,
    /// For each year of the comparison, its position in `members`.
    by_year: Vec<usize>,
    /// The comparison.
    comparison: YearsComparison,
}

/// Why there is nothing to compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Missing {
    /// The current report's year was not read.
    NoYear,
    /// No other year of the body is open.
    NoOtherYear,
}

impl ReviewApp {
    /// Brings the cached comparison up to date with the current report's body, before the
    /// panels are drawn. Does nothing while the window is hidden.
    pub(super) fn refresh_years(&mut self) {
        if !self.years.open {
            return;
        }
        let Some(current) = self.current.filter(|&i| i < self.reports.len()) else {
            self.years_cache = None;
            return;
        };
        // The current report first, so that a second report of its own year gives way to it.
        let mut members: Vec<usize> = vec![current];
        members.extend(
            self.same_body(current)
                .into_iter()
                .filter(|&j| j != current && self.reports[j].year().is_some()),
        );
        let ids: Vec<(usize, u64)> = members.iter().map(|&j| (j, self.reports[j].id)).collect();
        let fresh = self.years_cache.as_ref().is_some_and(|c| {
            c.members == ids
                && c.members.iter().zip(&c.extractions).all(|((j, _), e)| {
                    CellKey::all().all(|k| e.cells.get(k.index()) == Some(self.reports[*j].cell(k)))
                })
        });
        if fresh {
            return;
        }
        let extractions: Vec<Extraction> = members
            .iter()
            .map(|&j| self.reports[j].session.effective_extraction())
            .collect();
        let inputs: Vec<YearReport<'_>> = members
            .iter()
            .zip(&extractions)
            .filter_map(|(&j, extraction)| {
                Some(YearReport {
                    year: self.reports[j].year()?,
                    extraction,
                    source: &self.reports[j].session.source,
                })
            })
            .collect();
        let comparison = compare_years(&inputs);
        let by_year = comparison
            .years
            .iter()
            .filter_map(|y| {
                members
                    .iter()
                    .position(|&j| self.reports[j].year() == Some(*y))
            })
            .collect();
        self.years_cache = Some(YearsCache {
            members: ids,
            extractions,
            by_year,
            comparison,
        });
    }

    /// Draws the 历年对照 window when it is shown.
    pub(super) fn years_ui(&self, ctx: &egui::Context, out: &mut Vec<UiIntent>) {
        if !self.years.open {
            return;
        }
        let t = self.t();
        let Some(current) = self.current.filter(|&i| i < self.reports.len()) else {
            return;
        };
        let missing = match (&self.years_cache, self.reports[current].year()) {
            (_, None) => Some(Missing::NoYear),
            (Some(c), Some(_)) if c.comparison.years.len() >= 2 => None,
            _ => Some(Missing::NoOtherYear),
        };
        let screen = ctx.content_rect();
        let years = self
            .years_cache
            .as_ref()
            .map_or(1, |c| c.comparison.years.len());
        let width = (LABEL_WIDTH + YEAR_WIDTH * years as f32 + 40.0).clamp(360.0, 900.0);
        let mut open = true;
        egui::Window::new(t.years_view)
            .id(egui::Id::unique("years_window"))
            .open(&mut open)
            .collapsible(false)
            .resizable(true)
            .default_width(width)
            // Tall enough for a screenful of cells above the continuity and copied paragraphs.
            .default_height(screen.height() - 140.0)
            // Over the tables' right part, below the menu: the source panel stays readable.
            .default_pos(egui::pos2(
                (screen.right() - width - 24.0).max(screen.left()),
                screen.top() + 60.0,
            ))
            .max_height(screen.height() - 90.0)
            .show(ctx, |ui| match (missing, &self.years_cache) {
                (Some(Missing::NoYear), _) => {
                    ui.label(t.years_no_year);
                }
                (None, Some(cache)) => self.comparison_ui(ui, cache, current, t, out),
                _ => {
                    ui.set_max_width(360.0);
                    ui.label(t.years_none);
                }
            });
        if !open {
            out.push(UiIntent::ShowYears(false));
        }
    }

    fn comparison_ui(
        &self,
        ui: &mut egui::Ui,
        cache: &YearsCache,
        current: usize,
        t: &Strings,
        out: &mut Vec<UiIntent>,
    ) {
        let view = self.years;
        ui.horizontal(|ui| {
            let tabs = [(None, t.years_all_tables)]
                .into_iter()
                .chain(TableId::ALL.map(|table| (Some(table), table.label())));
            for (table, label) in tabs {
                if ui.selectable_label(view.table == table, label).clicked() {
                    out.push(UiIntent::SetYearsFilter {
                        table,
                        only_changed: view.only_changed,
                    });
                }
            }
            ui.separator();
            let mut only = view.only_changed;
            if ui.checkbox(&mut only, t.years_only_changed).changed() {
                out.push(UiIntent::SetYearsFilter {
                    table: view.table,
                    only_changed: only,
                });
            }
        });
        ui.separator();
        let current_year = self.reports[current].year();
        let table_height = (ui.available_height() * 0.55).max(120.0);
        ui.push_id("years_cells", |ui| {
            ui.set_max_height(table_height);
            cells_ui(
                ui,
                &cache.comparison,
                view,
                current_year,
                self.selected,
                t,
                out,
            );
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("years_relations")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                continuity_ui(ui, &cache.comparison, current_year, t, out);
                ui.add_space(6.0);
                self.copied_ui(ui, cache, current_year, t, out);
            });
    }

    fn copied_ui(
        &self,
        ui: &mut egui::Ui,
        cache: &YearsCache,
        current_year: Option<i32>,
        t: &Strings,
        out: &mut Vec<UiIntent>,
    ) {
        let c = &cache.comparison;
        ui.label(egui::RichText::new(t.years_copied).strong());
        if c.copied.is_empty() {
            ui.label(egui::RichText::new(t.years_copied_none).weak());
            return;
        }
        let side = |year_index: usize| -> Option<(&str, &Extraction)> {
            let m = *cache.by_year.get(year_index)?;
            let (j, _) = cache.members.get(m)?;
            Some((
                self.reports.get(*j)?.session.source.text.as_str(),
                cache.extractions.get(m)?,
            ))
        };
        let (stale, plain): (Vec<&CopiedParagraph>, Vec<&CopiedParagraph>) =
            c.copied.iter().partition(|p| !p.stale.is_empty());
        for (n, p) in stale.iter().enumerate() {
            let (Some((earlier_text, earlier)), Some((later_text, later))) =
                (side(p.earlier), side(p.earlier + 1))
            else {
                continue;
            };
            let (ey, ly) = (c.years[p.earlier], c.years[p.earlier + 1]);
            ui.push_id(("copied", n), |ui| {
                ui.group(|ui| {
                    ui.horizontal(|ui| {
                        ui.label(format!(
                            "{ey}{s} → {ly}{s}　{} {:.0}%",
                            t.years_similar,
                            p.similarity * 100.0,
                            s = t.year_suffix
                        ));
                        reveal_button_ui(ui, p, c, current_year, t, out);
                    });
                    quote_ui(ui, ey, earlier_text, p.earlier_span, t);
                    quote_ui(ui, ly, later_text, p.later_span, t);
                    // A number copied several times (each "1件" of a paragraph) reads once.
                    let mut numbers: Vec<String> = Vec::new();
                    for s in &p.stale {
                        let text = format!(
                            "{}（{}）",
                            format_number(s.value),
                            stale_cells_text(earlier, later, &s.keys)
                        );
                        if !numbers.contains(&text) {
                            numbers.push(text);
                        }
                    }
                    ui.label(
                        egui::RichText::new(format!("{}{}", t.years_stale, numbers.join("；")))
                            .color(theme::severity_strong(
                                crate::check::Severity::Warning,
                                ui.visuals().dark_mode,
                            )),
                    );
                });
            });
        }
        if !plain.is_empty() {
            egui::CollapsingHeader::new(format!("{}{}", t.years_copied_plain, plain.len()))
                .id_salt("years_copied_plain")
                .show(ui, |ui| {
                    for (n, p) in plain.iter().enumerate() {
                        let Some((later_text, _)) = side(p.earlier + 1) else {
                            continue;
                        };
                        ui.push_id(("plain", n), |ui| {
                            ui.horizontal(|ui| {
                                reveal_button_ui(ui, p, c, current_year, t, out);
                                quote_ui(ui, c.years[p.earlier + 1], later_text, p.later_span, t);
                            });
                        });
                    }
                });
        }
    }
}

/// The cell table: one row per cell, one column per year.
fn cells_ui(
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
                    let text = egui::RichText::new(format!("{year}{}", t.year_suffix));
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
fn continuity_ui(
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
        let text = format!(
            "{ey}{s} → {ly}{s}　{}：{}{s}{} {}，{} {}（{} {}）",
            r.label(),
            ly,
            t.years_expected,
            num(r.expected),
            t.years_found,
            num(r.found),
            t.years_difference,
            num(r.difference()),
            s = t.year_suffix,
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
fn reveal_button_ui(
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
fn quote_ui(ui: &mut egui::Ui, year: i32, text: &str, span: Span, t: &Strings) {
    let whole = text.get(span.start..span.end).unwrap_or_default().trim();
    let mut quote: String = whole.chars().take(QUOTE_CHARS).collect();
    if whole.chars().count() > QUOTE_CHARS {
        quote.push('…');
    }
    ui.add(egui::Label::new(format!("{year}{}：「{quote}」", t.year_suffix)).wrap())
        .on_hover_text(whole);
}

/// The accessible name of a cell's row: `历年对照 表三 予以公开 自然人`, unique beside the
/// cell editors named `表三 予以公开 自然人`.
pub fn row_name(key: CellKey, t: &Strings) -> String {
    format!("{} {}", t.years_view, key.accessible_name())
}

/// `2024年：0 → 2025年：12`, for the step into year `prev + 1`.
fn step_text(h: &CellHistory, years: &[i32], prev: usize, t: &Strings) -> String {
    let value = |i: usize| shown_value(h.cells.get(i).and_then(|c| c.raw.as_deref()), t);
    let jump = h.steps.get(prev).is_some_and(|s| s.jump);
    format!(
        "{}{s}：{} → {}{s}：{}{}",
        years.get(prev).copied().unwrap_or_default(),
        value(prev),
        years.get(prev + 1).copied().unwrap_or_default(),
        value(prev + 1),
        if jump { t.years_jump } else { "" },
        s = t.year_suffix,
    )
}

/// The cell's name and its value in every year, for the row's tooltip.
fn history_text(h: &CellHistory, years: &[i32], t: &Strings) -> String {
    let values: Vec<String> = years
        .iter()
        .zip(&h.cells)
        .map(|(y, c)| format!("{y}{}：{}", t.year_suffix, shown_value(c.raw.as_deref(), t)))
        .collect();
    format!("{}\n{}", h.key.accessible_name(), values.join(" → "))
}
