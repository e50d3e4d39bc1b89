//! Every limit against hostile input, in one place. The README lists them.

/// Largest file read at all (50 MiB). Larger files are refused before loading.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// Most bytes from the start of a file fed to encoding detection (256 KiB, some 100,000
/// Chinese characters: the start decides; detecting on all of a 50 MB file takes seconds).
pub const MAX_DETECT_BYTES: usize = 256 * 1024;

/// Longest start of a text the extractor reads for the title and the tables (2 MiB, about
/// 700,000 Chinese characters; the longest real reports are a few hundred KB of text). The rest
/// is still shown; it is not searched, so a 50 MB text costs what 2 MB does.
pub const MAX_EXTRACT_BYTES: usize = 2 * 1024 * 1024;

/// Longest text made from a document (.docx, web page, spreadsheet, OpenDocument): 50 MiB.
/// A document whose text would be longer is refused.
pub const MAX_TEXT_BYTES: usize = 50 * 1024 * 1024;

/// Most digits in a run of digits that the extractor tries to split into cells.
pub const MAX_DIGIT_RUN: usize = 40;

/// Most candidate splits explored for one run of digits.
pub const MAX_SPLIT_STEPS: usize = 200_000;

/// Most ways of splitting a run of digits that are counted for the warning before giving up.
pub const MAX_SPLIT_CANDIDATES: usize = 1000;

/// Longest number that is read as a number: defined with the number reader in the model, the
/// lowest layer, and listed here with the other limits.
pub use crate::model::value::MAX_NUMBER_BYTES;

/// How much report text `nianbao check` keeps in memory between its two passes (256 MiB; beyond
/// it, files are read twice).
pub const MAX_KEPT_TEXT_BYTES: usize = 256 * 1024 * 1024;

/// Most entries in a zip container (.docx, .xlsx, .ods). Real documents have a few dozen.
pub const MAX_ZIP_ENTRIES: usize = 10_000;

/// Most bytes all XML parts of a zip container may inflate to, together (8 MiB). A real report
/// inflates to some 200 KB of XML for 10 KB of text; a zip bomb is stopped here, not when memory
/// runs out, and the XML readers (5-10 MB/s in a debug build) finish within the time bound.
pub const MAX_UNZIPPED_BYTES: u64 = 8 * 1024 * 1024;

/// Deepest element nesting accepted in a document's XML or HTML. Word and web pages stay
/// under 100; html5ever's tree building is quadratic in depth, so 10^5 nested tags are refused.
pub const MAX_NESTING_DEPTH: usize = 1_000;

/// Most tables nested inside one another (a table in a cell of a table…).
pub const MAX_TABLE_NESTING: usize = 16;

/// Most spreadsheet cells of one workbook, over all sheets (50,000; a report's workbook has a
/// few hundred). For .xlsx every cell element counts, empty or not, and they are counted in the
/// XML before calamine parses it; for .xls and .ods the non-empty cells read count.
pub const MAX_SHEET_CELLS: usize = 50_000;

/// Largest web page parsed, after decoding (8 MiB; a saved report page is 50-500 KB). html5ever
/// keeps the whole page as a tree, several times its size.
pub const MAX_HTML_BYTES: usize = 8 * 1024 * 1024;

/// Most elements (opening tags) in a web page (100,000; a report page has a few thousand).
/// html5ever's tree takes some 450 bytes per element: a 50 MB page of `<p>x</p>` took 2.7 GB.
pub const MAX_HTML_ELEMENTS: usize = 100_000;

/// Largest grid (rows × columns, from a sheet's first to last cell) of an old .xls sheet.
/// calamine lays each .xls sheet out densely in memory, about 60 bytes a cell: 2 million cells
/// is 120 MB (4 million took 248 MB). A real report sheet has a few hundred.
pub const MAX_XLS_GRID_CELLS: usize = 2_000_000;

/// Most merged ranges of a sheet that are used for its layout (the rest are ignored: the text
/// stays right, only spacing may differ).
pub const MAX_SHEET_MERGES: usize = 100_000;

/// Widest table or sheet row laid out, in columns (Excel's own limit is 16,384). Cells beyond it
/// are refused rather than padded with thousands of tabs.
pub const MAX_TABLE_COLUMNS: usize = 1_024;

/// Most rows a single merged cell may span (rowspan / vMerge / spreadsheet merges).
pub const MAX_ROW_SPAN: usize = 1_000;

/// Most bytes all PDF streams may inflate to, together (64 MiB: fonts, pictures and page
/// content of a real report take a few MB). Checked before any text is extracted, so a PDF
/// compression bomb gets a message instead of the memory.
pub const MAX_PDF_INFLATED_BYTES: u64 = 64 * 1024 * 1024;

/// Most bytes of drawing operators (inflated page content) on one PDF page (512 KiB; a dense
/// page of text has 20-40 KB). The PDF reader holds a page's operators in memory at about 100
/// bytes for each byte of content.
pub const MAX_PDF_PAGE_CONTENT_BYTES: usize = 512 * 1024;

/// Most bytes of drawing operators over all pages of a PDF (2 MiB; a stream shared by several
/// pages counts for each), which bounds the time spent reading them.
pub const MAX_PDF_CONTENT_BYTES: usize = 2 * 1024 * 1024;

/// Most pages read from one PDF.
pub const MAX_PDF_PAGES: usize = 2_000;

/// Most characters read from one PDF (500,000; a dense page has ~3,000, a long report
/// ~100,000). The extraction stops when a file draws more, so a small file repeating text
/// cannot run long.
pub const MAX_PDF_GLYPHS: usize = 500_000;

/// Deepest chain of PDF form XObjects drawing one another; deeper (or cyclic) chains are refused
/// because the text extractor follows them recursively.
pub const MAX_PDF_FORM_DEPTH: usize = 12;

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
