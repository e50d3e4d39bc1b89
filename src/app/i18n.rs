//! The interface language: every label and message the window writes itself, in Chinese (the
//! default) and English. The report's own labels (table headings, cell names) stay Chinese in
//! both, because they are the document's words; so do the sentences the core writes (finding
//! messages, extraction warnings, why a typed value is refused, why a file cannot be read),
//! which are data, shown as written inside the English frame.

use serde::{Deserialize, Serialize};

/// The interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// 简体中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The strings of this language.
    pub fn t(self) -> &'static Strings {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Zh => "中文",
            Lang::En => "English",
        }
    }
}

/// Every fixed text of the interface. A text that carries values names them in braces
/// (`已打开 {n} 份报告`) and is filled by [`fill`]. Serializing the table walks every key, which
/// is how the test below checks each one in both languages.
#[derive(Debug, Serialize)]
pub struct Strings {
    /// Window title.
    pub app_title: &'static str,
    /// Menu 文件.
    pub menu_file: &'static str,
    /// Menu 编辑.
    pub menu_edit: &'static str,
    /// Menu 查看.
    pub menu_view: &'static str,
    /// Menu 帮助.
    pub menu_help: &'static str,
    /// Menu item: open files.
    pub open: &'static str,
    /// Menu item: type a path instead of using the dialog.
    pub open_typed: &'static str,
    /// Submenu: recent files.
    pub recent: &'static str,
    /// Shown in the recent submenu when it is empty.
    pub recent_empty: &'static str,
    /// Menu item: export the workbook.
    pub export: &'static str,
    /// Menu item: close the current report.
    pub close_report: &'static str,
    /// Menu item: quit.
    pub quit: &'static str,
    /// Undo.
    pub undo: &'static str,
    /// Redo.
    pub redo: &'static str,
    /// Edit the selected cell.
    pub edit_cell: &'static str,
    /// Mark the cell blank on purpose.
    pub mark_blank: &'static str,
    /// Mark the cell not applicable on purpose.
    pub mark_na: &'static str,
    /// Search in the source text.
    pub find: &'static str,
    /// Next search match.
    pub find_next: &'static str,
    /// Previous search match.
    pub find_prev: &'static str,
    /// Next open finding.
    pub next_finding: &'static str,
    /// Previous open finding.
    pub prev_finding: &'static str,
    /// Next report in the queue.
    pub next_report: &'static str,
    /// Previous report in the queue.
    pub prev_report: &'static str,
    /// Mark the current report reviewed.
    pub mark_reviewed: &'static str,
    /// Mark the current report not reviewed again.
    pub mark_unreviewed: &'static str,
    /// Show the queue panel.
    pub show_queue: &'static str,
    /// Dark theme.
    pub dark_theme: &'static str,
    /// The language submenu's title: bilingual in Chinese, so that someone who reads no
    /// Chinese finds the switch.
    pub language: &'static str,
    /// Keyboard shortcuts window.
    pub shortcuts: &'static str,
    /// About line.
    pub about: &'static str,
    /// Move selection up.
    pub move_up: &'static str,
    /// Move selection down.
    pub move_down: &'static str,
    /// Move selection left.
    pub move_left: &'static str,
    /// Move selection right.
    pub move_right: &'static str,
    /// Commit the edit and move down.
    pub commit_down: &'static str,
    /// Commit the edit and move right.
    pub commit_right: &'static str,
    /// Cancel the edit.
    pub cancel_edit: &'static str,
    /// Source panel heading.
    pub source: &'static str,
    /// Hint in the search box.
    pub search_hint: &'static str,
    /// Accessible name of the search box.
    pub search_name: &'static str,
    /// No search match.
    pub no_match: &'static str,
    /// Tables panel heading.
    pub tables: &'static str,
    /// Table not found in the report.
    pub table_missing: &'static str,
    /// Findings panel heading.
    pub findings: &'static str,
    /// Column: severity.
    pub col_severity: &'static str,
    /// Findings column: the table a finding is about, printed where its group starts.
    pub col_group: &'static str,
    /// Column: message.
    pub col_message: &'static str,
    /// Column: cells.
    pub col_cells: &'static str,
    /// Column: state.
    pub col_state: &'static str,
    /// Finding state: open.
    pub state_open: &'static str,
    /// Finding state: confirmed.
    pub state_confirmed: &'static str,
    /// Finding state: dismissed.
    pub state_dismissed: &'static str,
    /// Filter: all states.
    pub filter_all: &'static str,
    /// Filter: show.
    pub filter_show: &'static str,
    /// Confirm a finding.
    pub confirm: &'static str,
    /// Dismiss a finding.
    pub dismiss: &'static str,
    /// Clear a verdict.
    pub clear_verdict: &'static str,
    /// What a suggested fix is (the hover text of its button).
    pub suggestion: &'static str,
    /// Apply the suggested fix (also the note of the corrections it makes).
    pub apply_suggestion: &'static str,
    /// Set a blank run's cells to 0 (also the note of the corrections it makes).
    pub fill_zero: &'static str,
    /// Confirm every open finding of a group.
    pub confirm_group: &'static str,
    /// Dismiss every open finding of a group.
    pub dismiss_group: &'static str,
    /// The group of findings about the report as a whole.
    pub whole_report: &'static str,
    /// Hint and tooltip of the findings search box.
    pub search_findings: &'static str,
    /// Heading of the findings folded under a cause.
    pub covers: &'static str,
    /// The note field.
    pub note: &'static str,
    /// Hint of the note field.
    pub note_hint: &'static str,
    /// No findings at all.
    pub no_findings: &'static str,
    /// Nothing selected in the findings list.
    pub select_finding: &'static str,
    /// The formula bar's label for the selected cell.
    pub cell: &'static str,
    /// Original value label.
    pub original: &'static str,
    /// Current value label.
    pub current: &'static str,
    /// Line label.
    pub line: &'static str,
    /// Not read from the source.
    pub not_in_source: &'static str,
    /// Nothing printed.
    pub blank: &'static str,
    /// Corrected marker.
    pub corrected: &'static str,
    /// Corrected at.
    pub corrected_at: &'static str,
    /// Status: cells read.
    pub st_read: &'static str,
    /// Status: cells flagged.
    pub st_flagged: &'static str,
    /// Status: cells corrected.
    pub st_corrected: &'static str,
    /// Status: findings.
    pub st_findings: &'static str,
    /// Status: of which open.
    pub st_open: &'static str,
    /// Queue panel heading.
    pub queue: &'static str,
    /// Queue: not reviewed.
    pub q_unreviewed: &'static str,
    /// Queue: has problems.
    pub q_problems: &'static str,
    /// Queue: reviewed.
    pub q_reviewed: &'static str,
    /// Queue: sort by.
    pub q_sort: &'static str,
    /// Queue: sort by file.
    pub q_sort_file: &'static str,
    /// Queue: sort by agency.
    pub q_sort_agency: &'static str,
    /// Queue: sort by year.
    pub q_sort_year: &'static str,
    /// Queue: sort by open findings.
    pub q_sort_open: &'static str,
    /// Queue: filter.
    pub q_filter: &'static str,
    /// Queue: open errors and warnings (info findings are remarks and not counted, unlike the
    /// status bar's 待处理, which counts every unjudged finding the list shows).
    pub q_open: &'static str,
    /// Queue: corrections column.
    pub q_corrections: &'static str,
    /// Nothing open.
    pub nothing_open: &'static str,
    /// Drop hint.
    pub drop_hint: &'static str,
    /// Typed path dialog title for opening.
    pub typed_open_title: &'static str,
    /// Typed path dialog title for export.
    pub typed_export_title: &'static str,
    /// The dialog could not be shown.
    pub dialog_unavailable: &'static str,
    /// Path field name.
    pub path: &'static str,
    /// OK.
    pub ok: &'static str,
    /// Cancel.
    pub cancel: &'static str,
    /// Close.
    pub close: &'static str,
    /// Sample report note.
    pub sample_note: &'static str,
    /// Shortcut table: column action.
    pub sc_action: &'static str,
    /// Shortcut table: column keys.
    pub sc_keys: &'static str,
    /// Context menu: show in source.
    pub show_in_source: &'static str,
    /// The cell note field.
    pub cell_note: &'static str,
    /// Status after a cell note was kept.
    pub cell_note_saved: &'static str,
    /// Progress bar text while opening.
    pub loading: &'static str,
    /// Cancel opening.
    pub cancel_loading: &'static str,
    /// Likely cause: the document.
    pub cause_source: &'static str,
    /// Likely cause: the reading.
    pub cause_extraction: &'static str,
    /// Likely cause: unknown.
    pub cause_unknown: &'static str,
    /// A label and what it labels: `{label}：{text}`.
    pub labelled: &'static str,
    /// A text and a remark in brackets: `{text}（{note}）`.
    pub aside: &'static str,
    /// A remark in brackets alone: `（{text}）`.
    pub bracketed: &'static str,
    /// Between the parts of a status message.
    pub list_sep: &'static str,
    /// Between the items of a short list.
    pub list_comma: &'static str,
    /// Status: F8 found no open finding.
    pub no_open_findings: &'static str,
    /// Status: nothing to open among the paths given.
    pub no_reports_found: &'static str,
    /// Import: the path is a folder.
    pub workbook_is_folder: &'static str,
    /// Import: the workbook is over the size limit.
    pub workbook_too_large: &'static str,
    /// After opening a folder was stopped.
    pub load_stopped: &'static str,
    /// After opening a folder.
    pub load_took: &'static str,
    /// A file with none of the three tables.
    pub not_a_report: &'static str,
    /// Status: reports opened.
    pub opened_reports: &'static str,
    /// Status after reopening: corrections and verdicts restored.
    pub restored_counts: &'static str,
    /// Status after an import.
    pub imported: &'static str,
    /// Status after an export.
    pub exported: &'static str,
    /// Status: the export failed.
    pub export_failed: &'static str,
    /// System dialog title: open reports.
    pub dialog_open_reports: &'static str,
    /// System dialog title: open every report in a folder.
    pub dialog_open_folder: &'static str,
    /// System dialog title: export.
    pub dialog_export: &'static str,
    /// System dialog title: the workbook to import.
    pub dialog_import: &'static str,
    /// System dialog title: the folder for the review notices.
    pub dialog_notice_folder: &'static str,
    /// System dialog filter: report files.
    pub filter_reports: &'static str,
    /// System dialog filter: every file.
    pub filter_all_files: &'static str,
    /// System dialog filter: workbooks.
    pub filter_workbook: &'static str,
    /// The export thread ended without an answer.
    pub export_thread_died: &'static str,
    /// The accessible name of a finding's row.
    pub finding_row: &'static str,
    /// The button that scrolls to a table (its name follows the report's words).
    pub jump_to: &'static str,
    /// A finding's numbers: expected, found and their difference.
    pub numbers_both: &'static str,
    /// A finding's expected number alone.
    pub numbers_expected: &'static str,
    /// A finding's found number alone.
    pub numbers_found: &'static str,
    /// A blank cell's value in a sentence.
    pub blank_value: &'static str,
    /// One change of a suggested fix.
    pub fix_change: &'static str,
    /// After the first changes of a long fix: how many cells in all.
    pub fix_more: &'static str,
    /// The suggested fix's button.
    pub fix_text: &'static str,
    /// The heading of the findings folded under a cause, with their count.
    pub covers_count: &'static str,
    /// Before a group's bulk verdict buttons: the open findings of the group.
    pub group_open: &'static str,
    /// A year in headings and tooltips.
    pub year: &'static str,
    /// Status while exporting.
    pub exporting: &'static str,
    /// Status while the review is being written to disk.
    pub saving: &'static str,
    /// Status once every commit is on disk.
    pub saved: &'static str,
    /// Status when a save failed (followed by the reason).
    pub save_failed: &'static str,
    /// Menu item: import corrections from a workbook.
    pub import: &'static str,
    /// Import preview window title.
    pub import_title: &'static str,
    /// Import: apply.
    pub import_apply: &'static str,
    /// Import: nothing to change.
    pub import_nothing: &'static str,
    /// Import: rows not matched.
    pub import_unmatched: &'static str,
    /// Import: values that cannot be taken.
    pub import_skipped: &'static str,
    /// Typed path title for the import workbook.
    pub typed_import_title: &'static str,
    /// Findings panel: fold it to one line.
    pub collapse_findings: &'static str,
    /// Findings bar: unfold the panel.
    pub expand_findings: &'static str,
    /// Command: show or hide the queue.
    pub toggle_queue: &'static str,
    /// Command: larger text.
    pub zoom_in: &'static str,
    /// Command: smaller text.
    pub zoom_out: &'static str,
    /// Command: text at its normal size.
    pub zoom_reset: &'static str,
    /// Status: the zoom factor, before the percentage.
    pub zoom: &'static str,
    /// Tooltip of the 已读取 count.
    pub st_read_tip: &'static str,
    /// Tooltip of the 标记 count.
    pub st_flagged_tip: &'static str,
    /// Tooltip of the 已修改 count.
    pub st_corrected_tip: &'static str,
    /// Tooltip of the 问题 count.
    pub st_findings_tip: &'static str,
    /// Menu item: open every report in a folder.
    pub open_folder: &'static str,
    /// View menu: show keys and rule ids.
    pub show_internal: &'static str,
    /// Dialog title: mark reviewed although errors are open.
    pub confirm_reviewed_title: &'static str,
    /// Dialog text before the count of open errors.
    pub confirm_reviewed_body: &'static str,
    /// Dialog button: mark reviewed anyway.
    pub confirm_reviewed_yes: &'static str,
    /// Command: copy the selected cells as tab-separated text.
    pub copy_cells: &'static str,
    /// Command: paste tab-separated text into the cells from the selected one.
    pub paste_cells: &'static str,
    /// Command: mark the selected cells blank.
    pub clear_cells: &'static str,
    /// Command: extend the selection up.
    pub extend_up: &'static str,
    /// Command: extend the selection down.
    pub extend_down: &'static str,
    /// Command: extend the selection left.
    pub extend_left: &'static str,
    /// Command: extend the selection right.
    pub extend_right: &'static str,
    /// Status: cells copied, before the count.
    pub copied: &'static str,
    /// Status: cells pasted, before the count.
    pub pasted: &'static str,
    /// Status: pasted values not taken, before the reasons.
    pub paste_refused: &'static str,
    /// Paste: a value that falls outside the table.
    pub paste_outside: &'static str,
    /// Dialog title: which reports to export.
    pub export_title: &'static str,
    /// Export choice: only the report shown.
    pub export_current: &'static str,
    /// Export choice: every open report, before the count.
    pub export_all: &'static str,
    /// Export choice: the unit after the count (全部 3 份).
    pub export_all_unit: &'static str,
    /// Menu: review notices (审核意见) of the current report.
    pub write_notices: &'static str,
    /// Menu: review notices of every open report with confirmed problems.
    pub write_notices_all: &'static str,
    /// Typed-path prompt title: the folder for the review notices.
    pub typed_notice_title: &'static str,
    /// Status: notices written, before the count and the folder.
    pub notices_written: &'static str,
    /// Status: no open report has a confirmed problem.
    pub notices_none: &'static str,
    /// Status: writing the notices failed, before the reason.
    pub notices_failed: &'static str,
    /// Status bar button: open the folder holding the exported file.
    pub open_containing: &'static str,
    /// Menu item: put the extracted value back (an undoable correction).
    pub restore_original: &'static str,
    /// Menu item and window title: the years side by side.
    pub years_view: &'static str,
    /// Submenu: link the current report's body with another open report's.
    pub link_body: &'static str,
    /// Status after linking two bodies (the two names follow).
    pub linked_body: &'static str,
    /// Shown when no other year of the report's body is open, and how to open one.
    pub years_none: &'static str,
    /// Shown when the report's year was not read.
    pub years_no_year: &'static str,
    /// Checkbox: list only the cells that changed.
    pub years_only_changed: &'static str,
    /// Tab: all three tables one after another.
    pub years_all_tables: &'static str,
    /// Column heading: the cell.
    pub years_cell: &'static str,
    /// A table with no changed cell.
    pub years_no_changes: &'static str,
    /// Tooltip mark of a jump (×5 or more).
    pub years_jump: &'static str,
    /// Section: continuity relations that do not hold.
    pub years_continuity: &'static str,
    /// Shown when every continuity relation holds, before the count.
    pub years_continuity_ok: &'static str,
    /// Shown when no two consecutive years are open.
    pub years_continuity_none: &'static str,
    /// A continuity relation that does not hold, with the two years and its numbers.
    pub years_break: &'static str,
    /// Section: paragraphs copied from the year before.
    pub years_copied: &'static str,
    /// Shown when no paragraph was copied.
    pub years_copied_none: &'static str,
    /// Before the numbers a copied paragraph did not update.
    pub years_stale: &'static str,
    /// A copied paragraph's two years and similarity.
    pub years_similar: &'static str,
    /// One side of a copied paragraph: its year and the quoted text.
    pub years_quote: &'static str,
    /// Heading: copied paragraphs with no stale number, before the count.
    pub years_copied_plain: &'static str,
    /// Tooltip: a span of a report not shown now.
    pub years_not_shown: &'static str,
    /// Severity names: error, warning, info.
    pub severities: [&'static str; 3],
}

/// Fills a template's `{name}` placeholders from `args` in one pass, so that a value holding
/// braces (a file name) is never read as a placeholder. A name not in `args` stays as written.
pub fn fill(template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after
            .find('}')
            .and_then(|close| Some((close, args.iter().find(|(n, _)| *n == &after[..close])?)));
        match value {
            Some((close, (_, v))) => {
                out.push_str(&v.to_string());
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl Strings {
    /// `label：text` (`label: text` in English); the text alone when the label is empty (a
    /// report closed before its save failed, a loader that died before naming a file).
    pub fn labelled(&self, label: impl std::fmt::Display, text: impl std::fmt::Display) -> String {
        let label = label.to_string();
        if label.is_empty() {
            return text.to_string();
        }
        fill(self.labelled, &[("label", &label), ("text", &text)])
    }

    /// `text（note）` (`text (note)` in English).
    pub fn aside(&self, text: impl std::fmt::Display, note: impl std::fmt::Display) -> String {
        fill(self.aside, &[("text", &text), ("note", &note)])
    }

    /// A year as headings show it: `2024年` (`2024` in English).
    pub fn year(&self, year: impl std::fmt::Display) -> String {
        fill(self.year, &[("year", &year)])
    }

    /// The name of a severity in this language.
    pub fn severity(&self, severity: crate::check::Severity) -> &'static str {
        match severity {
            crate::check::Severity::Error => self.severities[0],
            crate::check::Severity::Warning => self.severities[1],
            crate::check::Severity::Info => self.severities[2],
        }
    }
}

/// 简体中文.
pub static ZH: Strings = Strings {
    app_title: "年报审校",
    menu_file: "文件",
    menu_edit: "编辑",
    menu_view: "查看",
    menu_help: "帮助",
    open: "打开…",
    open_typed: "输入路径打开…",
    recent: "最近打开",
    recent_empty: "（无）",
    export: "导出 xlsx…",
    close_report: "关闭当前报告",
    quit: "退出",
    undo: "撤销",
    redo: "重做",
    edit_cell: "编辑单元格",
    mark_blank: "标为空白",
    mark_na: "标为不适用",
    find: "在原文中查找",
    find_next: "下一个匹配",
    find_prev: "上一个匹配",
    next_finding: "下一个待处理问题",
    prev_finding: "上一个待处理问题",
    next_report: "下一份报告",
    prev_report: "上一份报告",
    mark_reviewed: "标为已审",
    mark_unreviewed: "标为未审",
    show_queue: "报告队列",
    dark_theme: "深色主题",
    language: "语言 Language",
    shortcuts: "快捷键",
    about: "年报审校：政府信息公开工作年度报告统计表审校工具",
    move_up: "上移",
    move_down: "下移",
    move_left: "左移",
    move_right: "右移",
    commit_down: "确认修改并下移",
    commit_right: "确认修改并右移",
    cancel_edit: "取消编辑",
    source: "原文",
    search_hint: "查找（Ctrl+F）",
    search_name: "在原文中搜索",
    no_match: "无匹配",
    tables: "统计表",
    table_missing: "（报告中未找到此表）",
    findings: "问题",
    col_severity: "级别",
    col_group: "表",
    col_message: "说明",
    col_cells: "单元格",
    col_state: "状态",
    state_open: "待处理",
    state_confirmed: "已确认",
    state_dismissed: "已排除",
    filter_all: "全部",
    filter_show: "显示",
    confirm: "确认问题",
    dismiss: "排除（不是问题）",
    clear_verdict: "撤销判断",
    suggestion: "建议的修改：使不成立的等式全部成立的最小改动，按一次即改，可撤销",
    apply_suggestion: "按建议修改",
    fill_zero: "按 0 处理",
    covers: "由此引起（无需单独判断）",
    search_findings: "筛选问题（说明或栏目）",
    confirm_group: "全部确认",
    dismiss_group: "全部排除",
    whole_report: "全文",
    note: "备注",
    note_hint: "可选：说明理由",
    no_findings: "没有发现问题",
    select_finding: "在列表中选择一个问题",
    cell: "单元格",
    original: "原值",
    current: "现值",
    line: "行",
    not_in_source: "原文中未读到",
    blank: "（空白）",
    corrected: "已修改",
    corrected_at: "修改时间",
    st_read: "已读取",
    st_flagged: "标记",
    st_corrected: "已修改",
    st_findings: "问题",
    st_open: "待处理",
    queue: "报告队列",
    q_unreviewed: "未审",
    q_problems: "有问题",
    q_reviewed: "已审",
    q_sort: "排序",
    q_sort_file: "文件名",
    q_sort_agency: "机关",
    q_sort_year: "年度",
    q_sort_open: "待处理问题",
    q_filter: "筛选",
    q_open: "待处理错误/警告",
    q_corrections: "修改",
    nothing_open: "没有打开的报告。文件 → 打开（Ctrl+O），或把报告文件拖到窗口里。",
    drop_hint: "松开鼠标以打开这些文件",
    typed_open_title: "输入要打开的报告路径",
    typed_export_title: "输入导出文件的路径",
    dialog_unavailable: "无法显示系统文件对话框（未找到 xdg-desktop-portal 或 zenity）。请直接输入路径：",
    path: "路径",
    ok: "确定",
    cancel: "取消",
    close: "关闭",
    sample_note: "示例报告：修改不会自动保存",
    sc_action: "操作",
    sc_keys: "按键",
    show_in_source: "在原文中显示",
    cell_note: "单元格备注",
    cell_note_saved: "已记下备注",
    loading: "正在打开",
    cancel_loading: "停止打开",
    cause_source: "可能原因：报告原文有误",
    cause_extraction: "可能原因：原文格式导致读取有误",
    cause_unknown: "可能原因：无法判断",
    labelled: "{label}：{text}",
    aside: "{text}（{note}）",
    bracketed: "（{text}）",
    list_sep: "；",
    list_comma: "，",
    no_open_findings: "没有待处理的问题",
    no_reports_found: "没有找到报告文件",
    workbook_is_folder: "这是一个文件夹，不是工作簿",
    workbook_too_large: "工作簿太大（{size} MB），超过 {limit} MB 的上限",
    load_stopped: "已停止，用时 {seconds} 秒",
    load_took: "用时 {seconds} 秒",
    not_a_report: "{name}：没有找到任何统计表，这可能不是政府信息公开工作年度报告",
    opened_reports: "已打开 {n} 份报告",
    restored_counts: "已恢复 {edits} 处修改、{verdicts} 条判断",
    imported: "已从“{workbook}”导入 {n} 处修改",
    exported: "已导出 {n} 份报告：{path}",
    export_failed: "导出失败：{error}",
    dialog_open_reports: "打开年度报告",
    dialog_open_folder: "打开一个文件夹中的全部年度报告",
    dialog_export: "导出审校结果",
    dialog_import: "选择整理后的工作簿",
    dialog_notice_folder: "选择审核意见的保存文件夹",
    filter_reports: "年度报告（文本、Word、网页、PDF、表格）",
    filter_all_files: "所有文件",
    filter_workbook: "Excel 工作簿",
    export_thread_died: "导出线程意外中止，文件没有写出",
    finding_row: "问题 {n}：{message}",
    jump_to: "跳到{table}",
    numbers_both: "应为 {expected}，实为 {found}（相差 {difference}）",
    numbers_expected: "应为 {expected}",
    numbers_found: "实为 {found}",
    blank_value: "空白",
    fix_change: "「{cell}」由 {from} 改为 {to}",
    fix_more: "等 {n} 格",
    fix_text: "{action}：{changes}（{n} 个等式随之成立）",
    covers_count: "{covers}（{n}）",
    group_open: "{group} 待处理 {n}：",
    year: "{year}年",
    exporting: "正在导出",
    saving: "保存中…",
    saved: "已保存",
    save_failed: "保存失败",
    import: "从工作簿导入修改…",
    import_title: "从工作簿导入修改",
    import_apply: "应用这些修改",
    import_nothing: "工作簿中没有与当前数值不同的单元格",
    import_unmatched: "未能对应到已打开报告的行",
    import_skipped: "无法采用的值",
    typed_import_title: "输入要导入的工作簿路径",
    collapse_findings: "▼ 收起问题列表",
    expand_findings: "▲ 展开问题列表",
    toggle_queue: "显示/隐藏报告队列",
    zoom_in: "放大",
    zoom_out: "缩小",
    zoom_reset: "恢复原始大小",
    zoom: "缩放",
    st_read_tip: "从报告中读到数值的单元格数（三张表共 200 格）",
    st_flagged_tip: "被某条检查规则标出的单元格数（表中着色的格子）",
    st_corrected_tip: "手工修改过的单元格数（右上角有标记）",
    st_findings_tip: "检查发现的问题总数；括号内是尚未确认或排除的",
    open_folder: "打开文件夹…",
    show_internal: "显示内部名称",
    confirm_reviewed_title: "仍有未处理的错误",
    confirm_reviewed_body: "这份报告还有未确认也未排除的错误，数量：",
    confirm_reviewed_yes: "仍然标为已审",
    copy_cells: "复制单元格",
    paste_cells: "粘贴到单元格",
    clear_cells: "清除（标为空白）",
    extend_up: "向上扩展选区",
    extend_down: "向下扩展选区",
    extend_left: "向左扩展选区",
    extend_right: "向右扩展选区",
    copied: "已复制单元格：",
    pasted: "已粘贴单元格：",
    paste_refused: "未采用",
    paste_outside: "超出表格",
    export_title: "导出哪些报告？",
    export_current: "当前报告",
    export_all: "全部",
    export_all_unit: "份",
    write_notices: "生成审核意见…",
    write_notices_all: "为全部有问题的报告生成审核意见…",
    typed_notice_title: "输入审核意见的保存文件夹",
    notices_written: "已生成审核意见",
    notices_none: "没有已确认问题的报告，未生成审核意见",
    notices_failed: "生成审核意见失败：",
    open_containing: "打开所在文件夹",
    restore_original: "恢复原值",
    years_view: "历年对照",
    link_body: "与其他报告视为同一机关",
    linked_body: "已视为同一机关，跨年度核对随之更新",
    years_none: "没有打开本机构其他年度的报告。用 文件 → 打开（Ctrl+O）同时选中本机构另一年度的报告，即可在此逐格对照。",
    years_no_year: "未读出本报告的年度，无法历年对照。",
    years_only_changed: "只看变化",
    years_all_tables: "全部",
    years_cell: "单元格",
    years_no_changes: "（无变化）",
    years_jump: "（跳变）",
    years_continuity: "衔接不一致",
    years_continuity_ok: "上下年度衔接均一致，关系数：",
    years_continuity_none: "没有相邻年度，无衔接关系可查。",
    years_break: "{earlier}年 → {later}年　{label}：{later}年应为 {expected}，实为 {found}（差 {difference}）",
    years_copied: "照抄上年的段落",
    years_copied_none: "没有与上年几乎相同的段落。",
    years_stale: "未更新的数字：",
    years_similar: "{earlier}年 → {later}年　相似度 {percent}%",
    years_quote: "{year}年：「{quote}」",
    years_copied_plain: "其余照抄段落（数字无过期），段数：",
    years_not_shown: "该段在另一年度的报告中，切换到那份报告后可在原文中显示",
    severities: ["错误", "警告", "提示"],
};

/// English.
pub static EN: Strings = Strings {
    app_title: "nianbao · annual report review",
    menu_file: "File",
    menu_edit: "Edit",
    menu_view: "View",
    menu_help: "Help",
    open: "Open…",
    open_typed: "Open by path…",
    recent: "Recent files",
    recent_empty: "(none)",
    export: "Export xlsx…",
    close_report: "Close this report",
    quit: "Quit",
    undo: "Undo",
    redo: "Redo",
    edit_cell: "Edit cell",
    mark_blank: "Mark blank",
    mark_na: "Mark not applicable",
    find: "Find in source",
    find_next: "Next match",
    find_prev: "Previous match",
    next_finding: "Next open finding",
    prev_finding: "Previous open finding",
    next_report: "Next report",
    prev_report: "Previous report",
    mark_reviewed: "Mark reviewed",
    mark_unreviewed: "Mark not reviewed",
    show_queue: "Report queue",
    dark_theme: "Dark theme",
    language: "Language",
    shortcuts: "Keyboard shortcuts",
    about: "nianbao: reviews the statistics tables of government information-disclosure annual reports",
    move_up: "Move up",
    move_down: "Move down",
    move_left: "Move left",
    move_right: "Move right",
    commit_down: "Commit and move down",
    commit_right: "Commit and move right",
    cancel_edit: "Cancel editing",
    source: "Source",
    search_hint: "Find (Ctrl+F)",
    search_name: "Search the source",
    no_match: "no match",
    tables: "Tables",
    table_missing: "(table not found in the report)",
    findings: "Findings",
    col_severity: "Severity",
    col_group: "Table",
    col_message: "Message",
    col_cells: "Cells",
    col_state: "State",
    state_open: "open",
    state_confirmed: "confirmed",
    state_dismissed: "dismissed",
    filter_all: "all",
    filter_show: "Show",
    confirm: "Confirm problem",
    dismiss: "Dismiss (not a problem)",
    clear_verdict: "Clear verdict",
    suggestion: "The smallest change that makes every broken relation hold; one click, undoable",
    apply_suggestion: "Apply suggestion",
    fill_zero: "Treat as 0",
    covers: "Caused by this (no separate verdict)",
    search_findings: "Filter findings (text or cell)",
    confirm_group: "Confirm all",
    dismiss_group: "Dismiss all",
    whole_report: "Whole report",
    note: "Note",
    note_hint: "optional: why",
    no_findings: "No findings",
    select_finding: "Select a finding in the list",
    cell: "Cell",
    original: "Original",
    current: "Current",
    line: "line",
    not_in_source: "not read from the source",
    blank: "(blank)",
    corrected: "corrected",
    corrected_at: "corrected at",
    st_read: "read",
    st_flagged: "flagged",
    st_corrected: "corrected",
    st_findings: "findings",
    st_open: "open",
    queue: "Report queue",
    q_unreviewed: "not reviewed",
    q_problems: "has problems",
    q_reviewed: "reviewed",
    q_sort: "Sort",
    q_sort_file: "file",
    q_sort_agency: "agency",
    q_sort_year: "year",
    q_sort_open: "open findings",
    q_filter: "Filter",
    q_open: "open errors/warnings",
    q_corrections: "corr.",
    nothing_open: "No report is open. File → Open (Ctrl+O), or drop report files on the window.",
    drop_hint: "Release to open these files",
    typed_open_title: "Type the path of the report to open",
    typed_export_title: "Type the path to export to",
    dialog_unavailable: "The system file dialog cannot be shown (no xdg-desktop-portal or zenity). Type a path instead:",
    path: "Path",
    ok: "OK",
    cancel: "Cancel",
    close: "Close",
    sample_note: "Sample report: changes are not saved",
    sc_action: "Action",
    sc_keys: "Keys",
    show_in_source: "Show in source",
    cell_note: "Cell note",
    cell_note_saved: "Note kept",
    loading: "Opening",
    cancel_loading: "Stop opening",
    cause_source: "Likely cause: the report itself is wrong",
    cause_extraction: "Likely cause: the text could not be read cleanly",
    cause_unknown: "Likely cause: cannot tell",
    labelled: "{label}: {text}",
    aside: "{text} ({note})",
    bracketed: "({text})",
    list_sep: "; ",
    list_comma: ", ",
    no_open_findings: "No open findings",
    no_reports_found: "No report files found",
    workbook_is_folder: "This is a folder, not a workbook",
    workbook_too_large: "The workbook is too large ({size} MB); the limit is {limit} MB",
    load_stopped: "stopped after {seconds} s",
    load_took: "took {seconds} s",
    not_a_report: "{name}: no statistics table found; this may not be a government information-disclosure annual report",
    opened_reports: "Opened {n} report(s)",
    restored_counts: "Restored {edits} correction(s), {verdicts} verdict(s)",
    imported: "Imported {n} correction(s) from {workbook}",
    exported: "Exported {n} report(s) to {path}",
    export_failed: "Export failed: {error}",
    dialog_open_reports: "Open annual reports",
    dialog_open_folder: "Open every annual report in a folder",
    dialog_export: "Export the review",
    dialog_import: "Choose the cleaned workbook",
    dialog_notice_folder: "Choose the folder for the review notices",
    filter_reports: "Annual reports (text, Word, web page, PDF, spreadsheet)",
    filter_all_files: "All files",
    filter_workbook: "Excel workbook",
    export_thread_died: "The export stopped unexpectedly; no file was written",
    finding_row: "Finding {n}: {message}",
    jump_to: "Go to {table}",
    numbers_both: "expected {expected}, found {found} (difference {difference})",
    numbers_expected: "expected {expected}",
    numbers_found: "found {found}",
    blank_value: "blank",
    fix_change: "“{cell}” from {from} to {to}",
    fix_more: "and more, {n} cells in all",
    fix_text: "{action}: {changes} ({n} relations then hold)",
    covers_count: "{covers} ({n})",
    group_open: "{group}: {n} open",
    year: "{year}",
    exporting: "Exporting to",
    saving: "Saving…",
    saved: "Saved",
    save_failed: "Save failed",
    import: "Import corrections from a workbook…",
    import_title: "Import corrections from a workbook",
    import_apply: "Apply these corrections",
    import_nothing: "No cell in the workbook differs from the current values",
    import_unmatched: "Rows matching no open report",
    import_skipped: "Values that cannot be taken",
    typed_import_title: "Type the path of the workbook to import",
    collapse_findings: "▼ Fold the findings",
    expand_findings: "▲ Show the findings",
    toggle_queue: "Show or hide the queue",
    zoom_in: "Zoom in",
    zoom_out: "Zoom out",
    zoom_reset: "Actual size",
    zoom: "Zoom",
    st_read_tip: "Cells whose value was read from the report (200 in the three tables)",
    st_flagged_tip: "Cells that a check points at (coloured in the tables)",
    st_corrected_tip: "Cells corrected by hand (marked in their corner)",
    st_findings_tip: "Findings of the checks; in brackets those not yet confirmed or dismissed",
    open_folder: "Open folder…",
    show_internal: "Show internal names",
    confirm_reviewed_title: "Errors still open",
    confirm_reviewed_body: "Errors in this report neither confirmed nor dismissed: ",
    confirm_reviewed_yes: "Mark reviewed anyway",
    copy_cells: "Copy cells",
    paste_cells: "Paste into cells",
    clear_cells: "Clear (mark blank)",
    extend_up: "Extend selection up",
    extend_down: "Extend selection down",
    extend_left: "Extend selection left",
    extend_right: "Extend selection right",
    copied: "Cells copied: ",
    pasted: "Cells pasted: ",
    paste_refused: "Not taken",
    paste_outside: "outside the table",
    export_title: "Export which reports?",
    export_current: "This report",
    export_all: "All",
    export_all_unit: "reports",
    write_notices: "Write review notice…",
    write_notices_all: "Write review notices for all reports with problems…",
    typed_notice_title: "Type the folder for the review notices",
    notices_written: "Review notices written",
    notices_none: "No report has a confirmed problem; no notice written",
    notices_failed: "Writing the review notices failed: ",
    open_containing: "Open containing folder",
    restore_original: "Restore original value",
    years_view: "Years side by side",
    link_body: "Same body as another report",
    linked_body: "Treated as one body; cross-year checks updated",
    years_none: "No other year of this body is open. Use File → Open (Ctrl+O) to open another year's report of the same body to compare them here.",
    years_no_year: "The year of this report was not read, so it cannot be compared with other years.",
    years_only_changed: "Changed only",
    years_all_tables: "All",
    years_cell: "Cell",
    years_no_changes: "(no changes)",
    years_jump: " (jump)",
    years_continuity: "Continuity breaks",
    years_continuity_ok: "Every continuity relation holds; relations: ",
    years_continuity_none: "No consecutive years open: no continuity to check.",
    years_break: "{earlier} → {later}  {label}: {later} expected {expected}, found {found} (difference {difference})",
    years_copied: "Paragraphs copied from the year before",
    years_copied_none: "No paragraph is (nearly) the same as the year before.",
    years_stale: "Numbers not updated: ",
    years_similar: "{earlier} → {later}  similarity {percent}%",
    years_quote: "{year}: “{quote}”",
    years_copied_plain: "Other copied paragraphs (no stale number): ",
    years_not_shown: "This text is in another year's report; show that report to see it in its source",
    severities: ["error", "warning", "info"],
};

#[cfg(test)]
mod tests {
    use super::*;

    /// A CJK ideograph, or CJK / full-width punctuation (`：`, `（`, `、`): none of them belongs
    /// in English text, and every Chinese text has one.
    fn is_cjk(c: char) -> bool {
        matches!(c,
            '\u{3000}'..='\u{303f}'
            | '\u{3400}'..='\u{4dbf}'
            | '\u{4e00}'..='\u{9fff}'
            | '\u{ff00}'..='\u{ffef}')
    }

    /// The `{name}` placeholders of a text, sorted.
    fn placeholders(text: &str) -> Vec<String> {
        let mut names: Vec<String> = text
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name.to_owned()))
            .collect();
        names.sort();
        names
    }

    /// Every text of a table by key, arrays as `key[i]`: serialization visits every field, so a
    /// key added later is walked without being listed here.
    fn entries(strings: &Strings) -> Vec<(String, String)> {
        let Ok(serde_json::Value::Object(map)) = serde_json::to_value(strings) else {
            panic!("the string table serializes to an object");
        };
        let mut out = Vec::new();
        for (key, value) in map {
            match value {
                serde_json::Value::String(s) => out.push((key, s)),
                serde_json::Value::Array(items) => {
                    for (i, item) in items.into_iter().enumerate() {
                        let text = item.as_str().map(str::to_owned);
                        out.push((format!("{key}[{i}]"), text.unwrap_or_default()));
                    }
                }
                other => panic!("{key}: not text: {other}"),
            }
        }
        out
    }

    // Every key in both languages: non-empty, English free of CJK, Chinese with some, and the
    // same placeholders in both.
    #[test]
    fn every_key_is_translated_in_both_languages() {
        let zh = entries(&ZH);
        let en = entries(&EN);
        assert!(zh.len() > 200, "walked only {} keys", zh.len());
        assert_eq!(zh.len(), en.len());
        for ((key, z), (en_key, e)) in zh.iter().zip(&en) {
            assert_eq!(key, en_key);
            assert!(!z.trim().is_empty(), "{key}: Chinese text is empty");
            assert!(!e.trim().is_empty(), "{key}: English text is empty");
            assert!(!e.chars().any(is_cjk), "{key}: English text has CJK: {e:?}");
            assert!(
                z.chars().any(is_cjk),
                "{key}: Chinese text has no CJK: {z:?}"
            );
            assert_eq!(
                placeholders(z),
                placeholders(e),
                "{key}: placeholders differ: {z:?} / {e:?}"
            );
        }
    }

    // A message with no name to put before it is the message alone, not "：message".
    #[test]
    fn labelled_without_a_label_is_the_text() {
        assert_eq!(
            Lang::Zh.t().labelled("", "后台读取意外中止"),
            "后台读取意外中止"
        );
        assert_eq!(
            Lang::Zh.t().labelled("a.txt", "无法读取"),
            "a.txt：无法读取"
        );
        assert_eq!(
            Lang::En.t().labelled("a.txt", "unreadable"),
            "a.txt: unreadable"
        );
    }

    // Placeholders are filled once, by name; braces in a value stay as they are.
    #[test]
    fn fill_replaces_named_placeholders_once() {
        let name = "{n}.txt";
        let got = fill("{name}：{n} 份{x}", &[("name", &name), ("n", &3)]);
        assert_eq!(got, "{n}.txt：3 份{x}");
        assert_eq!(EN.labelled("Exported", 2), "Exported: 2");
        assert_eq!(ZH.year(2024), "2024年");
        assert_eq!(EN.year(2024), "2024");
    }
}
