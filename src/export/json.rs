//! The JSON object of one report, as specified in `shared/spec/json-output.md`: a stable
//! interface (fields may be added, never renamed or dropped). Written straight from the model
//! through borrowed `#[derive(Serialize)]` views, so the compiler checks the shape and no
//! intermediate tree is built: the views destructure the model types completely, so a field
//! added to a finding, a cell or an extraction fails to compile here until its JSON is decided.

use crate::check::{Cause, Covered, Finding, Severity};
use crate::extract::{Extraction, ExtractionWarning, TableLocation, WarningKind};
use crate::model::{CELL_COUNT, Cell, CellKey, Span, TableId};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::io::{self, Write};

/// A number as the JSON output writes it: whole numbers as integers (`3`, not `3.0`), other
/// numbers as the shortest decimal that reads back the same, and a non-finite number as `null`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Number(pub f64);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            // Exact: a whole number below 2^53 in magnitude fits an i64 without rounding.
            s.serialize_i64(v as i64)
        } else if v.is_finite() {
            s.serialize_f64(v)
        } else {
            s.serialize_unit()
        }
    }
}

/// A span as the JSON output writes it: `[start, end]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpanPair(pub Span);

impl Serialize for SpanPair {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [self.0.start, self.0.end].serialize(s)
    }
}

fn pair(span: Option<Span>) -> Option<SpanPair> {
    span.map(SpanPair)
}

/// One cell: `{raw, value, span}`; `value` and `span` are null whenever `raw` is.
#[derive(Debug, Serialize)]
pub struct CellJson<'a> {
    /// The text as printed.
    pub raw: Option<&'a str>,
    /// Its number.
    pub value: Option<Number>,
    /// Where it was read.
    pub span: Option<SpanPair>,
}

impl<'a> CellJson<'a> {
    /// The view of one cell.
    pub fn new(cell: &'a Cell) -> Self {
        let Cell { raw, value, span } = cell;
        match raw {
            Some(raw) => CellJson {
                raw: Some(raw.as_str()),
                value: value.map(Number),
                span: pair(*span),
            },
            None => CellJson {
                raw: None,
                value: None,
                span: None,
            },
        }
    }
}

/// The `cells` object: all 200 keys in template order, each `{raw, value, span}`. A missing
/// cell (a short slice) is written as blank, so the object always has every key.
#[derive(Debug)]
pub struct CellsJson<'a>(pub &'a [Cell]);

impl Serialize for CellsJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let blank = Cell::blank();
        let mut map = s.serialize_map(Some(CELL_COUNT))?;
        for key in CellKey::all() {
            let cell = self.0.get(key.index()).unwrap_or(&blank);
            map.serialize_entry(key.name(), &CellJson::new(cell))?;
        }
        map.end()
    }
}

/// One finding as a JSON flag: the contract's `rule`, `severity`, `keys`, `message`, `span`,
/// plus `expected`, `found` and `cause`.
#[derive(Debug, Serialize)]
pub struct FlagJson<'a> {
    /// Stable rule id.
    pub rule: &'a str,
    /// `error`, `warning` or `info`.
    pub severity: Severity,
    /// Cells concerned, as canonical key names: the finding's own cells, then those of the
    /// findings it covers that are not among them, so that a script looking at `keys` alone
    /// still sees every cell a folded consequence was about.
    pub keys: Cow<'a, [CellKey]>,
    /// Chinese message.
    pub message: &'a str,
    /// Source span, where there is one.
    pub span: Option<SpanPair>,
    /// The number the relation expects.
    pub expected: Option<Number>,
    /// The number found.
    pub found: Option<Number>,
    /// `source`, `extraction` or `unknown`.
    pub cause: Cause,
    /// The findings folded under this one (its consequences), each `{rule, severity, keys,
    /// message}`; absent when none.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub covers: &'a [Covered],
    /// The suggested fix, `{changes: [{key, value}], restores}`; absent when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<SuggestionJson>,
}

/// A suggestion with its numbers written as the rest of the output writes them.
#[derive(Debug, Serialize)]
pub struct SuggestionJson {
    /// The cells to change and their new numbers.
    pub changes: Vec<ChangeJson>,
    /// How many relations then hold that do not now.
    pub restores: usize,
}

/// One suggested change.
#[derive(Debug, Serialize)]
pub struct ChangeJson {
    /// The cell.
    pub key: CellKey,
    /// Its new number.
    pub value: Number,
}

impl<'a> FlagJson<'a> {
    /// The view of one finding.
    pub fn new(finding: &'a Finding) -> Self {
        let Finding {
            rule,
            severity,
            keys,
            expected,
            found,
            span,
            message,
            cause,
            covers,
            suggestion,
        } = finding;
        let keys: Cow<'a, [CellKey]> = if covers.is_empty() {
            Cow::Borrowed(keys)
        } else {
            let mut all = keys.clone();
            let mut more: Vec<CellKey> = covers
                .iter()
                .flat_map(|c| c.keys.iter().copied())
                .filter(|k| !keys.contains(k))
                .collect();
            more.sort();
            more.dedup();
            all.extend(more);
            Cow::Owned(all)
        };
        FlagJson {
            rule,
            severity: *severity,
            keys,
            message,
            span: pair(*span),
            expected: expected.map(Number),
            found: found.map(Number),
            cause: *cause,
            covers,
            suggestion: suggestion.as_ref().map(|s| SuggestionJson {
                changes: s
                    .changes
                    .iter()
                    .map(|c| ChangeJson {
                        key: c.key,
                        value: Number(c.value),
                    })
                    .collect(),
                restores: s.restores,
            }),
        }
    }
}

/// One extraction warning: its kind's fields (`kind`, `table`, `label`…), then `keys`, `span`
/// and `message`.
#[derive(Debug, Serialize)]
pub struct WarningJson<'a> {
    /// What happened, with the kind's own fields.
    #[serde(flatten)]
    pub kind: &'a WarningKind,
    /// Cells concerned.
    pub keys: &'a [CellKey],
    /// Where in the source.
    pub span: Option<SpanPair>,
    /// Chinese sentence.
    pub message: &'a str,
}

impl<'a> WarningJson<'a> {
    /// The view of one warning.
    pub fn new(warning: &'a ExtractionWarning) -> Self {
        let ExtractionWarning {
            kind,
            keys,
            span,
            message,
        } = warning;
        WarningJson {
            kind,
            keys,
            span: pair(*span),
            message,
        }
    }
}

/// A list written by mapping each item to its view, without collecting the views.
struct SeqOf<'a, T, V>(&'a [T], fn(&'a T) -> V);

impl<'a, T, V: Serialize> Serialize for SeqOf<'a, T, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            seq.serialize_element(&(self.1)(item))?;
        }
        seq.end()
    }
}

fn table_name(location: &TableLocation) -> TableId {
    location.table
}

/// The object for one report: `file`, `agency`, `year`, `tables_found`, `cells`, `flags`, and
/// the extraction `warnings` (an addition to the contract).
pub struct ReportJson<'a> {
    file: &'a str,
    extraction: &'a Extraction,
    cells: &'a [Cell],
    findings: &'a [Finding],
}

impl<'a> ReportJson<'a> {
    /// The view of a report: `cells` are the cells to write (the extraction's, or corrected
    /// ones), `findings` the flags (none for `extract`).
    pub fn new(
        file: &'a str,
        extraction: &'a Extraction,
        cells: &'a [Cell],
        findings: &'a [Finding],
    ) -> Self {
        ReportJson {
            file,
            extraction,
            cells,
            findings,
        }
    }
}

impl Serialize for ReportJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Destructured completely so that a field added to the extraction is a compile error
        // here until someone decides whether it belongs in the output.
        let Extraction {
            agency,
            year,
            agency_source,
            year_source,
            title_span: _,
            parts: _,
            tables,
            cells: _,
            warnings,
        } = self.extraction;
        let mut map = s.serialize_map(Some(9))?;
        map.serialize_entry("file", self.file)?;
        map.serialize_entry("agency", agency)?;
        map.serialize_entry("year", year)?;
        map.serialize_entry("agency_source", agency_source)?;
        map.serialize_entry("year_source", year_source)?;
        map.serialize_entry("tables_found", &SeqOf(tables, table_name))?;
        map.serialize_entry("cells", &CellsJson(self.cells))?;
        map.serialize_entry("flags", &SeqOf(self.findings, FlagJson::new))?;
        map.serialize_entry("warnings", &SeqOf(warnings, WarningJson::new))?;
        map.end()
    }
}

impl ReportJson<'_> {
    /// Appends the report as one JSON line to `out`: the same bytes as serialising the view
    /// (a test compares them on every fixture), faster. The 200 cell keys and the `raw`,
    /// `value`, `span` names need no escaping, so they are copied as they are instead of going
    /// through serde_json's escaping one by one, which was half the time spent on JSON.
    pub fn write_line(&self, out: &mut Vec<u8>) {
        let Extraction {
            agency,
            year,
            agency_source,
            year_source,
            tables,
            warnings,
            ..
        } = self.extraction;
        // serde_json cannot fail on these views (strings, numbers, string-keyed maps) written
        // into a Vec, so the results are ignored.
        out.extend_from_slice(b"{\"file\":");
        let _ = serde_json::to_writer(&mut *out, self.file);
        out.extend_from_slice(b",\"agency\":");
        let _ = serde_json::to_writer(&mut *out, agency);
        out.extend_from_slice(b",\"year\":");
        let _ = serde_json::to_writer(&mut *out, year);
        out.extend_from_slice(b",\"agency_source\":");
        let _ = serde_json::to_writer(&mut *out, agency_source);
        out.extend_from_slice(b",\"year_source\":");
        let _ = serde_json::to_writer(&mut *out, year_source);
        out.extend_from_slice(b",\"tables_found\":");
        let _ = serde_json::to_writer(&mut *out, &SeqOf(tables, table_name));
        out.extend_from_slice(b",\"cells\":");
        CellsJson(self.cells).write_to(out);
        out.extend_from_slice(b",\"flags\":");
        let _ = serde_json::to_writer(&mut *out, &SeqOf(self.findings, FlagJson::new));
        out.extend_from_slice(b",\"warnings\":");
        let _ = serde_json::to_writer(&mut *out, &SeqOf(warnings, WarningJson::new));
        out.extend_from_slice(b"}\n");
    }
}

impl CellsJson<'_> {
    /// Appends the `cells` object to `out`, byte for byte as serde writes it.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let blank = Cell::blank();
        out.push(b'{');
        for (n, key) in CellKey::all().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            // Key names are lower-case ASCII words, dots and underscores (a test checks), so
            // they need no escaping.
            out.push(b'"');
            out.extend_from_slice(key.name().as_bytes());
            out.extend_from_slice(b"\":{\"raw\":");
            let CellJson { raw, value, span } =
                CellJson::new(self.0.get(key.index()).unwrap_or(&blank));
            match raw {
                Some(raw) => {
                    let _ = serde_json::to_writer(&mut *out, raw);
                }
                None => out.extend_from_slice(b"null"),
            }
            out.extend_from_slice(b",\"value\":");
            let _ = serde_json::to_writer(&mut *out, &value);
            out.extend_from_slice(b",\"span\":");
            let _ = serde_json::to_writer(&mut *out, &span);
            out.push(b'}');
        }
        out.push(b'}');
    }
}

/// The object for a file that could not be read: `{"file", "error"}`.
#[derive(Debug, Serialize)]
pub struct ErrorJson<'a> {
    /// The file as given.
    pub file: &'a str,
    /// A Chinese sentence saying what is wrong.
    pub error: &'a str,
}

/// Writes `value` as one JSON line (object and newline) to `out`.
pub fn write_line(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// `value` as one JSON line, in bytes.
pub fn line_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 * 1024);
    // Writing into a Vec cannot fail, and these views hold only strings, numbers and maps with
    // string keys, which serde_json always accepts.
    let _ = write_line(&mut out, value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // A cause's `keys` add the cells of the findings it covers after its own (no repeats);
    // `covers` and `suggestion` are written, and left out when empty.
    #[test]
    fn cause_keys_include_covered_cells() {
        use crate::check::{Change, Covered, Suggestion};
        let k = |name: &str| CellKey::from_name(name).expect("a key");
        let mut f = Finding {
            rule: "value.suspect".into(),
            severity: Severity::Error,
            keys: vec![k("requests.granted.natural_person")],
            expected: Some(4.0),
            found: Some(7.0),
            span: None,
            message: "甲".into(),
            cause: Cause::Source,
            covers: Vec::new(),
            suggestion: None,
        };
        let plain = String::from_utf8(line_bytes(&FlagJson::new(&f))).unwrap_or_default();
        assert!(
            plain.contains(r#""keys":["requests.granted.natural_person"]"#)
                && !plain.contains("covers")
                && !plain.contains("suggestion"),
            "{plain}"
        );
        f.covers = vec![Covered {
            rule: "requests.row_sum".into(),
            severity: Severity::Error,
            keys: vec![
                k("requests.granted.natural_person"),
                k("requests.granted.total"),
            ],
            message: "乙".into(),
        }];
        f.suggestion = Some(Suggestion {
            changes: vec![Change {
                key: k("requests.granted.natural_person"),
                value: 4.0,
            }],
            restores: 1,
        });
        let text = String::from_utf8(line_bytes(&FlagJson::new(&f))).unwrap_or_default();
        assert!(
            text.contains(r#""keys":["requests.granted.natural_person","requests.granted.total"]"#),
            "{text}"
        );
        assert!(
            text.contains(r#""suggestion":{"changes":[{"key":"requests.granted.natural_person","value":4}],"restores":1}"#),
            "{text}"
        );
        assert!(
            text.contains(r#""covers":[{"rule":"requests.row_sum""#),
            "{text}"
        );
    }

    // Whole numbers are written as integers, others as the shortest decimal, non-finite as null.
    #[test]
    fn numbers_as_the_contract_writes_them() {
        let text = |v: f64| String::from_utf8(line_bytes(&Number(v))).unwrap_or_default();
        assert_eq!(text(3.0), "3\n");
        assert_eq!(text(-0.0), "0\n");
        assert_eq!(text(12872.06), "12872.06\n");
        assert_eq!(text(1e16), "1e+16\n");
        assert_eq!(text(f64::NAN), "null\n");
    }

    // The fast writer gives the bytes serde gives, on every seed and format fixture.
    #[test]
    fn write_line_equals_serde() {
        let dir = |d: &str| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(d);
        let mut files: Vec<_> = ["tests/fixtures/seeds", "tests/fixtures/formats"]
            .iter()
            .flat_map(|d| std::fs::read_dir(dir(d)).into_iter().flatten())
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        files.sort();
        assert!(files.len() >= 50, "{}", files.len());
        let mut compared = 0;
        for path in files {
            let Ok(source) = crate::ingest::read_file(&path) else {
                continue;
            };
            let extraction = crate::extract::extract(&source);
            let findings = crate::check::run_checks(&extraction, &source, &[]);
            let file = path.to_string_lossy();
            let view = ReportJson::new(&file, &extraction, &extraction.cells, &findings);
            let mut fast = Vec::new();
            view.write_line(&mut fast);
            assert_eq!(
                String::from_utf8_lossy(&fast),
                String::from_utf8_lossy(&line_bytes(&view)),
                "{file}"
            );
            compared += 1;
        }
        assert!(compared >= 45, "{compared}");
    }

    // Cell key names need no JSON escaping (the fast writer copies them as they are).
    #[test]
    fn key_names_are_plain_ascii() {
        for key in CellKey::all() {
            assert!(
                key.name().bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b'.'
                    || b == b'_'),
                "{}",
                key.name()
            );
        }
    }

    // A cell with no printed text writes nulls even when a span or value is present.
    #[test]
    fn blank_cell_is_all_null() {
        let cell = Cell {
            raw: None,
            value: Some(1.0),
            span: Some(Span::new(1, 2)),
        };
        let line = String::from_utf8(line_bytes(&CellJson::new(&cell))).unwrap_or_default();
        assert_eq!(line, "{\"raw\":null,\"value\":null,\"span\":null}\n");
        let read = Cell::read(" 12 万元 ", Span::new(4, 14));
        let line = String::from_utf8(line_bytes(&CellJson::new(&read))).unwrap_or_default();
        assert_eq!(line, "{\"raw\":\"12 万元\",\"value\":12,\"span\":[4,14]}\n");
    }
}
