//! The headless command line: `extract`, `check`, `export`. Each command reads its inputs one by
//! one, prints one JSON line per input in input order, and carries on past unreadable files.

use crate::check::{Finding, Severity, run_checks};
use crate::export::json::{FlagJson, error_json, number_json, report_json};
use crate::extract::{Extraction, extract};
use crate::ingest::limits::MAX_KEPT_TEXT_BYTES;
use crate::ingest::{self, IngestError};
use crate::model::{CellKey, SourceText};
use crate::review::{CorrectionValue, parse_correction, store};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::{Map, Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};

mod workbook;

/// File endings read when a folder is given.
pub const REPORT_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "docx", "html", "htm", "xhtml", "mht", "xlsx", "xls", "xlsm", "ods",
    "pdf", "doc", "wps",
];

/// Exit status when any input could not be read.
pub const EXIT_UNREADABLE: i32 = 2;

/// Exit status of `check` when any finding is an error (and every input was read).
pub const EXIT_ERRORS: i32 = 1;

/// The message for a file that was read but holds none of the three tables.
const NOT_A_REPORT: &str = "没有找到任何统计表：这可能不是政府信息公开工作年度报告";

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
    /// 审校报告：输出与 extract 相同的 JSON，flags 中列出发现的问题（有“错误”时退出码为 1）
    Check {
        /// Report files or folders.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 输出格式：json（每个文件一行 JSON）或 table（便于阅读的中文摘要）
        #[arg(long, value_enum, default_value = "json")]
        format: CheckFormat,
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
    /// Opens FILE as the window does, commits each KEY=VALUE correction and saves after each
    /// one, printing `committed N` once correction N is on disk. Used by the crash test.
    #[command(hide = true)]
    ApplyCorrections {
        /// The report.
        file: PathBuf,
        /// Corrections `KEY=VALUE`; VALUE is a number, `/` (not applicable) or `blank`.
        corrections: Vec<String>,
    },
}

/// How `check` prints its results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// One JSON object per file, as `extract` prints, with `flags` filled.
    Json,
    /// A readable Chinese summary per report.
    Table,
}

/// Runs a headless command and returns the process exit status.
pub fn run(command: Command) -> i32 {
    match command {
        Command::Extract { files } => run_extract(&files),
        Command::Check { files, format } => run_check(&files, format),
        Command::Export { output, files } => workbook::run_export(&output, &files),
        Command::ApplyCorrections { file, corrections } => {
            run_apply_corrections(&file, &corrections)
        }
    }
}

/// A progress line on stderr for runs over several files. It is drawn only when stderr is a
/// terminal and there is more than one file, so piped and redirected output stays clean.
#[derive(Debug)]
pub struct ProgressBar {
    total: usize,
    done: usize,
    visible: bool,
    last_draw: Option<std::time::Instant>,
}

impl ProgressBar {
    /// A progress bar for `total` files; hidden unless stderr is a terminal and `total > 1`.
    pub fn new(total: usize) -> Self {
        use std::io::IsTerminal;
        Self::with_visibility(total, total > 1 && std::io::stderr().is_terminal())
    }

    /// A progress bar whose visibility is decided by the caller.
    pub fn with_visibility(total: usize, visible: bool) -> Self {
        Self {
            total,
            done: 0,
            visible,
            last_draw: None,
        }
    }

    /// True when the bar is drawn.
    pub fn is_visible(&self) -> bool {
        self.visible
    }

    /// Counts one more file done; `current` is shown beside the bar.
    pub fn advance(&mut self, current: &Path) {
        self.done = (self.done + 1).min(self.total);
        if !self.visible {
            return;
        }
        // Redrawing a terminal line per file would slow a run of thousands of small files.
        let now = std::time::Instant::now();
        let due = self
            .last_draw
            .is_none_or(|t| now.duration_since(t).as_millis() >= 50);
        if due || self.done == self.total {
            self.last_draw = Some(now);
            let _ = write!(std::io::stderr(), "\r\x1b[2K{}", self.line(current));
        }
    }

    /// The text of the bar: `[#####-----] 12/100 name`.
    pub fn line(&self, current: &Path) -> String {
        const WIDTH: usize = 30;
        let filled = (self.done * WIDTH).checked_div(self.total).unwrap_or(WIDTH);
        let name = current
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name: String = if name.chars().count() > 40 {
            let tail: Vec<char> = name.chars().rev().take(39).collect();
            std::iter::once('…').chain(tail.into_iter().rev()).collect()
        } else {
            name
        };
        format!(
            "[{}{}] {}/{} {name}",
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            self.done,
            self.total
        )
    }

    /// Clears the bar's line.
    pub fn finish(&mut self) {
        if self.visible {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
            self.visible = false;
        }
    }
}

impl Drop for ProgressBar {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Expands folders (recursively, sorted) into the report files inside; files, and folders with
/// no report file inside, are kept as given.
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
            if found.is_empty() {
                // Kept so that reading it says why nothing was read, instead of printing nothing.
                out.push(path.clone());
            }
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
    let inputs = expand_inputs(paths);
    let mut progress = ProgressBar::new(inputs.len());
    for path in inputs {
        progress.advance(&path);
        let file = path.to_string_lossy();
        let line = match read_input(&path) {
            Ok(source) => {
                let extraction = extract(&source);
                if extraction.tables.is_empty() {
                    status = EXIT_UNREADABLE;
                    error_json(&file, NOT_A_REPORT)
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

/// Reads a `KEY=VALUE` correction as the window's cell editor would.
fn parse_key_value(arg: &str) -> Result<(CellKey, CorrectionValue), String> {
    let (name, value) = arg
        .split_once('=')
        .ok_or_else(|| format!("“{arg}”不是 KEY=VALUE 形式"))?;
    let key = CellKey::from_name(name.trim()).ok_or_else(|| format!("没有单元格“{name}”"))?;
    let value = match value.trim() {
        "/" => CorrectionValue::NotApplicable,
        "blank" | "空白" => CorrectionValue::Blank,
        text => parse_correction(key, text)?,
    };
    Ok((key, value))
}

fn run_apply_corrections(file: &Path, corrections: &[String]) -> i32 {
    let parsed: Result<Vec<_>, String> = corrections.iter().map(|c| parse_key_value(c)).collect();
    let parsed = match parsed {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return EXIT_UNREADABLE;
        }
    };
    let mut opened = match store::open_report(file) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return EXIT_UNREADABLE;
        }
    };
    for notice in &opened.notices {
        eprintln!("{notice}");
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (n, (key, value)) in parsed.into_iter().enumerate() {
        opened.session.commit(key, value, None);
        if let Err(e) = store::save(&opened.session, file) {
            eprintln!("{e}");
            return 1;
        }
        if writeln!(out, "committed {}", n + 1)
            .and_then(|()| out.flush())
            .is_err()
        {
            return 1;
        }
    }
    0
}

/// One finding as a JSON flag: the contract's fields plus `expected`, `found` and `cause`.
pub fn flag_json(finding: &Finding) -> FlagJson {
    let mut extra = Map::new();
    let number = |v: Option<f64>| v.map_or(Value::Null, number_json);
    extra.insert("expected".into(), number(finding.expected));
    extra.insert("found".into(), number(finding.found));
    extra.insert("cause".into(), json!(finding.cause.name()));
    FlagJson {
        rule: finding.rule.clone(),
        severity: finding.severity.name().to_owned(),
        keys: finding.keys.iter().map(|k| k.name().to_owned()).collect(),
        message: finding.message.clone(),
        span: finding.span.map(|s| [s.start, s.end]),
        extra,
    }
}

/// A report read for `check`: its text and extraction, or why it could not be read.
type Loaded = Result<(SourceText, Extraction), String>;

fn load(path: &Path) -> Loaded {
    let source = read_input(path).map_err(|e| e.to_string())?;
    let extraction = extract(&source);
    if extraction.tables.is_empty() {
        return Err(NOT_A_REPORT.to_owned());
    }
    Ok((source, extraction))
}

/// The body a report is by, for pairing reports of consecutive years: the agency without
/// white space.
fn agency_of(e: &Extraction) -> Option<String> {
    e.agency
        .as_deref()
        .map(|a| a.chars().filter(|c| !c.is_whitespace()).collect())
        .filter(|a: &String| !a.is_empty())
}

fn run_check(paths: &[PathBuf], format: CheckFormat) -> i32 {
    let inputs = expand_inputs(paths);
    // First pass: what each report is (agency and year), so that reports of one body for
    // consecutive years given together are checked against each other. The texts are kept
    // while they fit in MAX_KEPT_TEXT_BYTES; beyond that they are read again one by one below, so
    // memory stays bounded for a folder of any size.
    let mut kept_bytes = 0usize;
    let mut texts: Vec<Option<SourceText>> = Vec::with_capacity(inputs.len());
    let mut known: Vec<Option<Extraction>> = Vec::with_capacity(inputs.len());
    for path in &inputs {
        match load(path) {
            Ok((source, extraction)) => {
                kept_bytes = kept_bytes.saturating_add(source.text.len());
                texts.push((kept_bytes <= MAX_KEPT_TEXT_BYTES).then_some(source));
                known.push(Some(extraction));
            }
            Err(_) => {
                texts.push(None);
                known.push(None);
            }
        }
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut progress = ProgressBar::new(inputs.len());
    let mut unreadable = false;
    let mut any_error = false;
    let mut totals = [0usize; 3];
    for (i, path) in inputs.iter().enumerate() {
        progress.advance(path);
        let file = path.to_string_lossy();
        let loaded = match (texts[i].take(), &known[i]) {
            (Some(source), Some(extraction)) => Ok((source, extraction.clone())),
            _ => load(path),
        };
        let text = match &loaded {
            Ok((source, extraction)) => {
                let agency = agency_of(extraction);
                let others: Vec<&Extraction> = known
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .filter_map(|(_, e)| e.as_ref())
                    .filter(|e| agency.is_some() && agency_of(e) == agency)
                    .collect();
                let findings = run_checks(extraction, source, &others);
                for f in &findings {
                    totals[f.severity as usize] += 1;
                }
                any_error |= findings.iter().any(|f| f.severity == Severity::Error);
                match format {
                    CheckFormat::Json => {
                        let flags: Vec<FlagJson> = findings.iter().map(flag_json).collect();
                        report_json(&file, extraction, &extraction.cells, &flags).to_string()
                    }
                    CheckFormat::Table => table_summary(&file, source, extraction, &findings),
                }
            }
            Err(message) => {
                unreadable = true;
                match format {
                    CheckFormat::Json => error_json(&file, message).to_string(),
                    CheckFormat::Table => format!("━━ {file}\n  无法读取：{message}\n"),
                }
            }
        };
        // A closed pipe (`| head`) ends the output quietly.
        if writeln!(out, "{text}").is_err() {
            break;
        }
    }
    progress.finish();
    if format == CheckFormat::Table {
        let unread = known.iter().filter(|e| e.is_none()).count();
        let _ = writeln!(
            out,
            "共 {} 份文件：错误 {}，警告 {}，提示 {}；无法读取 {} 份",
            inputs.len(),
            totals[0],
            totals[1],
            totals[2],
            unread
        );
    }
    let _ = out.flush();
    if unreadable {
        EXIT_UNREADABLE
    } else if any_error {
        EXIT_ERRORS
    } else {
        0
    }
}

/// The readable summary of one report for `--format table`.
fn table_summary(
    file: &str,
    source: &SourceText,
    extraction: &Extraction,
    findings: &[Finding],
) -> String {
    let mut s = format!("━━ {file}\n");
    let tables: Vec<&str> = extraction
        .tables_found()
        .iter()
        .map(|t| t.label())
        .collect();
    let year = extraction
        .year
        .map_or_else(|| "年度不明".to_owned(), |y| format!("{y} 年度"));
    s.push_str(&format!(
        "  {} · {year} · 找到{} · 读到 {}/200 格\n",
        extraction.agency.as_deref().unwrap_or("机关名称不明"),
        if tables.is_empty() {
            "0 张表".to_owned()
        } else {
            tables.join("、")
        },
        extraction.cells_read()
    ));
    let count = |sev: Severity| findings.iter().filter(|f| f.severity == sev).count();
    s.push_str(&format!(
        "  错误 {} · 警告 {} · 提示 {}\n",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    ));
    for f in findings {
        let place = match f.keys.first() {
            Some(k) if f.keys.len() == 1 => k.accessible_name(),
            Some(k) => format!("{} 等 {} 格", k.accessible_name(), f.keys.len()),
            None => "全文".to_owned(),
        };
        let line = f
            .span
            .map(|sp| format!("第 {} 行 · ", source.line_of(sp.start)))
            .unwrap_or_default();
        s.push_str(&format!(
            "  [{}] {line}{place}：{}（{}，{}）\n",
            f.severity.label(),
            f.message,
            f.rule,
            f.cause.label()
        ));
    }
    s
}
