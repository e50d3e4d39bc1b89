//! The JSON object of one report, as specified in `shared/spec/json-output.md`: a stable
//! interface (fields may be added, never renamed or dropped).

use crate::extract::{Extraction, ExtractionWarning};
use crate::model::{Cell, CellKey, Span, TableId};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// One flag as written in the JSON output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlagJson {
    /// Stable rule id.
    pub rule: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// Cells concerned, as canonical key names.
    pub keys: Vec<String>,
    /// Chinese message.
    pub message: String,
    /// Source span, where there is one.
    pub span: Option<[usize; 2]>,
    /// Any further fields the rule adds (expected, found, cause…).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A number as JSON: whole numbers as integers.
pub fn number_json(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

fn span_json(span: Option<Span>) -> Value {
    match span {
        Some(s) => json!([s.start, s.end]),
        None => Value::Null,
    }
}

/// The `cells` object: all 200 keys, each `{raw, value, span}`.
pub fn cells_json(cells: &[Cell]) -> Value {
    let mut map = Map::with_capacity(cells.len());
    for key in CellKey::all() {
        let cell = &cells[key.index()];
        let (raw, value, span) = match &cell.raw {
            Some(raw) => (
                json!(raw),
                cell.value.map_or(Value::Null, number_json),
                span_json(cell.span),
            ),
            None => (Value::Null, Value::Null, Value::Null),
        };
        map.insert(
            key.name().to_owned(),
            json!({"raw": raw, "value": value, "span": span}),
        );
    }
    Value::Object(map)
}

fn warning_json(w: &ExtractionWarning) -> Value {
    let mut v = serde_json::to_value(&w.kind).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        map.insert(
            "keys".into(),
            json!(w.keys.iter().map(|k| k.name()).collect::<Vec<_>>()),
        );
        map.insert("span".into(), span_json(w.span));
        map.insert("message".into(), json!(w.message));
    }
    v
}

/// The object for one report: `file`, `agency`, `year`, `tables_found`, `cells`, `flags`, and
/// the extraction `warnings` (an addition to the contract).
pub fn report_json(
    file: &str,
    extraction: &Extraction,
    cells: &[Cell],
    flags: &[FlagJson],
) -> Value {
    json!({
        "file": file,
        "agency": extraction.agency,
        "year": extraction.year,
        "tables_found": extraction.tables_found().iter().map(|t: &TableId| t.name()).collect::<Vec<_>>(),
        "cells": cells_json(cells),
        "flags": flags,
        "warnings": extraction.warnings.iter().map(warning_json).collect::<Vec<_>>(),
    })
}

/// The object for a file that could not be read.
pub fn error_json(file: &str, message: &str) -> Value {
    json!({"file": file, "error": message})
}
