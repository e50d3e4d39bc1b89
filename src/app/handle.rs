//! `ReviewApp::handle`: the one place where the window's intents change the review. Every
//! correction and verdict goes through here, the checks re-run after each, and the status bar
//! says what happened.

use super::i18n::{Strings, fill};
use super::intent::{Move, UiIntent};
use super::report::{FindingState, Report};
use super::review_app::{Exporting, Loading};
use super::review_app::{MAX_RECENT, ReviewApp, StatusLine, TypedPath};
use super::tables::{CellEditor, CellNote, neighbour};
use crate::check::OtherYear;
use crate::check::compare::body_of;
use crate::export::notice::notice_stem;
use crate::export::{self, ExportInfo, ExportReport, Notice, NoticeOptions, write_notice};
use crate::extract::{Extraction, extract};
use crate::model::{CellKey, SourceText, TableId};
use crate::review::batch::{BatchEvent, BatchLoader, LoadedReport};
use crate::review::import::{self, ImportTarget};
use crate::review::queue::{queue_order, step};
use crate::review::{CorrectionValue, ReviewSession, ReviewStatus, VerdictState, parse_correction};
use std::path::{Path, PathBuf};

/// Starts the body name of a report whose agency was not read: no agency name starts with a
/// control character, so it stays apart until the reviewer links it.
const UNNAMED_BODY: char = '\u{1}';

/// Up to this many files open as a quiet batch (the status bar does not time it); more are a
/// folder-sized batch. Either way they are read on background threads.
const OPEN_AT_ONCE: usize = 8;

/// The largest workbook read for an import.
const MAX_WORKBOOK_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a workbook for an import, refusing folders, pipes, devices and files over the size
/// limit (a pipe would block the window).
fn read_workbook(path: &Path, t: &Strings) -> Result<Vec<u8>, String> {
    crate::ingest::read_bytes(path, MAX_WORKBOOK_BYTES).map_err(|e| match e {
        crate::ingest::IngestError::IsDirectory => t.workbook_is_folder.to_owned(),
        crate::ingest::IngestError::TooLarge { size } => fill(
            t.workbook_too_large,
            &[
                ("size", &format!("{:.1}", size as f64 / 1_048_576.0)),
                ("limit", &(MAX_WORKBOOK_BYTES / 1_048_576)),
            ],
        ),
        other => other.to_string(),
    })
}

/// Opens the folder holding `path` in the system's file manager; a failure is not worth more
/// than a log line, since the path is in the status bar.
fn reveal_in_file_manager(path: &Path) {
    let Some(folder) = path.parent() else {
        return;
    };
    let opener = if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(folder).spawn() {
        log::warn!("无法打开文件夹 {}：{e}", folder.display());
    }
}

/// The name shown for a file: its file name, or the whole path when it has none.
fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

impl ReviewApp {
    /// Applies one intent.
    pub fn handle(&mut self, ctx: &egui::Context, intent: UiIntent) {
        match intent {
            UiIntent::Select(key) => {
                if self.finish_editing_except(key) {
                    self.select(key);
                }
            }
            UiIntent::MoveSelection(m) => {
                if let Some(key) = self.selected {
                    self.select(neighbour(key, m));
                }
            }
            UiIntent::ExtendSelection(m) => {
                if let Some(key) = self.selected {
                    let anchor = self.anchor.unwrap_or(key);
                    let next = neighbour(key, m);
                    // A range stays inside one table, as the tables are separate grids.
                    if next.table() == anchor.table() {
                        self.select(next);
                        self.anchor = Some(anchor);
                    }
                }
            }
            UiIntent::CopySelection => self.copy_selection(ctx),
            UiIntent::Paste(text) => self.paste(&text),
            UiIntent::ClearSelection => self.clear_selection(),
            UiIntent::RestoreOriginal => self.restore_original(),
            UiIntent::BeginEdit { key, replace_with } => self.begin_edit(key, replace_with),
            UiIntent::CommitEditor(then) => {
                if let Some(e) = &self.editor {
                    let (key, text) = (e.key, e.text.clone());
                    self.commit_cell(key, &text, then);
                }
            }
            // The editor reports losing focus after the panels drawn before it, so a button
            // there (恢复原值, 标为空白) may already have closed it this frame; its text is stale.
            UiIntent::CommitCell { key, text, then } => {
                if self.editor.as_ref().is_some_and(|e| e.key == key) {
                    self.commit_cell(key, &text, then);
                }
            }
            UiIntent::MarkCell { key, value } => {
                if self.editor.as_ref().is_some_and(|e| e.key == key) {
                    self.editor = None;
                } else if !self.finish_editing_except(key) {
                    return;
                }
                self.select(key);
                self.apply_correction(key, value);
            }
            UiIntent::SetCellNote { key, text } => {
                if let Some(i) = self.current {
                    let notes = &mut self.reports[i].session.notes;
                    if text.trim().is_empty() {
                        notes.remove(&key);
                    } else {
                        notes.insert(key, text.trim().to_owned());
                    }
                    self.after_verdict(i);
                    self.info(
                        self.t()
                            .labelled(self.t().cell_note_saved, key.accessible_name()),
                    );
                }
            }
            UiIntent::CancelEdit => {
                self.editor = None;
                self.status = None;
            }
            UiIntent::Undo => self.undo_redo(true),
            UiIntent::Redo => self.undo_redo(false),
            UiIntent::SelectFinding(i) => self.select_finding(i),
            UiIntent::ApplySuggestion(i) => self.apply_fix(i, false),
            UiIntent::FillZero(i) => self.apply_fix(i, true),
            UiIntent::NextFinding => self.step_finding(true),
            UiIntent::PrevFinding => self.step_finding(false),
            UiIntent::SetVerdict {
                finding,
                state,
                note,
            } => self.set_verdict(finding, state, note),
            UiIntent::SetVerdicts { findings, state } => self.set_verdicts(&findings, state),
            UiIntent::OpenFiles => {
                if !self.dialogs.busy() {
                    self.dialogs.pick_reports();
                }
            }
            UiIntent::OpenFolder => {
                if !self.dialogs.busy() {
                    self.dialogs.pick_folder();
                }
            }
            UiIntent::Open(paths) => self.open_paths(paths),
            UiIntent::CancelLoading => {
                if let Some(loading) = &self.loading {
                    loading.loader.cancel();
                }
            }
            UiIntent::Export => {
                if self.reports.len() > 1 {
                    self.export_choice = true;
                } else {
                    self.handle(ctx, UiIntent::ExportReports(false));
                }
            }
            UiIntent::ExportReports(all) => {
                self.export_choice = false;
                if !self.reports.is_empty() && !self.dialogs.busy() {
                    self.export_all = all;
                    let name = export::suggested_file_name(&self.export_snapshot());
                    let folder = self.report_folder();
                    self.export_default = Some(match &folder {
                        Some(folder) => folder.join(&name),
                        None => PathBuf::from(&name),
                    });
                    self.dialogs.pick_export_path(folder.as_deref(), &name);
                }
            }
            UiIntent::CancelExport => self.export_choice = false,
            UiIntent::RevealFile(path) => reveal_in_file_manager(&path),
            UiIntent::ExportTo(path) => self.export_to(&path),
            UiIntent::WriteNotices(all) => {
                if self.current.is_some() && !self.dialogs.busy() {
                    // Which reports the notices are for is kept as for the export's choice.
                    self.export_all = all;
                    let folder = self.report_folder();
                    self.export_default = folder.clone();
                    self.dialogs.pick_notice_folder(folder.as_deref());
                }
            }
            UiIntent::WriteNoticesTo(folder) => self.write_notices(&folder),
            UiIntent::ImportWorkbook => {
                if !self.reports.is_empty() && !self.dialogs.busy() {
                    self.dialogs.pick_workbook();
                }
            }
            UiIntent::PreviewImport(path) => self.preview_import(&path),
            UiIntent::ApplyImport => self.apply_import(),
            UiIntent::CancelImport => self.import = None,
            UiIntent::AskTypedPath(purpose) => {
                self.typed_path = Some(TypedPath {
                    purpose,
                    text: String::new(),
                    unavailable: false,
                });
            }
            UiIntent::ShowReport(i) => self.show_report(i),
            UiIntent::NextReport | UiIntent::PrevReport => {
                let order = queue_order(
                    self.reports.iter().map(Report::queue_entry),
                    self.settings.queue_sort,
                    self.settings.queue_filter,
                );
                let forward = intent == UiIntent::NextReport;
                if let Some(i) = step(&order, self.current, forward) {
                    self.show_report(i);
                }
            }
            UiIntent::CloseReport(i) => self.close_report(i),
            UiIntent::MarkReviewed(true) if self.open_errors() > 0 => {
                self.confirm_reviewed = Some(self.open_errors());
            }
            UiIntent::ConfirmReviewed => {
                self.confirm_reviewed = None;
                if let Some(i) = self.current {
                    self.reports[i].session.status = ReviewStatus::Reviewed;
                    self.after_verdict(i);
                }
            }
            UiIntent::CancelReviewed => self.confirm_reviewed = None,
            UiIntent::MarkReviewed(reviewed) => {
                if let Some(i) = self.current {
                    self.reports[i].session.status = if reviewed {
                        ReviewStatus::Reviewed
                    } else {
                        ReviewStatus::Unreviewed
                    };
                    self.after_verdict(i);
                }
            }
            UiIntent::SortQueue(sort) => self.settings.queue_sort = sort,
            UiIntent::FilterQueue(filter) => self.settings.queue_filter = filter,
            UiIntent::SetLanguage(lang) => {
                self.settings.lang = lang;
                self.dialogs.set_language(lang);
            }
            UiIntent::SetDark(dark) => self.settings.dark = dark,
            UiIntent::ShowQueue(show) => self.settings.show_queue = show,
            UiIntent::ZoomStep(steps) => {
                let zoom = super::review_app::zoom_step(self.settings.zoom, steps);
                self.handle(ctx, UiIntent::SetZoom(zoom));
            }
            UiIntent::SetZoom(zoom) => {
                self.settings.zoom = zoom.clamp(0.5, 3.0);
                let percent = (self.settings.zoom * 100.0).round();
                self.info(format!("{} {percent}%", self.t().zoom));
            }
            UiIntent::ShowInternalNames(show) => self.settings.show_internal = show,
            UiIntent::ToggleQueue => self.settings.show_queue = !self.settings.show_queue,
            UiIntent::FoldFindings(fold) => self.settings.findings_folded = fold,
            UiIntent::JumpToTable(table) => self.jump_to_table = Some(table),
            UiIntent::FocusSearch => self.source.focus_search = true,
            UiIntent::SearchStep(forward) => self.source.step(forward),
            UiIntent::RevealSpan(span) => self.source.reveal = Some(span),
            UiIntent::ShowShortcuts(show) => self.show_shortcuts = show,
            UiIntent::ShowYears(show) => self.years.open = show,
            UiIntent::ToggleYears => self.years.open = !self.years.open,
            UiIntent::LinkBody(other) => self.link_body(other),
            UiIntent::SetYearsFilter {
                table,
                only_changed,
            } => {
                self.years.table = table;
                self.years.only_changed = only_changed;
            }
            UiIntent::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    /// Puts the selected cells on the clipboard as tab-separated rows, as Excel and WPS do.
    fn copy_selection(&mut self, ctx: &egui::Context) {
        let Some(report) = self.current_report() else {
            return;
        };
        let range = self.selected_range();
        let tsv = range
            .iter()
            .map(|row| {
                row.iter()
                    .map(|k| {
                        k.and_then(|k| report.cell(k).raw.clone())
                            .unwrap_or_default()
                    })
                    .collect::<Vec<_>>()
                    .join("\t")
            })
            .collect::<Vec<_>>()
            .join("\n");
        let n = range.iter().flatten().flatten().count();
        ctx.copy_text(tsv);
        self.info(format!("{}{n}", self.t().copied));
    }

    /// Pastes tab-separated rows from the top left of the selection on: each value is an
    /// ordinary correction (one undo step per cell), checked like a typed one; an empty field
    /// marks its cell blank. Values that are not numbers, or fall outside the table, are
    /// listed in the status bar and change nothing.
    fn paste(&mut self, text: &str) {
        let Some(i) = self.current else {
            return;
        };
        let Some(start) = self.selected_range().into_iter().flatten().flatten().next() else {
            return;
        };
        let mut done: Vec<CellKey> = Vec::new();
        let mut refused = Vec::new();
        let text = text.trim_end_matches(['\n', '\r']);
        for (dr, line) in text.split('\n').enumerate() {
            for (dc, field) in line.trim_end_matches('\r').split('\t').enumerate() {
                let Some(key) = super::tables::cell_offset(start, dr, dc) else {
                    refused.push(
                        self.t()
                            .labelled(format!("“{}”", field.trim()), self.t().paste_outside),
                    );
                    continue;
                };
                let value = if field.trim().is_empty() {
                    Ok(CorrectionValue::Blank)
                } else {
                    parse_correction(key, field)
                };
                match value {
                    Ok(value) => {
                        self.reports[i].session.commit(key, value, None);
                        done.push(key);
                    }
                    Err(reason) => refused.push(self.t().labelled(key.accessible_name(), reason)),
                }
            }
        }
        if let Some(&last) = done.last() {
            self.after_change(i);
            self.select(start);
            self.anchor = Some(last);
        }
        let t = self.t();
        let mut text = format!("{}{}", t.pasted, done.len());
        if !refused.is_empty() {
            text.push_str(t.list_sep);
            text.push_str(&t.labelled(t.paste_refused, refused.join(t.list_sep)));
            self.error(text);
        } else {
            self.info(text);
        }
    }

    /// Puts the extracted value back into every selected cell that was corrected.
    fn restore_original(&mut self) {
        let Some(i) = self.current else {
            return;
        };
        self.editor = None;
        let keys: Vec<CellKey> = self
            .selected_range()
            .into_iter()
            .flatten()
            .flatten()
            .collect();
        let mut changed = 0;
        for key in &keys {
            let session = &mut self.reports[i].session;
            if let Some(value) = session.original_value(*key)
                && session.commit(*key, value, None)
            {
                changed += 1;
            }
        }
        if changed > 0 {
            self.after_change(i);
            self.info(self.t().labelled(self.t().restore_original, changed));
        }
    }

    /// Marks every selected cell blank (Delete), one undoable correction per cell.
    fn clear_selection(&mut self) {
        let Some(i) = self.current else {
            return;
        };
        let keys: Vec<CellKey> = self
            .selected_range()
            .into_iter()
            .flatten()
            .flatten()
            .collect();
        let mut changed = 0;
        for key in &keys {
            if self.reports[i]
                .session
                .commit(*key, CorrectionValue::Blank, None)
            {
                changed += 1;
            }
        }
        if changed > 0 {
            self.after_change(i);
            self.info(self.t().labelled(self.t().clear_cells, changed));
        }
    }

    /// The current report's errors that are neither confirmed nor dismissed.
    fn open_errors(&self) -> usize {
        self.current_report().map_or(0, |r| {
            (0..r.findings().len())
                .filter(|&j| {
                    r.findings()[j].severity == crate::check::Severity::Error
                        && r.finding_state(j) == FindingState::Open
                })
                .count()
        })
    }

    pub(super) fn info(&mut self, text: String) {
        self.status = Some(StatusLine {
            text,
            error: false,
            file: None,
        });
    }

    pub(super) fn error(&mut self, text: String) {
        self.status = Some(StatusLine {
            text,
            error: true,
            file: None,
        });
    }

    /// Selects a cell, scrolls the tables to it and the source to its text.
    fn select(&mut self, key: CellKey) {
        self.anchor = None;
        self.selected = Some(key);
        self.scroll_table_to = Some(key);
        let Some(report) = self.current.and_then(|i| self.reports.get(i)) else {
            return;
        };
        self.source.reveal = report.source_span(key);
        let keep_finding = self
            .selected_finding
            .as_deref()
            .and_then(|id| report.finding_index(id))
            .and_then(|i| report.findings().get(i))
            .is_some_and(|f| f.keys.contains(&key));
        if !keep_finding {
            self.selected_finding = None;
        }
    }

    /// Commits an editor open on another cell than `key` before the selection moves on.
    /// Returns false when its text is refused (the editor stays open and says why).
    fn finish_editing_except(&mut self, key: CellKey) -> bool {
        match &self.editor {
            Some(e) if e.key != key => {
                let (k, text) = (e.key, e.text.clone());
                self.commit_cell(k, &text, Move::Stay);
                self.editor.is_none()
            }
            _ => true,
        }
    }

    fn begin_edit(&mut self, key: CellKey, replace_with: Option<String>) {
        let Some(i) = self.current else {
            return;
        };
        if let Some(e) = &self.editor {
            if e.key == key && replace_with.is_none() {
                return;
            }
            if !self.finish_editing_except(key) {
                return;
            }
        }
        self.select(key);
        let initial = self.reports[i]
            .cell(key)
            .raw
            .as_deref()
            .unwrap_or_default()
            .to_owned();
        let text = replace_with.unwrap_or_else(|| initial.clone());
        self.editor = Some(CellEditor {
            key,
            text,
            initial,
            error: None,
            focus_pending: true,
        });
    }

    /// Commits typed text: a number is recorded; anything else is refused with the reason.
    fn commit_cell(&mut self, key: CellKey, text: &str, then: Move) {
        if self.current.is_none() {
            return;
        }
        let unchanged = self
            .editor
            .as_ref()
            .is_some_and(|e| e.key == key && e.initial.trim() == text.trim());
        if unchanged {
            self.editor = None;
            self.move_after(key, then);
            return;
        }
        match parse_correction(key, text) {
            Ok(value) => {
                self.editor = None;
                self.apply_correction(key, value);
                self.move_after(key, then);
            }
            Err(reason) => {
                match self.editor.as_mut().filter(|e| e.key == key) {
                    Some(e) => {
                        e.error = Some(reason.clone());
                        e.focus_pending = true;
                    }
                    None => {
                        self.editor = Some(CellEditor {
                            key,
                            text: text.to_owned(),
                            initial: String::new(),
                            error: Some(reason.clone()),
                            focus_pending: true,
                        });
                    }
                }
                self.error(self.t().labelled(key.accessible_name(), reason));
            }
        }
    }

    fn move_after(&mut self, key: CellKey, then: Move) {
        if then != Move::Stay {
            self.select(neighbour(key, then));
        } else {
            self.select(key);
        }
    }

    fn apply_correction(&mut self, key: CellKey, value: CorrectionValue) {
        let Some(i) = self.current else {
            return;
        };
        let before = self.reports[i].cell(key).raw.clone();
        if self.reports[i].session.commit(key, value, None) {
            self.after_change(i);
            let t = self.t();
            self.info(t.labelled(
                key.accessible_name(),
                format!(
                    "{} → {}",
                    super::tables::shown_value(before.as_deref(), t),
                    super::tables::shown_correction(value, t)
                ),
            ));
        }
    }

    fn undo_redo(&mut self, undo: bool) {
        if self.editor.is_some() {
            self.editor = None;
        }
        let Some(i) = self.current else {
            return;
        };
        let session = &mut self.reports[i].session;
        let touched = if undo { session.undo() } else { session.redo() };
        let Some(key) = touched else {
            return;
        };
        self.after_change(i);
        self.select(key);
        let t = self.t();
        let what = if undo { t.undo } else { t.redo };
        self.info(t.labelled(what, key.accessible_name()));
    }

    /// After a correction (or undo/redo): re-run the checks of the report and of the other
    /// years of its body.
    fn after_change(&mut self, i: usize) {
        self.recheck_group(i);
        self.autosave(i);
    }

    /// After a verdict or a status change.
    fn after_verdict(&mut self, i: usize) {
        self.reports[i].refresh_verdicts();
        self.autosave(i);
    }

    /// The body report `i` is grouped under: its agency as the core normalises it
    /// ([`body_of`]), or a name of its own when none was read, then the reviewer's links.
    pub(super) fn body_key(&self, i: usize) -> Option<String> {
        let report = self.reports.get(i)?;
        let name = body_of(&report.session.extraction)
            .unwrap_or_else(|| format!("{UNNAMED_BODY}{}", report.id));
        Some(self.body_links.body(&name))
    }

    /// Links the current report's body with report `other`'s, then checks them again together.
    fn link_body(&mut self, other: usize) {
        let (Some(current), true) = (self.current, other < self.reports.len()) else {
            return;
        };
        let (Some(a), Some(b)) = (self.body_key(current), self.body_key(other)) else {
            return;
        };
        self.body_links.link(&a, &b);
        self.recheck_group(current);
        let text = self
            .t()
            .labelled(self.t().linked_body, format!("{a} = {b}"));
        self.info(text);
    }

    /// The open reports of the same body as report `i` (itself included), in open order.
    pub(super) fn same_body(&self, i: usize) -> Vec<usize> {
        let Some(body) = self.body_key(i) else {
            return Vec::new();
        };
        (0..self.reports.len())
            .filter(|&j| j == i || self.body_key(j).as_deref() == Some(body.as_str()))
            .collect()
    }

    /// Re-runs the checks of report `i` and of every open report of the same body, each with
    /// the others' years for the cross-year rules.
    fn recheck_group(&mut self, i: usize) {
        let members = self.same_body(i);
        let effective: Vec<(usize, Option<i32>, Extraction)> = members
            .iter()
            .map(|&m| {
                (
                    m,
                    self.reports[m].year(),
                    self.reports[m].session.effective_extraction(),
                )
            })
            .collect();
        let sources: Vec<SourceText> = members
            .iter()
            .map(|&m| self.reports[m].session.source.clone())
            .collect();
        for &m in &members {
            let year = self.reports[m].year();
            let others: Vec<OtherYear<'_>> = effective
                .iter()
                .zip(&sources)
                .filter(|((o, y, _), _)| *o != m && *y != year)
                .map(|((_, _, extraction), source)| OtherYear {
                    extraction,
                    source: Some(source),
                })
                .collect();
            self.reports[m].recheck(&others);
        }
    }

    fn select_finding(&mut self, i: usize) {
        let Some(report) = self.current_report() else {
            return;
        };
        let Some(f) = report.findings().get(i) else {
            return;
        };
        let Some(id) = report.finding_id(i).map(str::to_owned) else {
            return;
        };
        let first = f.keys.first().copied();
        let note = report
            .session
            .verdict(&id, &f.keys)
            .and_then(|v| v.note.clone())
            .unwrap_or_default();
        let reveal = f.span.or_else(|| first.and_then(|k| report.source_span(k)));
        if let Some(key) = first
            && !self.finish_editing_except(key)
        {
            return;
        }
        self.selected_finding = Some(id);
        self.settings.findings.note = note;
        if let Some(key) = first {
            self.selected = Some(key);
            self.scroll_table_to = Some(key);
        }
        self.source.reveal = reveal;
    }

    fn step_finding(&mut self, forward: bool) {
        let Some(report) = self.current_report() else {
            return;
        };
        // F8 follows the list: by table, the most serious first.
        let order = super::findings::display_order(report.findings());
        let n = order.len();
        let start = self
            .selected_finding()
            .and_then(|s| order.iter().position(|&j| j == s))
            .unwrap_or(if forward { n.saturating_sub(1) } else { 0 });
        let next = (1..=n)
            .map(|k| {
                if forward {
                    order[(start + k) % n]
                } else {
                    order[(start + n - k % n) % n]
                }
            })
            .find(|&j| report.finding_state(j) == FindingState::Open);
        match next {
            Some(j) => self.select_finding(j),
            None => {
                self.info(self.t().no_open_findings.to_owned());
            }
        }
    }

    /// Applies a finding's suggested fix, or (`zero`) sets its blank cells to 0, as one
    /// undoable step whose corrections carry the button's name as their note.
    fn apply_fix(&mut self, finding: usize, zero: bool) {
        let Some(i) = self.current else {
            return;
        };
        self.editor = None;
        let Some(f) = self.reports[i].findings().get(finding) else {
            return;
        };
        let changes: Vec<(CellKey, CorrectionValue)> = if zero {
            if !crate::check::offers_zero_fill(f) {
                return;
            }
            let session = &self.reports[i].session;
            f.keys
                .iter()
                .filter(|k| session.effective_cell(**k).kind() == crate::model::ValueKind::Blank)
                .map(|k| (*k, CorrectionValue::Number(0.0)))
                .collect()
        } else {
            match &f.suggestion {
                Some(s) => s
                    .changes
                    .iter()
                    .map(|c| (c.key, CorrectionValue::Number(c.value)))
                    .collect(),
                None => return,
            }
        };
        let Some(&(first, _)) = changes.first() else {
            return;
        };
        let t = self.t();
        let note = if zero {
            t.fill_zero
        } else {
            t.apply_suggestion
        };
        let changed = self.reports[i].session.commit_group(&changes, note);
        if changed > 0 {
            self.after_change(i);
            self.select(first);
            self.info(self.t().labelled(note, changed));
        }
    }

    /// Judges several findings of the current report at once: one save, one status message.
    fn set_verdicts(&mut self, findings: &[usize], state: VerdictState) {
        let Some(i) = self.current else {
            return;
        };
        let report = &mut self.reports[i];
        let mut judged = 0;
        for &finding in findings {
            let Some(keys) = report.findings().get(finding).map(|f| f.keys.clone()) else {
                continue;
            };
            let Some(id) = report.finding_id(finding).map(str::to_owned) else {
                continue;
            };
            report.session.set_verdict(&id, &keys, state, None);
            judged += 1;
        }
        if judged == 0 {
            return;
        }
        self.after_verdict(i);
        let t = self.t();
        let what = match state {
            VerdictState::Confirmed => t.state_confirmed,
            VerdictState::Dismissed => t.state_dismissed,
        };
        self.info(t.labelled(what, judged));
    }

    fn set_verdict(&mut self, finding: usize, state: Option<VerdictState>, note: String) {
        let Some(i) = self.current else {
            return;
        };
        let report = &mut self.reports[i];
        let Some(f) = report.findings().get(finding) else {
            return;
        };
        let keys = f.keys.clone();
        let message = f.message.clone();
        let Some(id) = report.finding_id(finding).map(str::to_owned) else {
            return;
        };
        match state {
            Some(s) => report.session.set_verdict(&id, &keys, s, Some(note)),
            None => report.session.clear_verdict(&id),
        }
        self.after_verdict(i);
        let t = self.t();
        let what = match state {
            Some(VerdictState::Confirmed) => t.state_confirmed,
            Some(VerdictState::Dismissed) => t.state_dismissed,
            None => t.state_open,
        };
        self.info(t.labelled(what, message));
    }

    /// Opens files and folders (folders are searched recursively for reports), restoring
    /// each report's saved review. A file that is already open is shown instead of opened
    /// twice. Files are read on background threads with a progress bar and a stop button; a
    /// few files asked for while a folder opens wait for it. Unreadable files are reported in
    /// the status bar (and logged) and the rest still open.
    pub fn open_paths(&mut self, paths: Vec<PathBuf>) {
        let files = crate::ingest::inputs::expand_inputs(&paths);
        if files.is_empty() {
            self.error(self.t().no_reports_found.to_owned());
            return;
        }
        let mut first = None;
        let mut new_files = Vec::new();
        for path in files {
            match self.find_open(&path) {
                Some(i) => {
                    first.get_or_insert(i);
                }
                None if !new_files.contains(&path) => new_files.push(path),
                None => {}
            }
        }
        if new_files.is_empty() {
            if let Some(i) = first {
                self.show_report(i);
            }
            return;
        }
        let quiet = new_files.len() <= OPEN_AT_ONCE;
        if let Some(loading) = &mut self.loading
            && quiet
        {
            // A few files asked for while a batch opens wait for it rather than stop it.
            loading.queued.extend(new_files);
            return;
        }
        if let Some(previous) = self.loading.take() {
            previous.loader.cancel();
        }
        let total = new_files.len();
        self.loading = Some(Loading {
            loader: BatchLoader::start_in(new_files, self.store_dirs.clone(), || {}),
            done: 0,
            total,
            current: String::new(),
            opened: 0,
            problems: Vec::new(),
            first,
            quiet,
            queued: Vec::new(),
        });
    }

    /// Takes what the background loader has sent since the last frame.
    pub(super) fn poll_loading(&mut self) {
        let Some(loading) = &mut self.loading else {
            return;
        };
        let events = loading.loader.try_events();
        self.take_loading_events(events);
    }

    /// Waits until the reports being opened (and any asked for meanwhile) are open.
    pub(super) fn wait_for_loading(&mut self) {
        while let Some(loading) = &mut self.loading {
            let Some(event) = loading.loader.recv() else {
                // Every event was taken and none finished the batch: nothing more will come.
                self.loading = None;
                return;
            };
            self.take_loading_events(vec![event]);
        }
    }

    /// Applies the loader's events; once it has finished, reports what opened and starts the
    /// files asked for meanwhile.
    fn take_loading_events(&mut self, events: Vec<BatchEvent>) {
        let Some(mut loading) = self.loading.take() else {
            return;
        };
        let mut finished = None;
        for event in events {
            match event {
                BatchEvent::Started { total } => loading.total = total,
                BatchEvent::Progress {
                    done,
                    total,
                    current,
                } => {
                    loading.done = done;
                    loading.total = total;
                    loading.current = display_name(&current);
                }
                BatchEvent::Report { path, result, .. } => {
                    // The same file by another path, or asked for again while it loaded: the
                    // copy already open stays, since two copies would each save the review
                    // file over the other's corrections.
                    if let Some(i) = self.find_open(&path) {
                        loading.first.get_or_insert(i);
                        continue;
                    }
                    let result = result.map(|boxed| *boxed);
                    if let Some(i) = self.add_loaded(path, result, &mut loading.problems) {
                        loading.first.get_or_insert(i);
                        loading.opened += 1;
                    }
                }
                BatchEvent::Finished { cancelled, elapsed } => {
                    finished = Some((cancelled, elapsed));
                }
            }
        }
        match finished {
            Some((cancelled, elapsed)) => {
                let seconds = format!("{:.1}", elapsed.as_secs_f64());
                let t = self.t();
                let note = if cancelled {
                    Some(fill(t.load_stopped, &[("seconds", &seconds)]))
                } else if loading.quiet {
                    None
                } else {
                    Some(fill(t.load_took, &[("seconds", &seconds)]))
                };
                self.finish_opening(loading.first, loading.opened, loading.problems, note);
                if !loading.queued.is_empty() {
                    self.open_paths(loading.queued);
                }
            }
            None => self.loading = Some(loading),
        }
    }

    /// Adds one opened (and checked) report; records why a file could not be opened.
    fn add_loaded(
        &mut self,
        path: PathBuf,
        result: Result<LoadedReport, String>,
        problems: &mut Vec<String>,
    ) -> Option<usize> {
        let name = display_name(&path);
        let loaded = match result {
            Ok(loaded) => loaded,
            Err(e) => {
                log::error!("打开失败：{}：{e}", path.display());
                problems.push(self.t().labelled(&name, e));
                return None;
            }
        };
        if loaded.session.extraction.tables.is_empty() {
            problems.push(fill(self.t().not_a_report, &[("name", &name)]));
        }
        for notice in &loaded.notices {
            problems.push(self.t().labelled(&name, notice));
        }
        // A report just opened has no corrections or verdicts but those of its review file.
        let edits = CellKey::all()
            .filter(|k| loaded.session.is_corrected(*k))
            .count();
        self.restored.0 += edits;
        self.restored.1 += loaded.session.verdicts.len();
        self.remember_recent(&path);
        let id = self.next_id;
        self.next_id += 1;
        self.reports.push(Report::with_findings(
            id,
            name,
            Some(path),
            loaded.session,
            loaded.findings,
            loaded.notices,
        ));
        let i = self.reports.len() - 1;
        // The loader compared the reports it opened together; a body's other years may also be
        // among the reports opened before.
        let year = self.reports[i].year();
        let earlier = self
            .same_body(i)
            .into_iter()
            .any(|j| j < i && self.reports[j].year() != year);
        if earlier {
            self.recheck_group(i);
        }
        Some(i)
    }

    fn finish_opening(
        &mut self,
        first: Option<usize>,
        opened: usize,
        problems: Vec<String>,
        note: Option<String>,
    ) {
        if let Some(i) = first {
            self.show_report(i);
        }
        let t = self.t();
        let mut text = match opened {
            0 => String::new(),
            1 if note.is_none() => String::new(),
            n => fill(t.opened_reports, &[("n", &n)]),
        };
        let (edits, verdicts) = std::mem::take(&mut self.restored);
        if edits + verdicts > 0 {
            let restored = fill(
                t.restored_counts,
                &[("edits", &edits), ("verdicts", &verdicts)],
            );
            if !text.is_empty() {
                text.push_str(t.list_sep);
            }
            text.push_str(&restored);
        }
        if let Some(note) = note {
            if !text.is_empty() {
                text = t.aside(text, note);
            } else {
                text = note;
            }
        }
        if !problems.is_empty() {
            if !text.is_empty() {
                text.push_str(t.list_sep);
            }
            text.push_str(&problems.join(t.list_sep));
            self.error(text);
        } else if !text.is_empty() {
            self.info(text);
        } else if opened > 0 {
            // An old error no longer applies once a report opened cleanly.
            self.status = None;
        }
    }

    /// Opens a report from text already in memory (the bundled sample): not saved anywhere.
    pub fn open_source(&mut self, name: &str, source: SourceText) {
        let extraction = extract(&source);
        let session = ReviewSession::new(source, extraction);
        let id = self.next_id;
        self.next_id += 1;
        self.reports
            .push(Report::new(id, name.to_owned(), None, session));
        let i = self.reports.len() - 1;
        self.show_report(i);
    }

    fn find_open(&self, path: &Path) -> Option<usize> {
        let wanted = std::fs::canonicalize(path).ok()?;
        self.reports.iter().position(|r| {
            r.path
                .as_deref()
                .and_then(|p| std::fs::canonicalize(p).ok())
                .is_some_and(|p| p == wanted)
        })
    }

    fn remember_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.settings.recent.retain(|p| *p != path);
        self.settings.recent.insert(0, path);
        self.settings.recent.truncate(MAX_RECENT);
    }

    fn show_report(&mut self, i: usize) {
        if i >= self.reports.len() || self.current == Some(i) {
            return;
        }
        if let Some(e) = &self.editor {
            let (key, text) = (e.key, e.text.clone());
            self.commit_cell(key, &text, Move::Stay);
            // A refused value is dropped rather than blocking the switch; the status bar
            // already says why it was refused.
            self.editor = None;
        }
        self.current = Some(i);
        self.cell_note = CellNote::default();
        self.selected = None;
        self.selected_finding = None;
        self.settings.findings.note.clear();
        self.source.reset();
        self.jump_to_table = Some(self.opening_table(i));
    }

    /// The table a report opens on: the one holding its first open error, else 表三 (the
    /// table with most of the numbers and most of the mistakes).
    fn opening_table(&self, i: usize) -> TableId {
        let report = &self.reports[i];
        report
            .findings()
            .iter()
            .enumerate()
            .filter(|(j, f)| {
                f.severity == crate::check::Severity::Error
                    && report.finding_state(*j) == FindingState::Open
            })
            .find_map(|(_, f)| f.keys.first())
            .map_or(TableId::Requests, |k| k.table())
    }

    fn close_report(&mut self, i: usize) {
        if i >= self.reports.len() {
            return;
        }
        self.editor = None;
        let group: Vec<u64> = self
            .same_body(i)
            .into_iter()
            .filter(|&j| j != i)
            .map(|j| self.reports[j].id)
            .collect();
        self.reports.remove(i);
        self.current = match self.current {
            _ if self.reports.is_empty() => None,
            Some(c) if c > i => Some(c - 1),
            Some(c) if c == i => Some(i.min(self.reports.len() - 1)),
            other => other,
        };
        self.selected = None;
        self.selected_finding = None;
        self.source.reset();
        if let Some(j) = self.reports.iter().position(|r| group.contains(&r.id)) {
            self.recheck_group(j);
        }
    }

    /// Reads a cleaned workbook and shows which cells it would change in the open reports.
    fn preview_import(&mut self, path: &Path) {
        let name = display_name(path);
        let bytes = match read_workbook(path, self.t()) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.error(self.t().labelled(&name, e));
                return;
            }
        };
        let sample = PathBuf::from(super::SAMPLE_NAME);
        let targets: Vec<ImportTarget<'_>> = self
            .reports
            .iter()
            .map(|r| ImportTarget {
                path: r.path.as_deref().unwrap_or(&sample),
                session: &r.session,
            })
            .collect();
        match import::preview_import(&bytes, &name, &targets) {
            Ok(preview) => self.import = Some(preview),
            Err(e) => self.error(self.t().labelled(&name, e)),
        }
    }

    /// Applies the previewed import: one ordinary commit per cell (undoable, saved at once).
    fn apply_import(&mut self) {
        let Some(preview) = self.import.take() else {
            return;
        };
        let mut changed = 0;
        for r in &preview.reports {
            let Some(report) = self.reports.get_mut(r.target) else {
                continue;
            };
            let n = import::apply_import(r, &preview.workbook, &mut report.session);
            if n > 0 {
                changed += n;
                self.after_change(r.target);
            }
        }
        let text = fill(
            self.t().imported,
            &[("n", &changed), ("workbook", &preview.workbook)],
        );
        self.info(text);
    }

    /// The folder of the current report (where its export goes by default), or the working
    /// folder for the bundled sample.
    fn report_folder(&self) -> Option<PathBuf> {
        let path = self.current_report()?.path.as_deref()?;
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        path.parent().map(Path::to_path_buf)
    }

    /// The reports to export, as the workbook shows them: corrected values, findings with
    /// verdicts, the audit trail. Only the current one unless 全部 was chosen.
    fn export_snapshot(&self) -> Vec<ExportReport> {
        let current = self.current;
        let all = self.export_all;
        self.reports
            .iter()
            .enumerate()
            .filter(|(i, _)| all || current.is_none_or(|c| c == *i))
            .map(|(_, r)| {
                let sha = match r.session.source_sha256() {
                    Some(sha) => sha.to_owned(),
                    None if r.path.is_none() => crate::ingest::sha256_hex(super::SAMPLE_REPORT),
                    None => String::new(),
                };
                ExportReport::new(r.name.clone(), sha, &r.session, r.findings().to_vec())
            })
            .collect()
    }

    /// Writes the workbook of every open report to `path` on a background thread (atomically:
    /// a failed export leaves an existing file untouched); the status bar says when it is done
    /// or why it failed.
    fn export_to(&mut self, path: &Path) {
        if self.exporting.is_some() || self.reports.is_empty() {
            return;
        }
        let mut path = self.beside_report(path);
        if path.extension().is_none() {
            path.set_extension("xlsx");
        }
        let reports = self.export_snapshot();
        let count = reports.len();
        let mut info = ExportInfo::now();
        info.notices = self
            .reports
            .iter()
            .flat_map(|r| r.notices.iter().map(move |n| format!("{}：{n}", r.name)))
            .collect();
        let target = path.clone();
        self.write_in_background(path, count, false, move || {
            export::save_workbook(&target, &reports, &info).map_err(|e| e.to_string())
        });
    }

    /// A path the reviewer typed or chose: a bare name goes beside the current report, not
    /// into the process's working folder.
    fn beside_report(&self, path: &Path) -> PathBuf {
        match self.report_folder() {
            Some(folder) if path.is_relative() => folder.join(path),
            _ => path.to_path_buf(),
        }
    }

    /// Runs `write` (an export or the notices) on a background thread; the status bar shows
    /// it under way, then says where `path` went or why it failed.
    fn write_in_background(
        &mut self,
        path: PathBuf,
        reports: usize,
        notices: bool,
        write: impl FnOnce() -> Result<(), String> + Send + 'static,
    ) {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // The window may have closed meanwhile; the files are written either way.
            let _ = tx.send(write());
        });
        self.exporting = Some(Exporting {
            done: rx,
            path,
            reports,
            notices,
        });
    }

    /// Writes the review notice (.docx and .txt) of the current report, or of every open
    /// report with confirmed problems, into `folder`. The notices are put together here (a few
    /// microseconds each); packing and writing the files runs on a background thread, and the
    /// status bar says when it is done or why it failed.
    fn write_notices(&mut self, folder: &Path) {
        if self.exporting.is_some() || self.reports.is_empty() {
            return;
        }
        let folder = self.beside_report(folder);
        let all = self.export_all;
        let options = NoticeOptions {
            include_open: false,
            date: jiff::Zoned::now().date(),
        };
        let mut stems = std::collections::HashSet::new();
        let notices: Vec<(Notice, String)> = self
            .export_snapshot()
            .iter()
            .map(|r| (Notice::build(r, &options), r.file_name().to_owned()))
            .filter(|(n, _)| !all || n.confirmed_count() > 0)
            .map(|(notice, file)| {
                let stem = notice_stem(&file);
                let mut unique = stem.clone();
                let mut n = 2;
                while !stems.insert(unique.clone()) {
                    unique = format!("{stem}_{n}");
                    n += 1;
                }
                (notice, unique)
            })
            .collect();
        let t = self.t();
        if notices.is_empty() {
            self.info(t.notices_none.to_owned());
            return;
        }
        let count = notices.len();
        // The status bar's 打开所在文件夹 opens the folder of the first notice.
        let first = folder.join(format!("{}.docx", notices[0].1));
        self.write_in_background(first, count, true, move || {
            std::fs::create_dir_all(&folder)
                .map_err(|e| t.labelled(folder.display(), e))
                .and_then(|()| {
                    notices.iter().try_for_each(|(notice, stem)| {
                        write_notice(notice, &folder, stem)
                            .map(|_| ())
                            .map_err(|e| e.to_string())
                    })
                })
        });
    }

    /// Takes the result of an export, once there is one.
    pub(super) fn poll_export(&mut self) {
        let Some(exporting) = &self.exporting else {
            return;
        };
        let result = match exporting.done.try_recv() {
            Ok(result) => result,
            Err(std::sync::mpsc::TryRecvError::Empty) => return,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                Err(self.t().export_thread_died.to_owned())
            }
        };
        let (path, count) = (exporting.path.clone(), exporting.reports);
        let notices = exporting.notices;
        self.exporting = None;
        let t = self.t();
        match result {
            Ok(()) if notices => {
                let folder = path.parent().unwrap_or(&path);
                self.info(t.labelled(t.notices_written, format!("{count} · {}", folder.display())));
                if let Some(status) = &mut self.status {
                    status.file = Some(path);
                }
            }
            Err(e) if notices => {
                log::error!("审校意见书写出失败：{}：{e}", path.display());
                self.error(format!("{}{e}", t.notices_failed));
            }
            Ok(()) => {
                self.info(fill(
                    t.exported,
                    &[("n", &count), ("path", &path.display())],
                ));
                if let Some(status) = &mut self.status {
                    status.file = Some(path);
                }
            }
            Err(e) => {
                log::error!("导出失败：{}：{e}", path.display());
                self.error(fill(t.export_failed, &[("error", &e)]));
            }
        }
    }
}
