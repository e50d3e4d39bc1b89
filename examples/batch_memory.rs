//! Measures time and resident memory (VmRSS from /proc/self/status, Linux) with 1,000 reports
//! opened and checked and held as the window holds them (one `app::Report` each, with its
//! queue entry).
//!
//! Run: `cargo run --release --example batch_memory [COUNT]`

// Test and measuring code may unwrap, expect and print (the crate itself may not).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use nianbao::app::Report;
use nianbao::review::batch::{BatchEvent, BatchLoader};
use nianbao::review::store::StoreDirs;
use std::path::Path;
use std::time::Instant;

fn vm_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn make_reports(dir: &Path, count: usize) -> std::io::Result<()> {
    let seeds_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let mut seeds = Vec::new();
    for entry in std::fs::read_dir(&seeds_dir)? {
        seeds.push(std::fs::read_to_string(entry?.path())?);
    }
    seeds.sort();
    for i in 0..count {
        let seed = &seeds[i % seeds.len()];
        let k = i / seeds.len();
        let year = ["2024", "2023", "2022"]
            .into_iter()
            .find(|y| seed.contains(y))
            .unwrap_or("2024");
        let new_year = (year.parse::<i32>().unwrap_or(2024) - (k % 10) as i32).to_string();
        let sub = dir.join(format!("{:03}", i / 50));
        std::fs::create_dir_all(&sub)?;
        std::fs::write(
            sub.join(format!("{i:04}.txt")),
            seed.replacen(year, &new_year, 1),
        )?;
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let tmp = tempfile::tempdir()?;
    let reports = tmp.path().join("reports");
    make_reports(&reports, count)?;
    let before = vm_rss_kib();
    let start = Instant::now();
    let mut loader = BatchLoader::start_in(
        vec![reports],
        StoreDirs::with_data_dir(tmp.path().join("data")),
        || {},
    );
    let mut queue: Vec<Report> = Vec::new();
    while let Some(event) = loader.recv() {
        if let BatchEvent::Report {
            path,
            result: Ok(loaded),
            ..
        } = event
        {
            let name = path.display().to_string();
            queue.push(Report::with_findings(
                queue.len() as u64,
                name,
                Some(path),
                loaded.session,
                loaded.findings,
                loaded.notices,
            ));
        }
        if loader.is_finished() {
            break;
        }
    }
    let elapsed = start.elapsed();
    let after = vm_rss_kib();
    let findings: usize = queue.iter().map(|r| r.findings().len()).sum();
    println!(
        "{} reports opened and checked in {:.3} s ({findings} findings)",
        queue.len(),
        elapsed.as_secs_f64()
    );
    match (before, after) {
        (Some(b), Some(a)) => println!(
            "VmRSS before {:.1} MB, after {:.1} MB (+{:.1} MB with {} open)",
            b as f64 / 1024.0,
            a as f64 / 1024.0,
            a.saturating_sub(b) as f64 / 1024.0,
            queue.len()
        ),
        _ => println!("VmRSS not available on this system"),
    }
    Ok(())
}
