//! A folder (or many files) at a time: a loader that opens and checks reports on background
//! threads, reporting progress over a channel and stopping on a cancel flag. Reports of the
//! same body are grouped by year so the cross-year checks see last year's report. What the
//! queue shows of each report is [`super::queue`]'s.

use super::session::ReviewSession;
use super::store::{self, OpenedReport, StoreDirs};
use crate::check::compare::body_of;
use crate::check::{Finding, OtherYear, run_checks_across};
use crate::extract::Extraction;
use crate::ingest::inputs::expand_inputs;
use rayon::prelude::*;
use std::collections::{BTreeMap, VecDeque};
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
///
/// Items go to the pool in runs of a few ([`run_length`]): one task and one message per run,
/// not per item, so that a batch of small reports does not spend its time waking threads.
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
    let (tx, rx) = mpsc::channel::<(usize, Vec<Result<R, String>>)>();
    // The calling thread only hands out work and writes results; the pool's threads do the
    // work, so no core waits on this thread.
    rayon::in_place_scope(|scope| {
        let mut items = items.into_iter().enumerate().peekable();
        let run = run_length(items.size_hint().0, window);
        let mut pending: VecDeque<Option<Result<R, String>>> = VecDeque::new();
        let mut emitted = 0usize;
        loop {
            while pending.len() < window && items.peek().is_some() {
                let batch: Vec<(usize, T)> = items.by_ref().take(run).collect();
                let Some(&(first, _)) = batch.first() else {
                    break;
                };
                pending.extend(batch.iter().map(|_| None));
                let tx = tx.clone();
                scope.spawn(move |_| {
                    let results = batch
                        .into_iter()
                        .map(|(_, item)| {
                            panic::catch_unwind(AssertUnwindSafe(|| work(item)))
                                .map_err(|payload| panic_message(payload.as_ref()))
                        })
                        .collect();
                    // The receiver outlives the scope, so this send cannot fail; a closed
                    // receiver would only mean nobody wants the results.
                    let _ = tx.send((first, results));
                });
            }
            if pending.is_empty() {
                return;
            }
            // Every run in `pending` was spawned with a sender and sends exactly once, and
            // `tx` itself is alive, so `recv` returns before the channel could disconnect.
            let Ok((first, results)) = rx.recv() else {
                return;
            };
            for (k, result) in (first..).zip(results) {
                if let Some(slot) = k.checked_sub(emitted).and_then(|k| pending.get_mut(k)) {
                    *slot = Some(result);
                }
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

/// How many consecutive items one task of [`map_in_order`] takes: enough that a thread is
/// woken once per run rather than once per report, few enough that every thread gets several
/// runs of a short list (5 files: one each) and that a run fits well inside the window.
fn run_length(expected_items: usize, window: usize) -> usize {
    let threads = rayon::current_num_threads().max(1);
    (expected_items / (threads * 8)).clamp(1, MAX_RUN.min(window / (2 * threads)).max(1))
}

/// The longest run of items [`map_in_order`] hands one task.
const MAX_RUN: usize = 16;

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

/// Said of a report whose checks did not run: it must not look as if they found nothing.
const CHECKS_NOT_RUN: &str = "程序内部错误：这份报告的检查没有运行，请把文件发给开发者";

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
                // `found` is `None` only for a file that did not open (no extraction to check),
                // and those never reach here; should it happen, the report must not look clean.
                let findings = found.unwrap_or_else(|| Err(CHECKS_NOT_RUN.to_owned()))?;
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
}
