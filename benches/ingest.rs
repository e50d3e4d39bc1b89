//! Time to turn one report file into text, per format and per report (the fixtures made from
//! the seeds by `scripts/make-format-fixtures.sh`), and the same plus extraction of the 200 cells.
//!
//! Run with short times on this 2-core machine:
//! `cargo bench --bench ingest -- --warm-up-time 1 --measurement-time 3`

// Test and measuring code may unwrap, expect and print (the crate itself may not).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use nianbao::extract::extract;
use nianbao::ingest::load;
use std::hint::black_box;
use std::path::{Path, PathBuf};

const FORMATS: [&str; 11] = [
    "txt",
    "html",
    "gbk.html",
    "docx",
    "pdf",
    "xlsx",
    "ods",
    "xls",
    "text.docx",
    "text.pdf",
    "frames.docx",
];

fn fixture(seed: &str, format: &str) -> (PathBuf, Vec<u8>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let path = if format == "txt" {
        root.join("seeds").join(format!("{seed}.txt"))
    } else {
        root.join("formats").join(format!("{seed}.{format}"))
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (path, bytes)
}

fn seeds() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("seeds")
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".txt")
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}

fn ingest(c: &mut Criterion) {
    let seeds = seeds();
    for format in FORMATS {
        let mut group = c.benchmark_group(format!("ingest/{format}"));
        for seed in &seeds {
            let (path, bytes) = fixture(seed, format);
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            // The seed's first three characters name the report (000 … 004).
            group.bench_with_input(
                BenchmarkId::from_parameter(&seed[..3]),
                &bytes,
                |b, bytes| {
                    b.iter(|| load(black_box(bytes), name).expect("fixture loads"));
                },
            );
        }
        group.finish();
    }
}

fn ingest_and_extract(c: &mut Criterion) {
    let seeds = seeds();
    let mut group = c.benchmark_group("ingest+extract");
    for format in FORMATS {
        let (path, bytes) = fixture(&seeds[0], format);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        group.bench_with_input(BenchmarkId::from_parameter(format), &bytes, |b, bytes| {
            b.iter(|| extract(&load(black_box(bytes), name).expect("fixture loads")));
        });
    }
    group.finish();
}

criterion_group!(benches, ingest, ingest_and_extract);
criterion_main!(benches);
