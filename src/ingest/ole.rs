//! OLE2 compound files (magic `D0 CF 11 E0`): old Excel workbooks are read with calamine; old
//! Word/WPS documents and password-protected Office files (whose encrypted package sits in an
//! OLE2 container whatever the file name says) get a message saying what to do.

use super::{IngestError, sheet};

/// The OLE2 signature.
pub(crate) const MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads an OLE2 file by the streams it holds.
pub(crate) fn read(bytes: &[u8]) -> Result<crate::model::SourceText, IngestError> {
    if has_stream(bytes, "EncryptedPackage") || has_stream(bytes, "EncryptionInfo") {
        return Err(IngestError::Encrypted);
    }
    if has_stream(bytes, "Workbook") || has_stream(bytes, "Book") {
        return sheet::read_xls(bytes);
    }
    if has_stream(bytes, "WordDocument") {
        return Err(IngestError::LegacyWord);
    }
    if has_stream(bytes, "PowerPoint Document") {
        return Err(IngestError::Unsupported(
            "PowerPoint 演示文稿；请把报告另存为 .docx 或 .pdf".to_owned(),
        ));
    }
    Err(IngestError::Unsupported(
        "旧版 Office 复合文档，但其中没有 Word 或 Excel 内容".to_owned(),
    ))
}

/// True when the compound file's directory has an entry of this name. Directory entries are
/// 128 bytes, aligned to 128 bytes in the file (sectors are 512 or 4096 bytes and the header
/// takes the first sector); each starts with its name in UTF-16LE and has the name's byte
/// length (with the terminating NUL) at offset 64. Checking both makes a match in file
/// content practically impossible.
fn has_stream(bytes: &[u8], name: &str) -> bool {
    let mut encoded: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    encoded.extend_from_slice(&[0, 0]);
    let len_field = (encoded.len() as u16).to_le_bytes();
    bytes
        .chunks_exact(128)
        .skip(4)
        .any(|entry| entry.starts_with(&encoded) && entry[64..66] == len_field)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compound_with(name: &str) -> Vec<u8> {
        let mut bytes = MAGIC.to_vec();
        bytes.resize(1024, 0);
        let mut entry: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        entry.extend_from_slice(&[0, 0]);
        let len = entry.len() as u16;
        entry.resize(128, 0);
        entry[64..66].copy_from_slice(&len.to_le_bytes());
        bytes.extend_from_slice(&entry);
        bytes
    }

    // A password-protected xlsx/docx (an OLE2 EncryptedPackage) and an old Word file each get
    // their own message.
    #[test]
    fn classifies_streams() {
        assert_eq!(
            read(&compound_with("EncryptedPackage")),
            Err(IngestError::Encrypted)
        );
        assert_eq!(
            read(&compound_with("WordDocument")),
            Err(IngestError::LegacyWord)
        );
        assert!(matches!(
            read(&compound_with("Something")),
            Err(IngestError::Unsupported(_))
        ));
        // A damaged workbook is a message, not a panic.
        assert!(matches!(
            read(&compound_with("Workbook")),
            Err(IngestError::Damaged(_))
        ));
    }
}
