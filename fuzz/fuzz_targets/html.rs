//! Web pages through `ingest::load`. Inputs that do not start with `<` get an `<html><body>`
//! prefix so that they are read as a page rather than as plain text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao_fuzz::check_loaded;

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"<") {
        check_loaded(nianbao::ingest::load(data, "fuzz.html"));
    } else {
        let mut page = b"<html><body>".to_vec();
        page.extend_from_slice(data);
        check_loaded(nianbao::ingest::load(&page, "fuzz.html"));
    }
});
