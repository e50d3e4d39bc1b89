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
        // U+2028 and U+2029 are E2 80 A8 / E2 80 A9; E2 80 also starts quotes and dashes.
        let rare_breaks = memchr::memchr2(b'\x0b', b'\x0c', bytes).is_some()
            || memchr::memmem::find_iter(bytes, b"\xE2\x80")
                .any(|i| matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)));
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

    /// Splits `text` into lines, and lines longer than [`LONG_LINE_BYTES`] that hold a quarter
    /// of the text or more (a whole report exported from a web page as one line) into virtual
    /// lines: after each `。`, before a numbered heading or row label (`二、`) that follows white
    /// space, and after the words that end a part heading or the title. Virtual lines index the
    /// same text, so spans stay valid. A long paragraph of a Word file is left alone.
    pub fn with_virtual_breaks(text: &str) -> Self {
        let lines = Self::new(text);
        let long = LONG_LINE_BYTES.max(text.len() / 4);
        if !lines.lines.iter().any(|l| l.end - l.start > long) {
            return lines;
        }
        let mut out = Vec::with_capacity(lines.lines.len() + text.len() / 64);
        for line in lines.lines {
            if line.end - line.start > long {
                split_long_line(text, line, &mut out);
            } else {
                out.push(line);
            }
        }
        Self { lines: out }
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

/// A line longer than this is split into virtual lines by [`Lines::with_virtual_breaks`]: a
/// paragraph of a Word file is rarely over 1,000 bytes; a web page's text on one line is.
pub const LONG_LINE_BYTES: usize = 1500;

/// Words that end a part heading or the report's title: a virtual line ends after them.
const HEADING_ENDS: [&str; 8] = [
    "工作年度报告",
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "行政复议、行政诉讼情况",
    "行政复议和行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
];

/// Splits one long line into virtual lines (see [`Lines::with_virtual_breaks`]).
fn split_long_line(text: &str, line: Line, out: &mut Vec<Line>) {
    static ENDS: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::LazyLock::new(|| aho_corasick::AhoCorasick::new(HEADING_ENDS).ok());
    let s = &text[line.start..line.end];
    let mut cuts: Vec<usize> = Vec::new();
    if let Some(ac) = ENDS.as_ref() {
        cuts.extend(ac.find_iter(s).map(|m| m.end()));
    }
    let mut prev: Option<char> = None;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c == '。' {
            cuts.push(i + c.len_utf8());
        } else if prev.is_some_and(char::is_whitespace)
            && (matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七')
                && iter.peek().is_some_and(|&(_, n)| n == '、')
                || ["标题", "发布时间", "原文链接"]
                    .iter()
                    .any(|w| s[i..].starts_with(w)))
        {
            cuts.push(i);
        }
        prev = Some(c);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut start = 0;
    for cut in cuts.into_iter().chain([s.len()]) {
        if cut > start {
            out.push(Line {
                start: line.start + start,
                end: line.start + cut,
            });
            start = cut;
        }
    }
}

/// `s.trim()`, faster on the short CJK and ASCII fields of a table: ASCII bytes are judged
/// directly and only the lead bytes of multi-byte white space (U+0085, U+00A0, U+1680, the
/// U+2000 block, U+3000) are decoded.
#[inline]
pub fn trim(s: &str) -> &str {
    let (start, end) = trim_bounds(s);
    &s[start..end]
}

/// The byte range of [`trim`]`(s)` within `s`.
#[inline]
pub fn trim_bounds(s: &str) -> (usize, usize) {
    let bytes = s.as_bytes();
    // Most fields need no trimming: both ends are ASCII other than white space or the last
    // byte of a CJK character (whose lead byte is never that of a space).
    if let (Some(&first), Some(&last)) = (bytes.first(), bytes.last())
        && (first > b' ' && first < 0x80 || (0xE4..0xF0).contains(&first))
        && (last > b' ' && last < 0x80
            || bytes.len() >= 3 && (0xE4..0xF0).contains(&bytes[bytes.len() - 3]))
    {
        return (0, bytes.len());
    }
    let mut start = 0;
    while let Some(&b) = bytes.get(start) {
        let width = if b < 0x80 {
            usize::from(is_ascii_space(b))
        } else {
            space_width(s, start)
        };
        if width == 0 {
            break;
        }
        start += width;
    }
    let mut end = bytes.len();
    while end > start {
        let b = bytes[end - 1];
        if b < 0x80 {
            if !is_ascii_space(b) {
                break;
            }
            end -= 1;
            continue;
        }
        let mut at = end - 1;
        while at > start && (0x80..0xC0).contains(&bytes[at]) {
            at -= 1;
        }
        if space_width(s, at) == 0 {
            break;
        }
        end = at;
    }
    (start, end)
}

/// The ASCII white space of `char::is_whitespace`: space, tab, LF, VT, FF, CR.
#[inline]
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// The byte length of the multi-byte white-space character at `i` (a char boundary), or 0.
#[inline]
fn space_width(s: &str, i: usize) -> usize {
    if !matches!(s.as_bytes()[i], 0xC2 | 0xE1 | 0xE2 | 0xE3) {
        return 0;
    }
    s[i..]
        .chars()
        .next()
        .filter(|c| c.is_whitespace())
        .map_or(0, char::len_utf8)
}

/// `s.contains(c)` for a character that is not ASCII, found through its first UTF-8 byte
/// (`str::contains(char)` builds a substring searcher on every call).
pub fn has_char(s: &str, c: char) -> bool {
    let mut buf = [0u8; 4];
    let enc = c.encode_utf8(&mut buf).as_bytes();
    let bytes = s.as_bytes();
    let at = |i: usize| bytes[i..].starts_with(enc);
    // Most lines of a table are a few dozen bytes: a plain loop costs less than setting up a
    // vectorised search.
    if bytes.len() < 64 {
        return (0..bytes.len()).any(|i| bytes[i] == enc[0] && at(i));
    }
    memchr::memchr_iter(enc[0], bytes).any(at)
}

/// True when `s` holds one of the two-character `words` (`[('情', '况'), …]`): one pass over
/// the characters, cheaper on a short line than a substring search per word.
pub fn has_word_pair(s: &str, words: &[(char, char)]) -> bool {
    let mut prev = '\0';
    s.chars().any(|c| {
        let hit = words.iter().any(|&(a, b)| a == prev && b == c);
        prev = c;
        hit
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The fast trim agrees with `str::trim` on every kind of white space at either end.
    #[test]
    fn trim_matches_std() {
        for s in [
            "",
            " ",
            "\t\u{3000}规章\u{a0} ",
            "\u{2003}0\u{2029}",
            "\u{85}x\u{1680}",
            "\u{b}a\u{c}",
            "行政许可",
            " 　 ",
            "a b",
            "é ",
            "\u{202f}说明\u{205f}",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    // `has_char` finds a character only where it is whole, not in another's bytes.
    #[test]
    fn finds_chars() {
        assert!(has_char("本年新收。", '。'));
        assert!(!has_char("本年新收，", '。'));
        assert!(has_char("，", '，'));
        assert!(!has_char("", '。'));
        // 。 is E3 80 82; 「 is E3 80 8C: same first bytes, another character.
        assert!(!has_char("「」", '。'));
        let long = format!("{}。", "行政许可".repeat(10));
        assert!(has_char(&long, '。'));
        assert!(!has_char(&long, '，'));
    }

    // Two-character words are found anywhere, and only as neighbours.
    #[test]
    fn finds_word_pairs() {
        let words = [('情', '况'), ('问', '题')];
        assert!(has_word_pair("一、总体情况", &words));
        assert!(has_word_pair("问题", &words));
        assert!(!has_word_pair("情 况", &words));
        assert!(!has_word_pair("况情", &words));
        assert!(!has_word_pair("", &words));
    }

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
