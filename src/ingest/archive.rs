//! Zip containers (.docx, .xlsx, .ods): opened from bytes, checked against the entry-count and
//! inflated-size limits before anything is parsed, and read part by part with a bounded reader.

use super::{IngestError, limits};
use std::io::{Cursor, Read};
use zip::ZipArchive;

/// What a zip container holds, decided by the parts inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ZipKind {
    /// Word 2007+ (`word/document.xml`).
    Docx,
    /// Excel 2007+ (`xl/workbook.xml`).
    Xlsx,
    /// Excel binary workbook (`xl/workbook.bin`).
    Xlsb,
    /// OpenDocument spreadsheet.
    Ods,
    /// OpenDocument text.
    Odt,
    /// Some other zip file.
    Other,
}

/// An opened zip container whose XML parts are known to inflate within the limits.
pub(crate) struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
}

impl<'a> Archive<'a> {
    /// Opens a zip from bytes and inflates every XML part once (discarding the output) to prove
    /// that together they stay under [`limits::MAX_UNZIPPED_BYTES`].
    pub fn open(bytes: &'a [u8]) -> Result<Self, IngestError> {
        let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged_zip(&e))?;
        if zip.len() > limits::MAX_ZIP_ENTRIES {
            return Err(IngestError::TooComplex(format!(
                "压缩包内有 {} 个文件，超过 {} 个的上限",
                zip.len(),
                limits::MAX_ZIP_ENTRIES
            )));
        }
        let mut budget = limits::MAX_UNZIPPED_BYTES;
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).map_err(|e| damaged_zip(&e))?;
            let parsed = entry.name().is_ok_and(|n| is_parsed_part(&n));
            if entry.is_dir() || !parsed {
                continue;
            }
            if entry.encrypted() {
                return Err(IngestError::Encrypted);
            }
            // The declared size may lie; the bounded copy below is what counts.
            if entry.size() > budget {
                return Err(IngestError::ZipBomb);
            }
            let copied = std::io::copy(&mut (&mut entry).take(budget + 1), &mut std::io::sink())
                .map_err(|_| damaged_part())?;
            if copied > budget {
                return Err(IngestError::ZipBomb);
            }
            budget -= copied;
        }
        Ok(Self { zip })
    }

    /// Decides what the container is from the parts it holds.
    pub fn kind(&mut self) -> ZipKind {
        let has = |zip: &ZipArchive<Cursor<&[u8]>>, name: &str| zip.index_for_name(name).is_some();
        if has(&self.zip, "word/document.xml") {
            return ZipKind::Docx;
        }
        if has(&self.zip, "xl/workbook.xml") {
            return ZipKind::Xlsx;
        }
        if has(&self.zip, "xl/workbook.bin") {
            return ZipKind::Xlsb;
        }
        match self.read_part("mimetype") {
            Ok(Some(m)) if m.trim_ascii() == b"application/vnd.oasis.opendocument.spreadsheet" => {
                ZipKind::Ods
            }
            Ok(Some(m)) if m.trim_ascii() == b"application/vnd.oasis.opendocument.text" => {
                ZipKind::Odt
            }
            _ => ZipKind::Other,
        }
    }

    /// The names of all parts, in the container's order.
    pub fn part_names(&self) -> Vec<String> {
        self.zip
            .file_names()
            .filter_map(|n| n.ok().map(std::borrow::Cow::into_owned))
            .collect()
    }

    /// Reads a whole part, or `None` when the container has no part of that name.
    pub fn read_part(&mut self, name: &str) -> Result<Option<Vec<u8>>, IngestError> {
        let Some(index) = self.zip.index_for_name(name) else {
            return Ok(None);
        };
        let mut entry = self.zip.by_index(index).map_err(|e| damaged_zip(&e))?;
        if entry.encrypted() {
            return Err(IngestError::Encrypted);
        }
        let mut out = Vec::new();
        (&mut entry)
            .take(limits::MAX_UNZIPPED_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|_| damaged_part())?;
        if out.len() as u64 > limits::MAX_UNZIPPED_BYTES {
            return Err(IngestError::ZipBomb);
        }
        Ok(Some(out))
    }
}

/// Parts that a reader parses (XML and relationship parts); pictures and fonts are never inflated.
fn is_parsed_part(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".xml")
        || lower.ends_with(".rels")
        || lower.ends_with(".bin")
        || lower == "mimetype"
}

fn damaged_zip(e: &zip::result::ZipError) -> IngestError {
    use zip::result::ZipError;
    match e {
        ZipError::UnsupportedArchive(what)
            if what.contains("assword") || what.contains("ncrypt") =>
        {
            IngestError::Encrypted
        }
        ZipError::InvalidPassword => IngestError::Encrypted,
        ZipError::Io(_) | ZipError::InvalidArchive(_) => IngestError::Damaged(
            "压缩结构不完整（文件可能没有下载完整或已截断），请重新获取原文件".to_owned(),
        ),
        _ => {
            IngestError::Damaged("压缩结构无法识别，请用 Word/Excel/WPS 打开后另存一份".to_owned())
        }
    }
}

fn damaged_part() -> IngestError {
    IngestError::Damaged("文件内部的数据已损坏（解压失败或校验不符），请重新获取原文件".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            for (name, data) in parts {
                w.start_file(*name, SimpleFileOptions::default())
                    .expect("start");
                w.write_all(data).expect("write");
            }
            w.finish().expect("finish");
        }
        buf.into_inner()
    }

    // The container type comes from the parts inside, not from the file name.
    #[test]
    fn kinds() {
        let docx = zip_of(&[("word/document.xml", b"<w:document/>")]);
        assert_eq!(Archive::open(&docx).expect("open").kind(), ZipKind::Docx);
        let xlsx = zip_of(&[("xl/workbook.xml", b"<workbook/>")]);
        assert_eq!(Archive::open(&xlsx).expect("open").kind(), ZipKind::Xlsx);
        let ods = zip_of(&[(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        )]);
        assert_eq!(Archive::open(&ods).expect("open").kind(), ZipKind::Ods);
        let other = zip_of(&[("readme.txt", b"hello")]);
        assert_eq!(Archive::open(&other).expect("open").kind(), ZipKind::Other);
    }

    // A truncated zip is reported as damaged, at every cut point.
    #[test]
    fn truncated() {
        let docx = zip_of(&[("word/document.xml", &[b'x'; 3000])]);
        for cut in (0..docx.len()).step_by(97) {
            assert!(Archive::open(&docx[..cut]).is_err(), "cut at {cut}");
        }
    }
}
