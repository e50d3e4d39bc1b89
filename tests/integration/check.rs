//! Integration tests: the checks on the five seed reports (the findings a reviewer must see,
//! and no false error), corrections and other years, and the `nianbao check` command.

use nianbao::check::{Cause, Finding, Severity, run_checks};
use nianbao::extract::{Extraction, extract};
use nianbao::model::{CellKey, SourceText};
use nianbao::review::{CorrectionValue, ReviewSession};
use std::path::PathBuf;
use std::process::Command;

const SEEDS: [&str; 5] = [
    "000_073f686d539d8498.txt",
    "001_02434a0845e90c92.txt",
    "002_fb4184b46a4aab68.txt",
    "003_e00c555d78a674aa.txt",
    "004_e42161fe7aa08ef3.txt",
];

fn seed_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seeds")
        .join(name)
}

fn seed_text(n: usize) -> String {
    std::fs::read_to_string(seed_path(SEEDS[n])).unwrap_or_else(|e| panic!("{}: {e}", SEEDS[n]))
}

fn check_text(text: &str, others: &[&Extraction]) -> (Extraction, Vec<Finding>) {
    let source = SourceText::from_utf8(text);
    let extraction = extract(&source);
    let findings = run_checks(&extraction, &source, others);
    (extraction, findings)
}

fn check_seed(n: usize) -> Vec<Finding> {
    check_text(&seed_text(n), &[]).1
}

fn key(name: &str) -> CellKey {
    CellKey::from_name(name).unwrap_or_else(|| panic!("no key {name}"))
}

/// `rule severity first-key` lines, for comparing a whole list at once.
fn summary(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f.rule,
                f.severity.name(),
                f.keys.first().map_or("-", |k| k.name())
            )
        })
        .collect()
}

fn find<'a>(findings: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

// Seed 000: the blank 行政许可 cell is a warning naming it, and nothing is an error.
#[test]
fn seed_000_blank_licensing_cell() {
    let f = check_seed(0);
    let blank = find(&f, "value.blank");
    assert_eq!(blank.len(), 1, "{f:#?}");
    assert_eq!(blank[0].keys, [key("active.licensing.decisions")]);
    assert_eq!(blank[0].severity, Severity::Warning);
    assert!(
        blank[0].message.contains("行政许可"),
        "{}",
        blank[0].message
    );
    assert!(f.iter().all(|f| f.severity != Severity::Error), "{f:#?}");
}

// Seed 001: 予以公开7件 in the text vs 5 in the table, and the garbled period `自202311日起`.
#[test]
fn seed_001_narrative_and_garbled_period() {
    let text = seed_text(1);
    let source = SourceText::from_utf8(text.as_str());
    let f = run_checks(&extract(&source), &source, &[]);
    let granted = find(&f, "narrative.category");
    assert_eq!(granted.len(), 1, "{f:#?}");
    let g = granted[0];
    assert_eq!(g.keys, [key("requests.granted.total")]);
    assert_eq!(g.severity, Severity::Error);
    assert_eq!(g.cause, Cause::Source);
    assert_eq!((g.expected, g.found), (Some(5.0), Some(7.0)));
    let span = g
        .span
        .unwrap_or_else(|| panic!("narrative finding without span"));
    assert!(
        source.slice(span).contains("予以公开7件"),
        "{}",
        source.slice(span)
    );
    let period = find(&f, "dates.period_garbled");
    assert_eq!(period.len(), 1, "{f:#?}");
    let span = period[0]
        .span
        .unwrap_or_else(|| panic!("period finding without span"));
    assert!(
        source.slice(span).contains("自202311日起"),
        "{}",
        source.slice(span)
    );
    // The narrative's other figures (共办理7件, 答复7件, 不予公开0件) agree with the table.
    assert_eq!(
        f.iter().filter(|f| f.severity == Severity::Error).count(),
        1
    );
}

// Seed 003: the 国家秘密 row has six values for seven cells; the total it lacks makes two
// relations uncertain (warnings naming the blank cell), never errors; they are folded under
// the row's finding, their cause.
#[test]
fn seed_003_row_with_six_values() {
    let f = check_seed(3);
    let few = find(&f, "extract.too_few_values");
    assert_eq!(few.len(), 1, "{f:#?}");
    assert!(
        few[0]
            .keys
            .contains(&key("requests.denied.state_secret.total"))
    );
    assert_eq!((few[0].expected, few[0].found), (Some(7.0), Some(6.0)));
    for rule in [
        "requests.row_sum.uncertain",
        "requests.results_sum.uncertain",
    ] {
        assert!(find(&f, rule).is_empty(), "{rule} folded: {f:#?}");
        let u: Vec<_> = few[0].covers.iter().filter(|c| c.rule == rule).collect();
        assert_eq!(u.len(), 1, "{rule}: {:#?}", few[0].covers);
        assert_eq!(u[0].severity, Severity::Warning);
        assert!(
            u[0].message.contains("「属于国家秘密 总计」为空白"),
            "{}",
            u[0].message
        );
    }
    assert!(
        few[0].message.contains("因此无法核对的等式 2 个"),
        "{}",
        few[0].message
    );
    assert!(f.iter().all(|f| f.severity != Severity::Error), "{f:#?}");
}

// Seed 004: table 四's sixteen values for fifteen cells, and `12872.06 万元` in the fee cell.
#[test]
fn seed_004_extra_value_and_unit_in_cell() {
    let f = check_seed(4);
    let many = find(&f, "extract.too_many_values");
    assert_eq!(many.len(), 1, "{f:#?}");
    assert_eq!(many[0].keys[0], key("appeals.review.upheld"));
    assert_eq!((many[0].expected, many[0].found), (Some(15.0), Some(16.0)));
    let unit = find(&f, "value.annotated");
    assert_eq!(unit.len(), 1, "{f:#?}");
    assert_eq!(unit[0].keys, [key("active.fees.amount")]);
    assert!(unit[0].message.contains("12872.06 万元"));
    assert!(f.iter().all(|f| f.severity != Severity::Error), "{f:#?}");
}

// Every finding each seed produces, read by hand: nothing more, nothing less.
#[test]
fn seed_findings_in_full() {
    let expected: [&[&str]; 5] = [
        &[
            "structure.part_number_style info -",
            "value.blank warning active.licensing.decisions",
        ],
        &[
            "dates.period_garbled warning -",
            "narrative.category error requests.granted.total",
            "extract.label_mismatch info requests.other.no_correction.natural_person",
            "extract.label_mismatch info requests.other.no_fee.natural_person",
        ],
        &[],
        &[
            "extract.label_mismatch info requests.new.social_welfare",
            "extract.too_few_values warning requests.denied.state_secret.natural_person",
            "extract.label_mismatch info requests.denied.law_forbidden.natural_person",
        ],
        &[
            "value.annotated warning active.fees.amount",
            "extract.too_many_values warning appeals.review.upheld",
        ],
    ];
    for (n, want) in expected.iter().enumerate() {
        assert_eq!(summary(&check_seed(n)), *want, "seed {}", SEEDS[n]);
    }
}

// No seed has an arithmetic error: every relation whose cells are all present balances.
#[test]
fn no_false_errors_on_balanced_relations() {
    for (n, seed) in SEEDS.iter().enumerate() {
        for f in check_seed(n) {
            if f.rule.starts_with("requests.") || f.rule.starts_with("appeals.") {
                assert_ne!(f.severity, Severity::Error, "{seed}: {f:#?}");
            }
        }
    }
}

// The checks are deterministic and sorted by the first cell of each finding.
#[test]
fn findings_are_deterministic_and_sorted() {
    for (n, seed) in SEEDS.iter().enumerate() {
        let a = check_seed(n);
        assert_eq!(a, check_seed(n), "{seed}");
        let order: Vec<usize> = a
            .iter()
            .map(|f| f.keys.first().map_or(0, |k| k.index() + 1))
            .collect();
        assert!(
            order.windows(2).all(|w| w[0] <= w[1]),
            "{}: {order:?}",
            SEEDS[n]
        );
    }
}

// A reviewer's correction reaches the checks: filling the blank cell clears its finding,
// and a wrong correction is caught by the relations, as one finding on that cell that
// suggests its printed number back and covers the broken row sum.
#[test]
fn corrections_are_checked() {
    let source = SourceText::from_utf8(seed_text(0));
    let mut session = ReviewSession::new(source.clone(), extract(&source));
    let licensing = key("active.licensing.decisions");
    session.commit(licensing, CorrectionValue::Number(0.0), None);
    let f = run_checks(&session.effective_extraction(), &source, &[]);
    assert!(find(&f, "value.blank").is_empty(), "{f:#?}");
    session.commit(
        key("requests.granted.total"),
        CorrectionValue::Number(3.0),
        None,
    );
    let f = run_checks(&session.effective_extraction(), &source, &[]);
    assert!(find(&f, "requests.row_sum").is_empty(), "{f:#?}");
    let suspect = find(&f, "value.suspect");
    assert_eq!(suspect.len(), 1, "{f:#?}");
    assert_eq!(suspect[0].severity, Severity::Error);
    assert_eq!(suspect[0].keys, vec![key("requests.granted.total")]);
    let printed = extract(&source).cell(key("requests.granted.total")).value;
    let fix = suspect[0].suggestion.as_ref().expect("a suggestion");
    assert_eq!(fix.changes.len(), 1);
    assert_eq!(Some(fix.changes[0].value), printed);
    let rows: Vec<_> = suspect[0]
        .covers
        .iter()
        .filter(|c| c.rule == "requests.row_sum")
        .collect();
    assert_eq!(rows.len(), 1, "{:#?}", suspect[0].covers);
    assert!(rows[0].message.contains("总计(3)"), "{}", rows[0].message);
}

// The narrative parser reads the real sentences of seed 004: changing one figure in the text
// gives exactly the finding for that figure.
#[test]
fn narrative_figures_of_a_real_report() {
    let text = seed_text(4);
    let cases = [
        (
            "共收到政府信息公开申请13件",
            "共收到政府信息公开申请14件",
            "narrative.received",
            Severity::Error,
        ),
        (
            "按时办结答复13件",
            "按时办结答复12件",
            "narrative.handled",
            Severity::Warning,
        ),
        (
            "发生行政复议1件",
            "发生行政复议2件",
            "narrative.appeals",
            Severity::Warning,
        ),
        (
            "全年未发生行政诉讼",
            "全年未发生行政复议",
            "narrative.claim",
            Severity::Warning,
        ),
    ];
    // 表四 of this seed is read with a warning (sixteen values for fifteen cells): a figure
    // compared with it blames the reading and is listed under that finding.
    for (from, to, rule, severity) in cases {
        assert!(text.contains(from), "{from}");
        let (_, f) = check_text(&text.replace(from, to), &[]);
        let hits: Vec<(Severity, Cause)> = f
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| (f.severity, f.cause))
            .chain(
                f.iter()
                    .flat_map(|f| &f.covers)
                    .filter(|c| c.rule == rule)
                    .map(|c| (c.severity, Cause::Extraction)),
            )
            .collect();
        assert_eq!(hits.len(), 1, "{to}: {f:#?}");
        assert_eq!(hits[0].0, severity, "{to}");
        if rule == "narrative.appeals" {
            assert!(find(&f, rule).is_empty(), "folded: {f:#?}");
            assert_eq!(hits[0].1, Cause::Extraction);
        }
    }
}

// A 2024 report saying `本机关2023年度` or printing a 2023 period is caught.
#[test]
fn years_in_the_text() {
    let text = seed_text(0);
    let (_, f) = check_text(&text.replacen("2024年，高青县", "2023年，高青县", 1), &[]);
    assert_eq!(find(&f, "dates.narrative_year").len(), 1, "{f:#?}");
    let (_, f) = check_text(
        &text.replace(
            "自2024年1月1日始，至2024年12月31日止",
            "自2023年1月1日始，至2023年12月31日止",
        ),
        &[],
    );
    let p = find(&f, "dates.period_year");
    assert_eq!(p.len(), 1, "{f:#?}");
    assert_eq!(p[0].severity, Severity::Error);
}

// Across years: seed 004 (2022) and the same body's 2023 report carrying one application over.
#[test]
fn carried_over_across_years() {
    let y2022 = seed_text(4);
    let (last, _) = check_text(&y2022, &[]);
    let y2023 = y2022.replace("2022", "2023");
    let (_, f) = check_text(&y2023, &[&last]);
    assert!(f.iter().all(|f| !f.rule.starts_with("years.")), "{f:#?}");
    // Last year carried nothing forward; this year says one was carried over.
    let y2023 = y2023
        .replace(
            "二、\t上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
            "二、\t上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1",
        )
        .replace(
            "本年新收政府信息公开申请数量\t13\t0\t0\t0\t0\t0\t13",
            "本年新收政府信息公开申请数量\t12\t0\t0\t0\t0\t0\t12",
        )
        .replace("共收到政府信息公开申请13件", "共收到政府信息公开申请12件");
    let (this, f) = check_text(&y2023, &[&last]);
    assert_eq!(
        this.cell(key("requests.carried_over.total")).value,
        Some(1.0)
    );
    let carried: Vec<String> = find(&f, "years.carried_over")
        .iter()
        .map(|f| f.keys[0].name().to_owned())
        .collect();
    assert_eq!(
        carried,
        [
            "requests.carried_over.natural_person",
            "requests.carried_over.total"
        ],
        "{f:#?}"
    );
    assert!(
        f.iter()
            .all(|f| f.rule.starts_with("years.") || f.severity != Severity::Error),
        "{f:#?}"
    );
}

fn run_cli(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run nianbao: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

// `nianbao check`: the JSON of `extract` with flags (expected, found, cause), exit 1 on an
// error finding, 0 without, 2 when a file could not be read (2 wins).
#[test]
fn check_command_json_and_exit_status() {
    let p = |n: usize| seed_path(SEEDS[n]).to_string_lossy().into_owned();
    let (status, out) = run_cli(&["check", &p(0)]);
    assert_eq!(status, 0, "{out}");
    let (status, out) = run_cli(&["check", &p(0), &p(1)]);
    assert_eq!(status, 1);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["cells"].as_object().map(|c| c.len()), Some(200));
    let flag = lines[1]["flags"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["rule"] == "narrative.category"))
        .unwrap_or_else(|| panic!("no narrative flag: {}", lines[1]["flags"]));
    assert_eq!(flag["severity"], "error");
    assert_eq!(flag["keys"][0], "requests.granted.total");
    assert_eq!(
        (flag["expected"].as_i64(), flag["found"].as_i64()),
        (Some(5), Some(7))
    );
    assert_eq!(flag["cause"], "source");
    assert!(flag["span"].is_array());
    let (extract_status, extracted) = run_cli(&["extract", &p(1)]);
    assert_eq!(extract_status, 0);
    let extracted: serde_json::Value =
        serde_json::from_str(extracted.trim()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        extracted["cells"], lines[1]["cells"],
        "check prints the cells of extract"
    );
    let missing = seed_path("no-such-report.txt")
        .to_string_lossy()
        .into_owned();
    let (status, out) = run_cli(&["check", &p(1), &missing]);
    assert_eq!(status, 2);
    assert!(
        out.lines().nth(1).is_some_and(|l| l.contains("\"error\"")),
        "{out}"
    );
}

// `--format table` prints a readable Chinese summary per report.
#[test]
fn check_command_table_format() {
    let p = seed_path(SEEDS[1]).to_string_lossy().into_owned();
    let (status, out) = run_cli(&["check", "--format", "table", &p]);
    assert_eq!(status, 1);
    assert!(out.contains("张店区行政审批服务局 · 2023 年度"), "{out}");
    assert!(out.contains("错误 1 · 警告 1 · 提示 2"), "{out}");
    assert!(
        out.contains("[错误]") && out.contains("表三 予以公开 总计"),
        "{out}"
    );
}

// Every seed cut short at many points (tables half read, parts missing, a sentence cut in the
// middle) is checked without a panic, and each finding's span lies inside the text.
#[test]
fn truncated_seeds_do_not_panic() {
    for (n, seed) in SEEDS.iter().enumerate() {
        let text = seed_text(n);
        let cuts: Vec<usize> = (0..text.len())
            .step_by(89)
            .filter(|i| text.is_char_boundary(*i))
            .collect();
        for cut in cuts {
            let (_, findings) = check_text(&text[..cut], &[]);
            for f in findings {
                if let Some(span) = f.span {
                    assert!(
                        span.start <= span.end && span.end <= cut,
                        "{seed}@{cut}: {f:#?}"
                    );
                }
            }
        }
    }
}

/// Seed 002 with the five 法人或其他组织 columns of 表三 left empty in every row, as a saved
/// web page printed them: in each tab-separated row of seven numbers the middle five fields are
/// emptied (the wrapped 逾期未缴费 row, four numbers on its second line, loses those four).
pub(crate) fn seed_002_without_legal_columns() -> String {
    let text = seed_text(2);
    let start = text.find("一、本年新收").expect("表三's first row");
    let end = text.find("四、结转下年度").expect("表三's last row");
    let end = text[end..].find('\n').map_or(text.len(), |n| end + n);
    let rows: Vec<String> = text[start..end]
        .split('\n')
        .map(|line| {
            let mut fields: Vec<&str> = line.split('\t').collect();
            let numeric: Vec<usize> = (0..fields.len())
                .filter(|&i| {
                    let f = fields[i].trim();
                    !f.is_empty() && f.chars().all(|c| c.is_ascii_digit())
                })
                .collect();
            let emptied: &[usize] = match numeric.len() {
                n if n >= 7 => &numeric[n - 6..n - 1],
                4 => &numeric,
                _ => &[],
            };
            for &i in emptied {
                fields[i] = "";
            }
            fields.join("\t")
        })
        .collect();
    format!("{}{}{}", &text[..start], rows.join("\n"), &text[end..])
}

// One finding per cause: five columns blank in all 25 rows are one finding (not 60) that
// names all 125 cells and covers the 35 relations they leave unchecked; no other finding.
// 按 0 处理 — committed as the reviewer would — leaves no finding at all.
#[test]
fn blank_columns_are_one_finding() {
    let text = seed_002_without_legal_columns();
    let (e, f) = check_text(&text, &[]);
    assert!(f.len() <= 3, "{}: {:#?}", f.len(), summary(&f));
    let run = find(&f, "value.blank_run");
    assert_eq!(run.len(), 1, "{:#?}", summary(&f));
    assert_eq!(run[0].keys.len(), 125);
    assert_eq!(run[0].severity, Severity::Warning);
    assert!(
        run[0].keys.contains(&key("requests.new.commercial"))
            && run[0]
                .keys
                .contains(&key("requests.carry_forward.other_org"))
            && !run[0].keys.contains(&key("requests.new.natural_person"))
    );
    assert_eq!(
        run[0].covers.len(),
        35,
        "5 balances, 5 result sums, 25 row sums"
    );
    assert!(run[0].covers.iter().all(|c| c.rule.ends_with(".uncertain")));
    assert!(nianbao::check::offers_zero_fill(run[0]));
    let source = SourceText::from_utf8(&text);
    let mut session = ReviewSession::new(source.clone(), e);
    let zeros: Vec<_> = run[0]
        .keys
        .iter()
        .map(|k| (*k, CorrectionValue::Number(0.0)))
        .collect();
    assert_eq!(session.commit_group(&zeros, "按 0 处理"), 125);
    let after = run_checks(&session.effective_extraction(), &source, &[]);
    assert!(after.is_empty(), "{:#?}", summary(&after));
}

// A real PDF conversion prints （六）其他处理 as one combined row of 0s: one finding that says so,
// covers the 10 relations its three blank sub-rows leave unchecked, and suggests 0 for its 21
// cells, which makes all 10 hold.
#[test]
fn combined_row_is_one_finding_with_its_fix() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/corpus/reports/hongze-2023.pdftotext-layout.txt");
    let text = std::fs::read_to_string(&path).expect("corpus text");
    let (_, f) = check_text(&text, &[]);
    let combined = find(&f, "extract.combined_row");
    assert_eq!(combined.len(), 1, "{:#?}", summary(&f));
    assert!(
        f.iter().all(|f| !f.rule.ends_with(".uncertain")),
        "{:#?}",
        summary(&f)
    );
    assert_eq!(combined[0].covers.len(), 10);
    let fix = combined[0].suggestion.as_ref().expect("a suggestion");
    assert_eq!(fix.restores, 10);
    assert_eq!(fix.changes.len(), 21);
    assert!(fix.changes.iter().all(|c| c.value == 0.0));
    assert_eq!(
        fix.changes[0].key,
        key("requests.other.no_correction.natural_person")
    );
}

// A template word misspelt in a table (`不子公开`, as real reports print it) is one info
// finding on the word that names the word it should be; words of the template's own labels
// (`不再处理` in 行政机关不再处理其…) are no typo, and the seeds have none.
#[test]
fn misspelt_template_word() {
    let text = seed_text(2).replacen("(三) 不予公开", "(三) 不子公开", 1);
    let (_, f) = check_text(&text, &[]);
    let typo = find(&f, "structure.template_word");
    assert_eq!(typo.len(), 1, "{:#?}", summary(&f));
    assert!(
        typo[0].message.contains("“不子公开”疑为“不予公开”"),
        "{}",
        typo[0].message
    );
    assert!(typo[0].keys.is_empty());
    let span = typo[0].span.expect("a span");
    assert_eq!(&text[span.start..span.end], "不子公开");
}

// Each extraction warning has one sentence: the warning's message is its kind's, and the
// finding the checks make of it says that (a cause may add what it covers), or the finding it
// is folded under lists it word for word.
#[test]
fn extraction_warnings_and_their_findings_share_one_message() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<PathBuf> = SEEDS.iter().map(|s| seed_path(s)).collect();
    let corpus = std::fs::read_dir(dir.join("corpus/reports")).unwrap_or_else(|e| panic!("{e}"));
    files.extend(corpus.filter_map(|e| e.ok().map(|e| e.path())));
    let mut warnings = 0;
    for path in files {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let Ok(source) = nianbao::ingest::load(&bytes, name.as_deref().unwrap_or_default()) else {
            continue;
        };
        let extraction = extract(&source);
        let findings = run_checks(&extraction, &source, &[]);
        for w in &extraction.warnings {
            warnings += 1;
            assert_eq!(w.message, w.kind.message(), "{}", path.display());
            let shown = findings.iter().any(|f| {
                f.keys == w.keys && f.message.starts_with(&w.message)
                    || f.covers.iter().any(|c| c.message == w.message)
            });
            assert!(shown, "{}: no finding says {:?}", path.display(), w.message);
        }
    }
    assert!(warnings > 0, "the fixtures give no warning to compare");
}
