//! What the panels ask for. Drawing code never changes the review: it returns intents, and one
//! `handle` after the panels applies them in order (egui's `wrap_app` Command, rerun's
//! `UICommand`). Tests can send the same intents.

use super::dialogs::DialogPurpose;
use super::i18n::Lang;
use crate::model::{CellKey, Span, TableId};
use crate::review::queue::{QueueFilter, QueueSort};
use crate::review::{CorrectionValue, VerdictState};
use std::path::PathBuf;

/// Where the selection goes after a committed edit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// Stay on the cell.
    Stay,
    /// One row up.
    Up,
    /// One row down (Enter).
    Down,
    /// One column left.
    Left,
    /// One column right (Tab).
    Right,
}

/// One request from the interface.
#[derive(Clone, Debug, PartialEq)]
pub enum UiIntent {
    /// Select one cell (and show its text in the source).
    Select(CellKey),
    /// Move the selection.
    MoveSelection(Move),
    /// Extend the selected range (shift+arrows): the cell first selected stays its anchor.
    ExtendSelection(Move),
    /// Copy the selected cell or range as tab-separated text (Ctrl+C).
    CopySelection,
    /// Paste tab-separated text from the selected cell on, one undoable correction per cell
    /// (Ctrl+V).
    Paste(String),
    /// Mark the selected cell or range blank (Delete), one undoable correction per cell.
    ClearSelection,
    /// Start editing a cell, with the typed text if editing began by typing.
    BeginEdit {
        /// The cell.
        key: CellKey,
        /// Text that replaces the cell's content (typing on a selected cell), or `None` to edit
        /// the current content (F2, Enter, double click).
        replace_with: Option<String>,
    },
    /// Commit what was typed into the cell's open editor; refused with a reason unless it is a
    /// number. Ignored when that editor was closed by an earlier intent of the same frame.
    CommitCell {
        /// The cell.
        key: CellKey,
        /// The text typed.
        text: String,
        /// Where to go afterwards.
        then: Move,
    },
    /// Commit the open editor's text (Enter, Tab): resolved into [`UiIntent::CommitCell`] when
    /// handled, after this frame's typing has reached the editor.
    CommitEditor(Move),
    /// Mark a cell blank or not applicable on purpose.
    MarkCell {
        /// The cell.
        key: CellKey,
        /// [`CorrectionValue::Blank`] or [`CorrectionValue::NotApplicable`].
        value: CorrectionValue,
    },
    /// Put back the extracted values of the selected cell or range (恢复原值), one undoable
    /// correction per changed cell.
    RestoreOriginal,
    /// Keep a free-text note on a cell (empty removes it).
    SetCellNote {
        /// The cell.
        key: CellKey,
        /// The note.
        text: String,
    },
    /// Close the cell editor without changing the cell.
    CancelEdit,
    /// Undo one committed cell.
    Undo,
    /// Redo one undone cell.
    Redo,
    /// Select a finding (by its index in the report's findings): its cells and spans.
    SelectFinding(usize),
    /// Apply finding `i`'s suggested fix: one undoable step, noted 按建议修改.
    ApplySuggestion(usize),
    /// Set the blank cells of finding `i` (a blank run or row) to 0: the reviewer's decision,
    /// one undoable step, noted 按 0 处理.
    FillZero(usize),
    /// Jump to the next open finding (F8).
    NextFinding,
    /// Jump to the previous open finding (Shift+F8).
    PrevFinding,
    /// Judge a finding; `None` clears the verdict.
    SetVerdict {
        /// Index in the report's findings.
        finding: usize,
        /// Confirmed, dismissed, or cleared.
        state: Option<VerdictState>,
        /// The reviewer's note.
        note: String,
    },
    /// Judge several findings at once (a group's 全部确认 / 全部排除), with no note.
    SetVerdicts {
        /// Indices in the report's findings.
        findings: Vec<usize>,
        /// Confirmed or dismissed.
        state: VerdictState,
    },
    /// Ask for the folder of the review notices (审核意见): of the current report, or (`true`)
    /// of every open report with confirmed problems.
    WriteNotices(bool),
    /// Write the review notices into this folder, one .docx and one .txt per report.
    WriteNoticesTo(PathBuf),
    /// Show the open dialog.
    OpenFiles,
    /// Show the folder dialog (文件 → 打开文件夹).
    OpenFolder,
    /// Open these files (from the dialog, a typed path, a drop or the command line).
    Open(Vec<PathBuf>),
    /// Stop opening the remaining files of a folder.
    CancelLoading,
    /// Export: ask which reports when several are open, then show the save dialog.
    Export,
    /// Show the save dialog for the current report (false) or every open report (true).
    ExportReports(bool),
    /// Close the question of which reports to export.
    CancelExport,
    /// Open the folder holding this file in the system's file manager.
    RevealFile(PathBuf),
    /// Export the current report to this path.
    ExportTo(PathBuf),
    /// Show the dialog for a workbook to import corrections from.
    ImportWorkbook,
    /// Read this workbook and preview the corrections it would make.
    PreviewImport(PathBuf),
    /// Apply the previewed corrections (each an ordinary, undoable commit).
    ApplyImport,
    /// Close the import preview without changing anything.
    CancelImport,
    /// Ask for a path by typing, because the native dialog cannot be shown (or by choice).
    AskTypedPath(DialogPurpose),
    /// Show another open report.
    ShowReport(usize),
    /// The next report in the queue's order.
    NextReport,
    /// The previous report in the queue's order.
    PrevReport,
    /// Close a report.
    CloseReport(usize),
    /// Set the current report's queue status: reviewed or not.
    MarkReviewed(bool),
    /// Mark the current report reviewed even though it has open errors (the answer to the
    /// question [`UiIntent::MarkReviewed`] asks then).
    ConfirmReviewed,
    /// Close that question without marking.
    CancelReviewed,
    /// Change the queue's order.
    SortQueue(QueueSort),
    /// Change the queue's filter.
    FilterQueue(QueueFilter),
    /// Switch the interface language.
    SetLanguage(Lang),
    /// Switch the dark theme on or off.
    SetDark(bool),
    /// Show or hide the queue panel.
    ShowQueue(bool),
    /// Set the zoom factor (1.0 is normal size); remembered between runs.
    SetZoom(f32),
    /// Zoom in (positive) or out (negative) by this many tenths.
    ZoomStep(i32),
    /// Show or hide cell keys and rule ids.
    ShowInternalNames(bool),
    /// Show or hide the queue panel, whichever it is not (F9).
    ToggleQueue,
    /// Fold the findings panel to a one-line bar (true) or unfold it.
    FoldFindings(bool),
    /// Scroll the tables so that this table's heading is at the top.
    JumpToTable(TableId),
    /// Focus the search box.
    FocusSearch,
    /// Go to the next (true) or previous (false) search match.
    SearchStep(bool),
    /// Scroll the source to a span and highlight it.
    RevealSpan(Span),
    /// Show or hide the 历年对照 window.
    ShowYears(bool),
    /// Show the 历年对照 window if hidden, hide it if shown (Ctrl+H).
    ToggleYears,
    /// Treat the current report's body and report `n`'s as one (names written differently),
    /// for the cross-year checks and the 历年对照 window.
    LinkBody(usize),
    /// Change what the 历年对照 window lists.
    SetYearsFilter {
        /// One table, or `None` for all three one after another.
        table: Option<TableId>,
        /// Only the cells that differ between some two neighbouring years.
        only_changed: bool,
    },
    /// Show or hide the shortcut list.
    ShowShortcuts(bool),
    /// Quit the window.
    Quit,
}
