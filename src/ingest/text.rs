//! Plain text in UTF-8 (with or without BOM), UTF-16 with BOM, or a legacy Chinese encoding
//! (GBK/GB18030, Big5) detected by chardetng and decoded by encoding_rs.

use super::{IngestError, limits};
use crate::model::{SourceKind, SourceText};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// Share of control characters above which a decoded text is taken for binary data.
const MAX_CONTROL_SHARE: f64 = 0.02;

/// Decodes text bytes. A UTF-8 BOM is dropped (spans index the text after it); UTF-16 needs a
/// BOM; otherwise valid UTF-8 is taken as is and anything else goes to encoding detection.
pub fn decode_text(bytes: &[u8]) -> Result<SourceText, IngestError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if had_errors && (encoding == UTF_16LE || encoding == UTF_16BE) && body.len() % 2 == 1 {
            // A truncated UTF-16 file: the last odd byte is dropped with a replacement char.
        }
        return finish(text.into_owned(), encoding);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty);
    }
    // Validation is most of the cost of reading a text report; simdutf8 does it with SIMD.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return finish(text.to_owned(), UTF_8);
    }
    if looks_binary(bytes) {
        return Err(IngestError::Binary);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    // The start of a file decides its encoding; feeding all of a 50 MB file takes seconds.
    let sample = &bytes[..bytes.len().min(limits::MAX_DETECT_BYTES)];
    detector.feed(sample, sample.len() == bytes.len());
    let encoding = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    let (text, had_errors) = decode_legacy(encoding, bytes);
    if had_errors && replacement_share(&text) > 0.05 {
        return Err(IngestError::Binary);
    }
    finish(text, encoding)
}

/// Decodes a legacy encoding into a string grown as needed. (`Encoding::decode` reserves the
/// worst case, three bytes of UTF-8 for each input byte, and a 50 MB file then takes 200 MB.)
fn decode_legacy(encoding: &'static Encoding, bytes: &[u8]) -> (String, bool) {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    // Chinese text is mostly two-byte characters that become three bytes of UTF-8.
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2 + 16);
    let mut rest = bytes;
    let mut had_errors = false;
    loop {
        let (result, read, errors) = decoder.decode_to_string(rest, &mut text, true);
        had_errors |= errors;
        rest = &rest[read..];
        match result {
            encoding_rs::CoderResult::InputEmpty => return (text, had_errors),
            encoding_rs::CoderResult::OutputFull => {
                text.reserve(rest.len().max(1024));
            }
        }
    }
}

fn finish(text: String, encoding: &'static Encoding) -> Result<SourceText, IngestError> {
    if text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    if control_share(&text) > MAX_CONTROL_SHARE {
        return Err(IngestError::Binary);
    }
    Ok(SourceText {
        text,
        kind: SourceKind::Text {
            encoding: encoding.name().to_owned(),
        },
    })
}

/// NUL bytes do not occur in text in single- or multi-byte Chinese encodings.
fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(1 << 20).any(|&b| b == 0)
}

/// Share of control characters (Unicode category Cc, other than line and tab controls) among
/// the characters of the first 3 MiB. Cc is C0, DEL and C1 (U+0080–U+009F, in UTF-8 `C2 80`–
/// `C2 9F`), so the UTF-8 bytes are counted directly, in loops the compiler vectorises: a byte
/// that is not a continuation byte starts a character.
fn control_share(text: &str) -> f64 {
    let head = &text[..text.floor_char_boundary(3 << 20)];
    let bytes = head.as_bytes();
    let total = head.chars().count();
    // C0 but U+0009–U+000D, and DEL. Branch-free and summed in bytes over chunks of 255, so
    // that it is vectorised sixteen bytes at a time (a `usize` count widens every lane).
    let c0: usize = bytes
        .chunks(255)
        .map(|chunk| {
            let n: u8 = chunk
                .iter()
                .map(|&b| u8::from((b < 0x09) | ((b > 0x0D) & (b < 0x20)) | (b == 0x7F)))
                .sum();
            usize::from(n)
        })
        .sum();
    let c1 = memchr::memchr_iter(0xC2, bytes)
        .filter(|&i| bytes.get(i + 1).is_some_and(|&b| b <= 0x9F))
        .count();
    if total == 0 {
        0.0
    } else {
        (c0 + c1) as f64 / total as f64
    }
}

/// Share of replacement characters among the first million characters.
fn replacement_share(text: &str) -> f64 {
    let (mut total, mut replaced) = (0usize, 0usize);
    for c in text.chars().take(1 << 20) {
        total += 1;
        replaced += usize::from(c == '\u{FFFD}');
    }
    replaced as f64 / total.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "三、收到和处理政府信息公开申请情况\r\n（一）予以公开\t５\n";

    // The byte count of control characters agrees with Unicode's Cc category, C1 included.
    #[test]
    fn control_share_counts_cc() {
        let by_chars = |t: &str| {
            let all = t.chars().count();
            let cc = t
                .chars()
                .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{b}' | '\u{c}'))
                .count();
            cc as f64 / all as f64
        };
        for t in [
            "表三\u{1}\u{7f}\u{80}\u{9f}\u{a0}é\u{c2}\n\t予以公开",
            "\u{85}\u{0}abc",
            "ÂÂ\u{9f}",
            SAMPLE,
        ] {
            assert_eq!(control_share(t), by_chars(t), "{t:?}");
        }
    }

    // UTF-8 with and without BOM decodes to the same text; the BOM is not part of it.
    #[test]
    fn utf8_bom() {
        let plain = decode_text(SAMPLE.as_bytes()).expect("utf8");
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(SAMPLE.as_bytes());
        let bom = decode_text(&with_bom).expect("utf8 bom");
        assert_eq!(plain.text, SAMPLE);
        assert_eq!(bom.text, SAMPLE);
    }

    // UTF-16 LE and BE with BOM decode to the same text.
    #[test]
    fn utf16() {
        for (bom, be) in [([0xFF, 0xFE], false), ([0xFE, 0xFF], true)] {
            let mut bytes = bom.to_vec();
            for unit in SAMPLE.encode_utf16() {
                let b = if be {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                };
                bytes.extend_from_slice(&b);
            }
            let src = decode_text(&bytes).expect("utf16");
            assert_eq!(src.text, SAMPLE);
        }
    }

    // GBK and GB18030 bytes are detected and decoded.
    #[test]
    fn gbk() {
        let text = "高青县行政审批服务局2024年政府信息公开工作年度报告\n二、主动公开政府信息情况\n规章\t0\t0\t0\n"
            .repeat(3);
        for enc in [encoding_rs::GBK, encoding_rs::GB18030] {
            let (bytes, _, _) = enc.encode(&text);
            let src = decode_text(&bytes).expect("gbk");
            assert_eq!(src.text, text);
            assert!(
                matches!(src.kind, SourceKind::Text { ref encoding } if encoding == "GBK" || encoding == "gb18030")
            );
        }
    }

    // Empty files and binary junk are refused with a reason, never decoded into garbage.
    #[test]
    fn refuses_empty_and_binary() {
        assert_eq!(decode_text(b""), Err(IngestError::Empty));
        assert_eq!(decode_text(b" \r\n\t"), Err(IngestError::Empty));
        let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 256) as u8).collect();
        assert_eq!(decode_text(&junk), Err(IngestError::Binary));
    }
}
