//! The queue panel: every open report with agency, year, status (未审 / 有问题 / 已审) and its
//! counts of open findings and corrections; sorting, filtering, and marking a report reviewed.
//! Ctrl+PageDown / Ctrl+PageUp walk the queue in the order shown. The entries, their order and
//! what "有问题" means are the core's ([`crate::review::queue`]); this panel only draws them.

use super::i18n::Strings;
use super::intent::UiIntent;
use super::report::Report;
use crate::review::queue::{QueueFilter, QueueSort, QueueStatus, queue_order};

/// The label of a queue status.
pub fn status_label(status: QueueStatus, t: &Strings) -> &'static str {
    match status {
        QueueStatus::Unreviewed => t.q_unreviewed,
        QueueStatus::Problems => t.q_problems,
        QueueStatus::Reviewed => t.q_reviewed,
    }
}

/// Draws the queue.
pub fn queue_ui(
    ui: &mut egui::Ui,
    t: &Strings,
    reports: &[Report],
    current: Option<usize>,
    sort: QueueSort,
    filter: QueueFilter,
    out: &mut Vec<UiIntent>,
) {
    ui.heading(t.queue);
    ui.horizontal(|ui| {
        let label = ui.label(t.q_sort);
        let sort_names = [
            (QueueSort::File, t.q_sort_file),
            (QueueSort::Agency, t.q_sort_agency),
            (QueueSort::Year, t.q_sort_year),
            (QueueSort::OpenFindings, t.q_sort_open),
        ];
        let current_name = sort_names
            .iter()
            .find(|(s, _)| *s == sort)
            .map_or("", |(_, n)| n);
        egui::ComboBox::from_id_salt("queue_sort")
            .selected_text(current_name)
            .show_ui(ui, |ui| {
                for (s, name) in sort_names {
                    if ui.selectable_label(s == sort, name).clicked() {
                        out.push(UiIntent::SortQueue(s));
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label(t.q_filter);
        let filters = [
            (QueueFilter::All, t.filter_all),
            (QueueFilter::Status(QueueStatus::Unreviewed), t.q_unreviewed),
            (QueueFilter::Status(QueueStatus::Problems), t.q_problems),
            (QueueFilter::Status(QueueStatus::Reviewed), t.q_reviewed),
        ];
        let current_name = filters
            .iter()
            .find(|(f, _)| *f == filter)
            .map_or("", |(_, n)| n);
        egui::ComboBox::from_id_salt("queue_filter")
            .selected_text(current_name)
            .show_ui(ui, |ui| {
                for (f, name) in filters {
                    if ui.selectable_label(f == filter, name).clicked() {
                        out.push(UiIntent::FilterQueue(f));
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
    ui.separator();
    let order = queue_order(reports.iter().map(Report::queue_entry), sort, filter);
    // Only the visible entries are laid out, so a queue of a thousand reports costs no more
    // per frame than one of ten.
    let row_height = 3.0 * ui.text_style_height(&egui::TextStyle::Body) + 12.0;
    egui::ScrollArea::vertical()
        .id_salt("queue_scroll")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, order.len(), |ui, rows| {
            for &i in &order[rows] {
                let r = &reports[i];
                let entry = r.queue_entry();
                let status = entry.status;
                let title = match (r.agency(), r.year()) {
                    (Some(a), Some(y)) => format!("{a} {y}"),
                    (Some(a), None) => a.to_owned(),
                    _ => r.name.clone(),
                };
                let detail = format!(
                    "{} {} · {} {}",
                    t.q_open, entry.open_findings, t.q_corrections, entry.corrections
                );
                let item = QueueItem {
                    title: &title,
                    file: &r.name,
                    status,
                    detail: &detail,
                    selected: current == Some(i),
                };
                let response = queue_item_ui(ui, i, &item, t, row_height);
                let response = response.on_hover_text(match &r.path {
                    Some(path) => path.display().to_string(),
                    None => r.name.clone(),
                });
                if response.clicked() {
                    out.push(UiIntent::ShowReport(i));
                }
            }
        });
}

/// What one queue entry shows.
struct QueueItem<'a> {
    /// Agency and year (or the file name when neither was read).
    title: &'a str,
    /// The file name, which tells apart two reports of one agency and year.
    file: &'a str,
    status: QueueStatus,
    /// The counts of open findings and corrections.
    detail: &'a str,
    selected: bool,
}

/// One queue entry: the report's title, its file name, then a coloured status badge and its
/// counts; the whole entry is one button for the mouse and for screen readers.
fn queue_item_ui(
    ui: &mut egui::Ui,
    index: usize,
    item: &QueueItem<'_>,
    t: &Strings,
    height: f32,
) -> egui::Response {
    let (title, detail, selected) = (item.title, item.detail, item.selected);
    let badge = status_label(item.status, t);
    let background = ui.painter().add(egui::Shape::Noop);
    let inner = ui.scope_builder(
        egui::UiBuilder::new()
            .sense(egui::Sense::click())
            .id_salt(("queue_item", index)),
        |ui| {
            ui.set_width(ui.available_width());
            ui.set_height(height - ui.spacing().item_spacing.y);
            ui.add_space(2.0);
            ui.add(egui::Label::new(title).truncate().selectable(false));
            ui.add(
                egui::Label::new(egui::RichText::new(item.file).small().weak())
                    .truncate()
                    .selectable(false),
            );
            ui.horizontal(|ui| {
                let fill = super::theme::queue_badge(item.status, ui.visuals().dark_mode);
                egui::Frame::new()
                    .fill(fill)
                    .corner_radius(3.0)
                    .inner_margin(egui::Margin::symmetric(4, 0))
                    .show(ui, |ui| {
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(badge)
                                    .small()
                                    .color(egui::Color32::WHITE),
                            )
                            .selectable(false),
                        );
                    });
                ui.add(
                    egui::Label::new(egui::RichText::new(detail).small().weak())
                        .truncate()
                        .selectable(false),
                );
            });
        },
    );
    let response = inner.response;
    let visuals = ui.visuals();
    let fill = if selected {
        Some(visuals.selection.bg_fill)
    } else if response.hovered() {
        Some(visuals.widgets.hovered.weak_bg_fill)
    } else {
        None
    };
    if let Some(fill) = fill {
        ui.painter().set(
            background,
            egui::Shape::rect_filled(response.rect.expand(2.0), 4.0, fill),
        );
    }
    response.widget_info(|| {
        egui::WidgetInfo::selected(
            egui::accesskit::Role::Button,
            true,
            selected,
            format!("{title}\n{}\n{badge} · {detail}", item.file),
        )
    });
    response
}
