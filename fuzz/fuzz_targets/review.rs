//! Review-file loading (`review::store::decode_review`, the pure half of reading a
//! `.nianbao.json`). Each input is tried twice: as a whole file, and as the `review` object of a
//! file whose version and checksum are right, so mutations reach the review's own fields past
//! the checksum. A review that loads must save and load back to itself, and restoring it into a
//! session must survive undoing and redoing its whole log.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::extract::{Extraction, extract};
use nianbao::model::SourceText;
use nianbao::review::ReviewSession;
use nianbao::review::store::{FORMAT_VERSION, SavedReview, decode_review, encode_review, sha256_hex};
use std::sync::OnceLock;

/// A real report to restore reviews onto.
fn seed() -> &'static (SourceText, Extraction) {
    static SEED: OnceLock<(SourceText, Extraction)> = OnceLock::new();
    SEED.get_or_init(|| {
        let source = SourceText::from_utf8(include_str!(
            "../../tests/fixtures/seeds/000_073f686d539d8498.txt"
        ));
        let extraction = extract(&source);
        (source, extraction)
    })
}

fn exercise(review: SavedReview) {
    let bytes = encode_review(&review).expect("a loaded review encodes");
    let again = decode_review(&bytes).expect("an encoded review loads");
    assert_eq!(again, review, "save then load changed the review");
    let (source, extraction) = seed();
    let mut session =
        ReviewSession::restore(source.clone(), extraction.clone(), review.edits, review.cursor);
    let cursor = session.cursor();
    let cells = session.effective_cells();
    while session.undo().is_some() {}
    assert_eq!(session.cursor(), 0);
    assert_eq!(session.effective_cells(), extraction.cells, "undo all is the extraction");
    while session.cursor() < cursor && session.redo().is_some() {}
    assert_eq!(session.effective_cells(), cells, "redo returns to the same cells");
}

fuzz_target!(|data: &[u8]| {
    if let Ok(review) = decode_review(data) {
        exercise(review);
    }
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    // The checksum covers the review's text exactly as it stands between the JSON separators.
    let body = body.trim_matches([' ', '\t', '\n', '\r']);
    let wrapped = format!(
        "{{\"format_version\": {FORMAT_VERSION}, \"checksum\": \"{}\", \"review\": {body}}}",
        sha256_hex(body.as_bytes())
    );
    if let Ok(review) = decode_review(wrapped.as_bytes()) {
        exercise(review);
    }
});
