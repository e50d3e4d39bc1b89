//! The findings panel: every finding of the report with severity, message, cells and state,
//! filtered by severity and state; beside it the selected finding in full (formula, numbers,
//! likely cause) with the verdict buttons and a note.

use super::i18n::{Strings, fill};
use super::intent::UiIntent;
use super::report::{FindingState, Report};
use super::tables::numbers_line;
use super::theme;
use crate::check::{Cause, Severity};
use crate::model::TableId;
use crate::review::VerdictState;
use egui::{Id, Sense, TextEdit};
use egui_extras::{Column, TableBuilder};
use serde::{Deserialize, Serialize};

/// Which states the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum StateFilter {
    /// Every finding.
    #[default]
    All,
    /// Only findings not judged yet.
    Open,
    /// Only confirmed ones.
    Confirmed,
    /// Only dismissed ones.
    Dismissed,
}

impl StateFilter {
    fn admits(self, state: FindingState) -> bool {
        match self {
            StateFilter::All => true,
            StateFilter::Open => state == FindingState::Open,
            StateFilter::Confirmed => state == FindingState::Confirmed,
            StateFilter::Dismissed => state == FindingState::Dismissed,
        }
    }

    fn label(self, t: &Strings) -> &'static str {
        match self {
            StateFilter::All => t.filter_all,
            StateFilter::Open => t.state_open,
            StateFilter::Confirmed => t.state_confirmed,
            StateFilter::Dismissed => t.state_dismissed,
        }
    }
}

/// View state of the findings panel.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FindingsView {
    /// Show errors, warnings, infos.
    pub show: [bool; 3],
    /// Which states to show.
    pub state: StateFilter,
    /// The note being written for the selected finding.
    #[serde(skip)]
    pub note: String,
    /// Words the listed findings must contain (message, cell names or rule), empty for all.
    #[serde(skip)]
    pub search: String,
}

impl Default for FindingsView {
    fn default() -> Self {
        Self {
            show: [true; 3],
            state: StateFilter::All,
            note: String::new(),
            search: String::new(),
        }
    }
}

fn severity_index(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// The label of a finding state.
pub fn state_label(state: FindingState, t: &Strings) -> &'static str {
    match state {
        FindingState::Open => t.state_open,
        FindingState::Confirmed => t.state_confirmed,
        FindingState::Dismissed => t.state_dismissed,
    }
}

/// The accessible name of finding `i`'s row: `问题 3：…message…`.
pub fn finding_row_name(t: &Strings, i: usize, message: &str) -> String {
    fill(t.finding_row, &[("n", &(i + 1)), ("message", &message)])
}

/// `错误 1 · 警告 0 · 提示 2 · 待处理 3`: the findings counted by severity, and the open ones.
fn summary(report: &Report, t: &Strings) -> String {
    let findings = report.findings();
    let mut parts: Vec<String> = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .map(|s| {
            let n = findings.iter().filter(|f| f.severity == s).count();
            format!("{} {n}", t.severity(s))
        })
        .collect();
    let open = (0..findings.len())
        .filter(|&i| report.finding_state(i) == FindingState::Open)
        .count();
    parts.push(format!("{} {open}", t.state_open));
    parts.join(" · ")
}

/// The findings panel folded to one line: a button that unfolds it and the counts.
pub fn findings_bar_ui(ui: &mut egui::Ui, report: &Report, t: &Strings, out: &mut Vec<UiIntent>) {
    ui.horizontal(|ui| {
        if ui.button(t.expand_findings).clicked() {
            out.push(UiIntent::FoldFindings(false));
        }
        ui.label(t.labelled(t.findings, summary(report, t)));
    });
}

/// Draws the panel.
pub fn findings_ui(
    ui: &mut egui::Ui,
    report: &Report,
    selected: Option<usize>,
    view: &mut FindingsView,
    t: &Strings,
    internal: bool,
    out: &mut Vec<UiIntent>,
) {
    egui::Panel::right("finding_detail")
        .resizable(true)
        .default_size(330.0)
        .size_range(220.0..=640.0)
        .show(ui, |ui| {
            detail_ui(ui, report, selected, view, t, internal, out)
        });
    let dark = ui.visuals().dark_mode;
    let findings = report.findings();
    ui.horizontal(|ui| {
        if ui.button(t.collapse_findings).clicked() {
            out.push(UiIntent::FoldFindings(true));
        }
        ui.label(egui::RichText::new(t.findings).strong());
        for s in [Severity::Error, Severity::Warning, Severity::Info] {
            let n = findings.iter().filter(|f| f.severity == s).count();
            ui.checkbox(
                &mut view.show[severity_index(s)],
                egui::RichText::new(format!("{} {n}", t.severity(s)))
                    .color(theme::severity_strong(s, dark)),
            );
        }
        ui.separator();
        let label = ui.label(t.filter_show);
        egui::ComboBox::from_id_salt("finding_state_filter")
            .selected_text(view.state.label(t))
            .show_ui(ui, |ui| {
                for f in [
                    StateFilter::All,
                    StateFilter::Open,
                    StateFilter::Confirmed,
                    StateFilter::Dismissed,
                ] {
                    ui.selectable_value(&mut view.state, f, f.label(t));
                }
            })
            .response
            .labelled_by(label.id);
        ui.separator();
        ui.add(
            TextEdit::singleline(&mut view.search)
                .id(Id::unique("findings_search"))
                .hint_text(t.search_findings)
                .desired_width(140.0),
        )
        .accessible_name(t.search_findings)
        .on_hover_text(t.search_findings);
    });
    if findings.is_empty() {
        ui.add_space(8.0);
        ui.label(egui::RichText::new(t.no_findings).weak());
        return;
    }
    let search = view.search.trim();
    let shown: Vec<usize> = display_order(findings)
        .into_iter()
        .filter(|&i| {
            view.show[severity_index(findings[i].severity)]
                && view.state.admits(report.finding_state(i))
                && matches_search(&findings[i], search)
        })
        .collect();
    let rows = &shown;
    let counts = group_counts(findings, &shown);
    // Fixed columns around 说明, which takes what is left each frame and truncates (the full
    // text is in its tooltip). In a resizable table egui_extras keeps every column at the width
    // it was first given, so when the panel narrowed the columns spilled over the detail pane.
    let cells_width = (ui.available_width() * 0.25).clamp(60.0, 200.0);
    // Scroll to the selected finding once, when the selection changes: asked every frame, a
    // row taller than the space left in a low panel made the list scroll back and forth.
    let scrolled_id = Id::unique("findings_scrolled_to");
    let scrolled: Option<usize> = ui.data(|d| d.get_temp(scrolled_id)).flatten();
    let scroll_now = scrolled != selected;
    if scroll_now {
        ui.data_mut(|d| d.insert_temp(scrolled_id, selected));
    }
    let mut table = TableBuilder::new(ui)
        .id_salt("findings_table")
        .striped(true)
        .sense(Sense::click())
        .auto_shrink([false, false])
        // egui_extras keeps a scrolled body at least 200 high by default, which held the
        // panel at about 255 whatever size it was given.
        .min_scrolled_height(40.0)
        .column(Column::exact(40.0).clip(true))
        .column(Column::exact(52.0))
        .column(Column::remainder().at_least(60.0).clip(true))
        .column(Column::exact(cells_width).clip(true))
        .column(Column::exact(52.0).clip(true));
    if scroll_now && let Some(pos) = selected.and_then(|s| rows.iter().position(|&r| r == s)) {
        table = table.scroll_to_row(pos, None);
    }
    table
        .header(20.0, |mut header| {
            for title in [
                t.col_group,
                t.col_severity,
                t.col_message,
                t.col_cells,
                t.col_state,
            ] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(22.0, rows.len(), |mut row| {
                let at = row.index();
                let i = rows[at];
                let f = &findings[i];
                let group = group_of(f);
                // The group's name only where it starts: the list reads as grouped without a
                // heading row taking a line of a low panel.
                let starts = at == 0 || group_of(&findings[rows[at - 1]]) != group;
                row.col(|ui| {
                    if starts {
                        let heading = counts
                            .iter()
                            .find(|(g, _)| *g == group)
                            .map(|(_, c)| group_heading(group, *c, t))
                            .unwrap_or_default();
                        ui.label(
                            egui::RichText::new(group.map_or(t.whole_report, |g| g.label()))
                                .strong(),
                        )
                        .on_hover_text(heading);
                    }
                });
                let state = report.finding_state(i);
                row.set_selected(selected == Some(i));
                row.col(|ui| {
                    ui.label(
                        egui::RichText::new(t.severity(f.severity))
                            .color(theme::severity_strong(f.severity, dark)),
                    );
                });
                let mut clicked = false;
                row.col(|ui| {
                    let text = if state == FindingState::Dismissed {
                        egui::RichText::new(&f.message).weak().strikethrough()
                    } else {
                        egui::RichText::new(&f.message)
                    };
                    let response = ui
                        .add(egui::Button::selectable(selected == Some(i), text).truncate())
                        .on_hover_text(&f.message)
                        .accessible_name(finding_row_name(t, i, &f.message));
                    clicked |= response.clicked();
                });
                row.col(|ui| {
                    let names: Vec<String> = f.keys.iter().map(|k| k.label().to_owned()).collect();
                    ui.add(egui::Label::new(names.join(t.list_comma)).truncate());
                });
                row.col(|ui| {
                    ui.label(state_label(state, t));
                });
                if clicked || row.response().clicked() {
                    out.push(UiIntent::SelectFinding(i));
                }
            });
        });
}

fn detail_ui(
    ui: &mut egui::Ui,
    report: &Report,
    selected: Option<usize>,
    view: &mut FindingsView,
    t: &Strings,
    internal: bool,
    out: &mut Vec<UiIntent>,
) {
    let Some((i, f)) = selected.and_then(|i| report.findings().get(i).map(|f| (i, f))) else {
        ui.add_space(8.0);
        ui.label(egui::RichText::new(t.select_finding).weak());
        return;
    };
    let dark = ui.visuals().dark_mode;
    let state = report.finding_state(i);
    // One scroll position per finding, so that each starts at its top.
    egui::ScrollArea::vertical()
        .id_salt(("finding_detail_scroll", i))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    egui::RichText::new(t.severity(f.severity))
                        .color(theme::severity_strong(f.severity, dark))
                        .strong(),
                );
                if internal {
                    ui.label(egui::RichText::new(&f.rule).monospace().weak());
                }
                ui.label(format!("· {}", state_label(state, t)));
            });
            // The fix, the note and the verdict buttons share a row above the message, so that
            // they stay in view in a low panel however long the message is.
            ui.horizontal_wrapped(|ui| {
                fix_ui(ui, report, i, f, t, out);
                let label = ui.label(t.note);
                ui.add(
                    TextEdit::multiline(&mut view.note)
                        .id(Id::unique("verdict_note"))
                        .hint_text(t.note_hint)
                        .desired_rows(1)
                        .desired_width(140.0),
                )
                .labelled_by(label.id);
                if ui.button(t.confirm).clicked() {
                    out.push(UiIntent::SetVerdict {
                        finding: i,
                        state: Some(VerdictState::Confirmed),
                        note: view.note.clone(),
                    });
                }
                if ui.button(t.dismiss).clicked() {
                    out.push(UiIntent::SetVerdict {
                        finding: i,
                        state: Some(VerdictState::Dismissed),
                        note: view.note.clone(),
                    });
                }
                if state != FindingState::Open && ui.button(t.clear_verdict).clicked() {
                    out.push(UiIntent::SetVerdict {
                        finding: i,
                        state: None,
                        note: String::new(),
                    });
                }
            });
            group_ui(ui, report, i, t, out);
            ui.label(&f.message);
            if let Some(numbers) = numbers_line(f.expected, f.found, t) {
                ui.label(numbers);
            }
            ui.separator();
            ui.label(
                egui::RichText::new(match f.cause {
                    Cause::Source => t.cause_source,
                    Cause::Extraction => t.cause_extraction,
                    Cause::Unknown => t.cause_unknown,
                })
                .weak(),
            );
            if !f.covers.is_empty() {
                egui::CollapsingHeader::new(t.aside(t.covers, f.covers.len()))
                    .id_salt(("finding_covers", i))
                    .show(ui, |ui| {
                        for c in &f.covers {
                            ui.label(egui::RichText::new(&c.message).small());
                        }
                    });
            }
            ui.horizontal_wrapped(|ui| {
                for key in &f.keys {
                    let link = ui.link(key.label());
                    let link = if internal {
                        link.on_hover_text(key.name())
                    } else {
                        link
                    };
                    if link.clicked() {
                        out.push(UiIntent::Select(*key));
                    }
                }
            });
        });
}

/// The suggested fix as its button (按建议修改：「…」由 5 改为 7（2 个等式随之成立）), and 按 0 处理
/// for blank cells, in the row of the verdict buttons so that they stay in view in a low
/// panel. Both apply one undoable step.
fn fix_ui(
    ui: &mut egui::Ui,
    report: &Report,
    i: usize,
    f: &crate::check::Finding,
    t: &Strings,
    out: &mut Vec<UiIntent>,
) {
    if let Some(s) = &f.suggestion {
        let session = &report.session;
        let changes: Vec<String> = s
            .changes
            .iter()
            .take(3)
            .map(|c| {
                let now = session
                    .effective_value(c.key)
                    .map_or_else(|| t.blank_value.to_owned(), crate::model::format_number);
                let to = crate::model::format_number(c.value);
                fill(
                    t.fix_change,
                    &[("cell", &c.key.label()), ("from", &now), ("to", &to)],
                )
            })
            .collect();
        let mut changes = changes.join(t.list_comma);
        if s.changes.len() > 3 {
            changes.push(' ');
            changes.push_str(&fill(t.fix_more, &[("n", &s.changes.len())]));
        }
        let text = fill(
            t.fix_text,
            &[
                ("action", &t.apply_suggestion),
                ("changes", &changes),
                ("n", &s.restores),
            ],
        );
        if ui
            .button(egui::RichText::new(text).strong())
            .on_hover_text(t.suggestion)
            .clicked()
        {
            out.push(UiIntent::ApplySuggestion(i));
        }
    }
    if crate::check::offers_zero_fill(f) && ui.button(t.fill_zero).clicked() {
        out.push(UiIntent::FillZero(i));
    }
}

/// True when the finding's message, one of its cells' names or its rule contains `search`
/// (every finding matches an empty search).
fn matches_search(f: &crate::check::Finding, search: &str) -> bool {
    search.is_empty()
        || f.message.contains(search)
        || f.rule.contains(search)
        || f.keys.iter().any(|k| k.label().contains(search))
}

/// The order the list shows findings in, and F8 steps through: grouped by table (the report
/// as a whole first), then the most serious first, then by position (the core's order, which
/// follows the cells).
pub fn display_order(findings: &[crate::check::Finding]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| (group_of(&findings[i]), findings[i].severity, i));
    order
}

/// The findings shown, counted by group and severity (error, warning, info), groups in the
/// order they are shown.
fn group_counts(
    findings: &[crate::check::Finding],
    shown: &[usize],
) -> Vec<(Option<TableId>, [usize; 3])> {
    let mut counts: Vec<(Option<TableId>, [usize; 3])> = Vec::new();
    for &i in shown {
        let group = group_of(&findings[i]);
        if counts.last().is_none_or(|(g, _)| *g != group) {
            counts.push((group, [0; 3]));
        }
        if let Some((_, c)) = counts.last_mut() {
            c[severity_index(findings[i].severity)] += 1;
        }
    }
    counts
}

/// `表三 · 错误 1 · 警告 2`: a group heading with the severities it holds.
fn group_heading(group: Option<TableId>, counts: [usize; 3], t: &Strings) -> String {
    let name = group.map_or(t.whole_report, |g| g.label());
    let parts: Vec<String> = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{} {n}", t.severity(s)))
        .collect();
    format!("{name} · {}", parts.join(" · "))
}

/// The table a finding is about, `None` for the report as a whole.
fn group_of(f: &crate::check::Finding) -> Option<TableId> {
    f.keys.first().map(|k| k.table())
}

/// One verdict for the selected finding's group: `表三 待处理 3：全部确认 / 全部排除`, shown when
/// the group (its table, or the report as a whole) has two open findings or more.
fn group_ui(ui: &mut egui::Ui, report: &Report, i: usize, t: &Strings, out: &mut Vec<UiIntent>) {
    let findings = report.findings();
    let group = group_of(&findings[i]);
    let open: Vec<usize> = (0..findings.len())
        .filter(|&j| {
            group_of(&findings[j]) == group && report.finding_state(j) == FindingState::Open
        })
        .collect();
    if open.len() < 2 {
        return;
    }
    let name = group.map_or(t.whole_report, |g| g.label());
    ui.horizontal_wrapped(|ui| {
        ui.label(fill(t.group_open, &[("group", &name), ("n", &open.len())]));
        for (label, state) in [
            (t.confirm_group, VerdictState::Confirmed),
            (t.dismiss_group, VerdictState::Dismissed),
        ] {
            if ui.small_button(label).clicked() {
                out.push(UiIntent::SetVerdicts {
                    findings: open.clone(),
                    state,
                });
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Cause, Finding};
    use crate::model::CellKey;

    fn finding(severity: Severity, keys: Vec<CellKey>) -> Finding {
        Finding::new("test.rule", severity, keys, String::new(), Cause::Source)
    }

    // The list groups by table (the whole report first), then puts the most serious first,
    // keeping the core's order within a severity; each group is counted by severity.
    #[test]
    fn grouped_by_table_then_severity() {
        let findings = vec![
            finding(Severity::Info, vec![CellKey::active(0, 0)]),
            finding(Severity::Warning, vec![CellKey::requests(3, 6)]),
            finding(Severity::Error, vec![CellKey::requests(23, 6)]),
            finding(Severity::Warning, vec![]),
            finding(Severity::Error, vec![CellKey::active(0, 1)]),
            finding(Severity::Warning, vec![CellKey::requests(1, 0)]),
        ];
        let order = display_order(&findings);
        assert_eq!(order, [3, 4, 0, 2, 1, 5]);
        assert_eq!(
            group_counts(&findings, &order),
            [
                (None, [0, 1, 0]),
                (Some(TableId::Active), [1, 0, 1]),
                (Some(TableId::Requests), [1, 2, 0]),
            ]
        );
        let heading = group_heading(Some(TableId::Requests), [1, 2, 0], &crate::app::i18n::ZH);
        assert_eq!(heading, "表三 · 错误 1 · 警告 2");
    }
}
