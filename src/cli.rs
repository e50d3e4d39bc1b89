//! The headless command line: `extract` and `check` read their inputs one by one and print one
//! JSON line per input in input order; `export` writes the workbook and `notice` the review
//! notices. Every command carries on past unreadable files.

// The command line is the one part of the crate that writes to standard output.
#![allow(clippy::print_stdout)]

use crate::check::{Finding, OtherYear, Severity, run_checks_across};
use crate::export::json::{self, ErrorJson, ReportJson};
use crate::extract::{Extraction, extract};
use crate::ingest::inputs::expand_inputs;
use crate::ingest::limits::MAX_KEPT_TEXT_BYTES;
use crate::ingest::{self, IngestError};
use crate::model::{CellKey, SourceText};
use crate::review::batch::{default_window, map_in_order};
use crate::review::{CorrectionValue, parse_correction, store};
use clap::{Parser, Subcommand, ValueEnum};
use std::collections::HashMap;
use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

mod notice;
mod workbook;

/// Exit status when any input could not be read.
pub const EXIT_UNREADABLE: i32 = 2;

/// Exit status of `check` when any finding is an error (and every input was read).
pub const EXIT_ERRORS: i32 = 1;

/// The message for a file that was read but holds none of the three tables.
pub(crate) const NOT_A_REPORT: &str = "没有找到任何统计表：这可能不是政府信息公开工作年度报告";

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
    /// 生成审核意见：每份报告一个 Word 文件和一个文本文件（<报告文件名>_审核意见），列出已确认的问题
    Notice {
        /// 输出文件夹（不存在时创建）
        #[arg(short = 'o', long = "output", value_name = "DIR")]
        output: PathBuf,
        /// 同时列出尚未判断的问题（单列“待核实”一节）
        #[arg(long)]
        include_open: bool,
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
        Command::Notice {
            output,
            include_open,
            files,
        } => notice::run_notice(&output, include_open, &files),
        Command::ApplyCorrections { file, corrections } => {
            run_apply_corrections(&file, &corrections)
        }
    }
}

/// A progress bar on stderr for runs over several files, drawn by indicatif (which measures
/// Chinese names by their display width). It is drawn only when stderr is a terminal and there
/// is more than one file, so piped and redirected output stays clean.
#[derive(Debug)]
pub struct ProgressBar {
    total: usize,
    done: usize,
    bar: Option<indicatif::ProgressBar>,
}

/// Columns of the bar itself, as in [`ProgressBar::line`].
const BAR_WIDTH: usize = 30;

impl ProgressBar {
    /// A progress bar for `total` files; hidden unless stderr is a terminal and `total > 1`.
    pub fn new(total: usize) -> Self {
        use std::io::IsTerminal;
        Self::with_visibility(total, total > 1 && std::io::stderr().is_terminal())
    }

    /// A progress bar whose visibility is decided by the caller.
    pub fn with_visibility(total: usize, visible: bool) -> Self {
        let bar = visible.then(|| {
            let style =
                indicatif::ProgressStyle::with_template("[{bar:30}] {pos}/{len} {wide_msg}")
                    .map(|s| s.progress_chars("#-"))
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(total as u64),
                indicatif::ProgressDrawTarget::stderr_with_hz(20),
            );
            bar.set_style(style);
            bar
        });
        Self {
            total,
            done: 0,
            bar,
        }
    }

    /// True when the bar is drawn.
    pub fn is_visible(&self) -> bool {
        self.bar.is_some()
    }

    /// Counts one more file done; `current` is shown beside the bar.
    pub fn advance(&mut self, current: &Path) {
        self.done = (self.done + 1).min(self.total);
        if let Some(bar) = &self.bar {
            bar.set_position(self.done as u64);
            // indicatif redraws at most 20 times a second, so a name per file costs little.
            bar.set_message(file_name(current));
        }
    }

    /// The text of the bar as drawn on a wide terminal: `[#####-----] 12/100 name`.
    pub fn line(&self, current: &Path) -> String {
        let filled = (self.done * BAR_WIDTH)
            .checked_div(self.total)
            .unwrap_or(BAR_WIDTH);
        format!(
            "[{}{}] {}/{} {}",
            "#".repeat(filled),
            "-".repeat(BAR_WIDTH - filled),
            self.done,
            self.total,
            file_name(current)
        )
    }

    /// Clears the bar's line.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for ProgressBar {
    fn drop(&mut self) {
        self.finish();
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads one input for a command: the decoded source or the Chinese error sentence.
pub fn read_input(path: &Path) -> Result<crate::model::SourceText, IngestError> {
    ingest::read_file(path)
}

/// One input's line of output, made on a worker thread, and what it means for the exit status.
struct Rendered {
    /// The bytes to write, newline included.
    bytes: Vec<u8>,
    /// The file could not be read, or is not a report.
    unreadable: bool,
    /// Findings by severity (`check` only).
    totals: [usize; 3],
}

impl Rendered {
    /// The error object for a file that could not be read.
    fn unreadable(file: &str, message: &str, format: CheckFormat) -> Self {
        let bytes = match format {
            CheckFormat::Json => json::line_bytes(&ErrorJson {
                file,
                error: message,
            }),
            CheckFormat::Table => format!("━━ {file}\n  无法读取：{message}\n\n").into_bytes(),
        };
        Rendered {
            bytes,
            unreadable: true,
            totals: [0; 3],
        }
    }
}

/// Writes each input's line to one buffered, locked stdout, in input order, and tallies what
/// the exit status needs. A closed output (`| head`) ends the run quietly.
struct Writer<'a> {
    out: std::io::BufWriter<std::io::StdoutLock<'a>>,
    inputs: &'a [PathBuf],
    written: usize,
    progress: ProgressBar,
    unreadable: bool,
    /// Inputs that could not be read.
    unread: usize,
    totals: [usize; 3],
    format: CheckFormat,
    open: bool,
}

impl<'a> Writer<'a> {
    fn new(inputs: &'a [PathBuf], format: CheckFormat) -> Self {
        Writer {
            out: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
            inputs,
            written: 0,
            progress: ProgressBar::new(inputs.len()),
            unreadable: false,
            unread: 0,
            totals: [0; 3],
            format,
            open: true,
        }
    }

    /// Writes the next input's result (a panic on a worker becomes that file's error line).
    fn write(&mut self, result: Result<Rendered, String>) -> ControlFlow<()> {
        let Some(path) = self.inputs.get(self.written) else {
            return ControlFlow::Break(());
        };
        self.written += 1;
        self.progress.advance(path);
        let rendered = result.unwrap_or_else(|message| {
            Rendered::unreadable(&path.to_string_lossy(), &message, self.format)
        });
        self.unreadable |= rendered.unreadable;
        self.unread += usize::from(rendered.unreadable);
        for (total, n) in self.totals.iter_mut().zip(rendered.totals) {
            *total += n;
        }
        if self.out.write_all(&rendered.bytes).is_err() {
            self.open = false;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }

    /// Flushes the output and clears the progress bar.
    fn finish(&mut self) {
        self.progress.finish();
        if self.open && self.out.flush().is_err() {
            self.open = false;
        }
    }
}

fn run_extract(paths: &[PathBuf]) -> i32 {
    let inputs = expand_inputs(paths);
    let mut writer = Writer::new(&inputs, CheckFormat::Json);
    map_in_order(
        &inputs,
        default_window(),
        |path| render_extract(path),
        |result| writer.write(result),
    );
    writer.finish();
    if writer.unreadable {
        EXIT_UNREADABLE
    } else {
        0
    }
}

/// One report's JSON line.
fn report_line(file: &str, extraction: &Extraction, findings: &[Finding]) -> Vec<u8> {
    let mut out = Vec::with_capacity(24 * 1024);
    ReportJson::new(file, extraction, &extraction.cells, findings).write_line(&mut out);
    out
}

/// Reads and extracts one input, as its JSON line.
fn render_extract(path: &Path) -> Rendered {
    let file = path.to_string_lossy();
    match load(path) {
        Ok((_, extraction)) => Rendered {
            bytes: report_line(&file, &extraction, &[]),
            unreadable: false,
            totals: [0; 3],
        },
        Err(message) => Rendered::unreadable(&file, &message, CheckFormat::Json),
    }
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

/// A body and a report year.
type BodyYear = (String, i32);

fn body_year(e: &Extraction) -> Option<BodyYear> {
    Some((crate::check::compare::body_of(e)?, e.year?))
}

/// Roughly the memory a loaded report holds: its text, its cells and its warnings.
fn loaded_bytes(source: &SourceText, extraction: &Extraction) -> usize {
    source.text.len()
        + extraction.cells.len() * std::mem::size_of::<crate::model::Cell>()
        + extraction.warnings.len() * 256
}

/// What the first pass of `check` learnt: for each body and year, the first report of it in
/// input order (the one the cross-year rules compare with), and the reports kept in memory
/// for the second pass while they fit in [`MAX_KEPT_TEXT_BYTES`].
struct Survey {
    first_of: HashMap<BodyYear, usize>,
    kept: Vec<Option<(SourceText, Extraction)>>,
}

/// What the first pass read of one input.
enum Surveyed {
    /// Read in full, to be kept for the second pass if memory allows.
    Full(Loaded),
    /// Only its body and year (memory was full: the second pass reads it anyway).
    Identity(Option<BodyYear>),
}

/// First pass: reads every input on all cores and notes each report's body and year. Reports
/// are read in full and kept while they fit in [`MAX_KEPT_TEXT_BYTES`]; once memory is full,
/// only their body and year are read (their tables would be read twice otherwise).
fn survey(inputs: &[PathBuf]) -> Survey {
    let mut first_of = HashMap::new();
    let mut kept = Vec::with_capacity(inputs.len());
    let mut kept_bytes = 0usize;
    // Seen by the workers: once set, they read only identities. A worker that reads a report
    // in full just before it is set costs time, never a result.
    let full = AtomicBool::new(false);
    let mut progress = ProgressBar::new(inputs.len());
    map_in_order(
        inputs,
        default_window(),
        |path| {
            if full.load(Ordering::Relaxed) {
                let identity = read_input(path).ok().and_then(|source| {
                    let (agency, year) = crate::extract::identity(&source)?;
                    Some((crate::check::compare::body_name(&agency?)?, year?))
                });
                Surveyed::Identity(identity)
            } else {
                Surveyed::Full(load(path))
            }
        },
        |loaded| {
            let i = kept.len();
            if let Some(path) = inputs.get(i) {
                progress.advance(path);
            }
            match loaded {
                Ok(Surveyed::Full(Ok((source, extraction)))) => {
                    if let Some(id) = body_year(&extraction) {
                        first_of.entry(id).or_insert(i);
                    }
                    kept_bytes = kept_bytes.saturating_add(loaded_bytes(&source, &extraction));
                    let keep = kept_bytes <= MAX_KEPT_TEXT_BYTES;
                    if !keep {
                        full.store(true, Ordering::Relaxed);
                    }
                    kept.push(keep.then_some((source, extraction)));
                }
                Ok(Surveyed::Identity(id)) => {
                    if let Some(id) = id {
                        first_of.entry(id).or_insert(i);
                    }
                    kept.push(None);
                }
                // Read again (and reported) in the second pass.
                Ok(Surveyed::Full(Err(_))) | Err(_) => kept.push(None),
            }
            ControlFlow::Continue(())
        },
    );
    progress.finish();
    Survey { first_of, kept }
}

/// A report another year's checks compare with: its cells, and its text when it was kept in
/// memory (the copied-paragraph rule needs it; a report read again for its cells alone keeps
/// memory bounded and skips that rule).
type CrossYear = (Extraction, Option<SourceText>);

/// The reports the cross-year rules compare others with: the first report of each body and
/// year for which the same body has a report of the year before or after. Those not kept in
/// memory are read again, on all cores.
fn cross_year_reports(inputs: &[PathBuf], survey: &Survey) -> HashMap<usize, CrossYear> {
    let mut wanted: Vec<usize> = survey
        .first_of
        .iter()
        .filter(|((body, year), _)| {
            [year.checked_sub(1), year.checked_add(1)]
                .into_iter()
                .flatten()
                .any(|y| survey.first_of.contains_key(&(body.clone(), y)))
        })
        .map(|(_, &i)| i)
        .collect();
    wanted.sort_unstable();
    let mut found = HashMap::with_capacity(wanted.len());
    let mut missing = Vec::new();
    for i in wanted {
        match &survey.kept[i] {
            Some((source, extraction)) => {
                found.insert(i, (extraction.clone(), Some(source.clone())));
            }
            None => missing.push(i),
        }
    }
    let mut next = missing.iter();
    map_in_order(
        &missing,
        default_window(),
        |&i| load(&inputs[i]).map(|(_, e)| e),
        |loaded| {
            if let (Some(&i), Ok(Ok(extraction))) = (next.next(), loaded) {
                found.insert(i, (extraction, None));
            }
            ControlFlow::Continue(())
        },
    );
    found
}

fn run_check(paths: &[PathBuf], format: CheckFormat) -> i32 {
    let inputs = expand_inputs(paths);
    // First pass: what each report is (agency and year), so that reports of one body for
    // consecutive years given together are checked against each other. Reports are kept for
    // the second pass while they fit in MAX_KEPT_TEXT_BYTES and read again beyond, and of the
    // others only those the cross-year rules need, so memory stays bounded for any folder.
    let mut survey = survey(&inputs);
    let cross = cross_year_reports(&inputs, &survey);
    let first_of = &survey.first_of;
    let others_of = |extraction: &Extraction| -> Vec<OtherYear<'_>> {
        let Some((body, year)) = body_year(extraction) else {
            return Vec::new();
        };
        // The cross-year rules use the first report of the year before and of the year after;
        // the report's own year is never among them.
        let mut id = (body, year);
        let mut others = Vec::with_capacity(2);
        for y in [year.checked_sub(1), year.checked_add(1)]
            .into_iter()
            .flatten()
        {
            id.1 = y;
            if let Some((e, source)) = first_of.get(&id).and_then(|j| cross.get(j)) {
                others.push(OtherYear {
                    extraction: e,
                    source: source.as_ref(),
                });
            }
        }
        others
    };
    let mut writer = Writer::new(&inputs, format);
    let items = inputs.iter().zip(survey.kept.iter_mut().map(Option::take));
    map_in_order(
        items,
        default_window(),
        |(path, kept)| {
            let file = path.to_string_lossy();
            let (source, extraction) = match kept.map_or_else(|| load(path), Ok) {
                Ok(loaded) => loaded,
                Err(message) => return Rendered::unreadable(&file, &message, format),
            };
            let findings = run_checks_across(&extraction, &source, &others_of(&extraction));
            let mut totals = [0; 3];
            for f in &findings {
                totals[f.severity as usize] += 1;
            }
            let bytes = match format {
                CheckFormat::Json => report_line(&file, &extraction, &findings),
                CheckFormat::Table => {
                    let mut text = table_summary(&file, &source, &extraction, &findings);
                    text.push('\n');
                    text.into_bytes()
                }
            };
            Rendered {
                bytes,
                unreadable: false,
                totals,
            }
        },
        |result| writer.write(result),
    );
    writer.finish();
    let totals = writer.totals;
    if format == CheckFormat::Table && writer.open {
        let unread = writer.unread;
        let _ = writeln!(
            writer.out,
            "共 {} 份文件：错误 {}，警告 {}，提示 {}；无法读取 {} 份",
            inputs.len(),
            totals[0],
            totals[1],
            totals[2],
            unread
        );
        let _ = writer.out.flush();
    }
    if writer.unreadable {
        EXIT_UNREADABLE
    } else if totals[Severity::Error as usize] > 0 {
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
