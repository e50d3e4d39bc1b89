//! `nianbao notice -o DIR [--include-open] FILE…`: opens every report as `export` does (saved
//! review restored), builds its review notice and writes `<report stem>_审核意见.docx` and
//! `.txt` into DIR, one line per file written. Unreadable inputs go to stderr and make the exit
//! status 2; a file that cannot be written makes it 1.

use super::workbook::EXIT_NOT_WRITTEN;
use super::{EXIT_UNREADABLE, NOT_A_REPORT, ProgressBar, expand_inputs};
use crate::export::ExportReport;
use crate::export::notice::{Notice, NoticeOptions, notice_stem, write_notice};
use crate::review::StoreDirs;
use crate::review::batch::load_reports;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// Runs the notice command with the user's data directory for saved reviews; returns the exit
/// status: 0 all written, 2 some inputs unreadable, 1 a notice not written (or DIR unusable).
pub fn run_notice(output: &Path, include_open: bool, paths: &[PathBuf]) -> i32 {
    run_notice_in(output, include_open, paths, &StoreDirs::user())
}

/// [`run_notice`] with the data directory given.
pub fn run_notice_in(
    output: &Path,
    include_open: bool,
    paths: &[PathBuf],
    dirs: &StoreDirs,
) -> i32 {
    if let Err(e) = std::fs::create_dir_all(output) {
        eprintln!("无法创建输出文件夹 {}：{e}", output.display());
        return EXIT_NOT_WRITTEN;
    }
    // Notices written earlier into DIR are not reports, when DIR lies inside an input folder.
    let output_real = std::fs::canonicalize(output).ok();
    let files: Vec<PathBuf> = expand_inputs(paths)
        .into_iter()
        .filter(|p| {
            let inside = output_real.as_ref().is_some_and(|out| {
                std::fs::canonicalize(p).is_ok_and(|real| real.starts_with(out))
            });
            !inside
        })
        .collect();
    let mut progress = ProgressBar::new(files.len());
    let loaded = load_reports(&files, dirs, &AtomicBool::new(false), |_, _, p| {
        progress.advance(p)
    });
    progress.finish();
    let options = NoticeOptions {
        include_open,
        date: jiff::Zoned::now().date(),
    };
    let mut status = 0;
    let mut stems: HashSet<String> = HashSet::new();
    for (path, result) in loaded {
        let file = path.to_string_lossy().into_owned();
        let report = match result {
            Ok(r) if r.session.extraction.tables.is_empty() => Err(NOT_A_REPORT.to_owned()),
            other => other,
        };
        let r = match report {
            Ok(r) => r,
            Err(reason) => {
                eprintln!("无法读取 {file}：{reason}");
                if status == 0 {
                    status = EXIT_UNREADABLE;
                }
                continue;
            }
        };
        for n in &r.notices {
            eprintln!("{file}：{n}");
        }
        let sha = r.session.source_sha256().unwrap_or_default().to_owned();
        let report = ExportReport::new(&file, sha, &r.session, r.findings);
        let notice = Notice::build(&report, &options);
        let stem = unique_stem(&mut stems, &notice_stem(&file));
        match write_notice(&notice, output, &stem) {
            Ok((docx, text)) => {
                for written in [docx, text] {
                    println!(
                        "已写入 {}（{}：确认问题 {} 条）",
                        written.display(),
                        report.file_name(),
                        notice.confirmed_count()
                    );
                }
            }
            Err(e) => {
                eprintln!("{file}：{e}");
                status = EXIT_NOT_WRITTEN;
            }
        }
    }
    status
}

/// `stem`, or `stem_2`, `stem_3`… when two reports of the same name (in different folders)
/// would otherwise overwrite each other's notice.
fn unique_stem(used: &mut HashSet<String>, stem: &str) -> String {
    let mut candidate = stem.to_owned();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{stem}_{n}");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    // Two reports of the same name get distinct notice names.
    #[test]
    fn stems_are_unique() {
        let mut used = HashSet::new();
        assert_eq!(unique_stem(&mut used, "a_审核意见"), "a_审核意见");
        assert_eq!(unique_stem(&mut used, "a_审核意见"), "a_审核意见_2");
        assert_eq!(unique_stem(&mut used, "a_审核意见"), "a_审核意见_3");
        assert_eq!(unique_stem(&mut used, "b_审核意见"), "b_审核意见");
    }
}
