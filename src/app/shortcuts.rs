//! Every keyboard shortcut of the window in one table, with its label, so the menus, the
//! tooltips, the shortcut list and the key handling all read the same entry. Cell-edit keys
//! follow Excel and WPS: F2 or Enter edits, Enter commits and moves down, Tab moves right, Esc
//! cancels, Ctrl+Z / Ctrl+Y undo and redo.

use super::i18n::Strings;
use egui::{Key, KeyboardShortcut, Modifiers};

/// Something the user can ask for by menu or key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    /// 文件 → 打开.
    Open,
    /// 文件 → 导出 xlsx.
    Export,
    /// Undo one committed cell.
    Undo,
    /// Redo one undone cell.
    Redo,
    /// Focus the search box of the source panel.
    Find,
    /// Next search match.
    FindNext,
    /// Previous search match.
    FindPrev,
    /// Next open finding.
    NextFinding,
    /// Previous open finding.
    PrevFinding,
    /// Next report in the queue.
    NextReport,
    /// Previous report in the queue.
    PrevReport,
    /// Edit the selected cell.
    EditCell,
    /// Move the selection up.
    MoveUp,
    /// Move the selection down.
    MoveDown,
    /// Move the selection left.
    MoveLeft,
    /// Move the selection right.
    MoveRight,
    /// Commit the edit and move down.
    CommitDown,
    /// Commit the edit and move right.
    CommitRight,
    /// Cancel the edit.
    CancelEdit,
    /// Show or hide the report queue.
    ToggleQueue,
    /// Mark the current report reviewed.
    MarkReviewed,
    /// Extend the selected range up.
    ExtendUp,
    /// Extend the selected range down.
    ExtendDown,
    /// Extend the selected range left.
    ExtendLeft,
    /// Extend the selected range right.
    ExtendRight,
    /// Copy the selected cells as tab-separated text.
    Copy,
    /// Paste tab-separated text from the selected cell on.
    Paste,
    /// Mark the selected cells blank.
    ClearCells,
    /// Larger text and widgets.
    ZoomIn,
    /// Smaller text and widgets.
    ZoomOut,
    /// Text and widgets at their normal size.
    ZoomReset,
    /// Show or hide the 历年对照 window.
    YearsView,
}

/// When a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Always, even while typing in a text field.
    Always,
    /// When no text field has the keyboard (typing in a field keeps its own undo, arrows…).
    NotTyping,
    /// When a cell is selected and not being edited.
    Table,
    /// While a cell is being edited.
    Editor,
}

/// One entry of the table.
#[derive(Debug)]
pub struct Binding {
    /// What it does.
    pub command: Command,
    /// The keys, the first one shown in menus.
    pub keys: &'static [KeyboardShortcut],
    /// When it applies.
    pub scope: Scope,
}

const fn key(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);
const SHIFT: Modifiers = Modifiers::SHIFT;
const NONE: Modifiers = Modifiers::NONE;

/// The one table of shortcuts. Order matters only for display.
pub const BINDINGS: &[Binding] = &[
    Binding {
        command: Command::Open,
        keys: &[key(CMD, Key::O)],
        scope: Scope::Always,
    },
    Binding {
        command: Command::Export,
        keys: &[key(CMD, Key::E)],
        scope: Scope::Always,
    },
    Binding {
        command: Command::Undo,
        keys: &[key(CMD, Key::Z)],
        scope: Scope::NotTyping,
    },
    Binding {
        command: Command::Redo,
        keys: &[key(CMD, Key::Y), key(CMD_SHIFT, Key::Z)],
        scope: Scope::NotTyping,
    },
    Binding {
        command: Command::Find,
        keys: &[key(CMD, Key::F)],
        scope: Scope::Always,
    },
    Binding {
        command: Command::FindNext,
        keys: &[key(NONE, Key::F3)],
        scope: Scope::Always,
    },
    Binding {
        command: Command::FindPrev,
        keys: &[key(SHIFT, Key::F3)],
        scope: Scope::Always,
    },
    Binding {
        command: Command::NextFinding,
        keys: &[key(NONE, Key::F8)],
        scope: Scope::Always,
    },
    Binding {
        command: Command::PrevFinding,
        keys: &[key(SHIFT, Key::F8)],
        scope: Scope::Always,
    },
    Binding {
        command: Command::NextReport,
        keys: &[key(CMD, Key::PageDown)],
        scope: Scope::Always,
    },
    Binding {
        command: Command::PrevReport,
        keys: &[key(CMD, Key::PageUp)],
        scope: Scope::Always,
    },
    Binding {
        command: Command::ToggleQueue,
        keys: &[key(NONE, Key::F9)],
        scope: Scope::Always,
    },
    // Ctrl+H is backspace inside egui's text fields, so it acts only when none has the keyboard.
    Binding {
        command: Command::YearsView,
        keys: &[key(CMD, Key::H)],
        scope: Scope::NotTyping,
    },
    Binding {
        command: Command::MarkReviewed,
        keys: &[key(CMD, Key::Enter)],
        scope: Scope::NotTyping,
    },
    // egui's own zoom keys are switched off (`zoom_with_keyboard`) so that these entries, with
    // their labels in 帮助 → 快捷键, are the ones that act.
    Binding {
        command: Command::ZoomIn,
        keys: &[key(CMD, Key::Equals), key(CMD, Key::Plus)],
        scope: Scope::Always,
    },
    Binding {
        command: Command::ZoomOut,
        keys: &[key(CMD, Key::Minus)],
        scope: Scope::Always,
    },
    Binding {
        command: Command::ZoomReset,
        keys: &[key(CMD, Key::Num0)],
        scope: Scope::Always,
    },
    Binding {
        command: Command::EditCell,
        keys: &[key(NONE, Key::F2), key(NONE, Key::Enter)],
        scope: Scope::Table,
    },
    Binding {
        command: Command::MoveUp,
        keys: &[key(NONE, Key::ArrowUp)],
        scope: Scope::Table,
    },
    Binding {
        command: Command::MoveDown,
        keys: &[key(NONE, Key::ArrowDown)],
        scope: Scope::Table,
    },
    Binding {
        command: Command::MoveLeft,
        keys: &[key(NONE, Key::ArrowLeft), key(SHIFT, Key::Tab)],
        scope: Scope::Table,
    },
    Binding {
        command: Command::MoveRight,
        keys: &[key(NONE, Key::ArrowRight), key(NONE, Key::Tab)],
        scope: Scope::Table,
    },
    Binding {
        command: Command::ExtendUp,
        keys: &[key(SHIFT, Key::ArrowUp)],
        scope: Scope::Table,
    },
    Binding {
        command: Command::ExtendDown,
        keys: &[key(SHIFT, Key::ArrowDown)],
        scope: Scope::Table,
    },
    Binding {
        command: Command::ExtendLeft,
        keys: &[key(SHIFT, Key::ArrowLeft)],
        scope: Scope::Table,
    },
    Binding {
        command: Command::ExtendRight,
        keys: &[key(SHIFT, Key::ArrowRight)],
        scope: Scope::Table,
    },
    // The window's platform layer turns Ctrl+C / Ctrl+V into copy and paste events (with the
    // clipboard's text), which `ReviewApp` reads beside these entries.
    Binding {
        command: Command::Copy,
        keys: &[key(CMD, Key::C)],
        scope: Scope::Table,
    },
    Binding {
        command: Command::Paste,
        keys: &[key(CMD, Key::V)],
        scope: Scope::Table,
    },
    Binding {
        command: Command::ClearCells,
        keys: &[key(NONE, Key::Delete)],
        scope: Scope::Table,
    },
    Binding {
        command: Command::CommitDown,
        keys: &[
            key(NONE, Key::Enter),
            key(NONE, Key::ArrowDown),
            key(NONE, Key::ArrowUp),
        ],
        scope: Scope::Editor,
    },
    Binding {
        command: Command::CommitRight,
        keys: &[key(NONE, Key::Tab)],
        scope: Scope::Editor,
    },
    Binding {
        command: Command::CancelEdit,
        keys: &[key(NONE, Key::Escape)],
        scope: Scope::Editor,
    },
];

impl Command {
    /// The label shown in menus and the shortcut list.
    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            Command::Open => t.open,
            Command::Export => t.export,
            Command::Undo => t.undo,
            Command::Redo => t.redo,
            Command::Find => t.find,
            Command::FindNext => t.find_next,
            Command::FindPrev => t.find_prev,
            Command::NextFinding => t.next_finding,
            Command::PrevFinding => t.prev_finding,
            Command::NextReport => t.next_report,
            Command::PrevReport => t.prev_report,
            Command::EditCell => t.edit_cell,
            Command::MoveUp => t.move_up,
            Command::MoveDown => t.move_down,
            Command::MoveLeft => t.move_left,
            Command::MoveRight => t.move_right,
            Command::CommitDown => t.commit_down,
            Command::CommitRight => t.commit_right,
            Command::CancelEdit => t.cancel_edit,
            Command::ToggleQueue => t.toggle_queue,
            Command::MarkReviewed => t.mark_reviewed,
            Command::ExtendUp => t.extend_up,
            Command::ExtendDown => t.extend_down,
            Command::ExtendLeft => t.extend_left,
            Command::ExtendRight => t.extend_right,
            Command::Copy => t.copy_cells,
            Command::Paste => t.paste_cells,
            Command::ClearCells => t.clear_cells,
            Command::ZoomIn => t.zoom_in,
            Command::ZoomOut => t.zoom_out,
            Command::ZoomReset => t.zoom_reset,
            Command::YearsView => t.years_view,
        }
    }

    /// The table entry of this command.
    pub fn binding(self) -> Option<&'static Binding> {
        BINDINGS.iter().find(|b| b.command == self)
    }

    /// The shortcut shown beside the command in menus, e.g. `Ctrl+O`.
    pub fn shortcut_text(self, ctx: &egui::Context) -> String {
        self.binding()
            .and_then(|b| b.keys.first())
            .map(|k| ctx.format_shortcut(k))
            .unwrap_or_default()
    }

    /// Every shortcut of the command, joined for the shortcut list, e.g. `Ctrl+Y / Ctrl+Shift+Z`.
    pub fn all_shortcuts_text(self, ctx: &egui::Context) -> String {
        self.binding()
            .map(|b| {
                b.keys
                    .iter()
                    .map(|k| ctx.format_shortcut(k))
                    .collect::<Vec<_>>()
                    .join(" / ")
            })
            .unwrap_or_default()
    }
}

/// What the window is doing, which decides the bindings that apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyContext {
    /// A text field (search, note, path, cell editor) has the keyboard.
    pub typing: bool,
    /// A cell is being edited.
    pub editing: bool,
    /// A cell is selected.
    pub cell_selected: bool,
}

impl Scope {
    fn applies(self, cx: KeyContext) -> bool {
        match self {
            Scope::Always => true,
            Scope::NotTyping => !cx.typing,
            Scope::Table => cx.cell_selected && !cx.editing && !cx.typing,
            Scope::Editor => cx.editing,
        }
    }
}

fn modifier_count(m: Modifiers) -> u8 {
    u8::from(m.alt) + u8::from(m.ctrl) + u8::from(m.shift) + u8::from(m.mac_cmd || m.command)
}

/// Consumes the key presses of this frame that match a binding in scope and returns their
/// commands in the order pressed. Shortcuts with more modifiers are tried first, because egui
/// matches modifiers leniently (Ctrl+Shift+Z would otherwise also count as Ctrl+Z).
pub fn consume_commands(ctx: &egui::Context, cx: KeyContext) -> Vec<Command> {
    let mut candidates: Vec<(&Binding, &KeyboardShortcut)> = BINDINGS
        .iter()
        .filter(|b| b.scope.applies(cx))
        .flat_map(|b| b.keys.iter().map(move |k| (b, k)))
        .collect();
    candidates.sort_by_key(|(_, k)| std::cmp::Reverse(modifier_count(k.modifiers)));
    let mut out = Vec::new();
    ctx.input_mut(|input| {
        for (binding, shortcut) in candidates {
            // Each press runs the command once; key repeat counts as more presses.
            while input.consume_shortcut(shortcut) {
                out.push(binding.command);
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    // No two bindings that can apply at the same time share a key.
    #[test]
    fn no_conflicting_keys() {
        let contexts = [
            KeyContext {
                typing: false,
                editing: false,
                cell_selected: true,
            },
            KeyContext {
                typing: true,
                editing: true,
                cell_selected: true,
            },
            KeyContext {
                typing: true,
                editing: false,
                cell_selected: false,
            },
        ];
        for cx in contexts {
            let mut seen = HashSet::new();
            for b in BINDINGS.iter().filter(|b| b.scope.applies(cx)) {
                for k in b.keys {
                    assert!(
                        seen.insert(*k),
                        "{:?} bound twice in {cx:?} ({:?})",
                        k,
                        b.command
                    );
                }
            }
        }
    }

    // Every command has a label in both languages.
    #[test]
    fn every_command_labelled() {
        for b in BINDINGS {
            assert!(!b.command.label(&super::super::i18n::ZH).is_empty());
            assert!(!b.command.label(&super::super::i18n::EN).is_empty());
            assert!(!b.keys.is_empty(), "{:?} has no key", b.command);
        }
    }
}
