//! `nianbao export -o OUT.xlsx FILE…`: reads every report, applies the corrections saved for
//! it, runs the checks (cross-year rules among reports of the same body) and writes the workbook
//! atomically. Unreadable files are listed on stderr and in `说明`; the exit status is then 2.

use super::{EXIT_UNREADABLE, expand_inputs};
use crate::export::xlsx::{ExportInfo, UnreadableFile, save_workbook};
use crate::export::{ExportReport, sha256_hex};
use crate::extract::{Extraction, extract};
use crate::ingest::{self, IngestError, limits};
use crate::model::SourceText;
use crate::review::ReviewSession;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Exit status when the workbook was not written.
pub const EXIT_NOT_WRITTEN: i32 = 1;

/// One report read from disk, ready to export.
#[derive(Debug)]
pub struct LoadedReport {
    /// The path as given (or as found in a folder).
    pub file: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// The review: the extraction with the saved corrections applied.
    pub session: ReviewSession,
}

/// Runs the export command; returns the exit status: 0 written, 2 written but some inputs were
/// unreadable (or none was readable, nothing written), 1 not written.
pub fn run_export(output: &Path, paths: &[PathBuf]) -> i32 {
    if !output
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        eprintln!("输出文件名应以 .xlsx 结尾：{}", output.display());
        return EXIT_NOT_WRITTEN;
    }
    let output_real = std::fs::canonicalize(output).ok();
    let mut info = ExportInfo::now();
    let mut loaded = Vec::new();
    for path in expand_inputs(paths) {
        if is_lock_file(&path)
            || output_real.is_some() && std::fs::canonicalize(&path).ok() == output_real
        {
            continue;
        }
        let file = path.to_string_lossy().into_owned();
        match load_report(&path) {
            Ok((report, notice)) => {
                if let Some(n) = notice {
                    eprintln!("{n}");
                    info.notices.push(n);
                }
                loaded.push(report);
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
    if loaded.is_empty() {
        eprintln!("没有可导出的报告，未写入 {}", output.display());
        return if status == 0 {
            EXIT_NOT_WRITTEN
        } else {
            status
        };
    }
    let reports = export_reports(&loaded);
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

/// Reads a file's bytes, refusing folders and files over the size limit before loading them.
fn read_bytes(path: &Path) -> Result<Vec<u8>, IngestError> {
    let io = |e: std::io::Error| {
        IngestError::Io(match e.kind() {
            std::io::ErrorKind::NotFound => "文件不存在".to_owned(),
            std::io::ErrorKind::PermissionDenied => "没有读取权限".to_owned(),
            _ => e.to_string(),
        })
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(IngestError::IsDirectory);
    }
    if meta.len() > limits::MAX_FILE_BYTES {
        return Err(IngestError::TooLarge { size: meta.len() });
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(limits::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        return Err(IngestError::TooLarge {
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// Reads, decodes and extracts one report and restores its saved review. Returns the report
/// and, when the saved review could not be used, a notice saying so; or the Chinese reason the
/// file cannot be exported.
pub fn load_report(path: &Path) -> Result<(LoadedReport, Option<String>), String> {
    let bytes = read_bytes(path).map_err(|e| e.to_string())?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let source = ingest::load(&bytes, name).map_err(|e| e.to_string())?;
    let extraction = extract(&source);
    if extraction.tables.is_empty() {
        return Err("没有找到任何统计表：这可能不是政府信息公开工作年度报告".to_owned());
    }
    let file = path.to_string_lossy().into_owned();
    let (session, notice) = saved_review(path, source, extraction);
    Ok((
        LoadedReport {
            file,
            sha256: sha256_hex(&bytes),
            session,
        },
        notice,
    ))
}

/// The review saved beside the report, or a fresh one with a notice when the saved one cannot be
/// used. The review-file store (`review::store`) is not in this branch yet, so no saved
/// corrections are found here until it is wired into this one function.
fn saved_review(
    path: &Path,
    source: SourceText,
    extraction: Extraction,
) -> (ReviewSession, Option<String>) {
    let _ = path;
    (ReviewSession::new(source, extraction), None)
}

/// Runs the checks on every report (passing the other years of the same body for the cross-year
/// rules) and takes the export snapshots, in input order.
pub fn export_reports(loaded: &[LoadedReport]) -> Vec<ExportReport> {
    let effective: Vec<Extraction> = loaded
        .iter()
        .map(|r| r.session.effective_extraction())
        .collect();
    let mut by_agency: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in effective.iter().enumerate() {
        if let Some(a) = e.agency.as_deref() {
            by_agency.entry(a).or_default().push(i);
        }
    }
    loaded
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mine = &effective[i];
            let others: Vec<&Extraction> = mine
                .agency
                .as_deref()
                .and_then(|a| by_agency.get(a))
                .map(|ids| {
                    ids.iter()
                        .map(|&j| &effective[j])
                        .filter(|e| e.year.is_some() && e.year != mine.year)
                        .collect()
                })
                .unwrap_or_default();
            let findings = crate::check::run_checks(mine, &r.session.source, &others);
            ExportReport::new(&r.file, &r.sha256, &r.session, findings)
        })
        .collect()
}
