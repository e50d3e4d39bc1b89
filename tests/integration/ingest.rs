//! Integration tests: ingest. Every format made from the seed reports
//! (`scripts/make-format-fixtures.sh`) must extract to the same 200 cells as the seed's text, and
//! hostile files of each kind must give a Chinese message quickly, without a panic.

use nianbao::extract::extract;
use nianbao::ingest::{IngestError, load, read_file};
use nianbao::model::{CellKey, SourceKind, SourceText};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The time a hostile file may take to be refused.
const HOSTILE_BUDGET: Duration = Duration::from_secs(2);

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn seeds() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures().join("seeds"))
        .expect("seeds dir")
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".txt").map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}

/// The published formats generated for each seed, with the source kind each must be read as.
const FORMATS: [&str; 10] = [
    "html",
    "gbk.html",
    "docx",
    "pdf",
    "xlsx",
    "ods",
    "xls",
    "text.docx",
    "text.pdf",
    "frames.docx",
];

fn expected_kind(format: &str, kind: &SourceKind) -> bool {
    match format {
        "html" => matches!(kind, SourceKind::Html { encoding } if encoding == "UTF-8"),
        "gbk.html" => matches!(kind, SourceKind::Html { encoding } if encoding == "GBK"),
        "docx" | "text.docx" | "frames.docx" => *kind == SourceKind::Docx,
        "pdf" | "text.pdf" => *kind == SourceKind::Pdf,
        _ => *kind == SourceKind::Spreadsheet,
    }
}

/// Cell-by-cell differences between two extractions, each naming the key.
fn differences(want: &SourceText, got: &SourceText) -> Vec<String> {
    let (a, b) = (extract(want), extract(got));
    let mut out = Vec::new();
    for key in CellKey::all() {
        let (x, y) = (&a.cells[key.index()], &b.cells[key.index()]);
        if x.raw != y.raw || x.value != y.value {
            out.push(format!("{key}: expected {:?}, got {:?}", x.raw, y.raw));
        }
        // The span must point at the text the window highlights.
        if let (Some(raw), Some(span)) = (&y.raw, y.span)
            && got.slice(span).trim() != raw
        {
            out.push(format!(
                "{key}: span {span:?} shows {:?}, not {raw:?}",
                got.slice(span)
            ));
        }
    }
    out
}

// Every seed in every published format extracts to the same 200 cells (raw text and value) as
// the seed's text, with spans that show the cell's text.
#[test]
fn formats_extract_like_their_seed() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for seed in seeds() {
        let text = read_file(&fixtures().join("seeds").join(format!("{seed}.txt"))).expect("seed");
        for format in FORMATS {
            let path = fixtures().join("formats").join(format!("{seed}.{format}"));
            let source = match read_file(&path) {
                Ok(s) => s,
                Err(e) => {
                    failures.push(format!("{seed}.{format}: {e}"));
                    continue;
                }
            };
            if !expected_kind(format, &source.kind) {
                failures.push(format!("{seed}.{format}: read as {:?}", source.kind));
            }
            for d in differences(&text, &source) {
                failures.push(format!("{seed}.{format}: {d}"));
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 5 * FORMATS.len(), "{failures:#?}");
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// The type comes from the content: a Word file named .txt, a PDF named .xlsx and a web page
// named .docx are each read as what they are.
#[test]
fn type_decided_by_content() {
    let seed = &seeds()[0];
    for (format, pretend) in [
        ("docx", "report.txt"),
        ("pdf", "report.xlsx"),
        ("html", "report.docx"),
    ] {
        let bytes = std::fs::read(fixtures().join("formats").join(format!("{seed}.{format}")))
            .expect("fixture");
        let source = load(&bytes, pretend).expect("load");
        assert!(
            expected_kind(format, &source.kind),
            "{format} named {pretend}: {:?}",
            source.kind
        );
    }
}

// A text report that quotes a tag in its first lines stays text when named .txt; the same bytes
// named .html, or a page with document tags named .txt, are read as a web page.
#[test]
fn html_tie_break_by_name() {
    let text =
        "某局2024年政府信息公开工作年度报告\n网页中的<p>标签\n二、主动公开政府信息情况\n规章\t0\n";
    let as_txt = load(text.as_bytes(), "report.txt").expect("txt");
    assert_eq!(as_txt.text, text);
    let as_html = load(text.as_bytes(), "report.html").expect("html");
    assert!(
        matches!(as_html.kind, SourceKind::Html { .. }),
        "{:?}",
        as_html.kind
    );
    let page = "<!DOCTYPE html><html><body><p>规章</p></body></html>";
    let page_txt = load(page.as_bytes(), "report.txt").expect("page");
    assert_eq!(page_txt.text, "规章\n");
}

/// Runs `f`, checks it finished within the budget, and returns its result.
fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < HOSTILE_BUDGET, "{what} took {took:?}");
    out
}

/// The message is a Chinese sentence.
fn assert_chinese(what: &str, e: &IngestError) {
    let msg = e.to_string();
    assert!(
        msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{what}: message not Chinese: {msg}"
    );
}

// Old binary Word files get the "save as .docx" message, whatever their name.
#[test]
fn legacy_word_message() {
    let bytes = std::fs::read(fixtures().join("formats/legacy-word.doc")).expect("fixture");
    for name in ["report.doc", "report.wps", "report.docx"] {
        let err = load(&bytes, name).expect_err("legacy word");
        assert_eq!(err, IngestError::LegacyWord, "{name}");
        assert!(err.to_string().contains(".docx"), "{err}");
    }
}

// A password-protected workbook (an OLE2 container with an encrypted package) says so.
#[test]
fn password_protected_xlsx() {
    let path = fixtures().join("formats/password-protected.xlsx");
    let err = timed("password-protected xlsx", || read_file(&path)).expect_err("encrypted");
    assert_eq!(err, IngestError::Encrypted);
    assert_chinese("encrypted", &err);
    assert!(err.to_string().contains("密码"), "{err}");
}

// A PDF with only a picture on its page says it is a scan needing OCR.
#[test]
fn scanned_pdf() {
    let path = fixtures().join("formats/scanned.pdf");
    let err = timed("scanned pdf", || read_file(&path)).expect_err("scanned");
    assert_eq!(err, IngestError::ScannedPdf);
    assert_eq!(err.to_string(), "扫描件，没有文字层，请先做文字识别");
}

fn zip_with(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(false);
        for (name, data) in parts {
            w.start_file(*name, options).expect("start");
            w.write_all(data).expect("write");
        }
        w.finish().expect("finish");
    }
    buf.into_inner()
}

/// A zip with a small part `first` (which makes it a Word or Excel file) and a part `part`
/// that inflates to `size` bytes of spaces.
fn zip_bomb(first: &str, part: &str, size: usize) -> Vec<u8> {
    let chunk = vec![b' '; 1 << 20];
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(false);
        w.start_file(first, options).expect("start");
        w.write_all(b"<x/>").expect("write");
        w.start_file(part, options).expect("start");
        w.write_all(b"<w:document><w:body><w:p><w:r><w:t>")
            .expect("write");
        for _ in 0..size / chunk.len() {
            w.write_all(&chunk).expect("write");
        }
        w.finish().expect("finish");
    }
    buf.into_inner()
}

/// Rewrites the sizes a zip declares for its entries (local headers and central directory) to
/// `declared`, as a hostile file would, so only the real inflated size can give it away.
fn lie_about_sizes(zip: &mut [u8], declared: u32) {
    let mut i = 0;
    while i + 46 <= zip.len() {
        if zip[i..].starts_with(b"PK\x03\x04") {
            zip[i + 22..i + 26].copy_from_slice(&declared.to_le_bytes());
        } else if zip[i..].starts_with(b"PK\x01\x02") {
            zip[i + 24..i + 28].copy_from_slice(&declared.to_le_bytes());
        }
        i += 1;
    }
}

// Zip bombs (a Word part and an Excel part inflating to 300 MB, also with sizes that lie) are
// refused within 2 s without inflating them into memory.
#[test]
fn zip_bombs() {
    for (what, bytes) in [
        (
            "docx bomb",
            zip_bomb("word/styles.xml", "word/document.xml", 300 << 20),
        ),
        (
            "xlsx bomb",
            zip_bomb("xl/workbook.xml", "xl/sharedStrings.xml", 300 << 20),
        ),
    ] {
        assert!(bytes.len() < 2 << 20, "{what} is {} bytes", bytes.len());
        let err = timed(what, || load(&bytes, "bomb.docx")).expect_err(what);
        assert_eq!(err, IngestError::ZipBomb, "{what}");
        assert_chinese(what, &err);
        let mut lying = bytes.clone();
        lie_about_sizes(&mut lying, 1000);
        let err = timed(what, || load(&lying, "bomb.docx")).expect_err(what);
        assert!(
            matches!(err, IngestError::ZipBomb | IngestError::Damaged(_)),
            "{what} with lying sizes: {err:?}"
        );
    }
}

// Every fixture cut short at many points, and with bytes flipped, gives a result or a Chinese
// message within 2 s, never a panic.
#[test]
fn truncated_and_damaged_files() {
    let seed = &seeds()[2];
    for format in FORMATS {
        let path = fixtures().join("formats").join(format!("{seed}.{format}"));
        let bytes = std::fs::read(&path).expect("fixture");
        let cuts = 40;
        for i in 1..cuts {
            let cut = bytes.len() * i / cuts;
            if let Err(e) = timed(&format!("{format} cut at {cut}"), || {
                load(&bytes[..cut], "x")
            }) {
                assert_chinese(&format!("{format} cut at {cut}"), &e);
            }
        }
        for i in 0..20usize {
            let mut damaged = bytes.clone();
            for j in 0..8 {
                let at = (i * 7919 + j * 104_729) % damaged.len();
                damaged[at] ^= 0x5A;
            }
            if let Err(e) = timed(&format!("{format} damaged #{i}"), || load(&damaged, "x")) {
                assert_chinese(&format!("{format} damaged #{i}"), &e);
            }
        }
    }
}

// A truncated Word file (the zip's central directory lost) is reported as incomplete.
#[test]
fn truncated_zip_message() {
    let seed = &seeds()[0];
    let bytes =
        std::fs::read(fixtures().join("formats").join(format!("{seed}.docx"))).expect("docx");
    let err = load(&bytes[..bytes.len() / 2], "report.docx").expect_err("truncated");
    assert!(matches!(err, IngestError::Damaged(_)), "{err:?}");
    assert!(err.to_string().contains("不完整"), "{err}");
}

// 10^5 nested tags in a Word part, a spreadsheet part and a web page: a message within 2 s.
#[test]
fn deeply_nested_tags() {
    let deep =
        |open: &str, close: &str| format!("{}{}", open.repeat(100_000), close.repeat(100_000));
    let docx = zip_with(&[(
        "word/document.xml",
        format!(
            "<w:document><w:body>{}</w:body></w:document>",
            deep("<w:sdt>", "</w:sdt>")
        )
        .as_bytes(),
    )]);
    let ods = zip_with(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        (
            "content.xml",
            format!(
                "<office:document-content>{}</office:document-content>",
                deep("<text:span>", "</text:span>")
            )
            .as_bytes(),
        ),
    ]);
    let html = format!("<html><body>{}</body></html>", deep("<span>", "</span>")).into_bytes();
    let table_html = format!(
        "<html><body>{}</body></html>",
        deep("<table><tr><td>", "</td></tr></table>")
    )
    .into_bytes();
    for (what, bytes) in [
        ("docx", docx),
        ("ods", ods),
        ("html", html),
        ("nested tables", table_html),
    ] {
        let err = timed(what, || load(&bytes, "deep")).expect_err(what);
        assert!(matches!(err, IngestError::TooComplex(_)), "{what}: {err:?}");
        assert_chinese(what, &err);
    }
}

// A PDF whose cross-reference table is broken (offsets wrong, or overwritten) is rebuilt from
// its objects and read in full; with no catalog left to rebuild from, it is refused with a
// message. Each within 2 s.
#[test]
fn pdf_with_broken_xref() {
    let seed = &seeds()[1];
    let text = read_file(&fixtures().join("seeds").join(format!("{seed}.txt"))).expect("seed");
    let bytes = std::fs::read(fixtures().join("formats").join(format!("{seed}.pdf"))).expect("pdf");
    let xref = bytes.windows(4).rposition(|w| w == b"xref").expect("xref");
    // Variant 1: every offset in the xref table shifted (digits rotated).
    let mut shifted = bytes.clone();
    for b in &mut shifted[xref + 4..] {
        if b.is_ascii_digit() {
            *b = b'0' + (*b - b'0' + 3) % 10;
        }
    }
    // Variant 2: the xref table overwritten with junk.
    let mut junk = bytes.clone();
    for b in junk[xref..].iter_mut().take(400) {
        *b = b'#';
    }
    // Variant 3: junk xref and no catalog to rebuild from: nothing to read.
    let mut hopeless = junk.clone();
    for w in 0..hopeless.len().saturating_sub(8) {
        if &hopeless[w..w + 8] == b"/Catalog" {
            hopeless[w + 7] = b'X';
        }
    }
    let err = timed("hopeless xref", || load(&hopeless, "broken.pdf")).expect_err("no catalog");
    assert!(matches!(err, IngestError::Damaged(_)), "{err:?}");
    assert_chinese("hopeless xref", &err);
    for (what, bad) in [("shifted offsets", shifted), ("junk xref", junk)] {
        match timed(what, || load(&bad, "broken.pdf")) {
            Ok(source) => {
                eprintln!("{what}: rebuilt and read");
                let diffs = differences(&text, &source);
                assert!(
                    diffs.is_empty(),
                    "{what}: read, but differently: {diffs:#?}"
                );
            }
            Err(e) => {
                eprintln!("{what}: {e}");
                assert_chinese(what, &e);
            }
        }
    }
}
