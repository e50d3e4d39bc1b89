//! Lines of the source text with their byte ranges. Line breaks are `\n`, `\r\n`, a lone `\r`,
//! form feeds (page breaks in PDF text) and the Unicode line and paragraph separators.

/// One line: byte range of its content (without the line break).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    /// First byte.
    pub start: usize,
    /// One past the last byte of content.
    pub end: usize,
}

/// All lines of a text.
#[derive(Debug)]
pub struct Lines {
    lines: Vec<Line>,
}

impl Lines {
    /// Splits `text` into lines.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let rare_breaks = memchr::memchr2(b'\x0b', b'\x0c', bytes).is_some()
            || memchr::memmem::find(bytes, "\u{2028}".as_bytes()).is_some()
            || memchr::memmem::find(bytes, "\u{2029}".as_bytes()).is_some();
        if !rare_breaks {
            return Self::new_common(bytes);
        }
        let mut lines = Vec::with_capacity(text.len() / 16 + 1);
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let brk = match b {
                b'\n' | b'\x0c' | b'\x0b' => 1,
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    }
                }
                // U+2028 and U+2029 are E2 80 A8 / E2 80 A9.
                0xE2 if bytes.get(i + 1) == Some(&0x80)
                    && matches!(bytes.get(i + 2), Some(0xA8) | Some(0xA9)) =>
                {
                    3
                }
                _ => 0,
            };
            if brk > 0 {
                lines.push(Line { start, end: i });
                i += brk;
                start = i;
            } else {
                i += 1;
            }
        }
        if start < bytes.len() {
            lines.push(Line {
                start,
                end: bytes.len(),
            });
        }
        Self { lines }
    }

    /// Lines of a text whose only breaks are `\n`, `\r\n` and `\r`.
    fn new_common(bytes: &[u8]) -> Self {
        let mut lines = Vec::with_capacity(bytes.len() / 16 + 1);
        let mut start = 0;
        let mut skip_lf_at = usize::MAX;
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if i == skip_lf_at {
                start = i + 1;
                continue;
            }
            lines.push(Line { start, end: i });
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                skip_lf_at = i + 1;
            }
            start = i + 1;
        }
        if start < bytes.len() {
            lines.push(Line {
                start,
                end: bytes.len(),
            });
        }
        Self { lines }
    }

    /// The lines in order.
    pub fn all(&self) -> &[Line] {
        &self.lines
    }

    /// Index of the first line that starts at or after `offset`.
    pub fn first_at_or_after(&self, offset: usize) -> usize {
        self.lines.partition_point(|l| l.start < offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every kind of line break splits lines, and ranges exclude the break.
    #[test]
    fn splits_all_breaks() {
        let text = "a\r\nb\rc\nd\u{c}e\u{2028}f";
        let lines = Lines::new(text);
        let got: Vec<&str> = lines.all().iter().map(|l| &text[l.start..l.end]).collect();
        assert_eq!(got, ["a", "b", "c", "d", "e", "f"]);
    }

    // The common path (only CR and LF) gives the same lines, empty ones included.
    #[test]
    fn splits_cr_lf() {
        let text = "a\r\nb\rc\n\nd\r\n";
        let lines = Lines::new(text);
        let got: Vec<&str> = lines.all().iter().map(|l| &text[l.start..l.end]).collect();
        assert_eq!(got, ["a", "b", "c", "", "d"]);
    }
}
