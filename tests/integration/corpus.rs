//! Integration tests: the real reports of `tests/fixtures/corpus/` (published PDFs and the text
//! four PDF-to-text converters make of them), every one of the 200 cells against the truth
//! checked by a person row by row against the rendered pages, every anomaly the truth lists
//! flagged, and no error finding on a table that balances. Scored as `../shared/tools/score.py`
//! scores the command line.

use nianbao::check::{Severity, run_checks};
use nianbao::extract::extract;
use nianbao::ingest::read_file;
use nianbao::model::CellKey;
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The corpus folder.
fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus")
}

/// Every report of the corpus, sorted.
fn reports() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(corpus_dir().join("reports"))
        .expect("corpus reports")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// The truth of a report: `truth/<name without its last extension>.json`.
fn truth_of(report: &Path) -> Value {
    let stem = report.file_stem().and_then(|s| s.to_str()).expect("name");
    let path = corpus_dir().join("truth").join(format!("{stem}.json"));
    serde_json::from_slice(&std::fs::read(&path).expect("truth file")).expect("truth json")
}

/// Anomaly kinds a finding must name (the others are notes on the text).
const FLAGGABLE: [&str; 5] = ["sum", "missing", "value_count", "text_vs_table", "unit"];

/// What one report scored.
struct Score {
    cells: usize,
    right: usize,
    wrong: Vec<String>,
    unflagged: Vec<String>,
    false_errors: Vec<String>,
}

fn same(truth: &Value, raw: Option<&str>, value: Option<f64>) -> bool {
    let t_raw = truth["raw"].as_str();
    if t_raw.is_none() != raw.is_none() {
        return false;
    }
    match (truth["value"].as_f64(), value) {
        (Some(t), Some(v)) => (t - v).abs() < 1e-9,
        (None, None) => {
            let norm = |s: &str| s.split_whitespace().collect::<String>();
            t_raw.map(norm) == raw.map(norm)
        }
        _ => false,
    }
}

fn score(report: &Path) -> Score {
    let truth = truth_of(report);
    let src = read_file(report).unwrap_or_else(|e| panic!("{}: {e}", report.display()));
    let ex = extract(&src);
    let findings = run_checks(&ex, &src, &[]);
    let flagged: HashSet<CellKey> = findings.iter().flat_map(|f| f.keys.clone()).collect();
    let ambiguous: HashSet<&str> = truth["ambiguous"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut s = Score {
        cells: 0,
        right: 0,
        wrong: Vec::new(),
        unflagged: Vec::new(),
        false_errors: Vec::new(),
    };
    let cells = truth["cells"].as_object().expect("cells");
    for (name, t) in cells {
        let key = CellKey::from_name(name).unwrap_or_else(|| panic!("unknown key {name}"));
        let cell = ex.cell(key);
        s.cells += 1;
        let open_and_flagged =
            ambiguous.contains(name.as_str()) && cell.value.is_none() && flagged.contains(&key);
        if same(t, cell.raw.as_deref(), cell.value) || open_and_flagged {
            s.right += 1;
        } else {
            s.wrong.push(format!(
                "{name}: expected {:?}, got {:?}",
                t["raw"].as_str(),
                cell.raw.as_deref()
            ));
        }
    }
    let anomalies = truth["anomalies"].as_array().cloned().unwrap_or_default();
    for a in &anomalies {
        let kind = a["kind"].as_str().unwrap_or("");
        let keys: Vec<CellKey> = a["keys"]
            .as_array()
            .map(|k| {
                k.iter()
                    .filter_map(|k| k.as_str().and_then(CellKey::from_name))
                    .collect()
            })
            .unwrap_or_default();
        if FLAGGABLE.contains(&kind)
            && !keys.is_empty()
            && !keys.iter().any(|k| flagged.contains(k))
        {
            s.unflagged.push(format!("{kind} on {}", keys[0]));
        }
    }
    if !anomalies.iter().any(|a| a["kind"] == "sum") {
        for f in &findings {
            let printed = f.keys.iter().all(|k| !cells[k.name()]["raw"].is_null());
            let table_rule =
                ["requests", "appeals", "sum"].contains(&f.rule.split('.').next().unwrap_or(""));
            if f.severity == Severity::Error && printed && table_rule {
                s.false_errors.push(format!("{}: {}", f.rule, f.message));
            }
        }
    }
    s
}

// Every corpus report: ≥ 99.5 % of all cells exact (each wrong cell named), every listed anomaly
// flagged, no error finding on a table that balances.
#[test]
fn corpus_reports_read_and_checked() {
    let mut total = 0;
    let mut right = 0;
    let mut problems = Vec::new();
    let reports = reports();
    assert!(reports.len() >= 7, "corpus has {} reports", reports.len());
    for report in &reports {
        let name = report.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let s = score(report);
        total += s.cells;
        right += s.right;
        assert_eq!(s.cells, 200, "{name}: truth lists {} cells", s.cells);
        if !s.wrong.is_empty() {
            problems.push(format!(
                "{name}: {} cells wrong: {}",
                s.wrong.len(),
                s.wrong.join("; ")
            ));
        }
        for u in s.unflagged {
            problems.push(format!("{name}: anomaly not flagged: {u}"));
        }
        for e in s.false_errors {
            problems.push(format!("{name}: error on a balanced table: {e}"));
        }
    }
    let accuracy = right as f64 / total as f64;
    let cells_ok = accuracy >= 0.995;
    let flags_ok = !problems
        .iter()
        .any(|p| p.contains("anomaly") || p.contains("balanced"));
    assert!(
        cells_ok && flags_ok,
        "cells {right}/{total} = {accuracy:.4}\n{}",
        problems.join("\n")
    );
}

// The same reports all read exactly, report by report (a stricter bar than the corpus target,
// so that a regression on one converter's layout shows by name).
#[test]
fn each_corpus_report_reads_every_cell() {
    for report in reports() {
        let s = score(&report);
        assert!(
            s.wrong.is_empty(),
            "{}: {} cells wrong:\n{}",
            report.display(),
            s.wrong.len(),
            s.wrong.join("\n")
        );
    }
}
