//! The review notice end to end: a seed report with two table numbers changed, reviewed as the
//! window saves a review (findings confirmed, one dismissed, one corrected), run through the
//! real `nianbao notice` binary; the .txt items are compared with what a reader expects, and
//! the .docx is read back by LibreOffice headless.

use nianbao::check::run_checks;
use nianbao::model::CellKey;
use nianbao::review::{CorrectionValue, StoreDirs, VerdictState, store};
use std::path::{Path, PathBuf};
use std::process::Command;

fn key(name: &str) -> CellKey {
    CellKey::from_name(name).unwrap_or_else(|| panic!("no key {name}"))
}

/// Replaces the `nth` (0-based) line `0` after `marker` with `value`.
fn change_after(text: &str, marker: &str, nth: usize, value: &str) -> String {
    let start = text.find(marker).expect("marker in seed");
    let mut at = start;
    for _ in 0..=nth {
        at += text[at..].find("\n0\n").expect("a 0 after the marker") + 1;
    }
    format!("{}{value}{}", &text[..at], &text[at + 1..])
}

/// Seed 001 (张店区行政审批服务局 2023) with 上年结转「自然人」printed 3 and 重复申请「商业企业」
/// printed 2: each breaks a column and a row of 表三, and the checks suggest 0 for each. The seed
/// itself brings a narrative figure (正文 7 件 against 表三 5), a garbled statistics period and
/// two row labels that differ from the template.
fn changed_seed(dir: &Path) -> PathBuf {
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds/001_02434a0845e90c92.txt");
    let text = std::fs::read_to_string(seed).expect("seed");
    let text = change_after(&text, "二、上年结转政府信息公开申请数量", 0, "3");
    let text = change_after(&text, "2.重复申请", 1, "2");
    let path = dir.join("张店区2023.txt");
    std::fs::write(&path, text).expect("report written");
    path
}

/// Confirms, dismisses and corrects as a reviewer would, and saves the review beside the report.
fn review(path: &Path, dirs: &StoreDirs) {
    let mut opened = store::open_report_in(path, dirs).expect("opens");
    let s = &mut opened.session;
    let findings = run_checks(&s.effective_extraction(), &s.source, &[]);
    let find = |rule: &str, cell: Option<&str>| {
        findings
            .iter()
            .find(|f| f.rule == rule && cell.is_none_or(|c| f.keys.first() == Some(&key(c))))
            .unwrap_or_else(|| panic!("no {rule} {cell:?}: {findings:#?}"))
    };
    let confirmed = [
        find(
            "value.suspect",
            Some("requests.carried_over.natural_person"),
        ),
        find("value.suspect", Some("requests.rejected.repeat.commercial")),
        find("narrative.category", None),
        find("dates.period_garbled", None),
        find(
            "extract.label_mismatch",
            Some("requests.other.no_correction.natural_person"),
        ),
    ];
    let dismissed = find(
        "extract.label_mismatch",
        Some("requests.other.no_fee.natural_person"),
    );
    for f in confirmed {
        s.set_verdict(&f.id(), &f.keys, VerdictState::Confirmed, None);
    }
    s.set_verdict(
        &dismissed.id(),
        &dismissed.keys,
        VerdictState::Dismissed,
        Some("错别字不影响理解".into()),
    );
    assert!(s.commit(
        key("requests.carried_over.natural_person"),
        CorrectionValue::Number(0.0),
        Some("按原件更正".into()),
    ));
    store::save_in(s, path, dirs).expect("review saved");
}

/// The paragraphs of a text, trimmed, without empty ones.
fn paragraphs(text: &str) -> Vec<String> {
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

// `nianbao notice` writes the .docx and .txt of a reviewed report: confirmed findings in their
// sections with the correction made or suggested, the dismissed one left out, no 待核实 without
// --include-open; LibreOffice reads the same items out of the .docx.
#[test]
fn notice_command_writes_confirmed_items() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("reports");
    std::fs::create_dir(&input).expect("input folder");
    let report = changed_seed(&input);
    review(&report, &StoreDirs::with_data_dir(dir.path().join("data")));
    std::fs::write(input.join("通知.txt"), "关于召开会议的通知\n请准时参加。").expect("bad");

    // The output folder inside the input folder: its notices are not read as reports.
    let out = input.join("审核意见");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(["notice", "-o"])
            .arg(&out)
            .arg(&input)
            .output()
            .expect("binary runs")
    };
    let o = run();
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "unreadable 通知.txt: {stderr}");
    assert!(stderr.contains("通知.txt"), "{stderr}");
    let docx = out.join("张店区2023_审核意见.docx");
    let txt = out.join("张店区2023_审核意见.txt");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(stdout.contains(&docx.display().to_string()), "{stdout}");
    assert!(stdout.contains(&txt.display().to_string()), "{stdout}");
    let second = run();
    assert!(
        !String::from_utf8_lossy(&second.stderr).contains("审核意见.txt"),
        "earlier notices are not inputs"
    );

    let bytes = std::fs::read(&txt).expect("txt written");
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "BOM for Notepad");
    let text = String::from_utf8(bytes).expect("UTF-8");
    let got = paragraphs(&text);
    let suspect = |row: &str, col: &str, printed: &str| {
        format!(
            "表三「{row}」行「{col}」列填报为 {printed}。表三「{row} {col}」({printed}) 可能有误：\
             表三「{col}」列、表三「{row}」行的勾稽关系不成立；若改为 0，这 2 个等式即全部成立。"
        )
    };
    let expected = [
        "关于《张店区行政审批服务局2023年政府信息公开工作年度报告》的审核意见".to_owned(),
        "张店区行政审批服务局：".to_owned(),
        "经审核，你单位《张店区行政审批服务局2023年政府信息公开工作年度报告》存在以下问题，请逐项核实："
            .to_owned(),
        "一、统计表问题".to_owned(),
        format!(
            "（一）{}经核实，应将该数值由 3 改为 0。",
            suspect("上年结转政府信息公开申请数量", "自然人", "3")
        ),
        format!(
            "（二）{}建议将该数值由 2 改为 0。",
            suspect("重复申请", "商业企业", "2")
        ),
        "二、正文与表格不一致".to_owned(),
        "（一）正文“其中予以公开7件”：予以公开 7 件 ≠ 表三 予以公开 总计(5)。".to_owned(),
        "三、格式与结构问题".to_owned(),
        "（一）统计期限写作“统计期限自202311日起,至20231231日止”：日期缺少“年”“月”，无法确认统计期间\
         （可能是转换丢字），应为 2023年1月1日至2023年12月31日。"
            .to_owned(),
        "（二）表三的栏目名称“1.申请人无正当理由预期不补正、行政机关不再处理其政府信息公开申请”\
         与标准格式“1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请”不一致。"
            .to_owned(),
        "请对照上述意见逐项核实，在重新发布年度报告前完成更正，并将更正情况及时反馈。".to_owned(),
    ];
    assert_eq!(got[..expected.len()], expected[..], "{text}");
    let date = &got[expected.len()];
    assert!(
        date.starts_with("20") && date.ends_with('日') && got.len() == expected.len() + 1,
        "the date closes the notice: {text}"
    );
    assert!(
        !text.contains("预期未按收费"),
        "the dismissed finding is left out"
    );
    assert!(
        !text.contains("待核实"),
        "no open section without --include-open"
    );

    read_back_docx(&docx, &expected);
}

/// LibreOffice headless converts `docs` to text files in `work` (with a profile of its own
/// there, and a UTF-8 locale so that Chinese file names survive).
fn soffice_to_text(docs: &[PathBuf], work: &Path) -> std::process::Output {
    Command::new("soffice")
        .env("LANG", "C.UTF-8")
        .env("LC_ALL", "C.UTF-8")
        .arg("--headless")
        .arg("--norestore")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            work.join("profile").display()
        ))
        .args(["--convert-to", "txt:Text", "--outdir"])
        .arg(work)
        .args(docs)
        .output()
        .expect("soffice runs")
}

/// LibreOffice converts the .docx to text; every paragraph of the notice is found in it, the
/// table items by their cells' words. Skipped with a note when soffice is not installed.
fn read_back_docx(docx: &Path, expected: &[String]) {
    if Command::new("soffice").arg("--version").output().is_err() {
        eprintln!(
            "note: soffice is not on PATH; the LibreOffice read-back of the .docx is skipped"
        );
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let o = soffice_to_text(&[docx.to_path_buf()], work.path());
    let converted = work.path().join("张店区2023_审核意见.txt");
    let text = std::fs::read_to_string(&converted).unwrap_or_else(|e| {
        panic!(
            "LibreOffice wrote no text ({e}); is Writer installed (libreoffice-writer-nogui)? {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    let got = paragraphs(&text);
    // Paragraphs outside the table come back whole.
    for line in expected
        .iter()
        .filter(|l| !l.starts_with("（一）表三「") && !l.starts_with("（二）表三「"))
    {
        assert!(got.contains(line), "missing in the .docx: {line}\n{text}");
    }
    // The table of section 一: header, then per row its number, place, printed and new value,
    // and the explanation with the correction.
    for cell in [
        "序号",
        "位置",
        "原文数值",
        "应为",
        "说明",
        "表三「上年结转政府信息公开申请数量」行「自然人」列",
        "表三「重复申请」行「商业企业」列",
        "0（建议）",
    ] {
        assert!(
            got.iter().any(|l| l == cell),
            "table cell {cell} missing\n{text}"
        );
    }
    assert!(
        got.iter()
            .any(|l| l.contains("可能有误") && l.ends_with("经核实，应将该数值由 3 改为 0。")),
        "{text}"
    );
    assert!(
        got.iter()
            .any(|l| l.contains("可能有误") && l.ends_with("建议将该数值由 2 改为 0。")),
        "{text}"
    );
}

/// Text without white space, so that line breaks a converter puts into a table cell or a quote
/// do not decide a comparison.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

// Every seed, with all its findings confirmed: `nianbao notice` writes a notice whose title
// names the seed's body and year and which states every confirmed finding, and LibreOffice
// opens each .docx and reads the same title and findings out of it.
#[test]
fn every_seed_notice_opens_in_libreoffice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("reports");
    std::fs::create_dir(&input).expect("input folder");
    let dirs = StoreDirs::with_data_dir(dir.path().join("data"));
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let mut expected: Vec<(String, String, Vec<String>)> = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .expect("seeds")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 5);
    for seed in &names {
        let name = seed.file_name().expect("name");
        let path = input.join(name);
        std::fs::copy(seed, &path).expect("copy");
        let mut opened = store::open_report_in(&path, &dirs).expect("opens");
        let s = &mut opened.session;
        let findings = run_checks(&s.effective_extraction(), &s.source, &[]);
        for f in &findings {
            s.set_verdict(&f.id(), &f.keys, VerdictState::Confirmed, None);
        }
        store::save_in(s, &path, &dirs).expect("review saved");
        let title = format!(
            "关于《{}{}年政府信息公开工作年度报告》的审核意见",
            s.extraction.agency.as_deref().expect("agency"),
            s.extraction.year.expect("year")
        );
        let stem = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let messages = findings
            .iter()
            .map(|f| squeeze(f.message.trim_end_matches('。')))
            .collect();
        expected.push((stem, title, messages));
    }
    let out = dir.path().join("notices");
    let o = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .args(["notice", "-o"])
        .arg(&out)
        .arg(&input)
        .output()
        .expect("binary runs");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for (stem, title, messages) in &expected {
        let text = std::fs::read_to_string(out.join(format!("{stem}_审核意见.txt"))).expect("txt");
        let text = squeeze(&text);
        assert!(text.contains(&squeeze(title)), "{stem}: {text}");
        for m in messages {
            assert!(text.contains(m.as_str()), "{stem}: {m} missing\n{text}");
        }
    }
    if Command::new("soffice").arg("--version").output().is_err() {
        eprintln!("note: soffice is not on PATH; the LibreOffice read-back is skipped");
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let docs: Vec<PathBuf> = expected
        .iter()
        .map(|(stem, ..)| out.join(format!("{stem}_审核意见.docx")))
        .collect();
    let o = soffice_to_text(&docs, work.path());
    for (stem, title, messages) in &expected {
        let converted = work.path().join(format!("{stem}_审核意见.txt"));
        let text = std::fs::read_to_string(&converted).unwrap_or_else(|e| {
            panic!(
                "{stem}: LibreOffice wrote no text ({e}): {}",
                String::from_utf8_lossy(&o.stderr)
            )
        });
        let text = squeeze(&text);
        assert!(text.contains(&squeeze(title)), "{stem}: {text}");
        for m in messages {
            assert!(
                text.contains(m.as_str()),
                "{stem}: {m} missing in the .docx\n{text}"
            );
        }
    }
}
