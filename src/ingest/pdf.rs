//! The text layer of a PDF, laid out so the tables read as rows. pdf-extract (on lopdf) reports
//! every character with its position and every ruling line; tables are rebuilt from the ruling
//! lines (merged cells are those with no line between them), the rest of the text is grouped
//! into lines and paragraphs, and page headers, footers and page numbers are dropped so a table
//! that crosses a page reads on. Hostile files are screened first: inflated size, form XObject
//! cycles, and panics inside the extractor all become a message.

use super::blocks::{TextOut, is_cjk, join_parts};
use super::{IngestError, limits};
use crate::model::{SourceKind, SourceText};
use pdf_extract::{ColorSpace, MediaBox, OutputDev, OutputError, Path, PathOp, Transform};
use pdf_extract::{Document, Object, ObjectId};
use std::collections::{HashMap, HashSet};
use std::io::Read;

/// Reads a PDF's text layer.
pub(crate) fn read(bytes: &[u8]) -> Result<SourceText, IngestError> {
    check_inflated_size(bytes)?;
    let pages = collect(bytes)?;
    let text = lay_out(&pages)?;
    let meaningful = text.chars().filter(|c| c.is_alphanumeric()).count();
    if meaningful < 20 {
        return Err(IngestError::ScannedPdf);
    }
    // Fonts without a character map give private-use or replacement characters: the text layer
    // exists but cannot be read.
    let unreadable = text
        .chars()
        .filter(|&c| c == '\u{FFFD}' || ('\u{E000}'..='\u{F8FF}').contains(&c))
        .count();
    if unreadable * 3 > meaningful {
        return Err(IngestError::Damaged(
            "PDF 的字体没有文字编码，提取出的文字无法辨认；请先做文字识别（OCR）".to_owned(),
        ));
    }
    Ok(SourceText {
        text,
        kind: SourceKind::Pdf,
    })
}

/// Inflates every zlib stream once, discarding the output, to prove that together they stay
/// under [`limits::MAX_PDF_INFLATED_BYTES`] before lopdf inflates them into memory.
fn check_inflated_size(bytes: &[u8]) -> Result<(), IngestError> {
    let mut budget = limits::MAX_PDF_INFLATED_BYTES;
    let mut from = 0usize;
    while let Some(pos) = find(bytes, from, b"stream") {
        let mut start = pos + b"stream".len();
        from = start;
        // `endstream` also contains `stream`; a stream keyword is followed by an end of line.
        if pos >= 3 && &bytes[pos - 3..pos] == b"end" {
            continue;
        }
        match bytes.get(start..start + 2) {
            Some([b'\r', b'\n']) => start += 2,
            Some([b'\n', _]) | Some([b'\r', _]) => start += 1,
            _ => continue,
        }
        let data = &bytes[start..];
        if !is_zlib_header(data) {
            continue;
        }
        let mut decoder = flate2::read::ZlibDecoder::new(data);
        let copied = {
            let mut limited = (&mut decoder).take(budget + 1);
            std::io::copy(&mut limited, &mut std::io::sink())
        };
        // A damaged stream is lopdf's to report; what inflated before the damage counts.
        let inflated = copied.unwrap_or_else(|_| decoder.total_out());
        if inflated > budget {
            return Err(IngestError::ZipBomb);
        }
        budget -= inflated;
        from = start + (decoder.total_in() as usize).max(1);
    }
    Ok(())
}

fn is_zlib_header(data: &[u8]) -> bool {
    match data {
        [cmf, flg, ..] => {
            cmf & 0x0F == 8 && cmf >> 4 <= 7 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0
        }
        _ => false,
    }
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|p| from + p)
}

/// The name of the thread the extractor runs on.
const WORKER: &str = "pdf-text";

/// Keeps panics inside the extractor off the terminal: they are reported as a damaged file.
/// Panics on every other thread still go to the hook that was installed before.
fn quiet_worker_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(WORKER) {
                previous(info);
            }
        }));
    });
}

/// Loads the document and collects the characters and ruling lines of every page.
fn collect(bytes: &[u8]) -> Result<Vec<PageContent>, IngestError> {
    quiet_worker_panics();
    // pdf-extract unwraps freely on malformed input; it runs on its own thread (with a larger
    // stack, as it follows form XObjects recursively) so that a panic there becomes a message.
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name(WORKER.into())
            .stack_size(64 * 1024 * 1024)
            .spawn_scoped(scope, || collect_inner(bytes));
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|_| Err(damaged())),
            Err(e) => Err(IngestError::Io(e.to_string())),
        }
    })
}

fn collect_inner(bytes: &[u8]) -> Result<Vec<PageContent>, IngestError> {
    let mut doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(e) => match load_error(&e) {
            IngestError::Encrypted => return Err(IngestError::Encrypted),
            // A damaged cross-reference table: rebuild it from the objects, as readers do.
            other => rebuild_xref(bytes)
                .and_then(|fixed| Document::load_mem(&fixed).ok())
                .ok_or(other)?,
        },
    };
    if doc.is_encrypted() {
        doc.decrypt("").map_err(|_| IngestError::Encrypted)?;
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(damaged());
    }
    if pages.len() > limits::MAX_PDF_PAGES {
        return Err(IngestError::TooComplex(format!(
            "PDF 超过 {} 页",
            limits::MAX_PDF_PAGES
        )));
    }
    check_forms(&doc)?;
    check_page_content(&doc, &pages)?;
    let mut collector = Collector::default();
    let done = pdf_extract::output_doc(&doc, &mut collector);
    if collector.overflow {
        return Err(IngestError::TooComplex(format!(
            "PDF 中的文字超过 {} 个字符",
            limits::MAX_PDF_GLYPHS
        )));
    }
    done.map_err(|e| match e {
        OutputError::PdfError(e) => load_error(&e),
        _ => damaged(),
    })?;
    Ok(collector.pages)
}

/// Refuses a PDF whose page content (the drawing operators, inflated) passes
/// [`limits::MAX_PDF_PAGE_CONTENT_BYTES`] on one page or [`limits::MAX_PDF_CONTENT_BYTES`] over
/// all pages (a stream shared by pages counts for each): lopdf parses a page's operators all at
/// once, about 100 bytes of memory for each byte of content, at some 3 MB/s in a debug build.
/// Streams are inflated only to count their bytes, never more than the limit.
fn check_page_content(
    doc: &Document,
    pages: &std::collections::BTreeMap<u32, ObjectId>,
) -> Result<(), IngestError> {
    let page_limit = limits::MAX_PDF_PAGE_CONTENT_BYTES as u64;
    let mut total = 0u64;
    for &page in pages.values() {
        let mut on_page = 0u64;
        for id in doc.get_page_contents(page) {
            if let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) {
                on_page += content_len(stream, page_limit);
            }
            if on_page > page_limit {
                return Err(IngestError::TooComplex(format!(
                    "PDF 的一页内容超过 {} KB",
                    page_limit / 1024
                )));
            }
        }
        total += on_page;
        if total > limits::MAX_PDF_CONTENT_BYTES as u64 {
            return Err(IngestError::TooComplex(format!(
                "PDF 的页面内容共超过 {} MB",
                limits::MAX_PDF_CONTENT_BYTES / 1_048_576
            )));
        }
    }
    Ok(())
}

/// The inflated length of a content stream, counted up to one byte past `limit`.
fn content_len(stream: &pdf_extract::Stream, limit: u64) -> u64 {
    let filters = stream.filters().unwrap_or_default();
    match filters.as_slice() {
        [] => stream.content.len() as u64,
        [b"FlateDecode"] => {
            let mut decoder = flate2::read::ZlibDecoder::new(stream.content.as_slice());
            let copied = std::io::copy(&mut (&mut decoder).take(limit + 1), &mut std::io::sink());
            copied.unwrap_or_else(|_| decoder.total_out())
        }
        // Other filters are rare in content streams and bounded by the inflated-size check.
        _ => stream
            .decompressed_content()
            .map_or(stream.content.len(), |c| c.len()) as u64,
    }
}

/// A copy of the file with a new cross-reference table and trailer appended, built by finding
/// every `N G obj` header and the catalog. Objects packed in object streams are not found, so
/// this rescues files with a classic table whose offsets or `startxref` are wrong.
fn rebuild_xref(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut offsets: HashMap<u32, (usize, u16)> = HashMap::new();
    let mut root: Option<(u32, u16)> = None;
    let mut i = 0usize;
    while let Some(p) = find(bytes, i, b" obj") {
        i = p + 4;
        // Walk back over `G` and `N` (digits separated by white space) to the line start.
        let mut j = p;
        let digits_back = |j: &mut usize| {
            let end = *j;
            while *j > 0 && bytes[*j - 1].is_ascii_digit() {
                *j -= 1;
            }
            (*j < end)
                .then(|| std::str::from_utf8(&bytes[*j..end]).ok())
                .flatten()
        };
        let Some(generation) = digits_back(&mut j).and_then(|g| g.parse::<u16>().ok()) else {
            continue;
        };
        if j == 0 || bytes[j - 1] != b' ' {
            continue;
        }
        j -= 1;
        let Some(number) = digits_back(&mut j).and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        if j > 0 && !bytes[j - 1].is_ascii_whitespace() || number > 1_000_000 {
            continue;
        }
        offsets.insert(number, (j, generation));
    }
    // The catalog: the object whose dictionary says /Type /Catalog.
    let mut k = 0usize;
    while let Some(p) = find(bytes, k, b"/Catalog") {
        k = p + 1;
        let before = &bytes[..p];
        let tail = &before[before.len().saturating_sub(64)..];
        if memchr::memmem::find(tail, b"/Type").is_none() {
            continue;
        }
        root = offsets
            .iter()
            .filter(|(_, (off, _))| *off < p)
            .max_by_key(|(_, (off, _))| *off)
            .map(|(&n, &(_, g))| (n, g));
    }
    let (root_num, root_gen) = root?;
    let size = offsets.keys().max().map_or(1, |m| m + 1);
    let mut out = bytes.to_vec();
    out.extend_from_slice(b"\n");
    let xref_at = out.len();
    out.extend_from_slice(format!("xref\n0 {size}\n").as_bytes());
    for n in 0..size {
        match offsets.get(&n) {
            Some((off, g)) => out.extend_from_slice(format!("{off:010} {g:05} n \n").as_bytes()),
            None => out.extend_from_slice(b"0000000000 65535 f \n"),
        }
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {size} /Root {root_num} {root_gen} R >>\nstartxref\n{xref_at}\n%%EOF\n"
        )
        .as_bytes(),
    );
    Some(out)
}

fn damaged() -> IngestError {
    IngestError::Damaged("PDF 结构已损坏，无法读取文字；请用 PDF 阅读器打开后另存一份".to_owned())
}

fn load_error(e: &pdf_extract::Error) -> IngestError {
    use pdf_extract::Error;
    match e {
        Error::Decryption(_) | Error::InvalidPassword | Error::UnsupportedSecurityHandler(_) => {
            IngestError::Encrypted
        }
        _ => damaged(),
    }
}

/// Refuses form XObjects that draw themselves (directly or through others) or nest deeper than
/// [`limits::MAX_PDF_FORM_DEPTH`]: the extractor would recurse until the stack overflows.
fn check_forms(doc: &Document) -> Result<(), IngestError> {
    let mut memo: HashMap<(ObjectId, usize), usize> = HashMap::new();
    for (_, page_id) in doc.get_pages() {
        let Ok(page) = doc.get_dictionary(page_id) else {
            continue;
        };
        let resources = inherited_resources(doc, page);
        let Some(resources) = resources else {
            continue;
        };
        for form in forms_in(doc, resources) {
            let mut path = HashSet::new();
            form_depth(doc, form, resources, &mut path, &mut memo, 1)?;
        }
    }
    Ok(())
}

/// A page's `/Resources`, looked up through its parents as the extractor does.
fn inherited_resources<'a>(
    doc: &'a Document,
    mut dict: &'a pdf_extract::Dictionary,
) -> Option<&'a pdf_extract::Dictionary> {
    for _ in 0..64 {
        if let Ok(obj) = dict.get(b"Resources") {
            return doc
                .dereference(obj)
                .ok()
                .and_then(|(_, o)| o.as_dict().ok());
        }
        let parent = dict.get(b"Parent").ok()?.as_reference().ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// The form XObjects named in a resource dictionary.
fn forms_in(doc: &Document, resources: &pdf_extract::Dictionary) -> Vec<ObjectId> {
    let Some(xobjects) = resources
        .get(b"XObject")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
    else {
        return Vec::new();
    };
    xobjects
        .iter()
        .filter_map(|(_, v)| v.as_reference().ok())
        .filter(|id| {
            doc.get_object(*id)
                .ok()
                .and_then(|o| o.as_stream().ok())
                .is_some_and(|s| {
                    s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form")
                })
        })
        .collect()
}

/// The depth of form nesting below `form`, drawn with `caller` resources when it has none.
fn form_depth(
    doc: &Document,
    form: ObjectId,
    caller: &pdf_extract::Dictionary,
    path: &mut HashSet<ObjectId>,
    memo: &mut HashMap<(ObjectId, usize), usize>,
    depth: usize,
) -> Result<usize, IngestError> {
    let cyclic = || IngestError::TooComplex("PDF 中的图形对象互相引用".to_owned());
    if depth > limits::MAX_PDF_FORM_DEPTH {
        return Err(cyclic());
    }
    if path.contains(&form) {
        return Err(cyclic());
    }
    let Ok(stream) = doc.get_object(form).and_then(Object::as_stream) else {
        return Ok(0);
    };
    let own = stream
        .dict
        .get(b"Resources")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok());
    let resources = own.unwrap_or(caller);
    let key = (form, resources as *const _ as usize);
    if let Some(&d) = memo.get(&key) {
        if depth + d > limits::MAX_PDF_FORM_DEPTH {
            return Err(cyclic());
        }
        return Ok(d);
    }
    let content = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let Ok(ops) = pdf_extract::content::Content::decode(&content) else {
        return Ok(0);
    };
    let xobjects = resources
        .get(b"XObject")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok());
    path.insert(form);
    let mut deepest = 0usize;
    let mut seen = HashSet::new();
    for op in ops.operations.iter().filter(|op| op.operator == "Do") {
        let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else {
            continue;
        };
        let Some(id) = xobjects
            .and_then(|x| x.get(name).ok())
            .and_then(|o| o.as_reference().ok())
        else {
            continue;
        };
        let is_form = doc
            .get_object(id)
            .ok()
            .and_then(|o| o.as_stream().ok())
            .is_some_and(|s| {
                s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form")
            });
        if is_form && seen.insert(id) {
            deepest = deepest.max(1 + form_depth(doc, id, resources, path, memo, depth + 1)?);
        }
    }
    path.remove(&form);
    memo.insert(key, deepest);
    Ok(deepest)
}

/// One character drawn on a page, in top-down page coordinates (points).
#[derive(Clone, Debug)]
pub(super) struct Glyph {
    /// Left edge.
    pub(super) x0: f64,
    /// Right edge.
    pub(super) x1: f64,
    /// Baseline, measured from the top of the page.
    pub(super) y: f64,
    /// Font size (points).
    pub(super) size: f64,
    /// The character (or, from a positioned text box, a run of characters).
    pub(super) text: String,
}

impl Glyph {
    /// The vertical middle of the glyph's body (above the baseline).
    fn mid_y(&self) -> f64 {
        self.y - self.size * 0.35
    }

    fn mid_x(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }
}

/// A ruling-line segment: horizontal (`pos` = y, from/to = x) or vertical (`pos` = x).
#[derive(Clone, Copy, Debug)]
pub(super) struct Seg {
    /// y of a horizontal segment, x of a vertical one.
    pub(super) pos: f64,
    /// Start along the segment.
    pub(super) from: f64,
    /// End along the segment.
    pub(super) to: f64,
}

/// Everything drawn on one page that the layout needs.
#[derive(Debug, Default)]
pub(super) struct PageContent {
    /// Page height (points).
    pub(super) height: f64,
    /// Characters drawn.
    pub(super) glyphs: Vec<Glyph>,
    /// Horizontal ruling lines.
    pub(super) horizontal: Vec<Seg>,
    /// Vertical ruling lines.
    pub(super) vertical: Vec<Seg>,
}

/// Receives characters and paths from pdf-extract.
#[derive(Default)]
struct Collector {
    pages: Vec<PageContent>,
    left: f64,
    top: f64,
    /// Characters collected so far, over all pages.
    glyphs: usize,
    /// Set when [`limits::MAX_PDF_GLYPHS`] stopped the extraction.
    overflow: bool,
}

impl Collector {
    /// Device space (y up) → top-down page coordinates.
    fn flip(&self, x: f64, y: f64) -> (f64, f64) {
        (x - self.left, self.top - y)
    }

    fn add_segment(&mut self, a: (f64, f64), b: (f64, f64)) {
        let (ax, ay) = self.flip(a.0, a.1);
        let (bx, by) = self.flip(b.0, b.1);
        let Some(page) = self.pages.last_mut() else {
            return;
        };
        if page.horizontal.len() + page.vertical.len() > 50_000 {
            return;
        }
        if (ay - by).abs() < 1.0 && (ax - bx).abs() >= 2.0 {
            page.horizontal.push(Seg {
                pos: (ay + by) / 2.0,
                from: ax.min(bx),
                to: ax.max(bx),
            });
        } else if (ax - bx).abs() < 1.0 && (ay - by).abs() >= 2.0 {
            page.vertical.push(Seg {
                pos: (ax + bx) / 2.0,
                from: ay.min(by),
                to: ay.max(by),
            });
        }
    }

    /// A thin filled rectangle is a ruling line along its long side.
    fn add_box(&mut self, corners: &[(f64, f64)]) {
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in corners {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let (w, h) = (x1 - x0, y1 - y0);
        if h <= 2.5 && w >= 2.0 {
            let y = (y0 + y1) / 2.0;
            self.add_segment((x0, y), (x1, y));
        } else if w <= 2.5 && h >= 2.0 {
            let x = (x0 + x1) / 2.0;
            self.add_segment((x, y0), (x, y1));
        }
    }
}

fn apply(ctm: &Transform, x: f64, y: f64) -> (f64, f64) {
    (
        x * ctm.m11 + y * ctm.m21 + ctm.m31,
        x * ctm.m12 + y * ctm.m22 + ctm.m32,
    )
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.left = media_box.llx;
        self.top = media_box.ury;
        self.pages.push(PageContent {
            height: (media_box.ury - media_box.lly).abs().max(1.0),
            ..PageContent::default()
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        if char.trim().is_empty() || !font_size.is_finite() {
            return Ok(());
        }
        let scale_x = (trm.m11 * trm.m11 + trm.m12 * trm.m12).sqrt();
        let scale_y = (trm.m21 * trm.m21 + trm.m22 * trm.m22).sqrt();
        let size = (font_size * scale_y).abs().max(1.0);
        let advance = (width * font_size * scale_x).abs();
        let (x, y) = self.flip(trm.m31, trm.m32);
        if !x.is_finite() || !y.is_finite() {
            return Ok(());
        }
        if self.glyphs >= limits::MAX_PDF_GLYPHS {
            // Stops the extractor; the error is reported from `overflow`.
            self.overflow = true;
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        self.glyphs += 1;
        let Some(page) = self.pages.last_mut() else {
            return Ok(());
        };
        page.glyphs.push(Glyph {
            x0: x,
            x1: x + advance.max(size * 0.2),
            y,
            size,
            text: char.to_owned(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        _colorspace: &ColorSpace,
        _color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        let mut current = (0.0, 0.0);
        let mut start = (0.0, 0.0);
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    current = apply(ctm, x, y);
                    start = current;
                }
                PathOp::LineTo(x, y) => {
                    let next = apply(ctm, x, y);
                    self.add_segment(current, next);
                    current = next;
                }
                PathOp::CurveTo(_, _, _, _, x, y) => current = apply(ctm, x, y),
                PathOp::Rect(x, y, w, h) => {
                    let c = [
                        apply(ctm, x, y),
                        apply(ctm, x + w, y),
                        apply(ctm, x + w, y + h),
                        apply(ctm, x, y + h),
                    ];
                    for i in 0..4 {
                        self.add_segment(c[i], c[(i + 1) % 4]);
                    }
                }
                PathOp::Close => {
                    self.add_segment(current, start);
                    current = start;
                }
            }
        }
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        _colorspace: &ColorSpace,
        _color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        let mut sub: Vec<(f64, f64)> = Vec::new();
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    if sub.len() >= 3 {
                        self.add_box(&sub);
                    }
                    sub.clear();
                    sub.push(apply(ctm, x, y));
                }
                PathOp::LineTo(x, y) | PathOp::CurveTo(_, _, _, _, x, y) => {
                    sub.push(apply(ctm, x, y));
                }
                PathOp::Rect(x, y, w, h) => {
                    self.add_box(&[
                        apply(ctm, x, y),
                        apply(ctm, x + w, y + h),
                        apply(ctm, x + w, y),
                        apply(ctm, x, y + h),
                    ]);
                }
                PathOp::Close => {}
            }
        }
        if sub.len() >= 3 {
            self.add_box(&sub);
        }
        Ok(())
    }
}

/// A piece of a page in reading order: a text line or a table's rows.
#[derive(Debug)]
enum Item {
    Line(TextLine),
    Table(Vec<Vec<String>>),
}

/// A line of text outside tables.
#[derive(Clone, Debug)]
struct TextLine {
    text: String,
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
}

/// Lays out all pages: tables and lines in reading order, headers/footers dropped, wrapped
/// lines of a paragraph joined.
pub(super) fn lay_out(pages: &[PageContent]) -> Result<String, IngestError> {
    let mut laid: Vec<Vec<(f64, Item)>> = pages.iter().map(lay_out_page).collect();
    drop_page_furniture(&mut laid, pages);
    let mut out = TextOut::default();
    for items in laid {
        let lines: Vec<&TextLine> = items
            .iter()
            .filter_map(|(_, i)| match i {
                Item::Line(l) => Some(l),
                Item::Table(_) => None,
            })
            .collect();
        // The right margin: where most long lines end (a few overhang with punctuation).
        let mut ends: Vec<f64> = lines
            .iter()
            .filter(|l| l.text.chars().count() >= 15)
            .map(|l| l.x1)
            .collect();
        ends.sort_by(f64::total_cmp);
        let right = ends
            .get(ends.len() * 9 / 10)
            .copied()
            .unwrap_or_else(|| lines.iter().map(|l| l.x1).fold(f64::MIN, f64::max));
        let left = lines.iter().map(|l| l.x0).fold(f64::MAX, f64::min);
        let mut para: Option<TextLine> = None;
        for (_, item) in items {
            match item {
                Item::Line(line) => {
                    para = Some(match para.take() {
                        Some(p) if continues(&p, &line, left, right) => TextLine {
                            text: join_parts(&[p.text, line.text]),
                            x1: line.x1,
                            y: line.y,
                            ..p
                        },
                        Some(p) => {
                            out.paragraph(&p.text)?;
                            line
                        }
                        None => line,
                    });
                }
                Item::Table(rows) => {
                    if let Some(p) = para.take() {
                        out.paragraph(&p.text)?;
                    }
                    for row in rows {
                        out.row(&row)?;
                    }
                }
            }
        }
        if let Some(p) = para.take() {
            out.paragraph(&p.text)?;
        }
    }
    Ok(out.finish())
}

/// A line continues the paragraph above when that one ran to the right margin, this one starts
/// at the left margin, and they are one line apart. Tabs (gaps) mean a table-like line: never
/// joined.
fn continues(prev: &TextLine, line: &TextLine, left: f64, right: f64) -> bool {
    let size = prev.size.max(line.size);
    !prev.text.contains('\t')
        && !line.text.contains('\t')
        && prev.x1 >= right - 2.0 * size
        && line.x0 <= left + 0.8 * size
        && !starts_like_heading(&line.text)
        && line.y - prev.y > 0.0
        && line.y - prev.y < 2.2 * size
        && (prev.size - line.size).abs() < 0.5
}

/// Numbered headings and list items (`一、`, `（二）`, `(3)`, `4.`, `5、`, `第六`) start a new line
/// even when the line above runs to the margin.
fn starts_like_heading(text: &str) -> bool {
    let t = text.trim_start();
    let t = t.strip_prefix(['（', '(']).map_or(t, |rest| rest);
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let digits: usize = t
        .chars()
        .take_while(|&c| numeral(c))
        .map(char::len_utf8)
        .sum();
    if text.trim_start().starts_with('第') {
        return true;
    }
    digits > 0 && t[digits..].starts_with(['、', '.', '．', '）', ')'])
}

/// Page headers, footers and page numbers, in the top or bottom 8 % of a page: lines with words
/// that repeat (digits aside) on at least half of the pages, and page numbers. A number alone
/// (`3`, `- 3 -`, `第3页`) is a page number only when it counts the pages: its value minus the
/// page's position is the same on at least two pages (a lone `0` ending a page of a table is a
/// cell). On a one-page file only a decorated number (`- 1 -`, `第1页`) is taken.
fn drop_page_furniture(laid: &mut [Vec<(f64, Item)>], pages: &[PageContent]) {
    let in_margin = |y: f64, h: f64| y < 0.08 * h || y > 0.92 * h;
    let shape = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    // How often each offset (number − page index) is seen among page-number candidates.
    let mut offsets: HashMap<i64, usize> = HashMap::new();
    for (index, (items, page)) in laid.iter().zip(pages).enumerate() {
        let mut seen = HashSet::new();
        let mut seen_offsets = HashSet::new();
        for (_, item) in items {
            let Item::Line(l) = item else { continue };
            if !in_margin(l.y, page.height) {
                continue;
            }
            if l.text
                .chars()
                .any(|c| !c.is_ascii_digit() && !c.is_whitespace())
                && seen.insert(shape(&l.text))
            {
                *counts.entry(shape(&l.text)).or_default() += 1;
            }
            if let Some(n) = page_number(&l.text)
                && seen_offsets.insert(n - index as i64)
            {
                *offsets.entry(n - index as i64).or_default() += 1;
            }
        }
    }
    let counting = offsets
        .iter()
        .filter(|&(_, &c)| c >= 2)
        .max_by_key(|&(&o, &c)| (c, -o.abs()))
        .map(|(&o, _)| o);
    let n = laid.len();
    for (index, (items, page)) in laid.iter_mut().zip(pages).enumerate() {
        items.retain(|(_, item)| match item {
            Item::Line(l) if in_margin(l.y, page.height) => {
                let words = l
                    .text
                    .chars()
                    .any(|c| !c.is_ascii_digit() && !c.is_whitespace());
                let repeats = n >= 2
                    && words
                    && counts
                        .get(&shape(&l.text))
                        .is_some_and(|&c| c * 2 >= n && c >= 2);
                let numbered = page_number(&l.text).is_some_and(|num| match counting {
                    Some(offset) => num - index as i64 == offset,
                    None => n == 1 && words,
                });
                !(repeats || numbered)
            }
            _ => true,
        });
    }
}

/// The page number a line shows, if it is nothing but a page number.
fn page_number(text: &str) -> Option<i64> {
    if !is_page_number(text) {
        return None;
    }
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|&n: &i64| n < 100_000)
}

/// `3`, `- 3 -`, `第3页`, `第 3 页 共 10 页`, `3/10`, `Page 3 of 10`.
fn is_page_number(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.chars().count() > 24 || !compact.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let lower = compact.to_lowercase().replace("page", "").replace("of", "");
    lower.chars().all(|c| {
        c.is_ascii_digit()
            || matches!(
                c,
                '-' | '–'
                    | '—'
                    | '－'
                    | '/'
                    | '／'
                    | '('
                    | ')'
                    | '（'
                    | '）'
                    | '第'
                    | '页'
                    | '共'
                    | '.'
                    | '·'
                    | '•'
                    | '|'
                    | '['
                    | ']'
                    | '【'
                    | '】'
            )
    })
}

/// One page: tables found from ruling lines, the rest grouped into lines, in reading order.
fn lay_out_page(page: &PageContent) -> Vec<(f64, Item)> {
    let mut used = vec![false; page.glyphs.len()];
    let mut items: Vec<(f64, Item)> = Vec::new();
    for grid in find_grids(page) {
        let top = grid.ys.first().copied().unwrap_or(0.0);
        let rows = grid.read(&page.glyphs, &mut used);
        if !rows.is_empty() {
            items.push((top, Item::Table(rows)));
        }
    }
    let free: Vec<&Glyph> = page
        .glyphs
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(g, _)| g)
        .collect();
    for line in group_lines(&free) {
        items.push((line.y - line.size, Item::Line(line)));
    }
    items.sort_by(|a, b| a.0.total_cmp(&b.0));
    items
}

/// Glyphs grouped into lines by baseline, each line's glyphs ordered left to right. A gap wider
/// than one and a half characters is a tab (columns of a table drawn without lines).
fn group_lines(glyphs: &[&Glyph]) -> Vec<TextLine> {
    let mut sorted: Vec<&Glyph> = glyphs.to_vec();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<Vec<&Glyph>> = Vec::new();
    for g in sorted {
        match lines.last_mut() {
            Some(line) if (g.y - line[0].y).abs() < 0.4 * line[0].size.max(g.size) => line.push(g),
            _ => lines.push(vec![g]),
        }
    }
    lines
        .into_iter()
        .map(|mut line| {
            line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let size = line.iter().map(|g| g.size).fold(0.0, f64::max);
            let text = glyph_run_text(&line, true);
            TextLine {
                x0: line.first().map_or(0.0, |g| g.x0),
                x1: line.iter().map(|g| g.x1).fold(f64::MIN, f64::max),
                y: line.first().map_or(0.0, |g| g.y),
                size,
                text,
            }
        })
        .collect()
}

/// The text of glyphs on one line (sorted by x): spaces where there are gaps between words,
/// none between Chinese characters, and a tab for a wide gap when `tabs` is set.
fn glyph_run_text(line: &[&Glyph], tabs: bool) -> String {
    let mut text = String::new();
    let mut prev: Option<&Glyph> = None;
    for g in line {
        if let Some(p) = prev {
            let gap = g.x0 - p.x1;
            let size = p.size.max(g.size);
            let cjk_pair = p.text.chars().last().is_some_and(is_cjk)
                && g.text.chars().next().is_some_and(is_cjk);
            // Chinese next to Latin letters or digits: any visible gap is a separation (a tab
            // that ended just short of its stop, `收费 39910.33`); elsewhere a fifth of a
            // character, and between Chinese characters most of one (justified lines).
            let script_change = p.text.chars().last().is_some_and(is_cjk)
                != g.text.chars().next().is_some_and(is_cjk);
            if tabs && gap > 1.5 * size {
                text.push('\t');
            } else if (script_change && gap > 0.07 * size)
                || (gap > 0.2 * size && !(cjk_pair && gap < 0.8 * size))
            {
                text.push(' ');
            }
            // Some generators draw a glyph twice (fake bold); keep one.
            if gap < -0.5 * size.min(g.x1 - g.x0).max(0.1)
                && p.text == g.text
                && (g.x0 - p.x0).abs() < 0.3
            {
                continue;
            }
        }
        text.push_str(&g.text);
        prev = Some(g);
    }
    text
}

/// A table found from ruling lines: row and column boundaries and which cells are merged.
struct Grid {
    ys: Vec<f64>,
    xs: Vec<f64>,
    horizontal: Vec<Seg>,
    vertical: Vec<Seg>,
}

/// Groups the page's ruling lines into tables: segments that touch belong to one table.
fn find_grids(page: &PageContent) -> Vec<Grid> {
    let horizontal = merge_segments(&page.horizontal);
    let vertical = merge_segments(&page.vertical);
    if horizontal.len() * vertical.len() > 4_000_000 {
        return Vec::new();
    }
    let n = horizontal.len();
    let mut parent: Vec<usize> = (0..n + vertical.len()).collect();
    for (i, h) in horizontal.iter().enumerate() {
        for (j, v) in vertical.iter().enumerate() {
            let tol = 2.0;
            if v.pos >= h.from - tol
                && v.pos <= h.to + tol
                && h.pos >= v.from - tol
                && h.pos <= v.to + tol
            {
                union(&mut parent, i, n + j);
            }
        }
    }
    let mut groups: HashMap<usize, (Vec<Seg>, Vec<Seg>)> = HashMap::new();
    for (i, h) in horizontal.iter().enumerate() {
        groups
            .entry(find_root(&mut parent, i))
            .or_default()
            .0
            .push(*h);
    }
    for (j, v) in vertical.iter().enumerate() {
        groups
            .entry(find_root(&mut parent, n + j))
            .or_default()
            .1
            .push(*v);
    }
    let mut grids: Vec<Grid> = groups
        .into_values()
        .filter_map(|(h, v)| {
            let ys = distinct(h.iter().map(|s| s.pos));
            let xs = distinct(v.iter().map(|s| s.pos));
            (ys.len() >= 2 && xs.len() >= 2 && ys.len() * xs.len() <= 200_000).then_some(Grid {
                ys,
                xs,
                horizontal: h,
                vertical: v,
            })
        })
        .collect();
    grids.sort_by(|a, b| a.ys[0].total_cmp(&b.ys[0]));
    grids
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find_root(parent, a), find_root(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

fn find_root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Sorted positions, those closer than 2 pt taken as one.
fn distinct(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::new();
    for x in v {
        if out.last().is_none_or(|&last| x - last > 2.0) {
            out.push(x);
        }
    }
    out
}

/// Collinear segments that overlap or touch become one (Word and LibreOffice draw each cell's
/// border separately). Segments less than 1 pt apart across are on the same line.
fn merge_segments(segs: &[Seg]) -> Vec<Seg> {
    let mut sorted = segs.to_vec();
    sorted.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    let mut out: Vec<Seg> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        // One line: positions chained less than 1 pt apart.
        let mut j = i + 1;
        while j < sorted.len() && sorted[j].pos - sorted[j - 1].pos < 1.0 {
            j += 1;
        }
        let mut line = sorted[i..j].to_vec();
        let pos = line.iter().map(|s| s.pos).sum::<f64>() / line.len() as f64;
        line.sort_by(|a, b| a.from.total_cmp(&b.from));
        let mut current: Option<Seg> = None;
        for s in line {
            current = match current {
                Some(c) if s.from <= c.to + 1.5 => Some(Seg {
                    to: c.to.max(s.to),
                    ..c
                }),
                Some(c) => {
                    out.push(c);
                    Some(Seg { pos, ..s })
                }
                None => Some(Seg { pos, ..s }),
            };
        }
        out.extend(current);
        i = j;
    }
    out
}

impl Grid {
    /// True when a horizontal line at row boundary `r` runs under the middle of `x0..x1`.
    fn h_line(&self, r: usize, x0: f64, x1: f64) -> bool {
        let (y, mid) = (self.ys[r], (x0 + x1) / 2.0);
        self.horizontal
            .iter()
            .any(|s| (s.pos - y).abs() <= 2.0 && s.from <= mid && s.to >= mid)
    }

    /// True when a vertical line at column boundary `c` runs beside the middle of `y0..y1`.
    fn v_line(&self, c: usize, y0: f64, y1: f64) -> bool {
        let (x, mid) = (self.xs[c], (y0 + y1) / 2.0);
        self.vertical
            .iter()
            .any(|s| (s.pos - x).abs() <= 2.0 && s.from <= mid && s.to >= mid)
    }

    /// Reads the table: each glyph inside goes to its cell (a merged cell's text to its
    /// top-left slot), marked used; returns one row of cell texts per grid row with text.
    fn read(&self, glyphs: &[Glyph], used: &mut [bool]) -> Vec<Vec<String>> {
        let (rows, cols) = (self.ys.len() - 1, self.xs.len() - 1);
        let idx = |r: usize, c: usize| r * cols + c;
        let mut parent: Vec<usize> = (0..rows * cols).collect();
        for r in 0..rows {
            for c in 0..cols {
                if c + 1 < cols && !self.v_line(c + 1, self.ys[r], self.ys[r + 1]) {
                    union(&mut parent, idx(r, c), idx(r, c + 1));
                }
                if r + 1 < rows && !self.h_line(r + 1, self.xs[c], self.xs[c + 1]) {
                    union(&mut parent, idx(r, c), idx(r + 1, c));
                }
            }
        }
        // The root of each merged group is its smallest index: the top-left slot.
        let mut cells: Vec<Vec<&Glyph>> = vec![Vec::new(); rows * cols];
        for (g, u) in glyphs.iter().zip(used.iter_mut()) {
            let (x, y) = (g.mid_x(), g.mid_y());
            if *u || x < self.xs[0] || x > self.xs[cols] || y < self.ys[0] || y > self.ys[rows] {
                continue;
            }
            let c = self
                .xs
                .partition_point(|&b| b <= x)
                .saturating_sub(1)
                .min(cols - 1);
            let r = self
                .ys
                .partition_point(|&b| b <= y)
                .saturating_sub(1)
                .min(rows - 1);
            let root = find_root(&mut parent, idx(r, c));
            cells[root].push(g);
            *u = true;
        }
        let mut out = Vec::new();
        for r in 0..rows {
            let row: Vec<String> = (0..cols)
                .map(|c| {
                    let i = idx(r, c);
                    if find_root(&mut parent, i) == i {
                        cell_text(&cells[i])
                    } else {
                        String::new()
                    }
                })
                .collect();
            if row.iter().any(|c| !c.is_empty()) {
                out.push(row);
            }
        }
        out
    }
}

/// A cell's glyphs as one line: its lines top to bottom, joined as wrapped text is.
fn cell_text(glyphs: &[&Glyph]) -> String {
    let lines = group_lines(glyphs);
    let parts: Vec<String> = lines
        .into_iter()
        .map(|l| l.text.replace('\t', " "))
        .filter(|t| !t.trim().is_empty())
        .collect();
    join_parts(&parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(text: &str, x: f64, y: f64) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x0: x + i as f64 * 10.0,
                x1: x + i as f64 * 10.0 + 10.0,
                y,
                size: 10.0,
                text: c.to_string(),
            })
            .collect()
    }

    fn h(y: f64, x0: f64, x1: f64) -> Seg {
        Seg {
            pos: y,
            from: x0,
            to: x1,
        }
    }

    // A ruled table with a label spanning two rows and a header spanning two columns: each row
    // is one line, merged cells written once in their top-left slot.
    #[test]
    fn ruled_table_with_merges() {
        let mut page = PageContent {
            height: 800.0,
            ..PageContent::default()
        };
        page.glyphs.extend(glyphs("标题", 20.0, 40.0));
        // Row 1 (y 50..70): 甲 spans rows 1-2 (text drawn in the middle, y≈75), 乙 spans cols 2-3.
        page.glyphs.extend(glyphs("甲", 20.0, 78.0));
        page.glyphs.extend(glyphs("乙", 140.0, 64.0));
        page.glyphs.extend(glyphs("1", 120.0, 86.0));
        page.glyphs.extend(glyphs("2", 170.0, 86.0));
        page.horizontal = vec![
            h(50.0, 10.0, 210.0),
            h(70.0, 110.0, 210.0),
            h(90.0, 10.0, 210.0),
        ];
        page.vertical = vec![
            Seg {
                pos: 10.0,
                from: 50.0,
                to: 90.0,
            },
            Seg {
                pos: 110.0,
                from: 50.0,
                to: 90.0,
            },
            Seg {
                pos: 160.0,
                from: 70.0,
                to: 90.0,
            },
            Seg {
                pos: 210.0,
                from: 50.0,
                to: 90.0,
            },
        ];
        let text = lay_out(&[page]).expect("layout");
        assert_eq!(text, "标题\n甲\t乙\t\n\t1\t2\n");
    }

    // Page numbers and repeated headers are dropped; a table continues across the page break.
    #[test]
    fn page_furniture() {
        let page = |n: usize, row: &str| {
            let mut p = PageContent {
                height: 800.0,
                ..PageContent::default()
            };
            p.glyphs.extend(glyphs("某局年度报告", 20.0, 30.0));
            p.glyphs.extend(glyphs(row, 20.0, 400.0));
            p.glyphs.extend(glyphs(&format!("- {n} -"), 100.0, 780.0));
            p
        };
        let text = lay_out(&[page(1, "甲"), page(2, "乙"), page(3, "丙")]).expect("layout");
        assert_eq!(text, "甲\n乙\n丙\n");
        assert!(is_page_number("第 3 页 共 10 页"));
        assert!(is_page_number("Page 3 of 10"));
        assert!(!is_page_number("（一）予以公开 3"));
    }

    // Wrapped paragraph lines are joined; short lines (headings) are not.
    #[test]
    fn paragraphs() {
        let mut page = PageContent {
            height: 800.0,
            ..PageContent::default()
        };
        page.glyphs.extend(glyphs("一、总体情况", 20.0, 100.0));
        page.glyphs
            .extend(glyphs("本年度共收到申请一十三件，已全部", 20.0, 120.0));
        page.glyphs.extend(glyphs("办结。", 20.0, 135.0));
        let text = lay_out(&[page]).expect("layout");
        assert_eq!(
            text,
            "一、总体情况\n本年度共收到申请一十三件，已全部办结。\n"
        );
    }

    // A zlib bomb inside a PDF stream is refused before lopdf inflates it.
    #[test]
    fn inflate_bomb() {
        use std::io::Write;
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..300 {
            enc.write_all(&zeros).expect("write");
        }
        let data = enc.finish().expect("finish");
        let mut pdf = b"%PDF-1.4\n1 0 obj\n<< /Length 0 /Filter /FlateDecode >>\nstream\n".to_vec();
        pdf.extend_from_slice(&data);
        pdf.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
        let t = std::time::Instant::now();
        assert_eq!(read(&pdf), Err(IngestError::ZipBomb));
        assert!(t.elapsed().as_secs_f64() < 10.0, "{:?}", t.elapsed());
    }

    // A small file drawing the same text millions of times stops at the character limit, fast.
    #[test]
    fn text_flood() {
        use std::io::Write;
        let line = b"(0000000000000000000000000000000000000000000000000000000000000000) Tj\n";
        let mut content = b"BT /F1 1 Tf ".to_vec();
        for _ in 0..50_000 {
            content.extend_from_slice(line);
        }
        content.extend_from_slice(b"ET");
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&content).expect("write");
        let stream = enc.finish().expect("finish");
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        let objects: Vec<Vec<u8>> = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
            [format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", stream.len()).into_bytes(), stream, b"\nendstream".to_vec()].concat(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        ];
        for (i, body) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            pdf.extend_from_slice(body);
            pdf.extend_from_slice(b"\nendobj\n");
        }
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for off in offsets {
            pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        let t = std::time::Instant::now();
        let err = read(&pdf).expect_err("flood");
        assert!(matches!(err, IngestError::TooComplex(_)), "{err:?}");
        assert!(t.elapsed().as_secs_f64() < 20.0, "{:?}", t.elapsed());
    }

    // Garbage after a PDF header is a message, not a panic.
    #[test]
    fn garbage() {
        let mut bytes = b"%PDF-1.7\n".to_vec();
        bytes.extend((0..5000u32).map(|i| (i * 7919 % 251) as u8));
        assert!(read(&bytes).is_err());
    }
}
