//! Extraction per seed report (decoded text → 200 cells with spans). Target: median ≤ 50 µs for
//! a ~10 KB report on the 2-core machine; ≤ 200 µs for a report on one line (a web page's text),
//! and for the corpus reports whose tables are decoded as a whole.

// Test and measuring code may unwrap, expect and print (the crate itself may not).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use criterion::{Criterion, criterion_group, criterion_main};
use nianbao::extract::extract;
use nianbao::ingest::decode_text;
use std::hint::black_box;

fn seeds() -> Vec<(String, nianbao::model::SourceText)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .expect("seeds")
        .filter_map(Result::ok)
        .map(|e| {
            let name = e.file_name().to_string_lossy()[..3].to_owned();
            let bytes = std::fs::read(e.path()).expect("read");
            (name, decode_text(&bytes).expect("decode"))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn bench_extract(c: &mut Criterion) {
    let mut group = c.benchmark_group("extract");
    for (name, src) in seeds() {
        group.bench_function(format!("seed_{name}_{}KB", src.text.len() / 1024), |b| {
            b.iter(|| extract(black_box(&src)))
        });
    }
    group.finish();
    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/seeds/001_02434a0845e90c92.txt"),
    )
    .expect("seed");
    c.bench_function("decode_and_extract_seed_001", |b| {
        b.iter(|| extract(&decode_text(black_box(&bytes)).expect("decode")))
    });
    let mut group = c.benchmark_group("layouts");
    for (name, src) in seeds() {
        let one_line = nianbao::model::SourceText::from_utf8(src.text.replace(['\r', '\n'], " "));
        group.bench_function(format!("one_line_seed_{name}"), |b| {
            b.iter(|| extract(black_box(&one_line)))
        });
    }
    let corpus =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus/reports");
    let mut reports: Vec<_> = std::fs::read_dir(corpus)
        .expect("corpus")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    reports.sort();
    for path in reports {
        let src = decode_text(&std::fs::read(&path).expect("read")).expect("decode");
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        group.bench_function(format!("corpus_{name}"), |b| {
            b.iter(|| extract(black_box(&src)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_extract);
criterion_main!(benches);
