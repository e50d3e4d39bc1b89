//! Word files made from a PDF by a converter (LibreOffice's `writer_pdf_import` and others like
//! it) that puts every line, or every run of a line, in its own positioned text box (a
//! `wp:anchor` holding a `w:txbxContent`, written twice: under `mc:AlternateContent`'s Choice
//! and again in its VML Fallback) and draws the table rulings as line shapes. Each box is read
//! once (the Choice), with its page and position, and the pages are laid out by the PDF
//! reader's layout, so the file reads in the same order, with the same table rows, as the PDF
//! it was made from. Converters that write only VML (`w:pict` shapes placed by their `style`,
//! `v:line` rulings) are read the same way.

use super::super::pdf::{Glyph, PageContent, Seg, lay_out};
use super::super::{IngestError, limits};
use crate::ingest::xml::{attr, damaged_xml, descend, resolve_ref};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// English Metric Units per point (DrawingML positions and sizes).
const EMU_PER_PT: f64 = 12_700.0;

/// A4 height in points, for a file whose section gives no page size.
const DEFAULT_PAGE_HEIGHT: f64 = 841.9;

/// Line height over font size in the boxes converters write (LibreOffice: 1.166).
const LINE_HEIGHT: f64 = 1.17;

/// Lines of ruling drawn on one page, at most (as the PDF reader caps them).
const MAX_SEGMENTS_PER_PAGE: usize = 50_000;

/// The text of the positioned text boxes, laid out page by page; `None` when the document has
/// no box with text.
pub(super) fn read(xml: &str) -> Result<Option<String>, IngestError> {
    let pages = collect(xml)?;
    if pages.iter().all(|p| p.glyphs.is_empty()) {
        return Ok(None);
    }
    lay_out(&pages).map(Some)
}

/// A shape being read: a text box, or a line or rectangle with no text.
#[derive(Default)]
struct Frame {
    /// Left edge from the page's left (points); `None` when the file aligns it instead.
    x: Option<f64>,
    /// Top edge from the page's top (points).
    y: Option<f64>,
    /// Width and height (points).
    cx: f64,
    cy: f64,
    /// The box's paragraphs and line breaks, each a line.
    lines: Vec<FrameLine>,
    /// The shape's preset geometry (`rect`, `line`…).
    geometry: Option<String>,
    /// The shape's outline is drawn (`a:ln` with a fill).
    outlined: bool,
}

/// One line of a text box.
#[derive(Default)]
struct FrameLine {
    text: String,
    /// The largest font size in the line (points), from `w:sz`.
    size: Option<f64>,
}

/// Which offset a `wp:posOffset` gives.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Axis {
    Horizontal,
    Vertical,
}

/// Reading state over `word/document.xml`.
struct Collect {
    pages: Vec<PageContent>,
    page_height: f64,
    /// The lowest top edge on the current page, to notice the jump back up to a new page.
    lowest: f64,
    /// The last position read, for a box aligned rather than placed.
    last: (f64, f64),
    frame: Option<Frame>,
    /// Depth of the `wp:anchor` that opened `frame`.
    frame_depth: usize,
    axis: Option<Axis>,
    in_offset: bool,
    /// Depth inside `w:txbxContent` elements.
    text_box: usize,
    in_text: bool,
    in_run: usize,
    in_outline: bool,
    /// Depth inside `w:pict` (VML) elements.
    in_pict: usize,
    /// A body paragraph holds a section break: a new page starts after it.
    break_after_paragraph: bool,
    /// The lines of text read so far, placed on their pages once all are read.
    runs: Vec<Run>,
    /// Characters read so far, over all boxes.
    chars: usize,
}

/// One line of a text box, where it stands.
struct Run {
    /// Index of its page.
    page: usize,
    x: f64,
    /// Baseline from the page's top.
    y: f64,
    size: f64,
    /// The width the file gives the box (points), measured with the converter's fonts; then
    /// the width the run is drawn over ([`fit_widths`]).
    width: f64,
    text: String,
}

impl Collect {
    fn new(page_height: f64) -> Self {
        Self {
            pages: vec![PageContent {
                height: page_height,
                ..PageContent::default()
            }],
            page_height,
            lowest: f64::MIN,
            last: (0.0, 0.0),
            frame: None,
            frame_depth: 0,
            axis: None,
            in_offset: false,
            text_box: 0,
            in_text: false,
            in_run: 0,
            in_outline: false,
            in_pict: 0,
            break_after_paragraph: false,
            runs: Vec::new(),
            chars: 0,
        }
    }

    /// Starts a new page unless the current one is still empty.
    fn new_page(&mut self) {
        let page = self.pages.len() - 1;
        let current_empty = self.runs.last().is_none_or(|r| r.page != page)
            && self
                .pages
                .last()
                .is_some_and(|p| p.horizontal.is_empty() && p.vertical.is_empty());
        if !current_empty {
            self.pages.push(PageContent {
                height: self.page_height,
                ..PageContent::default()
            });
        }
        self.lowest = f64::MIN;
    }

    fn start(&mut self, e: &BytesStart<'_>, local: &[u8], depth: usize) {
        match local {
            b"anchor" if self.frame.is_none() => {
                self.frame = Some(Frame::default());
                self.frame_depth = depth;
            }
            b"shape" | b"rect" | b"roundrect" | b"line"
                if self.frame.is_none() && self.in_pict > 0 =>
            {
                self.frame = Some(vml_frame(e, local));
                self.frame_depth = depth;
            }
            b"pict" => self.in_pict += 1,
            b"positionH" => self.axis = Some(Axis::Horizontal),
            b"positionV" => self.axis = Some(Axis::Vertical),
            b"posOffset" => self.in_offset = true,
            b"txbxContent" => self.text_box += 1,
            b"p" if self.text_box > 0 => {
                if let Some(f) = self.frame.as_mut() {
                    f.lines.push(FrameLine::default());
                }
            }
            b"r" => self.in_run += 1,
            b"t" if self.text_box > 0 => self.in_text = true,
            b"ln" => self.in_outline = true,
            b"sectPr" if self.frame.is_none() => self.break_after_paragraph = true,
            _ => self.empty(e, local),
        }
    }

    fn empty(&mut self, e: &BytesStart<'_>, local: &[u8]) {
        let frame = self.frame.as_mut();
        match (local, frame) {
            (b"extent", Some(f)) if self.text_box == 0 => {
                f.cx = emu_attr(e, b"cx");
                f.cy = emu_attr(e, b"cy");
            }
            (b"prstGeom", Some(f)) => f.geometry = attr(e, b"prst"),
            (b"solidFill", Some(f)) if self.in_outline => f.outlined = true,
            (b"sz", Some(f)) if self.text_box > 0 => {
                let size = attr(e, b"val")
                    .and_then(|v| v.trim().parse::<f64>().ok())
                    .map(|half_points| half_points / 2.0)
                    .filter(|s| s.is_finite() && *s > 0.0);
                if let (Some(line), Some(size)) = (f.lines.last_mut(), size) {
                    line.size = Some(line.size.map_or(size, |s| s.max(size)));
                }
            }
            (b"br" | b"cr", Some(f)) if self.text_box > 0 && self.in_run > 0 => {
                let size = f.lines.last().and_then(|l| l.size);
                f.lines.push(FrameLine {
                    text: String::new(),
                    size,
                });
            }
            (b"tab", Some(f)) if self.text_box > 0 && self.in_run > 0 => {
                if let Some(line) = f.lines.last_mut() {
                    line.text.push(' ');
                }
            }
            (b"br", None) if attr(e, b"type").as_deref() == Some("page") => self.new_page(),
            (b"pageBreakBefore", None)
                if attr(e, b"val").is_none_or(|v| v != "0" && v != "false") =>
            {
                self.new_page();
            }
            _ => {}
        }
    }

    fn end(&mut self, local: &[u8], depth: usize) -> Result<(), IngestError> {
        match local {
            _ if self.frame.is_some() && depth == self.frame_depth => {
                if let Some(frame) = self.frame.take() {
                    self.place(frame)?;
                }
            }
            b"pict" => self.in_pict = self.in_pict.saturating_sub(1),
            b"positionH" | b"positionV" => self.axis = None,
            b"posOffset" => self.in_offset = false,
            b"txbxContent" => self.text_box = self.text_box.saturating_sub(1),
            b"r" => self.in_run = self.in_run.saturating_sub(1),
            b"t" => self.in_text = false,
            b"ln" => self.in_outline = false,
            b"p" if self.frame.is_none() && self.break_after_paragraph => {
                self.break_after_paragraph = false;
                self.new_page();
            }
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, s: &str) {
        if self.in_offset {
            let value = s.trim().parse::<f64>().ok().map(|v| v / EMU_PER_PT);
            if let (Some(f), Some(v), Some(axis)) = (self.frame.as_mut(), value, self.axis) {
                match axis {
                    Axis::Horizontal => f.x = Some(v),
                    Axis::Vertical => f.y = Some(v),
                }
            }
        } else if self.in_text
            && let Some(line) = self.frame.as_mut().and_then(|f| f.lines.last_mut())
        {
            line.text.push_str(s);
        }
    }

    /// Puts a finished shape on its page: its lines of text as positioned runs, or its edges
    /// as ruling lines. Positions are taken as page coordinates whatever `relativeFrom` says:
    /// converters anchor every box of a page to one paragraph at the page's top, and a
    /// constant shift changes nothing in the reading order.
    fn place(&mut self, frame: Frame) -> Result<(), IngestError> {
        let x = frame.x.unwrap_or(self.last.0);
        let y = frame.y.unwrap_or(self.last.1);
        self.last = (x, y);
        // The boxes of a page come top to bottom; one far above the lowest so far is the next
        // page's (the file has one paragraph for all pages, or no page breaks).
        if y < self.lowest - self.page_height / 2.0 {
            self.new_page();
        }
        self.lowest = self.lowest.max(y);
        let has_text = frame.lines.iter().any(|l| !l.text.trim().is_empty());
        if has_text {
            return self.place_text(&frame, x, y);
        }
        self.place_rulings(&frame, x, y);
        Ok(())
    }

    fn place_text(&mut self, frame: &Frame, x: f64, y: f64) -> Result<(), IngestError> {
        let n = frame.lines.len().max(1) as f64;
        for (i, line) in frame.lines.iter().enumerate() {
            // Spaces stay: they stand for the gaps between the characters' positions.
            let text = line.text.clone();
            if text.trim().is_empty() {
                continue;
            }
            let line_height = if frame.cy > 0.0 {
                frame.cy / n
            } else {
                line.size.unwrap_or(10.5) * LINE_HEIGHT
            };
            let size = line
                .size
                .unwrap_or(line_height / LINE_HEIGHT)
                .clamp(1.0, 500.0);
            self.chars += text.chars().count();
            if self.chars > limits::MAX_PDF_GLYPHS {
                return Err(IngestError::TooComplex(format!(
                    "文档文本框中的文字超过 {} 个",
                    limits::MAX_PDF_GLYPHS
                )));
            }
            self.runs.push(Run {
                page: self.pages.len() - 1,
                x,
                y: y + i as f64 * line_height + 0.8 * line_height,
                size,
                width: frame.cx,
                text,
            });
        }
        Ok(())
    }

    /// A thin shape is a ruling line along its long side; an outlined rectangle gives four.
    fn place_rulings(&mut self, frame: &Frame, x: f64, y: f64) {
        let Some(page) = self.pages.last_mut() else {
            return;
        };
        if page.horizontal.len() + page.vertical.len() >= MAX_SEGMENTS_PER_PAGE {
            return;
        }
        let (w, h) = (frame.cx, frame.cy);
        let horizontal = |pos: f64| Seg {
            pos,
            from: x,
            to: x + w,
        };
        let vertical = |pos: f64| Seg {
            pos,
            from: y,
            to: y + h,
        };
        if h <= 2.5 && w >= 2.0 {
            page.horizontal.push(horizontal(y + h / 2.0));
        } else if w <= 2.5 && h >= 2.0 {
            page.vertical.push(vertical(x + w / 2.0));
        } else if frame.outlined && frame.geometry.as_deref() == Some("rect") {
            page.horizontal.push(horizontal(y));
            page.horizontal.push(horizontal(y + h));
            page.vertical.push(vertical(x));
            page.vertical.push(vertical(x + w));
        }
    }
}

/// The width a run of text needs: Chinese characters and full-width punctuation one em each,
/// other characters half an em.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(|c| char_width(c, size)).sum()
}

/// The width one character needs: an em for Chinese and full-width characters, half for others.
fn char_width(c: char, size: f64) -> f64 {
    if c >= '\u{2000}' { size } else { size / 2.0 }
}

/// A VML shape (`v:shape`, `v:rect`, `v:line`…) placed by its `style` (`margin-left`,
/// `margin-top`, `width`, `height`) or, for a line, by `from` and `to`; outlined unless
/// `stroked` is off.
fn vml_frame(e: &BytesStart<'_>, local: &[u8]) -> Frame {
    let mut frame = Frame {
        outlined: attr(e, b"stroked").is_none_or(|v| !matches!(v.as_str(), "f" | "false")),
        geometry: (local == b"rect").then(|| "rect".to_owned()),
        ..Frame::default()
    };
    if local == b"line" {
        let point = |name: &[u8]| {
            let v = attr(e, name)?;
            let (x, y) = v.split_once(',')?;
            Some((vml_length(x)?, vml_length(y)?))
        };
        if let (Some((x0, y0)), Some((x1, y1))) = (point(b"from"), point(b"to")) {
            frame.x = Some(x0.min(x1));
            frame.y = Some(y0.min(y1));
            frame.cx = (x1 - x0).abs();
            frame.cy = (y1 - y0).abs();
        }
        return frame;
    }
    for declaration in attr(e, b"style").unwrap_or_default().split(';') {
        let Some((key, value)) = declaration.split_once(':') else {
            continue;
        };
        let value = vml_length(value);
        match key.trim() {
            "margin-left" | "left" => frame.x = value.or(frame.x),
            "margin-top" | "top" => frame.y = value.or(frame.y),
            "width" => frame.cx = value.unwrap_or(0.0).max(0.0),
            "height" => frame.cy = value.unwrap_or(0.0).max(0.0),
            _ => {}
        }
    }
    frame
}

/// A VML length in points: `85.65pt`, `1.2in`, `3cm`, `30mm`, `40px` (unitless: pixels).
fn vml_length(value: &str) -> Option<f64> {
    let v = value.trim();
    let (number, points_per_unit) = [
        ("pt", 1.0),
        ("in", 72.0),
        ("cm", 72.0 / 2.54),
        ("mm", 72.0 / 25.4),
        ("px", 0.75),
    ]
    .iter()
    .find_map(|&(unit, k)| v.strip_suffix(unit).map(|n| (n, k)))
    .unwrap_or((v, 0.75));
    number
        .trim()
        .parse::<f64>()
        .ok()
        .map(|n| n * points_per_unit)
        .filter(|n| n.is_finite())
}

/// An attribute in EMU, in points (0 when absent or unreadable).
fn emu_attr(e: &BytesStart<'_>, local: &[u8]) -> f64 {
    attr(e, local)
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map_or(0.0, |v| v / EMU_PER_PT)
}

/// The page height the body's section sets (`w:pgSz w:h` in twentieths of a point).
fn page_height(xml: &str) -> f64 {
    let Some(at) = xml.find(":pgSz ") else {
        return DEFAULT_PAGE_HEIGHT;
    };
    let rest = &xml[at..];
    let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
    tag.find(":h=\"")
        .map(|i| &tag[i + 4..])
        .and_then(|v| v[..v.find('"').unwrap_or(v.len())].parse::<f64>().ok())
        .map(|twips| twips / 20.0)
        .filter(|h| h.is_finite() && (100.0..=20_000.0).contains(h))
        .unwrap_or(DEFAULT_PAGE_HEIGHT)
}

/// Reads the shapes of `word/document.xml` into pages of positioned text and ruling lines.
/// VML (`w:pict`, the Fallback of each shape, and the converters' white cell backgrounds) is
/// skipped: the DrawingML Choice carries the same boxes.
fn collect(xml: &str) -> Result<Vec<PageContent>, IngestError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    let mut state = Collect::new(page_height(xml));
    let mut depth = 0usize;
    let mut skip_from: Option<usize> = None;
    loop {
        match reader.read_event().map_err(|_| damaged_xml())? {
            Event::Start(e) => {
                descend(&mut depth)?;
                let name = e.local_name();
                let local = name.as_ref().as_bytes();
                if skip_from.is_none() && local == b"Fallback" {
                    skip_from = Some(depth);
                }
                if skip_from.is_none() {
                    state.start(&e, local, depth);
                }
            }
            Event::Empty(e) if skip_from.is_none() => {
                let name = e.local_name();
                let local = name.as_ref().as_bytes();
                // A VML line or shape written as one element: placed at once.
                if state.frame.is_none()
                    && state.in_pict > 0
                    && matches!(local, b"shape" | b"rect" | b"roundrect" | b"line")
                {
                    state.place(vml_frame(&e, local))?;
                } else {
                    state.empty(&e, local);
                }
            }
            Event::End(e) => {
                if let Some(from) = skip_from {
                    if depth == from {
                        skip_from = None;
                    }
                } else {
                    let name = e.local_name();
                    state.end(name.as_ref().as_bytes(), depth)?;
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if skip_from.is_none() => state.text(&t.xml10_content()),
            Event::GeneralRef(r) if skip_from.is_none() => {
                if let Some(c) = resolve_ref(&r) {
                    state.text(c.encode_utf8(&mut [0u8; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // A truncated document: the box being read still counts.
    if let Some(frame) = state.frame.take() {
        state.place(frame)?;
    }
    let mut pages = state.pages;
    let mut runs = state.runs;
    fit_widths(&mut runs);
    for run in &runs {
        if let Some(page) = pages.get_mut(run.page) {
            page.glyphs.extend(glyphs(run));
        }
    }
    Ok(pages)
}

/// The width each run is drawn over: the width its characters need (an em for Chinese, half
/// an em for digits and Latin), or the wider width the file gives, but never past the start of
/// the next run on its line. The width the file gives is not trusted alone: LibreOffice
/// measures the boxes with the fonts it has, and without the report's Chinese fonts every box
/// is some 40 % too narrow, and its digits a little too wide.
fn fit_widths(runs: &mut [Run]) {
    for run in runs.iter_mut() {
        run.width = run.width.max(text_width(&run.text, run.size));
    }
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by(|&a, &b| {
        (runs[a].page, runs[a].y)
            .partial_cmp(&(runs[b].page, runs[b].y))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    // Lines as the PDF reader groups characters: baselines within 0.4 of the size.
    let mut start = 0;
    while start < order.len() {
        let first = &runs[order[start]];
        let mut end = start + 1;
        while end < order.len() && {
            let r = &runs[order[end]];
            r.page == first.page && (r.y - first.y).abs() < 0.4 * first.size.max(r.size)
        } {
            end += 1;
        }
        let line = &mut order[start..end];
        line.sort_by(|&a, &b| runs[a].x.total_cmp(&runs[b].x));
        for pair in line.windows(2) {
            let next_x = runs[pair[1]].x;
            let run = &mut runs[pair[0]];
            if next_x > run.x {
                run.width = run.width.min(next_x - run.x);
            }
        }
        start = end;
    }
}

/// A line of a box as the PDF reader's characters, spread over the run's width in proportion
/// to the width each needs: text that a converter put in one box across several table cells
/// still falls into each cell, as the PDF's characters do.
fn glyphs(run: &Run) -> impl Iterator<Item = Glyph> + '_ {
    let needed = text_width(&run.text, run.size);
    let per_point = if needed > 0.0 {
        run.width / needed
    } else {
        1.0
    };
    let mut x = run.x;
    run.text.chars().filter_map(move |c| {
        let advance = char_width(c, run.size) * per_point;
        let x0 = x;
        x += advance;
        (!c.is_whitespace()).then(|| Glyph {
            x0,
            x1: x0 + advance,
            y: run.y,
            size: run.size,
            text: c.to_string(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A shape anchored at `(x, y)` points, `cx` × `cy` points, as LibreOffice writes it: the
    /// DrawingML Choice and a VML Fallback repeating `fallback`.
    fn shape(x: f64, y: f64, cx: f64, cy: f64, inner: &str, fallback: &str) -> String {
        let emu = |pt: f64| (pt * EMU_PER_PT) as i64;
        format!(
            "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor>\
             <wp:positionH relativeFrom=\"column\"><wp:posOffset>{}</wp:posOffset></wp:positionH>\
             <wp:positionV relativeFrom=\"paragraph\"><wp:posOffset>{}</wp:posOffset></wp:positionV>\
             <wp:extent cx=\"{}\" cy=\"{}\"/><a:graphic><a:graphicData><wps:wsp>{inner}</wps:wsp>\
             </a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>\
             <mc:Fallback><w:pict><v:shape>{fallback}</v:shape></w:pict></mc:Fallback></mc:AlternateContent>",
            emu(x),
            emu(y),
            emu(cx),
            emu(cy)
        )
    }

    /// A text box of one line in `size` points.
    fn text_box(x: f64, y: f64, cx: f64, size: f64, text: &str) -> String {
        let content = format!(
            "<w:txbxContent><w:p><w:r><w:rPr><w:sz w:val=\"{}\"/></w:rPr><w:t>{text}</w:t></w:r></w:p></w:txbxContent>",
            size * 2.0
        );
        let inner = format!(
            "<wps:spPr><a:prstGeom prst=\"rect\"/><a:ln><a:noFill/></a:ln></wps:spPr><wps:txbx>{content}</wps:txbx>"
        );
        shape(
            x,
            y,
            cx,
            size * LINE_HEIGHT,
            &inner,
            &format!("<v:textbox>{content}</v:textbox>"),
        )
    }

    /// A ruling line from `(x, y)`, `cx` wide and `cy` high (one of them 0).
    fn line(x: f64, y: f64, cx: f64, cy: f64) -> String {
        let inner = "<wps:spPr><a:prstGeom prst=\"line\"/><a:ln><a:solidFill/></a:ln></wps:spPr>";
        shape(x, y, cx, cy, inner, "")
    }

    fn document(shapes: &[String]) -> String {
        format!(
            "<w:document><w:body><w:p><w:r>{}</w:r></w:p>\
             <w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>",
            shapes.concat()
        )
    }

    // Each box is read once (its Fallback copy skipped), lines top to bottom whatever the order
    // of the boxes in the file, runs of a line left to right, and a box far above the previous
    // ones starts the next page.
    #[test]
    fn boxes_once_in_reading_order() {
        let xml = document(&[
            text_box(100.0, 300.0, 40.0, 16.0, "第二行"),
            text_box(60.0, 100.0, 30.0, 16.0, "一、总体情况"),
            text_box(200.0, 300.0, 30.0, 16.0, "2024"),
            text_box(84.0, 300.0, 10.0, 16.0, "第"),
            text_box(60.0, 700.0, 40.0, 16.0, "第一页末行"),
            text_box(60.0, 120.0, 40.0, 16.0, "第二页"),
        ]);
        let text = read(&xml).expect("read").expect("boxes");
        assert_eq!(text, "一、总体情况\n第第二行 2024\n第一页末行\n第二页\n");
    }

    // Line shapes are the table's rulings: the boxes inside read as one row of cells, and a box
    // the converter wrote across two cells (`行政规范性文件 0`) gives each cell its part.
    #[test]
    fn ruled_table_from_line_shapes() {
        let mut shapes = vec![line(50.0, 100.0, 300.0, 0.0), line(50.0, 130.0, 300.0, 0.0)];
        for x in [50.0, 140.0, 250.0, 350.0] {
            shapes.push(line(x, 100.0, 0.0, 30.0));
        }
        shapes.push(text_box(55.0, 106.0, 60.0, 12.0, "行政规范性文件 0"));
        shapes.push(text_box(260.0, 106.0, 8.0, 12.0, "7"));
        shapes.push(text_box(50.0, 60.0, 60.0, 12.0, "二、主动公开政府信息情况"));
        let text = read(&document(&shapes)).expect("read").expect("boxes");
        assert_eq!(text, "二、主动公开政府信息情况\n行政规范性文件\t0\t7\n");
    }

    // A converter that writes only VML: text boxes placed by their style, rulings as v:line.
    #[test]
    fn vml_boxes_and_lines() {
        let vml_box = |x: f64, y: f64, text: &str| {
            format!(
                "<w:pict><v:shape stroked=\"f\" style=\"position:absolute;margin-left:{x}pt;margin-top:{y}pt;width:20pt;height:14pt\">\
                 <v:textbox><w:txbxContent><w:p><w:r><w:rPr><w:sz w:val=\"24\"/></w:rPr><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>"
            )
        };
        let vml_line = |from: &str, to: &str| {
            format!(
                "<w:pict><v:line from=\"{from}\" to=\"{to}\" style=\"position:absolute\"/></w:pict>"
            )
        };
        let mut shapes = vec![
            vml_box(50.0, 60.0, "二、主动公开政府信息情况"),
            vml_line("50pt,100pt", "350pt,100pt"),
            vml_line("50pt,130pt", "350pt,130pt"),
        ];
        for x in [50, 140, 250, 350] {
            shapes.push(vml_line(&format!("{x}pt,100pt"), &format!("{x}pt,130pt")));
        }
        shapes.push(vml_box(55.0, 106.0, "行政规范性文件"));
        shapes.push(vml_box(145.0, 106.0, "3"));
        shapes.push(vml_box(260.0, 106.0, "7"));
        let text = read(&document(&shapes)).expect("read").expect("boxes");
        assert_eq!(text, "二、主动公开政府信息情况\n行政规范性文件\t3\t7\n");
        assert_eq!(vml_length("1in"), Some(72.0));
        assert_eq!(vml_length("40"), Some(30.0));
    }

    // A document without text boxes gives nothing; a truncated one gives what was read so far,
    // never a panic.
    #[test]
    fn no_boxes_and_truncated() {
        assert_eq!(
            read(&document(&[line(1.0, 1.0, 50.0, 0.0)])).expect("read"),
            None
        );
        let xml = document(&[
            text_box(60.0, 100.0, 30.0, 16.0, "一、总体情况"),
            text_box(60.0, 130.0, 30.0, 16.0, "本年度"),
        ]);
        for cut in 0..xml.len() {
            if xml.is_char_boundary(cut) {
                let _ = read(&xml[..cut]);
            }
        }
    }
}
