//! A folder (or many files) at a time: a loader that opens and checks reports on background
//! threads, reporting progress over a channel and stopping on a cancel flag; and the queue the
//! window draws (agency, year, status 未审 / 有问题 / 已审, counts; sort and filter). Reports of
//! the same body are grouped by year so the cross-year checks see last year's report.

use super::session::{ReviewSession, ReviewStatus};
use super::store::{self, OpenedReport, StoreDirs, StoreError};
use crate::check::compare::body_of;
use crate::check::{Finding, OtherYear, Severity, run_checks_across};
use crate::extract::Extraction;
use crate::ingest::inputs::expand_inputs;
use rayon::prelude::*;
use std::cmp::Ordering as CmpOrdering;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::ops::ControlFlow;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::thread;
use std::time::{Duration, Instant};

/// One report opened and checked.
#[derive(Debug)]
pub struct LoadedReport {
    /// The review session (saved review restored).
    pub session: ReviewSession,
    /// Chinese notices from opening (source changed, review file damaged…).
    pub notices: Vec<String>,
    /// The findings on the corrected cells, with cross-year checks against the same body's
    /// other reports in the queue.
    pub findings: Vec<Finding>,
}

impl LoadedReport {
    /// Findings that still need the reviewer: not info, and with no verdict that applies.
    pub fn open_findings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .filter(|f| self.session.verdict(&f.id(), &f.keys).is_none())
            .count()
    }

    /// Findings the reviewer confirmed as real problems (verdict still applying).
    pub fn confirmed_findings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| {
                self.session
                    .verdict(&f.id(), &f.keys)
                    .is_some_and(|v| v.state == super::VerdictState::Confirmed)
            })
            .count()
    }

    /// Number of cells whose value the reviewer corrected.
    pub fn corrections(&self) -> usize {
        self.session.corrected_keys().len()
    }
}

/// What the loader reports to the window, in this order: `Started`, then `Progress` per file
/// read, then `Report` per report in input order, then `Finished`.
#[derive(Debug)]
pub enum BatchEvent {
    /// The inputs were expanded: `total` files will be read.
    Started {
        /// Number of files.
        total: usize,
    },
    /// One more file read.
    Progress {
        /// Files read so far.
        done: usize,
        /// Files in all.
        total: usize,
        /// The file just read.
        current: PathBuf,
    },
    /// One report, opened and checked, or the Chinese reason it could not be opened.
    Report {
        /// Position in input order.
        index: usize,
        /// The file.
        path: PathBuf,
        /// The report, or why it could not be opened.
        result: Result<Box<LoadedReport>, String>,
    },
    /// Loading ended. When cancelled, the reports read before the cancel were still sent.
    Finished {
        /// True when stopped by [`BatchLoader::cancel`].
        cancelled: bool,
        /// Time from start to end.
        elapsed: Duration,
    },
}

/// Opens and checks reports on background threads. Drop it or call [`cancel`](Self::cancel) to
/// stop; events arrive through [`try_events`](Self::try_events) (never blocking) or
/// [`recv`](Self::recv).
#[derive(Debug)]
pub struct BatchLoader {
    events: Receiver<BatchEvent>,
    cancel: Arc<AtomicBool>,
    finished: bool,
    started: Instant,
    /// The `Finished` event still to be returned by `recv` after a loader thread died.
    pending_finish: Option<BatchEvent>,
}

/// Told to the window when the loader's thread ended without finishing (it panicked).
pub const LOADER_DIED: &str =
    "后台读取意外中止：之后的文件没有打开，请重新打开文件夹；如果再次发生，请把文件发给开发者";

impl BatchLoader {
    /// Starts loading `paths` (files and folders, folders read recursively). `wake` is called
    /// after each event is sent, so a window can repaint (egui: `ctx.request_repaint()`).
    pub fn start(paths: Vec<PathBuf>, wake: impl Fn() + Send + 'static) -> Self {
        Self::start_in(paths, StoreDirs::user(), wake)
    }

    /// [`start`](Self::start) with the data directory for review files given.
    pub fn start_in(
        paths: Vec<PathBuf>,
        dirs: StoreDirs,
        wake: impl Fn() + Send + 'static,
    ) -> Self {
        let (tx, rx) = mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&cancel);
        thread::spawn(move || {
            let started = Instant::now();
            let send = |event: BatchEvent| {
                // The window may have dropped the loader; then nobody listens and work stops
                // at the next cancel check.
                let _ = tx.send(event);
                wake();
            };
            let files = expand_inputs(&paths);
            send(BatchEvent::Started { total: files.len() });
            let results = load_reports(&files, &dirs, &flag, |done, total, current| {
                send(BatchEvent::Progress {
                    done,
                    total,
                    current: current.to_path_buf(),
                });
            });
            for (index, (path, result)) in results.into_iter().enumerate() {
                send(BatchEvent::Report {
                    index,
                    path,
                    result: result.map(Box::new),
                });
            }
            send(BatchEvent::Finished {
                cancelled: flag.load(Ordering::Relaxed),
                elapsed: started.elapsed(),
            });
        });
        Self {
            events: rx,
            cancel,
            finished: false,
            started: Instant::now(),
            pending_finish: None,
        }
    }

    /// The events that stand for a loader thread that died before `Finished`: an unreadable
    /// entry with [`LOADER_DIED`], then `Finished`, so the window never waits forever.
    fn died(&self) -> [BatchEvent; 2] {
        [
            BatchEvent::Report {
                index: usize::MAX,
                path: PathBuf::new(),
                result: Err(LOADER_DIED.to_owned()),
            },
            BatchEvent::Finished {
                cancelled: false,
                elapsed: self.started.elapsed(),
            },
        ]
    }

    /// Asks the loader to stop: files not yet read are skipped; those read are still checked
    /// and sent.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// All events that have arrived, without waiting.
    /// A loader thread that dies (a panic) shows up as an unreadable entry saying so and a
    /// `Finished` event.
    pub fn try_events(&mut self) -> Vec<BatchEvent> {
        let mut out = Vec::new();
        loop {
            match self.events.try_recv() {
                Ok(event) => {
                    self.finished |= matches!(event, BatchEvent::Finished { .. });
                    out.push(event);
                }
                Err(TryRecvError::Empty) => return out,
                Err(TryRecvError::Disconnected) => {
                    if !self.finished {
                        out.extend(self.died());
                        self.finished = true;
                    }
                    return out;
                }
            }
        }
    }

    /// Waits for the next event; `None` once the loader has finished and all events were read.
    /// A loader thread that died gives the same two events as in
    /// [`try_events`](Self::try_events).
    pub fn recv(&mut self) -> Option<BatchEvent> {
        match self.events.recv() {
            Ok(event) => {
                self.finished |= matches!(event, BatchEvent::Finished { .. });
                Some(event)
            }
            Err(_) if self.finished => None,
            Err(_) => match self.pending_finish.take() {
                Some(finished) => {
                    self.finished = true;
                    Some(finished)
                }
                None => {
                    let [report, finished] = self.died();
                    self.pending_finish = Some(finished);
                    Some(report)
                }
            },
        }
    }

    /// True once the `Finished` event has been received.
    pub fn is_finished(&self) -> bool {
        self.finished
    }
}

impl Drop for BatchLoader {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// Results waiting to be handed on, per thread of the pool: enough to keep every core busy
/// while one slow file holds up the order, few enough to bound memory.
const WINDOW_PER_THREAD: usize = 32;

/// The number of items [`map_in_order`] lets be in flight at once on the current pool.
pub fn default_window() -> usize {
    rayon::current_num_threads().max(1) * WINDOW_PER_THREAD
}

/// The Chinese message for an item whose work panicked, with the panic's own text.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    if detail.is_empty() {
        "程序内部错误：处理此文件时意外中止，请把文件发给开发者".to_owned()
    } else {
        format!("程序内部错误：处理此文件时意外中止（{detail}），请把文件发给开发者")
    }
}

/// Runs `work` on every item on rayon's thread pool and hands the results to `emit` on the
/// calling thread, in input order. At most `window` items are being worked on or waiting for an
/// earlier one, so memory stays bounded for any number of items. A panic in `work` becomes
/// `Err` (a Chinese message) for that item alone. When `emit` returns `Break`, no further item
/// is started; those already started finish and are dropped.
pub fn map_in_order<T, R>(
    items: impl IntoIterator<Item = T>,
    window: usize,
    work: impl Fn(T) -> R + Sync,
    mut emit: impl FnMut(Result<R, String>) -> ControlFlow<()>,
) where
    T: Send,
    R: Send,
{
    let window = window.max(1);
    let work = &work;
    let (tx, rx) = mpsc::channel::<(usize, Result<R, String>)>();
    // The calling thread only hands out work and writes results; the pool's threads do the
    // work, so no core waits on this thread.
    rayon::in_place_scope(|scope| {
        let mut items = items.into_iter().enumerate();
        let mut pending: VecDeque<Option<Result<R, String>>> = VecDeque::new();
        let mut emitted = 0usize;
        loop {
            while pending.len() < window {
                let Some((i, item)) = items.next() else {
                    break;
                };
                let tx = tx.clone();
                scope.spawn(move |_| {
                    let result = panic::catch_unwind(AssertUnwindSafe(|| work(item)))
                        .map_err(|payload| panic_message(payload.as_ref()));
                    // The receiver outlives the scope, so this send cannot fail; a closed
                    // receiver would only mean nobody wants the result.
                    let _ = tx.send((i, result));
                });
                pending.push_back(None);
            }
            if pending.is_empty() {
                return;
            }
            // Every item in `pending` was spawned with a sender and sends exactly once, and
            // `tx` itself is alive, so `recv` returns before the channel could disconnect.
            let Ok((i, result)) = rx.recv() else {
                return;
            };
            if let Some(slot) = i.checked_sub(emitted).and_then(|k| pending.get_mut(k)) {
                *slot = Some(result);
            }
            while pending.front().is_some_and(Option::is_some) {
                let Some(Some(result)) = pending.pop_front() else {
                    break;
                };
                emitted += 1;
                if emit(result).is_break() {
                    return;
                }
            }
        }
    });
}

/// Opens and checks `files` (already expanded) on all cores, calling `progress(done, total,
/// file)` as each file is read, in input order. Stops reading when `cancel` is set; returns the
/// files read, in input order, each with its report or the Chinese reason it could not be
/// opened (a panic while opening or checking one file is such a reason, not a crash).
pub fn load_reports(
    files: &[PathBuf],
    dirs: &StoreDirs,
    cancel: &AtomicBool,
    mut progress: impl FnMut(usize, usize, &Path),
) -> Vec<(PathBuf, Result<LoadedReport, String>)> {
    let total = files.len();
    let mut opened: Vec<(PathBuf, Result<OpenedReport, String>)> = Vec::with_capacity(total);
    let mut done = 0;
    map_in_order(
        files,
        default_window(),
        |path| {
            // Files handed out before a cancel but not yet started are skipped.
            (!cancel.load(Ordering::Relaxed))
                .then(|| store::open_report_in(path, dirs).map_err(|e| e.to_string()))
        },
        |result| {
            let path = &files[done];
            done += 1;
            let result = match result {
                Ok(Some(r)) => r,
                Ok(None) => return ControlFlow::Continue(()),
                Err(panicked) => Err(panicked),
            };
            progress(opened.len() + 1, total, path);
            opened.push((path.clone(), result));
            if cancel.load(Ordering::Relaxed) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    );
    check_all(opened)
}

/// Runs the checks on every opened report, giving each the same body's other years. A panic
/// in the checks of one report makes that report an error with a Chinese message.
fn check_all(
    opened: Vec<(PathBuf, Result<OpenedReport, String>)>,
) -> Vec<(PathBuf, Result<LoadedReport, String>)> {
    let effective: Vec<Option<Extraction>> = opened
        .par_iter()
        .map(|(_, r)| r.as_ref().ok().map(|o| o.session.effective_extraction()))
        .collect();
    let identities: Vec<Option<(String, i32)>> = effective
        .iter()
        .map(|e| e.as_ref().and_then(body_year))
        .collect();
    let others = other_years_by_index(&identities);
    let findings: Vec<Option<Result<Vec<Finding>, String>>> = opened
        .par_iter()
        .enumerate()
        .map(|(i, (_, result))| {
            let (Ok(o), Some(report)) = (result, &effective[i]) else {
                return None;
            };
            let other: Vec<OtherYear<'_>> = others[i]
                .iter()
                .filter_map(|&j| {
                    let extraction = effective[j].as_ref()?;
                    let source = opened[j].1.as_ref().ok().map(|o| &o.session.source);
                    Some(OtherYear { extraction, source })
                })
                .collect();
            Some(
                panic::catch_unwind(|| run_checks_across(report, &o.session.source, &other))
                    .map_err(|payload| panic_message(payload.as_ref())),
            )
        })
        .collect();
    opened
        .into_iter()
        .zip(findings)
        .map(|((path, result), found)| {
            let result = result.and_then(|o| {
                let findings = found.transpose()?.unwrap_or_default();
                Ok(LoadedReport {
                    session: o.session,
                    notices: o.notices,
                    findings,
                })
            });
            (path, result)
        })
        .collect()
}

/// The body a report is from ([`body_of`]) and its year, when both were read.
fn body_year(extraction: &Extraction) -> Option<(String, i32)> {
    Some((body_of(extraction)?, extraction.year?))
}

/// For each report, the other reports of the same body, one per other year (the first in input
/// order when a year appears twice), sorted by year. Duplicates of a report's own year are left
/// out: they are not "other years".
fn other_years_by_index(identities: &[Option<(String, i32)>]) -> Vec<Vec<usize>> {
    let mut bodies: BTreeMap<&str, BTreeMap<i32, usize>> = BTreeMap::new();
    for (i, id) in identities.iter().enumerate() {
        if let Some((body, year)) = id {
            bodies
                .entry(body.as_str())
                .or_default()
                .entry(*year)
                .or_insert(i);
        }
    }
    identities
        .iter()
        .map(|id| match id {
            Some((body, year)) => bodies
                .get(body.as_str())
                .map(|years| {
                    years
                        .iter()
                        .filter(|(y, _)| *y != year)
                        .map(|(_, &j)| j)
                        .collect()
                })
                .unwrap_or_default(),
            None => Vec::new(),
        })
        .collect()
}

/// Where a report stands in the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QueueStatus {
    /// 有问题: open or confirmed findings remain.
    HasProblems,
    /// 未审: nothing open, not yet marked reviewed.
    Unreviewed,
    /// 已审: marked reviewed.
    Reviewed,
    /// 无法打开: the file could not be read.
    Unreadable,
}

impl QueueStatus {
    /// The Chinese label shown in the queue.
    pub fn label(self) -> &'static str {
        match self {
            QueueStatus::HasProblems => "有问题",
            QueueStatus::Unreviewed => "未审",
            QueueStatus::Reviewed => "已审",
            QueueStatus::Unreadable => "无法打开",
        }
    }
}

/// One entry of the queue.
#[derive(Debug)]
pub struct QueueItem {
    /// The report file.
    pub path: PathBuf,
    /// The report, or why it could not be opened.
    pub report: Result<Box<LoadedReport>, String>,
}

impl QueueItem {
    /// The item's status: 已审 when marked, else 有问题 when open or confirmed findings remain,
    /// else 未审.
    pub fn status(&self) -> QueueStatus {
        match &self.report {
            Err(_) => QueueStatus::Unreadable,
            Ok(r) if r.session.status == ReviewStatus::Reviewed => QueueStatus::Reviewed,
            Ok(r) if r.open_findings() > 0 || r.confirmed_findings() > 0 => {
                QueueStatus::HasProblems
            }
            Ok(_) => QueueStatus::Unreviewed,
        }
    }

    /// The row the queue panel draws.
    pub fn row(&self, index: usize) -> QueueRow {
        let file_name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.path.to_string_lossy().into_owned());
        match &self.report {
            Ok(r) => QueueRow {
                index,
                file_name,
                agency: r.session.extraction.agency.clone(),
                year: r.session.extraction.year,
                status: self.status(),
                open_findings: r.open_findings(),
                corrections: r.corrections(),
                error: None,
            },
            Err(e) => QueueRow {
                index,
                file_name,
                agency: None,
                year: None,
                status: QueueStatus::Unreadable,
                open_findings: 0,
                corrections: 0,
                error: Some(e.clone()),
            },
        }
    }
}

/// What the queue panel shows for one report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueRow {
    /// Index of the item in the queue (stable while the queue lives).
    pub index: usize,
    /// The file name.
    pub file_name: String,
    /// The issuing body, when read.
    pub agency: Option<String>,
    /// The report year, when read.
    pub year: Option<i32>,
    /// 未审 / 有问题 / 已审 / 无法打开.
    pub status: QueueStatus,
    /// Findings (errors and warnings) with no verdict.
    pub open_findings: usize,
    /// Cells corrected.
    pub corrections: usize,
    /// Why the file could not be opened.
    pub error: Option<String>,
}

/// A column to sort the queue by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// Input order (folder order).
    #[default]
    Input,
    /// File name.
    File,
    /// Agency, then year.
    Agency,
    /// Year, then agency.
    Year,
    /// Status (有问题 first), then input order.
    Status,
    /// Open findings.
    OpenFindings,
    /// Corrections.
    Corrections,
}

/// How the queue is sorted and filtered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueView {
    /// Sort column.
    pub sort: SortKey,
    /// Reverse the order.
    pub descending: bool,
    /// Show only this status.
    pub status: Option<QueueStatus>,
    /// Show only rows whose file name or agency contains this text (empty: all).
    pub text: String,
}

impl QueueView {
    fn keeps(&self, row: &QueueRow) -> bool {
        if self.status.is_some_and(|s| s != row.status) {
            return false;
        }
        let needle = self.text.trim();
        needle.is_empty()
            || row.file_name.contains(needle)
            || row.agency.as_deref().is_some_and(|a| a.contains(needle))
            || row.year.is_some_and(|y| y.to_string() == needle)
    }

    fn compare(&self, a: &QueueRow, b: &QueueRow) -> CmpOrdering {
        let by = match self.sort {
            SortKey::Input => CmpOrdering::Equal,
            SortKey::File => a.file_name.cmp(&b.file_name),
            SortKey::Agency => a.agency.cmp(&b.agency).then(a.year.cmp(&b.year)),
            SortKey::Year => a.year.cmp(&b.year).then(a.agency.cmp(&b.agency)),
            SortKey::Status => a.status.cmp(&b.status),
            SortKey::OpenFindings => a.open_findings.cmp(&b.open_findings),
            SortKey::Corrections => a.corrections.cmp(&b.corrections),
        };
        let by = by.then(a.index.cmp(&b.index));
        if self.descending { by.reverse() } else { by }
    }
}

/// The reports open in the window, in the order they were opened.
#[derive(Debug, Default)]
pub struct ReviewQueue {
    items: Vec<QueueItem>,
    /// Indices added by the batch now loading, to recheck their bodies when it finishes.
    arriving: Vec<usize>,
    /// The data directory for review files.
    dirs: Option<StoreDirs>,
}

impl ReviewQueue {
    /// An empty queue saving to the user's data directory when needed.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty queue saving review files that cannot go beside their report into `dirs`.
    pub fn with_dirs(dirs: StoreDirs) -> Self {
        Self {
            dirs: Some(dirs),
            ..Self::default()
        }
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when no report is open.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// All items, in the order opened.
    pub fn items(&self) -> &[QueueItem] {
        &self.items
    }

    /// One item.
    pub fn item(&self, index: usize) -> Option<&QueueItem> {
        self.items.get(index)
    }

    /// One opened report, to change (commit, verdict…). Call [`save`](Self::save) and
    /// [`recheck`](Self::recheck) after changing it.
    pub fn report_mut(&mut self, index: usize) -> Option<&mut LoadedReport> {
        self.items.get_mut(index)?.report.as_deref_mut().ok()
    }

    /// The index of a file already in the queue.
    pub fn position(&self, path: &Path) -> Option<usize> {
        self.items.iter().position(|i| i.path == path)
    }

    /// Adds a report (or its error); a file already in the queue keeps its entry. Returns its
    /// index.
    pub fn push(&mut self, path: PathBuf, report: Result<Box<LoadedReport>, String>) -> usize {
        if let Some(i) = self.position(&path) {
            return i;
        }
        self.items.push(QueueItem { path, report });
        self.items.len() - 1
    }

    /// Takes in a loader event. Reports are added; when the batch finishes, the bodies that
    /// gained a report are checked again so cross-year checks see reports opened earlier.
    /// Returns the index of a report added by this event.
    pub fn apply_event(&mut self, event: BatchEvent) -> Option<usize> {
        match event {
            BatchEvent::Started { .. } => {
                self.arriving.clear();
                None
            }
            BatchEvent::Progress { .. } => None,
            BatchEvent::Report { path, result, .. } => {
                let before = self.items.len();
                let i = self.push(path, result);
                if i >= before {
                    self.arriving.push(i);
                }
                Some(i)
            }
            BatchEvent::Finished { .. } => {
                let arriving = std::mem::take(&mut self.arriving);
                let had_earlier = arriving.first().is_some_and(|&first| first > 0);
                if had_earlier {
                    let mut bodies = BTreeSet::new();
                    for i in arriving {
                        if let Some(body) = self.body_of(i)
                            && bodies.insert(body)
                        {
                            self.recheck_group(i);
                        }
                    }
                }
                None
            }
        }
    }

    /// The rows to draw: filtered and sorted as `view` says.
    pub fn rows(&self, view: &QueueView) -> Vec<QueueRow> {
        let mut rows: Vec<QueueRow> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| item.row(i))
            .filter(|r| view.keeps(r))
            .collect();
        rows.sort_by(|a, b| view.compare(a, b));
        rows
    }

    /// The report after `current` in the view (Ctrl+PageDown); the first one when `current` is
    /// not shown; `None` at the end.
    pub fn next_index(&self, current: Option<usize>, view: &QueueView) -> Option<usize> {
        let rows = self.rows(view);
        match current.and_then(|c| rows.iter().position(|r| r.index == c)) {
            Some(p) => rows.get(p + 1).map(|r| r.index),
            None => rows.first().map(|r| r.index),
        }
    }

    /// The report before `current` in the view (Ctrl+PageUp); the last one when `current` is
    /// not shown; `None` at the start.
    pub fn previous_index(&self, current: Option<usize>, view: &QueueView) -> Option<usize> {
        let rows = self.rows(view);
        match current.and_then(|c| rows.iter().position(|r| r.index == c)) {
            Some(p) => p.checked_sub(1).and_then(|q| rows.get(q)).map(|r| r.index),
            None => rows.last().map(|r| r.index),
        }
    }

    /// Saves one report's review at once (after a commit, verdict, note or status change).
    pub fn save(&self, index: usize) -> Result<Option<PathBuf>, StoreError> {
        let Some(item) = self.items.get(index) else {
            return Ok(None);
        };
        let Ok(report) = &item.report else {
            return Ok(None);
        };
        let dirs = self.dirs.clone().unwrap_or_else(StoreDirs::user);
        store::save_in(&report.session, &item.path, &dirs).map(Some)
    }

    /// Marks a report 已审 (or back to 未审) and saves it.
    pub fn set_reviewed(&mut self, index: usize, reviewed: bool) -> Result<(), StoreError> {
        if let Some(report) = self.report_mut(index) {
            report.session.status = if reviewed {
                ReviewStatus::Reviewed
            } else {
                ReviewStatus::Unreviewed
            };
            self.save(index)?;
        }
        Ok(())
    }

    fn body_of(&self, index: usize) -> Option<String> {
        let report = self.items.get(index)?.report.as_ref().ok()?;
        body_year(&report.session.extraction).map(|(body, _)| body)
    }

    /// The same body's reports of other years, as corrected now (for the cross-year checks).
    pub fn other_years(&self, index: usize) -> Vec<Extraction> {
        self.other_years_with_text(index)
            .into_iter()
            .map(|(e, _)| e)
            .collect()
    }

    /// [`ReviewQueue::other_years`] with each report's text.
    fn other_years_with_text(&self, index: usize) -> Vec<(Extraction, &crate::model::SourceText)> {
        let identities: Vec<Option<(String, i32)>> = self
            .items
            .iter()
            .map(|item| {
                item.report
                    .as_ref()
                    .ok()
                    .and_then(|r| body_year(&r.session.extraction))
            })
            .collect();
        let others = other_years_by_index(&identities);
        others
            .get(index)
            .into_iter()
            .flatten()
            .filter_map(|&j| self.items[j].report.as_ref().ok())
            .map(|r| (r.session.effective_extraction(), &r.session.source))
            .collect()
    }

    /// Runs the checks again on one report (after a correction).
    pub fn recheck(&mut self, index: usize) {
        let others: Vec<(Extraction, crate::model::SourceText)> = self
            .other_years_with_text(index)
            .into_iter()
            .map(|(e, s)| (e, s.clone()))
            .collect();
        if let Some(report) = self.report_mut(index) {
            let other_refs: Vec<OtherYear<'_>> = others
                .iter()
                .map(|(extraction, source)| OtherYear {
                    extraction,
                    source: Some(source),
                })
                .collect();
            let effective = report.session.effective_extraction();
            report.findings = run_checks_across(&effective, &report.session.source, &other_refs);
        }
    }

    /// Runs the checks again on a report and on the same body's other years, whose
    /// cross-year checks depend on it.
    pub fn recheck_group(&mut self, index: usize) {
        let body = self.body_of(index);
        let members: Vec<usize> = match body {
            Some(body) => (0..self.items.len())
                .filter(|&i| self.body_of(i).as_deref() == Some(body.as_str()))
                .collect(),
            None => vec![index],
        };
        for i in members {
            self.recheck(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Other years: same body, other years only, one report per year, sorted by year.
    #[test]
    fn groups_by_body_and_year() {
        let ids = vec![
            Some(("甲局".to_owned(), 2023)),
            Some(("乙局".to_owned(), 2023)),
            Some(("甲局".to_owned(), 2021)),
            None,
            Some(("甲局".to_owned(), 2022)),
            Some(("甲局".to_owned(), 2023)),
        ];
        let others = other_years_by_index(&ids);
        assert_eq!(others[0], vec![2, 4]);
        assert_eq!(others[1], Vec::<usize>::new());
        assert_eq!(others[2], vec![4, 0]);
        assert_eq!(others[3], Vec::<usize>::new());
        assert_eq!(others[4], vec![2, 0]);
        assert_eq!(
            others[5],
            vec![2, 4],
            "a duplicate year sees the others too"
        );
    }

    // Results come back in input order with a small window, and a panic is that item's error.
    #[test]
    fn map_in_order_keeps_order_and_reports_panics() {
        let mut got = Vec::new();
        map_in_order(
            0..200u32,
            3,
            |n| {
                // Later items finish first, so the window has to reorder them.
                std::thread::sleep(Duration::from_micros(u64::from((200 - n) % 7) * 50));
                assert!(n != 42, "item {n} is bad");
                n * 2
            },
            |r| {
                got.push(r);
                ControlFlow::Continue(())
            },
        );
        assert_eq!(got.len(), 200);
        for (n, r) in got.iter().enumerate() {
            match r {
                Ok(v) => assert_eq!(*v, n as u32 * 2, "item {n}"),
                Err(e) => {
                    assert_eq!(n, 42, "only item 42 panics: {e}");
                    assert!(
                        e.starts_with("程序内部错误") && e.contains("item 42 is bad"),
                        "{e}"
                    );
                }
            }
        }
        assert!(got[42].is_err());
    }

    // Break from emit stops handing out items: only the window's worth are started.
    #[test]
    fn map_in_order_stops_on_break() {
        let started = std::sync::atomic::AtomicUsize::new(0);
        let mut emitted = 0;
        map_in_order(
            0..10_000,
            4,
            |n: usize| {
                started.fetch_add(1, Ordering::Relaxed);
                n
            },
            |_| {
                emitted += 1;
                if emitted == 10 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(emitted, 10);
        assert!(started.load(Ordering::Relaxed) <= 14, "{started:?}");
    }

    // A loader whose thread died (channel disconnected before Finished) says so and finishes.
    #[test]
    fn dead_loader_is_reported() {
        let (tx, rx) = mpsc::channel();
        tx.send(BatchEvent::Started { total: 3 }).expect("send");
        drop(tx);
        let new = |rx| BatchLoader {
            events: rx,
            cancel: Arc::new(AtomicBool::new(false)),
            finished: false,
            started: Instant::now(),
            pending_finish: None,
        };
        let mut loader = new(rx);
        assert!(matches!(
            loader.recv(),
            Some(BatchEvent::Started { total: 3 })
        ));
        match loader.recv() {
            Some(BatchEvent::Report { result: Err(e), .. }) => assert_eq!(e, LOADER_DIED),
            other => panic!("expected the error report, got {other:?}"),
        }
        assert!(!loader.is_finished());
        assert!(matches!(
            loader.recv(),
            Some(BatchEvent::Finished {
                cancelled: false,
                ..
            })
        ));
        assert!(loader.is_finished());
        assert!(loader.recv().is_none());
        // The same through try_events, all at once.
        let (tx, rx) = mpsc::channel::<BatchEvent>();
        drop(tx);
        let mut loader = new(rx);
        let events = loader.try_events();
        assert_eq!(events.len(), 2, "{events:?}");
        assert!(
            matches!(&events[0], BatchEvent::Report { result: Err(e), .. } if e == LOADER_DIED)
        );
        assert!(matches!(events[1], BatchEvent::Finished { .. }));
        assert!(loader.is_finished());
        assert!(loader.try_events().is_empty());
    }

    // Sorting is stable on input order and filters combine status and text.
    #[test]
    fn view_sorts_and_filters() {
        let row = |index, file: &str, agency: &str, year, status, open| QueueRow {
            index,
            file_name: file.to_owned(),
            agency: Some(agency.to_owned()),
            year: Some(year),
            status,
            open_findings: open,
            corrections: 0,
            error: None,
        };
        let rows = [
            row(0, "b.txt", "乙局", 2023, QueueStatus::Reviewed, 0),
            row(1, "a.txt", "甲局", 2024, QueueStatus::HasProblems, 3),
            row(2, "c.txt", "甲局", 2023, QueueStatus::Unreviewed, 0),
        ];
        let sorted = |view: &QueueView| {
            let mut r: Vec<&QueueRow> = rows.iter().filter(|r| view.keeps(r)).collect();
            r.sort_by(|a, b| view.compare(a, b));
            r.iter().map(|r| r.index).collect::<Vec<_>>()
        };
        let mut view = QueueView::default();
        assert_eq!(sorted(&view), [0, 1, 2]);
        view.sort = SortKey::File;
        assert_eq!(sorted(&view), [1, 0, 2]);
        view.sort = SortKey::Agency;
        assert_eq!(
            sorted(&view),
            [0, 2, 1],
            "乙 < 甲 in code point order, then year"
        );
        view.sort = SortKey::OpenFindings;
        view.descending = true;
        assert_eq!(sorted(&view), [1, 2, 0]);
        view.text = "甲局".to_owned();
        assert_eq!(sorted(&view), [1, 2]);
        view.status = Some(QueueStatus::Unreviewed);
        assert_eq!(sorted(&view), [2]);
    }
}
