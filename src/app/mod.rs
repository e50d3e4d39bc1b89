//! The review window (eframe/egui): the report's source text beside its three tables in the
//! official layout, the findings list, hand correction with undo and redo, verdicts, and the
//! report queue. The only module that knows egui, eframe and rfd; everything it changes goes
//! through `ReviewApp::handle`, and file dialogs sit behind the [`FileDialogs`] seam.

mod dialogs;
mod findings;
pub mod fonts;
mod handle;
mod i18n;
mod intent;
mod queue;
mod report;
mod review_app;
mod saving;
mod shortcuts;
mod source_view;
mod tables;
mod theme;
mod years_view;
mod years_window;

pub use crate::review::queue::{QueueFilter, QueueSort, QueueStatus};
pub use dialogs::{
    DialogOutcome, DialogPurpose, DialogRequest, FileDialogs, RfdDialogs, ScriptedDialogs,
};
pub use findings::{FindingsView, StateFilter, display_order, finding_row_name};
pub use i18n::{Lang, Strings};
pub use intent::{Move, UiIntent};
pub use report::{Counts, FindingState, Report};
pub use review_app::{ReviewApp, SaveState, Settings, StatusLine};
pub use shortcuts::{BINDINGS, Binding, Command, Scope};
pub use tables::{CellEditor, neighbour, table_heading};
pub use years_view::{YearsView, row_name as years_row_name};

use std::path::PathBuf;
use std::time::Instant;

/// The key under which [`Settings`] are stored by eframe.
pub const SETTINGS_KEY: &str = "nianbao.settings";

/// The sample report opened when the window starts without files.
pub static SAMPLE_REPORT: &[u8] =
    include_bytes!("../../assets/sample/高青县行政审批服务局_2024.txt");

/// The sample report's file name.
pub const SAMPLE_NAME: &str = "高青县行政审批服务局_2024.txt";

/// Set this environment variable to print the time to the first painted frame and close.
pub const STARTUP_PROBE_VAR: &str = "NIANBAO_STARTUP_PROBE";

impl ReviewApp {
    /// Opens the bundled sample report.
    pub fn open_sample(&mut self) {
        match crate::ingest::load(SAMPLE_REPORT, SAMPLE_NAME) {
            Ok(source) => self.open_source(SAMPLE_NAME, source),
            Err(e) => self.open_failed(&e.to_string()),
        }
    }

    fn open_failed(&mut self, why: &str) {
        self.status = Some(StatusLine {
            text: self.t().labelled(SAMPLE_NAME, why),
            error: true,
            file: None,
        });
    }
}

/// Opens the window on `files` (none: the bundled sample report) and returns the process exit
/// status when it closes.
pub fn run(files: Vec<PathBuf>) -> i32 {
    let started = Instant::now();
    let probe = std::env::var_os(STARTUP_PROBE_VAR).is_some();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(i18n::ZH.app_title)
            .with_app_id("nianbao")
            // The first start fills the screen; eframe stores the window's size and state on
            // exit and later starts restore them over these defaults. 1280×720 is the size
            // the window returns to when un-maximised, and fits a 1366×768 screen.
            .with_inner_size([1280.0, 720.0])
            .with_maximized(true)
            .with_min_inner_size([720.0, 480.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let result = eframe::run_native(
        "nianbao",
        options,
        Box::new(move |cc| {
            fonts::install_bundled(&cc.egui_ctx);
            fonts::add_system_fallbacks_in_background(&cc.egui_ctx);
            let settings: Settings = cc
                .storage
                .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
                .unwrap_or_default();
            let dialogs = RfdDialogs::new(Some(cc.egui_ctx.clone()));
            let mut app = ReviewApp::new(Box::new(dialogs), settings);
            if files.is_empty() {
                app.open_sample();
            } else {
                app.open_paths(files);
            }
            if probe {
                app.probe_startup(started);
            }
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("无法打开窗口：{e}");
            1
        }
    }
}
