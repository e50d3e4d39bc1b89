//! What was printed in one cell. The raw text is the truth; the number and the kind are read
//! from it. A blank, a placeholder and a 0 stay distinct: nothing becomes 0 by guessing.

use super::Span;
use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// Longest number (in ASCII bytes, sign and point included) that is read as a number; longer
/// digit strings are not numbers a report prints (they stay text). Listed in
/// `ingest::limits` with the other limits against hostile input.
pub const MAX_NUMBER_BYTES: usize = 40;

/// Texts that mean "no value / not applicable" when printed alone in a cell.
const PLACEHOLDERS: &[&str] = &[
    "/",
    "／",
    "\\",
    "—",
    "——",
    "-",
    "－",
    "–",
    "―",
    "--",
    "无",
    "不适用",
    "空",
    "暂无",
];

/// What a cell holds, read from its raw text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// Nothing was printed (or the table is missing).
    Blank,
    /// The number 0.
    Zero,
    /// A number other than 0 (possibly with a unit or a note beside it).
    Number,
    /// A placeholder such as `/`, `—`, `无`, `不适用`.
    Placeholder,
    /// Text with no number in it.
    Text,
}

/// One cell as read from the source: raw text, its number, and where it was read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The text as printed, trimmed; `None` when nothing was printed. Stored inline up to 24
    /// bytes (every number a report prints), so reading 200 cells allocates nothing.
    pub raw: Option<CompactString>,
    /// The number in `raw`, if it holds one.
    pub value: Option<f64>,
    /// Where `raw` is in the source text.
    pub span: Option<Span>,
}

impl Cell {
    /// A cell read from `raw` at `span`.
    pub fn read(raw: &str, span: Span) -> Cell {
        let raw = raw.trim();
        Cell {
            value: parse_trimmed(raw),
            raw: Some(CompactString::from(raw)),
            span: Some(span),
        }
    }

    /// A cell with nothing printed.
    pub fn blank() -> Cell {
        Cell::default()
    }

    /// What the cell holds.
    pub fn kind(&self) -> ValueKind {
        match (&self.raw, self.value) {
            (None, _) => ValueKind::Blank,
            (Some(_), Some(0.0)) => ValueKind::Zero,
            (Some(_), Some(_)) => ValueKind::Number,
            (Some(r), None) if r.is_empty() => ValueKind::Blank,
            (Some(r), None) if is_placeholder(r) => ValueKind::Placeholder,
            (Some(_), None) => ValueKind::Text,
        }
    }

    /// True when the raw text holds more than the number: a unit (`万元`) or a note
    /// (`22（其中修订16件）`).
    pub fn is_annotated(&self) -> bool {
        match (&self.raw, self.value) {
            (Some(raw), Some(_)) => number_prefix(raw).is_none_or(|(_, len)| {
                raw[len..].chars().any(|c| !c.is_whitespace())
                    || raw.chars().next().is_some_and(|c| !starts_number(c))
            }),
            _ => false,
        }
    }
}

/// True when `text` alone means "not applicable / none".
pub fn is_placeholder(text: &str) -> bool {
    placeholder_exact(text.trim())
}

/// [`is_placeholder`] for text that is already trimmed.
pub(crate) fn placeholder_exact(t: &str) -> bool {
    // Every placeholder is 1, 2, 3, 6 or 9 bytes and starts with one of a few bytes (`/`, `\`,
    // `-`, and the lead bytes of — ／ 不 无 空); most words are turned away by these two tests
    // before any comparison. A test checks every placeholder passes them.
    matches!(t.len(), 1 | 2 | 3 | 6 | 9)
        && matches!(
            t.as_bytes()[0],
            b'/' | b'\\' | b'-' | 0xE2 | 0xEF | 0xE4 | 0xE6 | 0xE7
        )
        && PLACEHOLDERS.contains(&t)
}

fn starts_number(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c) || matches!(c, '-' | '－' | '−')
}

/// Maps full-width digits and signs to ASCII; other characters are returned unchanged.
fn ascii_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        '．' => '.',
        '－' | '−' => '-',
        '，' => ',',
        _ => c,
    }
}

/// Reads a number at the start of `text`: `(value, byte length)`. Accepts full-width digits,
/// a leading minus, thousands separators in groups of three and a decimal part.
pub(crate) fn number_prefix(text: &str) -> Option<(f64, usize)> {
    // Whole ASCII numbers of up to 15 digits (nearly every cell of a report) are exact as f64
    // and need neither the scanner nor the float parser.
    if let Some(n) = plain_digits(text)
        && n <= 15
    {
        let v = text.as_bytes()[..n]
            .iter()
            .fold(0u64, |v, d| v * 10 + u64::from(d - b'0'));
        return Some((v as f64, n));
    }
    let mut buf = [0u8; MAX_NUMBER_BYTES];
    let (n, end) = scan_number(text, &mut buf)?;
    std::str::from_utf8(&buf[..n])
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .map(|v| (v, end))
}

/// The byte length of the number at the start of `text`, without converting it.
pub(crate) fn number_len(text: &str) -> Option<usize> {
    if let Some(n) = plain_digits(text) {
        return Some(n);
    }
    let mut buf = [0u8; MAX_NUMBER_BYTES];
    scan_number(text, &mut buf).map(|(_, end)| end)
}

/// The fast path of [`scan_number`]: when `text` starts with ASCII digits (at most
/// [`MAX_NUMBER_BYTES`]) followed by nothing that could continue a number (a separator, a point,
/// or a full-width character, whose UTF-8 starts with 0xEF), their count. `None` means "ask
/// the scanner", not "no number".
fn plain_digits(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let n = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    (n > 0 && n <= MAX_NUMBER_BYTES && !matches!(bytes.get(n), Some(b',' | b'.' | 0xEF)))
        .then_some(n)
}

/// Scans a number at the start of `text` into `buf` as ASCII: `(bytes in buf, bytes of text)`.
fn scan_number(text: &str, buf: &mut [u8; MAX_NUMBER_BYTES]) -> Option<(usize, usize)> {
    // The digits are gathered in a stack buffer: this runs for every word of every table.
    let mut n = 0usize;
    let mut push = |b: u8, n: &mut usize| -> bool {
        if *n >= MAX_NUMBER_BYTES {
            return false;
        }
        buf[*n] = b;
        *n += 1;
        true
    };
    let mut chars = text.char_indices().peekable();
    let mut end = 0;
    if let Some(&(_, c)) = chars.peek()
        && ascii_digit(c) == '-'
    {
        push(b'-', &mut n);
        chars.next();
    }
    let mut int_digits = 0;
    let mut group = 0usize;
    let mut in_groups = false;
    let mut seen_point = false;
    while let Some(&(i, c)) = chars.peek() {
        let a = ascii_digit(c);
        if a.is_ascii_digit() {
            if !push(a as u8, &mut n) {
                return None;
            }
            if !seen_point {
                int_digits += 1;
                group += 1;
            }
            chars.next();
            end = i + c.len_utf8();
        } else if a == ',' && !seen_point && int_digits > 0 {
            // A thousands separator only when exactly three digits follow and the previous group
            // is valid; otherwise the comma ends the number.
            let mut rest = text[i + c.len_utf8()..].chars().map(ascii_digit);
            let three = (0..3).all(|_| rest.next().is_some_and(|d| d.is_ascii_digit()));
            let fourth_digit = rest.next().is_some_and(|d| d.is_ascii_digit());
            let valid_prev = if in_groups { group == 3 } else { group <= 3 };
            if three && !fourth_digit && valid_prev {
                in_groups = true;
                group = 0;
                chars.next();
            } else {
                break;
            }
        } else if a == '.' && !seen_point && int_digits > 0 {
            let rest = &text[i + c.len_utf8()..];
            if rest
                .chars()
                .next()
                .is_some_and(|d| ascii_digit(d).is_ascii_digit())
            {
                seen_point = true;
                if !push(b'.', &mut n) {
                    return None;
                }
                chars.next();
            } else {
                break;
            }
        } else {
            break;
        }
    }
    if int_digits == 0 || (in_groups && group != 3) {
        return None;
    }
    Some((n, end))
}

/// The number a cell's raw text holds: the number it starts with (`12872.06 万元` → 12872.06,
/// `22（其中修订16件）` → 22, `１２` → 12, `1,234` → 1234). Placeholders and text without a
/// leading number give `None`.
pub fn parse_number(raw: &str) -> Option<f64> {
    parse_trimmed(raw.trim())
}

/// A number as people read it, wherever a value, sum or difference is shown (tables, finding
/// messages, the notice, the workbook): whole numbers without `.0`; at most 15 significant
/// digits, as a spreadsheet shows a cell (`0.1 + 0.2` reads `0.3`); and at most six decimals,
/// the precision below which the checks call two numbers equal (a difference of two amounts
/// reads `0.01`, not `0.010000000000218`), unless that would show a number that is not zero
/// as `0`.
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    // A whole number below 10^15 has at most 15 significant digits: the rounding below leaves
    // it as it is, and it prints without a decimal point (the cast is exact below 2^53).
    if v == v.trunc() && v.abs() < 1e15 {
        return (v as i64).to_string();
    }
    // Rounding through the shortest exponent form keeps 15 significant digits; the text of a
    // finite f64 always parses back.
    let v: f64 = format!("{v:.14e}").parse().unwrap_or(v);
    if v == v.trunc() && v.abs() < 1e15 {
        // Whole numbers print without a decimal point; the cast is exact below 2^53.
        return format!("{}", v as i64);
    }
    let fixed = format!("{v:.6}");
    let short = fixed.trim_end_matches('0').trim_end_matches('.');
    if short == "0" || short == "-0" {
        format!("{v}")
    } else {
        short.to_owned()
    }
}

/// [`parse_number`] for text that is already trimmed.
fn parse_trimmed(t: &str) -> Option<f64> {
    if t.is_empty() || (!t.as_bytes()[0].is_ascii_digit() && is_placeholder(t)) {
        return None;
    }
    number_prefix(t).map(|(v, _)| v)
}

/// The value of a Chinese numeral digit: `零`/`〇` 0 … `九` 9, `两` 2.
pub(crate) fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// The value of a number in Chinese numerals below 10 000: `三` 3, `十二` 12, `二十` 20,
/// `一百零五` 105, `两千` 2000. `None` for anything else (`十十`, `百`, `一二`, `一〇`). The one
/// reader of Chinese numerals: part numbers (`二、`) and counts in the narrative (`三件`).
pub(crate) fn chinese_numeral(s: &str) -> Option<u32> {
    let (mut total, mut current, mut last_place) = (0u32, None::<u32>, 10_000u32);
    for c in s.chars() {
        if let Some(d) = chinese_digit(c) {
            // Two digits in a row (`一二`) are no number; 零 stands only after a place.
            if current.is_some() {
                return None;
            }
            current = (d != 0).then_some(d);
            continue;
        }
        let place = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        if place >= last_place {
            return None;
        }
        // 十二: a leading 十 is 一十; 百 and 千 need their digit.
        let d = match current.take() {
            Some(d) => d,
            None if place == 10 => 1,
            None => return None,
        };
        total += d * place;
        last_place = place;
    }
    Some(total + current.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(raw: &str) -> Cell {
        Cell::read(raw, Span::new(0, raw.len()))
    }

    // Numbers print without `.0`, without float noise, with at most six decimals, and a small
    // number that is not zero never prints as 0.
    #[test]
    fn formats_numbers() {
        for (v, want) in [
            (5.0, "5"),
            (0.0, "0"),
            (-0.0, "0"),
            (-3.5, "-3.5"),
            (69482.0, "69482"),
            (12872.06, "12872.06"),
            (12872.064, "12872.064"),
            (0.1 + 0.2, "0.3"),
            (12872.06 - 12872.05, "0.01"),
            (871.5599999999995, "871.56"),
            (1.0 / 3.0, "0.333333"),
            (0.0000004, "0.0000004"),
            (1e16, "10000000000000000"),
            (f64::NAN, "NaN"),
        ] {
            assert_eq!(format_number(v), want, "{v}");
        }
    }

    // Numbers, full-width digits, units, notes and thousands separators are read as numbers.
    #[test]
    fn reads_numbers() {
        assert_eq!(parse_number("0"), Some(0.0));
        assert_eq!(parse_number("69482"), Some(69482.0));
        assert_eq!(parse_number("12872.06 万元"), Some(12872.06));
        assert_eq!(parse_number("22（其中修订16件）"), Some(22.0));
        assert_eq!(parse_number("１２"), Some(12.0));
        assert_eq!(parse_number("１２．５"), Some(12.5));
        assert_eq!(parse_number("1,234"), Some(1234.0));
        assert_eq!(parse_number("12,345,678"), Some(12345678.0));
        assert_eq!(parse_number("-3"), Some(-3.0));
        assert_eq!(parse_number("1,2"), Some(1.0));
    }

    // Placeholders and words are not numbers, and are not zero.
    #[test]
    fn placeholders_are_not_zero() {
        for p in ["/", "—", "-", "无", "不适用", "——", "／"] {
            assert_eq!(parse_number(p), None, "{p}");
            assert_eq!(cell(p).kind(), ValueKind::Placeholder, "{p}");
        }
        // The length filter in `placeholder_exact` lets every listed placeholder through.
        for p in PLACEHOLDERS {
            assert!(placeholder_exact(p), "{p}");
        }
        assert_eq!(cell("见附件").kind(), ValueKind::Text);
        assert_eq!(Cell::blank().kind(), ValueKind::Blank);
        assert_eq!(cell("0").kind(), ValueKind::Zero);
        assert_eq!(cell("5").kind(), ValueKind::Number);
    }

    // A unit or a note beside the number is noticed; a plain number is not annotated.
    #[test]
    fn annotations() {
        assert!(cell("12872.06 万元").is_annotated());
        assert!(cell("22（其中修订16件）").is_annotated());
        assert!(!cell("12872.06").is_annotated());
        assert!(!cell("０").is_annotated());
    }
}
