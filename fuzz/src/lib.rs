//! Shared pieces of the fuzz targets: the invariants every ingested file must keep (an
//! extraction whose spans point at their raw text, or a Chinese error), and the builders that
//! shape fuzz bytes into zip containers so the XML readers inside docx/xlsx are reached.

use nianbao::check::run_checks;
use nianbao::extract::extract;
use nianbao::ingest::IngestError;
use nianbao::model::{CELL_COUNT, CellKey, SourceText};
use std::io::{Cursor, Write};

/// Separates the parts of a shaped input (`document.xml`, `numbering.xml`, … in that order).
/// The seed corpus uses it, so mutations keep it.
pub const PART_SEPARATOR: &[u8] = b"\n@@PART@@\n";

/// True for a CJK ideograph: every user-facing message is Chinese.
fn is_chinese(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Checks what `ingest::load` gave: an error must read as a Chinese sentence; a text is
/// extracted and checked, and every cell keeps the contract of the JSON output (200 cells; a
/// span exactly covers the cell's raw text; a number only where there is raw text).
pub fn check_loaded(result: Result<SourceText, IngestError>) {
    let source = match result {
        Ok(source) => source,
        Err(e) => {
            let message = e.to_string();
            assert!(
                message.chars().any(is_chinese),
                "error message is not Chinese: {message}"
            );
            return;
        }
    };
    let extraction = extract(&source);
    assert_eq!(extraction.cells.len(), CELL_COUNT);
    for key in CellKey::all() {
        let cell = extraction.cell(key);
        match (&cell.raw, cell.span) {
            (Some(raw), Some(span)) => {
                let slice = source.text.get(span.start..span.end);
                assert_eq!(slice, Some(raw.as_str()), "{key}: span does not cover raw");
            }
            (None, None) => {}
            (raw, span) => panic!("{key}: raw {raw:?} and span {span:?} disagree"),
        }
        if cell.value.is_some() {
            assert!(cell.raw.is_some(), "{key}: a value without raw text");
        }
    }
    for table in &extraction.tables {
        assert!(table.span.start <= table.span.end, "table span reversed");
        assert!(table.span.end <= source.text.len(), "table span out of range");
    }
    let _ = run_checks(&extraction, &source, &[]);
}

/// Splits a shaped input into at most `n` parts at [`PART_SEPARATOR`]; missing parts are `None`.
pub fn split_parts(data: &[u8], n: usize) -> Vec<Option<&[u8]>> {
    let mut parts = Vec::with_capacity(n);
    let mut rest = data;
    while parts.len() + 1 < n {
        match find(rest, PART_SEPARATOR) {
            Some(at) => {
                parts.push(Some(&rest[..at]));
                rest = &rest[at + PART_SEPARATOR.len()..];
            }
            None => break,
        }
    }
    parts.push(Some(rest));
    parts.resize(n, None);
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A zip container holding `parts` (name, bytes), deflated. Names are fixed by the targets, so
/// writing into memory cannot fail.
pub fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        writer.start_file(*name, options).expect("in-memory zip entry");
        writer.write_all(bytes).expect("in-memory zip write");
    }
    writer.finish().expect("in-memory zip finish").into_inner()
}

/// `[Content_Types].xml` of a Word document.
pub const DOCX_CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#;

/// `_rels/.rels` of a Word document.
pub const DOCX_RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// `[Content_Types].xml` of a workbook.
pub const XLSX_CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;

/// `_rels/.rels` of a workbook.
pub const XLSX_RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

/// `xl/_rels/workbook.xml.rels`: one sheet and the shared strings.
pub const XLSX_WORKBOOK_RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// `xl/workbook.xml` naming one visible sheet, used when the input has no workbook part.
pub const XLSX_WORKBOOK: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" state="visible" r:id="rId2"/></sheets></workbook>"#;

/// A Word document whose `document.xml`, `numbering.xml` and `styles.xml` are the parts of
/// `data` (see [`split_parts`]); a missing part is left out of the container.
pub fn docx_from_parts(data: &[u8]) -> Vec<u8> {
    let parts = split_parts(data, 3);
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", DOCX_CONTENT_TYPES),
        ("_rels/.rels", DOCX_RELS),
    ];
    for (name, part) in ["word/document.xml", "word/numbering.xml", "word/styles.xml"]
        .into_iter()
        .zip(parts)
    {
        if let Some(bytes) = part {
            entries.push((name, bytes));
        }
    }
    zip_of(&entries)
}

/// A workbook whose `sheet1.xml`, `sharedStrings.xml` and `workbook.xml` are the parts of
/// `data`; the workbook part defaults to one visible sheet.
pub fn xlsx_from_parts(data: &[u8]) -> Vec<u8> {
    let parts = split_parts(data, 3);
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", XLSX_CONTENT_TYPES),
        ("_rels/.rels", XLSX_RELS),
        ("xl/_rels/workbook.xml.rels", XLSX_WORKBOOK_RELS),
        ("xl/workbook.xml", parts[2].unwrap_or(XLSX_WORKBOOK)),
    ];
    if let Some(sheet) = parts[0] {
        entries.push(("xl/worksheets/sheet1.xml", sheet));
    }
    if let Some(strings) = parts[1] {
        entries.push(("xl/sharedStrings.xml", strings));
    }
    zip_of(&entries)
}
