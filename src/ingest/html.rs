//! Saved web pages (.html, .htm, Word's "web page" and single-file .mht): decoded with the
//! charset the page declares (GBK pages are common), parsed with html5ever (scraper), and read
//! as paragraphs and tables (`rowspan`, `colspan`, `&nbsp;`); scripts, styles, hidden elements,
//! site navigation and footers are left out so they do not confuse table location.

use super::blocks::{Block, Open, Row, Table, TableCell, close_top, lay_out, push_block, source};
use super::{IngestError, limits};
use crate::model::{SourceKind, SourceText};
use ego_tree::iter::Edge;
use encoding_rs::{Encoding, UTF_8};
use scraper::{Html, Node};
use std::collections::HashSet;

/// Reads a web page from its bytes.
pub(crate) fn read(bytes: &[u8]) -> Result<SourceText, IngestError> {
    let (text, encoding) = decode(bytes);
    read_str(&text, encoding)
}

/// Reads a web page already decoded; `encoding` is recorded in the source kind.
pub(crate) fn read_str(text: &str, encoding: &'static Encoding) -> Result<SourceText, IngestError> {
    if text.len() > limits::MAX_HTML_BYTES {
        return Err(IngestError::TooComplex(format!(
            "网页超过 {} MB",
            limits::MAX_HTML_BYTES / 1_048_576
        )));
    }
    check_depth(text)?;
    let doc = Html::parse_document(text);
    let blocks = walk(&doc)?;
    source(
        lay_out(&blocks)?,
        SourceKind::Html {
            encoding: encoding.name().to_owned(),
        },
    )
}

/// True when the file is a single-file web page (MHTML, Word's .mht).
pub(crate) fn looks_like_mhtml(bytes: &[u8]) -> bool {
    let head = ascii_head(bytes, 4096);
    head.contains("mime-version:") && head.contains("multipart/related")
}

/// Reads the web page inside a single-file web page (.mht): the first `text/html` part, its
/// transfer encoding (quoted-printable, base64) and charset undone.
pub(crate) fn read_mhtml(bytes: &[u8]) -> Result<SourceText, IngestError> {
    let not_found = || IngestError::Damaged("单个文件网页（.mht）中没有找到网页正文".to_owned());
    let head = ascii_head(bytes, 8192);
    let boundary = head
        .find("boundary=")
        .map(|p| {
            let rest = head[p + "boundary=".len()..].trim_start_matches('"');
            rest.chars()
                .take_while(|c| !matches!(c, '"' | ';' | '\r' | '\n'))
                .collect::<String>()
        })
        .filter(|b| !b.is_empty())
        .ok_or_else(not_found)?;
    // The boundary was read from a lower-cased copy; find its original spelling.
    let marker = format!("--{boundary}");
    let starts: Vec<usize> = find_all_ci(bytes, marker.as_bytes());
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(bytes.len());
        let part = &bytes[(start + marker.len()).min(end)..end];
        let Some((headers, body)) = split_headers(part) else {
            continue;
        };
        let headers = String::from_utf8_lossy(headers).to_ascii_lowercase();
        if !headers.contains("text/html") {
            continue;
        }
        let body = if headers.contains("quoted-printable") {
            decode_quoted_printable(body)
        } else if headers.contains("base64") {
            decode_base64(body)
        } else {
            body.to_vec()
        };
        let charset = headers
            .find("charset=")
            .map(|p| {
                headers[p + "charset=".len()..]
                    .trim_start_matches('"')
                    .chars()
                    .take_while(|c| !matches!(c, '"' | ';' | '\r' | '\n') && !c.is_whitespace())
                    .collect::<String>()
            })
            .and_then(|label| Encoding::for_label(label.as_bytes()));
        let (text, encoding) = match charset {
            Some(enc) if Encoding::for_bom(&body).is_none() => {
                let (t, _) = enc.decode_without_bom_handling(&body);
                (t.into_owned(), enc)
            }
            _ => decode(&body),
        };
        return read_str(&text, encoding);
    }
    Err(not_found())
}

fn find_all_ci(bytes: &[u8], needle: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = find_ascii_ci(bytes, from, needle) {
        out.push(p);
        from = p + needle.len();
    }
    out
}

/// Splits a MIME part at the blank line after its headers.
fn split_headers(part: &[u8]) -> Option<(&[u8], &[u8])> {
    let part = part
        .strip_prefix(b"\r\n")
        .or_else(|| part.strip_prefix(b"\n"))
        .unwrap_or(part);
    if let Some(p) = find(part, 0, b"\r\n\r\n") {
        return Some((&part[..p], &part[p + 4..]));
    }
    find(part, 0, b"\n\n").map(|p| (&part[..p], &part[p + 2..]))
}

fn decode_quoted_printable(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'=' {
            match (body.get(i + 1), body.get(i + 2)) {
                (Some(b'\r'), Some(b'\n')) => i += 3,
                (Some(b'\n'), _) => i += 2,
                (Some(&a), Some(&b)) if a.is_ascii_hexdigit() && b.is_ascii_hexdigit() => {
                    let hex = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
                    out.push(hex(a) << 4 | hex(b));
                    i += 3;
                }
                _ => {
                    out.push(b'=');
                    i += 1;
                }
            }
        } else {
            out.push(body[i]);
            i += 1;
        }
    }
    out
}

fn decode_base64(body: &[u8]) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    };
    let mut out = Vec::with_capacity(body.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in body {
        if c == b'=' {
            break;
        }
        let Some(v) = value(c) else {
            continue;
        };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// How strongly the first bytes say "web page".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HtmlSignal {
    /// A document-level tag (`<html`, `<!DOCTYPE html`, `<head`, `<body`, `<meta`).
    Strong,
    /// Only body tags (`<table`, `<div`, `<p>`): a fragment, or a text file quoting markup.
    Weak,
    /// No tags.
    None,
}

/// What the first 2 KiB say about the file being a web page.
pub(crate) fn html_signal(bytes: &[u8]) -> HtmlSignal {
    let head = ascii_head(bytes, 2048);
    let any = |tags: &[&str]| tags.iter().any(|tag| head.contains(tag));
    if any(&["<html", "<!doctype html", "<head", "<body", "<meta "]) {
        HtmlSignal::Strong
    } else if any(&["<table", "<div", "<p>", "<p ", "<br"]) {
        HtmlSignal::Weak
    } else {
        HtmlSignal::None
    }
}

/// True when the first bytes look like a web page rather than plain text.
#[cfg(test)]
fn looks_like_html(bytes: &[u8]) -> bool {
    html_signal(bytes) != HtmlSignal::None
}

/// The start of the file as lower-case ASCII (UTF-16 decoded first), for sniffing.
fn ascii_head(bytes: &[u8], len: usize) -> String {
    let head = &bytes[..bytes.len().min(len)];
    if let Some((enc, bom)) = Encoding::for_bom(head)
        && enc != UTF_8
    {
        let (text, _) = enc.decode_without_bom_handling(&head[bom..]);
        return text.to_ascii_lowercase();
    }
    // Bytes, not chars: collecting chars into a String costs a UTF-8 encoding step per byte, and
    // this runs on the first 2–8 KiB of every text file read, several times.
    let lowered: Vec<u8> = head
        .iter()
        .map(|&b| {
            if b.is_ascii() {
                b.to_ascii_lowercase()
            } else {
                b' '
            }
        })
        .collect();
    // Every byte is ASCII, so this is valid UTF-8 and never falls back to the empty string.
    String::from_utf8(lowered).unwrap_or_default()
}

/// Decodes a page: a BOM wins, then valid UTF-8 (pages re-saved as UTF-8 often keep an old
/// `gb2312` meta), then the `<meta>` charset, then detection.
fn decode(bytes: &[u8]) -> (String, &'static Encoding) {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), enc);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_owned(), UTF_8);
    }
    let encoding = meta_charset(bytes).unwrap_or_else(|| {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow)
    });
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    (text.into_owned(), encoding)
}

/// The charset named by a `<meta charset>` or `<meta http-equiv content="…; charset=…">` in
/// the first 8 KiB. UTF-16 labels are ignored there (a page that reads as ASCII is not UTF-16).
pub(crate) fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = ascii_head(bytes, 8192);
    let mut rest = head.as_str();
    while let Some(pos) = rest.find("<meta") {
        let tag_end = rest[pos..].find('>').map_or(rest.len(), |e| pos + e);
        let tag = &rest[pos..tag_end];
        if let Some(cs) = tag.find("charset") {
            let value = tag[cs + "charset".len()..]
                .trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '=')
                .trim_start_matches(['"', '\'']);
            let label: String = value
                .chars()
                .take_while(|c| {
                    !matches!(c, '"' | '\'' | ';' | '>' | '/') && !c.is_ascii_whitespace()
                })
                .collect();
            if let Some(enc) = Encoding::for_label(label.as_bytes()) {
                if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                    return Some(UTF_8);
                }
                return Some(enc);
            }
        }
        rest = &rest[tag_end.min(rest.len())..];
        if rest.is_empty() {
            break;
        }
    }
    None
}

/// Refuses pages nested deeper than [`limits::MAX_NESTING_DEPTH`] before html5ever sees them:
/// its tree building checks scopes along the stack of open elements, so 10^5 nested tags would
/// take minutes. Elements without end tags, or whose end tags are optional, are not counted.
/// Pages with more than [`limits::MAX_HTML_ELEMENTS`] elements are refused too: their tree
/// would not fit in memory.
fn check_depth(text: &str) -> Result<(), IngestError> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut elements = 0usize;
    let mut i = 0usize;
    while let Some(off) = memchr_lt(&bytes[i..]) {
        i += off + 1;
        if bytes[i..].starts_with(b"!--") {
            i = find(bytes, i, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let name_start = if closing { i + 1 } else { i };
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b':' || **b == b'-')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = text[name_start..name_start + name_len].to_ascii_lowercase();
        let tag_end = bytes[name_start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |p| name_start + p);
        let self_closing = tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/');
        i = tag_end.min(bytes.len());
        if !closing {
            elements += 1;
            if elements > limits::MAX_HTML_ELEMENTS {
                return Err(IngestError::TooComplex(format!(
                    "网页标签超过 {} 个",
                    limits::MAX_HTML_ELEMENTS
                )));
            }
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if matches!(
            name.as_str(),
            "script" | "style" | "textarea" | "title" | "xmp"
        ) {
            // Raw text: skip to the end tag.
            let end = format!("</{name}");
            i = find_ascii_ci(bytes, i, end.as_bytes()).unwrap_or(bytes.len());
        } else if !self_closing && !is_void_or_optional(&name) {
            depth += 1;
            if depth > limits::MAX_NESTING_DEPTH {
                return Err(IngestError::TooComplex(format!(
                    "网页标签嵌套超过 {} 层",
                    limits::MAX_NESTING_DEPTH
                )));
            }
        }
    }
    Ok(())
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'<', bytes)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|p| from + p)
}

/// `needle` in `bytes` from `from` on, ASCII letters in either case: candidates are the
/// places of its first byte in either case (memchr2), so a long page is not compared byte by
/// byte.
fn find_ascii_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let hay = bytes.get(from..)?;
    let Some(&first) = needle.first() else {
        return Some(from);
    };
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), hay)
        .find(|&p| {
            hay.get(p..p + needle.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        })
        .map(|p| from + p)
}

fn is_void_or_optional(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "basefont"
            | "bgsound"
            | "frame"
            | "keygen"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "tbody"
            | "thead"
            | "tfoot"
            | "option"
            | "optgroup"
            | "rb"
            | "rt"
            | "rp"
            | "rtc"
            | "colgroup"
            | "caption"
            | "html"
            | "head"
            | "body"
    )
}

/// Elements whose content is never report text.
fn is_skipped_element(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "select"
            | "option"
            | "nav"
            | "footer"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "button"
            | "input"
            | "textarea"
            | "map"
            | "audio"
            | "video"
            | "canvas"
    )
}

/// Block-level elements: their start and end end a paragraph.
fn is_block_element(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "section"
            | "article"
            | "header"
            | "aside"
            | "main"
            | "address"
            | "figure"
            | "figcaption"
            | "center"
            | "hr"
            | "form"
            | "fieldset"
            | "legend"
            | "caption"
            | "body"
            | "html"
            | "details"
            | "summary"
    )
}

/// Hidden by inline style (`display:none`, Word's `mso-hide:all`).
fn is_hidden(el: &scraper::node::Element) -> bool {
    if el.attr("hidden").is_some() {
        return true;
    }
    el.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("mso-hide:all") || s.contains("visibility:hidden")
    })
}

/// Site chrome recognised by class or id (navigation, menus, breadcrumbs, footers, share bars).
fn is_site_chrome(el: &scraper::node::Element) -> bool {
    if el
        .attr("role")
        .is_some_and(|r| r.eq_ignore_ascii_case("navigation"))
    {
        return true;
    }
    let words = [el.attr("class").unwrap_or(""), el.attr("id").unwrap_or("")].join(" ");
    words
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .map(str::to_ascii_lowercase)
        .any(|w| {
            matches!(
                w.as_str(),
                "nav"
                    | "navbar"
                    | "menu"
                    | "breadcrumb"
                    | "crumb"
                    | "crumbs"
                    | "footer"
                    | "foot"
                    | "copyright"
                    | "share"
                    | "sidebar"
                    | "topbar"
                    | "toolbar"
            )
        })
}

/// Walks the parsed page (iteratively: the tree may be deep) and collects blocks.
fn walk(doc: &Html) -> Result<Vec<Block>, IngestError> {
    let mut open: Vec<Open> = vec![Open::Body(Vec::new())];
    let mut para = String::new();
    let mut skip: Option<ego_tree::NodeId> = None;
    let mut pre_depth = 0usize;
    let mut tables = 0usize;
    let holds_table = table_ancestors(doc);
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skip.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => {
                        if pre_depth > 0 {
                            para.push_str(&t.text);
                        } else {
                            para.extend(
                                t.text
                                    .chars()
                                    .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
                            );
                        }
                    }
                    Node::Element(el) => {
                        let name = el.name();
                        let chrome = is_site_chrome(el) && !holds_table.contains(&node.id());
                        if is_skipped_element(name) || is_hidden(el) || chrome {
                            skip = Some(node.id());
                            continue;
                        }
                        open_element(name, el, &mut open, &mut para, &mut pre_depth, &mut tables)?;
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skip {
                    if id == node.id() {
                        skip = None;
                    }
                    continue;
                }
                if let Node::Element(el) = node.value() {
                    close_element(el.name(), &mut open, &mut para, &mut pre_depth, &mut tables);
                }
            }
        }
    }
    flush(&mut open, &mut para);
    while open.len() > 1 {
        close_top(&mut open);
    }
    match open.pop() {
        Some(Open::Body(blocks)) => Ok(blocks),
        _ => Ok(Vec::new()),
    }
}

/// Every element that has a table inside it (site chrome holding a table is kept). Each walk up
/// from a table stops at an element already known, so this is linear in the page size.
fn table_ancestors(doc: &Html) -> HashSet<ego_tree::NodeId> {
    let mut set = HashSet::new();
    for node in doc.tree.nodes() {
        if matches!(node.value(), Node::Element(e) if e.name() == "table") {
            let mut up = node.parent();
            while let Some(p) = up {
                if !set.insert(p.id()) {
                    break;
                }
                up = p.parent();
            }
        }
    }
    set
}

fn open_element(
    name: &str,
    el: &scraper::node::Element,
    open: &mut Vec<Open>,
    para: &mut String,
    pre_depth: &mut usize,
    tables: &mut usize,
) -> Result<(), IngestError> {
    match name {
        "table" => {
            *tables += 1;
            if *tables > limits::MAX_TABLE_NESTING {
                return Err(IngestError::TooComplex(format!(
                    "表格嵌套超过 {} 层",
                    limits::MAX_TABLE_NESTING
                )));
            }
            flush(open, para);
            open.push(Open::Table(Table::default(), None));
        }
        "tr" => {
            flush(open, para);
            // Cells a damaged row left open are closed by the tree builder already.
            if let Some(Open::Table(table, row)) = open.last_mut() {
                if let Some(r) = row.take() {
                    table.rows.push(r);
                }
                *row = Some(Row::default());
            }
        }
        "td" | "th" => {
            flush(open, para);
            let span = |attr: &str, max: usize| {
                el.attr(attr)
                    .and_then(|v| v.trim().trim_end_matches(';').parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, max)
            };
            open.push(Open::Cell(TableCell {
                colspan: span("colspan", limits::MAX_TABLE_COLUMNS),
                rowspan: span("rowspan", limits::MAX_ROW_SPAN),
                ..TableCell::default()
            }));
        }
        "br" => para.push('\n'),
        "pre" | "xmp" | "listing" | "plaintext" => {
            flush(open, para);
            *pre_depth += 1;
        }
        "img" => {
            // Pages sometimes show a figure as an image with its text in `alt`; not report text.
        }
        _ if is_block_element(name) => flush(open, para),
        // Inline elements: cells are separated from neighbouring text by a space.
        "span" | "font" | "a" | "b" | "strong" | "i" | "em" | "u" | "sub" | "sup" | "o:p" => {}
        _ => {}
    }
    Ok(())
}

fn close_element(
    name: &str,
    open: &mut Vec<Open>,
    para: &mut String,
    pre_depth: &mut usize,
    tables: &mut usize,
) {
    match name {
        "td" | "th" => {
            flush(open, para);
            if matches!(open.last(), Some(Open::Cell(_))) {
                close_top(open);
            }
        }
        "tr" => {
            flush(open, para);
            while matches!(open.last(), Some(Open::Cell(_))) {
                close_top(open);
            }
            if let Some(Open::Table(table, row)) = open.last_mut()
                && let Some(r) = row.take()
            {
                table.rows.push(r);
            }
        }
        "table" => {
            flush(open, para);
            *tables = tables.saturating_sub(1);
            while matches!(open.last(), Some(Open::Cell(_))) {
                close_top(open);
            }
            if matches!(open.last(), Some(Open::Table(..))) {
                close_top(open);
            }
        }
        "pre" | "xmp" | "listing" | "plaintext" => {
            flush(open, para);
            *pre_depth = pre_depth.saturating_sub(1);
        }
        _ if is_block_element(name) => flush(open, para),
        _ => {}
    }
}

/// Ends the paragraph being collected, adding it to the innermost container.
fn flush(open: &mut [Open], para: &mut String) {
    if para.trim().is_empty() {
        para.clear();
        return;
    }
    let text = std::mem::take(para);
    push_block(open, Block::Para(text));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        read(html.as_bytes()).expect("read").text
    }

    // rowspan and colspan line the cells up; &nbsp; cells are blank; th and td both count.
    #[test]
    fn spans_and_nbsp() {
        let html = "<html><body><p>四、政府信息公开行政复议、行政诉讼情况</p>\
            <table border=1><tr><th colspan=5>行政复议</th><th rowspan=2>备注</th></tr>\
            <tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>\
            <tr><td>1</td><td>0</td><td>&nbsp;</td><td>0</td><td>1</td><td>—</td></tr></table>\
            <p>五、存在的主要问题及改进情况</p></body></html>";
        assert_eq!(
            text(html),
            "四、政府信息公开行政复议、行政诉讼情况\n\
             行政复议\t\t\t\t\t备注\n\
             结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n\
             1\t0\t\t0\t1\t—\n\
             五、存在的主要问题及改进情况\n"
        );
    }

    // Word-pasted markup: o:p tags, mso spans, conditional comments and hidden spans vanish;
    // a cell with two paragraphs reads as one label.
    #[test]
    fn word_markup() {
        let html = "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>\
            <style>p.MsoNormal{margin:0}</style></head><body>\
            <p class=MsoNormal><span lang=EN-US>2024</span><span style='font-family:宋体'>年</span><o:p></o:p></p>\
            <![if !supportLists]><span style='mso-list:Ignore'>1.</span><![endif]>\
            <span style='display:none'>隐藏</span>\
            <table class=MsoTableGrid><tr><td><p class=MsoNormal>商业</p><p class=MsoNormal>企业</p></td>\
            <td><p>3<o:p></o:p></p></td></tr></table></body></html>";
        assert_eq!(text(html), "2024年\n1.\n商业企业\t3\n");
    }

    // Navigation menus and footers are dropped; a layout table holding the report's table is
    // unwrapped so the inner table keeps its rows.
    #[test]
    fn site_chrome_and_layout_tables() {
        let html = "<html><body><div class=\"nav\"><a>首页</a><a>政务公开</a><a>依申请公开</a></div>\
            <table width=100%><tr><td><h1>某局2024年政府信息公开工作年度报告</h1>\
            <table><tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr></table></td></tr></table>\
            <footer>版权所有 网站标识码 3700000001</footer><div id=\"footer\">主办单位</div></body></html>";
        assert_eq!(
            text(html),
            "某局2024年政府信息公开工作年度报告\n规章\t0\t0\t0\n"
        );
    }

    // A GBK page declaring its charset in a meta tag decodes correctly.
    #[test]
    fn gbk_meta() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
            </head><body><table><tr><td>行政许可</td><td>69482</td></tr></table></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(page);
        let src = read(&bytes).expect("gbk page");
        assert_eq!(src.text, "行政许可\t69482\n");
        assert_eq!(
            src.kind,
            SourceKind::Html {
                encoding: "GBK".into()
            }
        );
    }

    // Pages are recognised by their first tags; plain text is not.
    #[test]
    fn sniffing() {
        assert!(looks_like_html(b"\xef\xbb\xbf<!DOCTYPE html><html>"));
        assert!(looks_like_html(b"  <TABLE><tr><td>1</td></tr></TABLE>"));
        assert!(!looks_like_html(
            "三、收到和处理政府信息公开申请情况\n<中华人民共和国政府信息公开条例>".as_bytes()
        ));
    }

    // A Word single-file web page (.mht, quoted-printable GBK) reads like the page inside it.
    #[test]
    fn mhtml() {
        let page = "<html><body><table><tr><td>行政处罚</td><td>12</td></tr></table></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(page);
        let qp: String = gbk
            .iter()
            .map(|&b| {
                if b.is_ascii() && b != b'=' {
                    (b as char).to_string()
                } else {
                    format!("={b:02X}")
                }
            })
            .collect();
        let mht = format!(
            "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart_01\"\r\n\r\n\
             ------=_NextPart_01\r\nContent-Type: text/html; charset=\"gb2312\"\r\n\
             Content-Transfer-Encoding: quoted-printable\r\n\r\n{qp}\r\n------=_NextPart_01--\r\n"
        );
        assert!(looks_like_mhtml(mht.as_bytes()));
        let src = read_mhtml(mht.as_bytes()).expect("mht");
        assert_eq!(src.text, "行政处罚\t12\n");
        assert_eq!(decode_base64(b"5Lit5paH"), "中文".as_bytes());
    }

    // 10^5 nested tags are refused within 2 s with a message.
    #[test]
    fn deep_nesting() {
        let html = format!(
            "<html><body>{}x{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let t = std::time::Instant::now();
        let err = read(html.as_bytes()).expect_err("too deep");
        assert!(matches!(err, IngestError::TooComplex(_)), "{err}");
        assert!(t.elapsed().as_secs_f64() < 10.0, "{:?}", t.elapsed());
        // Many unclosed optional-end tags are not nesting.
        let flat = format!("<table>{}</table>", "<tr><td>1<td>2".repeat(20_000));
        assert!(read(flat.as_bytes()).is_ok());
    }
}
