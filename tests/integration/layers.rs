//! The architecture rule, checked on the source: each top-level module imports only from the
//! layers below it (the order of `src/lib.rs`: model, ingest, extract, check, review, export,
//! cli, app), and the files of one module do not import each other in a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first.
const LAYERS: [&str; 8] = [
    "model", "ingest", "extract", "check", "review", "export", "cli", "app",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/check/fold.rs` → `["check", "fold"]`; `src/check/mod.rs` → `["check"]`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts.len() == 1 {
        // `src/cli.rs` is the module `cli`, as `src/cli/mod.rs` would be.
        return parts;
    }
    parts
}

/// The non-test code of a file, without its comment lines (unit tests may reach anywhere, and
/// a doc link is no import).
fn code(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => &text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::a::b` path in `text`, as `[a, b]` (or `[a]`).
fn crate_paths(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        let mut parts = Vec::new();
        let mut cur = rest;
        for _ in 0..2 {
            let end = cur
                .find(|c: char| !(c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()))
                .unwrap_or(cur.len());
            if end == 0 {
                break;
            }
            parts.push(cur[..end].to_owned());
            match cur[end..].strip_prefix("::") {
                Some(next) => cur = next,
                None => break,
            }
        }
        if !parts.is_empty() {
            out.push(parts);
        }
    }
    out
}

/// Every `super::a` in `text`.
fn super_names(text: &str) -> Vec<String> {
    text.match_indices("super::")
        .filter_map(|(i, _)| {
            let rest = &text[i + "super::".len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()))
                .unwrap_or(rest.len());
            (end > 0).then(|| rest[..end].to_owned())
        })
        .collect()
}

/// A module as its path below `crate`: `["check", "fold"]`.
type Module = Vec<String>;
/// Each module and the sibling modules it imports.
type Graph = BTreeMap<Module, BTreeSet<Module>>;

/// The files of the crate and the sibling modules each imports (`use super::x` or
/// `crate::top::x` from `top::y`).
fn imports() -> (Vec<(Module, String)>, Graph) {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_path(&src, f)).collect();
    let mut texts = Vec::new();
    let mut edges: Graph = BTreeMap::new();
    for file in &files {
        let module = module_path(&src, file);
        if module.len() == 1 && (module[0] == "lib" || module[0] == "main") {
            continue;
        }
        let text = code(file);
        let parent = &module[..module.len() - 1];
        if module.len() >= 2 {
            for name in super_names(&text) {
                let mut sibling = parent.to_vec();
                sibling.push(name);
                if sibling != module && modules.contains(&sibling) {
                    edges.entry(module.clone()).or_default().insert(sibling);
                }
            }
        }
        for path in crate_paths(&text) {
            if path.len() == 2 && path[0] == module[0] && module.len() == 2 {
                let sibling = path.clone();
                if sibling != module && modules.contains(&sibling) {
                    edges.entry(module.clone()).or_default().insert(sibling);
                }
            }
        }
        texts.push((module, text));
    }
    (texts, edges)
}

// No module imports from a layer above its own.
#[test]
fn layers_point_down() {
    let (texts, _) = imports();
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
    let mut upward = Vec::new();
    for (module, text) in &texts {
        let Some(own) = rank(&module[0]) else {
            continue;
        };
        for path in crate_paths(text) {
            if let Some(other) = rank(&path[0])
                && other > own
            {
                upward.push(format!(
                    "{} → crate::{}",
                    module.join("::"),
                    path.join("::")
                ));
            }
        }
    }
    upward.sort();
    upward.dedup();
    assert!(
        upward.is_empty(),
        "imports from a higher layer: {upward:#?}"
    );
}

// The files of a module do not import each other in a circle.
#[test]
fn no_circles_among_siblings() {
    let (_, edges) = imports();
    let mut circles = Vec::new();
    for start in edges.keys() {
        // Depth-first search for a path back to `start`.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((at, path)) = stack.pop() {
            for next in edges.get(&at).into_iter().flatten() {
                if next == start {
                    let names: Vec<String> = path.iter().map(|m| m.join("::")).collect();
                    circles.push(format!("{} → {}", names.join(" → "), start.join("::")));
                } else if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    assert!(circles.is_empty(), "circles: {circles:#?}");
}
