//! Benchmark: all checks on one seed report (the extraction is done once, outside the timed
//! loop). Target: ≤ 20 µs median.

// Test and measuring code may unwrap, expect and print (the crate itself may not).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use criterion::{Criterion, criterion_group, criterion_main};
use nianbao::check::run_checks;
use nianbao::extract::extract;
use nianbao::model::SourceText;
use std::hint::black_box;

fn seed(name: &str) -> SourceText {
    let path = format!("{}/tests/fixtures/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    SourceText::from_utf8(text)
}

fn checks(c: &mut Criterion) {
    for name in ["001_02434a0845e90c92.txt", "003_e00c555d78a674aa.txt"] {
        let source = seed(name);
        let extraction = extract(&source);
        let findings = run_checks(&extraction, &source, &[]);
        assert!(
            !findings.is_empty() && extraction.cells_read() > 190,
            "{name}: {findings:?}"
        );
        c.bench_function(&format!("check/{}", &name[..3]), |b| {
            b.iter(|| run_checks(black_box(&extraction), black_box(&source), &[]))
        });
    }
}

criterion_group!(benches, checks);
criterion_main!(benches);
