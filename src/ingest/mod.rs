//! Bytes → SourceText. Decides the file type by content, decodes text encodings, and refuses
//! what cannot be a report (too large, empty, binary) with a Chinese message. All limits against
//! hostile files live in [`limits`].

mod archive;
mod blocks;
mod digest;
mod docx;
pub mod fs;
mod html;
pub mod inputs;
pub mod limits;
mod odf;
mod ole;
mod pdf;
mod sheet;
mod text;
mod xml;

use crate::model::SourceText;
use std::path::Path;

pub use digest::{sha256_file, sha256_hex};
pub use fs::{NOT_A_REGULAR_FILE, read_bytes};
pub use text::decode_text;

/// Why a file could not be turned into text. `Display` gives the Chinese message shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    /// The file could not be opened or read (the reason in Chinese, from its kind).
    #[error("无法读取文件：{0}")]
    Io(String),
    /// The path is a directory.
    #[error("这是一个文件夹，不是报告文件")]
    IsDirectory,
    /// Larger than [`limits::MAX_FILE_BYTES`].
    #[error(
        "文件太大（{:.1} MB），超过 {} MB 的上限，未打开",
        *size as f64 / 1_048_576.0,
        limits::MAX_FILE_BYTES / 1_048_576
    )]
    TooLarge {
        /// Size in bytes.
        size: u64,
    },
    /// Zero bytes, or only white space.
    #[error("文件是空的")]
    Empty,
    /// Not text and not a supported document format.
    #[error("无法识别的文件格式：不是文本，也不是 Word、网页、PDF 或表格文件")]
    Binary,
    /// An old binary Word/WPS document.
    #[error("这是旧版 Word/WPS 文件（.doc/.wps），请先另存为 .docx 后再打开")]
    LegacyWord,
    /// A document that is damaged or not what its type says.
    #[error("文件已损坏或格式不符：{0}")]
    Damaged(String),
    /// A PDF with no text layer.
    #[error("扫描件，没有文字层，请先做文字识别")]
    ScannedPdf,
    /// A format recognised but not supported.
    #[error("暂不支持这种文件：{0}")]
    Unsupported(String),
    /// A password-protected document.
    #[error("文件设置了密码保护，无法读取：请先取消密码（另存为不加密的文件）后再打开")]
    Encrypted,
    /// A zip container whose parts inflate past [`limits::MAX_UNZIPPED_BYTES`] (a zip bomb), or a
    /// PDF whose streams inflate past [`limits::MAX_PDF_INFLATED_BYTES`].
    #[error("文件解压后的内容异常庞大（超过安全上限，可能是恶意构造的文件），未打开")]
    ZipBomb,
    /// A document whose structure passes a limit in [`limits`] (nesting, cells, columns…).
    #[error("文件结构异常复杂（{0}），超过安全上限，未打开")]
    TooComplex(String),
}

/// Reads a report file: refuses directories and files over the size limit before loading them.
pub fn read_file(path: &Path) -> Result<SourceText, IngestError> {
    let bytes = fs::read_bytes(path, limits::MAX_FILE_BYTES)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    load(&bytes, name)
}

/// A Chinese rendering of common I/O errors.
fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "文件不存在".to_owned(),
        ErrorKind::PermissionDenied => "没有读取权限".to_owned(),
        ErrorKind::NotADirectory => "路径中的某一级不是文件夹".to_owned(),
        ErrorKind::IsADirectory => "这是一个文件夹".to_owned(),
        ErrorKind::InvalidFilename => "文件名无效或过长".to_owned(),
        _ => format!("系统错误（{e}）"),
    }
}

/// Turns a file's bytes into text. The type is decided by content (magic bytes, the parts of a
/// zip container, the first tags of a web page); the name only breaks one tie: a `.txt` file
/// whose first lines merely contain body tags (`<p>`, `<table>`) stays plain text.
pub fn load(bytes: &[u8], name: &str) -> Result<SourceText, IngestError> {
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        return Err(IngestError::TooLarge {
            size: bytes.len() as u64,
        });
    }
    match sniff(bytes, name) {
        Format::Zip => read_zip(bytes),
        Format::Pdf => pdf::read(bytes),
        Format::Ole => ole::read(bytes),
        Format::Rtf => Err(IngestError::Unsupported(
            "RTF 格式文档；请用 Word/WPS 另存为 .docx 后再打开".to_owned(),
        )),
        Format::Mhtml => html::read_mhtml(bytes),
        Format::Html => html::read(bytes),
        Format::Text => decode_text(bytes),
    }
}

/// File formats told apart by content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Zip,
    Pdf,
    Ole,
    Rtf,
    Mhtml,
    Html,
    Text,
}

fn sniff(bytes: &[u8], name: &str) -> Format {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Format::Zip;
    }
    if bytes.starts_with(&ole::MAGIC) {
        return Format::Ole;
    }
    // Acrobat accepts the header anywhere in the first 1024 bytes.
    let head = &bytes[..bytes.len().min(1024)];
    if memchr::memmem::find(head, b"%PDF-").is_some() {
        return Format::Pdf;
    }
    if bytes.starts_with(b"{\\rtf") {
        return Format::Rtf;
    }
    if html::looks_like_mhtml(bytes) {
        return Format::Mhtml;
    }
    let text_name = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "txt" | "text" | "md"));
    match html::html_signal(bytes) {
        html::HtmlSignal::Strong => Format::Html,
        html::HtmlSignal::Weak if !text_name => Format::Html,
        _ => Format::Text,
    }
}

/// A zip container: Word, Excel or OpenDocument by the parts inside.
fn read_zip(bytes: &[u8]) -> Result<SourceText, IngestError> {
    let mut archive = archive::Archive::open(bytes)?;
    match archive.kind() {
        archive::ZipKind::Docx => docx::read(&mut archive),
        archive::ZipKind::Xlsx => sheet::read_xlsx(bytes, &mut archive),
        archive::ZipKind::Ods => odf::read(&mut archive, true),
        archive::ZipKind::Odt => odf::read(&mut archive, false),
        archive::ZipKind::Xlsb => Err(IngestError::Unsupported(
            "Excel 二进制工作簿（.xlsb）；请另存为 .xlsx 后再打开".to_owned(),
        )),
        archive::ZipKind::Other => Err(IngestError::Unsupported(
            "压缩包，其中不是 Word、Excel 或 OpenDocument 文档".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The one file reader refuses a folder, a named pipe (which would block until a writer
    // came) and a file over the limit, and reads a file at the limit.
    #[test]
    fn read_bytes_refuses_what_is_not_a_small_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(
            read_bytes(dir.path(), 10).map_err(|e| e.to_string()),
            Err(IngestError::IsDirectory.to_string())
        );
        let file = dir.path().join("a.txt");
        std::fs::write(&file, b"0123456789").expect("write");
        assert_eq!(read_bytes(&file, 10).ok(), Some(b"0123456789".to_vec()));
        assert!(matches!(
            read_bytes(&file, 9),
            Err(IngestError::TooLarge { size: 10 })
        ));
        #[cfg(unix)]
        {
            let fifo = dir.path().join("pipe");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                let e = read_bytes(&fifo, 10).map_err(|e| e.to_string());
                assert_eq!(e, Err(format!("无法读取文件：{NOT_A_REGULAR_FILE}")));
            }
        }
    }
}
