//! OLE2 compound files (magic `D0 CF 11 E0`): old Excel workbooks are read with calamine; old
//! Word/WPS documents and password-protected Office files (whose encrypted package sits in an
//! OLE2 container whatever the file name says) get a message saying what to do.

use std::io::{Cursor, Read};

use cfb::CompoundFile;

use super::{IngestError, limits, sheet};

/// The OLE2 signature.
pub(crate) const MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads an OLE2 file by the streams at the top of its container. The container is walked by
/// the `cfb` crate, which refuses a damaged one (a truncated file, a sector chain running in a
/// loop, a FAT pointing outside the file) with an error.
pub(crate) fn read(bytes: &[u8]) -> Result<crate::model::SourceText, IngestError> {
    let mut file = CompoundFile::open(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let names: Vec<String> = file
        .read_root_storage()
        .filter(cfb::Entry::is_stream)
        .map(|e| e.name().to_owned())
        .collect();
    let has_stream = |name: &str| names.iter().any(|n| n == name);
    if has_stream("EncryptedPackage") || has_stream("EncryptionInfo") {
        return Err(IngestError::Encrypted);
    }
    let workbook = ["Workbook", "Book"].into_iter().find(|n| has_stream(n));
    if let Some(name) = workbook {
        check_workbook(&read_stream(&mut file, name)?)?;
        return sheet::read_xls(bytes);
    }
    if has_stream("WordDocument") {
        return Err(IngestError::LegacyWord);
    }
    if has_stream("PowerPoint Document") {
        return Err(IngestError::Unsupported(
            "PowerPoint 演示文稿；请把报告另存为 .docx 或 .pdf".to_owned(),
        ));
    }
    Err(IngestError::Unsupported(
        "旧版 Office 复合文档，其中没有 Word 或 Excel 内容；请在原软件中另存为 .docx 或 .xlsx 后再打开"
            .to_owned(),
    ))
}

/// A compound file whose container cannot be walked.
fn damaged(e: &std::io::Error) -> IngestError {
    IngestError::Damaged(format!(
        "旧版 Office 复合文档的结构已损坏（{e}），请用 Word/Excel/WPS 打开后另存为 .docx 或 .xlsx"
    ))
}

/// The bytes of a stream at the top of the container. A stream is never longer than the file
/// holding it ([`limits::MAX_FILE_BYTES`] at most); the read stops there whatever the directory
/// entry claims.
fn read_stream(file: &mut CompoundFile<Cursor<&[u8]>>, name: &str) -> Result<Vec<u8>, IngestError> {
    let mut stream = file.open_stream(name).map_err(|e| damaged(&e))?;
    let mut out = Vec::new();
    (&mut stream)
        .take(limits::MAX_FILE_BYTES)
        .read_to_end(&mut out)
        .map_err(|e| damaged(&e))?;
    Ok(out)
}

/// Refuses an .xls whose sheets would be laid out on a grid larger than
/// [`limits::MAX_XLS_GRID_CELLS`]: calamine reads every sheet into a dense grid spanning its
/// first to last cell (and reserves what the DIMENSIONS record claims) before anything can be
/// checked, so a file with two cells in far corners would take a gigabyte. The Workbook stream
/// (read from the compound file by the caller) is scanned for the positions of its cell records.
fn check_workbook(stream: &[u8]) -> Result<(), IngestError> {
    let too_big = || {
        IngestError::TooComplex(format!(
            "工作表的单元格范围超过 {} 个",
            limits::MAX_XLS_GRID_CELLS
        ))
    };
    // Per sheet substream: the bounds of its cells and of its DIMENSIONS claim.
    let mut bounds: Option<(u32, u32, u32, u32)> = None;
    let mut claimed = 0u64;
    let check = |bounds: Option<(u32, u32, u32, u32)>, claimed: u64| {
        let area = bounds.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        });
        area.max(claimed) <= limits::MAX_XLS_GRID_CELLS as u64
    };
    let mut pos = 0usize;
    while pos + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]));
        let data = &stream[pos + 4..(pos + 4 + len).min(stream.len())];
        pos += 4 + len;
        let u16_at = |i: usize| {
            data.get(i..i + 2)
                .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
        };
        let u32_at = |i: usize| {
            data.get(i..i + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        match typ {
            // BOF: a new substream; the one before is done.
            0x0809 | 0x0409 | 0x0209 | 0x0009 => {
                if !check(bounds, claimed) {
                    return Err(too_big());
                }
                bounds = None;
                claimed = 0;
            }
            // FILEPASS: the rest is encrypted.
            0x002F => return Err(IngestError::Encrypted),
            // DIMENSIONS (BIFF8 has 32-bit rows, BIFF5 16-bit).
            0x0200 => {
                let (rows, cols) = if len >= 14 {
                    (
                        u32_at(4)
                            .unwrap_or(0)
                            .saturating_sub(u32_at(0).unwrap_or(0)),
                        u16_at(10)
                            .unwrap_or(0)
                            .saturating_sub(u16_at(8).unwrap_or(0)),
                    )
                } else {
                    (
                        u16_at(2)
                            .unwrap_or(0)
                            .saturating_sub(u16_at(0).unwrap_or(0)),
                        u16_at(6)
                            .unwrap_or(0)
                            .saturating_sub(u16_at(4).unwrap_or(0)),
                    )
                };
                claimed = u64::from(rows) * u64::from(cols);
            }
            // Cell records: row, then column (MULRK: first and last column).
            0x0203 | 0x0204 | 0x00FD | 0x027E | 0x0205 | 0x0006 | 0x00D6 | 0x00BD => {
                let (Some(row), Some(col)) = (u16_at(0), u16_at(2)) else {
                    continue;
                };
                let last_col = if typ == 0x00BD && len >= 6 {
                    u16_at(len - 2).unwrap_or(col)
                } else {
                    col
                };
                bounds = Some(match bounds {
                    None => (row, row, col.min(last_col), col.max(last_col)),
                    Some((r0, r1, c0, c1)) => (
                        r0.min(row),
                        r1.max(row),
                        c0.min(col).min(last_col),
                        c1.max(col).max(last_col),
                    ),
                });
            }
            _ => {}
        }
    }
    if check(bounds, claimed) {
        Ok(())
    } else {
        Err(too_big())
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A compound file holding one stream of this name and content at its top.
    fn compound(name: &str, content: &[u8]) -> Vec<u8> {
        let mut file = CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
            .expect("create");
        file.create_stream(name)
            .expect("stream")
            .write_all(content)
            .expect("write");
        file.flush().expect("flush");
        file.into_inner().into_inner()
    }

    fn compound_with(name: &str) -> Vec<u8> {
        compound(name, b"x")
    }

    fn fixture_xls() -> Vec<u8> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/formats/002_fb4184b46a4aab68.xls"
        );
        std::fs::read(path).expect("fixture")
    }

    fn workbook_stream(bytes: &[u8]) -> Vec<u8> {
        let mut file = CompoundFile::open(Cursor::new(bytes)).expect("compound");
        read_stream(&mut file, "Workbook").expect("workbook stream")
    }

    // A real .xls: the Workbook stream is found and scanned; within limits it passes.
    #[test]
    fn reads_workbook_stream() {
        let bytes = fixture_xls();
        let stream = workbook_stream(&bytes);
        // BIFF8 starts with a BOF record.
        assert_eq!(&stream[..2], &[0x09, 0x08]);
        assert_eq!(check_workbook(&stream), Ok(()));
        assert!(read(&bytes).is_ok());
    }

    // A workbook whose cells sit in far corners (or whose DIMENSIONS claim the whole sheet)
    // is refused before calamine allocates the dense grid.
    #[test]
    fn refuses_huge_grids() {
        let mut stream = workbook_stream(&fixture_xls());
        // Patch the first sheet's DIMENSIONS record to claim the whole sheet.
        let mut pos = 0;
        let mut patched = false;
        while pos + 4 <= stream.len() {
            let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
            let len = usize::from(u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]));
            if typ == 0x0200 && len >= 14 {
                let claim = [0u32.to_le_bytes(), 65_536u32.to_le_bytes()].concat();
                let cols = [0u16.to_le_bytes(), 256u16.to_le_bytes()].concat();
                for (i, b) in claim.iter().chain(&cols).enumerate() {
                    stream[pos + 4 + i] = *b;
                }
                patched = true;
                break;
            }
            pos += 4 + len;
        }
        assert!(patched, "no DIMENSIONS record patched");
        let err = read(&compound("Workbook", &stream)).expect_err("huge grid");
        assert!(matches!(err, IngestError::TooComplex(_)), "{err:?}");
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

    // A container cut short anywhere (in the header, the FAT, the directory or a stream) is
    // refused as damaged or read, never a panic.
    #[test]
    fn truncated_containers() {
        let bytes = fixture_xls();
        for cut in (0..bytes.len())
            .step_by(97)
            .chain([8, 76, 512, bytes.len() - 1])
        {
            if let Err(e) = read(&bytes[..cut]) {
                assert!(matches!(e, IngestError::Damaged(_)), "cut at {cut}: {e:?}");
            }
        }
        assert!(matches!(read(&bytes[..600]), Err(IngestError::Damaged(_))));
    }

    // A stream whose sector chain runs back to its first sector (a FAT loop) is refused as
    // damaged instead of being read forever.
    #[test]
    fn fat_loop() {
        let mut bytes = compound("Workbook", &[7u8; 20_000]);
        // Version 3 file: 512-byte sectors; the first FAT sector is listed at offset 76.
        let fat_at =
            (u32::from_le_bytes([bytes[76], bytes[77], bytes[78], bytes[79]]) as usize + 1) * 512;
        let entry = |b: &[u8], i: usize| {
            u32::from_le_bytes([
                b[fat_at + 4 * i],
                b[fat_at + 4 * i + 1],
                b[fat_at + 4 * i + 2],
                b[fat_at + 4 * i + 3],
            ])
        };
        // The stream's chain: the longest run of sectors each pointing to the next.
        let first = (0..128)
            .find(|&i| entry(&bytes, i) == i as u32 + 1 && entry(&bytes, i + 1) == i as u32 + 2)
            .expect("a chain");
        let mut last = first;
        while entry(&bytes, last) == last as u32 + 1 {
            last += 1;
        }
        bytes[fat_at + 4 * last..fat_at + 4 * last + 4]
            .copy_from_slice(&(first as u32).to_le_bytes());
        let err = read(&bytes).expect_err("a loop");
        assert!(
            matches!(&err, IngestError::Damaged(m) if m.contains("复合文档的结构已损坏")),
            "{err:?}"
        );
    }
}
