//! The file dialogs seam. The window asks a [`FileDialogs`] for report paths and for an export
//! path and polls for the outcome, so it keeps repainting while a dialog is open. [`RfdDialogs`]
//! is the only place that calls rfd; tests use [`ScriptedDialogs`].

use super::i18n::Lang;
use crate::ingest::inputs::REPORT_EXTENSIONS;
use std::collections::VecDeque;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

/// What a dialog was for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogPurpose {
    /// Choosing report files to open.
    OpenReports,
    /// Choosing where to write the exported workbook.
    Export,
    /// Choosing a cleaned workbook to import corrections from.
    ImportWorkbook,
    /// Choosing the folder for the review notices.
    Notice,
}

/// How a dialog ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogOutcome {
    /// Report files were chosen.
    Reports(Vec<PathBuf>),
    /// An export path was chosen.
    ExportPath(PathBuf),
    /// A workbook to import corrections from was chosen.
    Workbook(PathBuf),
    /// The folder for the review notices was chosen.
    NoticeFolder(PathBuf),
    /// The user closed the dialog without choosing.
    Cancelled(DialogPurpose),
    /// No dialog could be shown (no portal, no zenity): the window offers a typed path.
    Unavailable(DialogPurpose),
}

/// The native file dialogs, or a stand-in.
pub trait FileDialogs {
    /// Starts the dialog for choosing report files (several at once, filtered to the supported
    /// types). The outcome arrives through [`FileDialogs::poll`].
    fn pick_reports(&mut self);
    /// Starts the dialog for choosing a folder whose reports are all opened; the folder
    /// arrives as [`DialogOutcome::Reports`] with the one path.
    fn pick_folder(&mut self);
    /// Starts the save dialog for the exported workbook in `folder` (the report's own),
    /// suggesting `suggested_name`.
    fn pick_export_path(&mut self, folder: Option<&Path>, suggested_name: &str);
    /// Starts the dialog for choosing a cleaned workbook (xlsx) to import corrections from.
    fn pick_workbook(&mut self);
    /// Starts the dialog for choosing the folder the review notices go to, starting in
    /// `folder` (the report's own).
    fn pick_notice_folder(&mut self, folder: Option<&Path>);
    /// The outcome of a dialog started earlier, once there is one.
    fn poll(&mut self) -> Option<DialogOutcome>;
    /// True while a dialog is open (the window does not start a second one).
    fn busy(&self) -> bool;
    /// The language of the dialogs' titles and filters from now on.
    fn set_language(&mut self, _lang: Lang) {}
}

/// A dialog that returned "nothing chosen" faster than this could not have been shown to a
/// person: rfd returns `None` within milliseconds when no portal and no zenity exist.
const UNAVAILABLE_WITHIN: Duration = Duration::from_millis(250);

/// The native dialogs through rfd, each run on its own thread so the window keeps painting.
pub struct RfdDialogs {
    pending: Option<(DialogPurpose, Receiver<DialogOutcome>)>,
    repaint: Option<egui::Context>,
    lang: Lang,
}

impl RfdDialogs {
    /// Dialogs that wake `ctx` when they close.
    pub fn new(ctx: Option<egui::Context>) -> Self {
        Self {
            pending: None,
            repaint: ctx,
            lang: Lang::default(),
        }
    }

    fn spawn<F>(&mut self, purpose: DialogPurpose, dialog: F)
    where
        F: Future<Output = Option<DialogOutcome>> + Send + 'static,
    {
        let (tx, rx) = channel();
        let repaint = self.repaint.clone();
        self.pending = Some((purpose, rx));
        std::thread::spawn(move || {
            let started = Instant::now();
            let outcome = match block_on(dialog) {
                Some(outcome) => outcome,
                None if started.elapsed() < UNAVAILABLE_WITHIN => {
                    DialogOutcome::Unavailable(purpose)
                }
                None => DialogOutcome::Cancelled(purpose),
            };
            // The window may have closed meanwhile; then nobody needs the outcome.
            let _ = tx.send(outcome);
            if let Some(ctx) = repaint {
                ctx.request_repaint();
            }
        });
    }
}

impl FileDialogs for RfdDialogs {
    fn pick_reports(&mut self) {
        let t = self.lang.t();
        let dialog = rfd::AsyncFileDialog::new()
            .set_title(t.dialog_open_reports)
            .add_filter(t.filter_reports, REPORT_EXTENSIONS)
            .add_filter(t.filter_all_files, &["*"]);
        self.spawn(DialogPurpose::OpenReports, async move {
            let files = dialog.pick_files().await?;
            Some(DialogOutcome::Reports(
                files.iter().map(|f| f.path().to_path_buf()).collect(),
            ))
        });
    }

    fn pick_folder(&mut self) {
        let dialog = rfd::AsyncFileDialog::new().set_title(self.lang.t().dialog_open_folder);
        self.spawn(DialogPurpose::OpenReports, async move {
            let folder = dialog.pick_folder().await?;
            Some(DialogOutcome::Reports(vec![folder.path().to_path_buf()]))
        });
    }

    fn pick_export_path(&mut self, folder: Option<&Path>, suggested_name: &str) {
        let mut dialog = rfd::AsyncFileDialog::new();
        if let Some(folder) = folder {
            dialog = dialog.set_directory(folder);
        }
        let dialog = dialog
            .set_title(self.lang.t().dialog_export)
            .set_file_name(suggested_name)
            .add_filter(self.lang.t().filter_workbook, &["xlsx"]);
        self.spawn(DialogPurpose::Export, async move {
            let file = dialog.save_file().await?;
            Some(DialogOutcome::ExportPath(file.path().to_path_buf()))
        });
    }

    fn pick_workbook(&mut self) {
        let dialog = rfd::AsyncFileDialog::new()
            .set_title(self.lang.t().dialog_import)
            .add_filter(
                self.lang.t().filter_workbook,
                &["xlsx", "xls", "xlsm", "ods"],
            );
        self.spawn(DialogPurpose::ImportWorkbook, async move {
            let file = dialog.pick_file().await?;
            Some(DialogOutcome::Workbook(file.path().to_path_buf()))
        });
    }

    fn pick_notice_folder(&mut self, folder: Option<&Path>) {
        let mut dialog = rfd::AsyncFileDialog::new();
        if let Some(folder) = folder {
            dialog = dialog.set_directory(folder);
        }
        let dialog = dialog.set_title(self.lang.t().dialog_notice_folder);
        self.spawn(DialogPurpose::Notice, async move {
            let folder = dialog.pick_folder().await?;
            Some(DialogOutcome::NoticeFolder(folder.path().to_path_buf()))
        });
    }

    fn poll(&mut self) -> Option<DialogOutcome> {
        let (purpose, rx) = self.pending.as_ref()?;
        let purpose = *purpose;
        match rx.try_recv() {
            Ok(outcome) => {
                self.pending = None;
                Some(outcome)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                // The dialog thread ended without an answer: treat it as a dialog that could
                // not be shown, so the user is offered the typed path.
                self.pending = None;
                Some(DialogOutcome::Unavailable(purpose))
            }
        }
    }

    fn busy(&self) -> bool {
        self.pending.is_some()
    }

    fn set_language(&mut self, lang: Lang) {
        self.lang = lang;
    }
}

struct ThreadWaker(std::thread::Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs a future to completion on the current thread (the dialog thread), parking between polls.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(out) => return out,
            Poll::Pending => std::thread::park(),
        }
    }
}

/// A request a [`ScriptedDialogs`] received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogRequest {
    /// `pick_reports` was called.
    Reports,
    /// `pick_folder` was called.
    Folder,
    /// `pick_export_path` was called with this suggested name.
    Export(String),
    /// …and with this folder to start in (logged after [`DialogRequest::Export`]).
    ExportFolder(PathBuf),
    /// `pick_workbook` was called.
    Workbook,
    /// `pick_notice_folder` was called, starting in this folder.
    NoticeFolder(Option<PathBuf>),
}

/// Dialogs that answer from a script, for tests: each call takes the next scripted answer
/// for its purpose (or "unavailable" when the script is empty), and every request is logged.
#[derive(Default)]
pub struct ScriptedDialogs {
    reports: VecDeque<DialogOutcome>,
    folders: VecDeque<DialogOutcome>,
    exports: VecDeque<DialogOutcome>,
    workbooks: VecDeque<DialogOutcome>,
    notice_folders: VecDeque<DialogOutcome>,
    ready: VecDeque<DialogOutcome>,
    log: Arc<Mutex<Vec<DialogRequest>>>,
}

impl ScriptedDialogs {
    /// An empty script: every dialog is "unavailable".
    pub fn new() -> Self {
        Self::default()
    }

    /// The next open dialog chooses these files.
    pub fn then_reports(mut self, paths: Vec<PathBuf>) -> Self {
        self.reports.push_back(DialogOutcome::Reports(paths));
        self
    }

    /// The next folder dialog chooses this folder.
    pub fn then_folder(mut self, folder: PathBuf) -> Self {
        self.folders.push_back(DialogOutcome::Reports(vec![folder]));
        self
    }

    /// The next export dialog chooses this path.
    pub fn then_export(mut self, path: PathBuf) -> Self {
        self.exports.push_back(DialogOutcome::ExportPath(path));
        self
    }

    /// The next workbook dialog chooses this file.
    pub fn then_workbook(mut self, path: PathBuf) -> Self {
        self.workbooks.push_back(DialogOutcome::Workbook(path));
        self
    }

    /// The next notice-folder dialog chooses this folder.
    pub fn then_notice_folder(mut self, folder: PathBuf) -> Self {
        self.notice_folders
            .push_back(DialogOutcome::NoticeFolder(folder));
        self
    }

    /// The next open dialog is cancelled.
    pub fn then_cancel_reports(mut self) -> Self {
        self.reports
            .push_back(DialogOutcome::Cancelled(DialogPurpose::OpenReports));
        self
    }

    /// A handle on the log of requests, readable after the dialogs moved into the app.
    pub fn log(&self) -> Arc<Mutex<Vec<DialogRequest>>> {
        Arc::clone(&self.log)
    }

    fn record(&self, request: DialogRequest) {
        if let Ok(mut log) = self.log.lock() {
            log.push(request);
        }
    }
}

impl FileDialogs for ScriptedDialogs {
    fn pick_reports(&mut self) {
        self.record(DialogRequest::Reports);
        let outcome = self
            .reports
            .pop_front()
            .unwrap_or(DialogOutcome::Unavailable(DialogPurpose::OpenReports));
        self.ready.push_back(outcome);
    }

    fn pick_folder(&mut self) {
        self.record(DialogRequest::Folder);
        let outcome = self
            .folders
            .pop_front()
            .unwrap_or(DialogOutcome::Unavailable(DialogPurpose::OpenReports));
        self.ready.push_back(outcome);
    }

    fn pick_export_path(&mut self, folder: Option<&Path>, suggested_name: &str) {
        self.record(DialogRequest::Export(suggested_name.to_owned()));
        if let Some(folder) = folder {
            self.record(DialogRequest::ExportFolder(folder.to_path_buf()));
        }
        let outcome = self
            .exports
            .pop_front()
            .unwrap_or(DialogOutcome::Unavailable(DialogPurpose::Export));
        self.ready.push_back(outcome);
    }

    fn pick_workbook(&mut self) {
        self.record(DialogRequest::Workbook);
        let outcome = self
            .workbooks
            .pop_front()
            .unwrap_or(DialogOutcome::Unavailable(DialogPurpose::ImportWorkbook));
        self.ready.push_back(outcome);
    }

    fn pick_notice_folder(&mut self, folder: Option<&Path>) {
        self.record(DialogRequest::NoticeFolder(folder.map(Path::to_path_buf)));
        let outcome = self
            .notice_folders
            .pop_front()
            .unwrap_or(DialogOutcome::Unavailable(DialogPurpose::Notice));
        self.ready.push_back(outcome);
    }

    fn poll(&mut self) -> Option<DialogOutcome> {
        self.ready.pop_front()
    }

    fn busy(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The scripted dialogs answer in order, log requests, and say "unavailable" when empty.
    #[test]
    fn scripted_answers_in_order() {
        let mut d = ScriptedDialogs::new()
            .then_reports(vec![PathBuf::from("a.txt")])
            .then_export(PathBuf::from("out.xlsx"));
        let log = d.log();
        d.pick_reports();
        assert_eq!(
            d.poll(),
            Some(DialogOutcome::Reports(vec![PathBuf::from("a.txt")]))
        );
        d.pick_export_path(None, "x_审校.xlsx");
        assert_eq!(
            d.poll(),
            Some(DialogOutcome::ExportPath(PathBuf::from("out.xlsx")))
        );
        d.pick_reports();
        assert_eq!(
            d.poll(),
            Some(DialogOutcome::Unavailable(DialogPurpose::OpenReports))
        );
        assert_eq!(d.poll(), None);
        let log = log.lock().map(|l| l.clone()).unwrap_or_default();
        assert_eq!(
            log,
            vec![
                DialogRequest::Reports,
                DialogRequest::Export("x_审校.xlsx".into()),
                DialogRequest::Reports
            ]
        );
    }

    // The little executor runs a ready future and one that wakes itself.
    #[test]
    fn block_on_runs_futures() {
        assert_eq!(block_on(async { 3 }), 3);
        struct YieldOnce(bool);
        impl Future for YieldOnce {
            type Output = u8;
            fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u8> {
                if self.0 {
                    Poll::Ready(7)
                } else {
                    self.0 = true;
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
            }
        }
        assert_eq!(block_on(YieldOnce(false)), 7);
    }
}
