//! Integration tests of the headless pipeline: `extract` and `check` on a folder of mixed
//! reports give the same output, byte for byte and in input order, on one thread and on many;
//! cross-year checks still pair the years of one body; unreadable files stay in their place.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A folder of mixed inputs: the five seeds, every format fixture, two earlier years of two
/// seeds' bodies (so cross-year checks have pairs), and unreadable files (empty, random bytes
/// named .pdf and .docx, a text with no table).
fn mixed_folder(root: &Path) -> usize {
    let mut count = 0;
    let mut copy_dir = |from: PathBuf, to: &Path| {
        std::fs::create_dir_all(to).expect("mkdir");
        let mut names: Vec<PathBuf> = std::fs::read_dir(&from)
            .expect("fixtures folder")
            .map(|e| e.expect("entry").path())
            .collect();
        names.sort();
        for path in names {
            std::fs::copy(&path, to.join(path.file_name().expect("name"))).expect("copy");
            count += 1;
        }
    };
    copy_dir(fixtures().join("seeds"), &root.join("a-seeds"));
    copy_dir(fixtures().join("formats"), &root.join("b-formats"));
    let years = root.join("c-years");
    std::fs::create_dir_all(&years).expect("mkdir");
    let seed = |name: &str| {
        std::fs::read_to_string(fixtures().join("seeds").join(name)).expect("seed text")
    };
    let gaoqing = seed("000_073f686d539d8498.txt");
    // The 2023 copy carries 3 applications into 2024, where 高青 reports none carried over.
    let carry = "\t四、结转下年度继续办理\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n";
    assert!(gaoqing.contains(carry), "the seed's 结转下年度 row");
    for year in [2023, 2022] {
        let mut text = gaoqing.replacen("2024年政府信息公开", &format!("{year}年政府信息公开"), 1);
        if year == 2023 {
            let three = format!("{}\t3\n", &carry[..carry.len() - "\t0\n".len()]);
            text = text.replacen(carry, &three, 1);
        }
        std::fs::write(years.join(format!("gaoqing-{year}.txt")), text).expect("write");
        count += 1;
    }
    let bad = root.join("d-unreadable");
    std::fs::create_dir_all(&bad).expect("mkdir");
    let random: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(bad.join("empty.txt"), b"").expect("write");
    std::fs::write(bad.join("random.pdf"), &random).expect("write");
    std::fs::write(bad.join("random.docx"), &random).expect("write");
    std::fs::write(
        bad.join("no-table.txt"),
        "关于开展某项工作的通知\n各单位：请按时报送。\n",
    )
    .expect("write");
    count + 4
}

fn run(args: &[&str], dir: &Path, threads: Option<usize>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_nianbao"));
    command.args(args).arg(dir);
    match threads {
        Some(n) => command.env("RAYON_NUM_THREADS", n.to_string()),
        None => command.env_remove("RAYON_NUM_THREADS"),
    };
    command.output().expect("run nianbao")
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

// extract and check on ~50 mixed files: one thread and four give identical bytes and status.
#[test]
fn parallel_output_equals_single_thread() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("mixed");
    let count = mixed_folder(&dir);
    assert!(count >= 50, "only {count} files");
    for command in [
        &["extract"][..],
        &["check"],
        &["check", "--format", "table"],
    ] {
        let one = run(command, &dir, Some(1));
        let many = run(command, &dir, Some(4));
        assert_eq!(
            one.status.code(),
            Some(2),
            "{command:?}: unreadable files give 2"
        );
        assert_eq!(one.status.code(), many.status.code(), "{command:?}");
        if one.stdout != many.stdout {
            let (a, b) = (
                String::from_utf8_lossy(&one.stdout),
                String::from_utf8_lossy(&many.stdout),
            );
            let first = a.lines().zip(b.lines()).position(|(x, y)| x != y);
            panic!("{command:?}: outputs differ at line {first:?}");
        }
    }
    // The JSON lines are in input order, one per file, errors in their place.
    let out = run(&["check"], &dir, Some(4));
    let objects = lines(&out);
    assert_eq!(objects.len(), count);
    let files: Vec<&str> = objects
        .iter()
        .map(|o| o["file"].as_str().expect("file"))
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "input (folder) order");
    let errors: Vec<&str> = objects
        .iter()
        .filter(|o| o.get("error").is_some())
        .map(|o| o["file"].as_str().unwrap_or(""))
        .collect();
    for name in ["empty.txt", "random.pdf", "random.docx", "no-table.txt"] {
        assert!(
            errors.iter().any(|f| f.ends_with(name)),
            "{name} is an error object: {errors:?}"
        );
    }
}

// Cross-year rules still pair a body's consecutive years in a parallel run: 高青's 2023 copy
// carries 3 applications forward that its 2024 seed does not carry over, and both say so.
#[test]
fn cross_year_pairs_survive_parallel_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("mixed");
    mixed_folder(&dir);
    let out = run(&["check"], &dir, Some(4));
    let objects = lines(&out);
    let flags_of = |suffix: &str| -> Vec<(String, String)> {
        let o = objects
            .iter()
            .find(|o| o["file"].as_str().is_some_and(|f| f.ends_with(suffix)))
            .unwrap_or_else(|| panic!("{suffix} in output"));
        o["flags"]
            .as_array()
            .expect("flags")
            .iter()
            .map(|f| {
                let keys = f["keys"].as_array().expect("keys");
                let first = keys.first().and_then(Value::as_str).unwrap_or("");
                (
                    f["rule"].as_str().unwrap_or("").to_owned(),
                    first.to_owned(),
                )
            })
            .collect()
    };
    let total = "requests.carry_forward.total".to_owned();
    let y2023 = flags_of("gaoqing-2023.txt");
    assert!(
        y2023.contains(&("years.carry_forward".to_owned(), total)),
        "2023 compared with 2024: {y2023:?}"
    );
    let y2024 = flags_of("a-seeds/000_073f686d539d8498.txt");
    assert!(
        y2024.contains(&(
            "years.carried_over".to_owned(),
            "requests.carried_over.total".to_owned()
        )),
        "2024 compared with 2023: {y2024:?}"
    );
    let y2022 = flags_of("gaoqing-2022.txt");
    assert!(
        !y2022.iter().any(|(rule, _)| rule.starts_with("years.carr")),
        "2022 and the 2023 copy agree (none carried): {y2022:?}"
    );
}
