//! Autosave in the window: each commit goes to the review layer's [`Autosaver`] (a journal line
//! at once, the review file on a background thread), and the status bar shows 保存中… / 已保存,
//! or why a save failed until a later save succeeds. Failures are also logged, so they outlive
//! the status message.

use super::review_app::{ReviewApp, SaveState};
use crate::review::{Autosaver, SaveOutcome};

impl ReviewApp {
    /// Saves with `autosaver` instead of the usual one (tests use a slow or failing worker).
    pub fn with_autosaver(mut self, autosaver: Autosaver) -> Self {
        self.autosaver = autosaver;
        self
    }

    /// What the status bar says about saving.
    pub fn save_state(&self) -> &SaveState {
        &self.save_state
    }

    /// Journals report `i`'s review at once and hands it to the background saver; where it
    /// was written (or why not) comes back through [`Self::poll_saving`].
    pub(super) fn autosave(&mut self, i: usize) {
        let Some(report) = self.reports.get(i) else {
            return;
        };
        let Some(path) = report.path.clone() else {
            return;
        };
        let (id, name) = (report.id, report.name.clone());
        if let Err(e) = self
            .autosaver
            .commit(id, &path, &self.store_dirs, &report.session)
        {
            // The worker tries the review file all the same and reports its own failure; this
            // one is only logged so that the status bar shows one message.
            log::warn!("{name}：日志文件没有写入：{e}");
        }
        self.save_state = SaveState::Saving;
    }

    /// Takes what the background saver has done since the last frame.
    pub(super) fn poll_saving(&mut self) {
        let outcomes = self.autosaver.poll();
        self.take_save_outcomes(outcomes);
    }

    /// Waits for the background saver to write every commit so far (tests; the window as it
    /// closes).
    pub fn flush_saves(&mut self) {
        let outcomes = self.autosaver.flush();
        self.take_save_outcomes(outcomes);
    }

    /// Waits until the reports being opened are open and every commit is saved, and applies
    /// the results. True when there was anything to wait for (the caller then draws again).
    pub fn wait_for_background(&mut self) -> bool {
        let waited = self.loading.is_some() || self.autosaver.is_saving();
        self.wait_for_loading();
        self.flush_saves();
        waited
    }

    fn take_save_outcomes(&mut self, outcomes: Vec<SaveOutcome>) {
        let mut failed = false;
        for outcome in outcomes {
            match outcome {
                // A later save clears an earlier failure, but not one reported alongside it.
                SaveOutcome::Saved { .. } => {
                    if !failed {
                        self.save_state = SaveState::Saved;
                    }
                }
                SaveOutcome::Failed { id, error } => {
                    let name = self
                        .reports
                        .iter()
                        .find(|r| r.id == id)
                        .map_or_else(String::new, |r| r.name.clone());
                    let text = self.t().labelled(&name, &error);
                    log::error!("自动保存失败：{text}");
                    self.error(text.clone());
                    self.save_state = SaveState::Failed(text);
                    failed = true;
                }
            }
        }
        if self.save_state == SaveState::Saving && !self.autosaver.is_saving() {
            self.save_state = SaveState::Saved;
        }
    }

    /// The save state in the status bar.
    pub(super) fn save_state_ui(&self, ui: &mut egui::Ui) {
        let t = self.t();
        match &self.save_state {
            SaveState::Idle => {}
            SaveState::Saving => {
                ui.separator();
                ui.label(t.saving);
            }
            SaveState::Saved => {
                ui.separator();
                ui.label(egui::RichText::new(t.saved).weak());
            }
            SaveState::Failed(why) => {
                ui.separator();
                ui.label(
                    egui::RichText::new(t.labelled(t.save_failed, why))
                        .color(ui.visuals().error_fg_color),
                );
            }
        }
    }
}
