//! The source panel: the report's text with line numbers, wrapped to the panel, with the
//! selected cell's text and a finding's cells highlighted, and a search box (Ctrl+F, F3).
//! Only the visible lines are laid out each frame; the wrapped height of every line is kept
//! until the width or the report changes, so long reports scroll at full speed.

use super::i18n::Strings;
use super::intent::UiIntent;
use super::report::Report;
use super::theme;
use crate::model::{CellKey, Span};
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Id, Rect, Sense, TextEdit, pos2, vec2};

/// The most matches a search collects.
const MAX_MATCHES: usize = 10_000;

/// State of the source panel (view state only: search text, caches, one-shot scroll requests).
#[derive(Default)]
pub struct SourceView {
    /// The search text.
    pub query: String,
    matches: Vec<Span>,
    matches_for: Option<(u64, String)>,
    current_match: Option<usize>,
    /// Focus the search box on the next frame.
    pub focus_search: bool,
    /// Scroll to this span on the next frame.
    pub reveal: Option<Span>,
    layout: Option<LineLayout>,
}

/// Wrapped heights of every line for one report at one width.
struct LineLayout {
    report_id: u64,
    width: f32,
    /// Top of each line, plus the total height at the end.
    tops: Vec<f32>,
}

/// Which spans to highlight.
pub struct Highlights {
    /// The selected cell's text.
    pub selected: Option<Span>,
    /// Other spans of interest (a finding's cells and its own span).
    pub related: Vec<Span>,
}

fn text_font() -> FontId {
    FontId::proportional(13.5)
}

fn number_font() -> FontId {
    FontId::monospace(11.5)
}

impl SourceView {
    /// Forgets everything tied to the current report.
    pub fn reset(&mut self) {
        self.matches.clear();
        self.matches_for = None;
        self.current_match = None;
        self.reveal = None;
    }

    fn refresh_matches(&mut self, report: &Report) {
        let key = (report.id, self.query.clone());
        if self.matches_for.as_ref() == Some(&key) {
            return;
        }
        self.matches.clear();
        self.current_match = None;
        let needle = self.query.to_ascii_lowercase();
        if !needle.is_empty() {
            // ASCII lowercasing keeps byte offsets, so spans index the original text.
            let hay = report.session.source.text.to_ascii_lowercase();
            self.matches = hay
                .match_indices(&needle)
                .take(MAX_MATCHES)
                .map(|(i, m)| Span::new(i, i + m.len()))
                .collect();
        }
        self.matches_for = Some(key);
    }

    /// Goes to the next (or previous) match and scrolls to it.
    pub fn step(&mut self, forward: bool) {
        if self.matches.is_empty() {
            return;
        }
        let n = self.matches.len();
        let next = match (self.current_match, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        self.current_match = Some(next);
        self.reveal = Some(self.matches[next]);
    }

    /// The top of every line (and the total height at the end) at `width`, measured once per
    /// report and width.
    fn line_tops(&mut self, ui: &egui::Ui, report: &Report, width: f32) -> Vec<f32> {
        let stale = self
            .layout
            .as_ref()
            .is_none_or(|l| l.report_id != report.id || l.width != width);
        if stale {
            let text = &report.session.source.text;
            let starts = report.line_starts();
            let mut tops = Vec::with_capacity(starts.len() + 1);
            let mut y = 0.0;
            for i in 0..starts.len() {
                tops.push(y);
                let line = line_text(text, starts, i);
                let galley = ui.painter().layout(
                    line.to_owned(),
                    text_font(),
                    Color32::PLACEHOLDER,
                    width.max(40.0),
                );
                y += galley.size().y;
            }
            tops.push(y);
            self.layout = Some(LineLayout {
                report_id: report.id,
                width,
                tops,
            });
        }
        self.layout
            .as_ref()
            .map(|l| l.tops.clone())
            .unwrap_or_default()
    }
}

/// The text of line `i` without its line break.
fn line_text<'a>(text: &'a str, starts: &[usize], i: usize) -> &'a str {
    let start = starts[i];
    let end = starts
        .get(i + 1)
        .map_or(text.len(), |s| s.saturating_sub(1));
    text.get(start..end.max(start))
        .unwrap_or("")
        .trim_end_matches('\r')
}

/// Draws the search bar and the text; clicking a number the tables were read from selects
/// its cell.
pub fn source_ui(
    ui: &mut egui::Ui,
    view: &mut SourceView,
    report: &Report,
    highlights: &Highlights,
    t: &Strings,
    out: &mut Vec<UiIntent>,
) {
    view.refresh_matches(report);
    search_bar_ui(ui, view, t, out);
    ui.separator();
    let dark = ui.visuals().dark_mode;
    let text = report.session.source.text.as_str();
    let starts = report.line_starts();
    let digits = starts.len().to_string().len().max(2);
    let gutter = ui
        .painter()
        .layout_no_wrap("0".repeat(digits), number_font(), Color32::PLACEHOLDER)
        .size()
        .x
        + 12.0;
    // Widths are bucketed so that dragging the panel edge does not re-measure every frame.
    let wrap_width = ((ui.available_width() - gutter - 16.0).max(40.0) / 8.0).floor() * 8.0;
    let view_height = ui.available_height();
    let tops = view.line_tops(ui, report, wrap_width);
    let mut area = egui::ScrollArea::vertical()
        .id_salt("source_scroll")
        .auto_shrink([false, false]);
    if let Some(span) = view.reveal.take() {
        let line = report.line_of(span.start).saturating_sub(1);
        if let Some(y) = tops.get(line) {
            area = area.vertical_scroll_offset((y - view_height * 0.3).max(0.0));
        }
    }
    let current_match = view
        .current_match
        .and_then(|i| view.matches.get(i))
        .copied();
    let matches = &view.matches;
    area.show_viewport(ui, |ui, viewport| {
        let total = tops.last().copied().unwrap_or(0.0);
        ui.set_height(total);
        ui.set_width(ui.available_width());
        let origin = ui.max_rect().min;
        let first = tops
            .partition_point(|&y| y <= viewport.min.y)
            .saturating_sub(1);
        let weak = ui.visuals().weak_text_color();
        let color = ui.visuals().text_color();
        for i in first..starts.len() {
            let top = tops[i];
            if top > viewport.max.y {
                break;
            }
            let start = starts[i];
            let line = line_text(text, starts, i);
            let y = origin.y + top;
            let number = ui
                .painter()
                .layout_no_wrap((i + 1).to_string(), number_font(), weak);
            ui.painter().galley(
                pos2(origin.x + gutter - 8.0 - number.size().x, y + 2.0),
                number,
                weak,
            );
            let job = line_job(
                line,
                start,
                wrap_width,
                color,
                dark,
                highlights,
                matches,
                current_match,
            );
            let galley = ui.painter().layout_job(job);
            let rect = Rect::from_min_size(pos2(origin.x + gutter, y), galley.size());
            let response = ui.interact(rect, Id::unique(("source_line", i)), Sense::CLICK);
            if response.clicked()
                && let Some(pos) = response.interact_pointer_pos()
            {
                let cursor = galley.cursor_from_pos(pos - rect.min);
                let byte = line
                    .char_indices()
                    .nth(cursor.index.0)
                    .map_or(line.len(), |(b, _)| b);
                if let Some(key) = cell_at(report, start + byte) {
                    out.push(UiIntent::Select(key));
                }
            }
            ui.painter().galley(rect.min, galley, color);
        }
        ui.allocate_rect(
            Rect::from_min_size(origin, vec2(gutter + wrap_width, total)),
            Sense::hover(),
        );
    });
}

fn search_bar_ui(ui: &mut egui::Ui, view: &mut SourceView, t: &Strings, out: &mut Vec<UiIntent>) {
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(t.source).strong());
        let response = ui
            .add(
                TextEdit::singleline(&mut view.query)
                    .id(Id::unique("source_search"))
                    .hint_text(t.search_hint)
                    .desired_width(180.0)
                    .return_key(None),
            )
            .accessible_name(t.search_name);
        if view.focus_search {
            response.request_focus();
            view.focus_search = false;
        }
        if response.has_focus() {
            let (enter, shift) = ui.input(|i| (i.key_pressed(egui::Key::Enter), i.modifiers.shift));
            if enter {
                out.push(UiIntent::SearchStep(!shift));
            }
        }
        if !view.query.is_empty() {
            let text = if view.matches.is_empty() {
                t.no_match.to_owned()
            } else {
                format!(
                    "{}/{}",
                    view.current_match.map_or(0, |i| i + 1),
                    view.matches.len()
                )
            };
            ui.label(egui::RichText::new(text).weak());
        }
    });
}

/// The cell whose source text covers byte `offset`.
fn cell_at(report: &Report, offset: usize) -> Option<CellKey> {
    CellKey::all().find(|k| {
        report
            .source_span(*k)
            .is_some_and(|s| s.start <= offset && offset < s.end.max(s.start + 1))
    })
}

/// One line as a layout job, with backgrounds for highlighted spans.
#[allow(clippy::too_many_arguments)]
fn line_job(
    line: &str,
    line_start: usize,
    wrap_width: f32,
    color: Color32,
    dark: bool,
    highlights: &Highlights,
    matches: &[Span],
    current_match: Option<Span>,
) -> LayoutJob {
    let line_end = line_start + line.len();
    // Byte ranges within the line and their background, later entries win.
    let mut marks: Vec<(usize, usize, Color32)> = Vec::new();
    let mut mark = |span: Span, bg: Color32| {
        let s = span.start.max(line_start);
        let e = span.end.min(line_end);
        if s < e {
            marks.push((s - line_start, e - line_start, bg));
        }
    };
    let first_match = matches.partition_point(|m| m.end <= line_start);
    for m in matches[first_match..]
        .iter()
        .take_while(|m| m.start < line_end)
    {
        mark(*m, theme::source_match(dark));
    }
    for span in &highlights.related {
        mark(*span, theme::source_related(dark));
    }
    if let Some(span) = highlights.selected {
        mark(span, theme::source_selected(dark));
    }
    if let Some(span) = current_match {
        mark(span, theme::source_current_match(dark));
    }
    let mut job = LayoutJob::default();
    job.wrap.max_width = wrap_width;
    let format = |bg: Color32| TextFormat {
        font_id: text_font(),
        color,
        background: bg,
        ..Default::default()
    };
    if marks.is_empty() {
        job.append(line, 0.0, format(Color32::TRANSPARENT));
        return job;
    }
    let mut cuts: Vec<usize> = vec![0, line.len()];
    for (s, e, _) in &marks {
        cuts.push(*s);
        cuts.push(*e);
    }
    cuts.retain(|&c| line.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    for w in cuts.windows(2) {
        let (s, e) = (w[0], w[1]);
        let bg = marks
            .iter()
            .rev()
            .find(|(ms, me, _)| *ms <= s && e <= *me)
            .map_or(Color32::TRANSPARENT, |(_, _, bg)| *bg);
        job.append(&line[s..e], 0.0, format(bg));
    }
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    // Lines are cut at line breaks, carriage returns dropped, the last line kept.
    #[test]
    fn lines() {
        let text = "一\r\n二\n\n三";
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let got: Vec<&str> = (0..starts.len())
            .map(|i| line_text(text, &starts, i))
            .collect();
        assert_eq!(got, vec!["一", "二", "", "三"]);
    }

    // A highlight splits the line into sections and the highlighted section has a background.
    #[test]
    fn highlighted_sections() {
        let line = "共收到申请13件";
        let start = 100;
        let span = Span::new(start + "共收到申请".len(), start + "共收到申请13".len());
        let h = Highlights {
            selected: Some(span),
            related: Vec::new(),
        };
        let job = line_job(line, start, 300.0, Color32::BLACK, false, &h, &[], None);
        let texts: Vec<&str> = job
            .sections
            .iter()
            .map(|s| &job.text[s.byte_range.start.0..s.byte_range.end.0])
            .collect();
        assert_eq!(texts, vec!["共收到申请", "13", "件"]);
        assert_eq!(
            job.sections[1].format.background,
            theme::source_selected(false)
        );
        assert_eq!(job.sections[0].format.background, Color32::TRANSPARENT);
    }
}
