//! Persistence of a review: every committed correction, verdict and note is written to
//! `<report>.nianbao.json` beside the report (or to the user's data directory when that folder is
//! not writable), atomically, keeping the previous good file as `.bak`; a journal beside it holds
//! the commits not yet written (see the `autosave` module). Opening a report restores
//! its review, says what no longer applies when the source changed, and never overwrites a
//! damaged or unknown review file silently.

use super::session::{Edit, ReviewSession, ReviewStatus, Verdict};
use crate::extract::{Extraction, extract};
use crate::ingest::fs::{self as fs_io, Pending};
use crate::ingest::limits::MAX_REVIEW_BYTES;
use crate::ingest::{self, IngestError};
use crate::ingest::{sha256_file, sha256_hex};
use crate::model::{Cell, CellKey, SourceText};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The version of the review file format written by this program. A file with a larger number
/// comes from a newer program and is never overwritten.
pub const FORMAT_VERSION: u64 = 1;

/// The ending appended to a report's file name to name its review file.
pub const REVIEW_SUFFIX: &str = ".nianbao.json";

/// Temporary files older than this (seconds) are left-overs of an interrupted save and are
/// removed when the report is opened again.
const STALE_TEMP_SECS: u64 = 60;

/// What is saved about one review (the `review` object of the file).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedReview {
    /// The report's file name when it was saved.
    pub file_name: String,
    /// The report's absolute path when it was saved (informative; the file may have moved).
    pub report_path: String,
    /// SHA-256 (lower-case hex) of the source file's bytes the review was made on.
    pub source_sha256: String,
    /// When it was saved (RFC 3339, UTC).
    pub saved_at: jiff::Timestamp,
    /// Queue status.
    pub status: ReviewStatus,
    /// The edit log, including undone edits after the cursor.
    pub edits: Vec<Edit>,
    /// The position of the undo cursor in the log.
    pub cursor: usize,
    /// The extracted raw text of every cell that has an edit, as it was read when the edit was
    /// made: a correction applies again only while this text is unchanged.
    pub extracted: BTreeMap<CellKey, Option<String>>,
    /// Verdicts by finding id.
    pub verdicts: BTreeMap<String, Verdict>,
    /// Per-cell notes.
    pub notes: BTreeMap<CellKey, String>,
}

/// The file as written: a version, a checksum of the exact `review` text, and the review.
#[derive(Deserialize)]
struct Envelope<'a> {
    format_version: u64,
    checksum: String,
    #[serde(borrow)]
    review: &'a serde_json::value::RawValue,
}

/// Only the version, read first so a newer format is recognised before anything else.
#[derive(Deserialize)]
struct VersionProbe {
    format_version: Option<serde_json::Value>,
}

/// Why a review file cannot be used. `Display` is a Chinese clause for notices.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReviewFileProblem {
    /// The file exists but cannot be read.
    #[error("无法读取：{0}")]
    Unreadable(String),
    /// Not JSON at all (truncated, overwritten, another program's file).
    #[error("内容不是完整的审校记录：{0}")]
    NotJson(String),
    /// Written by a newer program in a format this one does not know.
    #[error("格式版本 {0} 来自更新版本的程序，本程序只认识版本 {FORMAT_VERSION}")]
    UnknownVersion(u64),
    /// The content does not match its checksum: edited by hand or damaged.
    #[error("内容与校验码不符，文件被手工修改过或已损坏")]
    ChecksumMismatch,
    /// JSON of the right version whose content is not a valid review.
    #[error("内容不合规：{0}")]
    Invalid(String),
}

/// Why a review could not be saved. `Display` is the Chinese sentence shown to the reviewer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// A review file that cannot be used is where the review would be written; it is kept
    /// until the reviewer moves or deletes it.
    #[error(
        "审校记录 {} 无法使用（{problem}）；为免覆盖它，本次修改没有保存。请先移走或删除该文件",
        path.display()
    )]
    DamagedFileInTheWay {
        /// The damaged file.
        path: PathBuf,
        /// What is wrong with it.
        #[source]
        problem: ReviewFileProblem,
    },
    /// Neither the report's folder nor the user's data directory could be written.
    #[error(
        "审校记录没有保存：报告所在文件夹不可写（{beside}），用户数据目录也不可写（{data_dir}）"
    )]
    NoWritableLocation {
        /// Why the report's folder failed.
        beside: String,
        /// Why the data directory failed (or that there is none).
        data_dir: String,
    },
    /// Writing failed (disk full, file locked by another program…).
    #[error(
        "审校记录没有保存：写入 {} 失败（{message}）。请检查磁盘空间，或该文件是否被其他程序占用",
        path.display()
    )]
    Io {
        /// The file being written.
        path: PathBuf,
        /// The system's explanation.
        message: String,
    },
    /// The review could not be turned into JSON (cannot happen with valid data).
    #[error("审校记录没有保存：无法编码（{0}）")]
    Encode(String),
    /// The background saver stopped before saving; the commits are in the journal and come
    /// back when the report is opened again.
    #[error(
        "审校记录没有保存：后台保存意外中止（{0}）。已提交的修改记在日志文件中，重新打开该报告时恢复"
    )]
    SaverStopped(String),
}

/// Where review files may be written besides the report's folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreDirs {
    /// The folder for reviews of reports in folders that cannot be written; `None` when the
    /// system has no user data directory.
    pub data_dir: Option<PathBuf>,
}

impl StoreDirs {
    /// The user's data directory for nianbao (`~/.local/share/nianbao/reviews` on Linux,
    /// `%APPDATA%\nianbao\data\reviews` on Windows).
    pub fn user() -> Self {
        Self {
            data_dir: directories::ProjectDirs::from("", "", "nianbao")
                .map(|d| d.data_dir().join("reviews")),
        }
    }

    /// Review files go to `data_dir` when the report's folder is not writable.
    pub fn with_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: Some(data_dir.into()),
        }
    }
}

/// A report opened for review: the session (with any saved review restored) and what the
/// reviewer must be told about the saved review.
#[derive(Debug)]
pub struct OpenedReport {
    /// The review session.
    pub session: ReviewSession,
    /// Chinese notices to show (source changed, review file damaged, restored from backup…).
    pub notices: Vec<String>,
    /// The review file the session was restored from, if any.
    pub restored_from: Option<PathBuf>,
}

/// `<report>.nianbao.json` beside the report.
pub fn review_path_beside(report: &Path) -> PathBuf {
    let mut name = report.file_name().unwrap_or_default().to_os_string();
    name.push(REVIEW_SUFFIX);
    report.with_file_name(name)
}

/// The review file for `report` in the data directory: named by the SHA-256 of the report's
/// absolute path, so reports with the same name in different folders do not collide.
pub fn review_path_in_data_dir(report: &Path, dirs: &StoreDirs) -> Option<PathBuf> {
    let dir = dirs.data_dir.as_ref()?;
    let absolute = absolute_path(report);
    let hash = sha256_hex(absolute.to_string_lossy().as_bytes());
    Some(dir.join(format!("{}{REVIEW_SUFFIX}", &hash[..32])))
}

fn absolute_path(report: &Path) -> PathBuf {
    fs::canonicalize(report)
        .or_else(|_| std::path::absolute(report))
        .unwrap_or_else(|_| report.to_path_buf())
}

fn backup_path(review: &Path) -> PathBuf {
    append_to_name(review, ".bak")
}

fn append_to_name(path: &Path, ending: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(ending);
    path.with_file_name(name)
}

/// The review as it will be saved.
pub fn saved_review(session: &ReviewSession, report: &Path, source_sha256: &str) -> SavedReview {
    let mut extracted = BTreeMap::new();
    for edit in session.edits() {
        extracted.entry(edit.key).or_insert_with(|| {
            session
                .extraction
                .cell(edit.key)
                .raw
                .as_deref()
                .map(String::from)
        });
    }
    SavedReview {
        file_name: report
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        report_path: absolute_path(report).to_string_lossy().into_owned(),
        source_sha256: source_sha256.to_owned(),
        saved_at: jiff::Timestamp::now(),
        status: session.status,
        edits: session.edits().to_vec(),
        cursor: session.cursor(),
        extracted,
        verdicts: session.verdicts.clone(),
        notes: session.notes.clone(),
    }
}

/// The bytes of a review file: version, checksum of the exact review text, review.
pub fn encode_review(review: &SavedReview) -> Result<Vec<u8>, StoreError> {
    let body =
        serde_json::to_string_pretty(review).map_err(|e| StoreError::Encode(e.to_string()))?;
    let checksum = sha256_hex(body.as_bytes());
    Ok(format!(
        "{{\n\"format_version\": {FORMAT_VERSION},\n\"checksum\": \"{checksum}\",\n\"review\": {body}\n}}\n"
    )
    .into_bytes())
}

/// Reads a review file's bytes; any damage, hand edit or unknown version is an error.
pub fn decode_review(bytes: &[u8]) -> Result<SavedReview, ReviewFileProblem> {
    if bytes.len() as u64 > MAX_REVIEW_BYTES {
        return Err(ReviewFileProblem::Invalid(format!(
            "文件超过 {} MB，不是本程序写的审校记录",
            MAX_REVIEW_BYTES / 1_048_576
        )));
    }
    let probe: VersionProbe =
        serde_json::from_slice(bytes).map_err(|e| ReviewFileProblem::NotJson(e.to_string()))?;
    let version = match probe.format_version {
        Some(serde_json::Value::Number(n)) => n.as_u64(),
        _ => None,
    }
    .ok_or_else(|| ReviewFileProblem::Invalid("缺少格式版本".to_owned()))?;
    if version != FORMAT_VERSION {
        return Err(ReviewFileProblem::UnknownVersion(version));
    }
    let envelope: Envelope<'_> =
        serde_json::from_slice(bytes).map_err(|e| ReviewFileProblem::Invalid(e.to_string()))?;
    if envelope.format_version != FORMAT_VERSION {
        return Err(ReviewFileProblem::UnknownVersion(envelope.format_version));
    }
    if sha256_hex(envelope.review.get().as_bytes()) != envelope.checksum {
        return Err(ReviewFileProblem::ChecksumMismatch);
    }
    let review: SavedReview = serde_json::from_str(envelope.review.get())
        .map_err(|e| ReviewFileProblem::Invalid(e.to_string()))?;
    if review.cursor > review.edits.len() {
        return Err(ReviewFileProblem::Invalid(
            "撤销位置超出修改记录".to_owned(),
        ));
    }
    Ok(review)
}

/// Reads and checks a review file.
pub fn read_review(path: &Path) -> Result<SavedReview, ReviewFileProblem> {
    let bytes = read_limited(path).map_err(|e| ReviewFileProblem::Unreadable(e.to_string()))?;
    decode_review(&bytes)
}

/// Reads a review file, at most one byte past [`MAX_REVIEW_BYTES`] (enough to tell it is too
/// large).
fn read_limited(path: &Path) -> io::Result<Vec<u8>> {
    // Opening a named pipe waits for a writer, and a device may never end: only regular files
    // are opened.
    if !fs::metadata(path)?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "不是普通文件（而是文件夹、管道或设备）",
        ));
    }
    let mut bytes = Vec::new();
    File::open(path)?
        .take(MAX_REVIEW_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Saves the review of `report` at once: beside the report, or in the user's data directory
/// when the report's folder is not writable. Returns the file written.
pub fn save(session: &ReviewSession, report: &Path) -> Result<PathBuf, StoreError> {
    save_in(session, report, &StoreDirs::user())
}

/// [`save`] with the data directory given.
pub fn save_in(
    session: &ReviewSession,
    report: &Path,
    dirs: &StoreDirs,
) -> Result<PathBuf, StoreError> {
    let sha = source_sha256(session, report)?;
    save_review_in(&saved_review(session, report, &sha), report, dirs)
}

/// The SHA-256 of the report a session reviews: the one taken when it was opened, or, for a
/// session not opened through `open_report` (a test, an import), the file's hash now.
pub fn source_sha256(session: &ReviewSession, report: &Path) -> Result<String, StoreError> {
    match session.source_sha256() {
        Some(sha) => Ok(sha.to_owned()),
        None => sha256_file(report).map_err(|e| StoreError::Io {
            path: report.to_path_buf(),
            message: e.to_string(),
        }),
    }
}

/// Writes a review already taken from its session (by the background saver): beside the
/// report, or in the data directory when the report's folder is not writable. Returns the file
/// written.
pub fn save_review_in(
    review: &SavedReview,
    report: &Path,
    dirs: &StoreDirs,
) -> Result<PathBuf, StoreError> {
    let bytes = encode_review(review)?;
    let beside = review_path_beside(report);
    let beside_error = match write_review(&beside, &bytes) {
        Ok(()) => return Ok(beside),
        Err(WriteFailure::FolderNotWritable(e)) => e,
        Err(WriteFailure::Store(e)) => return Err(e),
    };
    let Some(fallback) = review_path_in_data_dir(report, dirs) else {
        return Err(StoreError::NoWritableLocation {
            beside: beside_error,
            data_dir: "系统没有用户数据目录".to_owned(),
        });
    };
    if let Some(dir) = fallback.parent()
        && let Err(e) = fs::create_dir_all(dir)
    {
        return Err(StoreError::NoWritableLocation {
            beside: beside_error,
            data_dir: format!("{}：{e}", dir.display()),
        });
    }
    match write_review(&fallback, &bytes) {
        Ok(()) => Ok(fallback),
        Err(WriteFailure::FolderNotWritable(e)) => Err(StoreError::NoWritableLocation {
            beside: beside_error,
            data_dir: e,
        }),
        Err(WriteFailure::Store(e)) => Err(e),
    }
}

enum WriteFailure {
    /// The folder does not accept new files: try elsewhere.
    FolderNotWritable(String),
    /// Anything else: report it.
    Store(StoreError),
}

/// Replaces `target` with `bytes` atomically, first keeping the current good file as `.bak`.
/// Refuses to replace a file that is not a good review.
fn write_review(target: &Path, bytes: &[u8]) -> Result<(), WriteFailure> {
    let io_error = |path: &Path, e: io::Error| {
        WriteFailure::Store(StoreError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    };
    let existing = match read_limited(target) {
        Ok(old) => Some(old),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) if is_folder_problem(&e) => {
            return Err(WriteFailure::FolderNotWritable(e.to_string()));
        }
        Err(e) => return Err(io_error(target, e)),
    };
    let pending = Pending::beside(target).map_err(|e| {
        if is_folder_problem(&e) {
            WriteFailure::FolderNotWritable(e.to_string())
        } else {
            io_error(target, e)
        }
    })?;
    if let Some(old) = existing {
        // A refused write drops `pending`, which removes its temporary file.
        if let Err(problem) = decode_review(&old) {
            return Err(WriteFailure::Store(StoreError::DamagedFileInTheWay {
                path: target.to_path_buf(),
                problem,
            }));
        }
        if let Err(e) = keep_backup(target, &old) {
            return Err(io_error(&backup_path(target), e));
        }
    }
    pending
        .finish(|f| f.write_all(bytes))
        .map_err(|e| io_error(target, e))
}

fn is_folder_problem(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::PermissionDenied
            | io::ErrorKind::ReadOnlyFilesystem
            | io::ErrorKind::NotADirectory
            | io::ErrorKind::NotFound
    )
}

fn remove_quietly(path: &Path) {
    // Only a temporary file of ours; if it cannot be removed it is cleaned up on the next open.
    let _ = fs::remove_file(path);
}

/// Makes `.bak` the file that is about to be replaced: a hard link where the file system allows
/// it (no copy, already on disk), otherwise an atomic copy of its bytes.
fn keep_backup(target: &Path, old: &[u8]) -> io::Result<()> {
    let bak = backup_path(target);
    if fs_io::link_atomic(target, &bak).is_ok() {
        return Ok(());
    }
    write_copy(&bak, old)
}

/// Writes a copy atomically, for the store's own files (backups, damaged files set aside).
fn write_copy(target: &Path, bytes: &[u8]) -> io::Result<()> {
    Pending::beside(target)?.finish(|f| f.write_all(bytes))
}

/// Opens a report for review: reads and extracts it, and restores its saved review, if any.
/// A damaged or unknown review file is moved aside (never overwritten) and reported in the
/// notices; the report opens all the same.
pub fn open_report(path: &Path) -> Result<OpenedReport, IngestError> {
    open_report_in(path, &StoreDirs::user())
}

/// [`open_report`] with the data directory given.
pub fn open_report_in(path: &Path, dirs: &StoreDirs) -> Result<OpenedReport, IngestError> {
    // One read: the text and its hash come from the same bytes, even if the file changes.
    let bytes = ingest::read_bytes(path, ingest::limits::MAX_FILE_BYTES)?;
    let sha = sha256_hex(&bytes);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let source = ingest::load(&bytes, name)?;
    drop(bytes);
    let extraction = extract(&source);
    let mut notices = Vec::new();
    let mut candidates = Vec::new();
    let beside = review_path_beside(path);
    for review_file in [Some(beside), review_path_in_data_dir(path, dirs)]
        .into_iter()
        .flatten()
    {
        remove_stale_temps(&review_file);
        if let Some(found) = load_candidate(&review_file, &mut notices) {
            candidates.push(found);
        }
        // Commits the background saver had not written yet when the program ended.
        let journal = journal_path(&review_file);
        if let Some(review) = read_journal(&journal) {
            candidates.push((journal, review));
        }
    }
    // Both places can hold a review when the folder's permissions changed, and each may have a
    // journal of later commits: the newest wins, the earlier in this order on a tie (a review
    // file before its journal, so a journal line already saved changes nothing).
    let newest = candidates
        .into_iter()
        .rev()
        .max_by_key(|(_, review)| review.saved_at);
    let (session, restored_from) = match newest {
        Some((file, review)) => {
            let session = restore(source, extraction, sha, review, &file, &mut notices);
            (session, Some(file))
        }
        None => {
            let mut session = ReviewSession::new(source, extraction);
            session.set_source_sha256(sha);
            (session, None)
        }
    };
    Ok(OpenedReport {
        session,
        notices,
        restored_from,
    })
}

/// Reads the review at `review_file`; if it is damaged, moves it aside and falls back to its
/// backup. Returns the file read and the review.
fn load_candidate(review_file: &Path, notices: &mut Vec<String>) -> Option<(PathBuf, SavedReview)> {
    let problem = match read_limited(review_file) {
        Ok(bytes) => match decode_review(&bytes) {
            Ok(review) => return Some((review_file.to_path_buf(), review)),
            Err(problem) => problem,
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => ReviewFileProblem::Unreadable(e.to_string()),
    };
    match move_aside(review_file, "damaged") {
        Ok(aside) => notices.push(format!(
            "审校记录已损坏或无法识别（{problem}），已另存为 {}，本次不会覆盖它。",
            aside.display()
        )),
        Err(e) => notices.push(format!(
            "审校记录已损坏或无法识别（{problem}），且无法将它移开（{e}）：本次不会覆盖它，所作修改将无法保存在原处，请先移走或删除 {}。",
            review_file.display()
        )),
    }
    let bak = backup_path(review_file);
    match read_review(&bak) {
        Ok(review) => {
            notices.push(format!(
                "已从备份 {} 恢复审校记录；最后一次保存的修改可能缺失，请核对。",
                bak.display()
            ));
            Some((bak, review))
        }
        Err(_) => None,
    }
}

/// Renames a file to `<name>.<why>-<timestamp>` (with a counter if taken) and returns the new
/// path.
fn move_aside(path: &Path, why: &str) -> io::Result<PathBuf> {
    let stamp = jiff::Zoned::now().strftime("%Y%m%d-%H%M%S").to_string();
    for n in 0..1000 {
        let ending = if n == 0 {
            format!(".{why}-{stamp}")
        } else {
            format!(".{why}-{stamp}-{n}")
        };
        let aside = append_to_name(path, &ending);
        if fs::symlink_metadata(&aside).is_err() {
            fs::rename(path, &aside)?;
            fs_io::sync_folder(&fs_io::folder_of(path));
            return Ok(aside);
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, "同名文件太多"))
}

/// Copies a file to `<name>.<why>-<timestamp>`, leaving the original in place.
fn copy_aside(path: &Path, why: &str) -> io::Result<PathBuf> {
    let bytes = read_limited(path)?;
    let stamp = jiff::Zoned::now().strftime("%Y%m%d-%H%M%S").to_string();
    let mut aside = append_to_name(path, &format!(".{why}-{stamp}"));
    let mut n = 1;
    while fs::symlink_metadata(&aside).is_ok() && n < 1000 {
        aside = append_to_name(path, &format!(".{why}-{stamp}-{n}"));
        n += 1;
    }
    write_copy(&aside, &bytes)?;
    Ok(aside)
}

/// Removes temporary files left by a save that was interrupted (killed, power cut). Recent ones
/// are left alone: another window may be saving this report right now.
fn remove_stale_temps(review_file: &Path) {
    let Some(dir) = review_file.parent() else {
        return;
    };
    let Some(name) = review_file.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let Ok(entries) = fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }) else {
        return;
    };
    // Today's temporary names, and those of versions before the one writer (`name.tmp-…`).
    let bak = backup_path(review_file);
    let prefixes = [
        fs_io::temp_prefix(review_file),
        fs_io::temp_prefix(&bak),
        fs_io::temp_prefix(&journal_path(review_file)),
        format!("{name}.tmp-"),
        format!("{name}.bak.tmp-"),
    ];
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(entry_name) = file_name.to_str() else {
            continue;
        };
        if !prefixes.iter().any(|p| entry_name.starts_with(p.as_str())) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() >= STALE_TEMP_SECS);
        if old {
            remove_quietly(&entry.path());
        }
    }
}

/// How a correction is written in notices: `表三 予以公开 自然人 → 5`.
fn describe(edit: &Edit) -> String {
    format!("{} → {}", edit.key.accessible_name(), edit.value.display())
}

/// Puts a saved review into a fresh session. Corrections whose cell no longer reads the same
/// raw text as when they were made are not restored; the reviewer is told which.
fn restore(
    source: SourceText,
    extraction: Extraction,
    current_sha: String,
    saved: SavedReview,
    file: &Path,
    notices: &mut Vec<String>,
) -> ReviewSession {
    let first_before: BTreeMap<CellKey, Option<String>> =
        saved.edits.iter().rev().fold(BTreeMap::new(), |mut m, e| {
            m.insert(e.key, e.before.raw.as_deref().map(String::from));
            m
        });
    let applies = |key: CellKey| -> bool {
        let then = saved
            .extracted
            .get(&key)
            .or_else(|| first_before.get(&key))
            .cloned()
            .flatten();
        then.as_deref() == extraction.cell(key).raw.as_deref()
    };
    let edited: BTreeSet<CellKey> = saved.edits.iter().map(|e| e.key).collect();
    let dropped_keys: BTreeSet<CellKey> = edited.iter().copied().filter(|k| !applies(*k)).collect();
    let source_changed = saved.source_sha256 != current_sha;

    // The corrections in effect when saved, one per cell (the last applied edit of each).
    let in_effect: BTreeMap<CellKey, &Edit> = saved.edits[..saved.cursor]
        .iter()
        .map(|e| (e.key, e))
        .collect();
    let kept_list: Vec<String> = in_effect
        .iter()
        .filter(|(k, _)| !dropped_keys.contains(k))
        .map(|(_, e)| describe(e))
        .collect();
    let dropped_list: Vec<String> = in_effect
        .iter()
        .filter(|(k, _)| dropped_keys.contains(k))
        .map(|(_, e)| describe(e))
        .collect();
    let had_corrections = !in_effect.is_empty();
    drop(in_effect);

    let mut archived = None;
    if !dropped_keys.is_empty() {
        archived = copy_aside(file, "before-change").ok();
    }
    let kept_cursor = saved.edits[..saved.cursor]
        .iter()
        .filter(|e| !dropped_keys.contains(&e.key))
        .count();
    let kept: Vec<Edit> = saved
        .edits
        .into_iter()
        .filter(|e| !dropped_keys.contains(&e.key))
        .collect();
    let kept = replay_befores(kept, &extraction);

    let mut restored = ReviewSession::restore(source, extraction, kept, kept_cursor);
    restored.set_source_sha256(current_sha);
    restored.verdicts = saved.verdicts;
    restored.notes = saved.notes;
    restored.status = if source_changed {
        ReviewStatus::Unreviewed
    } else {
        saved.status
    };

    let archived_note = archived
        .map(|p| format!("原审校记录已另存为 {}。", p.display()))
        .unwrap_or_default();
    if source_changed {
        let mut msg = format!(
            "源文件自上次审校（{}）后已更改。",
            saved
                .saved_at
                .to_zoned(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d")
        );
        if !had_corrections {
            msg.push_str("上次没有更正。");
        } else {
            if !kept_list.is_empty() {
                msg.push_str(&format!(
                    "以下更正仍适用（该格原文未变），已恢复：{}。",
                    kept_list.join("；")
                ));
            }
            if !dropped_list.is_empty() {
                msg.push_str(&format!(
                    "以下更正不再适用（该格原文已变），未恢复：{}。",
                    dropped_list.join("；")
                ));
            }
        }
        if saved.status == ReviewStatus::Reviewed {
            msg.push_str("该报告原标为“已审”，现改回“未审”。");
        }
        msg.push_str(&archived_note);
        notices.push(msg);
    } else if !dropped_list.is_empty() {
        notices.push(format!(
            "本程序对以下单元格的读取结果与上次审校时不同，相应更正未恢复：{}。{archived_note}",
            dropped_list.join("；")
        ));
    }
    restored
}

/// Recomputes each edit's `before` against the current extraction, replaying the log in order,
/// so spans and texts refer to the source as it is now.
fn replay_befores(edits: Vec<Edit>, extraction: &Extraction) -> Vec<Edit> {
    let mut current: BTreeMap<CellKey, Cell> = BTreeMap::new();
    edits
        .into_iter()
        .map(|mut edit| {
            let original = extraction.cell(edit.key);
            edit.before = current
                .get(&edit.key)
                .cloned()
                .unwrap_or_else(|| original.clone());
            current.insert(edit.key, edit.value.to_cell(original));
            edit
        })
        .collect()
}

/// The ending appended to a review file's name to name its journal.
pub const JOURNAL_SUFFIX: &str = ".journal";

/// A journal longer than this is replaced by its newest line before the next one is appended,
/// so that it stays small while saves keep failing.
const JOURNAL_COMPACT_BYTES: u64 = 1024 * 1024;

/// The most read from the end of a journal: one review at its largest and the lines before it.
const JOURNAL_MAX_BYTES: u64 = MAX_REVIEW_BYTES + JOURNAL_COMPACT_BYTES;

/// The journal of a review file: `<review file>.journal`, one line per commit not yet saved.
pub fn journal_path(review_file: &Path) -> PathBuf {
    append_to_name(review_file, JOURNAL_SUFFIX)
}

/// One journal line: the review file's envelope on one line (compact JSON never holds a raw
/// line break), so [`decode_review`] reads it and its checksum tells a torn line.
pub fn encode_journal_line(review: &SavedReview) -> Result<Vec<u8>, StoreError> {
    let body = serde_json::to_string(review).map_err(|e| StoreError::Encode(e.to_string()))?;
    let checksum = sha256_hex(body.as_bytes());
    Ok(format!(
        "{{\"format_version\":{FORMAT_VERSION},\"checksum\":\"{checksum}\",\"review\":{body}}}\n"
    )
    .into_bytes())
}

/// Appends the review to the journal beside the report's review file (or the one in the data
/// directory when the report's folder is not writable) with one `write`, without syncing:
/// once it returns, the commit survives the death of the process, as the kernel holds the
/// page. Returns the journal written.
pub fn append_journal(
    report: &Path,
    dirs: &StoreDirs,
    review: &SavedReview,
) -> Result<PathBuf, StoreError> {
    let line = encode_journal_line(review)?;
    let beside = journal_path(&review_path_beside(report));
    let beside_error = match append_line(&beside, &line) {
        Ok(()) => return Ok(beside),
        Err(e) => e.to_string(),
    };
    let Some(fallback) = review_path_in_data_dir(report, dirs).map(|p| journal_path(&p)) else {
        return Err(StoreError::NoWritableLocation {
            beside: beside_error,
            data_dir: "系统没有用户数据目录".to_owned(),
        });
    };
    let appended = match fallback.parent() {
        Some(dir) => fs::create_dir_all(dir).and_then(|()| append_line(&fallback, &line)),
        None => append_line(&fallback, &line),
    };
    match appended {
        Ok(()) => Ok(fallback),
        Err(e) => Err(StoreError::NoWritableLocation {
            beside: beside_error,
            data_dir: format!("{}：{e}", fallback.display()),
        }),
    }
}

fn append_line(journal: &Path, line: &[u8]) -> io::Result<()> {
    // Appending to a named pipe would block the window until something reads it.
    match fs::metadata(journal) {
        Ok(meta) if !meta.is_file() => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "不是普通文件（而是文件夹、管道或设备）",
            ));
        }
        Ok(meta) if meta.len() > JOURNAL_COMPACT_BYTES => {
            // Renamed into place: a kill at any moment leaves the old journal or the new one.
            let mut fresh = tempfile::Builder::new()
                .prefix(&fs_io::temp_prefix(journal))
                .tempfile_in(fs_io::folder_of(journal))?;
            fresh.write_all(line)?;
            fresh.persist(journal).map_err(|e| e.error)?;
            return Ok(());
        }
        _ => {}
    }
    fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(journal)?
        .write_all(line)
}

/// The newest review in a journal: its last line that is whole and matches its checksum.
/// Torn, damaged or foreign lines are skipped; a journal that cannot be read gives `None`.
pub fn read_journal(journal: &Path) -> Option<SavedReview> {
    let meta = fs::metadata(journal).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut file = File::open(journal).ok()?;
    if meta.len() > JOURNAL_MAX_BYTES {
        file.seek(SeekFrom::Start(meta.len() - JOURNAL_MAX_BYTES))
            .ok()?;
    }
    let mut bytes = Vec::new();
    file.take(JOURNAL_MAX_BYTES).read_to_end(&mut bytes).ok()?;
    newest_journal_entry(&bytes)
}

/// The last good line of a journal's bytes.
pub fn newest_journal_entry(bytes: &[u8]) -> Option<SavedReview> {
    bytes
        .split(|b| *b == b'\n')
        .rev()
        .find_map(|line| decode_review(line).ok())
}

/// Removes a journal whose commits are all in the review file now.
pub fn remove_journal(journal: &Path) -> io::Result<()> {
    match fs::remove_file(journal) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Review files are named after the report, with the suffix appended to the whole name.
    #[test]
    fn review_file_names() {
        let report = Path::new("年报/高青 2024.txt");
        assert_eq!(
            review_path_beside(report),
            Path::new("年报/高青 2024.txt.nianbao.json")
        );
        assert_eq!(
            backup_path(&review_path_beside(report)),
            Path::new("年报/高青 2024.txt.nianbao.json.bak")
        );
        let dirs = StoreDirs::with_data_dir("/data");
        let a = review_path_in_data_dir(Path::new("/a/r.txt"), &dirs).expect("data dir");
        let b = review_path_in_data_dir(Path::new("/b/r.txt"), &dirs).expect("data dir");
        assert_ne!(a, b, "same name in two folders must not collide");
        assert!(a.starts_with("/data"));
    }

    // Oversized, versionless, newer-version and empty inputs are refused, never loaded.
    #[test]
    fn decode_refuses_bad_files() {
        let big = vec![b' '; MAX_REVIEW_BYTES as usize + 1];
        assert!(matches!(
            decode_review(&big),
            Err(ReviewFileProblem::Invalid(_))
        ));
        assert!(matches!(
            decode_review(b"{}"),
            Err(ReviewFileProblem::Invalid(_))
        ));
        assert_eq!(
            decode_review(b"{\"format_version\": 2}"),
            Err(ReviewFileProblem::UnknownVersion(2))
        );
        assert!(matches!(
            decode_review(b""),
            Err(ReviewFileProblem::NotJson(_))
        ));
    }
}
