//! The headless command line: `extract`, `check`, `export`. Each command reads its inputs one by
//! one, prints one JSON line per input in input order, and carries on past unreadable files.

use crate::export::json::{error_json, report_json};
use crate::extract::extract;
use crate::ingest::{self, IngestError};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};

pub mod workbook;

/// File endings read when a folder is given.
pub const REPORT_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "docx", "html", "htm", "xhtml", "mht", "xlsx", "xls", "xlsm", "ods",
    "pdf", "doc", "wps",
];

/// Exit status when any input could not be read.
pub const EXIT_UNREADABLE: i32 = 2;

/// nianbao · 年报审校：政府信息公开工作年度报告统计表审校工具
#[derive(Debug, Parser)]
#[command(name = "nianbao", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do without the window.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Reports to open in the window (none: the bundled sample report).
    pub files: Vec<PathBuf>,
}

/// Headless subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 读取报告，输出三张统计表全部 200 个单元格（每个文件一行 JSON）
    Extract {
        /// Report files or folders.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// 导出审校后的工作簿（xlsx）：各报告的三张统计表、问题清单、修改记录、汇总和说明
    Export {
        /// 输出文件（.xlsx）
        #[arg(short = 'o', long = "output", value_name = "OUT.xlsx")]
        output: PathBuf,
        /// Report files or folders.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// Runs a headless command and returns the process exit status.
pub fn run(command: Command) -> i32 {
    match command {
        Command::Extract { files } => run_extract(&files),
        Command::Export { output, files } => workbook::run_export(&output, &files),
    }
}

/// Expands folders (recursively, sorted) into the report files inside; files are kept as given.
pub fn expand_inputs(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .follow_links(false)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file() && is_report_file(e.path()))
                .map(|e| e.into_path())
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    out
}

fn is_report_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.') || name.ends_with(".nianbao.json") {
        return false;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| REPORT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads one input for a command: the decoded source or the Chinese error sentence.
pub fn read_input(path: &Path) -> Result<crate::model::SourceText, IngestError> {
    ingest::read_file(path)
}

fn run_extract(paths: &[PathBuf]) -> i32 {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut status = 0;
    for path in expand_inputs(paths) {
        let file = path.to_string_lossy();
        let line = match read_input(&path) {
            Ok(source) => {
                let extraction = extract(&source);
                if extraction.tables.is_empty() {
                    status = EXIT_UNREADABLE;
                    error_json(
                        &file,
                        "没有找到任何统计表：这可能不是政府信息公开工作年度报告",
                    )
                } else {
                    report_json(&file, &extraction, &extraction.cells, &[])
                }
            }
            Err(e) => {
                status = EXIT_UNREADABLE;
                error_json(&file, &e.to_string())
            }
        };
        // A closed pipe (`| head`) ends the output quietly.
        if writeln!(out, "{line}").is_err() {
            return status;
        }
    }
    if out.flush().is_err() {
        return status;
    }
    status
}
