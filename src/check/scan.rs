//! Small readers for report prose: pieces of text split at punctuation (with their byte
//! offsets in the source), and the numbers printed in them with the unit that follows
//! (`13件`, `81.4%`, `2023年`). Full-width digits and spaces inside numbers are accepted.

use crate::model::Span;

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
    /// separator, not a delimiter. Empty pieces are skipped.
    pub fn split(self, delims: &'static [char]) -> impl Iterator<Item = Piece<'a>> {
        let text = self.text;
        let base = self.start;
        let bytes = text.as_bytes();
        let mut from = 0;
        let mut iter = text.char_indices();
        std::iter::from_fn(move || {
            loop {
                let next = iter.next();
                let cut = match next {
                    Some((i, c)) if delims.contains(&c) => {
                        let thousands = c == ','
                            && i > 0
                            && bytes[i - 1].is_ascii_digit()
                            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                        if thousands {
                            None
                        } else {
                            Some((i, i + c.len_utf8()))
                        }
                    }
                    Some(_) => None,
                    None => Some((text.len(), text.len())),
                };
                if let Some((end, resume)) = cut {
                    let piece = Piece {
                        text: &text[from..end],
                        start: base + from,
                    };
                    let done = next.is_none();
                    from = resume;
                    if !piece.text.trim().is_empty() {
                        return Some(piece);
                    }
                    if done {
                        return None;
                    }
                }
            }
        })
    }
}

/// Sentence ends.
pub(crate) const SENTENCE: &[char] = &['。', '！', '？', '!', '?', '；', ';', '\n', '\r'];
/// Clause ends within a sentence.
pub(crate) const CLAUSE: &[char] = &['，', ',', '：', ':'];
/// List separators within a clause.
pub(crate) const LIST: &[char] = &['、'];
/// Line ends.
pub(crate) const LINE: &[char] = &['\n', '\r'];

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
    text.bytes().any(|b| b.is_ascii_digit()) || text.contains(|c| ('０'..='９').contains(&c))
}

/// The numbers in `text`, in order, each with the unit that follows it (spaces allowed
/// between). A number glued to a preceding letter or `第` is an ordinal or a code: `Other`.
pub(crate) fn numbers(text: &str) -> Vec<Number> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((i, c)) = chars.next() {
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

/// The first position of any of `pats` in `text`: (byte offset, pattern length).
pub(crate) fn find_any(text: &str, pats: &[&str]) -> Option<(usize, usize)> {
    pats.iter()
        .filter_map(|p| text.find(p).map(|i| (i, p.len())))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

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

    // Pieces split at the delimiters keep their source offsets; thousands commas stay.
    #[test]
    fn splits_with_offsets() {
        let text = "甲，乙1,234件。丙";
        let whole = Piece { text, start: 100 };
        let parts: Vec<(String, usize)> = whole
            .split(&['，', '。'])
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
    }
}
