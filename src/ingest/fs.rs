//! The one place that touches the files a user names: reading them (regular files only, never
//! past a size limit) and writing them atomically. A write goes to a temporary file beside the
//! target (tempfile), is flushed and synced, and only then renamed over the target, and the
//! folder is synced so the rename survives a crash; a failed write (disk full, target open in
//! Excel, no permission) leaves any existing file untouched and says why in Chinese.

use super::{IngestError, io_message};
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// Reads the bytes of a regular file of at most `limit` bytes: a folder, a pipe, a device or a
/// larger file is refused before anything is read (opening a named pipe waits for a writer,
/// and a device may never end), and a file that grows while it is read is never read past the
/// limit. The one reader of files the user names: reports, review workbooks.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, IngestError> {
    let meta = std::fs::metadata(path).map_err(|e| IngestError::Io(io_message(&e)))?;
    if meta.is_dir() {
        return Err(IngestError::IsDirectory);
    }
    if !meta.is_file() {
        return Err(IngestError::Io(NOT_A_REGULAR_FILE.to_owned()));
    }
    if meta.len() > limit {
        return Err(IngestError::TooLarge { size: meta.len() });
    }
    let file = std::fs::File::open(path).map_err(|e| IngestError::Io(io_message(&e)))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| IngestError::Io(io_message(&e)))?;
    if bytes.len() as u64 > limit {
        return Err(IngestError::TooLarge {
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// Why a path that is neither a file nor a folder is not read.
pub const NOT_A_REGULAR_FILE: &str = "这不是普通文件（而是管道、设备或套接字），未读取";

/// Why a file could not be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WriteFailure {
    /// No space left on the disk (or the user's quota is used up).
    #[error("磁盘空间不足，请清理磁盘或换一个位置保存")]
    DiskFull,
    /// Another program (Excel, WPS) holds the file open.
    #[error("文件正被其他程序（如 Excel、WPS）打开，请先关闭该文件再导出")]
    Locked,
    /// The folder or the file may not be written.
    #[error("没有写入权限：请换一个文件夹保存，或检查文件是否只读、是否正被其他程序打开")]
    PermissionDenied,
    /// The folder to save into does not exist.
    #[error("保存位置的文件夹不存在")]
    FolderMissing,
    /// The target is a folder.
    #[error("该名称是一个文件夹，请换一个文件名")]
    IsDirectory,
    /// Anything else, with the system's description.
    #[error("写入失败（{0}）")]
    Other(String),
}

/// A failed write: the path and the reason. Any existing file at the path is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("无法保存“{}”：{reason}。原有文件（如有）未被改动。", path.display())]
pub struct WriteError {
    /// The file that was to be written.
    pub path: PathBuf,
    /// Why it was not.
    #[source]
    pub reason: WriteFailure,
}

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
    if !folder_of(path).is_dir() {
        return Err(fail(WriteFailure::FolderMissing));
    }
    let pending = Pending::beside(path).map_err(|e| fail(classify(&e, path)))?;
    pending.finish(fill).map_err(|e| fail(classify(&e, path)))
}

/// A temporary file beside its target, not yet renamed over it; dropped, it is removed.
pub struct Pending {
    file: NamedTempFile,
    target: PathBuf,
}

impl Pending {
    /// Creates the temporary file (hidden, `.{name}.tmp-…`) in the target's folder. An error
    /// here means the folder does not take new files.
    pub fn beside(target: &Path) -> io::Result<Pending> {
        let file = tempfile::Builder::new()
            .prefix(&temp_prefix(target))
            .tempfile_in(folder_of(target))?;
        Ok(Pending {
            file,
            target: target.to_owned(),
        })
    }

    /// Lets `fill` write the content, syncs it, renames it over the target and syncs the
    /// folder. On an error the temporary file is removed and the target is as it was.
    pub fn finish(mut self, fill: impl FnOnce(&mut File) -> io::Result<()>) -> io::Result<()> {
        let file = self.file.as_file_mut();
        fill(file)?;
        file.flush()?;
        file.sync_all()?;
        self.file.persist(&self.target).map_err(|e| e.error)?;
        sync_folder(&folder_of(&self.target));
        Ok(())
    }
}

/// The start of the names of a target's temporary files: hidden, so that a reviewer looking at
/// the folder does not see them, and recognisable, so that one left by a crash can be removed.
pub fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.tmp-")
}

/// Links `target` under the name `link` (replacing it atomically): the previous version kept
/// without copying its bytes. Fails where the file system has no hard links.
pub fn link_atomic(target: &Path, link: &Path) -> io::Result<()> {
    let pending = tempfile::Builder::new()
        .prefix(&temp_prefix(link))
        .make_in(folder_of(link), |p| std::fs::hard_link(target, p))?;
    pending.persist(link).map_err(|e| e.error)?;
    sync_folder(&folder_of(link));
    Ok(())
}

/// The folder a file is in (`.` for a bare name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Makes a rename durable where the platform allows syncing a folder; a failure here does not
/// undo the write, so it is ignored.
pub fn sync_folder(folder: &Path) {
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
                    .filter(|n| n.contains(".tmp-"))
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
