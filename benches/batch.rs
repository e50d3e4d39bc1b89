//! The 1,000-report batch: open (read, extract, restore review) and check a folder of 1,000
//! reports through the same loader the window uses. Target: ≤ 2 s.

// Test and measuring code may unwrap, expect and print (the crate itself may not).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use criterion::{Criterion, criterion_group, criterion_main};
use nianbao::review::batch::{BatchEvent, BatchLoader};
use nianbao::review::store::StoreDirs;
use std::path::Path;
use std::time::Duration;

/// Writes `count` reports made from the seeds into `dir`, ten years per body, in folders of 50.
fn make_reports(dir: &Path, count: usize) {
    let seeds_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let mut seeds: Vec<String> = std::fs::read_dir(&seeds_dir)
        .expect("seeds folder")
        .filter_map(Result::ok)
        .map(|e| std::fs::read_to_string(e.path()).expect("seed text"))
        .collect();
    seeds.sort();
    for i in 0..count {
        let seed = &seeds[i % seeds.len()];
        let k = i / seeds.len();
        // Vary the title year so each body has ten consecutive years to group.
        let year = ["2024", "2023", "2022"]
            .into_iter()
            .find(|y| seed.contains(y))
            .unwrap_or("2024");
        let new_year = (year.parse::<i32>().unwrap_or(2024) - (k % 10) as i32).to_string();
        let text = seed.replacen(year, &new_year, 1);
        let sub = dir.join(format!("{:03}", i / 50));
        std::fs::create_dir_all(&sub).expect("folder");
        std::fs::write(sub.join(format!("{i:04}.txt")), text).expect("write report");
    }
}

fn run_batch(dir: &Path, data: &Path) -> usize {
    let mut loader = BatchLoader::start_in(
        vec![dir.to_path_buf()],
        StoreDirs::with_data_dir(data),
        || {},
    );
    let mut reports = 0;
    while let Some(event) = loader.recv() {
        match event {
            BatchEvent::Report { result, .. } => {
                assert!(result.is_ok(), "{:?}", result.err());
                reports += 1;
            }
            BatchEvent::Finished { .. } => break,
            _ => {}
        }
    }
    reports
}

fn batch(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let reports = tmp.path().join("reports");
    make_reports(&reports, 1000);
    let data = tmp.path().join("data");
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("open_and_check_1000_reports", |b| {
        b.iter(|| assert_eq!(run_batch(&reports, &data), 1000));
    });
    group.finish();
}

criterion_group!(benches, batch);
criterion_main!(benches);
