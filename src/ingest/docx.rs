//! Word 2007+ (.docx): the body of `word/document.xml` read as paragraphs and tables (`w:tbl`,
//! merged cells `w:gridSpan` / `w:vMerge`, `w:gridBefore`), with the numbers Word draws for
//! automatically numbered paragraphs (`一、`, `（二）`) taken from `word/numbering.xml`. A file
//! made from a PDF by a converter that puts every line in a positioned text box is read from
//! its boxes instead ([`frames`]).

mod frames;

use super::archive::Archive;
use super::blocks::{Block, Open, Row, Table, TableCell, close_top, lay_out, push_block, source};
use super::xml::{attr, damaged_xml, descend, resolve_ref, xml_str};
use super::{IngestError, limits};
use crate::model::{SourceKind, SourceText};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;

/// Reads a .docx container (already checked against the zip limits).
pub(crate) fn read(archive: &mut Archive<'_>) -> Result<SourceText, IngestError> {
    let document = archive
        .read_part("word/document.xml")?
        .ok_or_else(|| IngestError::Damaged("Word 文件缺少正文部分（word/document.xml）".into()))?;
    let mut numbering = match archive.read_part("word/numbering.xml")? {
        Some(xml) => Numbering::parse(&xml_str(&xml)?).unwrap_or_default(),
        None => Numbering::default(),
    };
    if let Some(xml) = archive.read_part("word/styles.xml")? {
        // Headings numbered through their paragraph style; unreadable styles just lose that.
        let _ = numbering.parse_styles(&xml_str(&xml)?);
    }
    let xml = xml_str(&document)?;
    let blocks = parse_document(&xml, numbering)?;
    let mut text = lay_out(&blocks)?;
    // Text boxes are not body text, except in a file made of them: there they hold more text
    // than the body (which converters leave empty).
    if xml.contains("txbxContent")
        && let Some(boxes) = frames::read(&xml)?
        && visible_chars(&boxes) > visible_chars(&text)
    {
        text = boxes;
    }
    source(text, SourceKind::Docx)
}

/// Characters other than white space.
fn visible_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// Elements whose content is not body text: drawings and text boxes, field codes, deleted
/// text, footnote marks, and alternative renderings.
fn is_skipped(local: &[u8]) -> bool {
    matches!(
        local,
        b"drawing"
            | b"pict"
            | b"object"
            | b"AlternateContent"
            | b"instrText"
            | b"delText"
            | b"delInstrText"
            | b"footnoteReference"
            | b"endnoteReference"
            | b"commentReference"
            | b"sectPr"
    )
}

/// Parses `word/document.xml` into blocks.
fn parse_document(xml: &str, mut numbering: Numbering) -> Result<Vec<Block>, IngestError> {
    let mut reader = Reader::from_str(xml);
    // Word files edited by other tools sometimes close elements out of order; read on.
    reader.config_mut().check_end_names = false;
    let mut open: Vec<Open> = vec![Open::Body(Vec::new())];
    let mut tables = 0usize;
    let mut depth = 0usize;
    // Depth at which a skipped element started; everything inside it is ignored.
    let mut skip_from: Option<usize> = None;
    let mut para: Option<Para> = None;
    let mut in_text = false;
    let mut in_run = 0usize;
    loop {
        let event = reader.read_event().map_err(|_| damaged_xml())?;
        match event {
            Event::Start(e) => {
                descend(&mut depth)?;
                let name = e.local_name();
                let local = name.as_ref().as_bytes();
                if skip_from.is_none() && is_skipped(local) {
                    skip_from = Some(depth);
                }
                if skip_from.is_some() {
                    continue;
                }
                start(
                    &e,
                    local,
                    &mut open,
                    &mut para,
                    &mut tables,
                    &mut in_text,
                    &mut in_run,
                )?;
            }
            Event::Empty(e) => {
                if skip_from.is_some() {
                    continue;
                }
                let name = e.local_name();
                empty(&e, name.as_ref().as_bytes(), &mut open, &mut para, in_run)?;
            }
            Event::End(e) => {
                let name = e.local_name();
                let local = name.as_ref().as_bytes();
                if let Some(from) = skip_from {
                    if depth == from {
                        skip_from = None;
                    }
                    depth = depth.saturating_sub(1);
                    continue;
                }
                depth = depth.saturating_sub(1);
                end(
                    local,
                    &mut open,
                    &mut para,
                    &mut tables,
                    &mut in_text,
                    &mut in_run,
                    &mut numbering,
                )?;
            }
            Event::Text(t) if in_text && skip_from.is_none() => {
                if let Some(p) = para.as_mut() {
                    p.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_text && skip_from.is_none() => {
                if let Some(p) = para.as_mut()
                    && let Some(c) = resolve_ref(&r)
                {
                    p.text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Close whatever a truncated document left open.
    if let Some(p) = para.take() {
        push_block(&mut open, Block::Para(p.finish(&mut numbering)));
    }
    while open.len() > 1 {
        close_top(&mut open);
    }
    match open.pop() {
        Some(Open::Body(blocks)) => Ok(blocks),
        _ => Ok(Vec::new()),
    }
}

/// A paragraph being read.
#[derive(Default)]
struct Para {
    text: String,
    /// The list the paragraph is numbered in (`0`: numbering switched off).
    num_id: Option<String>,
    level: Option<usize>,
    /// The paragraph style, which may carry the numbering instead.
    style: Option<String>,
}

impl Para {
    fn finish(self, numbering: &mut Numbering) -> String {
        if self.text.trim().is_empty() {
            return self.text;
        }
        let from_style = self
            .style
            .as_deref()
            .and_then(|s| numbering.style_numbering(s));
        let (id, level) = match (self.num_id, from_style) {
            (Some(id), style) => {
                let level = self.level.or(style.map(|(_, l)| l)).unwrap_or(0);
                (id, level)
            }
            (None, Some((id, level))) => (id, self.level.unwrap_or(level)),
            (None, None) => return self.text,
        };
        if id == "0" {
            return self.text;
        }
        let mut label = numbering.next_label(&id, level);
        label.push_str(&self.text);
        label
    }
}

fn start(
    e: &BytesStart<'_>,
    local: &[u8],
    open: &mut Vec<Open>,
    para: &mut Option<Para>,
    tables: &mut usize,
    in_text: &mut bool,
    in_run: &mut usize,
) -> Result<(), IngestError> {
    match local {
        b"tbl" => {
            *tables += 1;
            if *tables > limits::MAX_TABLE_NESTING {
                return Err(IngestError::TooComplex(format!(
                    "表格嵌套超过 {} 层",
                    limits::MAX_TABLE_NESTING
                )));
            }
            // A table inside a paragraph cannot happen in Word; close the paragraph first.
            if let Some(p) = para.take() {
                push_block(open, Block::Para(p.text));
            }
            open.push(Open::Table(Table::default(), None));
        }
        b"tr" => {
            if let Some(Open::Table(table, row)) = open.last_mut() {
                if let Some(r) = row.take() {
                    table.rows.push(r);
                }
                *row = Some(Row::default());
            }
        }
        b"tc" => open.push(Open::Cell(TableCell::default())),
        b"p" => *para = Some(Para::default()),
        b"r" => *in_run += 1,
        b"t" => *in_text = true,
        _ => empty(e, local, open, para, *in_run)?,
    }
    Ok(())
}

fn empty(
    e: &BytesStart<'_>,
    local: &[u8],
    open: &mut [Open],
    para: &mut Option<Para>,
    in_run: usize,
) -> Result<(), IngestError> {
    match local {
        b"gridSpan" => {
            if let Some(Open::Cell(cell)) = open.last_mut() {
                cell.colspan = attr_usize(e, b"val")
                    .unwrap_or(1)
                    .clamp(1, limits::MAX_TABLE_COLUMNS);
            }
        }
        b"vMerge" => {
            if let Some(Open::Cell(cell)) = open.last_mut() {
                cell.continues_above = attr(e, b"val").is_none_or(|v| v != "restart");
            }
        }
        b"gridBefore" => {
            if let Some(Open::Table(_, Some(row))) = open.last_mut() {
                row.skip_before = attr_usize(e, b"val")
                    .unwrap_or(0)
                    .min(limits::MAX_TABLE_COLUMNS);
            }
        }
        b"numId" => {
            if let Some(p) = para.as_mut() {
                p.num_id = attr(e, b"val");
            }
        }
        b"ilvl" => {
            if let Some(p) = para.as_mut() {
                p.level = Some(attr_usize(e, b"val").unwrap_or(0).min(8));
            }
        }
        b"pStyle" => {
            if let Some(p) = para.as_mut() {
                p.style = attr(e, b"val");
            }
        }
        b"tab" | b"ptab" if in_run > 0 => {
            if let Some(p) = para.as_mut() {
                p.text.push('\t');
            }
        }
        b"br" | b"cr" if in_run > 0 => {
            if let Some(p) = para.as_mut() {
                p.text.push('\n');
            }
        }
        b"noBreakHyphen" if in_run > 0 => {
            if let Some(p) = para.as_mut() {
                p.text.push('-');
            }
        }
        _ => {}
    }
    Ok(())
}

fn end(
    local: &[u8],
    open: &mut Vec<Open>,
    para: &mut Option<Para>,
    tables: &mut usize,
    in_text: &mut bool,
    in_run: &mut usize,
    numbering: &mut Numbering,
) -> Result<(), IngestError> {
    match local {
        b"t" => *in_text = false,
        b"r" => *in_run = in_run.saturating_sub(1),
        b"p" => {
            if let Some(p) = para.take() {
                push_block(open, Block::Para(p.finish(numbering)));
            }
        }
        b"tc" => {
            if let Some(p) = para.take() {
                push_block(open, Block::Para(p.finish(numbering)));
            }
            if matches!(open.last(), Some(Open::Cell(_))) {
                close_top(open);
            }
        }
        b"tr" => {
            if let Some(Open::Table(table, row)) = open.last_mut()
                && let Some(r) = row.take()
            {
                table.rows.push(r);
            }
        }
        b"tbl" => {
            *tables = tables.saturating_sub(1);
            // Close cells a damaged table left open, then the table itself.
            while matches!(open.last(), Some(Open::Cell(_))) {
                close_top(open);
            }
            if matches!(open.last(), Some(Open::Table(..))) {
                close_top(open);
            }
        }
        _ => {}
    }
    Ok(())
}

fn attr_usize(e: &BytesStart<'_>, local: &[u8]) -> Option<usize> {
    attr(e, local).and_then(|v| v.trim().parse().ok())
}

/// Word's automatic paragraph numbering: for each list, the format of each level.
#[derive(Debug, Default)]
struct Numbering {
    /// `w:num` id → abstract numbering id.
    nums: HashMap<String, String>,
    /// Abstract numbering id → levels.
    abstracts: HashMap<String, Vec<Level>>,
    /// Counters per abstract numbering id, one per level.
    counters: HashMap<String, [Option<u32>; 9]>,
    /// Paragraph styles: their numbering and the style they are based on.
    styles: HashMap<String, StyleNumbering>,
    /// Paragraph styles named by a list level (`w:lvl/w:pStyle`) → that level.
    style_levels: HashMap<String, usize>,
}

/// The numbering a paragraph style gives its paragraphs.
#[derive(Clone, Debug, Default)]
struct StyleNumbering {
    num_id: Option<String>,
    level: Option<usize>,
    based_on: Option<String>,
}

/// One level of a numbered list: `%1、` in `chineseCounting` starting at 1, say.
#[derive(Clone, Debug, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

impl Numbering {
    /// Reads `word/numbering.xml`; anything unreadable leaves numbering out, never fails the file.
    fn parse(xml: &str) -> Result<Self, quick_xml::Error> {
        let mut reader = Reader::from_str(xml);
        let mut n = Numbering::default();
        let mut abstract_id: Option<String> = None;
        let mut num_id: Option<String> = None;
        let mut level: Option<usize> = None;
        let mut depth = 0usize;
        loop {
            let event = reader.read_event()?;
            let (e, is_start) = match &event {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(_) => {
                    depth = depth.saturating_sub(1);
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            if is_start {
                depth += 1;
                if depth > limits::MAX_NESTING_DEPTH {
                    break;
                }
            }
            let name = e.local_name();
            match name.as_ref().as_bytes() {
                b"abstractNum" => {
                    abstract_id = attr(e, b"abstractNumId");
                    num_id = None;
                }
                b"num" => {
                    num_id = attr(e, b"numId");
                    abstract_id = None;
                }
                b"abstractNumId" => {
                    if let (Some(num), Some(val)) = (&num_id, attr(e, b"val")) {
                        n.nums.insert(num.clone(), val);
                    }
                }
                b"lvl" => {
                    level = attr(e, b"ilvl")
                        .and_then(|v| v.parse().ok())
                        .filter(|&l| l < 9);
                    if let (Some(id), Some(l)) = (&abstract_id, level) {
                        let levels = n.abstracts.entry(id.clone()).or_default();
                        if levels.len() <= l {
                            levels.resize(l + 1, Level::default());
                        }
                        levels[l].start = 1;
                    }
                }
                b"pStyle" => {
                    if let (Some(l), Some(val)) = (level, attr(e, b"val")) {
                        n.style_levels.insert(val, l);
                    }
                }
                b"start" | b"numFmt" | b"lvlText" => {
                    if let (Some(id), Some(l), Some(val)) = (&abstract_id, level, attr(e, b"val"))
                        && let Some(lvl) = n.abstracts.get_mut(id).and_then(|v| v.get_mut(l))
                    {
                        match name.as_ref().as_bytes() {
                            b"start" => lvl.start = val.parse().unwrap_or(1),
                            b"numFmt" => lvl.format = val,
                            _ => lvl.text = val,
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(n)
    }

    /// Reads `word/styles.xml` for paragraph styles that number their paragraphs.
    fn parse_styles(&mut self, xml: &str) -> Result<(), quick_xml::Error> {
        let mut reader = Reader::from_str(xml);
        let mut current: Option<String> = None;
        loop {
            let event = reader.read_event()?;
            let e = match &event {
                Event::Start(e) | Event::Empty(e) => e,
                Event::Eof => break,
                _ => continue,
            };
            let name = e.local_name();
            let style = current
                .as_ref()
                .map(|id| self.styles.entry(id.clone()).or_default());
            match (name.as_ref().as_bytes(), style) {
                (b"style", _) => {
                    current = (attr(e, b"type").as_deref() == Some("paragraph"))
                        .then(|| attr(e, b"styleId"))
                        .flatten();
                }
                (b"basedOn", Some(s)) => s.based_on = attr(e, b"val"),
                (b"numId", Some(s)) => s.num_id = attr(e, b"val"),
                (b"ilvl", Some(s)) => s.level = attr_usize(e, b"val").map(|l| l.min(8)),
                _ => {}
            }
        }
        Ok(())
    }

    /// The list and level a paragraph style numbers its paragraphs with, following `basedOn`.
    fn style_numbering(&self, style: &str) -> Option<(String, usize)> {
        let mut id = style;
        for _ in 0..16 {
            let s = self.styles.get(id)?;
            if let Some(num) = &s.num_id {
                let level = s
                    .level
                    .or_else(|| self.style_levels.get(style).copied())
                    .or_else(|| self.style_levels.get(id).copied())
                    .unwrap_or(0);
                return Some((num.clone(), level));
            }
            id = s.based_on.as_deref()?;
        }
        None
    }

    /// The label Word draws before the next paragraph of list `num_id` at `level`.
    fn next_label(&mut self, num_id: &str, level: usize) -> String {
        let Some(abstract_id) = self.nums.get(num_id) else {
            return String::new();
        };
        let Some(levels) = self.abstracts.get(abstract_id) else {
            return String::new();
        };
        let counters = self.counters.entry(abstract_id.clone()).or_default();
        let start = |l: usize| levels.get(l).map_or(1, |lv| lv.start);
        let current = counters[level].map_or(start(level), |c| c.saturating_add(1));
        counters[level] = Some(current);
        for deeper in counters.iter_mut().skip(level + 1) {
            *deeper = None;
        }
        let Some(lvl) = levels.get(level) else {
            return String::new();
        };
        if lvl.format == "bullet" || lvl.format == "none" {
            return String::new();
        }
        // `%1` … `%9` stand for the counters of levels 0 … 8, each in its own level's format.
        let mut label = String::new();
        let mut chars = lvl.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
                && (1..=9).contains(&d)
            {
                chars.next();
                let l = d as usize - 1;
                let value = counters[l].unwrap_or(start(l));
                let format = levels.get(l).map_or("decimal", |lv| lv.format.as_str());
                label.push_str(&format_number(value, format));
            } else {
                label.push(c);
            }
        }
        label
    }
}

/// A list counter in one of Word's number formats (the ones Chinese documents use).
fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "ideographTraditional"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand" => chinese_numeral(n),
        "ideographDigital" | "taiwaneseDigital" | "chineseLegalSimplified" => n
            .to_string()
            .chars()
            .map(|d| match d {
                '0' => '〇',
                _ => chinese_digit(d.to_digit(10).unwrap_or(0)),
            })
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|d| char::from_u32(d as u32 - '0' as u32 + 0xFF10).unwrap_or(d))
            .collect(),
        "upperLetter" | "lowerLetter" if n <= 260 => {
            let base = if format == "upperLetter" { b'A' } else { b'a' };
            let idx = (n.max(1) - 1) % 26;
            let times = (n.max(1) - 1) / 26 + 1;
            String::from(char::from(base + idx as u8)).repeat(times as usize)
        }
        "upperRoman" | "lowerRoman" => {
            let roman = roman_numeral(n);
            if format == "lowerRoman" {
                roman.to_lowercase()
            } else {
                roman
            }
        }
        _ => n.to_string(),
    }
}

fn chinese_digit(d: u32) -> char {
    ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'][d.min(9) as usize]
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (list counters stay small).
fn chinese_numeral(n: u32) -> String {
    if n == 0 {
        return "零".into();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let units = ["千", "百", "十", ""];
    let mut out = String::new();
    let mut zero_pending = false;
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if zero_pending {
            out.push('零');
            zero_pending = false;
        }
        // 十二, not 一十二, when ten is the highest unit.
        if !(i == 2 && d == 1 && out.is_empty()) {
            out.push(chinese_digit(d));
        }
        out.push_str(units[i]);
    }
    out
}

fn roman_numeral(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, letters) in TABLE {
        while n >= value && out.len() < 64 {
            out.push_str(letters);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(inner: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{inner}<w:sectPr/></w:body></w:document>"#
        )
    }

    fn text_of(xml: &str, numbering: Numbering) -> String {
        let blocks = parse_document(xml, numbering).expect("parse");
        lay_out(&blocks).expect("layout")
    }

    fn tc(props: &str, text: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
    }

    // Paragraphs become lines; a table row becomes one tab-separated line; gridSpan is written
    // once followed by an empty field and vMerge continuation cells are empty.
    #[test]
    fn paragraphs_and_merged_table() {
        let xml = body(&format!(
            "<w:p><w:r><w:t>三、收到和处理政府信息公开申请情况</w:t></w:r></w:p>\
             <w:tbl><w:tblGrid/>\
             <w:tr>{}{}{}</w:tr>\
             <w:tr>{}{}{}{}</w:tr>\
             </w:tbl>\
             <w:p><w:r><w:t xml:space=\"preserve\">四、 行政复议 &amp; 诉讼</w:t></w:r></w:p>",
            tc("<w:vMerge w:val=\"restart\"/>", "三、本年度办理结果"),
            tc("<w:gridSpan w:val=\"2\"/>", "（一）予以公开"),
            tc("", "5"),
            tc("<w:vMerge/>", ""),
            tc("", "（二）部分公开"),
            tc("", ""),
            tc("", "0"),
        ));
        assert_eq!(
            text_of(&xml, Numbering::default()),
            "三、收到和处理政府信息公开申请情况\n\
             三、本年度办理结果\t（一）予以公开\t\t5\n\
             \t（二）部分公开\t\t0\n\
             四、 行政复议 & 诉讼\n"
        );
    }

    // A header split over runs and lines in one cell reads as one label; w:tab inside a run is a
    // space, while the tab-stop definitions in paragraph properties are not text.
    #[test]
    fn runs_breaks_and_tabs() {
        let xml = body(
            "<w:tbl><w:tr><w:tc><w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/></w:tabs></w:pPr>\
             <w:r><w:t>商业</w:t></w:r><w:r><w:br/><w:t>企业</w:t></w:r></w:p></w:tc>\
             <w:tc><w:p><w:r><w:t>1</w:t></w:r><w:r><w:tab/><w:t>2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        );
        assert_eq!(text_of(&xml, Numbering::default()), "商业企业\t1 2\n");
    }

    // Drawings, field codes and deleted text do not leak into the text.
    #[test]
    fn skips_non_text() {
        let xml = body(
            "<w:p><w:r><w:drawing><wp:inline><a:t>图片说明</a:t></wp:inline></w:drawing></w:r>\
             <w:r><w:instrText> PAGE </w:instrText></w:r><w:del><w:r><w:delText>删掉的</w:delText></w:r></w:del>\
             <w:r><w:t>正文</w:t></w:r></w:p>",
        );
        assert_eq!(text_of(&xml, Numbering::default()), "正文\n");
    }

    // Automatically numbered headings get the label Word draws: 一、 二、 and （一）.
    #[test]
    fn automatic_numbering() {
        let numbering = r#"<w:numbering xmlns:w="x">
            <w:abstractNum w:abstractNumId="3">
              <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
              <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
            </w:abstractNum>
            <w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num></w:numbering>"#;
        let para = |lvl: u8, text: &str| {
            format!(
                "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"7\"/></w:numPr></w:pPr>\
                 <w:r><w:t>{text}</w:t></w:r></w:p>"
            )
        };
        let xml = body(
            &[
                para(0, "总体情况"),
                para(1, "主动公开"),
                para(1, "依申请公开"),
                para(0, "主动公开政府信息情况"),
                para(1, "规章"),
            ]
            .concat(),
        );
        let n = Numbering::parse(numbering).expect("numbering");
        assert_eq!(
            text_of(&xml, n),
            "一、总体情况\n（一）主动公开\n（二）依申请公开\n二、主动公开政府信息情况\n（一）规章\n"
        );
    }

    // Headings numbered through their paragraph style (heading 2 based on heading 1's list).
    #[test]
    fn numbering_from_styles() {
        let numbering = r#"<w:numbering xmlns:w="x">
            <w:abstractNum w:abstractNumId="0">
              <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="1"/><w:lvlText w:val="%1、"/></w:lvl>
              <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="2"/><w:lvlText w:val="（%2）"/></w:lvl>
            </w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
        let styles = r#"<w:styles xmlns:w="x">
            <w:style w:type="paragraph" w:styleId="1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="2"><w:basedOn w:val="1"/></w:style>
            <w:style w:type="character" w:styleId="3"><w:rPr/></w:style></w:styles>"#;
        let mut n = Numbering::parse(numbering).expect("numbering");
        n.parse_styles(styles).expect("styles");
        let para = |style: &str, text: &str| {
            format!(
                "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
            )
        };
        let xml = body(&[para("1", "总体情况"), para("2", "主动公开"), para("1", "主动公开政府信息情况"), "<w:p><w:pPr><w:pStyle w:val=\"1\"/><w:numPr><w:numId w:val=\"0\"/></w:numPr></w:pPr><w:r><w:t>不编号</w:t></w:r></w:p>".to_owned()].concat());
        assert_eq!(
            text_of(&xml, n),
            "一、总体情况\n（一）主动公开\n二、主动公开政府信息情况\n不编号\n"
        );
    }

    // Chinese numerals as Word writes them.
    #[test]
    fn chinese_numerals() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (12, "十二"),
            (20, "二十"),
            (105, "一百零五"),
            (110, "一百一十"),
        ];
        for (n, want) in cases {
            assert_eq!(chinese_numeral(n), want, "{n}");
        }
    }

    // A truncated document gives the text read so far, or an error; never a panic.
    #[test]
    fn truncated_xml() {
        let xml = body(&format!(
            "<w:p><w:r><w:t>标题</w:t></w:r></w:p><w:tbl><w:tr>{}",
            tc("", "7")
        ));
        for cut in 0..xml.len() {
            if xml.is_char_boundary(cut) {
                let _ = parse_document(&xml[..cut], Numbering::default());
            }
        }
        let text = text_of(&xml, Numbering::default());
        assert_eq!(text, "标题\n7\n");
    }

    // 10^5 nested elements are refused quickly with a message.
    #[test]
    fn deep_nesting() {
        let xml = body(&format!(
            "{}{}",
            "<w:sdt>".repeat(100_000),
            "</w:sdt>".repeat(100_000)
        ));
        let t = std::time::Instant::now();
        let err = parse_document(&xml, Numbering::default()).expect_err("too deep");
        assert!(matches!(err, IngestError::TooComplex(_)), "{err}");
        assert!(t.elapsed().as_secs_f64() < 10.0);
    }
}
