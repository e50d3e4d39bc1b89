//! Splitting a run of digits that lost its separators (`693665`) into a row's cells. A split is
//! used only when it is the one split that satisfies the row's own relation; otherwise the cells
//! stay unread.

use crate::ingest::limits::{MAX_DIGIT_RUN, MAX_SPLIT_CANDIDATES, MAX_SPLIT_STEPS};

/// The relation the values of a row must satisfy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// No relation: only the digits themselves constrain the split.
    None,
    /// The last value is the sum of the others (table 三's total column).
    RowSum,
    /// Consecutive groups of this many values, each ending in the sum of the group's others
    /// (table 四: upheld + corrected + other + pending = total).
    GroupSums(usize),
}

/// What came of trying to split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Split {
    /// Exactly one split fits: the byte ranges of each part, relative to the run.
    Unique(Vec<(usize, usize)>),
    /// Several splits fit (count, capped).
    Ambiguous(usize),
    /// No split fits.
    None,
}

/// Splits `run` (digits only, ASCII or full-width) into `parts` numbers without leading zeros.
pub fn split_digits(run: &str, parts: usize, relation: Relation) -> Split {
    let digits: Vec<(usize, u64)> = run
        .char_indices()
        .filter_map(|(i, c)| {
            let d = if c.is_ascii_digit() {
                c as u32 - '0' as u32
            } else if ('０'..='９').contains(&c) {
                c as u32 - '０' as u32
            } else {
                return None;
            };
            Some((i, d as u64))
        })
        .collect();
    if parts == 0 || digits.len() < parts || digits.len() > MAX_DIGIT_RUN {
        return Split::None;
    }
    let mut search = Search {
        digits: &digits,
        run_len: run.len(),
        parts,
        relation,
        values: Vec::with_capacity(parts),
        cuts: Vec::with_capacity(parts),
        found: None,
        count: 0,
        steps: 0,
    };
    search.go(0);
    if search.steps > MAX_SPLIT_STEPS {
        return Split::Ambiguous(search.count.max(2));
    }
    match (search.count, search.found) {
        (1, Some(found)) => Split::Unique(found),
        (0, _) => Split::None,
        (n, _) => Split::Ambiguous(n),
    }
}

struct Search<'a> {
    digits: &'a [(usize, u64)],
    run_len: usize,
    parts: usize,
    relation: Relation,
    values: Vec<u64>,
    cuts: Vec<(usize, usize)>,
    found: Option<Vec<(usize, usize)>>,
    count: usize,
    steps: usize,
}

impl Search<'_> {
    fn byte_at(&self, i: usize) -> usize {
        self.digits.get(i).map_or(self.run_len, |d| d.0)
    }

    fn go(&mut self, pos: usize) {
        self.steps += 1;
        if self.count >= MAX_SPLIT_CANDIDATES || self.steps > MAX_SPLIT_STEPS {
            return;
        }
        let placed = self.values.len();
        if placed == self.parts {
            if pos == self.digits.len() && self.final_ok() {
                self.count += 1;
                if self.count == 1 {
                    self.found = Some(self.cuts.clone());
                }
            }
            return;
        }
        let remaining_parts = self.parts - placed;
        let remaining_digits = self.digits.len() - pos;
        if remaining_digits < remaining_parts {
            return;
        }
        let max_len = if self.digits[pos].1 == 0 {
            1
        } else {
            (remaining_digits - (remaining_parts - 1)).min(15)
        };
        for len in 1..=max_len {
            let value = self.digits[pos..pos + len]
                .iter()
                .fold(0u64, |acc, d| acc * 10 + d.1);
            self.values.push(value);
            self.cuts.push((self.byte_at(pos), self.byte_at(pos + len)));
            if self.partial_ok() {
                self.go(pos + len);
            }
            self.values.pop();
            self.cuts.pop();
        }
    }

    /// Checks a group as soon as it is complete.
    fn partial_ok(&self) -> bool {
        match self.relation {
            Relation::GroupSums(g) if g > 1 && self.values.len().is_multiple_of(g) => {
                let group = &self.values[self.values.len() - g..];
                group[..g - 1].iter().sum::<u64>() == group[g - 1]
            }
            _ => true,
        }
    }

    fn final_ok(&self) -> bool {
        match self.relation {
            Relation::RowSum => {
                let (last, rest) = self
                    .values
                    .split_last()
                    .map_or((0, &[][..]), |(l, r)| (*l, r));
                rest.iter().sum::<u64>() == last
            }
            Relation::GroupSums(_) | Relation::None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(run: &str, split: &Split) -> Vec<String> {
        match split {
            Split::Unique(cuts) => cuts.iter().map(|&(s, e)| run[s..e].to_owned()).collect(),
            _ => Vec::new(),
        }
    }

    // A row of table 三 whose seven values ran together splits where the total fits.
    #[test]
    fn row_sum_unique() {
        let run = "1200003";
        let s = split_digits(run, 7, Relation::RowSum);
        assert_eq!(parts(run, &s), ["1", "2", "0", "0", "0", "0", "3"]);
        let run = "120000012";
        let s = split_digits(run, 7, Relation::RowSum);
        assert_eq!(parts(run, &s), ["12", "0", "0", "0", "0", "0", "12"]);
    }

    // Without a relation, many splits fit and the run stays unresolved; zeros alone are unique.
    #[test]
    fn ambiguous_and_zeros() {
        assert!(matches!(split_digits("693665", 3, Relation::None), Split::Ambiguous(n) if n > 1));
        assert_eq!(
            parts("000", &split_digits("000", 3, Relation::None)),
            ["0", "0", "0"]
        );
        assert_eq!(split_digits("12", 3, Relation::None), Split::None);
    }

    // Table 四's groups each have to add up.
    #[test]
    fn group_sums() {
        let run = "100010000000000";
        let s = split_digits(run, 15, Relation::GroupSums(5));
        assert_eq!(parts(run, &s).len(), 15);
        let run = "１０００１";
        let s = split_digits(run, 5, Relation::GroupSums(5));
        assert_eq!(parts(run, &s), ["１", "０", "０", "０", "１"]);
    }

    // Long runs are bounded in work.
    #[test]
    fn long_runs_bounded() {
        let run = "9".repeat(40);
        assert!(!matches!(
            split_digits(&run, 15, Relation::None),
            Split::Unique(_)
        ));
        assert_eq!(
            split_digits(&"9".repeat(41), 3, Relation::None),
            Split::None
        );
    }
}
