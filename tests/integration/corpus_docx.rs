//! Integration tests: Word files made from a PDF by a converter that puts every line in its own
//! positioned text box (`scripts/make-frames-fixtures.sh`: LibreOffice's writer_pdf_import on the
//! corpus PDFs and the seeds' PDFs), and the body and year of the corpus reports
//! (`tests/fixtures/corpus/reports/*.txt`, copied from `../shared/corpus/` with their truth).

use nianbao::check::run_checks;
use nianbao::extract::{AgencySource, Extraction, extract};
use nianbao::ingest::read_file;
use nianbao::model::{CellKey, SourceKind, SourceText};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The corpus reports (`tests/fixtures/corpus/reports`); their truth is in `../truth`.
fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus/reports")
}

fn formats() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats")
}

/// The truth file of a corpus report (`hongze-2023.docx` → `hongze-2023.json`).
fn truth(name: &str) -> Value {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let text =
        std::fs::read_to_string(corpus().join(format!("../truth/{stem}.json"))).expect("truth");
    serde_json::from_str(&text).expect("truth json")
}

/// The cells that differ from the truth, each naming its key, as `score.py` compares them: both
/// blank, or the same number, or (no number in either) the same text.
pub(crate) fn truth_differences(truth: &Value, ex: &Extraction) -> Vec<String> {
    let norm = |s: Option<&str>| s.unwrap_or("").split_whitespace().collect::<String>();
    let mut out = Vec::new();
    for key in CellKey::all() {
        let name = key.to_string();
        let want = &truth["cells"][&name];
        let (want_raw, want_value) = (want["raw"].as_str(), want["value"].as_f64());
        let got = ex.cell(key);
        let same = match (want_value, got.value) {
            _ if want_raw.is_none() || got.raw.is_none() => want_raw.is_none() && got.raw.is_none(),
            (Some(a), Some(b)) => (a - b).abs() < 1e-9,
            (None, None) => norm(want_raw) == norm(got.raw.as_deref()),
            _ => false,
        };
        if !same {
            out.push(format!(
                "{name}: expected {want_raw:?}, got {:?}",
                got.raw.as_deref()
            ));
        }
    }
    out
}

fn read_docx(name: &str) -> SourceText {
    let source = read_file(&corpus().join(name)).expect("docx");
    assert_eq!(source.kind, SourceKind::Docx, "{name}");
    source
}

/// Byte offset of `needle` in `text`, naming what was not found.
fn at(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text:\n{text}"))
}

// The converted corpus PDFs read as Word files: each box's text once (not again from the
// Fallback copy), in reading order, the title and the six part headings in order.
#[test]
fn frames_docx_read_once_in_order() {
    for (name, title) in [
        ("hongze-2023.docx", "洪泽区人民政府"),
        ("hongze-2024.docx", "淮安市洪泽区人民政府"),
    ] {
        let text = read_docx(name).text;
        let once = [
            "本报告由淮安市洪泽区人民政府办公室根据《中华人民共和",
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ];
        for needle in once {
            assert_eq!(
                text.matches(needle).count(),
                1,
                "{name}: {needle:?} in\n{text}"
            );
        }
        let order: Vec<usize> = std::iter::once(title)
            .chain(std::iter::once("年政府信息公开工作年度报告"))
            .chain(once)
            .map(|needle| at(&text, needle))
            .collect();
        assert!(order.is_sorted(), "{name}: out of order {order:?}\n{text}");
    }
}

// The body and year of the converted corpus PDFs come from their titles.
#[test]
fn frames_docx_metadata() {
    for name in ["hongze-2023.docx", "hongze-2024.docx"] {
        let ex = extract(&read_docx(name));
        let want = truth(name);
        assert_eq!(
            ex.agency.as_deref(),
            want["agency"].as_str(),
            "{name}: agency"
        );
        assert_eq!(
            ex.year.map(i64::from),
            want["year"].as_i64(),
            "{name}: year"
        );
        assert_eq!(
            ex.agency_source,
            Some(AgencySource::Title),
            "{name}: agency source"
        );
    }
}

// Every corpus text gets the body and year of its truth, from its title.
#[test]
fn corpus_text_metadata() {
    let mut names: Vec<String> = std::fs::read_dir(corpus())
        .expect("corpus")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 5, "{names:?}");
    for name in names {
        let ex = extract(&read_file(&corpus().join(&name)).expect("corpus text"));
        let want = truth(&name);
        assert_eq!(
            ex.agency.as_deref(),
            want["agency"].as_str(),
            "{name}: agency"
        );
        assert_eq!(
            ex.year.map(i64::from),
            want["year"].as_i64(),
            "{name}: year"
        );
        assert_eq!(
            ex.agency_source,
            Some(AgencySource::Title),
            "{name}: agency source"
        );
    }
}

// Converted reports whose title is hard to find still get their body and year, and a title
// after a first line `正文` is not reported as missing its year.
#[test]
fn metadata_of_converted_reports() {
    let text = std::fs::read_to_string(corpus().join("hongze-2024.pymupdf.txt")).expect("text");
    let body = text.split_once("本报告由").expect("compiled-by sentence").1;
    let hongze = Some("淮安市洪泽区人民政府");
    let cases = [
        // 正文, then the title over two lines.
        (
            format!("正文\n淮安市洪泽区人民政府2024年政府信息公开\n工作年度报告\n本报告由{body}"),
            AgencySource::Title,
        ),
        // A crawler's navigation line and a page number before the title.
        (
            format!(
                "首页 > 政务公开 > 年报\n- 1 -\n2024 年政府信息公开工作年度报告\n本报告由{body}"
            ),
            AgencySource::CompiledBy,
        ),
        // No title at all: the compiled-by sentence.
        (format!("本报告由{body}"), AgencySource::CompiledBy),
        // No title and no compiled-by sentence: the signature.
        (
            format!(
                "正文\n{}\n淮安市洪泽区人民政府\n2025年1月21日\n",
                body.split_once("一、总体情况").expect("part one").1
            ),
            AgencySource::Signature,
        ),
    ];
    for (text, source) in cases {
        let src = SourceText::from_utf8(text);
        let ex = extract(&src);
        let head: String = src.text.chars().take(40).collect();
        assert_eq!(ex.agency.as_deref(), hongze, "{head}: agency");
        assert_eq!(ex.year, Some(2024), "{head}: year");
        assert_eq!(ex.agency_source, Some(source), "{head}: agency source");
        let findings = run_checks(&ex, &src, &[]);
        assert!(
            findings.iter().all(|f| f.rule != "dates.year_missing"),
            "{head}: year reported missing"
        );
    }
}

// The 200 cells of the converted corpus PDFs against their hand-checked truth. Today's reader
// reads every cell of both right; the bar is that, and the message lists each cell that differs.
#[test]
fn frames_docx_cells_match_truth() {
    for name in ["hongze-2023.docx", "hongze-2024.docx"] {
        let ex = extract(&read_docx(name));
        let differences = truth_differences(&truth(name), &ex);
        assert!(
            differences.is_empty(),
            "{name}: {} of 200 cells differ:\n{}",
            differences.len(),
            differences.join("\n")
        );
    }
}

// The boxes are read in the order the PDF reader reads the PDF they were made from: the seeds'
// converted PDFs give the same characters in the same order as the PDFs (white space aside:
// the converter writes some gaps as spaces), with every box's text once.
#[test]
fn frames_docx_read_like_their_pdf() {
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let mut seeds: Vec<String> = std::fs::read_dir(formats())
        .expect("formats")
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".frames.docx").map(str::to_owned)
        })
        .collect();
    seeds.sort();
    assert_eq!(seeds.len(), 5, "{seeds:?}");
    for seed in seeds {
        let pdf = read_file(&formats().join(format!("{seed}.pdf"))).expect("pdf");
        let docx = read_file(&formats().join(format!("{seed}.frames.docx"))).expect("docx");
        assert_eq!(docx.kind, SourceKind::Docx, "{seed}");
        let (want, got) = (squeeze(&pdf.text), squeeze(&docx.text));
        if want != got {
            let at = want
                .chars()
                .zip(got.chars())
                .take_while(|(a, b)| a == b)
                .count();
            let context = |s: &str| {
                s.chars()
                    .skip(at.saturating_sub(20))
                    .take(40)
                    .collect::<String>()
            };
            panic!(
                "{seed}: the Word file's text departs from the PDF's at character {at}:\n pdf:  {}\n docx: {}",
                context(&want),
                context(&got)
            );
        }
    }
}

/// `xml` with every `mc:Choice` removed and the `mc:AlternateContent` / `mc:Fallback` wrappers
/// unwrapped: the Word file a converter writing only VML would give.
fn vml_only(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(start) = rest.find("<mc:Choice") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("</mc:Choice>").expect("closed Choice");
        rest = &rest[start + end + "</mc:Choice>".len()..];
    }
    out.push_str(rest);
    [
        "<mc:AlternateContent>",
        "</mc:AlternateContent>",
        "<mc:Fallback>",
        "</mc:Fallback>",
    ]
    .iter()
    .fold(out, |s, tag| s.replace(tag, ""))
}

// The same file with its boxes and rulings in VML only (`w:pict` shapes placed by their
// style, `v:line`) reads as the DrawingML one does, all 200 cells right.
#[test]
fn vml_only_frames_read_alike() {
    use std::io::{Cursor, Read, Write};
    let name = "hongze-2023.docx";
    let bytes = std::fs::read(corpus().join(name)).expect("docx");
    let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut rewritten = false;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let part = entry.name().expect("entry name").into_owned();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read entry");
        if part == "word/document.xml" {
            let xml = String::from_utf8(data).expect("utf-8");
            assert!(xml.contains("<mc:Choice"), "{name} has DrawingML boxes");
            data = vml_only(&xml).into_bytes();
            rewritten = true;
        }
        out.start_file(part, options).expect("zip entry");
        out.write_all(&data).expect("zip write");
    }
    assert!(rewritten, "{name}: no word/document.xml");
    let vml = out.finish().expect("zip finish").into_inner();
    let drawing = read_docx(name);
    let source = nianbao::ingest::load(&vml, "vml.docx").expect("VML-only docx");
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    assert_eq!(
        squeeze(&source.text),
        squeeze(&drawing.text),
        "{name}: VML text"
    );
    let differences = truth_differences(&truth(name), &extract(&source));
    assert!(
        differences.is_empty(),
        "{name} (VML): {}",
        differences.join("\n")
    );
}

// The seeds keep the body and year their titles give (as tests/integration/extract.rs pins).
#[test]
fn seed_metadata_from_titles() {
    let want = [
        ("000", "高青县行政审批服务局", 2024),
        ("001", "张店区行政审批服务局", 2023),
        ("002", "临沂市行政审批服务局", 2024),
        ("003", "金乡县行政审批服务局", 2022),
        ("004", "聊城市行政审批服务局", 2022),
    ];
    for (prefix, agency, year) in want {
        let ex = extract(&read_file(&crate::extract::seed_path(prefix)).expect("seed"));
        assert_eq!(ex.agency.as_deref(), Some(agency), "seed {prefix}: agency");
        assert_eq!(ex.year, Some(year), "seed {prefix}: year");
        assert_eq!(
            ex.agency_source,
            Some(AgencySource::Title),
            "seed {prefix}: agency source"
        );
        assert_eq!(
            ex.year_source,
            Some(AgencySource::Title),
            "seed {prefix}: year source"
        );
    }
}
