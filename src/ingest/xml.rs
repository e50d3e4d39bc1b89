//! Helpers shared by the XML-based readers (Word's .docx, OpenDocument, frames): the text of an
//! XML part, attributes by local name, entity references, and the message for broken XML.

use super::{IngestError, limits};
use quick_xml::events::{BytesRef, BytesStart};
use std::borrow::Cow;

/// XML parts are UTF-8 (or, rarely, UTF-16 with a BOM).
pub(crate) fn xml_str(bytes: &[u8]) -> Result<Cow<'_, str>, IngestError> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Ok(text);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(_) => Ok(String::from_utf8_lossy(bytes)),
    }
}

/// The value of an attribute by local name (`w:val` → `val`), unescaped.
pub(crate) fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref().as_bytes() == local)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(Cow::into_owned)
        })
}

/// A character or predefined entity reference (`&#20013;`, `&amp;`).
pub(crate) fn resolve_ref(r: &BytesRef<'_>) -> Option<char> {
    if r.is_char_ref() {
        return r.resolve_char_ref().ok().flatten();
    }
    match &**r {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

/// The message for XML that cannot be parsed (the parser's detail means nothing to a reviewer).
pub(crate) fn damaged_xml() -> IngestError {
    IngestError::Damaged("文档内部的 XML 结构已损坏，请用 Word/WPS 打开后另存一份".to_owned())
}

/// One element deeper: counts it, and refuses a document nested deeper than
/// [`limits::MAX_NESTING_DEPTH`] (a hostile file would otherwise cost memory without end).
pub(crate) fn descend(depth: &mut usize) -> Result<(), IngestError> {
    *depth += 1;
    if *depth > limits::MAX_NESTING_DEPTH {
        return Err(IngestError::TooComplex(format!(
            "元素嵌套超过 {} 层",
            limits::MAX_NESTING_DEPTH
        )));
    }
    Ok(())
}
