//! The decoded text of a report, as the window shows it, and byte spans into it.

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` in [`SourceText::text`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span covers nothing.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// What kind of file the text came from, and how it was decoded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceKind {
    /// Plain text in the named encoding (`UTF-8`, `UTF-16LE`, `GBK`, …).
    Text {
        /// The encoding's name as `encoding_rs` spells it.
        encoding: String,
    },
    /// Word 2007+ document.
    Docx,
    /// A saved web page.
    Html {
        /// The encoding the page was decoded with.
        encoding: String,
    },
    /// A spreadsheet (xlsx, xls, ods) read sheet by sheet.
    Spreadsheet,
    /// The text layer of a PDF.
    Pdf,
}

/// The decoded text of one report. Spans in an extraction index [`SourceText::text`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceText {
    /// The text as shown to the reviewer; tables laid out as rows of tab-separated cells when
    /// the source format had real tables.
    pub text: String,
    /// Where the text came from.
    pub kind: SourceKind,
}

impl SourceText {
    /// Plain UTF-8 text (used by tests and by callers that already hold a `String`).
    pub fn from_utf8(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            kind: SourceKind::Text {
                encoding: "UTF-8".to_owned(),
            },
        }
    }

    /// The text under a span, or `""` when the span is out of range or not on a char boundary.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The 1-based line number that contains byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        1 + self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    }
}
