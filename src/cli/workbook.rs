//! `nianbao export -o OUT.xlsx FILE…`: opens every report as the window does (saved review
//! restored, so saved corrections apply), checks it with the other years of the same body, and
//! writes the workbook atomically. Unreadable files are listed on stderr and in `说明`; the exit
//! status is then 2.

use super::{EXIT_UNREADABLE, ProgressBar};
use crate::export::ExportReport;
use crate::export::xlsx::{ExportInfo, UnreadableFile, save_workbook};
use crate::ingest::inputs::expand_inputs;
use crate::ingest::sha256_file;
use crate::review::StoreDirs;
use crate::review::batch::load_reports;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// Exit status when the workbook was not written.
pub const EXIT_NOT_WRITTEN: i32 = 1;

/// Runs the export command with the user's data directory for saved reviews; returns the exit
/// status: 0 written, 2 written but some inputs were unreadable (or none was readable and
/// nothing was written), 1 not written.
pub fn run_export(output: &Path, paths: &[PathBuf]) -> i32 {
    run_export_in(output, paths, &StoreDirs::user())
}

/// [`run_export`] with the data directory given.
pub fn run_export_in(output: &Path, paths: &[PathBuf], dirs: &StoreDirs) -> i32 {
    if !output
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        eprintln!("输出文件名应以 .xlsx 结尾：{}", output.display());
        return EXIT_NOT_WRITTEN;
    }
    // A previous export in the folder being exported is not a report.
    let output_real = std::fs::canonicalize(output).ok();
    let files: Vec<PathBuf> = expand_inputs(paths)
        .into_iter()
        .filter(|p| !is_lock_file(p))
        .filter(|p| output_real.is_none() || std::fs::canonicalize(p).ok() != output_real)
        .collect();
    let mut progress = ProgressBar::new(files.len());
    let loaded = load_reports(&files, dirs, &AtomicBool::new(false), |_, _, p| {
        progress.advance(p)
    });
    progress.finish();
    let mut info = ExportInfo::now();
    let mut reports = Vec::new();
    for (path, result) in loaded {
        let file = path.to_string_lossy().into_owned();
        let loaded = match result {
            Ok(r) if r.session.extraction.tables.is_empty() => {
                Err("没有找到任何统计表：这可能不是政府信息公开工作年度报告".to_owned())
            }
            other => other,
        };
        match loaded {
            Ok(r) => {
                for n in &r.notices {
                    let notice = format!("{file}：{n}");
                    eprintln!("{notice}");
                    info.notices.push(notice);
                }
                let sha = match r.session.source_sha256() {
                    Some(s) => s.to_owned(),
                    None => sha256_file(&path).unwrap_or_else(|_| "（无法计算）".to_owned()),
                };
                reports.push(ExportReport::new(&file, sha, &r.session, r.findings));
            }
            Err(reason) => {
                eprintln!("无法读取 {file}：{reason}");
                info.unreadable.push(UnreadableFile { file, reason });
            }
        }
    }
    let status = if info.unreadable.is_empty() {
        0
    } else {
        EXIT_UNREADABLE
    };
    if reports.is_empty() {
        eprintln!("没有可导出的报告，未写入 {}", output.display());
        return if status == 0 {
            EXIT_NOT_WRITTEN
        } else {
            status
        };
    }
    match save_workbook(output, &reports, &info) {
        Ok(()) => {
            let findings: usize = reports.iter().map(|r| r.findings.len()).sum();
            let corrected: usize = reports.iter().map(|r| r.counts().corrected_cells).sum();
            println!(
                "已导出 {} 份报告到 {}（问题 {findings} 个，修改 {corrected} 个单元格）",
                reports.len(),
                output.display()
            );
            status
        }
        Err(e) => {
            eprintln!("{e}");
            EXIT_NOT_WRITTEN
        }
    }
}

/// Excel and WPS leave `~$name.xlsx` beside an open file; it is never a report.
fn is_lock_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("~$"))
}
