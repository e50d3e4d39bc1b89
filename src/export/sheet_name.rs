//! Worksheet names within Excel's rules: at most 31 UTF-16 units, none of `[]:*?/\`, not
//! starting or ending with an apostrophe, not `History`, and unique ignoring case, however long
//! or odd the agency name is.

use std::collections::HashSet;

/// Excel's limit on a sheet name, in UTF-16 code units.
pub const MAX_SHEET_NAME: usize = 31;

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Keeps the longest prefix of `s` that fits in `max` UTF-16 units.
fn truncate_utf16(s: &str, max: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        used += c.len_utf16();
        if used > max {
            return &s[..i];
        }
    }
    s
}

/// `text` with the characters Excel refuses removed, control characters and white space runs
/// turned into single spaces, and apostrophes trimmed from both ends.
pub fn clean_sheet_text(text: &str) -> String {
    let mapped: String = text
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    mapped
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches('\'')
        .trim()
        .to_owned()
}

/// Hands out unique, valid sheet names.
#[derive(Debug, Default)]
pub struct SheetNamer {
    taken: HashSet<String>,
}

impl SheetNamer {
    /// A namer with `reserved` names already taken (the fixed sheets such as `问题清单`).
    pub fn new(reserved: &[&str]) -> Self {
        let mut namer = Self::default();
        for name in reserved {
            namer.taken.insert(name.to_lowercase());
        }
        namer.taken.insert("history".to_owned());
        namer
    }

    /// A valid, unused name built from `base` and `suffix` (the suffix, e.g. a year, is kept
    /// whole when the base has to be shortened). Falls back to `报告` when nothing is left.
    pub fn name(&mut self, base: &str, suffix: &str) -> String {
        let suffix = clean_sheet_text(suffix);
        let suffix = truncate_utf16(&suffix, MAX_SHEET_NAME / 2);
        let mut base = clean_sheet_text(base);
        if base.is_empty() && suffix.is_empty() {
            base = "报告".to_owned();
        }
        let mut n = 1usize;
        loop {
            let counter = if n == 1 {
                String::new()
            } else {
                format!("({n})")
            };
            let room = MAX_SHEET_NAME - utf16_len(suffix) - utf16_len(&counter);
            let head = truncate_utf16(&base, room);
            let candidate = format!("{head}{suffix}{counter}");
            let candidate = candidate.trim_matches('\'').to_owned();
            if !candidate.is_empty() && self.taken.insert(candidate.to_lowercase()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// True when Excel accepts `name` as a sheet name (uniqueness aside).
pub fn is_valid_sheet_name(name: &str) -> bool {
    !name.is_empty()
        && utf16_len(name) <= MAX_SHEET_NAME
        && !name.contains(['[', ']', ':', '*', '?', '/', '\\'])
        && !name.starts_with('\'')
        && !name.ends_with('\'')
        && !name.eq_ignore_ascii_case("history")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::xlsx::{SHEET_FINDINGS, SHEET_SUMMARY};

    // Long agency names are cut so that the year and a counter still fit in 31 units.
    #[test]
    fn long_names_keep_year_and_stay_unique() {
        let mut namer = SheetNamer::new(&[SHEET_FINDINGS, SHEET_SUMMARY]);
        let long = "中华人民共和国国家发展和改革委员会办公厅政府信息公开工作领导小组办公室";
        let a = namer.name(long, "2024");
        let b = namer.name(long, "2024");
        let c = namer.name(long, "2024");
        for n in [&a, &b, &c] {
            assert!(is_valid_sheet_name(n), "{n}");
            assert!(n.contains("2024"), "{n}");
        }
        assert_eq!(utf16_len(&a), 31);
        assert!(b.ends_with("2024(2)"), "{b}");
        assert!(c.ends_with("2024(3)"), "{c}");
        assert_ne!(a, b);
    }

    // Forbidden characters, apostrophes, reserved and case-only duplicates are avoided.
    #[test]
    fn forbidden_and_reserved() {
        let mut namer = SheetNamer::new(&[SHEET_FINDINGS, SHEET_SUMMARY]);
        assert_eq!(namer.name("a[b]:c*d?e/f\\g", ""), "abcdefg");
        assert_eq!(namer.name("'quoted'", ""), "quoted");
        assert_eq!(
            namer.name(SHEET_FINDINGS, ""),
            format!("{SHEET_FINDINGS}(2)")
        );
        assert_eq!(namer.name("History", ""), "History(2)");
        assert_eq!(namer.name("ABC", ""), "ABC");
        assert_eq!(namer.name("abc", ""), "abc(2)");
        assert_eq!(namer.name("", ""), "报告");
        assert_eq!(namer.name("[]", "2023"), "2023");
        assert_eq!(namer.name("局\n办\t公室", ""), "局 办 公室");
    }

    // Characters outside the BMP count as two units, as Excel counts them.
    #[test]
    fn utf16_units() {
        let mut namer = SheetNamer::new(&[]);
        let name = namer.name(&"😀".repeat(20), "2024");
        assert!(utf16_len(&name) <= 31, "{name}");
        assert!(is_valid_sheet_name(&name));
    }
}
