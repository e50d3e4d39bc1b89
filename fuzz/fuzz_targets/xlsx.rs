//! Workbooks through `ingest::load`. Inputs starting with `PK` are taken as whole files (the
//! corpus holds the real .xlsx fixtures); other inputs are `sheet1.xml`, `sharedStrings.xml` and
//! optionally `workbook.xml`, split at `PART_SEPARATOR` and zipped into a valid workbook, so
//! mutations reach calamine's XML reading and the sheet layout.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao_fuzz::{check_loaded, xlsx_from_parts};

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK") {
        check_loaded(nianbao::ingest::load(data, "fuzz.xlsx"));
    } else {
        check_loaded(nianbao::ingest::load(&xlsx_from_parts(data), "fuzz.xlsx"));
    }
});
