//! Atomic file writing: the bytes go to a temporary file in the target's folder, are flushed and
//! synced, and only then renamed over the target. A failed write (disk full, target open in
//! Excel, no permission) leaves any existing file untouched and says why in Chinese.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Why a file could not be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteFailure {
    /// No space left on the disk (or the user's quota is used up).
    DiskFull,
    /// Another program (Excel, WPS) holds the file open.
    Locked,
    /// The folder or the file may not be written.
    PermissionDenied,
    /// The folder to save into does not exist.
    FolderMissing,
    /// The target is a folder.
    IsDirectory,
    /// Anything else, with the system's description.
    Other(String),
}

impl fmt::Display for WriteFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteFailure::DiskFull => write!(f, "磁盘空间不足，请清理磁盘或换一个位置保存"),
            WriteFailure::Locked => write!(
                f,
                "文件正被其他程序（如 Excel、WPS）打开，请先关闭该文件再导出"
            ),
            WriteFailure::PermissionDenied => write!(
                f,
                "没有写入权限：请换一个文件夹保存，或检查文件是否只读、是否正被其他程序打开"
            ),
            WriteFailure::FolderMissing => write!(f, "保存位置的文件夹不存在"),
            WriteFailure::IsDirectory => write!(f, "该名称是一个文件夹，请换一个文件名"),
            WriteFailure::Other(why) => write!(f, "写入失败（{why}）"),
        }
    }
}

/// A failed write: the path and the reason. Any existing file at the path is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteError {
    /// The file that was to be written.
    pub path: PathBuf,
    /// Why it was not.
    pub reason: WriteFailure,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "无法保存“{}”：{}。原有文件（如有）未被改动。",
            self.path.display(),
            self.reason
        )
    }
}

impl std::error::Error for WriteError {}

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_atomic_with(path, |file| file.write_all(bytes))
}

/// Writes a file atomically with `fill` writing the content into the temporary file. Exposed so
/// that a failure half-way can be tested; [`write_atomic`] is the usual entry.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<(), WriteError> {
    let fail = |reason| WriteError {
        path: path.to_owned(),
        reason,
    };
    if path.is_dir() {
        return Err(fail(WriteFailure::IsDirectory));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(fail(WriteFailure::FolderMissing));
    }
    let (temp_path, mut file) = create_temp(&folder, path).map_err(|e| fail(classify(&e, path)))?;
    let written = fill(&mut file)
        .and_then(|()| file.flush())
        .and_then(|()| file.sync_all());
    drop(file);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp_path);
        return Err(fail(classify(&e, path)));
    }
    if let Err(e) = std::fs::rename(&temp_path, path) {
        let _ = std::fs::remove_file(&temp_path);
        return Err(fail(classify(&e, path)));
    }
    sync_folder(&folder);
    Ok(())
}

/// Creates a new hidden temporary file beside the target.
fn create_temp(folder: &Path, target: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let stem = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut last = io::Error::other("temporary file");
    for _ in 0..100 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = folder.join(format!(".{stem}.{}-{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// Makes the rename durable where the platform allows syncing a folder; a failure here does not
/// undo the write, so it is ignored.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

/// True when a spreadsheet program left its lock file beside `target`: Excel and WPS write
/// `~$name.xlsx`, LibreOffice `.~lock.name.xlsx#`.
pub fn lock_file_present(target: &Path) -> bool {
    let (Some(folder), Some(name)) = (target.parent(), target.file_name()) else {
        return false;
    };
    let name = name.to_string_lossy();
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    // Excel shortens long names in its lock file by dropping the first two characters.
    let short: String = name.chars().skip(2).collect();
    [
        format!("~${name}"),
        format!("~${short}"),
        format!(".~lock.{name}#"),
    ]
    .iter()
    .any(|lock| folder.join(lock).exists())
}

/// Maps an I/O error to what the user can do about it.
pub fn classify(e: &io::Error, target: &Path) -> WriteFailure {
    use io::ErrorKind as K;
    match e.kind() {
        K::StorageFull | K::QuotaExceeded | K::FileTooLarge => return WriteFailure::DiskFull,
        K::ResourceBusy | K::ExecutableFileBusy => return WriteFailure::Locked,
        K::ReadOnlyFilesystem => return WriteFailure::PermissionDenied,
        K::PermissionDenied => {
            return if lock_file_present(target) {
                WriteFailure::Locked
            } else {
                WriteFailure::PermissionDenied
            };
        }
        K::NotFound => return WriteFailure::FolderMissing,
        K::IsADirectory | K::DirectoryNotEmpty => return WriteFailure::IsDirectory,
        _ => {}
    }
    match e.raw_os_error() {
        // ENOSPC / EDQUOT on Unix; ERROR_HANDLE_DISK_FULL / ERROR_DISK_FULL on Windows.
        Some(28 | 122) if cfg!(unix) => WriteFailure::DiskFull,
        Some(39 | 112) if cfg!(windows) => WriteFailure::DiskFull,
        // ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION: the file is open elsewhere.
        Some(32 | 33) if cfg!(windows) => WriteFailure::Locked,
        _ => WriteFailure::Other(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".tmp"))
                    .collect()
            })
            .unwrap_or_default()
    }

    // A successful write replaces the old content and leaves no temporary file.
    #[test]
    fn replaces_and_cleans_up() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("out.xlsx");
        std::fs::write(&target, b"old").expect("seed file");
        write_atomic(&target, b"new content").expect("write");
        assert_eq!(std::fs::read(&target).expect("read"), b"new content");
        assert!(leftovers(dir.path()).is_empty());
    }

    // A failure half-way (disk full) keeps the old file and removes the temporary one.
    #[test]
    fn failure_midway_keeps_old_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("out.xlsx");
        std::fs::write(&target, b"old").expect("seed file");
        let err = write_atomic_with(&target, |f| {
            f.write_all(b"partial")?;
            Err(io::Error::from(io::ErrorKind::StorageFull))
        })
        .expect_err("must fail");
        assert_eq!(err.reason, WriteFailure::DiskFull);
        assert!(err.to_string().contains("磁盘空间不足"), "{err}");
        assert_eq!(std::fs::read(&target).expect("read"), b"old");
        assert!(leftovers(dir.path()).is_empty());
    }

    // A missing folder or a folder in the way are refused with their own messages.
    #[test]
    fn folder_problems() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("nope").join("out.xlsx");
        let err = write_atomic(&missing, b"x").expect_err("must fail");
        assert_eq!(err.reason, WriteFailure::FolderMissing);
        let err = write_atomic(dir.path(), b"x").expect_err("must fail");
        assert_eq!(err.reason, WriteFailure::IsDirectory);
        assert!(err.to_string().contains("文件夹"), "{err}");
    }

    // System errors map to the reasons users understand; a lock file turns "denied" into "open".
    #[test]
    fn classification() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("报告.xlsx");
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        assert_eq!(classify(&denied, &target), WriteFailure::PermissionDenied);
        std::fs::write(dir.path().join("~$报告.xlsx"), b"").expect("lock file");
        assert_eq!(classify(&denied, &target), WriteFailure::Locked);
        #[cfg(unix)]
        assert_eq!(
            classify(&io::Error::from_raw_os_error(28), &target),
            WriteFailure::DiskFull
        );
        assert_eq!(
            classify(&io::Error::from(io::ErrorKind::ReadOnlyFilesystem), &target),
            WriteFailure::PermissionDenied
        );
        assert!(matches!(
            classify(&io::Error::other("odd"), &target),
            WriteFailure::Other(_)
        ));
        assert!(
            WriteFailure::Locked.to_string().contains("Excel"),
            "the message names the likely program"
        );
    }
}
