//! Every limit against hostile input, in one place. The README lists them.

/// Largest file read at all (50 MiB). Larger files are refused before loading.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// Longest start of a text the extractor reads for the title and the tables (2 MiB, about
/// 700,000 Chinese characters; the longest real reports are a few hundred KB of text). The rest
/// is still shown; it is not searched, so a 50 MB text costs what 2 MB does.
pub const MAX_EXTRACT_BYTES: usize = 2 * 1024 * 1024;

/// Longest text the extractor looks at for tables (characters beyond it are still shown).
pub const MAX_TEXT_BYTES: usize = 50 * 1024 * 1024;

/// Most digits in a run of digits that the extractor tries to split into cells.
pub const MAX_DIGIT_RUN: usize = 40;

/// Most candidate splits explored for one run of digits.
pub const MAX_SPLIT_STEPS: usize = 200_000;

/// Longest stretch of text read as one table (1 MiB). A real table, with the notes and page
/// furniture around it, is a few KB; a region is cut here so that a table heading followed by
/// 50 MB without another heading costs no more than a real table.
pub const MAX_TABLE_REGION_BYTES: usize = 1024 * 1024;

/// Most warnings about rows kept for one report (the few about whole tables come on top). A real
/// report has a handful; junk between two table headings could otherwise give one per word, each
/// written out in the JSON.
pub const MAX_WARNINGS: usize = 1_000;

/// Most surplus values of a row listed in its `too_many_values` warning (the count is exact).
pub const MAX_LISTED_EXTRAS: usize = 20;

/// Largest review file (`.nianbao.json`) read (64 MiB; a real one is a few hundred KB at most).
/// A larger file is treated as damaged rather than loaded into memory.
pub const MAX_REVIEW_BYTES: u64 = 64 * 1024 * 1024;
