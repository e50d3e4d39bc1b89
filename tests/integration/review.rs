//! Integration tests: review persistence (save, restore, changed source, damaged file, folder
//! not writable, crash safety with the real binary), the batch loader and queue, and importing
//! corrections from a workbook.

use nianbao::model::CellKey;
use nianbao::review::store::{
    self, StoreDirs, decode_review, encode_review, open_report_in, read_review, review_path_beside,
    save_in, saved_review,
};
use nianbao::review::{CorrectionValue, ReviewStatus, VerdictState};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const SEEDS: [&str; 5] = [
    "000_073f686d539d8498.txt",
    "001_02434a0845e90c92.txt",
    "002_fb4184b46a4aab68.txt",
    "003_e00c555d78a674aa.txt",
    "004_e42161fe7aa08ef3.txt",
];

fn seed_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seeds")
        .join(name)
}

fn copy_seed(dir: &Path, seed: &str, as_name: &str) -> PathBuf {
    let to = dir.join(as_name);
    std::fs::copy(seed_path(seed), &to).expect("copy seed");
    to
}

fn key(name: &str) -> CellKey {
    CellKey::from_name(name).unwrap_or_else(|| panic!("no key {name}"))
}

fn dirs(tmp: &Path) -> StoreDirs {
    StoreDirs::with_data_dir(tmp.join("data"))
}

// Corrections (with undo state), verdicts, notes and status survive a save and a reopen.
#[test]
fn save_and_restore_round_trip() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = copy_seed(tmp.path(), SEEDS[0], "高青.txt");
    let dirs = dirs(tmp.path());
    let opened = open_report_in(&report, &dirs).expect("open seed");
    assert!(opened.notices.is_empty(), "{:?}", opened.notices);
    assert!(opened.restored_from.is_none());
    let mut s = opened.session;
    let new_total = key("requests.new.total");
    let fee = key("active.fees.amount");
    let appeals = key("appeals.review.total");
    assert_eq!(s.extraction.cell(new_total).raw.as_deref(), Some("1"));
    assert!(s.commit(
        new_total,
        CorrectionValue::Number(2.0),
        Some("按原件".into())
    ));
    assert!(s.commit(fee, CorrectionValue::Number(12.5), None));
    assert!(s.commit(appeals, CorrectionValue::NotApplicable, None));
    assert_eq!(s.undo(), Some(appeals));
    s.set_verdict(
        "requests.balance:requests.new.total",
        &[new_total],
        VerdictState::Dismissed,
        Some("原件如此".into()),
    );
    s.notes.insert(fee, "单位为万元".into());
    s.status = ReviewStatus::Reviewed;
    let written = save_in(&s, &report, &dirs).expect("save");
    assert_eq!(written, review_path_beside(&report));
    assert_eq!(
        written.file_name().and_then(|n| n.to_str()),
        Some("高青.txt.nianbao.json")
    );

    let again = open_report_in(&report, &dirs).expect("reopen");
    assert!(again.notices.is_empty(), "{:?}", again.notices);
    assert_eq!(again.restored_from.as_deref(), Some(written.as_path()));
    let r = again.session;
    assert_eq!(r.edits(), s.edits(), "edit log");
    assert_eq!(r.cursor(), 2, "undo cursor");
    assert!(
        r.can_redo(),
        "the undone edit can be redone after reopening"
    );
    assert_eq!(r.effective_value(new_total), Some(2.0), "{new_total}");
    assert_eq!(r.effective_value(fee), Some(12.5), "{fee}");
    assert_eq!(r.effective_cell(appeals), s.effective_cell(appeals));
    assert_eq!(r.verdicts, s.verdicts);
    assert!(
        r.verdict("requests.balance:requests.new.total", &[new_total])
            .is_some()
    );
    assert_eq!(r.notes.get(&fee).map(String::as_str), Some("单位为万元"));
    assert_eq!(r.status, ReviewStatus::Reviewed);
    assert_eq!(r.source_sha256(), s.source_sha256());

    // A second save keeps the first file as the backup.
    let mut r = r;
    r.redo();
    save_in(&r, &report, &dirs).expect("second save");
    let bak = read_review(&written.with_file_name("高青.txt.nianbao.json.bak")).expect("backup");
    assert_eq!(bak.cursor, 2, "backup holds the previous save");
    assert_eq!(read_review(&written).expect("review").cursor, 3);
}

// The file is JSON with a format version, the source hash, the file name, the log and cursor.
#[test]
fn review_file_has_documented_fields() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = copy_seed(tmp.path(), SEEDS[2], "临沂.txt");
    let dirs = dirs(tmp.path());
    let mut s = open_report_in(&report, &dirs).expect("open").session;
    s.commit(
        key("requests.new.total"),
        CorrectionValue::Number(60.0),
        None,
    );
    let path = save_in(&s, &report, &dirs).expect("save");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    assert_eq!(v["format_version"], 1);
    let review = &v["review"];
    assert_eq!(review["file_name"], "临沂.txt");
    assert_eq!(
        review["source_sha256"].as_str(),
        Some(nianbao::ingest::sha256_hex(&std::fs::read(&report).expect("read")).as_str())
    );
    assert_eq!(review["cursor"], 1);
    assert_eq!(review["edits"][0]["key"], "requests.new.total");
    assert_eq!(review["extracted"]["requests.new.total"], "59");
    assert_eq!(review["status"], "unreviewed");
}

fn replace_span(text: &str, start: usize, end: usize, with: &str) -> String {
    format!("{}{with}{}", &text[..start], &text[end..])
}

// A changed source is noticed: corrections on cells whose raw text is unchanged are restored,
// the others are not, and both are named.
#[test]
fn changed_source_restores_only_unchanged_cells() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = copy_seed(tmp.path(), SEEDS[2], "临沂.txt");
    let dirs = dirs(tmp.path());
    let mut s = open_report_in(&report, &dirs).expect("open").session;
    let new_total = key("requests.new.total");
    let granted = key("requests.granted.natural_person");
    assert_eq!(s.extraction.cell(granted).raw.as_deref(), Some("48"));
    s.commit(new_total, CorrectionValue::Number(60.0), None);
    s.commit(granted, CorrectionValue::Number(49.0), None);
    s.status = ReviewStatus::Reviewed;
    save_in(&s, &report, &dirs).expect("save");

    // The publisher fixes the granted cell in the source: 48 → 47.
    let span = s.extraction.cell(granted).span.expect("granted has a span");
    let text = std::fs::read_to_string(&report).expect("read");
    std::fs::write(&report, replace_span(&text, span.start, span.end, "47")).expect("write");

    let opened = open_report_in(&report, &dirs).expect("reopen");
    let r = &opened.session;
    assert_eq!(r.extraction.cell(granted).raw.as_deref(), Some("47"));
    assert_eq!(
        r.effective_value(new_total),
        Some(60.0),
        "{new_total} still applies"
    );
    assert_eq!(
        r.effective_value(granted),
        Some(47.0),
        "{granted} must not apply"
    );
    assert_eq!(r.edits().len(), 1);
    assert_eq!(
        r.status,
        ReviewStatus::Unreviewed,
        "a changed report is reviewed again"
    );
    let notice = opened
        .notices
        .iter()
        .find(|n| n.contains("源文件自上次审校"))
        .unwrap_or_else(|| panic!("no change notice in {:?}", opened.notices));
    assert!(
        notice.contains("仍适用") && notice.contains(&new_total.accessible_name()),
        "{notice}"
    );
    assert!(
        notice.contains("不再适用") && notice.contains(&granted.accessible_name()),
        "{notice}"
    );
    // The old review is kept whole so the dropped correction is not lost.
    let kept: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".before-change-"))
        .collect();
    assert_eq!(kept.len(), 1, "archived copy of the old review");
    assert_eq!(
        read_review(&kept[0].path())
            .expect("archived review")
            .edits
            .len(),
        2
    );

    // The same source changed elsewhere only (a line appended): every correction applies.
    let tmp2 = tempfile::tempdir().expect("tempdir");
    let report2 = copy_seed(tmp2.path(), SEEDS[2], "临沂.txt");
    let mut s2 = open_report_in(&report2, &dirs).expect("open").session;
    s2.commit(granted, CorrectionValue::Number(49.0), None);
    save_in(&s2, &report2, &dirs).expect("save");
    let mut text = std::fs::read_to_string(&report2).expect("read");
    text.push_str("\n附：本报告已更新联系方式。\n");
    std::fs::write(&report2, text).expect("write");
    let o2 = open_report_in(&report2, &dirs).expect("reopen");
    assert_eq!(o2.session.effective_value(granted), Some(49.0), "{granted}");
    assert!(
        o2.notices
            .iter()
            .any(|n| n.contains("源文件自上次审校") && !n.contains("不再适用"))
    );
}

// A damaged or hand-edited review file gets a message, is moved aside, never overwritten, and
// the report still opens.
#[test]
fn damaged_review_file_is_kept_and_reported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = copy_seed(tmp.path(), SEEDS[1], "张店.txt");
    let dirs = dirs(tmp.path());
    let review = review_path_beside(&report);
    for (case, bytes) in [
        ("truncated", b"{\"format_version\": 1, \"checks".to_vec()),
        ("not json", "这不是审校记录".as_bytes().to_vec()),
        (
            "newer version",
            b"{\"format_version\": 99, \"review\": {}}".to_vec(),
        ),
    ] {
        std::fs::write(&review, &bytes).expect("write damaged");
        let opened = open_report_in(&report, &dirs).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert!(opened.restored_from.is_none(), "{case}");
        assert_eq!(
            opened.session.extraction.cells_read(),
            200,
            "{case}: report opens"
        );
        let notice = opened.notices.join("\n");
        assert!(
            notice.contains("审校记录已损坏") && notice.contains("本次不会覆盖它"),
            "{case}: {notice}"
        );
        assert!(
            !review.exists(),
            "{case}: damaged file moved out of the way"
        );
        let aside = std::fs::read_dir(tmp.path())
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| std::fs::read(p).ok().as_deref() == Some(bytes.as_slice()))
            .unwrap_or_else(|| panic!("{case}: damaged bytes kept somewhere"));
        assert!(
            notice.contains(&aside.display().to_string()),
            "{case}: {notice}"
        );
        std::fs::remove_file(aside).expect("clean");
    }

    // Hand-edited: valid JSON, but a value changed without the checksum.
    let mut s = open_report_in(&report, &dirs).expect("open").session;
    s.commit(
        key("requests.new.total"),
        CorrectionValue::Number(8.0),
        None,
    );
    save_in(&s, &report, &dirs).expect("save");
    std::fs::remove_file(review.with_file_name("张店.txt.nianbao.json.bak")).ok();
    let text = std::fs::read_to_string(&review).expect("read");
    let edited = text.replacen("\"value\": 8.0", "\"value\": 9.0", 1);
    assert_ne!(text, edited, "the test edits the file");
    std::fs::write(&review, &edited).expect("hand edit");
    assert!(decode_review(edited.as_bytes()).is_err());
    let opened = open_report_in(&report, &dirs).expect("open");
    assert!(
        opened.notices.iter().any(|n| n.contains("手工修改")),
        "{:?}",
        opened.notices
    );
    assert_eq!(
        opened.session.edits().len(),
        0,
        "nothing restored from a hand-edited file"
    );

    // If the damaged file cannot be moved aside, saving over it is refused.
    std::fs::write(&review, b"garbage").expect("write");
    let err = save_in(&opened.session, &report, &dirs).expect_err("must refuse");
    assert!(err.to_string().contains("为免覆盖它"), "{err}");
    assert_eq!(std::fs::read(&review).expect("read"), b"garbage");
}

// A damaged review file with a good backup is restored from the backup, with a notice.
#[test]
fn damaged_review_file_falls_back_to_backup() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = copy_seed(tmp.path(), SEEDS[3], "金乡.txt");
    let dirs = dirs(tmp.path());
    let mut s = open_report_in(&report, &dirs).expect("open").session;
    let k = key("requests.new.total");
    s.commit(k, CorrectionValue::Number(3.0), None);
    save_in(&s, &report, &dirs).expect("save 1");
    s.commit(k, CorrectionValue::Number(4.0), None);
    let path = save_in(&s, &report, &dirs).expect("save 2");
    std::fs::write(&path, b"{").expect("damage");
    let opened = open_report_in(&report, &dirs).expect("open");
    assert_eq!(
        opened.session.effective_value(k),
        Some(3.0),
        "{k} from the backup"
    );
    assert!(
        opened.notices.iter().any(|n| n.contains("已从备份")),
        "{:?}",
        opened.notices
    );
}

// When the report's folder refuses new files, the review goes to the data directory and is
// found there again.
#[test]
fn unwritable_folder_falls_back_to_data_dir() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // A "folder" that is really a file: nothing can be created inside it, even by root.
    let blocker = tmp.path().join("blocked");
    std::fs::write(&blocker, b"").expect("file");
    let dirs = dirs(tmp.path());
    let report = copy_seed(tmp.path(), SEEDS[4], "聊城.txt");
    let mut s = open_report_in(&report, &dirs).expect("open").session;
    let k = key("requests.new.total");
    s.commit(k, CorrectionValue::Number(14.0), None);
    // Saving "beside" a report inside the blocker fails; the data directory is used instead.
    let fake_report = blocker.join("聊城.txt");
    let written = save_in(&s, &fake_report, &dirs).expect("fallback save");
    assert!(
        written.starts_with(tmp.path().join("data")),
        "{}",
        written.display()
    );
    assert_eq!(
        Some(written.clone()),
        store::review_path_in_data_dir(&fake_report, &dirs)
    );
    assert_eq!(read_review(&written).expect("readable").edits.len(), 1);
    // Without a data directory the error says both places failed.
    let none = StoreDirs { data_dir: None };
    let err = save_in(&s, &fake_report, &none).expect_err("nowhere to write");
    assert!(err.to_string().contains("不可写"), "{err}");
}

// The real binary, run as a user who cannot write the report's folder, saves to the data
// directory and restores from it on the next run.
#[cfg(unix)]
#[test]
fn unwritable_folder_real_permissions() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let folder = tmp.path().join("reports");
    std::fs::create_dir(&folder).expect("mkdir");
    let report = copy_seed(&folder, SEEDS[0], "report.txt");
    let data = tmp.path().join("xdg");
    std::fs::create_dir(&data).expect("mkdir");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    // Root ignores permission bits: run the binary as `nobody` then.
    let probe = folder.join("probe");
    let as_root = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    // `nobody` may not be able to reach the build's folder (a checkout under a private
    // folder): run a copy of the binary from the test's own folder.
    let binary = tmp.path().join("nianbao");
    std::fs::copy(env!("CARGO_BIN_EXE_nianbao"), &binary).expect("copy binary");
    std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let run = |args: &[&str]| {
        let mut cmd = Command::new(&binary);
        cmd.arg("apply-corrections")
            .arg(&report)
            .args(args)
            .env("XDG_DATA_HOME", &data)
            .env("HOME", &data);
        if as_root {
            cmd.uid(65534).gid(65534);
        }
        cmd.output().expect("run binary")
    };
    let out = run(&["requests.new.total=5"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "committed 1\n");
    assert!(!review_path_beside(&report).exists());
    let saved: Vec<PathBuf> = walk(&data)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".nianbao.json"))
        .collect();
    assert_eq!(
        saved.len(),
        1,
        "one review in the data directory: {saved:?}"
    );
    let review = read_review(&saved[0]).expect("valid review");
    assert_eq!(review.file_name, "report.txt");
    // The second run restores the first correction and adds another.
    let out = run(&["requests.new.natural_person=5"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let review = read_review(&saved[0]).expect("valid review");
    let keys: Vec<&str> = review.edits.iter().map(|e| e.key.name()).collect();
    assert_eq!(keys, ["requests.new.total", "requests.new.natural_person"]);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

// Encoding then decoding gives the same review; any flipped byte is detected.
#[test]
fn encoded_review_detects_any_change() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = copy_seed(tmp.path(), SEEDS[0], "a.txt");
    let mut s = open_report_in(&report, &dirs(tmp.path()))
        .expect("open")
        .session;
    s.commit(
        key("active.fees.amount"),
        CorrectionValue::Number(0.1 + 0.2),
        None,
    );
    let review = saved_review(&s, &report, "abc");
    let bytes = encode_review(&review).expect("encode");
    assert_eq!(decode_review(&bytes).expect("decode"), review);
    let body = bytes
        .windows(9)
        .position(|w| w == b"\"review\":")
        .expect("review field");
    for i in (body..bytes.len() - 3).step_by(7) {
        let mut damaged = bytes.clone();
        damaged[i] ^= 0x01;
        if damaged[i].is_ascii_whitespace() && bytes[i].is_ascii_whitespace() {
            continue;
        }
        assert!(
            decode_review(&damaged).is_err(),
            "flip at byte {i} not detected"
        );
    }
}

/// A small deterministic random sequence for kill timings.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound
    }
}

// Killing the real binary (SIGKILL) while it commits and saves corrections never loses a
// correction reported as committed and never leaves a corrupt review file.
#[cfg(unix)]
#[test]
fn sigkill_never_loses_committed_corrections() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = copy_seed(tmp.path(), SEEDS[1], "张店.txt");
    let review = review_path_beside(&report);
    let data = tmp.path().join("xdg");
    let dirs = StoreDirs::with_data_dir(data.join("nianbao/reviews"));
    let keys: Vec<CellKey> = CellKey::all()
        .filter(|k| k.index() % 7 == 3)
        .take(24)
        .collect();
    let value = |run: usize, j: usize| (1000 * (run + 1) + j) as f64;
    let mut rng = Lcg(0x006e_6961_6e62_616f);
    let runs = 30;
    let mut kills = 0;
    for run in 0..runs {
        let args: Vec<String> = keys
            .iter()
            .enumerate()
            .map(|(j, k)| format!("{}={}", k.name(), value(run, j)))
            .collect();
        let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .arg("apply-corrections")
            .arg(&report)
            .args(&args)
            .env("XDG_DATA_HOME", &data)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        // The last run finishes; the others are killed after a varying number of commits and
        // a varying delay, so the kill lands inside opening, writing, syncing or renaming.
        let kill_after = if run == runs - 1 {
            usize::MAX
        } else {
            rng.next(keys.len() as u64 + 1) as usize
        };
        let mut committed = 0;
        while committed < kill_after {
            match lines.next() {
                Some(Ok(line)) => {
                    assert_eq!(line, format!("committed {}", committed + 1), "run {run}");
                    committed += 1;
                }
                _ => break,
            }
        }
        if kill_after != usize::MAX {
            std::thread::sleep(std::time::Duration::from_micros(rng.next(3000)));
            child.kill().expect("send SIGKILL");
        }
        // Lines already written before the kill also count as committed.
        for line in lines.map_while(Result::ok) {
            assert_eq!(line, format!("committed {}", committed + 1), "run {run}");
            committed += 1;
        }
        let status = child.wait().expect("wait");
        if std::os::unix::process::ExitStatusExt::signal(&status) == Some(9) {
            kills += 1;
        }
        let mut stderr = String::new();
        if let Some(mut e) = child.stderr.take() {
            std::io::Read::read_to_string(&mut e, &mut stderr).ok();
        }
        assert!(!stderr.contains("损坏"), "run {run}: {stderr}");
        if run == runs - 1 {
            assert!(status.success(), "last run: {stderr}");
            assert_eq!(committed, keys.len());
        }
        if !review.exists() {
            assert_eq!(committed, 0, "run {run}: committed but no review file");
            continue;
        }
        // The file on disk is always a complete, valid review.
        let saved = read_review(&review)
            .unwrap_or_else(|p| panic!("run {run}, {committed} committed: corrupt review: {p}"));
        if let Ok(bak) = std::fs::metadata(review.with_file_name("张店.txt.nianbao.json.bak")) {
            assert!(bak.len() > 0);
            read_review(&review.with_file_name("张店.txt.nianbao.json.bak"))
                .unwrap_or_else(|p| panic!("run {run}: corrupt backup: {p}"));
        }
        assert!(saved.cursor <= saved.edits.len());
        // Restart as the window would, and check every committed correction of this run.
        let opened = open_report_in(&report, &dirs).expect("reopen");
        assert!(opened.notices.is_empty(), "run {run}: {:?}", opened.notices);
        for (j, k) in keys.iter().enumerate() {
            let got = opened.session.effective_value(*k);
            if j < committed {
                assert_eq!(got, Some(value(run, j)), "run {run}: {k} lost after kill");
            } else {
                // Not yet reported: this run's value (saved just before the kill), an earlier
                // run's value, or the extracted one.
                let ok = got == Some(value(run, j))
                    || (0..run).any(|r| got == Some(value(r, j)))
                    || got == opened.session.extraction.cell(*k).value;
                assert!(ok, "run {run}: {k} holds an impossible value {got:?}");
            }
        }
    }
    assert!(kills >= runs / 2, "only {kills} kills landed");
}

mod batch {
    use super::{SEEDS, copy_seed, key};
    use nianbao::review::CorrectionValue;
    use nianbao::review::batch::{BatchEvent, BatchLoader, LoadedReport, load_reports};
    use nianbao::review::queue::{
        QueueEntry, QueueFilter, QueueSort, QueueStatus, queue_order, step,
    };
    use nianbao::review::store::{
        StoreDirs, open_report_in, read_review, review_path_beside, save_in,
    };
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicBool, Ordering};

    /// The seeds, last year's copy of 高青 (title year 2023, its 结转下年度 自然人 changed so
    /// that 2024's 上年结转 no longer follows it), and an empty file, in a nested folder tree.
    fn folder(tmp: &Path) -> PathBuf {
        let root = tmp.join("年报");
        let sub = root.join("2024");
        std::fs::create_dir_all(&sub).expect("mkdir");
        for (i, s) in SEEDS.iter().enumerate() {
            copy_seed(if i % 2 == 0 { &root } else { &sub }, s, s);
        }
        let text = std::fs::read_to_string(super::seed_path(SEEDS[0])).expect("seed");
        let e = nianbao::extract::extract(&nianbao::model::SourceText::from_utf8(text.clone()));
        let span = e
            .cell(key("requests.carry_forward.natural_person"))
            .span
            .expect("a span");
        let mut prev = text;
        prev.replace_range(span.start..span.end, "977");
        std::fs::write(
            root.join("000_prev.txt"),
            prev.replacen("2024年政府信息公开", "2023年政府信息公开", 1),
        )
        .expect("write");
        std::fs::write(sub.join("empty.txt"), b"").expect("write");
        root
    }

    /// One report as the loader sent it.
    type Loaded = (PathBuf, Result<Box<LoadedReport>, String>);

    /// Loads a folder through the background loader: the reports in the order sent, the
    /// progress seen, and whether it was cancelled.
    fn load_folder(root: &Path, data: &Path) -> (Vec<Loaded>, Vec<(usize, usize)>, bool) {
        let mut loader = BatchLoader::start_in(
            vec![root.to_path_buf()],
            StoreDirs::with_data_dir(data),
            || {},
        );
        let mut reports = Vec::new();
        let mut progress = Vec::new();
        let mut cancelled = None;
        while let Some(event) = loader.recv() {
            match event {
                BatchEvent::Progress { done, total, .. } => progress.push((done, total)),
                BatchEvent::Finished { cancelled: c, .. } => cancelled = Some(c),
                BatchEvent::Report { path, result, .. } => reports.push((path, result)),
                BatchEvent::Started { .. } => {}
            }
            if loader.is_finished() {
                break;
            }
        }
        (reports, progress, cancelled.expect("Finished event"))
    }

    /// The queue entries of the reports that opened, with their paths.
    fn entries(loaded: &[Loaded]) -> (Vec<PathBuf>, Vec<QueueEntry>) {
        loaded
            .iter()
            .filter_map(|(path, r)| {
                let r = r.as_ref().ok()?;
                let name = path.file_name()?.to_string_lossy().into_owned();
                Some((path.clone(), QueueEntry::new(name, &r.session, &r.findings)))
            })
            .unzip()
    }

    // A folder is read recursively off the calling thread: progress for every file, one report
    // per file in folder order, unreadable files listed with a Chinese reason; the queue sorts,
    // filters and steps through what opened.
    #[test]
    fn loader_reads_a_folder_with_progress() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = folder(tmp.path());
        let (loaded, progress, cancelled) = load_folder(&root, &tmp.path().join("data"));
        assert!(!cancelled);
        assert_eq!(loaded.len(), 7);
        assert_eq!(progress.len(), 7);
        assert_eq!(progress.last(), Some(&(7, 7)));
        assert!(progress.windows(2).all(|w| w[1].0 == w[0].0 + 1));
        let names: Vec<String> = loaded
            .iter()
            .filter_map(|(p, _)| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        assert_eq!(
            names,
            [
                "000_073f686d539d8498.txt",
                "000_prev.txt",
                "002_fb4184b46a4aab68.txt",
                "004_e42161fe7aa08ef3.txt",
                "001_02434a0845e90c92.txt",
                "003_e00c555d78a674aa.txt",
                "empty.txt",
            ]
        );
        assert_eq!(
            loaded[6].1.as_ref().err().map(String::as_str),
            Some("文件是空的")
        );
        let (_, rows) = entries(&loaded);
        assert_eq!(rows.len(), 6, "the empty file has no entry");
        assert_eq!(rows[0].agency.as_deref(), Some("高青县行政审批服务局"));
        assert_eq!(rows[0].year, Some(2024));
        assert_eq!(rows[1].year, Some(2023), "000_prev.txt: title year");
        assert_eq!(rows[4].agency.as_deref(), Some("张店区行政审批服务局"));
        // Sort by year (then agency); filter by status; step follows the order shown.
        let by_year = queue_order(&rows, QueueSort::Year, QueueFilter::All);
        let years: Vec<Option<i32>> = by_year.iter().map(|&i| rows[i].year).collect();
        assert!(years.windows(2).all(|w| w[0] <= w[1]), "{years:?}");
        let at = |i: usize| by_year.iter().position(|&j| j == i);
        assert!(at(1) < at(0), "高青 2023 before 高青 2024: {by_year:?}");
        for status in [
            QueueStatus::Unreviewed,
            QueueStatus::Problems,
            QueueStatus::Reviewed,
        ] {
            let shown = queue_order(&rows, QueueSort::File, QueueFilter::Status(status));
            assert!(
                shown.iter().all(|&i| rows[i].status == status),
                "{status:?}"
            );
        }
        assert!(
            rows.iter().all(|r| r.status != QueueStatus::Reviewed),
            "nothing marked reviewed yet"
        );
        assert_eq!(step(&by_year, None, true), Some(by_year[0]));
        assert_eq!(step(&by_year, Some(by_year[0]), true), Some(by_year[1]));
        assert_eq!(
            step(&by_year, Some(by_year[0]), false),
            by_year.last().copied(),
            "wraps around"
        );
    }

    // Reports of the same body are checked together across years: 高青 2024's 上年结转 is
    // compared with its 2023 copy's 结转下年度; 张店 (alone) has no cross-year finding.
    #[test]
    fn same_body_other_years_are_grouped() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = folder(tmp.path());
        let (loaded, _, _) = load_folder(&root, &tmp.path().join("data"));
        let findings_of = |path: &Path| {
            loaded
                .iter()
                .find(|(p, _)| p == path)
                .and_then(|(_, r)| r.as_ref().ok())
                .map(|r| {
                    r.findings
                        .iter()
                        .map(|f| f.rule.clone())
                        .collect::<Vec<_>>()
                })
                .expect("in the folder")
        };
        let gaoqing = findings_of(&root.join(SEEDS[0]));
        assert!(
            gaoqing.iter().any(|r| r.starts_with("years.carried_over")),
            "高青 2024: {gaoqing:?}"
        );
        let zhangdian = findings_of(&root.join("2024").join(SEEDS[1]));
        assert!(
            !zhangdian.iter().any(|r| r.starts_with("years.")),
            "张店: {zhangdian:?}"
        );
    }
    // Cancelling stops reading; the files read before are still returned, checked, in order.
    #[test]
    fn cancel_stops_reading() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut files = Vec::new();
        for i in 0..60 {
            files.push(copy_seed(tmp.path(), SEEDS[i % 5], &format!("{i:02}.txt")));
        }
        let cancel = AtomicBool::new(false);
        let dirs = StoreDirs::with_data_dir(tmp.path().join("data"));
        let results = load_reports(&files, &dirs, &cancel, |done, _, _| {
            if done == 3 {
                cancel.store(true, Ordering::Relaxed);
            }
        });
        assert!(results.len() >= 3, "read before the cancel are kept");
        assert!(
            results.len() < 60,
            "cancel stopped the rest: {}",
            results.len()
        );
        let mut paths: Vec<_> = results.iter().map(|(p, _)| p.clone()).collect();
        let in_order = paths.clone();
        paths.sort();
        assert_eq!(paths, in_order);
        assert!(results.iter().all(|(_, r)| r.is_ok()));
    }

    // Saved reviews come back through the loader: corrections counted in the queue entry;
    // marking 已审 makes the entry 已审 and is saved.
    #[test]
    fn queue_restores_and_marks_reviewed() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let data = tmp.path().join("data");
        let dirs = StoreDirs::with_data_dir(&data);
        let root = folder(tmp.path());
        let report = root.join(SEEDS[2]);
        let mut s = open_report_in(&report, &dirs).expect("open").session;
        s.commit(
            key("requests.new.total"),
            CorrectionValue::Number(60.0),
            None,
        );
        s.commit(
            key("requests.new.commercial"),
            CorrectionValue::Number(1.0),
            None,
        );
        save_in(&s, &report, &dirs).expect("save");
        let (mut loaded, _, _) = load_folder(&root, &data);
        let (paths, rows) = entries(&loaded);
        let i = paths.iter().position(|p| *p == report).expect("in queue");
        assert_eq!(rows[i].corrections, 2);
        assert_ne!(rows[i].status, QueueStatus::Reviewed);
        let (_, result) = loaded
            .iter_mut()
            .find(|(p, _)| *p == report)
            .expect("loaded");
        let r = result.as_mut().expect("opened");
        r.session.status = nianbao::review::ReviewStatus::Reviewed;
        save_in(&r.session, &report, &dirs).expect("save status");
        assert_eq!(
            QueueEntry::new("x", &r.session, &r.findings).status,
            QueueStatus::Reviewed
        );
        let saved = read_review(&review_path_beside(&report)).expect("saved");
        assert_eq!(saved.status, nianbao::review::ReviewStatus::Reviewed);
        assert_eq!(saved.edits.len(), 2);
    }
}

mod import {
    use super::{SEEDS, copy_seed, key};
    use nianbao::model::CellKey;
    use nianbao::review::CorrectionValue;
    use nianbao::review::ReviewSession;
    use nianbao::review::batch::load_reports;
    use nianbao::review::import::{
        ImportError, ImportPreview, ImportTarget, SHEET_SUMMARY, apply_import, preview_import,
    };
    use nianbao::review::store::StoreDirs;
    use rust_xlsxwriter::Workbook;
    use std::path::{Path, PathBuf};
    use std::sync::atomic::AtomicBool;

    /// The open reports an import is matched against: each file with its review session.
    struct Opened {
        reports: Vec<(PathBuf, ReviewSession)>,
    }

    impl Opened {
        /// Opens the files given, as the window does (its import reads the open reports).
        fn new(files: &[PathBuf], data: &Path) -> Self {
            let dirs = StoreDirs::with_data_dir(data);
            let reports = load_reports(files, &dirs, &AtomicBool::new(false), |_, _, _| {})
                .into_iter()
                .map(|(p, r)| (p, r.expect("opens").session))
                .collect();
            Self { reports }
        }

        fn position(&self, path: &Path) -> Option<usize> {
            self.reports.iter().position(|(p, _)| p == path)
        }

        fn preview(&self, bytes: &[u8], name: &str) -> Result<ImportPreview, ImportError> {
            let targets: Vec<ImportTarget<'_>> = self
                .reports
                .iter()
                .map(|(path, session)| ImportTarget { path, session })
                .collect();
            preview_import(bytes, name, &targets)
        }

        /// Applies a preview as the window does (which then saves and checks each changed
        /// report): one commit per cell.
        fn apply(&mut self, preview: &ImportPreview) -> usize {
            preview
                .reports
                .iter()
                .map(|r| apply_import(r, &preview.workbook, &mut self.reports[r.target].1))
                .sum()
        }
    }

    /// The cells of one workbook row: key and text (None: empty cell).
    type RowCells = Vec<(CellKey, Option<String>)>;

    /// A workbook laid out as the export's `汇总` sheet: Chinese headers, then the key row, then
    /// one row per report with the values of `rows` (None: empty cell; Some(text): a number
    /// when it parses, else the text).
    fn workbook(rows: &[(&str, RowCells)]) -> Vec<u8> {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name(SHEET_SUMMARY).expect("name");
        let fixed = ["文件", "机关", "年度", "状态"];
        let fixed_keys = ["file", "agency", "year", "status"];
        for (c, (zh, en)) in fixed.iter().zip(fixed_keys).enumerate() {
            ws.write_string(0, c as u16, *zh).expect("write");
            ws.write_string(1, c as u16, en).expect("write");
        }
        for (c, k) in CellKey::all().enumerate() {
            ws.write_string(0, (4 + c) as u16, k.label())
                .expect("write");
            ws.write_string(1, (4 + c) as u16, k.name()).expect("write");
        }
        for (r, (file, cells)) in rows.iter().enumerate() {
            let row = (2 + r) as u32;
            ws.write_string(row, 0, *file).expect("write");
            for (k, v) in cells {
                let col = (4 + k.index()) as u16;
                match v {
                    None => {}
                    Some(t) => match t.parse::<f64>() {
                        Ok(n) => {
                            ws.write_number(row, col, n).expect("write");
                        }
                        Err(_) => {
                            ws.write_string(row, col, t).expect("write");
                        }
                    },
                }
            }
        }
        wb.save_to_buffer().expect("xlsx")
    }

    /// Every cell of a report as the workbook would hold it: the printed text.
    fn as_exported(opened: &Opened, i: usize) -> RowCells {
        let session = &opened.reports[i].1;
        CellKey::all()
            .map(|k| {
                (
                    k,
                    session.extraction.cell(k).raw.as_deref().map(String::from),
                )
            })
            .collect()
    }

    // A cleaned workbook's changed cells are previewed per report, then applied as ordinary,
    // undoable commits; unknown rows and unreadable cells are listed, not guessed.
    #[test]
    fn preview_then_apply_workbook_corrections() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("reports");
        std::fs::create_dir(&dir).expect("mkdir");
        let a = copy_seed(&dir, SEEDS[2], "临沂.txt");
        let b = copy_seed(&dir, SEEDS[4], "聊城.txt");
        let data = tmp.path().join("data");
        let mut queue = Opened::new(&[a.clone(), b], &data);
        let ia = queue.position(&a).expect("临沂");
        let new_total = key("requests.new.total");
        let granted = key("requests.granted.natural_person");
        let appeals = key("appeals.review.total");
        let mut cells = as_exported(&queue, ia);
        let set = |cells: &mut RowCells, k: CellKey, v: Option<&str>| {
            cells[k.index()] = (k, v.map(str::to_owned));
        };
        set(&mut cells, new_total, Some("60"));
        set(&mut cells, granted, Some("/"));
        set(&mut cells, appeals, None);
        set(&mut cells, key("requests.new.commercial"), Some("两件"));
        let unchanged_other =
            as_exported(&queue, queue.position(&dir.join("聊城.txt")).expect("聊城"));
        let bytes = workbook(&[
            ("reports/临沂.txt", cells),
            ("聊城.txt", unchanged_other),
            ("不存在.txt", vec![(new_total, Some("1".to_owned()))]),
        ]);
        let preview = queue.preview(&bytes, "整理后.xlsx").expect("preview");
        assert_eq!(
            preview.reports.len(),
            1,
            "聊城 unchanged: {:?}",
            preview.reports
        );
        let r = &preview.reports[0];
        assert_eq!(r.target, ia);
        assert_eq!(r.sheet_row, 3);
        let got: Vec<(CellKey, CorrectionValue)> =
            r.changes.iter().map(|c| (c.key, c.to)).collect();
        let appeals_before = queue.reports[ia].1.extraction.cell(appeals).clone();
        let mut expected = vec![
            (new_total, CorrectionValue::Number(60.0)),
            (granted, CorrectionValue::NotApplicable),
        ];
        if appeals_before.raw.is_some() {
            expected.push((appeals, CorrectionValue::Blank));
        }
        assert_eq!(got, expected);
        assert_eq!(r.skipped.len(), 1, "{:?}", r.skipped);
        assert!(r.skipped[0].contains("两件"), "{}", r.skipped[0]);
        assert_eq!(preview.unmatched.len(), 1);
        assert!(
            preview.unmatched[0].contains("不存在.txt"),
            "{}",
            preview.unmatched[0]
        );
        assert!(
            r.changes[0].describe().contains("59 → 60"),
            "{}",
            r.changes[0].describe()
        );

        let changed = queue.apply(&preview);
        assert_eq!(changed, expected.len());
        let session = &mut queue.reports[ia].1;
        assert_eq!(
            session.effective_value(new_total),
            Some(60.0),
            "{new_total}"
        );
        assert_eq!(session.effective_cell(granted).raw.as_deref(), Some("/"));
        assert!(
            session.audit_trail()[0]
                .note
                .as_deref()
                .is_some_and(|n| n.contains("整理后.xlsx"))
        );
        session.undo();
        assert_eq!(
            session.audit_trail().len(),
            expected.len() - 1,
            "one undo per cell"
        );
    }

    // A workbook without the summary sheet or its key row is refused with a Chinese reason.
    #[test]
    fn workbook_without_key_row_is_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let queue = Opened::new(&[], tmp.path());
        let mut wb = Workbook::new();
        wb.add_worksheet().set_name("Sheet1").expect("name");
        let bytes = wb.save_to_buffer().expect("xlsx");
        let err = queue.preview(&bytes, "x.xlsx").expect_err("no 汇总");
        assert_eq!(err, ImportError::NoSummarySheet);
        assert!(err.to_string().contains(SHEET_SUMMARY));
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name(SHEET_SUMMARY).expect("name");
        ws.write_string(0, 0, "文件").expect("write");
        let bytes = wb.save_to_buffer().expect("xlsx");
        assert_eq!(
            queue.preview(&bytes, "x.xlsx"),
            Err(ImportError::NoKeyHeader)
        );
        let err = queue
            .preview(b"not a workbook", "x.xlsx")
            .expect_err("bytes");
        assert!(err.to_string().starts_with("无法读取工作簿"), "{err}");
    }
}

mod progress {
    use nianbao::cli::ProgressBar;
    use std::path::Path;
    use std::process::Command;

    // The bar shows the share done, the count and the current file.
    #[test]
    fn bar_text() {
        let mut bar = ProgressBar::with_visibility(4, false);
        bar.advance(Path::new("reports/a.txt"));
        assert_eq!(
            bar.line(Path::new("reports/a.txt")),
            format!("[{}{}] 1/4 a.txt", "#".repeat(7), "-".repeat(23))
        );
        for _ in 0..3 {
            bar.advance(Path::new("b.txt"));
        }
        assert_eq!(
            bar.line(Path::new("b.txt")),
            format!("[{}] 4/4 b.txt", "#".repeat(30))
        );
        assert!(!bar.is_visible());
    }

    // With stderr piped, a multi-file run prints no progress bar.
    #[test]
    fn no_bar_when_piped() {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
        let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .arg("extract")
            .arg(&seeds)
            .output()
            .expect("run");
        assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 5);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains('\r') && !stderr.contains("5/5"),
            "{stderr:?}"
        );
    }
}
