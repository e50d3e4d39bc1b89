//! Integration tests: hostile input. Each kind of broken or malicious input (empty, binary,
//! huge, badly encoded, zip bombs, deep nesting, huge sheets, broken review files, paths that are
//! not files) goes through the real binary: `nianbao extract FILE`, or `nianbao
//! apply-corrections REPORT` for review files. Each must be answered with a Chinese message or a
//! clean extraction within 2 s (10 s for a debug build) and under 200 MB.
//!
//! Time is the wall time of the child process (`Instant` around spawn and exit). Memory is the
//! child's peak resident set, `getrusage(RUSAGE_CHILDREN)` read in a separate measuring process
//! (this test binary again, running only the ignored `measure_child`), so that no other child of
//! the test run is counted. Inputs are built before the clock starts, and measured runs take
//! turns, so two large inputs never share the two cores.

use nianbao::ingest::limits;
use serde_json::Value;
use std::ffi::OsString;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The time any hostile input may take, the process's start and exit included: 2 s for an
/// optimised binary; a debug build, on a CI machine running other tests beside it, gets a
/// generous 10 s, still far below what anything quadratic in a hostile input would take.
const TIME_BOUND: Duration = if cfg!(debug_assertions) {
    Duration::from_secs(10)
} else {
    Duration::from_secs(2)
};

/// The peak resident memory any hostile input may take, in KiB (200 MB).
const MEMORY_BOUND_KIB: u64 = 200 * 1000 * 1000 / 1024;

/// A run still going after this long is killed and reported as a hang.
const HANG: Duration = Duration::from_secs(30);

/// Arguments for the measuring process, separated by U+001F.
const ENV_ARGS: &str = "NIANBAO_HOSTILE_ARGS";

/// Folder where the measuring process writes the child's output and the measurement.
const ENV_OUT: &str = "NIANBAO_HOSTILE_OUT";

/// One test at a time builds and measures its input.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn one_at_a_time() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

/// What one measured run of the binary did.
#[derive(Debug)]
struct Run {
    /// Exit status (`None`: killed by a signal).
    code: Option<i32>,
    stdout: String,
    stderr: String,
    wall: Duration,
    peak_kib: u64,
}

// The measuring process started by `run_binary`: runs the binary once, kills it if it hangs,
// and records its exit status, wall time and peak memory. Ignored in a normal run.
#[test]
#[ignore = "started by run_binary in a process of its own"]
fn measure_child() {
    use nix::sys::resource::{UsageWho, getrusage};
    // Run by hand (`--ignored`), there is nothing to measure.
    let (Ok(args), Some(out)) = (std::env::var(ENV_ARGS), std::env::var_os(ENV_OUT)) else {
        return;
    };
    let out = PathBuf::from(out);
    let stdout = std::fs::File::create(out.join("stdout")).expect("stdout file");
    let stderr = std::fs::File::create(out.join("stderr")).expect("stderr file");
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args.split('\u{1f}').filter(|a| !a.is_empty()))
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .expect("spawn nianbao");
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code().map_or("signal".to_owned(), |c| c.to_string());
        }
        if start.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            break "hang".to_owned();
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let wall = start.elapsed();
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).expect("getrusage");
    std::fs::write(
        out.join("measured"),
        format!("{code} {} {}", wall.as_micros(), usage.max_rss()),
    )
    .expect("write measurement");
}

/// Runs `nianbao ARGS` in a measuring process and checks the time and memory bounds.
fn run_binary(kind: &str, args: &[OsString]) -> Run {
    let out = tempfile::tempdir().expect("tempdir");
    let joined: Vec<&str> = args
        .iter()
        .map(|a| a.to_str().expect("test paths are UTF-8"))
        .collect();
    let status = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--ignored",
            "--exact",
            "hostile::measure_child",
            "--test-threads=1",
            "--quiet",
        ])
        .env(ENV_ARGS, joined.join("\u{1f}"))
        .env(ENV_OUT, out.path())
        .stdout(Stdio::null())
        .status()
        .expect("start the measuring process");
    assert!(status.success(), "{kind}: the measuring process failed");
    let measured = std::fs::read_to_string(out.path().join("measured")).expect("measurement");
    let fields: Vec<&str> = measured.split_whitespace().collect();
    assert_ne!(fields[0], "hang", "{kind}: still running after {HANG:?}");
    let run = Run {
        code: fields[0].parse().ok(),
        stdout: std::fs::read_to_string(out.path().join("stdout")).expect("stdout"),
        stderr: std::fs::read_to_string(out.path().join("stderr")).expect("stderr"),
        wall: Duration::from_micros(fields[1].parse().expect("micros")),
        peak_kib: fields[2].parse().expect("max_rss"),
    };
    eprintln!(
        "hostile {kind}: {} ms, {:.1} MB peak, exit {:?}",
        run.wall.as_millis(),
        run.peak_kib as f64 * 1024.0 / 1e6,
        run.code
    );
    assert!(
        run.wall < TIME_BOUND,
        "{kind}: took {:?} (bound {TIME_BOUND:?})",
        run.wall
    );
    assert!(
        run.peak_kib < MEMORY_BOUND_KIB,
        "{kind}: peak memory {} KiB (bound {MEMORY_BOUND_KIB} KiB)",
        run.peak_kib
    );
    assert!(
        !run.stderr.contains("panicked"),
        "{kind}: panicked: {}",
        run.stderr
    );
    run
}

fn is_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// How `nianbao extract` answered one file.
#[derive(Debug)]
enum Answer {
    /// The Chinese error sentence.
    Error(String),
    /// The report object (200 cells).
    Extracted(Value),
}

/// Runs `nianbao extract PATH` and reads its one JSON line: a Chinese error (exit 2) or an
/// object with all 200 cells (exit 0).
fn extract(kind: &str, path: &Path) -> Answer {
    let run = run_binary(kind, &["extract".into(), path.into()]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{kind}: one JSON line expected");
    let object: Value = serde_json::from_str(lines[0]).expect("JSON line");
    if let Some(error) = object.get("error") {
        let error = error.as_str().expect("error is a string").to_owned();
        assert!(is_chinese(&error), "{kind}: message not Chinese: {error}");
        assert_eq!(run.code, Some(2), "{kind}: exit status");
        eprintln!("hostile {kind}: {error}");
        return Answer::Error(error);
    }
    let cells = object["cells"].as_object().expect("cells");
    assert_eq!(cells.len(), 200, "{kind}: cells");
    assert_eq!(run.code, Some(0), "{kind}: exit status");
    let warnings = object["warnings"].as_array().map_or(0, Vec::len);
    eprintln!(
        "hostile {kind}: extracted, tables {}, {warnings} warnings",
        object["tables_found"]
    );
    Answer::Extracted(object)
}

/// Runs `nianbao extract PATH` and expects a Chinese error containing `words`.
fn extract_error(kind: &str, path: &Path, words: &str) -> String {
    match extract(kind, path) {
        Answer::Error(e) => {
            assert!(e.contains(words), "{kind}: expected “{words}” in: {e}");
            e
        }
        Answer::Extracted(o) => panic!(
            "{kind}: expected an error, got tables {}",
            o["tables_found"]
        ),
    }
}

fn seed_path(prefix: &str) -> PathBuf {
    crate::extract::seed_path(prefix)
}

fn seed_bytes(prefix: &str) -> Vec<u8> {
    std::fs::read(seed_path(prefix)).expect("seed")
}

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name);
    std::fs::read(path).expect("format fixture")
}

/// Writes `bytes` to `name` in `dir`.
fn file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write input");
    path
}

/// `unit` repeated to `len` bytes (cut at a whole unit).
fn repeat_to(unit: &[u8], len: usize) -> Vec<u8> {
    unit.repeat(len / unit.len())
}

/// Bytes from a fixed xorshift sequence.
fn random_bytes(len: usize) -> Vec<u8> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Text files.

// An empty file and a file of white space only: “the file is empty”.
#[test]
fn empty_and_blank_files() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = file(dir.path(), "empty.txt", b"");
    extract_error("empty file", &empty, "空");
    let blank = file(dir.path(), "blank.txt", &repeat_to(b" \r\n\t", 1 << 20));
    extract_error("white space only (1 MB)", &blank, "空");
}

// 1 MB of random bytes, and 1 MB of NUL bytes: not a text, not a document.
#[test]
fn binary_and_nul_files() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let random = file(dir.path(), "random.txt", &random_bytes(1 << 20));
    extract_error("random bytes (1 MB)", &random, "无法识别");
    let nul = file(dir.path(), "nul.txt", &vec![0u8; 1 << 20]);
    extract_error("NUL bytes (1 MB)", &nul, "无法识别");
}

// A real report with a NUL byte at the end of every line: a message, or the tables read with
// every span still inside the text.
#[test]
fn nul_bytes_in_a_report() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let text = String::from_utf8(seed_bytes("000")).expect("utf-8 seed");
    let with_nuls = text.replace('\n', "\0\n");
    let path = file(dir.path(), "nuls.txt", with_nuls.as_bytes());
    if let Answer::Extracted(o) = extract("NUL at every line end", &path) {
        assert_spans_inside(&o, with_nuls.len());
    }
}

/// Every cell span in an extracted object lies inside a text of `len` bytes.
fn assert_spans_inside(object: &Value, len: usize) {
    for (key, cell) in object["cells"].as_object().expect("cells") {
        if let Some(span) = cell["span"].as_array() {
            let end = span[1].as_u64().expect("span end") as usize;
            assert!(
                end <= len,
                "{key}: span {span:?} past the text ({len} bytes)"
            );
        }
    }
}

/// A real report on one line: the seed with its line breaks replaced by spaces, repeated.
fn one_line_report(len: usize) -> Vec<u8> {
    let seed = String::from_utf8(seed_bytes("001")).expect("utf-8 seed");
    let line = seed.replace(['\r', '\n'], " ");
    repeat_to(line.as_bytes(), len)
}

// A single line of 50 MB (a report's text repeated without a line break): read within the
// bounds; only the first MAX_EXTRACT_BYTES are searched for tables.
#[test]
fn single_line_of_50_mb() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = one_line_report(limits::MAX_FILE_BYTES as usize - 64);
    let path = file(dir.path(), "one-line.txt", &bytes);
    drop(bytes);
    if let Answer::Extracted(o) = extract("single 50 MB line", &path) {
        assert_spans_inside(&o, limits::MAX_EXTRACT_BYTES);
        let warnings = o["warnings"].as_array().map_or(0, Vec::len);
        assert!(warnings <= limits::MAX_WARNINGS + 4, "{warnings} warnings");
    }
}

// A file over the size limit (60 MB, sparse): refused before it is read.
#[test]
fn file_over_the_size_limit() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.txt");
    let f = std::fs::File::create(&path).expect("create");
    f.set_len(60 * 1024 * 1024).expect("sparse 60 MB");
    extract_error("60 MB file", &path, "太大");
}

// 50 MB of short lines (“1”, 25 million of them) and 50 MB of part headings: no table, said
// within the bounds (the line index of 50 MB of short lines alone would be 400 MB).
#[test]
fn fifty_mb_of_lines() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let len = limits::MAX_FILE_BYTES as usize - 64;
    let short = file(dir.path(), "short.txt", &repeat_to(b"1\n", len));
    extract_error("25 million short lines", &short, "没有找到");
    let heads = file(
        dir.path(),
        "headings.txt",
        &repeat_to("二、主动公开政府信息情况\n".as_bytes(), len),
    );
    extract_error("50 MB of part headings", &heads, "没有找到");
}

// A 2 MB one-line table region (a table 三 row label and numbers repeated on one line, as a
// crawler's export of a broken page): the reader and the whole-table decoder stay within bounds.
#[test]
fn two_mb_one_line_table_region() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let unit = "（一）予以公开 1 0 0 0 0 0 1 2.重复申请 3 1 0 0 0 0 4 ";
    let mut text = String::from("三、收到和处理政府信息公开申请情况 ");
    text.push_str(&unit.repeat(2 * 1024 * 1024 / unit.len()));
    let path = file(dir.path(), "one-line-region.txt", text.as_bytes());
    if let Answer::Extracted(o) = extract("2 MB one-line table region", &path) {
        assert_spans_inside(&o, text.len());
    }
}

// 10^5 row labels with no numbers under table 三's heading: no values, nothing guessed.
#[test]
fn labels_without_numbers() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("三、收到和处理政府信息公开申请情况\n");
    for i in 0..100_000u32 {
        text.push_str(
            [
                "（一）予以公开\n",
                "1.属于国家秘密 ",
                "四、结转下年度继续办理\n",
            ][(i % 3) as usize],
        );
    }
    let path = file(dir.path(), "labels.txt", text.as_bytes());
    if let Answer::Extracted(o) = extract("10^5 labels without numbers", &path) {
        for (key, cell) in o["cells"].as_object().expect("cells") {
            assert!(
                cell["raw"].is_null(),
                "{key}: read {:?} from no numbers",
                cell["raw"]
            );
        }
    }
}

// 10^6 numbers, one per line, under the heading of table 三: no row label, so no table.
#[test]
fn a_million_numbers_one_per_line() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("三、收到和处理政府信息公开申请情况\n");
    for i in 0..1_000_000u32 {
        text.push_str(&(i % 1000).to_string());
        text.push('\n');
    }
    let path = file(dir.path(), "numbers.txt", text.as_bytes());
    extract("10^6 numbers, one per line", &path);
}

// 10^6 numbers in one tab-separated row of table 三: the row is read, the surplus is counted in
// one warning that lists only the first MAX_LISTED_EXTRAS values.
#[test]
fn a_million_numbers_in_one_row() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("三、收到和处理政府信息公开申请情况\n（一）予以公开");
    for i in 0..1_000_000u32 {
        text.push('\t');
        text.push_str(&(i % 1000).to_string());
    }
    let path = file(dir.path(), "row.txt", text.as_bytes());
    let Answer::Extracted(o) = extract("10^6 numbers in one row", &path) else {
        panic!("the row's table is found");
    };
    let warnings = o["warnings"].as_array().expect("warnings");
    let surplus = warnings
        .iter()
        .find(|w| w["kind"] == "too_many_values")
        .expect("a too_many_values warning");
    let listed = surplus["extra"].as_array().expect("extra").len();
    assert!(
        listed <= limits::MAX_LISTED_EXTRAS,
        "{listed} extras listed"
    );
    assert!(
        surplus["message"]
            .as_str()
            .is_some_and(|m| m.contains('等'))
    );
}

// A row label followed by 10^5 digits run together: left unread (too many digits to split),
// never a long search.
#[test]
fn a_run_of_100000_digits() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "二、主动公开政府信息情况\n规章{}\n三、收到和处理政府信息公开申请情况\n（一）予以公开{}\n",
        "7".repeat(100_000),
        "3".repeat(100_000)
    );
    let path = file(dir.path(), "digits.txt", text.as_bytes());
    extract("10^5 digits in a run", &path);
}

// Junk between table headings, one short label and number after another: at most
// MAX_WARNINGS warnings, within the bounds.
#[test]
fn junk_rows_between_headings() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("三、收到和处理政府信息公开申请情况\n（一）予以公开\t1\n");
    text.push_str(&"甲\t1\n".repeat(500_000));
    let path = file(dir.path(), "junk.txt", text.as_bytes());
    let Answer::Extracted(o) = extract("500,000 junk rows in a table", &path) else {
        panic!("the table is found");
    };
    let warnings = o["warnings"].as_array().expect("warnings").len();
    assert!(warnings <= limits::MAX_WARNINGS + 4, "{warnings} warnings");
}

// A report with invalid UTF-8 bytes sprinkled through it: decoded (by detection, or with
// replacement characters) or refused, with a Chinese answer.
#[test]
fn invalid_utf8() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = seed_bytes("002");
    for at in (100..bytes.len()).step_by(397).rev() {
        bytes.insert(at, 0xFF);
    }
    let path = file(dir.path(), "bad-utf8.txt", &bytes);
    extract("invalid UTF-8", &path);
}

// UTF-16 with a BOM, unpaired surrogates and an odd last byte; and UTF-16 without a BOM.
#[test]
fn invalid_utf16() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let text = String::from_utf8(seed_bytes("000")).expect("utf-8 seed");
    let mut units: Vec<u16> = text.encode_utf16().collect();
    for at in (50..units.len()).step_by(500).rev() {
        units.insert(at, 0xD800);
    }
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    bytes.push(0x41);
    let path = file(dir.path(), "bad-utf16.txt", &bytes);
    if let Answer::Extracted(o) = extract("UTF-16 with lone surrogates", &path) {
        assert_ne!(o["tables_found"], Value::Array(Vec::new()));
    }
    let no_bom: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let path = file(dir.path(), "utf16-no-bom.txt", &no_bom);
    extract("UTF-16 without BOM", &path);
}

// Half a report in UTF-8 and the other half in GBK: one encoding is chosen, the answer is
// Chinese.
#[test]
fn mixed_encodings() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let text = String::from_utf8(seed_bytes("003")).expect("utf-8 seed");
    let half = text.floor_char_boundary(text.len() / 2);
    let mut bytes = text.as_bytes()[..half].to_vec();
    let (gbk, _, _) = encoding_rs::GBK.encode(&text[half..]);
    bytes.extend_from_slice(&gbk);
    let path = file(dir.path(), "mixed.txt", &bytes);
    extract("UTF-8 then GBK", &path);
}

// A 40 MB GBK text (a report repeated): the encoding is detected and the tables read within
// the bounds.
#[test]
fn large_gbk_text() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let text = String::from_utf8(seed_bytes("004")).expect("utf-8 seed");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let path = file(dir.path(), "big-gbk.txt", &repeat_to(&gbk, 40 << 20));
    extract("40 MB GBK", &path);
}

// ---------------------------------------------------------------------------------------------
// Documents.

/// A zip of `parts`, deflated.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        w.start_file(*name, options).expect("zip entry");
        w.write_all(data).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

/// A zip with one entry `name` holding `prefix` and then `size` spaces, deflated fast.
fn zip_of_spaces(name: &str, prefix: &[u8], size: usize) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    w.start_file(name, options).expect("zip entry");
    w.write_all(prefix).expect("zip write");
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..size >> 20 {
        w.write_all(&chunk).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

/// A Word document whose `document.xml` inflates to `size` spaces inside a paragraph.
fn docx_bomb(size: usize) -> Vec<u8> {
    zip_of_spaces(
        "word/document.xml",
        b"<w:document><w:body><w:p><w:r><w:t>",
        size,
    )
}

/// Sets the sizes every entry of a zip declares (local headers and central directory).
fn lie_about_sizes(zip: &mut [u8], declared: u32) {
    for i in 0..zip.len().saturating_sub(46) {
        if zip[i..].starts_with(b"PK\x03\x04") {
            zip[i + 22..i + 26].copy_from_slice(&declared.to_le_bytes());
        } else if zip[i..].starts_with(b"PK\x01\x02") {
            zip[i + 24..i + 28].copy_from_slice(&declared.to_le_bytes());
        }
    }
}

// A Word file cut in half (its zip directory lost): damaged, incomplete.
#[test]
fn truncated_zip() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let docx = fixture("000_073f686d539d8498.docx");
    let path = file(dir.path(), "cut.docx", &docx[..docx.len() / 2]);
    extract_error("truncated .docx", &path, "损坏");
}

// A zip bomb: a Word part inflating to 200 MB (over MAX_UNZIPPED_BYTES), also with sizes that
// lie; refused without inflating it into memory.
#[test]
fn zip_bombs() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let bomb = docx_bomb(200 << 20);
    let path = file(dir.path(), "bomb.docx", &bomb);
    extract_error("zip bomb (200 MB inflated)", &path, "异常庞大");
    let mut lying = bomb;
    lie_about_sizes(&mut lying, 1000);
    let path = file(dir.path(), "lying-bomb.docx", &lying);
    extract("zip bomb with lying sizes", &path);
}

// A zip of 20,000 entries (over MAX_ZIP_ENTRIES) holding a Word part: refused.
#[test]
fn zip_with_too_many_entries() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let names: Vec<String> = (0..20_000).map(|i| format!("word/media/{i}.xml")).collect();
    let mut parts: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"<x/>"[..])).collect();
    parts.push(("word/document.xml", b"<w:document/>"));
    let path = file(dir.path(), "many.docx", &zip_of(&parts));
    extract_error("20,000 zip entries", &path, "上限");
}

// 10^5 nested elements in a Word document and in a web page: refused as too complex.
#[test]
fn deep_nesting() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let n = 100_000;
    let body = format!("{}{}", "<w:sdt>".repeat(n), "</w:sdt>".repeat(n));
    let xml = format!("<w:document><w:body>{body}</w:body></w:document>");
    let docx = file(
        dir.path(),
        "deep.docx",
        &zip_of(&[("word/document.xml", xml.as_bytes())]),
    );
    extract_error("10^5 nested Word elements", &docx, "复杂");
    let page = format!(
        "<html><body>{}{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    let html = file(dir.path(), "deep.html", page.as_bytes());
    extract_error("10^5 nested <div>", &html, "复杂");
    let tables = format!(
        "<html><body>{}{}</body></html>",
        "<table><tr><td>".repeat(n),
        "</td></tr></table>".repeat(n)
    );
    let html = file(dir.path(), "deep-tables.html", tables.as_bytes());
    extract_error("10^5 nested tables", &html, "复杂");
}

// A web page whose cells span a million rows and columns: laid out within the limits.
#[test]
fn html_huge_spans() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let page = "<html><body><table>\
        <tr><td colspan=\"1000000\" rowspan=\"1000000\">规章</td><td>1</td></tr>\
        <tr><td rowspan=\"999999999\">2</td></tr></table></body></html>";
    let path = file(dir.path(), "spans.html", page.as_bytes());
    extract("colspan and rowspan of 10^6", &path);
}

/// A workbook with one sheet whose XML is `sheet`.
fn xlsx_with_sheet(sheet: &[u8]) -> Vec<u8> {
    zip_of(&[
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ])
}

const SHEET_OPEN: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;

// A workbook of 105,000 numeric cells (over MAX_SHEET_CELLS), and one of 700,000 empty cells in
// 7.7 MB of XML (under MAX_UNZIPPED_BYTES; 11 million of them took 23 s): refused before calamine
// parses them.
#[test]
fn huge_spreadsheets() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sheet = String::from(SHEET_OPEN);
    for r in 1..=7_000u32 {
        sheet.push_str(&format!("<row r=\"{r}\">"));
        for c in b'A'..=b'O' {
            sheet.push_str(&format!("<c r=\"{}{r}\"><v>{}</v></c>", c as char, r % 10));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let path = file(dir.path(), "huge.xlsx", &xlsx_with_sheet(sheet.as_bytes()));
    extract_error("105,000 spreadsheet cells", &path, "单元格超过");
    let empty = format!(
        "{SHEET_OPEN}<row r=\"1\">{}</row></sheetData></worksheet>",
        "<c r=\"A1\"/>".repeat(700_000)
    );
    let path = file(dir.path(), "empty.xlsx", &xlsx_with_sheet(empty.as_bytes()));
    extract_error("700,000 empty spreadsheet cells", &path, "单元格超过");
}

// An old .xls sheet whose cells span 65,536 rows × 256 columns (one cell moved to the corner):
// refused before calamine lays the 16.7-million-cell grid out in memory.
#[test]
fn xls_with_a_huge_grid() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut xls = fixture("000_073f686d539d8498.xls");
    // The first RK record (id 0x027E, 10 bytes): row and column follow the header.
    let rk = xls
        .windows(4)
        .position(|w| w == [0x7E, 0x02, 0x0A, 0x00])
        .expect("an RK record");
    xls[rk + 4..rk + 6].copy_from_slice(&0xFFFFu16.to_le_bytes());
    xls[rk + 6..rk + 8].copy_from_slice(&0x00FFu16.to_le_bytes());
    let path = file(dir.path(), "grid.xls", &xls);
    extract_error("a cell at row 65536, column 256 of an .xls", &path, "上限");
}

// A Word document of short paragraphs just under MAX_UNZIPPED_BYTES, and a web page just under
// MAX_HTML_BYTES: read within the bounds.
#[test]
fn documents_at_the_size_limits() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let budget = limits::MAX_UNZIPPED_BYTES as usize - 4096;
    let paragraph = "<w:p><w:r><w:t>规章 1</w:t></w:r></w:p>";
    let xml = format!(
        "<w:document><w:body>{}</w:body></w:document>",
        paragraph.repeat(budget / paragraph.len())
    );
    let path = file(
        dir.path(),
        "long.docx",
        &zip_of(&[("word/document.xml", xml.as_bytes())]),
    );
    extract("Word paragraphs filling MAX_UNZIPPED_BYTES", &path);
    let paragraph = format!("<p>{}</p>\n", "规章".repeat(80));
    let page = format!(
        "<html><body>{}</body></html>",
        paragraph.repeat((limits::MAX_HTML_BYTES - 4096) / paragraph.len())
    );
    let path = file(dir.path(), "long.html", page.as_bytes());
    extract("a web page just under MAX_HTML_BYTES", &path);
}

// A 50 MB web page of 5.8 million <p>: refused before html5ever builds its tree (which took
// 2.7 GB); and 200,000 small elements in a 2 MB page.
#[test]
fn huge_web_pages() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let page = repeat_to(b"<p>x</p>\n", limits::MAX_FILE_BYTES as usize - 64);
    let path = file(dir.path(), "huge.html", &page);
    extract_error("50 MB web page", &path, "上限");
    let page = format!(
        "<html><body><table>{}</table></body></html>",
        "<tr><td>1</td></tr>".repeat(100_000)
    );
    let path = file(dir.path(), "cells.html", page.as_bytes());
    extract_error("200,000 elements in a web page", &path, "网页标签超过");
}

// Fuzz crash (xlsx target): a merge whose end lies above its start (`F56:H18`) made calamine
// subtract with overflow, a panic in a debug build. Also a reversed dimension, a 10-digit row and
// an 8-letter column, which overflow the same arithmetic: each is refused as damaged.
#[test]
fn spreadsheet_references_that_overflow() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let cell = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>规章</t></is></c></row>";
    for (kind, sheet) in [
        (
            "reversed merge F56:H18",
            format!(
                "{SHEET_OPEN}{cell}</sheetData><mergeCells count=\"1\">\
                 <mergeCell ref=\"F56:H18\"/></mergeCells></worksheet>"
            ),
        ),
        (
            "reversed dimension",
            SHEET_OPEN.replace("<sheetData>", "<dimension ref=\"C3:A1\"/><sheetData>")
                + cell
                + "</sheetData></worksheet>",
        ),
        (
            "10-digit row number",
            format!(
                "{SHEET_OPEN}<row r=\"4294967296\"><c r=\"A1\"><v>1</v></c></row></sheetData></worksheet>"
            ),
        ),
        (
            "8-letter column",
            format!(
                "{SHEET_OPEN}<row r=\"1\"><c r=\"AAAAAAAA1\"><v>1</v></c></row></sheetData></worksheet>"
            ),
        ),
    ] {
        let path = file(dir.path(), "refs.xlsx", &xlsx_with_sheet(sheet.as_bytes()));
        extract_error(kind, &path, "单元格引用无效");
    }
}

// A workbook with one cell at the last row and column (XFD1048576) and a merge covering the
// whole sheet: laid out within the limits, never as a 17-billion-cell grid.
#[test]
fn spreadsheet_with_the_largest_dimension() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let sheet = format!(
        "{SHEET_OPEN}<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>规章</t></is></c></row>\
         <row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData>\
         <mergeCells count=\"1\"><mergeCell ref=\"A1:XFD1048576\"/></mergeCells></worksheet>"
    );
    let path = file(dir.path(), "wide.xlsx", &xlsx_with_sheet(sheet.as_bytes()));
    extract("cells at A1 and XFD1048576, merged", &path);
}

// A PDF whose only stream inflates to 300 MB (over MAX_PDF_INFLATED_BYTES): refused.
#[test]
fn pdf_bomb() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = file(
        dir.path(),
        "bomb.pdf",
        &pdf_with_pages(&zlib_spaces(300 << 20), 1),
    );
    extract_error("PDF stream inflating to 300 MB", &path, "异常庞大");
}

// A PDF page of 8 MB of drawing operators (over MAX_PDF_PAGE_CONTENT_BYTES; it took 2.9 s and
// 803 MB), and 2,000 pages drawing one shared stream of 1,000 digits (2 million glyphs).
#[test]
fn pdf_content_limits() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let lines = repeat_to(b"0 0 m 100 100 l S\n", 8 << 20);
    let path = file(dir.path(), "lines.pdf", &pdf_with_pages(&lines, 1));
    extract_error("8 MB of drawing on one PDF page", &path, "上限");
    let glyphs = format!(
        "BT /F1 12 Tf 72 720 Td ({}) Tj ET",
        "1234567890".repeat(100)
    );
    let path = file(
        dir.path(),
        "pages.pdf",
        &pdf_with_pages(glyphs.as_bytes(), 2000),
    );
    extract_error("2,000 PDF pages of 1,000 glyphs", &path, "上限");
}

/// A zlib stream inflating to `size` spaces (`size` a multiple of 1 MiB): the raw deflate data
/// of a zip entry between a zlib header and the Adler-32 of the spaces.
fn zlib_spaces(size: usize) -> Vec<u8> {
    let zip = zip_of_spaces("spaces", b"", size);
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).expect("own zip");
    let mut raw = Vec::new();
    std::io::copy(&mut archive.by_index_raw(0).expect("entry"), &mut raw).expect("raw");
    // Adler-32 of n equal bytes c: A = 1 + n·c, B = n + c·n(n+1)/2, both mod 65521.
    let (n, c, m) = (size as u128, u128::from(b' '), 65_521u128);
    let (a, b) = ((1 + n * c) % m, (n + c * n * (n + 1) / 2) % m);
    let mut out = vec![0x78, 0x01];
    out.extend_from_slice(&raw);
    out.extend_from_slice(&((b << 16 | a) as u32).to_be_bytes());
    out
}

/// A PDF of `pages` pages that all draw one content stream, `content` (FlateDecode when it
/// starts with a zlib header), in Helvetica; with a correct cross-reference table.
fn pdf_with_pages(content: &[u8], pages: usize) -> Vec<u8> {
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 5 + i)).collect();
    let filter = if content.starts_with(&[0x78, 0x01]) {
        " /Filter /FlateDecode"
    } else {
        ""
    };
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        )
        .into_bytes(),
        [
            format!("<< /Length {}{filter} >>\nstream\n", content.len()).as_bytes(),
            content,
            b"\nendstream",
        ]
        .concat(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    for _ in 0..pages {
        objects.push(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R \
              /Resources << /Font << /F1 4 0 R >> >> >>"
                .to_vec(),
        );
    }
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    let size = objects.len() + 1;
    pdf.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    pdf
}

// An old binary Word file: “save it as .docx”.
#[test]
fn legacy_word_file() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = file(dir.path(), "old.doc", &fixture("legacy-word.doc"));
    extract_error("legacy .doc", &path, ".docx");
}

// ---------------------------------------------------------------------------------------------
// Paths that are not report files. (The tests run as root, for whom no permission bit makes a
// file unreadable; these are the unreadable paths root meets.)

// A folder with no report in it: “this is a folder”.
#[test]
fn path_is_a_folder() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("reports");
    std::fs::create_dir(&folder).expect("mkdir");
    extract_error("empty folder", &folder, "文件夹");
}

// A path through a file (`file/child`), a dangling symbolic link and a symbolic-link loop.
#[test]
fn unreadable_paths() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = file(dir.path(), "plain.txt", b"x");
    extract_error(
        "path through a file",
        &plain.join("child.txt"),
        "不是文件夹",
    );
    let dangling = dir.path().join("dangling.txt");
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), &dangling).expect("symlink");
    extract_error("dangling symlink", &dangling, "不存在");
    let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    std::os::unix::fs::symlink(&b, &a).expect("symlink");
    std::os::unix::fs::symlink(&a, &b).expect("symlink");
    extract_error("symlink loop", &a, "无法读取");
}

/// Makes a named pipe (FIFO) at `path`.
fn fifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

// A named pipe with no writer (opening it would wait forever) and a device that never ends
// (/dev/zero): refused at once, before opening.
#[test]
fn pipes_and_devices() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let pipe = dir.path().join("report.txt");
    fifo(&pipe);
    extract_error("named pipe", &pipe, "不是普通文件");
    extract_error("/dev/zero", Path::new("/dev/zero"), "不是普通文件");
}

// ---------------------------------------------------------------------------------------------
// Review files: the report opens (exit 0) and the reviewer is told, in Chinese, what is wrong
// with its saved review, which is moved aside rather than overwritten.

/// A report copied into `dir` with `review` written as its review file; runs
/// `nianbao apply-corrections REPORT` (no corrections: it opens the report and prints notices).
fn open_with_review(kind: &str, dir: &Path, review: impl FnOnce(&Path)) -> Run {
    let report = dir.join("report.txt");
    std::fs::copy(seed_path("000"), &report).expect("copy seed");
    review(&dir.join("report.txt.nianbao.json"));
    let run = run_binary(kind, &["apply-corrections".into(), report.into()]);
    assert_eq!(
        run.code,
        Some(0),
        "{kind}: the report opens: {}",
        run.stderr
    );
    eprintln!("hostile {kind}: {}", run.stderr.trim());
    run
}

/// The notice says the review file is damaged and names `why`; the file was moved aside.
fn assert_review_refused(kind: &str, dir: &Path, run: &Run, why: &str) {
    assert!(
        run.stderr.contains("审校记录已损坏或无法识别") && run.stderr.contains(why),
        "{kind}: notice: {}",
        run.stderr
    );
    let moved = std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().contains(".damaged-"));
    assert!(moved, "{kind}: the damaged file is moved aside");
}

/// A review file with the right version and checksum around `review` (any JSON text).
fn review_file(review: &str) -> String {
    let checksum = nianbao::ingest::sha256_hex(review.as_bytes());
    format!("{{\"format_version\": 1, \"checksum\": \"{checksum}\", \"review\": {review}}}")
}

// A review file whose fields have the wrong types: the version a string; and, with a right
// checksum, a cursor that is a word and an edit whose value is not a number.
#[test]
fn review_file_with_wrong_types() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let run = open_with_review("review version is a string", dir.path(), |p| {
        std::fs::write(p, r#"{"format_version": "1", "checksum": 5, "review": []}"#)
            .expect("write");
    });
    assert_review_refused("review version is a string", dir.path(), &run, "格式版本");
    let dir = tempfile::tempdir().expect("tempdir");
    let body = r#"{"file_name": "report.txt", "report_path": "/x", "source_sha256": "", "saved_at": "2025-01-01T00:00:00Z", "status": "unreviewed", "edits": [{"key": "requests.new.total", "before": {"raw": null, "value": null, "span": null}, "value": {"kind": "number", "value": "x"}, "note": null, "at": ""}], "cursor": "one", "extracted": {}, "verdicts": {}, "notes": {}}"#;
    let run = open_with_review("review fields of the wrong type", dir.path(), |p| {
        std::fs::write(p, review_file(body)).expect("write");
    });
    assert_review_refused(
        "review fields of the wrong type",
        dir.path(),
        &run,
        "不合规",
    );
}

// A review file from a newer program (format version 2): refused by name, not overwritten.
#[test]
fn review_file_of_unknown_version() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let run = open_with_review("review format version 2", dir.path(), |p| {
        std::fs::write(
            p,
            review_file("{}").replace("\"format_version\": 1", "\"format_version\": 2"),
        )
        .expect("write");
    });
    assert_review_refused("review format version 2", dir.path(), &run, "格式版本 2");
}

// A 70 MB review file (over MAX_REVIEW_BYTES) and one of 10^5 nested brackets: refused
// without loading the one or recursing through the other.
#[test]
fn review_file_huge_or_deep() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let run = open_with_review("70 MB review file", dir.path(), |p| {
        let f = std::fs::File::create(p).expect("create");
        f.set_len(70 << 20).expect("sparse 70 MB");
    });
    assert_review_refused("70 MB review file", dir.path(), &run, "MB");
    let dir = tempfile::tempdir().expect("tempdir");
    let run = open_with_review("10^5 nested brackets", dir.path(), |p| {
        std::fs::write(p, "[".repeat(100_000)).expect("write");
    });
    assert_review_refused(
        "10^5 nested brackets",
        dir.path(),
        &run,
        "不是完整的审校记录",
    );
}

// A review file that is a named pipe or a folder: reported, never opened or waited on.
#[test]
fn review_file_not_a_file() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("tempdir");
    let run = open_with_review("review file is a named pipe", dir.path(), fifo);
    assert_review_refused(
        "review file is a named pipe",
        dir.path(),
        &run,
        "不是普通文件",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let run = open_with_review("review file is a folder", dir.path(), |p| {
        std::fs::create_dir(p).expect("mkdir");
    });
    assert_review_refused("review file is a folder", dir.path(), &run, "不是普通文件");
}
