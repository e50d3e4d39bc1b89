//! Renders a text report as a web page, the way reports are laid out when published: the
//! narrative as paragraphs and the three statistics tables in the national template (merged
//! header cells, `rowspan`/`colspan`), each cell holding the text read from the report.
//! `scripts/make-format-fixtures.sh` converts the page to .docx, .xlsx, .ods and .pdf.
//!
//! Usage: `cargo run --example seed_html -- REPORT.txt > REPORT.html`

// Test and measuring code may unwrap, expect and print (the crate itself may not).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use nianbao::extract::extract;
use nianbao::ingest::read_file;
use nianbao::model::{CellKey, SourceText};
use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: seed_html REPORT.txt > REPORT.html");
        std::process::exit(2);
    };
    let source = match read_file(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            std::process::exit(2);
        }
    };
    print!("{}", render(&source));
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Every non-empty line of `text` as a paragraph.
fn paragraphs(out: &mut String, text: &str) {
    for line in text.lines() {
        let line = line.trim();
        if !line.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", esc(line));
        }
    }
}

fn render(source: &SourceText) -> String {
    let text = source.text.as_str();
    let ex = extract(source);
    let raw = |name: &str| -> String {
        CellKey::from_name(name)
            .and_then(|k| ex.cells.get(k.index()))
            .and_then(|c| c.raw.clone())
            .map(|r| esc(&r))
            .unwrap_or_default()
    };
    let heading = |part: u8| ex.parts.iter().find(|p| p.part == part);
    let mut out = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>年度报告</title>\n\
         <style>table{border-collapse:collapse}td{border:1px solid #000;padding:2px 4px}</style>\n\
         </head><body>\n",
    );
    // Title and parts 一 (everything before part 二's heading).
    let two = heading(2).map_or(0, |h| h.span.start);
    paragraphs(&mut out, &text[..two]);

    let td = |out: &mut String, attrs: &str, content: &str| {
        let _ = write!(out, "<td{attrs}>{content}</td>");
    };
    // Table 二.
    if let Some(h) = heading(2) {
        let _ = writeln!(out, "<p>{}</p>", esc(&h.text));
    }
    out.push_str("<table border=\"1\" cellspacing=\"0\" cellpadding=\"2\">\n");
    let active_head = |out: &mut String, item: &str, cols: &[&str]| {
        out.push_str("<tr>");
        td(out, " colspan=\"4\"", item);
        out.push_str("</tr>\n<tr>");
        td(out, "", "信息内容");
        if cols.len() == 1 {
            td(out, " colspan=\"3\"", cols[0]);
        } else {
            for c in cols {
                td(out, "", c);
            }
        }
        out.push_str("</tr>\n");
    };
    active_head(
        &mut out,
        "第二十条第（一）项",
        &["本年制发件数", "本年废止件数", "现行有效件数"],
    );
    for (label, id) in [("规章", "regulations"), ("行政规范性文件", "normative")] {
        out.push_str("<tr>");
        td(&mut out, "", label);
        for col in ["issued", "repealed", "in_force"] {
            td(&mut out, "", &raw(&format!("active.{id}.{col}")));
        }
        out.push_str("</tr>\n");
    }
    let single = |out: &mut String, label: &str, key: &str| {
        out.push_str("<tr>");
        td(out, "", label);
        td(out, " colspan=\"3\"", &raw(key));
        out.push_str("</tr>\n");
    };
    active_head(&mut out, "第二十条第（五）项", &["本年处理决定数量"]);
    single(&mut out, "行政许可", "active.licensing.decisions");
    active_head(&mut out, "第二十条第（六）项", &["本年处理决定数量"]);
    single(&mut out, "行政处罚", "active.penalty.decisions");
    single(&mut out, "行政强制", "active.coercion.decisions");
    active_head(
        &mut out,
        "第二十条第（八）项",
        &["本年收费金额（单位：万元）"],
    );
    single(&mut out, "行政事业性收费", "active.fees.amount");
    out.push_str("</table>\n");

    // Table 三.
    if let Some(h) = heading(3) {
        let _ = writeln!(out, "<p>{}</p>", esc(&h.text));
    }
    out.push_str("<table border=\"1\" cellspacing=\"0\" cellpadding=\"2\">\n<tr>");
    td(
        &mut out,
        " colspan=\"3\" rowspan=\"3\"",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    );
    td(&mut out, " colspan=\"7\"", "申请人情况");
    out.push_str("</tr>\n<tr>");
    td(&mut out, " rowspan=\"2\"", "自然人");
    td(&mut out, " colspan=\"5\"", "法人或其他组织");
    td(&mut out, " rowspan=\"2\"", "总计");
    out.push_str("</tr>\n<tr>");
    for h in [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ] {
        td(&mut out, "", h);
    }
    out.push_str("</tr>\n");
    let cols = [
        "natural_person",
        "commercial",
        "research",
        "social_welfare",
        "legal_service",
        "other_org",
        "total",
    ];
    let values = |out: &mut String, row: &str| {
        for c in cols {
            td(out, "", &raw(&format!("requests.{row}.{c}")));
        }
        out.push_str("</tr>\n");
    };
    // (label cells with their spans, row id)
    let rows: [(&[(&str, &str)], &str); 25] = [
        (
            &[(" colspan=\"3\"", "一、本年新收政府信息公开申请数量")],
            "new",
        ),
        (
            &[(" colspan=\"3\"", "二、上年结转政府信息公开申请数量")],
            "carried_over",
        ),
        (
            &[
                (" rowspan=\"22\"", "三、本年度办理结果"),
                (" colspan=\"2\"", "（一）予以公开"),
            ],
            "granted",
        ),
        (
            &[(
                " colspan=\"2\"",
                "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            )],
            "partial",
        ),
        (
            &[(" rowspan=\"8\"", "（三）不予公开"), ("", "1.属于国家秘密")],
            "denied.state_secret",
        ),
        (
            &[("", "2.其他法律行政法规禁止公开")],
            "denied.law_forbidden",
        ),
        (&[("", "3.危及“三安全一稳定”")], "denied.security_stability"),
        (&[("", "4.保护第三方合法权益")], "denied.third_party"),
        (&[("", "5.属于三类内部事务信息")], "denied.internal_affairs"),
        (&[("", "6.属于四类过程性信息")], "denied.process_info"),
        (&[("", "7.属于行政执法案卷")], "denied.enforcement_file"),
        (&[("", "8.属于行政查询事项")], "denied.inquiry"),
        (
            &[
                (" rowspan=\"3\"", "（四）无法提供"),
                ("", "1.本机关不掌握相关政府信息"),
            ],
            "unable.not_held",
        ),
        (
            &[("", "2.没有现成信息需要另行制作")],
            "unable.needs_creation",
        ),
        (&[("", "3.补正后申请内容仍不明确")], "unable.unclear"),
        (
            &[
                (" rowspan=\"5\"", "（五）不予处理"),
                ("", "1.信访举报投诉类申请"),
            ],
            "rejected.petition",
        ),
        (&[("", "2.重复申请")], "rejected.repeat"),
        (&[("", "3.要求提供公开出版物")], "rejected.publication"),
        (&[("", "4.无正当理由大量反复申请")], "rejected.mass_repeat"),
        (
            &[("", "5.要求行政机关确认或重新出具已获取信息")],
            "rejected.reconfirm",
        ),
        (
            &[
                (" rowspan=\"3\"", "（六）其他处理"),
                (
                    "",
                    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                ),
            ],
            "other.no_correction",
        ),
        (
            &[(
                "",
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            )],
            "other.no_fee",
        ),
        (&[("", "3.其他")], "other.other"),
        (&[(" colspan=\"2\"", "（七）总计")], "total"),
        (
            &[(" colspan=\"3\"", "四、结转下年度继续办理")],
            "carry_forward",
        ),
    ];
    for (labels, id) in rows {
        out.push_str("<tr>");
        for (attrs, label) in labels {
            td(&mut out, attrs, label);
        }
        values(&mut out, id);
    }
    out.push_str("</table>\n");

    // Table 四.
    if let Some(h) = heading(4) {
        let _ = writeln!(out, "<p>{}</p>", esc(&h.text));
    }
    out.push_str("<table border=\"1\" cellspacing=\"0\" cellpadding=\"2\">\n<tr>");
    td(&mut out, " colspan=\"5\" rowspan=\"2\"", "行政复议");
    td(&mut out, " colspan=\"10\"", "行政诉讼");
    out.push_str("</tr>\n<tr>");
    td(&mut out, " colspan=\"5\"", "未经复议直接起诉");
    td(&mut out, " colspan=\"5\"", "复议后起诉");
    out.push_str("</tr>\n<tr>");
    for _ in 0..3 {
        for h in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] {
            td(&mut out, "", h);
        }
    }
    out.push_str("</tr>\n<tr>");
    for group in ["review", "suit_direct", "suit_after_review"] {
        for col in ["upheld", "corrected", "other", "pending", "total"] {
            td(&mut out, "", &raw(&format!("appeals.{group}.{col}")));
        }
    }
    out.push_str("</tr>\n</table>\n");

    // Parts 五 and 六.
    if let Some(h) = heading(5) {
        paragraphs(&mut out, &text[h.span.start..]);
    }
    out.push_str("</body></html>\n");
    out
}
