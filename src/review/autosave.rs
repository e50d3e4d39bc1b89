//! Autosave off the UI thread. Each commit is appended at once to a small journal beside the
//! review file (one `write`, no sync: it survives the death of the process), then handed to a
//! background saver that writes the review file atomically with its syncs. The saver keeps only
//! the newest snapshot of each report, so a slow disk costs no extra writes; once the newest
//! snapshot is on disk the journal is removed. Opening a report replays a journal left behind.

use super::batch::panic_message;
use super::session::ReviewSession;
use super::store::{self, SavedReview, StoreDirs, StoreError};
use std::collections::{BTreeMap, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// One snapshot to save.
#[derive(Clone, Debug)]
pub struct SaveJob {
    /// The report the review belongs to.
    pub report: PathBuf,
    /// Where reviews of reports in unwritable folders go.
    pub dirs: StoreDirs,
    /// The review as it was at the commit.
    pub review: SavedReview,
}

/// What writes a snapshot: [`store::save_review_in`], or a slow or failing stand-in in tests.
pub type Saver = Box<dyn Fn(&SaveJob) -> Result<PathBuf, StoreError> + Send>;

/// What the saver reports, per snapshot written or refused.
#[derive(Debug)]
pub enum SaveEvent {
    /// The snapshot is on disk.
    Saved {
        /// The report's id (chosen by the caller).
        id: u64,
        /// The snapshot's generation.
        generation: u64,
        /// The review file written.
        path: PathBuf,
    },
    /// The snapshot could not be written.
    Failed {
        /// The report's id.
        id: u64,
        /// The snapshot's generation.
        generation: u64,
        /// Why.
        error: StoreError,
    },
}

/// The snapshots waiting, newest per report, and whether one is being written.
#[derive(Default)]
struct Queue {
    pending: BTreeMap<u64, (u64, SaveJob)>,
    busy: bool,
    stop: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // The lock is never held while saving, so a poisoned queue is still consistent.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A background thread that writes review snapshots, newest per report only.
pub struct SaveWorker {
    shared: Arc<Shared>,
    events: Receiver<SaveEvent>,
    thread: JoinHandle<()>,
}

impl SaveWorker {
    /// A worker writing with [`store::save_review_in`].
    pub fn start() -> Self {
        Self::with_saver(Box::new(|job: &SaveJob| {
            store::save_review_in(&job.review, &job.report, &job.dirs)
        }))
    }

    /// A worker writing with `saver`.
    pub fn with_saver(saver: Saver) -> Self {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            changed: Condvar::new(),
        });
        let (tx, rx) = mpsc::channel();
        let inner = Arc::clone(&shared);
        let thread = thread::spawn(move || work(&inner, &saver, &tx));
        Self {
            shared,
            events: rx,
            thread,
        }
    }

    /// Queues a snapshot of report `id`, replacing one of the same report still waiting.
    pub fn submit(&self, id: u64, generation: u64, job: SaveJob) {
        self.shared.lock().pending.insert(id, (generation, job));
        self.shared.changed.notify_all();
    }

    /// The events that have arrived, without waiting.
    pub fn try_events(&self) -> Vec<SaveEvent> {
        self.events.try_iter().collect()
    }

    /// True when nothing is waiting and nothing is being written.
    pub fn is_idle(&self) -> bool {
        let queue = self.shared.lock();
        queue.pending.is_empty() && !queue.busy
    }

    /// True while the worker's thread runs.
    pub fn is_alive(&self) -> bool {
        !self.thread.is_finished()
    }

    /// Waits until every snapshot queued so far is written (or refused), or the thread ended.
    pub fn wait_idle(&self) {
        self.wait_idle_until(None);
    }

    /// [`wait_idle`](Self::wait_idle), giving up at `deadline`. True when idle.
    pub fn wait_idle_until(&self, deadline: Option<Instant>) -> bool {
        let mut queue = self.shared.lock();
        while (!queue.pending.is_empty() || queue.busy) && self.is_alive() {
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return false;
            }
            queue = self
                .shared
                .changed
                .wait_timeout(queue, Duration::from_millis(100))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }
}

impl Drop for SaveWorker {
    /// The thread writes what is still waiting, then ends; the window does not wait for it.
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.changed.notify_all();
    }
}

/// The worker's loop: take the next report's newest snapshot, write it outside the lock.
fn work(shared: &Shared, saver: &Saver, events: &Sender<SaveEvent>) {
    loop {
        let (id, generation, job) = {
            let mut queue = shared.lock();
            loop {
                if let Some((id, (generation, job))) = queue.pending.pop_first() {
                    queue.busy = true;
                    break (id, generation, job);
                }
                if queue.stop {
                    return;
                }
                queue = shared
                    .changed
                    .wait(queue)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };
        let result = catch_unwind(AssertUnwindSafe(|| saver(&job)))
            .unwrap_or_else(|payload| Err(StoreError::SaverStopped(panic_message(&*payload))));
        let event = match result {
            Ok(path) => SaveEvent::Saved {
                id,
                generation,
                path,
            },
            Err(error) => SaveEvent::Failed {
                id,
                generation,
                error,
            },
        };
        // Nobody may listen any more (the window closed); the file is written either way.
        let _ = events.send(event);
        shared.lock().busy = false;
        shared.changed.notify_all();
    }
}

/// What became of a report's autosave.
#[derive(Debug)]
pub enum SaveOutcome {
    /// The report's newest commit is in its review file.
    Saved {
        /// The report's id.
        id: u64,
        /// The review file.
        path: PathBuf,
    },
    /// A snapshot could not be written; its commits stay in the journal.
    Failed {
        /// The report's id.
        id: u64,
        /// Why.
        error: StoreError,
    },
}

/// The newest snapshot handed to the worker for one report.
struct Latest {
    generation: u64,
    journal: Option<PathBuf>,
}

/// The window's side of autosaving: journals each commit, hands the snapshot to a
/// [`SaveWorker`] and removes the journal once the newest snapshot is saved. Journal appends
/// and removals both happen here, on the caller's thread, so a removal never races an append.
pub struct Autosaver {
    worker: SaveWorker,
    latest: HashMap<u64, Latest>,
    next_generation: u64,
    worker_lost: bool,
}

impl Default for Autosaver {
    fn default() -> Self {
        Self::new()
    }
}

impl Autosaver {
    /// An autosaver with the usual worker.
    pub fn new() -> Self {
        Self::with_worker(SaveWorker::start())
    }

    /// An autosaver with the given worker (tests use a slow one).
    pub fn with_worker(worker: SaveWorker) -> Self {
        Self {
            worker,
            latest: HashMap::new(),
            next_generation: 0,
            worker_lost: false,
        }
    }

    /// Records a commit of report `id` (read from `report`): appends it to the journal at once,
    /// then queues the snapshot for the worker. An error means the journal could not be written
    /// (the worker still tries the review file, and reports its own result).
    pub fn commit(
        &mut self,
        id: u64,
        report: &Path,
        dirs: &StoreDirs,
        session: &ReviewSession,
    ) -> Result<(), StoreError> {
        let sha = store::source_sha256(session, report)?;
        let review = store::saved_review(session, report, &sha);
        self.next_generation += 1;
        let generation = self.next_generation;
        let journal = store::append_journal(report, dirs, &review);
        let previous = self.latest.insert(
            id,
            Latest {
                generation,
                journal: journal.as_ref().ok().cloned(),
            },
        );
        // A journal appended earlier elsewhere (the folder's permissions changed) stays until
        // this snapshot is saved.
        if let (Some(previous), Some(latest)) = (previous, self.latest.get_mut(&id))
            && latest.journal.is_none()
        {
            latest.journal = previous.journal;
        }
        self.worker.submit(
            id,
            generation,
            SaveJob {
                report: report.to_path_buf(),
                dirs: dirs.clone(),
                review,
            },
        );
        journal.map(|_| ())
    }

    /// True while a report has a commit not yet confirmed saved or refused.
    pub fn is_saving(&self) -> bool {
        !self.latest.is_empty() && !self.worker_lost
    }

    /// What the worker has done since the last call, without waiting.
    pub fn poll(&mut self) -> Vec<SaveOutcome> {
        let events = self.worker.try_events();
        let mut outcomes = self.take(events);
        if !self.worker.is_alive() && !self.latest.is_empty() && !self.worker_lost {
            // Its last events were read above; what is left will never be saved by it.
            self.worker_lost = true;
            let ids: Vec<u64> = self.latest.keys().copied().collect();
            outcomes.extend(ids.into_iter().map(|id| SaveOutcome::Failed {
                id,
                error: StoreError::SaverStopped("后台线程已结束".to_owned()),
            }));
        }
        outcomes
    }

    /// Waits until the worker has written everything committed so far, then returns what it
    /// did (tests, and the window as it closes).
    pub fn flush(&mut self) -> Vec<SaveOutcome> {
        self.worker.wait_idle();
        self.poll()
    }

    /// [`flush`](Self::flush), waiting at most `limit` (a stuck disk must not keep the window
    /// from closing: what is not saved by then is in the journal).
    pub fn flush_within(&mut self, limit: Duration) -> Vec<SaveOutcome> {
        self.worker.wait_idle_until(Some(Instant::now() + limit));
        self.poll()
    }

    fn take(&mut self, events: Vec<SaveEvent>) -> Vec<SaveOutcome> {
        let mut outcomes = Vec::new();
        for event in events {
            match event {
                SaveEvent::Saved {
                    id,
                    generation,
                    path,
                } => {
                    // An older snapshot saved while a newer one waits: the journal still holds
                    // the newer commits.
                    if self
                        .latest
                        .get(&id)
                        .is_some_and(|l| l.generation == generation)
                    {
                        if let Some(journal) = self.latest.remove(&id).and_then(|l| l.journal)
                            && let Err(e) = store::remove_journal(&journal)
                        {
                            // The next open replays a journal no newer than the review file,
                            // which changes nothing.
                            log::warn!("无法删除日志文件 {}：{e}", journal.display());
                        }
                        outcomes.push(SaveOutcome::Saved { id, path });
                    }
                }
                SaveEvent::Failed {
                    id,
                    generation,
                    error,
                } => {
                    // The journal is kept: it holds the commits the review file lacks.
                    if self
                        .latest
                        .get(&id)
                        .is_some_and(|l| l.generation == generation)
                    {
                        self.latest.remove(&id);
                    }
                    outcomes.push(SaveOutcome::Failed { id, error });
                }
            }
        }
        outcomes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CellKey;
    use crate::review::CorrectionValue;
    use crate::review::store::{journal_path, open_report_in, review_path_beside};
    use std::sync::mpsc::SyncSender;

    const SEED: &str = "assets/sample/高青县行政审批服务局_2024.txt";

    fn key() -> CellKey {
        CellKey::from_name("requests.granted.total").expect("a canonical key")
    }

    /// A copy of the sample report in a fresh folder, opened for review.
    fn opened() -> (tempfile::TempDir, PathBuf, ReviewSession) {
        let dir = tempfile::tempdir().expect("temp dir");
        let report = dir.path().join("报告.txt");
        std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED), &report)
            .expect("copy the sample");
        let session = open_report_in(&report, &StoreDirs::with_data_dir(dir.path().join("data")))
            .expect("the sample opens")
            .session;
        (dir, report, session)
    }

    /// The sender that lets a gated save go on, the receiver told when a save has started, and
    /// the number of edits of each snapshot written.
    type Gate = (SyncSender<()>, Receiver<()>, Arc<Mutex<Vec<usize>>>);

    /// A worker whose every save says it started, then waits for a token on the gate.
    fn gated() -> (SaveWorker, Gate) {
        let (open, gate) = mpsc::sync_channel::<()>(0);
        let (started_tx, started) = mpsc::channel();
        let gate = Mutex::new(gate);
        let written = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&written);
        let worker = SaveWorker::with_saver(Box::new(move |job: &SaveJob| {
            let _ = started_tx.send(());
            let _ = gate.lock().map(|g| g.recv());
            log.lock().expect("log").push(job.review.edits.len());
            store::save_review_in(&job.review, &job.report, &job.dirs)
        }));
        (worker, (open, started, written))
    }

    // A slow worker writes the first snapshot, then only the newest of those queued meanwhile;
    // the journal holds every commit until the newest is saved, and is removed after.
    #[test]
    fn slow_worker_coalesces_and_journal_covers() {
        let (dir, report, mut session) = opened();
        let dirs = StoreDirs::with_data_dir(dir.path().join("data"));
        let (worker, (open, started, written)) = gated();
        let mut saver = Autosaver::with_worker(worker);
        let journal = journal_path(&review_path_beside(&report));
        for n in 1..=3 {
            session.commit(key(), CorrectionValue::Number(f64::from(n)), None);
            saver.commit(7, &report, &dirs, &session).expect("journal");
            let replayed = store::read_journal(&journal).expect("a journal line");
            assert_eq!(
                replayed.edits.len(),
                n as usize,
                "commit {n} is in the journal"
            );
            if n == 1 {
                started.recv().expect("the first save starts");
            }
        }
        assert!(saver.is_saving());
        assert!(
            saver.poll().is_empty(),
            "nothing saved while the worker waits"
        );
        open.send(()).expect("first save");
        open.send(()).expect("second save");
        let outcomes = saver.flush();
        assert_eq!(
            *written.lock().expect("log"),
            vec![1, 3],
            "the middle one is skipped"
        );
        assert!(
            matches!(outcomes.as_slice(), [SaveOutcome::Saved { id: 7, .. }]),
            "{outcomes:?}"
        );
        assert!(!saver.is_saving());
        assert!(
            !journal.exists(),
            "the journal is removed once the newest is saved"
        );
        let saved = store::read_review(&review_path_beside(&report)).expect("saved");
        assert_eq!(saved.edits.len(), 3);
    }

    // A review file written, then later commits only in the journal (the process died before
    // the worker saved them): opening the report restores them; a torn last line and garbage
    // lines are skipped without harm.
    #[test]
    fn store_then_journal_replayed() {
        let (dir, report, mut session) = opened();
        let dirs = StoreDirs::with_data_dir(dir.path().join("data"));
        session.commit(key(), CorrectionValue::Number(11.0), None);
        store::save_in(&session, &report, &dirs).expect("saved");
        session.commit(key(), CorrectionValue::Number(12.0), None);
        let sha = session.source_sha256().expect("hashed").to_owned();
        let journal = store::append_journal(
            &report,
            &dirs,
            &store::saved_review(&session, &report, &sha),
        )
        .expect("journal");
        let mut bytes = std::fs::read(&journal).expect("journal bytes");
        bytes.extend_from_slice(b"not json\n{\"format_version\":1,\"checksum\":\"00\"}\n");
        let next = store::encode_journal_line(&store::saved_review(&session, &report, &sha))
            .expect("line");
        bytes.extend_from_slice(&next[..next.len() / 2]);
        std::fs::write(&journal, &bytes).expect("damage the journal");
        let reopened = open_report_in(&report, &dirs).expect("opens");
        assert_eq!(reopened.session.effective_value(key()), Some(12.0));
        assert_eq!(reopened.restored_from.as_deref(), Some(journal.as_path()));
        // A journal of nothing but damage leaves the review file in charge.
        std::fs::write(&journal, b"\xff\xfe garbage\n{\n").expect("garbage");
        let reopened = open_report_in(&report, &dirs).expect("opens");
        assert_eq!(reopened.session.effective_value(key()), Some(11.0));
    }

    // A journal line already saved (same time stamp as the review file) does not win over it.
    #[test]
    fn saved_journal_line_defers_to_review_file() {
        let (dir, report, mut session) = opened();
        let dirs = StoreDirs::with_data_dir(dir.path().join("data"));
        session.commit(key(), CorrectionValue::Number(5.0), None);
        let sha = session.source_sha256().expect("hashed").to_owned();
        let review = store::saved_review(&session, &report, &sha);
        store::append_journal(&report, &dirs, &review).expect("journal");
        let file = store::save_review_in(&review, &report, &dirs).expect("saved");
        let reopened = open_report_in(&report, &dirs).expect("opens");
        assert_eq!(reopened.restored_from, Some(file));
        assert_eq!(reopened.session.effective_value(key()), Some(5.0));
    }

    // A failing save is reported, the journal kept, and the next commit tries again.
    #[test]
    fn failure_keeps_journal() {
        let (dir, report, mut session) = opened();
        let dirs = StoreDirs::with_data_dir(dir.path().join("data"));
        let worker = SaveWorker::with_saver(Box::new(|job: &SaveJob| {
            Err(StoreError::Io {
                path: job.report.clone(),
                message: "disk full".to_owned(),
            })
        }));
        let mut saver = Autosaver::with_worker(worker);
        session.commit(key(), CorrectionValue::Number(9.0), None);
        saver.commit(1, &report, &dirs, &session).expect("journal");
        let outcomes = saver.flush();
        assert!(
            matches!(&outcomes[..], [SaveOutcome::Failed { id: 1, error }] if error.to_string().contains("disk full")),
            "{outcomes:?}"
        );
        assert!(!saver.is_saving());
        let journal = journal_path(&review_path_beside(&report));
        assert_eq!(
            store::read_journal(&journal).map(|r| r.edits.len()),
            Some(1),
            "the commit stays in the journal"
        );
    }

    // A saver that panics is reported as a failure and the worker goes on with the next one.
    #[test]
    fn panicking_saver_is_a_failure() {
        let (dir, report, mut session) = opened();
        let dirs = StoreDirs::with_data_dir(dir.path().join("data"));
        let calls = Arc::new(Mutex::new(0));
        let count = Arc::clone(&calls);
        let worker = SaveWorker::with_saver(Box::new(move |job: &SaveJob| {
            let n = {
                let mut n = count.lock().expect("count");
                *n += 1;
                *n
            };
            if n == 1 {
                panic!("first save explodes");
            }
            store::save_review_in(&job.review, &job.report, &job.dirs)
        }));
        let mut saver = Autosaver::with_worker(worker);
        session.commit(key(), CorrectionValue::Number(1.0), None);
        saver.commit(1, &report, &dirs, &session).expect("journal");
        let first = saver.flush();
        assert!(
            matches!(&first[..], [SaveOutcome::Failed { error: StoreError::SaverStopped(m), .. }] if m.contains("explodes")),
            "{first:?}"
        );
        session.commit(key(), CorrectionValue::Number(2.0), None);
        saver.commit(1, &report, &dirs, &session).expect("journal");
        assert!(matches!(&saver.flush()[..], [SaveOutcome::Saved { .. }]));
    }

    // A journal grown past its limit (saves kept failing) is replaced by the newest line; a
    // journal name taken by a folder sends the line to the data directory instead.
    #[test]
    fn journal_compacts_and_falls_back() {
        let (dir, report, mut session) = opened();
        let dirs = StoreDirs::with_data_dir(dir.path().join("data"));
        let journal = journal_path(&review_path_beside(&report));
        std::fs::write(&journal, vec![b'x'; 2 * 1024 * 1024]).expect("a long journal");
        session.commit(key(), CorrectionValue::Number(3.0), None);
        let sha = session.source_sha256().expect("hashed").to_owned();
        let review = store::saved_review(&session, &report, &sha);
        assert_eq!(
            store::append_journal(&report, &dirs, &review).expect("journal"),
            journal
        );
        let len = std::fs::metadata(&journal).expect("journal").len();
        assert!(len < 64 * 1024, "only the newest line is left: {len} bytes");
        assert_eq!(store::read_journal(&journal), Some(review.clone()));

        std::fs::remove_file(&journal).expect("remove");
        std::fs::create_dir(&journal).expect("a folder in the way");
        let elsewhere = store::append_journal(&report, &dirs, &review).expect("journal");
        assert!(
            elsewhere.starts_with(dir.path().join("data")),
            "{elsewhere:?}"
        );
        assert_eq!(store::read_journal(&journal), None, "a folder is not read");
        let reopened = open_report_in(&report, &dirs).expect("opens");
        assert_eq!(reopened.session.effective_value(key()), Some(3.0));
    }
}
