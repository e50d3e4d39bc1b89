//! Export benchmark: the workbook of 1,000 reviewed reports (the five seed reports repeated, each
//! with two corrections) built in memory; the target is at most 2 s. Also one report alone, and
//! the review notice of one report (built, as text and as .docx bytes): at most 5 ms, so that
//! 1,000 notices take at most 5 s.

// Test and measuring code may unwrap, expect and print (the crate itself may not).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use criterion::{Criterion, criterion_group, criterion_main};
use nianbao::export::{ExportInfo, ExportReport, Notice, NoticeOptions, workbook_bytes};
use nianbao::extract::extract;
use nianbao::ingest;
use nianbao::ingest::sha256_hex;
use nianbao::model::CellKey;
use nianbao::review::VerdictState;
use nianbao::review::{CorrectionValue, ReviewSession};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// The seed reports, reviewed: two corrections each so that notes and log rows are written.
fn seed_reports() -> Vec<ExportReport> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("seed folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).expect("seed file");
            let source = ingest::load(&bytes, "seed.txt").expect("seed decodes");
            let extraction = extract(&source);
            let mut session = ReviewSession::new(source, extraction);
            let total = CellKey::from_name("requests.new.total").expect("key");
            session.commit(
                total,
                CorrectionValue::Number(99.0),
                Some("按原件更正".into()),
            );
            let fee = CellKey::from_name("active.fees.amount").expect("key");
            session.commit(fee, CorrectionValue::NotApplicable, None);
            let file = path.to_string_lossy().into_owned();
            ExportReport::with_checks(file, sha256_hex(&bytes), &session, &[])
        })
        .collect()
}

fn export(c: &mut Criterion) {
    let seeds = seed_reports();
    let thousand: Vec<ExportReport> = seeds.iter().cycle().take(1000).cloned().collect();
    let info = ExportInfo::now();
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    group.bench_function("workbook_1000_reports", |b| {
        b.iter(|| workbook_bytes(black_box(&thousand), &info).expect("workbook"))
    });
    group.bench_function("workbook_1_report", |b| {
        b.iter(|| workbook_bytes(black_box(&seeds[..1]), &info).expect("workbook"))
    });
    group.finish();
}

/// Seed 001 (the one with the most findings) with every finding confirmed and one correction.
fn confirmed_report() -> ExportReport {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds/001_02434a0845e90c92.txt");
    let bytes = std::fs::read(&path).expect("seed file");
    let source = ingest::load(&bytes, "seed.txt").expect("seed decodes");
    let extraction = extract(&source);
    let mut session = ReviewSession::new(source, extraction);
    let findings = nianbao::check::run_checks(&session.extraction, &session.source, &[]);
    for f in &findings {
        session.set_verdict(&f.id(), &f.keys, VerdictState::Confirmed, None);
    }
    let fee = CellKey::from_name("active.fees.amount").expect("key");
    session.commit(fee, CorrectionValue::NotApplicable, None);
    ExportReport::with_checks("001.txt", sha256_hex(&bytes), &session, &[])
}

fn notice(c: &mut Criterion) {
    let report = confirmed_report();
    let options = NoticeOptions {
        include_open: true,
        date: jiff::civil::date(2025, 3, 4),
    };
    let mut group = c.benchmark_group("notice");
    group.bench_function("notice_1_report_text_and_docx", |b| {
        b.iter(|| {
            let notice = Notice::build(black_box(&report), &options);
            let text = notice.to_text_file();
            let docx = notice.to_docx().expect("docx");
            (text.len(), docx.len())
        })
    });
    group.finish();
}

criterion_group!(benches, export, notice);
criterion_main!(benches);
