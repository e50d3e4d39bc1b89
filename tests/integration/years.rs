//! 历年对照 on pairs built from the seeds: a seed as year N and a copy as year N+1, unaltered
//! or with planted differences (a broken carry-over, a jump of the 现行有效 stock, a paragraph
//! copied with a figure that changed).

use nianbao::check::compare::{Relation, YearReport, YearsComparison, compare_years};
use nianbao::check::{OtherYear, run_checks_across};
use nianbao::extract::{Extraction, extract};
use nianbao::model::{CellKey, SourceText};
use std::path::Path;
use std::time::Instant;

const SEEDS: &str = "tests/fixtures/seeds";

fn seeds() -> Vec<(String, String)> {
    let mut names: Vec<_> = std::fs::read_dir(Path::new(SEEDS))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    names.sort();
    names
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            (
                p.display().to_string(),
                text.trim_start_matches('\u{feff}').to_owned(),
            )
        })
        .collect()
}

fn key(name: &str) -> CellKey {
    CellKey::from_name(name).unwrap_or_else(|| panic!("no key {name}"))
}

/// The text with the printed cells replaced (spans from its own extraction).
fn with_cells(text: &str, changes: &[(&str, String)]) -> String {
    let e = extract(&SourceText::from_utf8(text));
    let mut spans: Vec<(usize, usize, &str)> = changes
        .iter()
        .map(|(name, value)| {
            let span = e
                .cell(key(name))
                .span
                .unwrap_or_else(|| panic!("{name} has no span"));
            (span.start, span.end, value.as_str())
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (start, end, value) in spans {
        out.replace_range(start..end, value);
    }
    out
}

struct Pair {
    name: String,
    year: i32,
    earlier: (SourceText, Extraction),
    later: (SourceText, Extraction),
}

impl Pair {
    fn compare(&self) -> YearsComparison {
        compare_years(&[
            YearReport {
                year: self.year,
                extraction: &self.earlier.1,
                source: &self.earlier.0,
            },
            YearReport {
                year: self.year + 1,
                extraction: &self.later.1,
                source: &self.later.0,
            },
        ])
    }

    fn later_year_rules(&self) -> Vec<nianbao::check::Finding> {
        run_checks_across(
            &self.later.1,
            &self.later.0,
            &[OtherYear {
                extraction: &self.earlier.1,
                source: Some(&self.earlier.0),
            }],
        )
        .into_iter()
        .filter(|f| f.rule.starts_with("years."))
        .collect()
    }
}

fn read(text: String) -> (SourceText, Extraction) {
    let source = SourceText::from_utf8(text);
    let e = extract(&source);
    (source, e)
}

/// A seed as year N and as year N+1: the year in the text moved on, `alter` applied to the copy.
fn pair(name: &str, text: &str, alter: impl Fn(&str, &Extraction) -> String) -> Pair {
    let earlier = read(text.to_owned());
    let year = earlier.1.year.unwrap_or_else(|| panic!("{name}: no year"));
    let moved = text.replace(&year.to_string(), &(year + 1).to_string());
    let later = read(alter(&moved, &earlier.1));
    assert_eq!(later.1.year, Some(year + 1), "{name}: the copy's year");
    assert_eq!(
        later.1.agency, earlier.1.agency,
        "{name}: the copy's agency"
    );
    Pair {
        name: name.to_owned(),
        year,
        earlier,
        later,
    }
}

// An unaltered copy (only the year moved on): no cell changed, no jump, no continuity break,
// no stale number, no cross-year finding; every paragraph is listed as copied.
#[test]
fn unaltered_copy_reports_nothing() {
    for (name, text) in seeds() {
        let p = pair(&name, &text, |t, _| t.to_owned());
        let c = p.compare();
        assert_eq!(c.years, [p.year, p.year + 1], "{name}");
        let changed: Vec<&str> = c
            .cells
            .iter()
            .filter(|h| h.changed())
            .map(|h| h.key.name())
            .collect();
        assert!(changed.is_empty(), "{name}: changed {changed:?}");
        assert!(c.cells.iter().all(|h| !h.jumped()), "{name}: a jump");
        let broken: Vec<String> = c
            .continuity
            .iter()
            .filter(|r| r.broken())
            .map(|r| r.label())
            .collect();
        assert!(broken.is_empty(), "{name}: broken {broken:?}");
        assert_eq!(
            c.continuity.len(),
            9,
            "{name}: 7 carry columns and 2 stocks"
        );
        assert!(
            c.copied.len() >= 3,
            "{name}: only {} copied paragraphs",
            c.copied.len()
        );
        assert!(
            c.copied.iter().all(|p| p.stale.is_empty()),
            "{name}: a stale number"
        );
        let f = p.later_year_rules();
        assert!(f.is_empty(), "{name}: {f:#?}");
    }
}

// Planted differences are all found, each with spans into both texts, and nothing else:
// 上年结转 自然人 3 (last year carried 0 forward), 规范性文件 现行有效 0 → 40 (a jump and a stock
// break of 40), and a paragraph copied with last year's count of new requests.
#[test]
fn planted_differences_are_found() {
    for (name, text) in seeds() {
        let base = extract(&SourceText::from_utf8(text.as_str()));
        let x = base.cell(key("requests.new.total")).value.unwrap_or(0.0) as i64;
        let sentence = |n: i64| {
            format!(
                "\n本年度我局共收到政府信息公开申请{n}件，全部在法定期限内予以答复，未发生因政府信息公开被申请行政复议、提起行政诉讼的情况。\n"
            )
        };
        let earlier_text = format!("{text}{}", sentence(x));
        let p = pair(&name, &earlier_text, |t, _| {
            with_cells(
                t,
                &[
                    ("requests.carried_over.natural_person", "3".to_owned()),
                    ("active.normative.in_force", "40".to_owned()),
                    ("requests.new.natural_person", (x + 5).to_string()),
                    ("requests.new.total", (x + 5).to_string()),
                ],
            )
        });
        let c = p.compare();
        let mut changed: Vec<&str> = c
            .cells
            .iter()
            .filter(|h| h.changed())
            .map(|h| h.key.name())
            .collect();
        changed.sort();
        let mut want = vec![
            "active.normative.in_force",
            "requests.carried_over.natural_person",
            "requests.new.natural_person",
            "requests.new.total",
        ];
        if x == 0 {
            want.retain(|k| !k.starts_with("requests.new"));
        }
        want.sort();
        // The total column of 上年结转 stays 0: only the planted cells change.
        assert_eq!(changed, want, "{name}: changed cells");
        let jumps: Vec<&str> = c
            .cells
            .iter()
            .filter(|h| h.jumped())
            .map(|h| h.key.name())
            .collect();
        assert_eq!(jumps, ["active.normative.in_force"], "{name}: jumps");
        let broken: Vec<_> = c.continuity.iter().filter(|r| r.broken()).collect();
        assert_eq!(broken.len(), 2, "{name}: {broken:#?}");
        assert_eq!(broken[0].relation, Relation::Carry { col: 0 }, "{name}");
        assert_eq!(
            (broken[0].expected, broken[0].found),
            (Some(0.0), Some(3.0)),
            "{name}"
        );
        assert_eq!(broken[1].relation, Relation::Stock { row: 1 }, "{name}");
        assert_eq!(
            broken[1].difference(),
            Some(40.0),
            "{name}: stock difference"
        );
        for r in &broken {
            let (Some(a), Some(b)) = (r.earlier_span, r.later_span) else {
                panic!("{name}: {} has no spans", r.label());
            };
            assert_eq!(p.earlier.0.slice(a), "0", "{name}: {}", r.label());
            assert!(!p.later.0.slice(b).is_empty(), "{name}: {}", r.label());
        }
        // The appended paragraph is copied with its stale count; any other stale number is
        // the same count, copied from the seed's own narrative (also stale, rightly).
        let stale: Vec<_> = c
            .copied
            .iter()
            .flat_map(|cp| cp.stale.iter().map(move |s| (cp, s)))
            .collect();
        let planted = stale.iter().find(|(cp, _)| {
            p.later
                .0
                .slice(cp.later_span)
                .contains("全部在法定期限内予以答复")
        });
        let Some((cp, s)) = planted else {
            panic!("{name}: the copied paragraph with {x}件 not found: {stale:#?}");
        };
        assert_eq!(cp.similarity, 1.0, "{name}");
        assert_eq!(p.later.0.slice(s.later_span), x.to_string(), "{name}");
        assert_eq!(p.earlier.0.slice(s.earlier_span), x.to_string(), "{name}");
        assert_eq!(
            s.keys,
            [
                key("requests.new.natural_person"),
                key("requests.new.total")
            ],
            "{name}"
        );
        for (_, s) in &stale {
            assert_eq!(
                s.value,
                x as f64,
                "{name}: stale {}",
                p.later.0.slice(s.sentence)
            );
        }
        // The later report's own findings: the carry-over, the stock, the copied sentence.
        let f = p.later_year_rules();
        let rules: Vec<&str> = f.iter().map(|f| f.rule.as_str()).collect();
        assert!(rules.contains(&"years.carried_over"), "{name}: {rules:?}");
        assert!(rules.contains(&"years.in_force"), "{name}: {rules:?}");
        // Sentences with the same cells make one finding (one verdict); its messages are joined.
        let copied = f.iter().find(|f| {
            f.rule == "years.copied_paragraph"
                && f.message
                    .contains(&format!("本年度我局共收到政府信息公开申请{x}件"))
                && f.span.is_some()
        });
        let Some(copied) = copied else {
            panic!("{name}: no years.copied_paragraph on the planted sentence: {f:#?}");
        };
        assert!(
            copied.message.contains("可能照抄上年未更新"),
            "{}",
            copied.message
        );
        assert_eq!(copied.severity, nianbao::check::Severity::Warning);
    }
}

// The comparison of two seed years is fast: well under a frame.
#[test]
fn comparison_is_fast() {
    let (name, text) = seeds().into_iter().next().unwrap_or_default();
    let p = pair(&name, &text, |t, _| t.to_owned());
    let start = Instant::now();
    let runs = 20;
    for _ in 0..runs {
        std::hint::black_box(p.compare());
    }
    let each = start.elapsed() / runs;
    eprintln!("compare_years on {}: {each:?} per pair", p.name);
    assert!(each.as_millis() < 50, "{each:?}");
}
