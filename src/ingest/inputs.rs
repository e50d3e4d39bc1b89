//! The inputs a user names: files, and folders expanded into the report files inside. Used by
//! the command line, the folder loader and the window's 打开文件夹, so that all three read the
//! same files.

use std::path::{Path, PathBuf};

/// File endings read when a folder is given.
pub const REPORT_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "docx", "html", "htm", "xhtml", "mht", "xlsx", "xls", "xlsm", "ods",
    "pdf", "doc", "wps",
];

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
