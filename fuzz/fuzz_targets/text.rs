//! Text ingestion, extraction and checks: any bytes give a Chinese error or an extraction whose
//! cells keep their contract.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao_fuzz::check_loaded;

fuzz_target!(|data: &[u8]| {
    check_loaded(nianbao::ingest::load(data, "fuzz.txt"));
});
