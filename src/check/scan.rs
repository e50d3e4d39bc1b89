//! Small readers for report prose: pieces of text split at punctuation (with their byte
//! offsets in the source), and the numbers printed in them with the unit that follows
//! (`13件`, `81.4%`, `2023年`). Full-width digits and spaces inside numbers are accepted.

use crate::model::Span;
use crate::model::value::{chinese_digit, chinese_numeral};
use memchr::memmem::Finder;
use std::sync::LazyLock;

/// A piece of text and where it starts in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Piece<'a> {
    /// The text.
    pub text: &'a str,
    /// Byte offset of `text` in the source.
    pub start: usize,
}

impl<'a> Piece<'a> {
    /// The piece's span in the source, leading and trailing white space excluded.
    pub fn span(&self) -> Span {
        let lead = self.text.len() - self.text.trim_start().len();
        let trimmed = self.text.trim();
        Span::new(self.start + lead, self.start + lead + trimmed.len())
    }

    /// The text, trimmed, cut to at most `max` characters for quoting in a message.
    pub fn quote(&self, max: usize) -> String {
        let t = self.text.trim();
        match t.char_indices().nth(max) {
            Some((i, _)) => format!("{}…", &t[..i]),
            None => t.to_owned(),
        }
    }

    /// True when the text contains `pat`.
    pub fn has(&self, pat: &str) -> bool {
        self.text.contains(pat)
    }

    /// True when the text contains any of `pats`.
    pub fn has_any(&self, pats: &[&str]) -> bool {
        pats.iter().any(|p| self.text.contains(p))
    }

    /// Splits at the given delimiters; an ASCII comma between two digits is a thousands
    /// separator, not a delimiter. Empty pieces are skipped. Works on bytes: every delimiter is
    /// ASCII or a three-byte character of U+3000–U+303F or U+FF00–U+FFEF, so the only places
    /// to look at are the ASCII delimiters and the lead bytes `E3` and `EF`, which `memchr`
    /// finds (a lead byte never occurs inside another character).
    pub fn split(self, delims: &'static Delims) -> impl Iterator<Item = Piece<'a>> {
        let text = self.text;
        let base = self.start;
        let bytes = text.as_bytes();
        let [a, b, c] = delims.ascii;
        let mut wide = memchr::memchr2_iter(0xE3, 0xEF, bytes).peekable();
        let mut narrow = memchr::memchr3_iter(a, b, c, bytes).peekable();
        let mut from = 0;
        let mut done = false;
        std::iter::from_fn(move || {
            while !done {
                // The next delimiter: (its start, where the next piece starts).
                let next = loop {
                    let i = match (wide.peek(), narrow.peek()) {
                        (None, None) => break None,
                        (Some(&w), Some(&n)) if n < w => narrow.next(),
                        (None, Some(_)) => narrow.next(),
                        _ => wide.next(),
                    };
                    let Some(i) = i else {
                        break None;
                    };
                    let b = bytes[i];
                    if b < 0x80 {
                        let thousands = b == b','
                            && i >= 1
                            && bytes[i - 1].is_ascii_digit()
                            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                        if !thousands {
                            break Some((i, i + 1));
                        }
                    } else if i + 3 <= bytes.len()
                        && delims.wide.contains(&[b, bytes[i + 1], bytes[i + 2]])
                    {
                        break Some((i, i + 3));
                    }
                };
                let (end, resume) = next.unwrap_or_else(|| {
                    done = true;
                    (bytes.len(), bytes.len())
                });
                let piece = Piece {
                    text: &text[from..end],
                    start: base + from,
                };
                from = resume;
                if !piece.text.chars().all(char::is_whitespace) {
                    return Some(piece);
                }
            }
            None
        })
    }
}

impl<'a> Piece<'a> {
    /// The lines of the piece (split at `\n`, a trailing `\r` dropped), blank ones skipped.
    /// Uses `memchr`'s vector search for the line ends.
    pub fn lines(self) -> impl Iterator<Item = Piece<'a>> {
        let text = self.text;
        let base = self.start;
        let mut from = 0;
        std::iter::from_fn(move || {
            while from < text.len() {
                let end = memchr::memchr(b'\n', &text.as_bytes()[from..])
                    .map_or(text.len(), |i| from + i);
                let line = text[from..end].trim_end_matches('\r');
                let start = from;
                from = end + 1;
                if !line.chars().all(char::is_whitespace) {
                    return Some(Piece {
                        text: line,
                        start: base + start,
                    });
                }
            }
            None
        })
    }
}

impl<'a> Piece<'a> {
    /// The paragraphs of the piece: its lines, with a line that a converter wrapped (at least
    /// [`WRAPPED_LINE_BYTES`] long and not ending a sentence or clause list) joined to the next
    /// non-blank line, so that `受理政府` / `信息公开申请17件` is read as one sentence. The line
    /// breaks stay inside the piece's text.
    pub fn paragraphs(self) -> impl Iterator<Item = Piece<'a>> {
        let text = self.text;
        let base = self.start;
        let mut lines = self.lines().peekable();
        std::iter::from_fn(move || {
            let first = lines.next()?;
            let start = first.start;
            let mut end = first.start + first.text.len();
            let mut last = first;
            while wraps(last.text) {
                let Some(next) = lines.next_if(|_| true) else {
                    break;
                };
                end = next.start + next.text.len();
                last = next;
            }
            Some(Piece {
                text: &text[start - base..end - base],
                start,
            })
        })
    }
}

/// A line at least this long that does not end a sentence was wrapped by a converter: about 20
/// characters of Chinese (a heading is shorter; a wrapped line of a page is 25 to 40).
pub const WRAPPED_LINE_BYTES: usize = 60;

/// True when `line` was wrapped: long, and not ending a sentence or a heading.
fn wraps(line: &str) -> bool {
    let t = line.trim_end();
    t.len() >= WRAPPED_LINE_BYTES
        && !t.ends_with(['。', '！', '？', '；', '：', '!', '?', ';', ':'])
}

/// A short text with a 64-bit summary of the characters in it, so that most searches for
/// words it cannot contain are answered without searching.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Words<'a> {
    /// The text.
    pub text: &'a str,
    mask: u64,
}

const fn char_bit(c: u32) -> u64 {
    1u64 << (c.wrapping_mul(0x9E37_79B1) >> 26)
}

/// The character starting at byte `i` of valid UTF-8, and its length.
const fn char_at(b: &[u8], i: usize) -> (u32, usize) {
    let x = b[i] as u32;
    if x < 0x80 {
        (x, 1)
    } else if x < 0xE0 {
        (((x & 0x1F) << 6) | (b[i + 1] as u32 & 0x3F), 2)
    } else if x < 0xF0 {
        (
            ((x & 0x0F) << 12) | ((b[i + 1] as u32 & 0x3F) << 6) | (b[i + 2] as u32 & 0x3F),
            3,
        )
    } else {
        (
            ((x & 0x07) << 18)
                | ((b[i + 1] as u32 & 0x3F) << 12)
                | ((b[i + 2] as u32 & 0x3F) << 6)
                | (b[i + 3] as u32 & 0x3F),
            4,
        )
    }
}

/// A word to look for, with the summary bits of its first two characters computed once (at
/// compile time when made with [`word!`] or [`words!`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    /// The word.
    pub text: &'static str,
    bits: u64,
}

impl Word {
    /// A word and its summary bits.
    pub const fn new(text: &'static str) -> Word {
        let b = text.as_bytes();
        let mut bits = 0;
        if !b.is_empty() {
            let (c1, n1) = char_at(b, 0);
            bits |= char_bit(c1);
            if n1 < b.len() {
                let (c2, _) = char_at(b, n1);
                bits |= char_bit(c2);
            }
        }
        Word { text, bits }
    }

    /// Its length in bytes.
    pub fn len(self) -> usize {
        self.text.len()
    }
}

/// A [`Word`] made at compile time.
macro_rules! word {
    ($w:literal) => {
        const { $crate::check::scan::Word::new($w) }
    };
}

/// A list of [`Word`]s made at compile time.
macro_rules! words {
    ($($w:literal),* $(,)?) => {
        const { &[$($crate::check::scan::Word::new($w)),*] as &[$crate::check::scan::Word] }
    };
}

pub(crate) use {word, words};

/// Where `needle` first occurs in `hay`: candidates are the places of its last byte (for a
/// Chinese word, a continuation byte that few characters share), found with `memchr`. For the
/// short texts and words here this costs a fraction of `str::find`, whose searcher is built
/// anew for each call. Matches start on character boundaries, since both are valid UTF-8.
pub(crate) fn find_short(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some(&last) = n.last() else {
        return Some(0);
    };
    let mut from = n.len() - 1;
    while from < h.len() {
        let end = from + memchr::memchr(last, &h[from..])?;
        let start = end + 1 - n.len();
        if h[start..=end] == *n {
            return Some(start);
        }
        from = end + 1;
    }
    None
}

/// True when `hay` contains `needle` (see [`find_short`]).
pub(crate) fn contains_short(hay: &str, needle: &str) -> bool {
    find_short(hay, needle).is_some()
}

/// The places of `word` in `text`, left to right and not overlapping (as
/// `str::match_indices`), found as [`find_short`] finds one. An empty word has none.
pub(crate) fn positions<'a>(text: &'a str, word: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut from = 0;
    std::iter::from_fn(move || {
        if word.is_empty() || from > text.len() {
            return None;
        }
        let at = from + find_short(&text[from..], word)?;
        from = at + word.len();
        Some(at)
    })
}

impl<'a> Words<'a> {
    /// Summarises `text`.
    pub fn new(text: &'a str) -> Self {
        let mask = text.chars().fold(0, |m, c| m | char_bit(u32::from(c)));
        Words { text, mask }
    }

    fn may_have(&self, word: Word) -> bool {
        self.mask & word.bits == word.bits
    }

    /// True when the text contains `word`.
    pub fn has(&self, word: Word) -> bool {
        self.find(word).is_some()
    }

    /// True when the text contains any of `words`.
    pub fn has_any(&self, words: &[Word]) -> bool {
        words.iter().any(|w| self.has(*w))
    }

    /// Where `word` first occurs.
    pub fn find(&self, word: Word) -> Option<usize> {
        if self.may_have(word) {
            find_short(self.text, word.text)
        } else {
            None
        }
    }

    /// The first position of any of `words`: (byte offset, word length).
    pub fn find_any(&self, words: &[Word]) -> Option<(usize, usize)> {
        words
            .iter()
            .filter_map(|w| self.find(*w).map(|i| (i, w.len())))
            .min()
    }
}

/// Words looked for in long texts (a part, a paragraph, a sentence), each with a searcher
/// built once: `memmem`'s vector search passes over Chinese text faster than `str::contains`.
pub(crate) struct LongWords(pub LazyLock<Vec<Finder<'static>>>);

impl LongWords {
    /// True when `text` contains any of the words.
    pub fn in_text(&self, text: &str) -> bool {
        self.0.iter().any(|f| f.find(text.as_bytes()).is_some())
    }
}

/// A [`LongWords`] for a `static`.
macro_rules! long_words {
    ($($w:literal),* $(,)?) => {
        $crate::check::scan::LongWords(std::sync::LazyLock::new(|| {
            vec![$(memchr::memmem::Finder::new($w)),*]
        }))
    };
}

pub(crate) use long_words;

/// Delimiters for [`Piece::split`]: ASCII bytes and three-byte characters (as UTF-8).
#[derive(Debug)]
pub(crate) struct Delims {
    /// Up to three; `FF`, which never occurs in UTF-8, for none.
    ascii: [u8; 3],
    wide: &'static [[u8; 3]],
}

/// The UTF-8 bytes of a character in U+0800–U+FFFF.
const fn utf8(c: char) -> [u8; 3] {
    let c = c as u32;
    [
        (0xE0 | (c >> 12)) as u8,
        (0x80 | ((c >> 6) & 0x3F)) as u8,
        (0x80 | (c & 0x3F)) as u8,
    ]
}

/// Sentence ends inside a paragraph of wrapped lines (see [`Piece::paragraphs`]): a line break
/// there is a converter's, not the author's.
pub(crate) const SENTENCE_IN_PARAGRAPH: &Delims = &Delims {
    ascii: *b"!?;",
    wide: &[utf8('。'), utf8('！'), utf8('？'), utf8('；')],
};
/// Clause ends within a sentence.
pub(crate) const CLAUSE: &Delims = &Delims {
    ascii: [b',', b':', 0xFF],
    wide: &[utf8('，'), utf8('：')],
};
/// List separators within a clause.
pub(crate) const LIST: &Delims = &Delims {
    ascii: [0xFF; 3],
    wide: &[utf8('、')],
};

/// True for the ASCII bytes that end a sentence.
fn ascii_sentence_end(b: u8) -> bool {
    matches!(b, b'!' | b'?' | b';' | b'\n' | b'\r')
}

/// True for the ASCII bytes that end a clause or a sentence.
fn ascii_clause_end(b: u8) -> bool {
    ascii_sentence_end(b) || matches!(b, b',' | b':')
}

const WIDE_SENTENCE_ENDS: [[u8; 3]; 4] = [utf8('。'), utf8('！'), utf8('？'), utf8('；')];
const WIDE_CLAUSE_ENDS: [[u8; 3]; 6] = [
    utf8('。'),
    utf8('！'),
    utf8('？'),
    utf8('；'),
    utf8('，'),
    utf8('：'),
];

/// A test for the ASCII bytes that end a stretch.
type AsciiEnd = fn(u8) -> bool;

/// Which stretch [`around`] finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stretch {
    /// Between sentence ends.
    Sentence,
    /// Between clause or sentence ends.
    Clause,
}

/// The byte range of the sentence or clause around byte `at` (on a character boundary).
/// Works on bytes, in both directions, without decoding.
pub(crate) fn around(text: &str, at: usize, stretch: Stretch) -> (usize, usize) {
    let b = text.as_bytes();
    let at = at.min(b.len());
    let (ascii, wide): (AsciiEnd, &[[u8; 3]]) = match stretch {
        Stretch::Sentence => (ascii_sentence_end, &WIDE_SENTENCE_ENDS),
        Stretch::Clause => (ascii_clause_end, &WIDE_CLAUSE_ENDS),
    };
    let wide_at = |i: usize| i + 3 <= b.len() && wide.contains(&[b[i], b[i + 1], b[i + 2]]);
    let mut start = at;
    while start > 0 {
        if ascii(b[start - 1]) {
            break;
        }
        if start >= 3 && wide_at(start - 3) {
            break;
        }
        start -= 1;
    }
    let mut end = at;
    while end < b.len() && !ascii(b[end]) && !wide_at(end) {
        end += 1;
    }
    (start, end)
}

/// What follows a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    /// 件, 条, 个, 宗, 项, 份, 起, 次, 例.
    Count,
    /// `%` or `％`.
    Percent,
    /// 年.
    Year,
    /// Anything else (月, 日, 万, 余, 号, a letter…).
    Other,
}

/// A number printed in a piece of text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Number {
    /// Its value.
    pub value: f64,
    /// Digits after the decimal point.
    pub decimals: u32,
    /// Byte range of the digits within the piece.
    pub start: usize,
    /// One past the last digit.
    pub end: usize,
    /// What follows it.
    pub unit: Unit,
}

fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}'
}

/// True when the text contains an ASCII or full-width digit.
pub(crate) fn has_digit(text: &str) -> bool {
    let b = text.as_bytes();
    // ASCII digits 32 bytes at a time: a fold without an early exit is vectorised.
    b.chunks(32)
        .any(|c| c.iter().fold(false, |any, x| any | x.is_ascii_digit()))
        // Full-width digits are EF BC 90 … EF BC 99.
        || memchr::memchr_iter(0xBC, b).any(|i| {
            i > 0 && b[i - 1] == 0xEF && b.get(i + 1).is_some_and(|n| (0x90..=0x99).contains(n))
        })
}

/// Units after which a number written in Chinese numerals (`三件`, `十二条`) is read as a
/// count; 个, 项 and 次 are left out, because `一个`, `一项`, `一次` are ordinary words.
const CHINESE_COUNT_UNITS: [&str; 4] = ["件", "条", "宗", "起"];

fn is_chinese_numeral(c: char) -> bool {
    chinese_digit(c).is_some() || matches!(c, '十' | '百' | '千')
}

/// The Chinese-numeral count starting at byte `i` of `text`: its value, its end and the end
/// of its unit, when a count unit follows (spaces allowed between).
fn chinese_count_at(text: &str, i: usize) -> Option<(f64, usize)> {
    let run_end = text[i..]
        .char_indices()
        .find(|(_, c)| !is_chinese_numeral(*c))
        .map_or(text.len(), |(n, _)| i + n);
    let after = text[run_end..].trim_start_matches(is_space);
    if !CHINESE_COUNT_UNITS.iter().any(|u| after.starts_with(u)) || run_end - i > 5 * 3 {
        return None;
    }
    let value = chinese_numeral(&text[i..run_end])?;
    Some((f64::from(value), run_end))
}

/// True when the text holds a count in Chinese numerals (`三件`): a count unit with a numeral
/// before it (spaces allowed between).
pub(crate) fn has_chinese_count(text: &str) -> bool {
    // The units' last bytes (件 B6, 条 A1, 宗 97, 起 B7) in two passes; a place is a unit only
    // when the two bytes before it complete one.
    let b = text.as_bytes();
    let unit_at = |end: usize| {
        let start = end.checked_sub(2)?;
        let unit = text.get(start..=end)?;
        CHINESE_COUNT_UNITS.contains(&unit).then_some(start)
    };
    let counted = |start: usize| {
        text[..start]
            .trim_end_matches(is_space)
            .chars()
            .next_back()
            .is_some_and(is_chinese_numeral)
    };
    memchr::memchr3_iter(0xB6, 0xA1, 0x97, b)
        .chain(memchr::memchr_iter(0xB7, b))
        .filter_map(unit_at)
        .any(counted)
}

/// The numbers in `text`, in order, each with the unit that follows it (spaces allowed
/// between). A number glued to a preceding letter or `第` is an ordinal or a code: `Other`.
pub(crate) fn numbers(text: &str) -> Vec<Number> {
    let mut out = Vec::with_capacity(4);
    let mut chars = text.char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        // A count in Chinese numerals (`共受理三件`), not an ordinal (`第三件`) or part of a
        // longer run.
        if is_chinese_numeral(c)
            && !prev.is_some_and(|p| is_chinese_numeral(p) || p == '第')
            && let Some((value, end)) = chinese_count_at(text, i)
        {
            while chars.peek().is_some_and(|&(j, _)| j < end) {
                chars.next();
            }
            out.push(Number {
                value,
                decimals: 0,
                start: i,
                end,
                unit: Unit::Count,
            });
            prev = text[..end].chars().next_back();
            continue;
        }
        let Some(d) = digit(c) else {
            prev = Some(c);
            continue;
        };
        let mut value = f64::from(d);
        let mut end = i + c.len_utf8();
        let mut decimals = 0u32;
        let mut in_fraction = false;
        while let Some(&(j, n)) = chars.peek() {
            if let Some(d) = digit(n) {
                if in_fraction {
                    decimals += 1;
                    value += f64::from(d) / 10f64.powi(decimals as i32);
                } else {
                    value = value * 10.0 + f64::from(d);
                }
                end = j + n.len_utf8();
                chars.next();
            } else if (n == '.' || n == '．') && !in_fraction {
                let after = text[j + n.len_utf8()..].chars().next();
                if after.and_then(digit).is_some() {
                    in_fraction = true;
                    chars.next();
                } else {
                    break;
                }
            } else if n == ',' && !in_fraction {
                let rest = &text[j + 1..];
                let three = rest.chars().take(3).filter(|c| digit(*c).is_some()).count() == 3;
                let fourth = rest.chars().nth(3).and_then(digit).is_some();
                if three && !fourth {
                    chars.next();
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let glued = prev.is_some_and(|p| p.is_ascii_alphanumeric() || p == '第' || p == '-');
        let mut unit = Unit::Other;
        let mut last = None;
        while let Some(&(_, n)) = chars.peek() {
            if is_space(n) {
                chars.next();
                continue;
            }
            last = Some(n);
            unit = match n {
                '件' | '条' | '个' | '宗' | '项' | '份' | '起' | '次' | '例' => {
                    Unit::Count
                }
                '%' | '％' => Unit::Percent,
                '年' => Unit::Year,
                _ => Unit::Other,
            };
            break;
        }
        if glued && unit != Unit::Year {
            unit = Unit::Other;
        }
        out.push(Number {
            value,
            decimals,
            start: i,
            end,
            unit,
        });
        prev = last.or(Some(c));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Counts in Chinese numerals are read before a count unit only: 三件, 十二件, 一百零五件,
    // 两条; not 一个, 第三件, 十八届, or a run that is no number.
    #[test]
    fn chinese_numeral_counts() {
        let n =
            numbers("受理三件，办结十二件，共一百零五件，另两条；一个窗口，第三件，十八届，十十件");
        let got: Vec<(f64, Unit)> = n.iter().map(|n| (n.value, n.unit)).collect();
        assert_eq!(
            got,
            [
                (3.0, Unit::Count),
                (12.0, Unit::Count),
                (105.0, Unit::Count),
                (2.0, Unit::Count)
            ]
        );
        assert_eq!(&"受理三件"[n[0].start..n[0].end], "三");
        for (s, v) in [
            ("三", Some(3)),
            ("十", Some(10)),
            ("二十", Some(20)),
            ("二十一", Some(21)),
            ("一百", Some(100)),
            ("一百零五", Some(105)),
            ("两千零一十", Some(2010)),
            ("百", None),
            ("一二", None),
            ("一〇", None),
            ("十百", None),
        ] {
            assert_eq!(chinese_numeral(s), v, "{s}");
        }
        assert!(has_chinese_count("收到申请三件"));
        assert!(!has_chinese_count("进一步加强，统一部署"));
    }

    // Numbers are read with their units; spaces, full-width digits and decimals are accepted.
    #[test]
    fn reads_numbers_with_units() {
        let n =
            numbers("收到 2 条申请，予以公开７件，占81.4%，2023年，5万余次，第711号，12345热线");
        let got: Vec<(f64, Unit)> = n.iter().map(|n| (n.value, n.unit)).collect();
        assert_eq!(
            got,
            [
                (2.0, Unit::Count),
                (7.0, Unit::Count),
                (81.4, Unit::Percent),
                (2023.0, Unit::Year),
                (5.0, Unit::Other),
                (711.0, Unit::Other),
                (12345.0, Unit::Other),
            ]
        );
        assert_eq!(n[2].decimals, 1);
        assert_eq!(numbers("共1,234件")[0].value, 1234.0);
    }

    /// Sentence and clause ends together.
    const CLAUSE_OR_SENTENCE: &Delims = &Delims {
        ascii: *b";,:",
        wide: &[
            utf8('。'),
            utf8('！'),
            utf8('？'),
            utf8('；'),
            utf8('，'),
            utf8('：'),
        ],
    };

    // Pieces split at the delimiters keep their source offsets; thousands commas stay; empty
    // pieces are skipped.
    #[test]
    fn splits_with_offsets() {
        let text = "甲，乙1,234件。丙，";
        let whole = Piece { text, start: 100 };
        let parts: Vec<(String, usize)> = whole
            .split(CLAUSE_OR_SENTENCE)
            .map(|p| (p.text.to_owned(), p.start))
            .collect();
        assert_eq!(
            parts,
            [
                ("甲".to_owned(), 100),
                ("乙1,234件".to_owned(), 106),
                ("丙".to_owned(), 120)
            ]
        );
        let p = Piece {
            text: " 甲乙 ",
            start: 10,
        };
        assert_eq!(p.span(), Span::new(11, 17));
        let lines: Vec<(&str, usize)> = Piece {
            text: "甲\r\n\n乙",
            start: 5,
        }
        .lines()
        .map(|p| (p.text, p.start))
        .collect();
        assert_eq!(lines, [("甲", 5), ("乙", 11)]);
    }

    // The searches built on `memchr` find what the standard library's find, at every place.
    #[test]
    fn short_searches_agree_with_std() {
        let texts = [
            "其中予以公开7件，不予公开0件",
            "",
            "件",
            "abc件件 件",
            "１２３件，2023年2023年",
            "公开公开公",
        ];
        let words = ["件", "公开", "不予公开", "2023年", "x", "件件"];
        for t in texts {
            assert_eq!(find_short(t, ""), Some(0));
            for w in words {
                assert_eq!(find_short(t, w), t.find(w), "{t} / {w}");
                let all: Vec<usize> = t.match_indices(w).map(|(i, _)| i).collect();
                assert_eq!(positions(t, w).collect::<Vec<_>>(), all, "{t} / {w}");
            }
        }
        let long = "统计年度内未收到政府信息公开申请，";
        for (text, want) in [
            ("第１件", true),
            ("a1", true),
            ("，（）：", false),
            (long, false),
            (&format!("{long}{long}9"), true),
            (&format!("{long}{long}９"), true),
        ] {
            assert_eq!(has_digit(text), want, "{text}");
        }
        for (text, want) in [
            ("共受理三件", true),
            ("三 条", true),
            ("十二宗，两起", true),
            ("三个", false),
            ("件条宗起", false),
            ("収件", false),
            ("", false),
        ] {
            assert_eq!(has_chinese_count(text), want, "{text}");
        }
    }

    // The character summary never hides a word that is there, and rules out most that are not.
    #[test]
    fn words_summary() {
        let w = Words::new("其中予以公开7件，不予公开0件");
        assert!(w.has(word!("予以公开")) && w.has(word!("不予公开")) && w.has(word!("7件")));
        assert_eq!(w.find(word!("不予")), Some("其中予以公开7件，".len()));
        assert!(!w.has(word!("复议")) && !w.has(word!("予以处理")));
        assert_eq!(w.find_any(words!["公开", "其中"]), Some((0, "其中".len())));
        assert_eq!(Word::new("予以").bits, word_bits_runtime("予以"));
    }

    fn word_bits_runtime(w: &str) -> u64 {
        w.chars().take(2).fold(0, |m, c| m | char_bit(u32::from(c)))
    }
}
