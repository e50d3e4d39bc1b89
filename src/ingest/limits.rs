//! Every limit against hostile input, in one place. The README lists them.

/// Largest file read at all (50 MiB). Larger files are refused before loading.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// Longest text the extractor looks at for tables (characters beyond it are still shown).
pub const MAX_TEXT_BYTES: usize = 50 * 1024 * 1024;

/// Most digits in a run of digits that the extractor tries to split into cells.
pub const MAX_DIGIT_RUN: usize = 40;

/// Most candidate splits explored for one run of digits.
pub const MAX_SPLIT_STEPS: usize = 200_000;
