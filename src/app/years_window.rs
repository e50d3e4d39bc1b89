//! The 历年对照 window drawn for the review window: the current report's body gathered from the
//! open reports, its comparison kept up to date, and the window around the view's parts (which
//! live in [`super::years_view`], so that the window's state types do not depend on the app).

use super::i18n::{Strings, fill};
use super::intent::UiIntent;
use super::review_app::ReviewApp;
use super::theme;
use super::years_view::{
    LABEL_WIDTH, Missing, YEAR_WIDTH, YearsCache, cells_ui, continuity_ui, quote_ui,
    reveal_button_ui,
};
use crate::check::compare::{CopiedParagraph, YearReport, compare_years, stale_cells_text};
use crate::extract::Extraction;
use crate::model::format_number;
use crate::model::{CellKey, TableId};

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
                        let percent = format!("{:.0}", p.similarity * 100.0);
                        ui.label(fill(
                            t.years_similar,
                            &[("earlier", &ey), ("later", &ly), ("percent", &percent)],
                        ));
                        reveal_button_ui(ui, p, c, current_year, t, out);
                    });
                    quote_ui(ui, ey, earlier_text, p.earlier_span, t);
                    quote_ui(ui, ly, later_text, p.later_span, t);
                    // A number copied several times (each "1件" of a paragraph) reads once.
                    let mut numbers: Vec<String> = Vec::new();
                    for s in &p.stale {
                        let text = t.aside(
                            format_number(s.value),
                            stale_cells_text(earlier, later, &s.keys),
                        );
                        if !numbers.contains(&text) {
                            numbers.push(text);
                        }
                    }
                    ui.label(
                        egui::RichText::new(format!(
                            "{}{}",
                            t.years_stale,
                            numbers.join(t.list_sep)
                        ))
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
