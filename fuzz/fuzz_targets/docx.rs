//! Word documents through `ingest::load`. Inputs starting with `PK` are taken as whole files
//! (the corpus holds the real .docx fixtures); other inputs are the XML parts of a document
//! (`document.xml`, `numbering.xml`, `styles.xml`, split at `PART_SEPARATOR`) zipped into a
//! valid container, so mutations reach the XML reader instead of failing the zip checksum.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao_fuzz::{check_loaded, docx_from_parts};

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK") {
        check_loaded(nianbao::ingest::load(data, "fuzz.docx"));
    } else {
        check_loaded(nianbao::ingest::load(&docx_from_parts(data), "fuzz.docx"));
    }
});
