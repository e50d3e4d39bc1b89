//! Integration tests: the review window, driven headless with egui_kittest as a reviewer would —
//! scripted file dialogs, clicks found by accessible name, typed text and keys — asserting on
//! the accessibility tree and the review session. The bundled CJK font is loaded, so the
//! harness's missing-glyph check and its unnamed-input check both stay on.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nianbao::app::{
    DialogRequest, Lang, Move, ReviewApp, SaveState, ScriptedDialogs, Settings, UiIntent,
    display_order, finding_row_name, fonts,
};
use nianbao::model::CellKey;
use nianbao::review::autosave::SaveJob;
use nianbao::review::store::{journal_path, open_report_in, review_path_beside};
use nianbao::review::{Autosaver, SaveWorker, StoreDirs, StoreError};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A seed report copied into `dir`, so that the review files the window saves beside it
/// never land in the repository (and never leak from one test into another).
fn seed_in(dir: &Path, name: &str) -> PathBuf {
    let from = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seeds")
        .join(name);
    let to = dir.join(name);
    std::fs::copy(&from, &to).unwrap_or_else(|e| panic!("copy {name}: {e}"));
    to
}

const SEED: &str = "000_073f686d539d8498.txt";

/// A window on a tall screen (so all three tables are visible) with the bundled font, stepped
/// at 60 frames a second (so two clicks one frame apart make a double click). Review files of
/// unwritable folders go under `dir`.
fn harness(dialogs: ScriptedDialogs, dir: &Path) -> Harness<'static, ReviewApp> {
    harness_at(dialogs, dir, 1600.0, 1900.0)
}

/// The window with these dialogs and settings, its review data kept in `dir`.
fn app_with(dialogs: ScriptedDialogs, settings: Settings, dir: &Path) -> ReviewApp {
    ReviewApp::new(Box::new(dialogs), settings)
        .with_store_dirs(StoreDirs::with_data_dir(dir.join("data")))
}

/// The window whose open dialog chooses `paths`, its review data kept in `dir`.
fn app_opening(paths: Vec<PathBuf>, dir: &Path) -> ReviewApp {
    app_with(
        ScriptedDialogs::new().then_reports(paths),
        Settings::default(),
        dir,
    )
}

/// [`harness`] in a window of `w` × `h`.
fn harness_at(dialogs: ScriptedDialogs, dir: &Path, w: f32, h: f32) -> Harness<'static, ReviewApp> {
    let app = app_with(dialogs, Settings::default(), dir);
    Harness::builder()
        .with_size([w, h])
        .with_step_dt(1.0 / 60.0)
        .with_context_setup(fonts::install_bundled)
        .build_ui_state(show_settled, app)
}

/// Draws a frame, then waits for what it started in the background (opening reports, saving)
/// and asks for another frame to show the result, so that the window the tests drive never
/// races its workers. Tests of the states in between draw with plain `ReviewApp::show`.
fn show_settled(ui: &mut egui::Ui, app: &mut ReviewApp) {
    app.show(ui);
    if app.wait_for_background() {
        ui.ctx().request_repaint();
    }
}

/// A window with a copy of seed `name` opened through 文件 → 打开 (Ctrl+O) and the scripted
/// dialog. The folder lives as long as the returned guard.
fn opened(name: &str) -> (Harness<'static, ReviewApp>, TempDir) {
    let dir = TempDir::new().expect("a temporary folder");
    let path = seed_in(dir.path(), name);
    let mut h = harness(ScriptedDialogs::new().then_reports(vec![path]), dir.path());
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    (h, dir)
}

/// The text of the first label whose text starts with `prefix`.
fn label_starting(h: &Harness<'_, ReviewApp>, prefix: &str) -> String {
    h.query_all_by(|n| n.value().is_some_and(|v| v.starts_with(prefix)))
        .next()
        .and_then(|n| n.value())
        .unwrap_or_else(|| panic!("no label starting with {prefix:?}"))
}

/// The number after `prefix` in the status bar, e.g. `问题 3`.
fn status_count(h: &Harness<'_, ReviewApp>, prefix: &str) -> usize {
    let text = label_starting(h, &format!("{prefix} "));
    text[prefix.len()..]
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("status {text:?} has no count"))
}

fn key(name: &str) -> CellKey {
    CellKey::from_name(name).unwrap_or_else(|| panic!("{name} is a key"))
}

/// Clicks the cell, types `value` and commits it with Enter.
fn type_into(h: &mut Harness<'static, ReviewApp>, k: CellKey, value: &str) {
    h.get_by_label(&k.accessible_name()).click();
    h.run();
    h.get_by_label(&k.accessible_name()).type_text(value);
    h.run();
    h.key_press(Key::Enter);
    h.run();
}

/// Ctrl+E (choosing 全部 N 份 when several reports are open), then frames until the background
/// export has finished (30 s at most).
fn export_and_wait(h: &mut Harness<'static, ReviewApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    let n = h.state().reports().len();
    if n > 1 {
        h.run();
        h.get_by_label(&format!("全部 {n} 份")).click();
    }
    // The dialog answers on the frame after it is asked; the export starts on that one.
    for _ in 0..3 {
        h.step();
    }
    let started = std::time::Instant::now();
    while h.state().is_exporting() && started.elapsed().as_secs() < 30 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run();
}

// Ctrl+O asks the (scripted) dialog and opens the chosen seed; the status bar reports the
// counts read from the report, and every one of the 200 cells is reachable by its name.
#[test]
fn opens_seed_by_shortcut() {
    let dir = TempDir::new().expect("a temporary folder");
    let dialogs = ScriptedDialogs::new().then_reports(vec![seed_in(dir.path(), SEED)]);
    let log = dialogs.log();
    let mut h = harness(dialogs, dir.path());
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    assert_eq!(
        log.lock().map(|l| l.clone()).unwrap_or_default(),
        vec![DialogRequest::Reports]
    );
    let app = h.state();
    assert_eq!(app.reports().len(), 1);
    let report = app.current_report().expect("the seed is shown");
    assert_eq!(report.name, SEED);
    assert_eq!(
        status_count(&h, "已读取"),
        report.session.extraction.cells_read()
    );
    assert_eq!(status_count(&h, "问题"), report.findings().len());
    for k in CellKey::all() {
        h.get_by_label(&k.accessible_name());
    }
}

// When the native dialog cannot be shown, the window says so and takes a typed path instead.
#[test]
fn typed_path_when_dialog_unavailable() {
    let dir = TempDir::new().expect("a temporary folder");
    let mut h = harness(ScriptedDialogs::new(), dir.path());
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    label_starting(&h, "无法显示系统文件对话框");
    let path = seed_in(dir.path(), SEED);
    h.get_by_label("路径")
        .type_text(&path.display().to_string());
    h.run();
    h.get_by_label("确定").click();
    h.run();
    assert_eq!(h.state().reports().len(), 1, "{:?}", h.state().status());
    assert!(
        h.query_by_label("路径").is_none(),
        "the prompt closes after opening"
    );
}

// Clicking a cell selects it and highlights the text it was read from in the source.
#[test]
fn click_cell_selects_and_highlights_source() {
    let (mut h, _dir) = opened(SEED);
    let k = key("requests.new.total");
    h.get_by_label(&k.accessible_name()).click();
    h.run();
    let app = h.state();
    assert_eq!(app.selected_cell(), Some(k));
    let report = app.current_report().expect("open");
    assert_eq!(
        app.highlighted_span(),
        report.session.extraction.cell(k).span,
        "{k}: the highlighted span is the cell's source span"
    );
}

// Typing a word into a cell is refused with a reason; Esc leaves the cell as it was.
#[test]
fn non_number_refused() {
    let (mut h, _dir) = opened(SEED);
    let k = key("requests.granted.natural_person");
    h.get_by_label(&k.accessible_name()).click();
    h.run();
    h.key_press(Key::F2);
    h.run();
    h.get_by_label(&k.accessible_name()).type_text("五件");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let app = h.state();
    let error = app
        .editor()
        .and_then(|e| e.error.clone())
        .unwrap_or_else(|| panic!("{k}: a word must be refused"));
    assert!(error.contains("不是数字"), "{k}: reason given: {error}");
    assert!(
        app.status()
            .is_some_and(|s| s.error && s.text.contains("不是数字")),
        "the status bar says why"
    );
    assert!(!app.current_report().expect("open").session.can_undo());
    h.key_press(Key::Escape);
    h.run();
    assert!(h.state().editor().is_none(), "Esc cancels");
    assert!(
        !h.state()
            .current_report()
            .expect("open")
            .session
            .is_corrected(k)
    );
}

// A typed number is committed with Enter (the selection moves down), undone with Ctrl+Z and
// redone with Ctrl+Y and Ctrl+Shift+Z, one step per committed cell.
#[test]
fn correct_undo_redo() {
    let (mut h, _dir) = opened(SEED);
    let a = key("requests.granted.natural_person");
    let b = key("requests.partial.natural_person");
    h.get_by_label(&a.accessible_name()).click();
    h.run();
    // Typing on a selected cell starts editing it with what was typed, as in Excel.
    h.get_by_label(&a.accessible_name()).type_text("7");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let session =
        |h: &Harness<'_, ReviewApp>| h.state().current_report().expect("open").session.clone();
    assert_eq!(session(&h).effective_value(a), Some(7.0), "{a}");
    assert_eq!(h.state().selected_cell(), Some(b), "Enter moves down");
    assert_eq!(status_count(&h, "已修改"), 1);
    // Second cell with F2 (select all, type over); Tab commits and moves right.
    h.key_press(Key::F2);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label(&b.accessible_name()).type_text("3");
    h.run();
    h.key_press(Key::Tab);
    h.run();
    let s = session(&h);
    assert_eq!(s.effective_value(b), Some(3.0), "{b}");
    assert_eq!(
        h.state().selected_cell(),
        Some(key("requests.partial.commercial"))
    );
    assert_eq!(s.audit_trail().len(), 2);

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(session(&h).audit_trail().len(), 1, "one undo step per cell");
    assert_eq!(h.state().selected_cell(), Some(b), "undo shows the cell");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let s = session(&h);
    assert!(!s.is_corrected(a) && !s.is_corrected(b));
    assert_eq!(s.effective_cell(a), s.extraction.cell(a).clone(), "{a}");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(
        session(&h).effective_value(a),
        Some(7.0),
        "{a}: Ctrl+Y redoes"
    );
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert!(session(&h).is_corrected(b), "{b}: Ctrl+Shift+Z redoes");
    assert!(!session(&h).can_redo());
}

// Blank and not-applicable are chosen on purpose with the buttons, never typed.
#[test]
fn mark_blank_and_not_applicable() {
    let (mut h, _dir) = opened(SEED);
    let k = key("appeals.review.total");
    h.get_by_label(&k.accessible_name()).click();
    h.run();
    h.get_by_label("标为不适用").click();
    h.run();
    let cell = h.state().current_report().expect("open").cell(k).clone();
    assert_eq!(cell.raw.as_deref(), Some("/"), "{k}");
    assert_eq!(cell.value, None, "{k}: not applicable is not zero");
    h.get_by_label("标为空白").click();
    h.run();
    let cell = h.state().current_report().expect("open").cell(k).clone();
    assert_eq!(cell.raw, None, "{k}");
    assert_eq!(status_count(&h, "已修改"), 1, "one cell corrected");
}

// The English switch changes the interface; the report's own words stay Chinese.
#[test]
fn english_switch() {
    let (mut h, _dir) = opened(SEED);
    h.get_by_label("语言 Language").click();
    h.run();
    h.get_by_label("English").click();
    h.run();
    label_starting(&h, "read ");
    h.get_by_label("File");
    h.get_by_label(&key("requests.total.total").accessible_name());
    assert_eq!(
        h.state().settings().lang,
        nianbao::app::Lang::En,
        "the choice is kept in the settings"
    );
}

/// [`harness`] with the interface in English from the start.
fn english_harness(dialogs: ScriptedDialogs, dir: &Path) -> Harness<'static, ReviewApp> {
    let settings = Settings {
        lang: Lang::En,
        ..Settings::default()
    };
    let app = app_with(dialogs, settings, dir);
    Harness::builder()
        .with_size([1600.0, 1900.0])
        .with_step_dt(1.0 / 60.0)
        .with_context_setup(fonts::install_bundled)
        .build_ui_state(show_settled, app)
}

/// True for a CJK ideograph or CJK / full-width punctuation.
fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, '\u{3000}'..='\u{303f}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
    })
}

// In English the window's own sentences are English: a finding's numbers, the finding rows'
// names, the status after reopening a reviewed report; only the report's words stay Chinese.
#[test]
fn english_mode_speaks_english() {
    let dir = TempDir::new().expect("a temporary folder");
    let path = seed_in(dir.path(), SEED);
    let mut h = english_harness(
        ScriptedDialogs::new().then_reports(vec![path.clone()]),
        dir.path(),
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    h.get_by_label("Language");
    h.get_by_label("Go to 表四");
    type_into(&mut h, key("requests.new.natural_person"), "4");
    let en = Lang::En.t();
    let findings = h
        .state()
        .current_report()
        .expect("open")
        .findings()
        .to_vec();
    let (i, f) = findings
        .iter()
        .enumerate()
        .find(|(_, f)| f.expected.is_some() && f.found.is_some())
        .expect("a finding with expected and found numbers");
    h.get_by_label(&finding_row_name(en, i, &f.message)).click();
    h.run();
    let numbers = label_starting(&h, "expected ");
    assert!(
        numbers.contains(", found ") && !has_cjk(&numbers),
        "{numbers}"
    );
    let i = finding_index(&h, "value.blank");
    h.get_by_label(&finding_row_name(en, i, &findings[i].message))
        .click();
    h.run();
    h.get_by_label(en.dismiss).click();
    h.run();
    drop(h);
    let mut again = english_harness(ScriptedDialogs::new().then_reports(vec![path]), dir.path());
    again.key_press_modifiers(Modifiers::COMMAND, Key::O);
    again.run();
    let status = again.state().status().expect("a status line").text.clone();
    assert_eq!(status, "Restored 1 correction(s), 1 verdict(s)");
}

// Two reports open into the queue; Ctrl+PageDown / Ctrl+PageUp walk it, and a report marked
// reviewed (查看 → 标为已审) shows 已审 in the queue.
#[test]
fn queue_walk_and_mark_reviewed() {
    let dir = TempDir::new().expect("a temporary folder");
    let dialogs = ScriptedDialogs::new().then_reports(vec![
        seed_in(dir.path(), SEED),
        seed_in(dir.path(), "001_02434a0845e90c92.txt"),
    ]);
    let mut h = harness(dialogs, dir.path());
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    assert_eq!(h.state().reports().len(), 2);
    label_starting(&h, "报告队列");
    let name = |h: &Harness<'_, ReviewApp>| {
        h.state()
            .current_report()
            .map(|r| r.name.clone())
            .unwrap_or_default()
    };
    assert_eq!(name(&h), SEED, "the first opened is shown");
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    h.run();
    assert_eq!(name(&h), "001_02434a0845e90c92.txt");
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    h.run();
    assert_eq!(name(&h), SEED, "the queue wraps around");
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageUp);
    h.run();
    assert_eq!(name(&h), "001_02434a0845e90c92.txt");
    h.get_by_label("查看").click();
    h.run();
    h.get_by_label_contains("标为已审").click();
    h.run();
    // Seed 001 has an open error, so the window asks first.
    h.get_by_label("仍然标为已审").click();
    h.run();
    assert_eq!(
        h.state().current_report().map(|r| r.queue_status()),
        Some(nianbao::app::QueueStatus::Reviewed)
    );
    let title = {
        let r = h.state().current_report().expect("open");
        match (r.agency(), r.year()) {
            (Some(a), Some(y)) => format!("{a} {y}"),
            _ => r.name.clone(),
        }
    };
    assert!(
        h.query_all_by(|n| n
            .label()
            .is_some_and(|l| l.starts_with(&title) && l.contains("已审")))
            .next()
            .is_some(),
        "the queue shows {title} as 已审"
    );
}

// Ctrl+F focuses the source search; Enter and F3 step through the matches, which are counted.
#[test]
fn search_the_source() {
    let (mut h, _dir) = opened(SEED);
    let n = h
        .state()
        .current_report()
        .expect("open")
        .session
        .source
        .text
        .matches("行政复议")
        .count();
    assert!(n >= 2, "the seed mentions 行政复议 more than once");
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    h.get_by_label("在原文中搜索").type_text("行政复议");
    h.run();
    label_starting(&h, &format!("0/{n}"));
    h.key_press(Key::Enter);
    h.run();
    label_starting(&h, &format!("1/{n}"));
    h.key_press(Key::F3);
    h.run();
    label_starting(&h, &format!("2/{n}"));
    h.key_press_modifiers(Modifiers::SHIFT, Key::F3);
    h.run();
    label_starting(&h, &format!("1/{n}"));
}

// A double click edits a cell in place; arrows move the selection when not editing.
#[test]
fn double_click_edits_and_arrows_move() {
    let (mut h, _dir) = opened(SEED);
    let k = key("requests.new.commercial");
    let name = k.accessible_name();
    h.get_by_label(&name).click();
    h.step();
    h.get_by_label(&name).click();
    h.run();
    assert_eq!(
        h.state().editor().map(|e| e.key),
        Some(k),
        "{k}: a double click opens the editor"
    );
    h.key_press(Key::Escape);
    h.run();
    assert!(h.state().editor().is_none());
    h.key_press(Key::ArrowRight);
    h.run();
    assert_eq!(
        h.state().selected_cell(),
        Some(key("requests.new.research"))
    );
    h.key_press(Key::ArrowDown);
    h.run();
    assert_eq!(
        h.state().selected_cell(),
        Some(key("requests.carried_over.research"))
    );
    h.key_press(Key::ArrowLeft);
    h.key_press(Key::ArrowUp);
    h.run();
    assert_eq!(h.state().selected_cell(), Some(k));
}

// A note typed in the formula bar is kept on the selected cell when the field is left.
#[test]
fn cell_note_is_kept() {
    let (mut h, _dir) = opened(SEED);
    let k = key("requests.carry_forward.total");
    h.get_by_label(&k.accessible_name()).click();
    h.run();
    h.get_by_label("单元格备注").click();
    h.run();
    h.get_by_label("单元格备注").type_text("原文表格此格为手写");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let report = h.state().current_report().expect("open");
    assert_eq!(
        report.session.notes.get(&k).map(String::as_str),
        Some("原文表格此格为手写"),
        "{k}"
    );
    assert!(
        !report.session.is_corrected(k),
        "{k}: a note is not a correction"
    );
}

// Every committed correction, verdict and note is saved at once beside the report; a new
// window opening the same file finds them restored.
#[test]
fn work_is_saved_at_once_and_restored() {
    let (mut h, dir) = opened(SEED);
    let path = dir.path().join(SEED);
    let k = key("requests.new.natural_person");
    h.get_by_label(&k.accessible_name()).click();
    h.run();
    h.get_by_label(&k.accessible_name()).type_text("4");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let review_file = nianbao::review::store::review_path_beside(&path);
    assert!(review_file.exists(), "saved without a save button");
    drop(h);

    let mut again = harness(
        ScriptedDialogs::new().then_reports(vec![path.clone()]),
        dir.path(),
    );
    again.key_press_modifiers(Modifiers::COMMAND, Key::O);
    again.run();
    let report = again.state().current_report().expect("reopened");
    assert_eq!(report.cell(k).value, Some(4.0), "{k} restored");
    assert!(report.session.can_undo(), "the edit log is restored too");
    assert_eq!(status_count(&again, "已修改"), 1);
}

// A damaged review file does not stop the report from opening, and the window says so.
#[test]
fn damaged_review_file_is_reported() {
    let dir = TempDir::new().expect("a temporary folder");
    let path = seed_in(dir.path(), SEED);
    std::fs::write(
        nianbao::review::store::review_path_beside(&path),
        "{ not json",
    )
    .expect("write");
    let mut h = harness(ScriptedDialogs::new().then_reports(vec![path]), dir.path());
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    assert_eq!(h.state().reports().len(), 1, "the report still opens");
    let status = h.state().status().expect("a message");
    assert!(
        status.error && status.text.contains("审校记录"),
        "the damage is reported: {}",
        status.text
    );
}

// A folder with more reports than open at once loads in the background with a progress bar
// and ends with every report in the queue.
#[test]
fn folder_opens_in_background() {
    let dir = TempDir::new().expect("a temporary folder");
    let folder = dir.path().join("reports");
    std::fs::create_dir(&folder).expect("mkdir");
    let seeds = [
        "000_073f686d539d8498.txt",
        "001_02434a0845e90c92.txt",
        "002_fb4184b46a4aab68.txt",
        "003_e00c555d78a674aa.txt",
        "004_e42161fe7aa08ef3.txt",
    ];
    for round in 0..2 {
        for name in seeds {
            let to = folder.join(format!("{round}_{name}"));
            std::fs::copy(seed_in(dir.path(), name), to).expect("copy");
        }
    }
    let mut h = harness(
        ScriptedDialogs::new().then_reports(vec![folder]),
        dir.path(),
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.step();
    let started = std::time::Instant::now();
    while h.state().is_loading() && started.elapsed().as_secs() < 30 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run();
    assert!(!h.state().is_loading(), "loading finished");
    assert_eq!(h.state().reports().len(), 10);
    label_starting(&h, "已打开 10 份报告");
    assert!(h.state().current_report().is_some(), "the first is shown");
}
/// The index of the finding with `rule` in the current report.
fn finding_index(h: &Harness<'_, ReviewApp>, rule: &str) -> usize {
    let report = h.state().current_report().expect("open");
    report
        .findings()
        .iter()
        .position(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("no {rule} finding in {:#?}", report.findings()))
}

// Seed 000 leaves 行政许可 blank: the cell is flagged; typing 0 into it clears the finding at
// once (the count in the status bar drops), undo brings it back, redo clears it again.
#[test]
fn correcting_a_flagged_cell_clears_its_finding() {
    let (mut h, _dir) = opened(SEED);
    let k = key("active.licensing.decisions");
    let before = status_count(&h, "问题");
    let i = finding_index(&h, "value.blank");
    assert_eq!(
        h.state().current_report().expect("open").findings()[i].keys,
        vec![k]
    );
    assert_eq!(
        h.state().current_report().expect("open").flag(k),
        Some(nianbao::check::Severity::Warning),
        "{k} is coloured as a warning"
    );
    type_into(&mut h, k, "0");
    assert_eq!(status_count(&h, "问题"), before - 1, "the finding is gone");
    assert_eq!(status_count(&h, "已修改"), 1);
    let report = h.state().current_report().expect("open");
    assert!(report.findings().iter().all(|f| f.rule != "value.blank"));
    assert_eq!(report.flag(k), None, "{k} is no longer flagged");
    assert_eq!(report.cell(k).value, Some(0.0), "{k}");

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        status_count(&h, "问题"),
        before,
        "undo brings the finding back"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(status_count(&h, "问题"), before - 1, "redo clears it again");
}

// Clicking a finding selects its cells; a note and 排除 dismiss it: it is no longer open, the
// cell loses its colour, the note is kept, and F8 then skips it.
#[test]
fn dismiss_a_finding_with_a_note() {
    let (mut h, _dir) = opened(SEED);
    let i = finding_index(&h, "value.blank");
    let (message, keys) = {
        let f = &h.state().current_report().expect("open").findings()[i];
        (f.message.clone(), f.keys.clone())
    };
    let open_before = {
        let text = label_starting(&h, "（待处理 ");
        text.trim_start_matches("（待处理 ")
            .trim_end_matches('）')
            .parse::<usize>()
            .expect("a count")
    };
    h.get_by_label(&nianbao::app::finding_row_name(Lang::Zh.t(), i, &message))
        .click();
    h.run();
    assert_eq!(h.state().selected_finding(), Some(i));
    assert_eq!(h.state().selected_cell(), keys.first().copied());
    h.get_by_label("备注").click();
    h.run();
    h.get_by_label("备注").type_text("原件如此，已电话核实");
    h.run();
    h.get_by_label("排除（不是问题）").click();
    h.run();
    let report = h.state().current_report().expect("open");
    assert_eq!(
        report.finding_state(i),
        nianbao::app::FindingState::Dismissed
    );
    let id = report.finding_id(i).expect("id").to_owned();
    let verdict = report.session.verdict(&id, &keys).expect("a verdict");
    assert_eq!(verdict.note.as_deref(), Some("原件如此，已电话核实"));
    assert_eq!(
        report.flag(keys[0]),
        None,
        "a dismissed finding colours nothing"
    );
    label_starting(&h, &format!("（待处理 {}）", open_before - 1));
    // F8 walks the open findings only.
    for _ in 0..3 {
        h.key_press(Key::F8);
        h.run();
        let sel = h.state().selected_finding().expect("an open finding");
        assert_ne!(sel, i, "F8 skips the dismissed finding");
    }
}

// F8 and Shift+F8 step through the open findings in list order, wrapping around.
#[test]
fn f8_steps_through_open_findings() {
    let (mut h, _dir) = opened("001_02434a0845e90c92.txt");
    let n = h.state().current_report().expect("open").findings().len();
    assert!(n >= 2, "seed 001 has several findings");
    let mut seen = Vec::new();
    for _ in 0..n {
        h.key_press(Key::F8);
        h.run();
        seen.push(h.state().selected_finding().expect("selected"));
    }
    let findings = h
        .state()
        .current_report()
        .expect("open")
        .findings()
        .to_vec();
    assert_eq!(seen, display_order(&findings), "list order");
    // The list order: by table (the whole report first), the most serious first in each.
    let rank = |i: usize| {
        let f = &findings[i];
        (f.keys.first().map(|k| k.table()), f.severity)
    };
    assert!(
        seen.windows(2).all(|w| rank(w[0]) <= rank(w[1])),
        "{:?}",
        seen.iter().map(|&i| rank(i)).collect::<Vec<_>>()
    );
    h.key_press(Key::F8);
    h.run();
    assert_eq!(h.state().selected_finding(), Some(seen[0]), "wraps around");
    h.key_press_modifiers(Modifiers::SHIFT, Key::F8);
    h.run();
    assert_eq!(
        h.state().selected_finding(),
        Some(seen[n - 1]),
        "Shift+F8 goes back"
    );
}

// A flagged cell is coloured by its severity and its tooltip gives the finding's message
// (formula with the numbers); a corrected cell's tooltip gives the original.
#[test]
fn tooltips_explain_flags_and_corrections() {
    let (mut h, _dir) = opened("001_02434a0845e90c92.txt");
    let k = key("requests.granted.total");
    let i = finding_index(&h, "narrative.category");
    let (message, severity) = {
        let f = &h.state().current_report().expect("open").findings()[i];
        (f.message.clone(), f.severity)
    };
    assert_eq!(
        h.state().current_report().expect("open").flag(k),
        Some(severity),
        "{k}"
    );
    h.get_by_label(&k.accessible_name()).hover();
    h.run_steps(60);
    assert!(
        h.query_by_value(&message).is_some(),
        "{k}: the tooltip shows {message:?}"
    );
    let c = key("requests.partial.natural_person");
    let original = h
        .state()
        .current_report()
        .expect("open")
        .session
        .extraction
        .cell(c)
        .raw
        .clone()
        .unwrap_or_default();
    h.get_by_label(&c.accessible_name()).click();
    h.run();
    h.get_by_label(&c.accessible_name()).type_text("9");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    h.get_by_label(&c.accessible_name()).hover();
    h.run_steps(60);
    let expected = format!("已修改：{original} → 9");
    assert!(
        h.query_by_value(&expected).is_some(),
        "{c}: the tooltip shows {expected:?}"
    );
}

// Ctrl+E offers the suggested file name, writes the workbook off the UI thread, and the
// workbook's audit trail holds the correction made in the window.
#[test]
fn export_from_the_window() {
    use calamine::{Data, Reader, open_workbook_auto};
    let dir = TempDir::new().expect("a temporary folder");
    let out = dir.path().join("导出.xlsx");
    let dialogs = ScriptedDialogs::new()
        .then_reports(vec![seed_in(dir.path(), SEED)])
        .then_export(out.clone());
    let log = dialogs.log();
    let mut h = harness(dialogs, dir.path());
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    let k = key("active.licensing.decisions");
    type_into(&mut h, k, "3");
    export_and_wait(&mut h);
    assert!(
        log.lock()
            .map(|l| l.contains(&DialogRequest::Export(
                "高青县行政审批服务局_2024_审校.xlsx".to_owned()
            )))
            .unwrap_or(false),
        "the save dialog suggests 机关_年度_审校.xlsx"
    );
    let status = h.state().status().expect("a message");
    assert!(!status.error, "{}", status.text);
    assert!(status.text.contains("已导出 1 份报告"), "{}", status.text);
    let mut book = open_workbook_auto(&out).expect("a workbook a reader opens");
    let trail = book
        .worksheet_range(nianbao::export::xlsx::SHEET_TRAIL)
        .expect("the audit trail sheet");
    let row = trail
        .rows()
        .find(|row| row.iter().any(|c| *c == Data::String(k.name().to_owned())))
        .unwrap_or_else(|| panic!("{k} is in the audit trail"));
    assert!(
        row.iter().any(|c| matches!(c, Data::Float(v) if *v == 3.0)
            || matches!(c, Data::Int(3))
            || *c == Data::String("3".to_owned())),
        "{k}: the new value 3 is recorded: {row:?}"
    );
}

// A workbook exported earlier brings its corrections back: 文件 → 从工作簿导入修改 previews
// the cell it would change, and applying commits it like a typed correction (undoable). Two
// reports are open, so the workbook has its 汇总 sheet, which the import reads.
#[test]
fn import_corrections_from_a_workbook() {
    let dir = TempDir::new().expect("a temporary folder");
    let out = dir.path().join("cleaned.xlsx");
    let dialogs = ScriptedDialogs::new()
        .then_reports(vec![
            seed_in(dir.path(), SEED),
            seed_in(dir.path(), "004_e42161fe7aa08ef3.txt"),
        ])
        .then_export(out.clone())
        .then_workbook(out.clone());
    let mut h = harness(dialogs, dir.path());
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    let k = key("active.licensing.decisions");
    type_into(&mut h, k, "3");
    export_and_wait(&mut h);
    assert!(out.exists(), "exported");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let value =
        |h: &Harness<'_, ReviewApp>| h.state().current_report().expect("open").cell(k).value;
    assert_eq!(value(&h), None, "{k}: undone before the import");

    h.get_by_label("文件").click();
    h.run();
    h.get_by_label("从工作簿导入修改…").click();
    h.run();
    let line = format!("{}：（空白） → 3", k.accessible_name());
    assert!(
        h.query_all_by_value(&line).next().is_some(),
        "the preview lists {line:?}"
    );
    assert_eq!(value(&h), None, "{k}: nothing changes before applying");
    h.get_by_label("应用这些修改（1）").click();
    h.run();
    assert_eq!(value(&h), Some(3.0), "{k}: imported");
    let report = h.state().current_report().expect("open");
    let edit = report.session.current_edit(k).expect("an ordinary commit");
    assert!(
        edit.note
            .as_deref()
            .is_some_and(|n| n.contains("cleaned.xlsx")),
        "{k}: the note names the workbook: {:?}",
        edit.note
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(value(&h), None, "{k}: the import can be undone");
}

/// A window of `w`×`h` with copies of the seeds `names` opened through Ctrl+O.
fn opened_at(w: f32, h: f32, names: &[&str]) -> (Harness<'static, ReviewApp>, TempDir) {
    let dir = TempDir::new().expect("a temporary folder");
    let paths = names.iter().map(|n| seed_in(dir.path(), n)).collect();
    let app = app_opening(paths, dir.path());
    let mut harness = Harness::builder()
        .with_size([w, h])
        .with_step_dt(1.0 / 60.0)
        .with_context_setup(fonts::install_bundled)
        .build_ui_state(show_settled, app);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run();
    (harness, dir)
}

/// The on-screen rect of the widget named `name`.
fn rect_of(h: &Harness<'_, ReviewApp>, name: &str) -> egui::Rect {
    h.get_by_label(name).rect()
}

// Opening the cell editor (F2) on a cell of 表三 leaves every other cell of the three tables,
// the jump buttons and the formula bar's note field exactly where they were: the editor no
// longer pushes the tables drawn after it (表四 used to be drawn over 表三's rows).
#[test]
fn editor_does_not_move_the_layout() {
    let (mut h, _dir) = opened(SEED);
    let edited = key("requests.granted.natural_person");
    h.get_by_label(&edited.accessible_name()).click();
    h.run();
    let others: Vec<String> = CellKey::all()
        .filter(|k| *k != edited)
        .map(|k| k.accessible_name())
        .chain(["跳到表二", "跳到表四", "单元格备注"].map(str::to_owned))
        .collect();
    let before: Vec<egui::Rect> = others.iter().map(|n| rect_of(&h, n)).collect();
    h.key_press(Key::F2);
    h.run();
    assert!(h.state().editor().is_some(), "F2 opens the editor");
    for (name, was) in others.iter().zip(&before) {
        let now = rect_of(&h, name);
        assert_eq!(
            now, *was,
            "{name}: moved from {was:?} to {now:?} when the editor opened"
        );
    }
    let cell = rect_of(&h, &edited.accessible_name());
    let below = rect_of(&h, &CellKey::requests(3, 0).accessible_name());
    assert!(
        cell.bottom() <= below.top() + 1.0,
        "the editor {cell:?} stays above the next row {below:?}"
    );
}

/// The seed whose findings include the longest message, for the findings-table tests.
fn seed_with_longest_finding() -> &'static str {
    "001_02434a0845e90c92.txt"
}

// At 1366×768 every column of the findings table (级别 · 说明 · 单元格 · 状态) ends left of
// the detail pane, even for the longest message and after the window shrank from 1920 wide
// (a maximised window restored); 说明 is truncated and its full text is in the tooltip.
#[test]
fn findings_columns_stay_inside_their_panel_at_1366() {
    let (mut h, _dir) = opened_at(1920.0, 1080.0, &[seed_with_longest_finding()]);
    h.set_size(egui::vec2(1366.0, 768.0));
    h.run();
    let report = h.state().current_report().expect("open");
    let messages: Vec<String> = report
        .findings()
        .iter()
        .map(|f| f.message.clone())
        .collect();
    assert!(!messages.is_empty(), "the seed has findings");
    let longest = (0..messages.len())
        .max_by_key(|&i| messages[i].chars().count())
        .unwrap_or(0);
    h.get_by_label(&finding_row_name(Lang::Zh.t(), longest, &messages[longest]))
        .click();
    h.run();
    assert_eq!(h.state().selected_finding(), Some(longest));
    let detail_left = rect_of(&h, "备注").left();
    let panel_top = rect_of(&h, "▼ 收起问题列表").top();
    let state_label = "待处理";
    let states: Vec<egui::Rect> = h
        .query_all_by_value(state_label)
        .map(|n| n.rect())
        .filter(|r| r.top() > panel_top)
        .collect();
    assert!(!states.is_empty(), "the 状态 column shows {state_label}");
    for r in &states {
        assert!(
            r.right() <= detail_left,
            "a 状态 cell {r:?} reaches past the detail pane at x={detail_left}"
        );
    }
    for (i, m) in messages.iter().enumerate() {
        if let Some(node) = h.query_by_label(&finding_row_name(Lang::Zh.t(), i, m)) {
            let r = node.rect();
            assert!(
                r.right() <= detail_left,
                "finding {i}'s message {r:?} reaches past the detail pane at x={detail_left}"
            );
        }
    }
}

// At 1366×768 with two reports in the queue, the window opens on 表三 and all seven columns
// of its first rows lie inside the visible area: right of the source, left of the window's
// edge, below the jump buttons and above the findings panel.
#[test]
fn requests_table_fits_at_1366x768() {
    let (h, _dir) = opened_at(1366.0, 768.0, &[SEED, "001_02434a0845e90c92.txt"]);
    assert_eq!(h.state().reports().len(), 2);
    label_starting(&h, "报告队列");
    let top = rect_of(&h, "跳到表三").bottom();
    let left = rect_of(&h, "跳到表二").left();
    let bottom = rect_of(&h, "▼ 收起问题列表").top();
    for row in 0..2 {
        for col in 0..7 {
            let k = CellKey::requests(row, col);
            let r = rect_of(&h, &k.accessible_name());
            assert!(
                r.left() >= left && r.right() <= 1366.0 - 8.0,
                "{k}: {r:?} is cut off at the sides (visible from x={left} to 1358)"
            );
            assert!(
                r.top() >= top && r.bottom() <= bottom,
                "{k}: {r:?} is not in view (visible from y={top} to {bottom})"
            );
        }
    }
}

// The 表二 / 表三 / 表四 buttons scroll their table's first cells into view; F9 hides and shows
// the queue; the findings panel folds to a one-line bar and unfolds again.
#[test]
fn jump_buttons_queue_key_and_folding_findings() {
    let (mut h, _dir) = opened_at(1366.0, 768.0, &[SEED, "001_02434a0845e90c92.txt"]);
    // A table scrolled wholly out of view is not drawn, so its cells are not in the tree.
    let visible = |h: &Harness<'_, ReviewApp>, k: CellKey| {
        let top = rect_of(h, "跳到表三").bottom();
        h.query_by_label(&k.accessible_name())
            .is_some_and(|n| n.rect().top() >= top && n.rect().bottom() <= 768.0)
    };
    let first_active = CellKey::active(0, 0);
    let first_appeal = CellKey::appeals(0, 0);
    h.get_by_label("跳到表四").click();
    h.run();
    assert!(visible(&h, first_appeal), "表四 is shown after 跳到表四");
    h.get_by_label("跳到表二").click();
    h.run();
    assert!(visible(&h, first_active), "表二 is shown after 跳到表二");
    assert!(!visible(&h, first_appeal), "表四 scrolled away");
    h.key_press(Key::F9);
    h.run();
    assert!(
        h.query_all_by(|n| n.value().is_some_and(|v| v.starts_with("报告队列")))
            .next()
            .is_none(),
        "F9 hides the queue"
    );
    assert!(!h.state().settings().show_queue);
    h.key_press(Key::F9);
    h.run();
    label_starting(&h, "报告队列");
    let unfolded = rect_of(&h, "跳到表三").top();
    h.get_by_label("▼ 收起问题列表").click();
    h.run();
    assert!(h.state().settings().findings_folded);
    let bar = rect_of(&h, "▲ 展开问题列表");
    assert!(
        bar.top() > 768.0 - 80.0,
        "the folded bar {bar:?} is one line at the bottom"
    );
    assert_eq!(rect_of(&h, "跳到表三").top(), unfolded);
    label_starting(&h, "问题：错误");
    h.get_by_label("▲ 展开问题列表").click();
    h.run();
    assert!(!h.state().settings().findings_folded);
    rect_of(&h, "▼ 收起问题列表");
}

/// The raw text shown in cell `k` of the current report ("" when blank).
fn raw(h: &Harness<'_, ReviewApp>, k: CellKey) -> String {
    h.state()
        .current_report()
        .expect("open")
        .cell(k)
        .raw
        .as_deref()
        .unwrap_or_default()
        .to_owned()
}

// Shift+→ twice selects three cells of a row; Ctrl+C puts them on the clipboard as
// tab-separated text, as Excel does.
#[test]
fn copy_a_range_as_tab_separated_text() {
    let (mut h, _dir) = opened(SEED);
    let first = key("requests.new.natural_person");
    h.get_by_label(&first.accessible_name()).click();
    h.run();
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    h.run();
    let row: Vec<CellKey> = (0..3).map(|c| CellKey::requests(0, c)).collect();
    assert_eq!(
        h.state().selected_range(),
        vec![row.iter().copied().map(Some).collect::<Vec<_>>()],
        "shift+arrows select a range"
    );
    h.event(egui::Event::Copy);
    h.step();
    let expected = row
        .iter()
        .map(|k| raw(&h, *k))
        .collect::<Vec<_>>()
        .join("\t");
    let copied: Vec<String> = h
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(copied, vec![expected], "the clipboard gets the row as TSV");
}

// Ctrl+V of a row copied from a spreadsheet (three tab-separated values) fills three cells
// from the selected one, each an ordinary correction: three undo steps, checks re-run; a word
// in the block is refused with a reason and changes nothing.
#[test]
fn paste_a_row_makes_undoable_corrections() {
    let (mut h, _dir) = opened(SEED);
    let cells: Vec<CellKey> = (0..4).map(|c| CellKey::requests(2, c)).collect();
    let before: Vec<String> = cells.iter().map(|k| raw(&h, *k)).collect();
    h.get_by_label(&cells[0].accessible_name()).click();
    h.run();
    h.event(egui::Event::Paste("71\t72\t73\r\n".to_owned()));
    h.run();
    for (k, v) in cells.iter().zip(["71", "72", "73"]) {
        assert_eq!(raw(&h, *k), v, "{k}: pasted");
        assert!(
            h.state()
                .current_report()
                .expect("open")
                .session
                .is_corrected(*k)
        );
    }
    assert_eq!(
        raw(&h, cells[3]),
        before[3],
        "{}: beyond the block",
        cells[3]
    );
    assert_eq!(status_count(&h, "已修改"), 3);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        raw(&h, cells[2]),
        before[2],
        "one undo takes back the last cell only"
    );
    assert_eq!(raw(&h, cells[1]), "72");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    for (k, b) in cells.iter().zip(&before) {
        assert_eq!(&raw(&h, *k), b, "{k}: undone");
    }
    h.get_by_label(&cells[0].accessible_name()).click();
    h.run();
    h.event(egui::Event::Paste("5\t五件".to_owned()));
    h.run();
    assert_eq!(raw(&h, cells[0]), "5");
    assert_eq!(
        raw(&h, cells[1]),
        before[1],
        "{}: a word is refused",
        cells[1]
    );
    let status = h.state().status().cloned().expect("a status");
    assert!(
        status.error && status.text.contains("不是数字"),
        "the refusal is explained: {status:?}"
    );
}

// Delete marks the selected cell blank, as an undoable correction.
#[test]
fn delete_marks_blank() {
    let (mut h, _dir) = opened(SEED);
    let k = key("requests.new.total");
    assert!(!raw(&h, k).is_empty(), "{k} has a value in the seed");
    h.get_by_label(&k.accessible_name()).click();
    h.run();
    h.key_press(Key::Delete);
    h.run();
    let report = h.state().current_report().expect("open");
    assert_eq!(report.cell(k).raw, None, "{k}: blank");
    assert_eq!(
        report.session.current_edit(k).map(|e| e.value),
        Some(nianbao::review::CorrectionValue::Blank)
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(!raw(&h, k).is_empty(), "{k}: undone");
}

// Reopening a report with a saved review says what was restored: 已恢复 1 处修改、1 条判断.
#[test]
fn reopening_says_what_was_restored() {
    let (mut h, dir) = opened(SEED);
    let path = dir.path().join(SEED);
    type_into(&mut h, key("requests.new.natural_person"), "4");
    let i = finding_index(&h, "value.blank");
    let message = h.state().current_report().expect("open").findings()[i]
        .message
        .clone();
    h.get_by_label(&finding_row_name(Lang::Zh.t(), i, &message))
        .click();
    h.run();
    h.get_by_label("排除（不是问题）").click();
    h.run();
    drop(h);
    let mut again = harness(
        ScriptedDialogs::new().then_reports(vec![path.clone()]),
        dir.path(),
    );
    again.key_press_modifiers(Modifiers::COMMAND, Key::O);
    again.run();
    label_starting(&again, "已恢复 1 处修改、1 条判断");
}

// Each queue entry shows the file name under agency and year and a coloured status badge;
// Ctrl+Enter marks the report 已审, after asking when errors are still open.
#[test]
fn queue_badges_and_marking_reviewed() {
    let (mut h, _dir) = opened_at(1600.0, 1200.0, &[SEED, "001_02434a0845e90c92.txt"]);
    for r in h.state().reports() {
        let file = r.name.clone();
        assert!(
            h.query_all_by(|n| n
                .label()
                .is_some_and(|l| l.contains(&format!("\n{file}\n"))))
                .next()
                .is_some(),
            "the queue names {file}"
        );
    }
    let errors = |h: &Harness<'_, ReviewApp>| {
        let r = h.state().current_report().expect("open");
        (0..r.findings().len())
            .filter(|&j| {
                r.findings()[j].severity == nianbao::check::Severity::Error
                    && r.finding_state(j) == nianbao::app::FindingState::Open
            })
            .count()
    };
    if errors(&h) == 0 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
        h.run();
    }
    let open = errors(&h);
    assert!(open > 0, "one of the two seeds has an open error");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    label_starting(&h, "这份报告还有未确认也未排除的错误");
    h.get_by_label("取消").click();
    h.run();
    assert_ne!(
        h.state().current_report().map(|r| r.queue_status()),
        Some(nianbao::app::QueueStatus::Reviewed),
        "cancel leaves it unreviewed"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    h.get_by_label("仍然标为已审").click();
    h.run();
    assert_eq!(
        h.state().current_report().map(|r| r.queue_status()),
        Some(nianbao::app::QueueStatus::Reviewed)
    );
    assert!(
        h.query_all_by(|n| n.label().is_some_and(|l| l.contains("\n已审 · ")))
            .next()
            .is_some(),
        "the badge says 已审"
    );
}

// Zoom (Ctrl+= / Ctrl+-) is in 帮助 → 快捷键, acts through the shortcut table and is kept in
// the settings that are remembered between runs.
#[test]
fn zoom_is_listed_and_remembered() {
    let (mut h, _dir) = opened(SEED);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
    h.run();
    assert!(
        (h.state().settings().zoom - 1.1).abs() < 1e-6,
        "Ctrl+= zooms in"
    );
    assert!((h.ctx.zoom_factor() - 1.1).abs() < 1e-6);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    h.run();
    assert!(
        (h.state().settings().zoom - 0.9).abs() < 1e-6,
        "Ctrl+- zooms out"
    );
    h.get_by_label("帮助").click();
    h.run();
    h.get_by_label("快捷键").click();
    h.run();
    label_starting(&h, "放大");
    label_starting(&h, "缩小");
    let json = serde_json::to_string(h.state().settings()).expect("serialisable");
    assert!(json.contains("\"zoom\":0.9"), "{json}");
}

// Cell keys and rule ids are hidden until 查看 → 显示内部名称.
#[test]
fn internal_names_only_on_request() {
    let (mut h, _dir) = opened(SEED);
    let k = key("requests.new.total");
    h.get_by_label(&k.accessible_name()).click();
    h.run();
    let shows_key = |h: &Harness<'_, ReviewApp>| {
        h.query_all_by(|n| n.value().is_some_and(|v| v == k.name()))
            .next()
            .is_some()
    };
    assert!(!shows_key(&h), "no key in the formula bar by default");
    h.get_by_label("查看").click();
    h.run();
    h.get_by_label("显示内部名称").click();
    h.run();
    assert!(h.state().settings().show_internal);
    assert!(shows_key(&h), "the key is shown on request");
}

// A status message goes away by itself after some seconds.
#[test]
fn status_messages_expire() {
    let dir = TempDir::new().expect("a temporary folder");
    let path = seed_in(dir.path(), SEED);
    let app = app_opening(vec![path], dir.path());
    let mut h = Harness::builder()
        .with_size([1600.0, 1900.0])
        .with_step_dt(0.5)
        .with_context_setup(fonts::install_bundled)
        .build_ui_state(show_settled, app);
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.step();
    let k = key("requests.new.total");
    h.get_by_label(&k.accessible_name()).click();
    h.step();
    h.key_press(Key::Delete);
    h.step();
    assert!(h.state().status().is_some(), "the change is reported");
    for _ in 0..30 {
        h.step();
    }
    assert!(h.state().status().is_none(), "and the report expires");
}

// Export with two reports open asks 当前报告 / 全部 2 份; the save dialog starts in the report's
// folder with the suggested name (typed-path fallback prefilled with that full path); a bare
// typed name lands beside the report, not in the working folder; the status bar gives the
// full path and offers 打开所在文件夹.
#[test]
fn export_defaults_to_the_reports_folder() {
    let dir = TempDir::new().expect("a temporary folder");
    let folder = std::fs::canonicalize(dir.path()).expect("a real folder");
    let dialogs = ScriptedDialogs::new().then_reports(vec![
        seed_in(dir.path(), SEED),
        seed_in(dir.path(), "001_02434a0845e90c92.txt"),
    ]);
    let log = dialogs.log();
    let mut h = harness(dialogs, dir.path());
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run();
    label_starting(&h, "导出哪些报告");
    h.get_by_label("当前报告").click();
    h.run();
    assert!(
        log.lock()
            .map(|l| l.contains(&DialogRequest::ExportFolder(folder.clone())))
            .unwrap_or(false),
        "the save dialog starts in the report's folder: {log:?}"
    );
    let typed = h
        .get_by_label("路径")
        .value()
        .expect("the typed path is prefilled");
    assert!(
        typed.starts_with(&folder.display().to_string()) && typed.ends_with("_审校.xlsx"),
        "prefilled with the folder and the suggested name: {typed}"
    );
    h.get_by_label("确定").click();
    let started = std::time::Instant::now();
    h.step();
    while h.state().is_exporting() && started.elapsed().as_secs() < 30 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run();
    let status = h.state().status().cloned().expect("a message");
    assert_eq!(
        status.text,
        format!("已导出 1 份报告：{typed}"),
        "one report, full path"
    );
    assert!(std::path::Path::new(&typed).exists(), "{typed} written");
    h.get_by_label("打开所在文件夹");

    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run();
    h.get_by_label("全部 2 份").click();
    h.run();
    h.get_by_label("路径").focus();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("路径").type_text("全部");
    h.run();
    h.get_by_label("确定").click();
    h.step();
    let started = std::time::Instant::now();
    while h.state().is_exporting() && started.elapsed().as_secs() < 30 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run();
    let written = folder.join("全部.xlsx");
    let status = h.state().status().cloned().expect("a message");
    assert_eq!(
        status.text,
        format!("已导出 2 份报告：{}", written.display())
    );
    assert!(written.exists(), "a bare name is written beside the report");
}

// 文件 → 打开文件夹 asks the folder dialog and opens every report in the chosen folder.
#[test]
fn open_folder_from_the_menu() {
    let dir = TempDir::new().expect("a temporary folder");
    let folder = dir.path().join("reports");
    std::fs::create_dir(&folder).expect("a folder for the reports");
    seed_in(&folder, SEED);
    seed_in(&folder, "001_02434a0845e90c92.txt");
    let dialogs = ScriptedDialogs::new().then_folder(folder.clone());
    let log = dialogs.log();
    let mut h = harness(dialogs, dir.path());
    h.get_by_label("文件").click();
    h.run();
    h.get_by_label("打开文件夹…").click();
    h.run();
    assert_eq!(
        log.lock().map(|l| l.clone()).unwrap_or_default(),
        vec![DialogRequest::Folder]
    );
    let mut names: Vec<String> = h.state().reports().iter().map(|r| r.name.clone()).collect();
    names.sort();
    assert_eq!(
        names,
        vec![SEED.to_owned(), "001_02434a0845e90c92.txt".to_owned()]
    );
}

// 恢复原值 puts the extracted value back as an undoable correction: the cell is no longer
// counted as corrected, and Ctrl+Z brings the typed value back.
#[test]
fn restore_the_original_value() {
    let (mut h, _dir) = opened(SEED);
    let k = key("requests.new.natural_person");
    let original = raw(&h, k);
    type_into(&mut h, k, "41");
    assert_eq!(raw(&h, k), "41");
    assert_eq!(status_count(&h, "已修改"), 1);
    h.key_press(Key::ArrowUp);
    h.run();
    assert_eq!(h.state().selected_cell(), Some(k));
    h.get_by_label("恢复原值").click();
    h.run();
    assert_eq!(raw(&h, k), original, "{k}: the extracted value is back");
    assert_eq!(
        status_count(&h, "已修改"),
        0,
        "{k} no longer counts as corrected"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(raw(&h, k), "41", "{k}: undo brings the correction back");
}

// With the cell's editor open (F2), clicking 恢复原值 in the formula bar restores the value:
// the editor's own commit on losing focus, reported later in the frame, no longer re-applies
// the typed text over it.
#[test]
fn restore_while_editing() {
    let (mut h, _dir) = opened(SEED);
    let k = key("requests.new.natural_person");
    let original = raw(&h, k);
    type_into(&mut h, k, "41");
    h.key_press(Key::ArrowUp);
    h.run();
    h.key_press(Key::F2);
    h.run();
    assert_eq!(
        h.state().editor().map(|e| e.key),
        Some(k),
        "F2 opens the editor"
    );
    h.get_by_label("恢复原值").click();
    h.run();
    assert!(h.state().editor().is_none(), "the editor closes");
    assert_eq!(
        raw(&h, k),
        original,
        "{k}: restored, not overwritten by the editor's text"
    );
}

/// Selects finding `i` by clicking its row in the list.
fn click_finding(h: &mut Harness<'static, ReviewApp>, i: usize) {
    let message = h.state().current_report().expect("open").findings()[i]
        .message
        .clone();
    h.get_by_label(&finding_row_name(Lang::Zh.t(), i, &message))
        .click();
    h.run();
    assert_eq!(h.state().selected_finding(), Some(i));
}

// Seed 000's blank 行政许可: 按 0 处理 fills it with 0 as the reviewer's decision (noted in the
// audit trail), the finding goes, and one undo brings the blank back.
#[test]
fn blank_finding_filled_with_zero_in_one_step() {
    let (mut h, _dir) = opened(SEED);
    let k = key("active.licensing.decisions");
    let i = finding_index(&h, "value.blank");
    click_finding(&mut h, i);
    h.get_by_label("按 0 处理").click();
    h.run();
    let report = h.state().current_report().expect("open");
    assert_eq!(report.cell(k).value, Some(0.0));
    assert!(report.findings().iter().all(|f| f.rule != "value.blank"));
    let trail = report.session.audit_trail();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].note.as_deref(), Some("按 0 处理"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let report = h.state().current_report().expect("open");
    assert_eq!(report.cell(k).value, None, "undo gives the blank back");
    assert!(report.findings().iter().any(|f| f.rule == "value.blank"));
}

// A copy of seed 002 with 予以公开 自然人 mistyped 51 for 48: one finding names the cell and
// suggests 48; 按建议修改 puts 48 back as an ordinary correction noted 按建议修改, every relation
// holds again, and undo restores 51.
#[test]
fn suggested_fix_applied_and_undone() {
    let dir = TempDir::new().expect("a temporary folder");
    let name = "002_fb4184b46a4aab68.txt";
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/seeds")
            .join(name),
    )
    .expect("seed");
    let altered = text.replacen("予以公开\t48\t", "予以公开\t51\t", 1);
    assert_ne!(altered, text);
    let path = dir.path().join(name);
    std::fs::write(&path, altered).expect("write");
    let mut h = harness(ScriptedDialogs::new().then_reports(vec![path]), dir.path());
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    let k = key("requests.granted.natural_person");
    let i = finding_index(&h, "value.suspect");
    {
        let f = &h.state().current_report().expect("open").findings()[i];
        assert_eq!(f.keys, vec![k]);
        assert_eq!(f.severity, nianbao::check::Severity::Error);
    }
    click_finding(&mut h, i);
    h.get_by_label("按建议修改：「予以公开 自然人」由 51 改为 48（2 个等式随之成立）")
        .click();
    h.run();
    let report = h.state().current_report().expect("open");
    assert_eq!(report.cell(k).value, Some(48.0));
    assert!(
        report.findings().is_empty(),
        "every relation holds: {:#?}",
        report.findings()
    );
    assert_eq!(
        report.session.audit_trail()[0].note.as_deref(),
        Some("按建议修改")
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let report = h.state().current_report().expect("open");
    assert_eq!(report.cell(k).value, Some(51.0));
}

// The findings search box narrows the list to findings whose text or cells contain the words:
// on seed 001, 统计期限 leaves only the garbled period.
#[test]
fn findings_search_narrows_the_list() {
    let (mut h, _dir) = opened("001_02434a0845e90c92.txt");
    let all = h.state().current_report().expect("open").findings().len();
    assert!(all >= 3, "{all}");
    let rows = |h: &Harness<'static, ReviewApp>| {
        h.query_all_by(|n| n.label().is_some_and(|l| l.starts_with("问题 ")))
            .count()
    };
    assert_eq!(rows(&h), all);
    h.get_by_label("筛选问题（说明或栏目）").click();
    h.run();
    h.get_by_label("筛选问题（说明或栏目）")
        .type_text("统计期限");
    h.run();
    assert_eq!(rows(&h), 1);
}

// One verdict for a group: with a 表三 finding selected, 全部排除 dismisses every open finding
// of 表三 at once and leaves the other groups open.
#[test]
fn group_verdict_dismisses_a_table_at_once() {
    let (mut h, _dir) = opened("001_02434a0845e90c92.txt");
    let report = h.state().current_report().expect("open");
    let table3: Vec<usize> = (0..report.findings().len())
        .filter(|&i| {
            report.findings()[i]
                .keys
                .first()
                .is_some_and(|k| k.table() == nianbao::model::TableId::Requests)
        })
        .collect();
    let others = report.findings().len() - table3.len();
    assert!(table3.len() >= 2 && others >= 1, "{:#?}", report.findings());
    click_finding(&mut h, table3[0]);
    label_starting(&h, &format!("表三 待处理 {}", table3.len()));
    h.get_by_label("全部排除").click();
    h.run();
    let report = h.state().current_report().expect("open");
    for i in 0..report.findings().len() {
        let want = if table3.contains(&i) {
            nianbao::app::FindingState::Dismissed
        } else {
            nianbao::app::FindingState::Open
        };
        assert_eq!(report.finding_state(i), want, "finding {i}");
    }
}

// A blank run colours only its own cells: the five 法人或其他组织 columns left empty in every
// row are filled as one warning, while the 自然人 and 总计 cells of the relations they leave
// unchecked stay uncoloured; 按 0 处理 then clears every colour.
#[test]
fn blank_run_colours_only_its_cells() {
    let dir = TempDir::new().expect("a temporary folder");
    let path = dir.path().join("blank_legal.txt");
    std::fs::write(&path, crate::check::seed_002_without_legal_columns()).expect("write");
    let mut h = harness(ScriptedDialogs::new().then_reports(vec![path]), dir.path());
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    let report = h.state().current_report().expect("open");
    let run = finding_index(&h, "value.blank_run");
    let run_keys = report.findings()[run].keys.clone();
    assert_eq!(run_keys.len(), 125);
    for k in CellKey::all().filter(|k| k.table() == nianbao::model::TableId::Requests) {
        let expected = run_keys
            .contains(&k)
            .then_some(nianbao::check::Severity::Warning);
        assert_eq!(report.flag(k), expected, "{k}");
    }
    click_finding(&mut h, run);
    h.get_by_label("按 0 处理").click();
    h.run();
    let report = h.state().current_report().expect("open");
    assert!(
        CellKey::all().all(|k| report.flag(k).is_none()),
        "{:?}",
        report.findings()
    );
}

/// A window with two years of one body open through 文件 → 打开: the seed as 2024 (its body
/// printed with full-width brackets) and a 2025 copy (ASCII brackets) whose 表三 上年结转
/// 自然人 is 3, so that the carry-over from 2024 breaks and that cell changes.
fn two_years_open(dir: &Path) -> Harness<'static, ReviewApp> {
    two_years_open_at(dir, 1600.0, 1900.0)
}

/// [`two_years_open`] in a window of `w` × `h`.
fn two_years_open_at(dir: &Path, w: f32, h: f32) -> Harness<'static, ReviewApp> {
    two_years_open_renamed(dir, w, h, "(本级)")
}

/// Seed 000 as 2024 (agency 高青县行政审批服务局（本级）) and a 2025 copy whose 上年结转 自然人 is 3
/// and whose agency's `（本级）` is written `later_suffix`, both opened in a window of `w` × `h`.
fn two_years_open_renamed(
    dir: &Path,
    w: f32,
    h: f32,
    later_suffix: &str,
) -> Harness<'static, ReviewApp> {
    let earlier = seed_in(dir, SEED);
    let text = std::fs::read_to_string(&earlier).expect("seed");
    let text = text.replacen("高青县行政审批服务局", "高青县行政审批服务局（本级）", 1);
    std::fs::write(&earlier, &text).expect("write");
    let e = nianbao::extract::extract(&nianbao::model::SourceText::from_utf8(text.clone()));
    let span = e
        .cell(key("requests.carried_over.natural_person"))
        .span
        .expect("a span");
    let mut later = text.clone();
    later.replace_range(span.start..span.end, "3");
    let later = later
        .replace("2024", "2025")
        .replacen("（本级）", later_suffix, 1);
    let later_path = dir.join("2025.txt");
    std::fs::write(&later_path, later).expect("write");
    let mut h = harness_at(
        ScriptedDialogs::new().then_reports(vec![earlier, later_path]),
        dir,
        w,
        h,
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    let started = std::time::Instant::now();
    while h.state().is_loading() && started.elapsed().as_secs() < 30 {
        h.run();
    }
    h.run();
    h
}

// A body's name written with full-width brackets in one year and ASCII ones in the next is the
// same body (the core's normaliser):
// the cross-year finding shown on opening stays after a correction re-runs the checks.
#[test]
fn cross_year_finding_survives_a_correction() {
    let dir = TempDir::new().expect("a temporary folder");
    let mut h = two_years_open(dir.path());
    let carried = |h: &Harness<'static, ReviewApp>| {
        h.state()
            .reports()
            .iter()
            .find(|r| r.year() == Some(2025))
            .map(|r| {
                r.findings()
                    .iter()
                    .filter(|f| f.rule == "years.carried_over")
                    .count()
            })
            .unwrap_or(0)
    };
    let agencies: Vec<Option<&str>> = h.state().reports().iter().map(|r| r.agency()).collect();
    assert_ne!(agencies[0], agencies[1], "the names differ as printed");
    assert_eq!(carried(&h), 1, "on opening");
    let i = h
        .state()
        .reports()
        .iter()
        .position(|r| r.year() == Some(2025))
        .expect("2025 open");
    if h.state().current_report().and_then(|r| r.year()) != Some(2025) {
        let ctx = h.ctx.clone();
        h.state_mut()
            .handle(&ctx, nianbao::app::UiIntent::ShowReport(i));
        h.run();
    }
    type_into(&mut h, key("appeals.review.upheld"), "0");
    type_into(&mut h, key("active.fees.amount"), "1");
    assert_eq!(carried(&h), 1, "after a correction");
}

// 查看 → 历年对照 (Ctrl+H) with a 2024 and a 2025 report of one body open: a column per year,
// and with 只看变化 on the changed cell (表三 上年结转 自然人) is listed while an unchanged one is
// not; clicking the changed row selects that cell in the current report.
#[test]
fn years_side_by_side_lists_the_changed_cell() {
    let dir = TempDir::new().expect("a temporary folder");
    let mut h = two_years_open(dir.path());
    let changed = key("requests.carried_over.natural_person");
    let unchanged = key("active.regulations.issued");
    let zh = nianbao::app::Lang::Zh.t();
    let row = |k: CellKey| nianbao::app::years_row_name(k, zh);
    assert!(
        h.query_by_label("2024年").is_none(),
        "no year columns before the toggle"
    );
    assert!(h.query_by_label(&row(changed)).is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::H);
    h.run();
    assert!(h.state().years_view().open, "Ctrl+H shows the view");
    h.get_by_label("2024年");
    h.get_by_label("2025年");
    assert!(
        h.state().years_view().only_changed,
        "只看变化 is on by default"
    );
    h.get_by_label(&row(changed));
    assert!(
        h.query_by_label(&row(unchanged)).is_none(),
        "{}: unchanged, yet listed with 只看变化 on",
        unchanged.name()
    );
    h.get_by_label(&row(changed)).click();
    h.run();
    assert_eq!(h.state().selected_cell(), Some(changed));
    // The broken carry-over selects its cell in the report shown: 结转下年度 in 2024, 上年结转
    // in 2025.
    h.get_by(|n| {
        n.label()
            .is_some_and(|l| l.starts_with("2024年 → 2025年　表三「自然人」列"))
    })
    .click();
    h.run();
    let expected = match h.state().current_report().and_then(|r| r.year()) {
        Some(2024) => key("requests.carry_forward.natural_person"),
        _ => changed,
    };
    assert_eq!(h.state().selected_cell(), Some(expected));
    h.get_by_label("只看变化").click();
    h.run();
    assert!(!h.state().years_view().only_changed);
    h.get_by_label(&row(unchanged));
}

// With one year of a body open, 历年对照 says so and how to open another year, instead of an
// empty table.
#[test]
fn years_side_by_side_without_another_year_says_how_to_open_one() {
    let (mut h, _dir) = opened(SEED);
    h.key_press_modifiers(Modifiers::COMMAND, Key::H);
    h.run();
    h.get_by_label(nianbao::app::Lang::Zh.t().years_none);
    assert!(h.query_by_label("2024年").is_none(), "no year columns");
}

// At 1366×768 the 历年对照 window, its year headings and its rows lie inside the screen.
#[test]
fn years_side_by_side_fits_at_1366x768() {
    let dir = TempDir::new().expect("a temporary folder");
    let mut h = two_years_open_at(dir.path(), 1366.0, 768.0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::H);
    h.run();
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1366.0, 768.0));
    let row = nianbao::app::years_row_name(
        key("requests.carried_over.natural_person"),
        nianbao::app::Lang::Zh.t(),
    );
    for name in ["2024年", "2025年", "只看变化", row.as_str()] {
        let rect = rect_of(&h, name);
        assert!(
            screen.contains_rect(rect),
            "{name}: {rect:?} outside {screen:?}"
        );
    }
}

// A body whose name differs between two years is linked by hand (查看 → 与其他报告视为同一机关):
// before, the 2025 report has no cross-year finding; after, its broken carry-over is found.
#[test]
fn linking_two_bodies_by_hand_checks_them_across_years() {
    let dir = TempDir::new().expect("a temporary folder");
    let mut h = two_years_open_renamed(dir.path(), 1600.0, 1900.0, "（本部）");
    let carried = |h: &Harness<'static, ReviewApp>| {
        h.state()
            .reports()
            .iter()
            .filter(|r| r.year() == Some(2025))
            .flat_map(|r| r.findings())
            .any(|f| f.rule == "years.carried_over")
    };
    assert_eq!(h.state().reports().len(), 2);
    assert!(!carried(&h), "two bodies by name: no cross-year check yet");
    let other = h
        .state()
        .reports()
        .iter()
        .find(|r| Some(r.name.as_str()) != h.state().current_report().map(|c| c.name.as_str()))
        .map(|r| {
            format!(
                "{} {} · {}",
                r.agency().unwrap_or(""),
                r.year().unwrap_or(0),
                r.name
            )
        })
        .expect("another report");
    h.get_by_label("查看").click();
    h.run();
    h.get_by_label("与其他报告视为同一机关").click();
    h.run();
    h.get_by_label(&other).click();
    h.run();
    assert!(
        carried(&h),
        "linked: the carry-over is checked across the years; status {:?}",
        h.state().status()
    );
}

// 文件 → 生成审核意见… asks for a folder (starting in the report's), writes the current
// report's notice there off the UI thread, and the status bar says so.
#[test]
fn notice_from_the_window() {
    let dir = TempDir::new().expect("a temporary folder");
    let report = seed_in(dir.path(), SEED);
    let out = dir.path().join("审核意见");
    let dialogs = ScriptedDialogs::new()
        .then_reports(vec![report.clone()])
        .then_notice_folder(out.clone());
    let log = dialogs.log();
    let mut h = harness(dialogs, dir.path());
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    h.get_by_label("文件").click();
    h.run();
    h.get_by_label("生成审核意见…").click();
    for _ in 0..3 {
        h.step();
    }
    let started = std::time::Instant::now();
    while h.state().is_exporting() && started.elapsed().as_secs() < 30 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run();
    let folder = std::fs::canonicalize(report.parent().expect("a folder")).expect("exists");
    assert!(
        log.lock()
            .map(|l| l.contains(&DialogRequest::NoticeFolder(Some(folder.clone()))))
            .unwrap_or(false),
        "the folder dialog starts in the report's folder"
    );
    let status = h.state().status().expect("a message");
    assert!(!status.error, "{}", status.text);
    assert!(
        status.text.starts_with("已生成审核意见：1"),
        "{}",
        status.text
    );
    let stem = SEED.trim_end_matches(".txt");
    let text = std::fs::read_to_string(out.join(format!("{stem}_审核意见.txt"))).expect("txt");
    assert!(
        text.contains("关于《高青县行政审批服务局2024年政府信息公开工作年度报告》的审核意见"),
        "{text}"
    );
    assert!(text.contains("未发现"), "nothing confirmed: {text}");
    assert!(out.join(format!("{stem}_审核意见.docx")).is_file());
}

// The queue draws the core's status: a report whose errors and warnings are all dismissed but
// whose info findings are still unjudged is 未审 with nothing open (info findings are remarks,
// not problems), while its findings list still shows them open.
#[test]
fn info_findings_leave_a_report_unreviewed_in_the_queue() {
    let seed = [
        "000_073f686d539d8498.txt",
        "001_02434a0845e90c92.txt",
        "002_fb4184b46a4aab68.txt",
        "003_e00c555d78a674aa.txt",
        "004_e42161fe7aa08ef3.txt",
    ]
    .into_iter()
    .find(|s| {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/seeds")
                .join(s),
        )
        .expect("seed");
        let source = nianbao::model::SourceText::from_utf8(text);
        let e = nianbao::extract::extract(&source);
        nianbao::check::run_checks(&e, &source, &[])
            .iter()
            .any(|f| f.severity == nianbao::check::Severity::Info)
    })
    .expect("a seed with an info finding");
    let other = if seed == SEED {
        "001_02434a0845e90c92.txt"
    } else {
        SEED
    };
    let (mut h, _dir) = opened_at(1600.0, 1200.0, &[seed, other]);
    assert_eq!(
        h.state().current_report().map(|r| r.name.as_str()),
        Some(seed)
    );
    let report = h.state().current_report().expect("open");
    let serious: Vec<usize> = (0..report.findings().len())
        .filter(|&j| report.findings()[j].severity != nianbao::check::Severity::Info)
        .collect();
    let infos = report.findings().len() - serious.len();
    assert!(infos > 0, "{seed} has an info finding");
    let ctx = h.ctx.clone();
    h.state_mut().handle(
        &ctx,
        nianbao::app::UiIntent::SetVerdicts {
            findings: serious,
            state: nianbao::review::VerdictState::Dismissed,
        },
    );
    h.run();
    let report = h.state().current_report().expect("open");
    assert_eq!(report.queue_status(), nianbao::app::QueueStatus::Unreviewed);
    assert_eq!(report.queue_entry().open_findings, 0);
    assert_eq!(
        report.counts().open,
        infos,
        "the findings list keeps them open"
    );
    assert!(
        h.query_all_by(|n| n
            .label()
            .is_some_and(|l| l.contains(&format!("\n{seed}\n未审 · 待处理错误/警告 0"))))
            .next()
            .is_some(),
        "the queue shows {seed} as 未审 with nothing open"
    );
}

/// Steps frame by frame until the window has started reading what the dialog chose. The
/// dialog answers on a frame of its own, and the loader's results are taken only at the start
/// of a later frame, so the frame that starts the reading always ends with it in flight (`run`
/// steps until idle, by which time a fast loader may be done).
fn step_until_loading(h: &mut Harness<'static, ReviewApp>) {
    for _ in 0..400 {
        h.step();
        if h.state().is_loading() {
            return;
        }
        assert!(
            h.state().reports().is_empty(),
            "a report opened without going through the background loader"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("the window never started reading the chosen files");
}

/// A window drawn with plain `show`: its background work (opening, saving) is not waited for
/// after each frame, so a test sees it in flight.
/// The names of the open reports, in the window's order.
fn report_names(h: &Harness<'static, ReviewApp>) -> Vec<String> {
    h.state().reports().iter().map(|r| r.name.clone()).collect()
}

fn unsettled(app: ReviewApp) -> Harness<'static, ReviewApp> {
    Harness::builder()
        .with_size([1600.0, 1900.0])
        .with_step_dt(1.0 / 60.0)
        .with_context_setup(fonts::install_bundled)
        .build_ui_state(|ui, app: &mut ReviewApp| app.show(ui), app)
}

/// A window drawn with plain `show` (its workers are not waited for), saving through `worker`,
/// with a copy of the seed opened. The folder lives as long as the returned guard.
fn opened_with_worker(worker: SaveWorker) -> (Harness<'static, ReviewApp>, TempDir, PathBuf) {
    let dir = TempDir::new().expect("a temporary folder");
    let path = seed_in(dir.path(), SEED);
    let app =
        app_opening(vec![path.clone()], dir.path()).with_autosaver(Autosaver::with_worker(worker));
    let mut h = unsettled(app);
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    h.state_mut().wait_for_background();
    h.run();
    (h, dir, path)
}

// After a commit the status bar says 保存中… while the (slow) saver works, the commit is
// already in the journal, and 已保存 once the review file is written; the journal is then gone.
#[test]
fn save_state_saving_then_saved() {
    let (open, gate) = std::sync::mpsc::sync_channel::<()>(0);
    let gate = std::sync::Mutex::new(gate);
    let worker = SaveWorker::with_saver(Box::new(move |job: &SaveJob| {
        let _ = gate.lock().map(|g| g.recv());
        nianbao::review::store::save_review_in(&job.review, &job.report, &job.dirs)
    }));
    let (mut h, _dir, path) = opened_with_worker(worker);
    assert_eq!(*h.state().save_state(), SaveState::Idle);
    let k = key("requests.granted.total");
    type_into(&mut h, k, "4321");
    assert_eq!(*h.state().save_state(), SaveState::Saving);
    label_starting(&h, "保存中…");
    let review = review_path_beside(&path);
    let journal = journal_path(&review);
    assert!(!review.exists(), "the saver has not written yet");
    assert!(journal.exists(), "the commit is journalled at once");
    open.send(()).expect("let the save go on");
    h.state_mut().flush_saves();
    h.run();
    assert_eq!(*h.state().save_state(), SaveState::Saved);
    label_starting(&h, "已保存");
    assert!(review.exists(), "written by the saver");
    assert!(!journal.exists(), "the journal is removed once saved");
}

// A failed save is shown with its cause and stays in the status bar (not only as a passing
// message) until a later save succeeds.
#[test]
fn save_failure_shown_with_cause() {
    let worker = SaveWorker::with_saver(Box::new(|job: &SaveJob| {
        Err(StoreError::Io {
            path: job.report.clone(),
            message: "设备上没有空间".to_owned(),
        })
    }));
    let (mut h, _dir, _path) = opened_with_worker(worker);
    type_into(&mut h, key("requests.granted.total"), "4321");
    h.state_mut().flush_saves();
    h.run();
    assert!(
        matches!(h.state().save_state(), SaveState::Failed(why) if why.contains("设备上没有空间")),
        "{:?}",
        h.state().save_state()
    );
    let shown = label_starting(&h, "保存失败");
    assert!(shown.contains("设备上没有空间"), "{shown}");
    assert!(h.state().status().is_some_and(|s| s.error));
}

// Opening a file through the dialog goes through the background loader: the frame that asks
// for it returns before the report is read, and the report is there once the loader is done.
#[test]
fn opening_files_runs_in_background() {
    let dir = TempDir::new().expect("a temporary folder");
    let path = seed_in(dir.path(), SEED);
    let app = app_opening(vec![path], dir.path());
    let mut h = unsettled(app);
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    step_until_loading(&mut h);
    assert!(
        h.state().reports().is_empty(),
        "not opened on the UI thread"
    );
    h.state_mut().wait_for_background();
    h.run();
    assert!(!h.state().is_loading());
    assert_eq!(h.state().reports().len(), 1);
    assert_eq!(
        h.state().current_report().map(|r| r.name.as_str()),
        Some(SEED)
    );
    assert!(
        h.state().status().is_none_or(|s| !s.text.contains("用时")),
        "a few files are not timed like a folder"
    );
}

// A single file asked for while a folder is still opening waits for the folder instead of
// stopping it: both end up open.
#[test]
fn few_files_wait_for_a_folder_being_opened() {
    let dir = TempDir::new().expect("a temporary folder");
    let folder = dir.path().join("年报");
    std::fs::create_dir(&folder).expect("folder");
    for n in 0..9 {
        std::fs::copy(
            seed_in(dir.path(), SEED),
            folder.join(format!("{n}_{SEED}")),
        )
        .expect("copy");
    }
    let single = seed_in(dir.path(), "001_02434a0845e90c92.txt");
    let app = app_opening(vec![folder], dir.path());
    let mut h = unsettled(app);
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    step_until_loading(&mut h);
    h.state_mut().open_paths(vec![single]);
    h.state_mut().wait_for_background();
    h.run();
    let names = report_names(&h);
    assert_eq!(names.len(), 10, "{names:?}");
    assert!(
        names.iter().any(|n| n == "001_02434a0845e90c92.txt"),
        "{names:?}"
    );
}

/// Names the report the child of [`commit_survives_kill`] opens.
const KILL_CHILD_VAR: &str = "NIANBAO_KILL_TEST_REPORT";

/// What the child prints once its commit has returned.
const KILL_CHILD_MARK: &str = "NIANBAO-KILL-TEST-COMMITTED";

// Not a test on its own (it returns at once): run by `commit_survives_kill` as a child process,
// it opens the report, commits an edit through the window's `handle`, says so and waits to be
// killed. Its saver never writes, as if the disk were stuck.
#[test]
fn autosave_kill_child() {
    let Some(report) = std::env::var_os(KILL_CHILD_VAR).map(PathBuf::from) else {
        return;
    };
    let worker = SaveWorker::with_saver(Box::new(|_: &SaveJob| {
        loop {
            std::thread::park();
        }
    }));
    let data = report.parent().expect("a folder").join("data");
    let mut app = ReviewApp::new(Box::new(ScriptedDialogs::new()), Settings::default())
        .with_store_dirs(StoreDirs::with_data_dir(data))
        .with_autosaver(Autosaver::with_worker(worker));
    app.open_paths(vec![report]);
    app.wait_for_background();
    let ctx = egui::Context::default();
    let k = key("requests.granted.total");
    app.handle(
        &ctx,
        UiIntent::BeginEdit {
            key: k,
            replace_with: Some("4321".to_owned()),
        },
    );
    app.handle(&ctx, UiIntent::CommitEditor(Move::Stay));
    let session = &app.current_report().expect("opened").session;
    assert_eq!(session.effective_value(k), Some(4321.0));
    println!("{KILL_CHILD_MARK}");
    std::io::Write::flush(&mut std::io::stdout()).expect("stdout");
    loop {
        std::thread::park();
    }
}

// A commit survives SIGKILL right after it, before the background saver wrote anything: the
// child (this test binary, running `autosave_kill_child`) is killed once it reports the
// commit, and opening the report afterwards restores the edit from the journal.
#[test]
fn commit_survives_kill() {
    use std::io::BufRead;
    let dir = TempDir::new().expect("a temporary folder");
    let report = seed_in(dir.path(), SEED);
    let mut child = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "app::autosave_kill_child",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(KILL_CHILD_VAR, &report)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the child");
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let seen = std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|line| line.contains(KILL_CHILD_MARK));
        let _ = tx.send(seen);
    });
    let reported = rx.recv_timeout(std::time::Duration::from_secs(120));
    child.kill().expect("SIGKILL the child");
    child.wait().expect("reaped");
    assert_eq!(reported, Ok(true), "the child committed");
    let review = review_path_beside(&report);
    assert!(!review.exists(), "the saver never wrote the review file");
    let dirs = StoreDirs::with_data_dir(dir.path().join("data"));
    let reopened = open_report_in(&report, &dirs).expect("the report opens");
    let k = key("requests.granted.total");
    assert_eq!(
        reopened.session.effective_value(k),
        Some(4321.0),
        "requests.granted.total: the killed commit is restored"
    );
    assert_eq!(reopened.restored_from, Some(journal_path(&review)));
}

// One file asked for by two paths in one open (`年报/a.txt` and `年报/子/../a.txt`) is opened
// once: two copies of one report would each save its review file over the other's corrections.
#[test]
fn one_file_by_two_paths_opens_once() {
    let dir = TempDir::new().expect("a temporary folder");
    let path = seed_in(dir.path(), SEED);
    std::fs::create_dir(dir.path().join("子")).expect("folder");
    let roundabout = dir.path().join("子").join("..").join(SEED);
    let app = app_opening(vec![path, roundabout], dir.path());
    let mut h = unsettled(app);
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    step_until_loading(&mut h);
    h.state_mut().wait_for_background();
    h.run();
    assert_eq!(report_names(&h), [SEED], "the same file was opened twice");
}
