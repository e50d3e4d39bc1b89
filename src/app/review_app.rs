//! `ReviewApp`: the window's state and one frame of it. A frame polls the dialogs, collects
//! dropped files and shortcut keys, draws the panels (menu, status bar, queue, findings,
//! source, tables), each of which returns intents, and then applies the intents in order
//! with [`ReviewApp::handle`].

use super::dialogs::{DialogOutcome, DialogPurpose, FileDialogs};
use super::findings::{FindingsView, findings_bar_ui, findings_ui};
use super::i18n::{Lang, Strings, fill};
use super::intent::{Move, UiIntent};
use super::queue::queue_ui;
use super::report::Report;
use super::shortcuts::{self, BINDINGS, Command, KeyContext, Scope};
use super::source_view::{Highlights, SourceView, source_ui};
use super::tables::{
    CellEditor, CellNote, FormulaBar, TablesView, formula_bar_ui, table_bar_ui, tables_ui,
};
use super::years_view::{YearsCache, YearsView};
use crate::check::compare::BodyLinks;
use crate::model::{CellKey, Span, TableId};
use crate::review::batch::BatchLoader;
use crate::review::import::ImportPreview;
use crate::review::queue::{QueueFilter, QueueSort};
use crate::review::{Autosaver, StoreDirs};
use egui::{Id, ViewportCommand};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Instant;

/// How many recent files are remembered.
pub const MAX_RECENT: usize = 10;

/// What is remembered between runs (with eframe's persistence; panel sizes are kept by egui).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Interface language.
    pub lang: Lang,
    /// Dark theme.
    pub dark: bool,
    /// Show the queue panel when more than one report is open.
    pub show_queue: bool,
    /// Recently opened files, most recent first.
    pub recent: Vec<PathBuf>,
    /// The queue's order.
    pub queue_sort: QueueSort,
    /// The queue's filter.
    pub queue_filter: QueueFilter,
    /// The findings list's filters.
    pub findings: FindingsView,
    /// The findings panel is folded to a one-line bar.
    pub findings_folded: bool,
    /// The zoom factor (Ctrl+= / Ctrl+-), 1.0 being normal size.
    pub zoom: f32,
    /// Show cell keys and rule ids (查看 → 显示内部名称).
    pub show_internal: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            lang: Lang::Zh,
            dark: false,
            show_queue: true,
            recent: Vec::new(),
            queue_sort: QueueSort::File,
            queue_filter: QueueFilter::All,
            findings: FindingsView::default(),
            findings_folded: false,
            zoom: 1.0,
            show_internal: false,
        }
    }
}

/// The zoom factor one step (`steps` = 1) larger or smaller than `zoom`, in tenths from 50 %
/// to 300 %.
pub(super) fn zoom_step(zoom: f32, steps: i32) -> f32 {
    let tenths = (zoom * 10.0).round() + steps as f32;
    (tenths / 10.0).clamp(0.5, 3.0)
}

/// Seconds a status message of success stays in the status bar.
const STATUS_INFO_SECONDS: f64 = 10.0;

/// Seconds an error stays in the status bar (it is also in the place where it happened, e.g.
/// under a refused cell).
const STATUS_ERROR_SECONDS: f64 = 30.0;

/// A message in the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusLine {
    /// The text.
    pub text: String,
    /// True for an error.
    pub error: bool,
    /// A file the message is about (an exported workbook): the bar offers to open its folder.
    pub file: Option<PathBuf>,
}

/// What the status bar says about saving.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing committed since the window opened.
    #[default]
    Idle,
    /// A commit is journalled and its review file is being written.
    Saving,
    /// Every commit is in its review file.
    Saved,
    /// The last save failed: the reason, with the report's name.
    Failed(String),
}

/// Reports being opened on background threads, with what the progress bar shows.
pub(super) struct Loading {
    pub(super) loader: BatchLoader,
    pub(super) done: usize,
    pub(super) total: usize,
    pub(super) current: String,
    pub(super) opened: usize,
    pub(super) problems: Vec<String>,
    pub(super) first: Option<usize>,
    /// A few files (not a folder): the status bar does not time the batch.
    pub(super) quiet: bool,
    /// Files asked for while this batch opens, opened after it.
    pub(super) queued: Vec<PathBuf>,
}

/// A workbook being written on a background thread.
pub(super) struct Exporting {
    pub(super) done: std::sync::mpsc::Receiver<Result<(), String>>,
    pub(super) path: PathBuf,
    pub(super) reports: usize,
    /// True when review notices are being written (`path` is then the first .docx), not a
    /// workbook.
    pub(super) notices: bool,
}

/// The typed-path prompt, shown when the native dialog cannot be (or by choice).
#[derive(Clone, Debug)]
pub(super) struct TypedPath {
    pub(super) purpose: DialogPurpose,
    pub(super) text: String,
    pub(super) unavailable: bool,
}

/// The review window.
pub struct ReviewApp {
    pub(super) reports: Vec<Report>,
    pub(super) current: Option<usize>,
    pub(super) next_id: u64,
    pub(super) selected: Option<CellKey>,
    pub(super) anchor: Option<CellKey>,
    pub(super) selected_finding: Option<String>,
    pub(super) scroll_table_to: Option<CellKey>,
    pub(super) jump_to_table: Option<TableId>,
    pub(super) editor: Option<CellEditor>,
    pub(super) cell_note: CellNote,
    pub(super) source: SourceView,
    pub(super) settings: Settings,
    pub(super) dialogs: Box<dyn FileDialogs>,
    pub(super) typed_path: Option<TypedPath>,
    pub(super) status: Option<StatusLine>,
    status_seen: Option<StatusLine>,
    status_since: f64,
    pub(super) restored: (usize, usize),
    pub(super) confirm_reviewed: Option<usize>,
    pub(super) export_choice: bool,
    pub(super) export_all: bool,
    pub(super) export_default: Option<PathBuf>,
    pub(super) show_shortcuts: bool,
    pub(super) store_dirs: StoreDirs,
    pub(super) loading: Option<Loading>,
    pub(super) exporting: Option<Exporting>,
    pub(super) autosaver: Autosaver,
    pub(super) save_state: SaveState,
    pub(super) import: Option<ImportPreview>,
    pub(super) body_links: BodyLinks,
    pub(super) years: YearsView,
    pub(super) years_cache: Option<YearsCache>,
    title_shown: String,
    theme_applied: Option<bool>,
    zoom_applied: Option<f32>,
    startup_probe: Option<(Instant, u32)>,
}

impl ReviewApp {
    /// A window with no report open.
    pub fn new(mut dialogs: Box<dyn FileDialogs>, settings: Settings) -> Self {
        dialogs.set_language(settings.lang);
        Self {
            reports: Vec::new(),
            current: None,
            next_id: 1,
            selected: None,
            anchor: None,
            selected_finding: None,
            scroll_table_to: None,
            jump_to_table: None,
            editor: None,
            cell_note: CellNote::default(),
            source: SourceView::default(),
            settings,
            dialogs,
            typed_path: None,
            status: None,
            status_seen: None,
            status_since: 0.0,
            restored: (0, 0),
            confirm_reviewed: None,
            export_choice: false,
            export_all: false,
            export_default: None,
            show_shortcuts: false,
            store_dirs: StoreDirs::user(),
            loading: None,
            exporting: None,
            autosaver: Autosaver::new(),
            save_state: SaveState::Idle,
            import: None,
            body_links: BodyLinks::default(),
            years: YearsView::default(),
            years_cache: None,
            title_shown: String::new(),
            theme_applied: None,
            zoom_applied: None,
            startup_probe: None,
        }
    }

    /// Review files of reports in folders that cannot be written go to `dirs` (tests use a
    /// temporary folder instead of the user's data directory).
    pub fn with_store_dirs(mut self, dirs: StoreDirs) -> Self {
        self.store_dirs = dirs;
        self
    }

    /// True while reports are being opened in the background.
    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// True while a workbook is being written.
    pub fn is_exporting(&self) -> bool {
        self.exporting.is_some()
    }

    /// Reports the time from `started` to the first frame on stderr and closes the window
    /// (used to measure cold start).
    pub fn probe_startup(&mut self, started: Instant) {
        self.startup_probe = Some((started, 0));
    }

    /// The open reports.
    pub fn reports(&self) -> &[Report] {
        &self.reports
    }

    /// The report shown.
    pub fn current_report(&self) -> Option<&Report> {
        self.current.and_then(|i| self.reports.get(i))
    }

    /// The selected cell.
    pub fn selected_cell(&self) -> Option<CellKey> {
        self.selected
    }

    /// The selected cells: the rectangle from the range's anchor to the selected cell, row by
    /// row (the selected cell alone when there is no range).
    pub fn selected_range(&self) -> Vec<Vec<Option<CellKey>>> {
        match (self.anchor, self.selected) {
            (Some(a), Some(s)) => super::tables::cell_range(a, s),
            (None, Some(s)) => vec![vec![Some(s)]],
            _ => Vec::new(),
        }
    }

    /// The index of the selected finding in the current report.
    pub fn selected_finding(&self) -> Option<usize> {
        let id = self.selected_finding.as_deref()?;
        self.current_report()?.finding_index(id)
    }

    /// The open cell editor.
    pub fn editor(&self) -> Option<&CellEditor> {
        self.editor.as_ref()
    }

    /// The status bar message.
    pub fn status(&self) -> Option<&StatusLine> {
        self.status.as_ref()
    }

    /// What the 历年对照 window shows.
    pub fn years_view(&self) -> YearsView {
        self.years
    }

    /// What is remembered between runs.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub(super) fn t(&self) -> &'static Strings {
        self.settings.lang.t()
    }

    /// Draws one frame and applies what the reviewer asked for.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.theme_applied != Some(self.settings.dark) {
            ctx.set_theme(if self.settings.dark {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            });
            self.theme_applied = Some(self.settings.dark);
        }
        if self.zoom_applied != Some(self.settings.zoom) {
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
            ctx.set_zoom_factor(self.settings.zoom);
            self.zoom_applied = Some(self.settings.zoom);
        }
        let mut out = Vec::new();
        self.poll_dialogs(&mut out);
        self.poll_loading();
        self.poll_export();
        self.poll_saving();
        if self.loading.is_some() || self.exporting.is_some() || self.autosaver.is_saving() {
            // The workers' results are polled each frame; keep frames coming while they run.
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        collect_dropped_files(&ctx, &mut out);
        self.collect_keys(&ctx, &mut out);
        self.refresh_years();
        self.panels_ui(ui, &mut out);
        self.years_ui(&ctx, &mut out);
        self.overlays_ui(&ctx, &mut out);
        for intent in out {
            self.handle(&ctx, intent);
        }
        self.expire_status(&ctx);
        self.update_title(&ctx);
        self.tick_startup_probe(&ctx);
    }

    /// Clears the status message once it has been shown long enough: a report of what just
    /// happened should not sit there as if it were still true.
    fn expire_status(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        if self.status != self.status_seen {
            self.status_seen.clone_from(&self.status);
            self.status_since = now;
        }
        let Some(status) = &self.status else {
            return;
        };
        let lasts = if status.error {
            STATUS_ERROR_SECONDS
        } else {
            STATUS_INFO_SECONDS
        };
        let left = self.status_since + lasts - now;
        if left <= 0.0 {
            self.status = None;
            self.status_seen = None;
        } else {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(left));
        }
    }

    fn poll_dialogs(&mut self, out: &mut Vec<UiIntent>) {
        while let Some(outcome) = self.dialogs.poll() {
            match outcome {
                DialogOutcome::Reports(paths) => out.push(UiIntent::Open(paths)),
                DialogOutcome::ExportPath(path) => out.push(UiIntent::ExportTo(path)),
                DialogOutcome::Workbook(path) => out.push(UiIntent::PreviewImport(path)),
                DialogOutcome::NoticeFolder(path) => out.push(UiIntent::WriteNoticesTo(path)),
                DialogOutcome::Cancelled(_) => {}
                DialogOutcome::Unavailable(purpose) => {
                    // The typed path starts from the default the dialog would have shown.
                    let text = match (purpose, &self.export_default) {
                        (DialogPurpose::Export | DialogPurpose::Notice, Some(path)) => {
                            path.display().to_string()
                        }
                        _ => String::new(),
                    };
                    self.typed_path = Some(TypedPath {
                        purpose,
                        text,
                        unavailable: true,
                    });
                }
            }
        }
    }

    fn key_context(&self, ctx: &egui::Context) -> KeyContext {
        let editor_focused = self.editor.is_some()
            && ctx.memory(|m| m.has_focus(CellEditor::id()) || m.focused().is_none());
        KeyContext {
            typing: ctx.egui_wants_keyboard_input(),
            editing: editor_focused,
            cell_selected: self.selected.is_some() && self.current.is_some(),
        }
    }

    fn collect_keys(&mut self, ctx: &egui::Context, out: &mut Vec<UiIntent>) {
        if self.typed_path.is_some() {
            return;
        }
        let cx = self.key_context(ctx);
        let commands = shortcuts::consume_commands(ctx, cx);
        let navigates = commands.iter().any(|c| {
            c.binding()
                .is_some_and(|b| matches!(b.scope, Scope::Table | Scope::Editor))
        });
        if navigates {
            // egui would also move keyboard focus on Tab and the arrows; these keys are ours.
            ctx.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
        }
        for command in commands {
            if let Some(intent) = self.command_intent(command) {
                out.push(intent);
            }
        }
        // Copy and paste arrive as events of their own (the platform layer reads the
        // clipboard); they act on the cells when no text field has the keyboard.
        if cx.cell_selected && !cx.typing && !cx.editing {
            ctx.input(|i| {
                for event in &i.events {
                    match event {
                        egui::Event::Copy => out.push(UiIntent::CopySelection),
                        egui::Event::Paste(text) => out.push(UiIntent::Paste(text.clone())),
                        _ => {}
                    }
                }
            });
        }
        // Typing on a selected cell starts editing it with what was typed, as in Excel.
        if cx.cell_selected
            && !cx.typing
            && !cx.editing
            && let Some(key) = self.selected
        {
            let typed: String = ctx.input(|i| {
                if i.modifiers.command || i.modifiers.ctrl || i.modifiers.alt {
                    return String::new();
                }
                i.events
                    .iter()
                    .filter_map(|e| match e {
                        egui::Event::Text(t) => Some(t.as_str()),
                        _ => None,
                    })
                    .collect()
            });
            if !typed.trim().is_empty() {
                out.push(UiIntent::BeginEdit {
                    key,
                    replace_with: Some(typed),
                });
            }
        }
    }

    /// The intent a command stands for, in the window's present state.
    pub(super) fn command_intent(&self, command: Command) -> Option<UiIntent> {
        Some(match command {
            Command::Open => UiIntent::OpenFiles,
            Command::Export => UiIntent::Export,
            Command::Undo => UiIntent::Undo,
            Command::Redo => UiIntent::Redo,
            Command::Find => UiIntent::FocusSearch,
            Command::FindNext => UiIntent::SearchStep(true),
            Command::FindPrev => UiIntent::SearchStep(false),
            Command::NextFinding => UiIntent::NextFinding,
            Command::PrevFinding => UiIntent::PrevFinding,
            Command::NextReport => UiIntent::NextReport,
            Command::PrevReport => UiIntent::PrevReport,
            Command::EditCell => UiIntent::BeginEdit {
                key: self.selected?,
                replace_with: None,
            },
            Command::MoveUp => UiIntent::MoveSelection(Move::Up),
            Command::MoveDown => UiIntent::MoveSelection(Move::Down),
            Command::MoveLeft => UiIntent::MoveSelection(Move::Left),
            Command::MoveRight => UiIntent::MoveSelection(Move::Right),
            Command::CommitDown => UiIntent::CommitEditor(Move::Down),
            Command::CommitRight => UiIntent::CommitEditor(Move::Right),
            Command::CancelEdit => UiIntent::CancelEdit,
            Command::ToggleQueue => UiIntent::ToggleQueue,
            Command::MarkReviewed => UiIntent::MarkReviewed(true),
            Command::ExtendUp => UiIntent::ExtendSelection(Move::Up),
            Command::ExtendDown => UiIntent::ExtendSelection(Move::Down),
            Command::ExtendLeft => UiIntent::ExtendSelection(Move::Left),
            Command::ExtendRight => UiIntent::ExtendSelection(Move::Right),
            Command::Copy => UiIntent::CopySelection,
            // Without the platform's paste event there is no clipboard text to paste.
            Command::Paste => return None,
            Command::ClearCells => UiIntent::ClearSelection,
            Command::ZoomIn => UiIntent::ZoomStep(1),
            Command::ZoomOut => UiIntent::ZoomStep(-1),
            Command::ZoomReset => UiIntent::SetZoom(1.0),
            Command::YearsView => UiIntent::ToggleYears,
        })
    }

    fn panels_ui(&mut self, ui: &mut egui::Ui, out: &mut Vec<UiIntent>) {
        let t = self.t();
        egui::Panel::top("menu_bar").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| self.menu_ui(ui, out));
        });
        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_ui(ui, out));
        let show_queue = self.settings.show_queue && self.reports.len() > 1;
        if show_queue {
            egui::Panel::left("queue_panel")
                .resizable(true)
                .default_size(220.0)
                .size_range(160.0..=480.0)
                .show(ui, |ui| {
                    queue_ui(
                        ui,
                        t,
                        &self.reports,
                        self.current,
                        self.settings.queue_sort,
                        self.settings.queue_filter,
                        out,
                    );
                });
        }
        let Some(current) = self.current.filter(|&i| i < self.reports.len()) else {
            egui::CentralPanel::default().show(ui, |ui| {
                ui.centered_and_justified(|ui| {
                    ui.label(egui::RichText::new(t.nothing_open).size(16.0));
                });
            });
            return;
        };
        let report = &self.reports[current];
        let selected_finding = self
            .selected_finding
            .as_deref()
            .and_then(|id| report.finding_index(id));
        let related = selected_finding
            .and_then(|i| report.findings().get(i))
            .map(|f| f.keys.clone())
            .unwrap_or_default();
        if self.settings.findings_folded {
            egui::Panel::bottom("findings_bar")
                .resizable(false)
                .show(ui, |ui| findings_bar_ui(ui, report, t, out));
        } else {
            egui::Panel::bottom("findings_panel")
                .resizable(true)
                .default_size(140.0)
                .size_range(90.0..=700.0)
                .show(ui, |ui| {
                    findings_ui(
                        ui,
                        report,
                        selected_finding,
                        &mut self.settings.findings,
                        t,
                        self.settings.show_internal,
                        out,
                    );
                });
        }
        let range: Vec<CellKey> = if self.anchor.is_some() {
            self.selected_range()
                .into_iter()
                .flatten()
                .flatten()
                .collect()
        } else {
            Vec::new()
        };
        let highlights = Highlights {
            selected: self.selected.and_then(|k| report.source_span(k)),
            related: related
                .iter()
                .filter_map(|k| report.source_span(*k))
                .chain(
                    selected_finding
                        .and_then(|i| report.findings().get(i))
                        .and_then(|f| f.span),
                )
                .collect(),
        };
        // A third of the window, so that 表三's seven columns fit beside it on a laptop.
        let source_width = (ui.available_width() * 0.3).clamp(260.0, 520.0);
        egui::Panel::left("source_panel")
            .resizable(true)
            .default_size(source_width)
            .size_range(200.0..=1200.0)
            .show(ui, |ui| {
                source_ui(ui, &mut self.source, report, &highlights, t, out);
            });
        egui::CentralPanel::default().show(ui, |ui| {
            let bar = FormulaBar {
                report,
                selected: self.selected,
                editor: self.editor.as_ref(),
                t,
                internal: self.settings.show_internal,
            };
            formula_bar_ui(ui, bar, &mut self.cell_note, out);
            ui.separator();
            table_bar_ui(ui, t, out);
            // One scroll position per report: a report opened next starts at its own top.
            egui::ScrollArea::both()
                .id_salt(("tables_scroll", report.id))
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    tables_ui(
                        ui,
                        TablesView {
                            report,
                            selected: self.selected,
                            range: &range,
                            related: &related,
                            editor: self.editor.as_mut(),
                            scroll_to: self.scroll_table_to.take(),
                            jump_to: self.jump_to_table.take(),
                            internal: self.settings.show_internal,
                            t,
                        },
                        out,
                    );
                });
        });
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui, out: &mut Vec<UiIntent>) {
        let t = self.t();
        let ctx = ui.ctx().clone();
        let item = |ui: &mut egui::Ui, command: Command, enabled: bool| {
            ui.add_enabled(
                enabled,
                egui::Button::new(command.label(t)).shortcut_text(command.shortcut_text(&ctx)),
            )
            .clicked()
        };
        let has_report = self.current.is_some();
        ui.menu_button(t.menu_file, |ui| {
            if item(ui, Command::Open, true) {
                out.push(UiIntent::OpenFiles);
            }
            if ui.button(t.open_folder).clicked() {
                out.push(UiIntent::OpenFolder);
            }
            if ui.button(t.open_typed).clicked() {
                out.push(UiIntent::AskTypedPath(DialogPurpose::OpenReports));
            }
            ui.menu_button(t.recent, |ui| {
                if self.settings.recent.is_empty() {
                    ui.label(egui::RichText::new(t.recent_empty).weak());
                }
                for path in &self.settings.recent {
                    if ui
                        .button(path.display().to_string())
                        .on_hover_text(path.display().to_string())
                        .clicked()
                    {
                        out.push(UiIntent::Open(vec![path.clone()]));
                    }
                }
            });
            ui.separator();
            if item(ui, Command::Export, has_report) {
                out.push(UiIntent::Export);
            }
            if ui
                .add_enabled(has_report, egui::Button::new(t.write_notices))
                .clicked()
            {
                out.push(UiIntent::WriteNotices(false));
            }
            if self.reports.len() > 1 && ui.button(t.write_notices_all).clicked() {
                out.push(UiIntent::WriteNotices(true));
            }
            if ui
                .add_enabled(has_report, egui::Button::new(t.import))
                .clicked()
            {
                out.push(UiIntent::ImportWorkbook);
            }
            ui.separator();
            if ui
                .add_enabled(has_report, egui::Button::new(t.close_report))
                .clicked()
                && let Some(i) = self.current
            {
                out.push(UiIntent::CloseReport(i));
            }
            if ui.button(t.quit).clicked() {
                out.push(UiIntent::Quit);
            }
        });
        ui.menu_button(t.menu_edit, |ui| {
            let report = self.current_report();
            let can_undo = report.is_some_and(|r| r.session.can_undo());
            let can_redo = report.is_some_and(|r| r.session.can_redo());
            if item(ui, Command::Undo, can_undo) {
                out.push(UiIntent::Undo);
            }
            if item(ui, Command::Redo, can_redo) {
                out.push(UiIntent::Redo);
            }
            ui.separator();
            let selected = self.selected.filter(|_| has_report);
            if item(ui, Command::EditCell, selected.is_some())
                && let Some(key) = selected
            {
                out.push(UiIntent::BeginEdit {
                    key,
                    replace_with: None,
                });
            }
            for (label, value) in [
                (t.mark_blank, crate::review::CorrectionValue::Blank),
                (t.mark_na, crate::review::CorrectionValue::NotApplicable),
            ] {
                if ui
                    .add_enabled(selected.is_some(), egui::Button::new(label))
                    .clicked()
                    && let Some(key) = selected
                {
                    out.push(UiIntent::MarkCell { key, value });
                }
            }
            let corrected = selected
                .zip(self.current_report())
                .is_some_and(|(k, r)| r.session.is_corrected(k));
            if ui
                .add_enabled(corrected, egui::Button::new(t.restore_original))
                .clicked()
            {
                out.push(UiIntent::RestoreOriginal);
            }
            ui.separator();
            if item(ui, Command::Find, has_report) {
                out.push(UiIntent::FocusSearch);
            }
            if item(ui, Command::NextFinding, has_report) {
                out.push(UiIntent::NextFinding);
            }
            if item(ui, Command::PrevFinding, has_report) {
                out.push(UiIntent::PrevFinding);
            }
        });
        ui.menu_button(t.menu_view, |ui| {
            let mut show_queue = self.settings.show_queue;
            if ui.checkbox(&mut show_queue, t.show_queue).changed() {
                out.push(UiIntent::ShowQueue(show_queue));
            }
            let mut dark = self.settings.dark;
            if ui.checkbox(&mut dark, t.dark_theme).changed() {
                out.push(UiIntent::SetDark(dark));
            }
            let mut internal = self.settings.show_internal;
            if ui.checkbox(&mut internal, t.show_internal).changed() {
                out.push(UiIntent::ShowInternalNames(internal));
            }
            let years = ui.add_enabled(
                has_report,
                egui::Button::selectable(self.years.open, Command::YearsView.label(t))
                    .shortcut_text(Command::YearsView.shortcut_text(&ctx)),
            );
            if years.clicked() {
                out.push(UiIntent::ToggleYears);
            }
            // A body whose name is written differently in two years (a renamed office, a typo)
            // is linked by hand; the reports already grouped with the current one are not listed.
            if let Some(current) = self.current {
                let grouped = self.same_body(current);
                let others: Vec<usize> = (0..self.reports.len())
                    .filter(|j| !grouped.contains(j))
                    .collect();
                ui.add_enabled_ui(!others.is_empty(), |ui| {
                    ui.menu_button(t.link_body, |ui| {
                        for j in others {
                            let r = &self.reports[j];
                            // The file name too: two reports may share agency and year.
                            let label = format!(
                                "{} {} · {}",
                                r.agency().unwrap_or(""),
                                r.year().map_or_else(String::new, |y| y.to_string()),
                                r.name
                            );
                            if ui.button(label).clicked() {
                                out.push(UiIntent::LinkBody(j));
                            }
                        }
                    });
                });
            }
            ui.separator();
            let many = self.reports.len() > 1;
            if item(ui, Command::NextReport, many) {
                out.push(UiIntent::NextReport);
            }
            if item(ui, Command::PrevReport, many) {
                out.push(UiIntent::PrevReport);
            }
            let reviewed = self
                .current_report()
                .is_some_and(|r| r.session.status == crate::review::ReviewStatus::Reviewed);
            if reviewed {
                if ui
                    .add_enabled(has_report, egui::Button::new(t.mark_unreviewed))
                    .clicked()
                {
                    out.push(UiIntent::MarkReviewed(false));
                }
            } else if item(ui, Command::MarkReviewed, has_report) {
                out.push(UiIntent::MarkReviewed(true));
            }
        });
        ui.menu_button(t.language, |ui| {
            for lang in [Lang::Zh, Lang::En] {
                if ui
                    .radio(self.settings.lang == lang, lang.native_name())
                    .clicked()
                {
                    out.push(UiIntent::SetLanguage(lang));
                }
            }
        });
        ui.menu_button(t.menu_help, |ui| {
            if ui.button(t.shortcuts).clicked() {
                out.push(UiIntent::ShowShortcuts(true));
            }
            ui.label(egui::RichText::new(t.about).weak());
            ui.label(egui::RichText::new(concat!("v", env!("CARGO_PKG_VERSION"))).weak());
        });
    }

    fn status_ui(&self, ui: &mut egui::Ui, out: &mut Vec<UiIntent>) {
        let t = self.t();
        ui.horizontal(|ui| {
            if let Some(loading) = &self.loading {
                let fraction = if loading.total == 0 {
                    0.0
                } else {
                    loading.done as f32 / loading.total as f32
                };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(220.0)
                        .text(format!("{} {}/{}", t.loading, loading.done, loading.total)),
                );
                ui.label(egui::RichText::new(&loading.current).weak().small());
                if ui.button(t.cancel_loading).clicked() {
                    out.push(UiIntent::CancelLoading);
                }
                ui.separator();
            }
            if let Some(exporting) = &self.exporting {
                ui.spinner();
                ui.label(format!("{} {}", t.exporting, exporting.path.display()));
                ui.separator();
            }
            if let Some(report) = self.current_report() {
                let c = report.counts();
                ui.label(format!("{} {}", t.st_read, c.read))
                    .on_hover_text(t.st_read_tip);
                ui.separator();
                ui.label(format!("{} {}", t.st_flagged, c.flagged))
                    .on_hover_text(t.st_flagged_tip);
                ui.separator();
                ui.label(format!("{} {}", t.st_corrected, c.corrected))
                    .on_hover_text(t.st_corrected_tip);
                ui.separator();
                ui.label(format!("{} {}", t.st_findings, c.findings))
                    .on_hover_text(t.st_findings_tip);
                ui.label(fill(
                    t.bracketed,
                    &[("text", &format!("{} {}", t.st_open, c.open))],
                ))
                .on_hover_text(t.st_findings_tip);
                if report.path.is_none() {
                    ui.separator();
                    ui.label(egui::RichText::new(t.sample_note).weak());
                }
            }
            self.save_state_ui(ui);
            if let Some(status) = &self.status {
                ui.separator();
                let text = egui::RichText::new(&status.text);
                ui.label(if status.error {
                    text.color(ui.visuals().error_fg_color)
                } else {
                    text
                });
                if let Some(file) = &status.file
                    && ui.button(t.open_containing).clicked()
                {
                    out.push(UiIntent::RevealFile(file.clone()));
                }
            }
        });
    }

    fn overlays_ui(&mut self, ctx: &egui::Context, out: &mut Vec<UiIntent>) {
        let t = self.t();
        if let Some(prompt) = &mut self.typed_path {
            let mut close = false;
            let modal = egui::Modal::new(Id::unique("typed_path")).show(ctx, |ui| {
                ui.set_width(480.0);
                ui.heading(match prompt.purpose {
                    DialogPurpose::OpenReports => t.typed_open_title,
                    DialogPurpose::Export => t.typed_export_title,
                    DialogPurpose::ImportWorkbook => t.typed_import_title,
                    DialogPurpose::Notice => t.typed_notice_title,
                });
                if prompt.unavailable {
                    ui.label(t.dialog_unavailable);
                }
                let label = ui.label(t.path);
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut prompt.text)
                            .id(Id::unique("typed_path_text"))
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                if !response.has_focus() && ui.memory(|m| m.focused().is_none()) {
                    response.request_focus();
                }
                let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.horizontal(|ui| {
                    if (ui.button(t.ok).clicked() || enter) && !prompt.text.trim().is_empty() {
                        let path = PathBuf::from(prompt.text.trim());
                        out.push(match prompt.purpose {
                            DialogPurpose::OpenReports => UiIntent::Open(vec![path]),
                            DialogPurpose::Export => UiIntent::ExportTo(path),
                            DialogPurpose::ImportWorkbook => UiIntent::PreviewImport(path),
                            DialogPurpose::Notice => UiIntent::WriteNoticesTo(path),
                        });
                        close = true;
                    }
                    if ui.button(t.cancel).clicked() {
                        close = true;
                    }
                });
            });
            if close || modal.should_close() {
                self.typed_path = None;
            }
        }
        if self.export_choice {
            let n = self.reports.len();
            egui::Modal::new(Id::unique("export_choice")).show(ctx, |ui| {
                ui.set_width(320.0);
                ui.heading(t.export_title);
                ui.horizontal(|ui| {
                    if ui.button(t.export_current).clicked() {
                        out.push(UiIntent::ExportReports(false));
                    }
                    let all = format!("{} {n} {}", t.export_all, t.export_all_unit);
                    if ui.button(all).clicked() {
                        out.push(UiIntent::ExportReports(true));
                    }
                    if ui.button(t.cancel).clicked() {
                        out.push(UiIntent::CancelExport);
                    }
                });
            });
        }
        if let Some(open) = self.confirm_reviewed {
            egui::Modal::new(Id::unique("confirm_reviewed")).show(ctx, |ui| {
                ui.set_width(360.0);
                ui.heading(t.confirm_reviewed_title);
                ui.label(format!("{}{open}", t.confirm_reviewed_body));
                ui.horizontal(|ui| {
                    if ui.button(t.confirm_reviewed_yes).clicked() {
                        out.push(UiIntent::ConfirmReviewed);
                    }
                    if ui.button(t.cancel).clicked() {
                        out.push(UiIntent::CancelReviewed);
                    }
                });
            });
        }
        if let Some(preview) = &self.import {
            import_preview_ui(ctx, preview, &self.reports, t, out);
        }
        if self.show_shortcuts {
            let mut open = true;
            egui::Window::new(t.shortcuts)
                .open(&mut open)
                .collapsible(false)
                .resizable(false)
                .show(ctx, |ui| {
                    egui::Grid::new("shortcut_grid")
                        .striped(true)
                        .show(ui, |ui| {
                            ui.strong(t.sc_action);
                            ui.strong(t.sc_keys);
                            ui.end_row();
                            for b in BINDINGS {
                                ui.label(b.command.label(t));
                                ui.label(b.command.all_shortcuts_text(ctx));
                                ui.end_row();
                            }
                        });
                });
            if !open {
                out.push(UiIntent::ShowShortcuts(false));
            }
        }
        let hovering = ctx.input(|i| !i.raw.hovered_files.is_empty());
        if hovering {
            let painter = ctx.layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                Id::unique("drop_overlay"),
            ));
            let rect = ctx.content_rect();
            painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                t.drop_hint,
                egui::FontId::proportional(22.0),
                egui::Color32::WHITE,
            );
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let t = self.t();
        let title = match self.current_report() {
            Some(r) => format!("{} — {}", r.name, t.app_title),
            None => t.app_title.to_owned(),
        };
        if title != self.title_shown {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title_shown = title;
        }
    }

    fn tick_startup_probe(&mut self, ctx: &egui::Context) {
        let Some((started, frames)) = self.startup_probe.as_mut() else {
            return;
        };
        *frames += 1;
        if *frames == 1 {
            // The first frame has been laid out; it is painted after this returns.
            ctx.request_repaint();
        } else {
            eprintln!(
                "nianbao: first frame painted {} ms after start",
                started.elapsed().as_millis()
            );
            ctx.send_viewport_cmd(ViewportCommand::Close);
            self.startup_probe = None;
        }
    }

    /// The spans to highlight for the current selection (tests read this).
    pub fn highlighted_span(&self) -> Option<Span> {
        let key = self.selected?;
        self.current_report()?.source_span(key)
    }
}

/// The import preview: per report, the cells the workbook would change, the values it cannot
/// take and the rows it could not match; nothing changes until the reviewer applies it.
fn import_preview_ui(
    ctx: &egui::Context,
    preview: &ImportPreview,
    reports: &[super::report::Report],
    t: &Strings,
    out: &mut Vec<UiIntent>,
) {
    egui::Modal::new(Id::unique("import_preview")).show(ctx, |ui| {
        ui.set_width(560.0);
        ui.heading(t.import_title);
        ui.label(egui::RichText::new(&preview.workbook).weak());
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("import_preview_scroll")
            .max_height(420.0)
            .show(ui, |ui| {
                if preview.change_count() == 0 {
                    ui.label(t.import_nothing);
                }
                for r in &preview.reports {
                    let name = reports.get(r.target).map_or(r.file.as_str(), |x| &x.name);
                    ui.label(egui::RichText::new(t.aside(name, r.changes.len())).strong());
                    for change in &r.changes {
                        ui.label(change.describe());
                    }
                    if !r.skipped.is_empty() {
                        ui.label(egui::RichText::new(t.import_skipped).weak());
                        for why in &r.skipped {
                            ui.label(egui::RichText::new(why).weak());
                        }
                    }
                    ui.add_space(4.0);
                }
                if !preview.unmatched.is_empty() {
                    ui.separator();
                    ui.label(egui::RichText::new(t.import_unmatched).weak());
                    for why in &preview.unmatched {
                        ui.label(egui::RichText::new(why).weak());
                    }
                }
            });
        ui.separator();
        ui.horizontal(|ui| {
            let n = preview.change_count();
            if ui
                .add_enabled(n > 0, egui::Button::new(t.aside(t.import_apply, n)))
                .clicked()
            {
                out.push(UiIntent::ApplyImport);
            }
            if ui.button(t.cancel).clicked() {
                out.push(UiIntent::CancelImport);
            }
        });
    });
}

fn collect_dropped_files(ctx: &egui::Context, out: &mut Vec<UiIntent>) {
    let dropped: Vec<PathBuf> = ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    });
    if !dropped.is_empty() {
        out.push(UiIntent::Open(dropped));
    }
}

impl eframe::App for ReviewApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, super::SETTINGS_KEY, &self.settings);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // Every commit is in a journal already; writing the review files now leaves none to
        // replay on the next start. A stuck disk gets a few seconds, not the window's close.
        let outcomes = self
            .autosaver
            .flush_within(std::time::Duration::from_secs(5));
        for outcome in outcomes {
            if let crate::review::SaveOutcome::Failed { error, .. } = outcome {
                log::error!("自动保存失败：{error}");
            }
        }
        if self.autosaver.is_saving() {
            log::warn!("关闭时仍有修改未写入审校记录；它们在日志文件中，下次打开报告时恢复");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Settings survive the round trip through serde that eframe's storage makes, and a
    // settings record from an older version (missing fields) still loads with defaults.
    #[test]
    fn settings_round_trip() {
        let settings = Settings {
            lang: Lang::En,
            dark: true,
            recent: vec![PathBuf::from("/tmp/a.txt")],
            queue_sort: QueueSort::Year,
            ..Settings::default()
        };
        let json = serde_json::to_string(&settings).expect("serialisable");
        let back: Settings = serde_json::from_str(&json).expect("readable");
        assert_eq!(back.lang, Lang::En);
        assert!(back.dark);
        assert_eq!(back.recent, settings.recent);
        assert_eq!(back.queue_sort, QueueSort::Year);
        let old: Settings = serde_json::from_str(r#"{"lang":"En"}"#).expect("partial");
        assert_eq!(old.lang, Lang::En);
        assert!(old.show_queue, "missing fields take their defaults");
    }
}
