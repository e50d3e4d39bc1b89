//! OLE2 compound files (magic `D0 CF 11 E0`): old Excel workbooks are read with calamine; old
//! Word/WPS documents and password-protected Office files (whose encrypted package sits in an
//! OLE2 container whatever the file name says) get a message saying what to do.

use super::{IngestError, limits, sheet};

/// The OLE2 signature.
pub(crate) const MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads an OLE2 file by the streams it holds.
pub(crate) fn read(bytes: &[u8]) -> Result<crate::model::SourceText, IngestError> {
    if has_stream(bytes, "EncryptedPackage") || has_stream(bytes, "EncryptionInfo") {
        return Err(IngestError::Encrypted);
    }
    if has_stream(bytes, "Workbook") || has_stream(bytes, "Book") {
        check_workbook(bytes)?;
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
        "旧版 Office 复合文档，其中没有 Word 或 Excel 内容；请在原软件中另存为 .docx 或 .xlsx 后再打开"
            .to_owned(),
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

/// Refuses an .xls whose sheets would be laid out on a grid larger than
/// [`limits::MAX_XLS_GRID_CELLS`]: calamine reads every sheet into a dense grid spanning its
/// first to last cell (and reserves what the DIMENSIONS record claims) before anything can be
/// checked, so a file with two cells in far corners would take a gigabyte. The Workbook stream
/// is read from the compound file here and its cell records scanned for their positions. A
/// file this scan cannot follow is left to calamine, which reports the damage.
fn check_workbook(bytes: &[u8]) -> Result<(), IngestError> {
    let Some(stream) =
        Compound::open(bytes).and_then(|c| c.stream("Workbook").or_else(|| c.stream("Book")))
    else {
        return Ok(());
    };
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

/// Just enough of the compound file format to read one stream: the FAT (through the DIFAT),
/// the directory, and the mini stream for small streams. Every chain is followed at most as
/// many steps as the table has entries, so a cyclic chain ends.
struct Compound<'a> {
    bytes: &'a [u8],
    sector: usize,
    fat: Vec<u32>,
    dir: Vec<u8>,
    cutoff: u64,
    first_minifat: u32,
}

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

impl<'a> Compound<'a> {
    fn open(bytes: &'a [u8]) -> Option<Self> {
        let u16_at = |i: usize| {
            bytes
                .get(i..i + 2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
        };
        let u32_at = |i: usize| {
            bytes
                .get(i..i + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        if !bytes.starts_with(&MAGIC) {
            return None;
        }
        let shift = u16_at(30)?;
        if shift != 9 && shift != 12 {
            return None;
        }
        let sector = 1usize << shift;
        let mut fat_sectors: Vec<u32> = (0..109)
            .filter_map(|i| u32_at(76 + 4 * i))
            .filter(|&s| s < END_OF_CHAIN)
            .collect();
        let mut difat = u32_at(68)?;
        for _ in 0..u32_at(72)?.min(1 << 16) {
            if difat >= END_OF_CHAIN {
                break;
            }
            let base = (difat as usize + 1) * sector;
            let per = sector / 4 - 1;
            fat_sectors.extend(
                (0..per)
                    .filter_map(|i| u32_at(base + 4 * i))
                    .filter(|&s| s < END_OF_CHAIN),
            );
            difat = u32_at(base + 4 * per)?;
        }
        let mut fat = Vec::new();
        for s in fat_sectors {
            let base = (s as usize + 1) * sector;
            let chunk = bytes.get(base..base + sector)?;
            fat.extend(
                chunk
                    .chunks_exact(4)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            );
            if fat.len() > bytes.len() {
                return None;
            }
        }
        let mut c = Compound {
            bytes,
            sector,
            fat,
            dir: Vec::new(),
            cutoff: u64::from(u32_at(56)?),
            first_minifat: u32_at(60)?,
        };
        c.dir = c.chain(u32_at(48)?, u64::MAX)?;
        Some(c)
    }

    /// Where each sector of a regular stream's chain starts in the file (for tests that patch
    /// a stream in place).
    #[cfg(test)]
    fn sector_offsets(&self, name: &str) -> Vec<usize> {
        let Some((_, (mut s, _))) = self.entries(name) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        while s < END_OF_CHAIN && out.len() <= self.fat.len() {
            out.push((s as usize + 1) * self.sector);
            s = self.fat.get(s as usize).copied().unwrap_or(END_OF_CHAIN);
        }
        out
    }

    /// The bytes of a chain of regular sectors, cut to `size`.
    fn chain(&self, mut s: u32, size: u64) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        for _ in 0..=self.fat.len() {
            if s >= END_OF_CHAIN || out.len() as u64 >= size {
                break;
            }
            let base = (s as usize + 1) * self.sector;
            out.extend_from_slice(self.bytes.get(base..base + self.sector)?);
            s = *self.fat.get(s as usize)?;
        }
        if size < out.len() as u64 {
            out.truncate(size as usize);
        }
        Some(out)
    }

    /// The root entry's start sector and size (the mini stream), and the named stream's.
    fn entries(&self, name: &str) -> Option<((u32, u64), (u32, u64))> {
        let wanted: Vec<u16> = name.encode_utf16().collect();
        let entry_of = |e: &[u8]| {
            let start = u32::from_le_bytes([e[116], e[117], e[118], e[119]]);
            let size = u64::from(u32::from_le_bytes([e[120], e[121], e[122], e[123]]));
            (start, size)
        };
        let entries: Vec<&[u8]> = self.dir.chunks_exact(128).collect();
        let root = entry_of(entries.iter().find(|e| e[66] == 5)?);
        let entry = entries.iter().find(|e| {
            let len = usize::from(u16::from_le_bytes([e[64], e[65]])).min(64);
            let units: Vec<u16> = e[..len.saturating_sub(2)]
                .chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .collect();
            e[66] == 2 && units == wanted
        })?;
        Some((root, entry_of(entry)))
    }

    /// The named stream's bytes.
    fn stream(&self, name: &str) -> Option<Vec<u8>> {
        let ((root_start, root_size), (start, size)) = self.entries(name)?;
        if size >= self.cutoff {
            return self.chain(start, size);
        }
        // A small stream lives in the mini stream, in 64-byte sectors chained by the mini FAT.
        let mini = self.chain(root_start, root_size)?;
        let minifat: Vec<u32> = self
            .chain(self.first_minifat, u64::MAX)?
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let mut out = Vec::new();
        let mut s = start;
        for _ in 0..=minifat.len() {
            if s >= END_OF_CHAIN || out.len() as u64 >= size {
                break;
            }
            let base = s as usize * 64;
            out.extend_from_slice(mini.get(base..base + 64)?);
            s = *minifat.get(s as usize)?;
        }
        out.truncate(size.min(out.len() as u64) as usize);
        Some(out)
    }
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

    // A real .xls: the Workbook stream is found and scanned; within limits it passes.
    #[test]
    fn reads_workbook_stream() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/formats/002_fb4184b46a4aab68.xls"
        );
        let bytes = std::fs::read(path).expect("fixture");
        let stream = Compound::open(&bytes)
            .and_then(|c| c.stream("Workbook"))
            .expect("workbook stream");
        // BIFF8 starts with a BOF record.
        assert_eq!(&stream[..2], &[0x09, 0x08]);
        assert_eq!(check_workbook(&bytes), Ok(()));
    }

    // A workbook whose cells sit in far corners (or whose DIMENSIONS claim the whole sheet)
    // is refused before calamine allocates the dense grid.
    #[test]
    fn refuses_huge_grids() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/formats/002_fb4184b46a4aab68.xls"
        );
        let bytes = std::fs::read(path).expect("fixture");
        let c = Compound::open(&bytes).expect("compound");
        let stream = c.stream("Workbook").expect("stream");
        // Patch the first sheet's DIMENSIONS record in place to claim the whole sheet.
        let sectors = c.sector_offsets("Workbook");
        let file_at = |pos: usize| sectors[pos / c.sector] + pos % c.sector;
        let mut pos = 0;
        let mut patched = bytes.clone();
        while pos + 4 <= stream.len() {
            let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
            let len = usize::from(u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]));
            if typ == 0x0200 && len >= 14 {
                let claim = [0u32.to_le_bytes(), 65_536u32.to_le_bytes()].concat();
                let cols = [0u16.to_le_bytes(), 256u16.to_le_bytes()].concat();
                for (i, b) in claim.iter().chain(&cols).enumerate() {
                    patched[file_at(pos + 4 + i)] = *b;
                }
                break;
            }
            pos += 4 + len;
        }
        assert_ne!(patched, bytes, "no DIMENSIONS record patched");
        let err = read(&patched).expect_err("huge grid");
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
}
