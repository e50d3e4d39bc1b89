//! Integration tests: layouts whose lines do not mean rows, each written by hand from the
//! sample values of `extract.rs` the way a converter prints them (detached labels, tables printed
//! column by column, interleaved rows, OCR tables cut per row group, table 二 in another order,
//! parts numbered differently, a whole report on one line with its digits run together). Every
//! cell is compared; a mismatch names the key.

use crate::extract::{ACTIVE_LABELS, assert_values, sample_values};
use nianbao::extract::{Extraction, WarningKind, extract};
use nianbao::model::{CellKey, REQUESTS_ROWS, SourceText, TableId};

const HEAD: &str = "某某县人民政府办公室\n2024年政府信息公开工作年度报告\n一、总体情况\n本机关全年共收到申请若干件。\n";
const TAIL: &str =
    "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n本机关未收取信息处理费。\n";

/// Table 二 printed plainly (label, then its values, one row per line).
fn active_plain(values: &[String]) -> String {
    let mut out =
        String::from("二、主动公开政府信息情况\n信息内容 本年制发件数 本年废止件数 现行有效件数\n");
    let mut i = 0;
    for (r, label) in ACTIVE_LABELS.iter().enumerate() {
        let n = if r < 2 { 3 } else { 1 };
        out.push_str(&format!("{label} {}\n", values[i..i + n].join(" ")));
        i += n;
    }
    out
}

/// Table 四 printed plainly: its header and the 15 values on one line.
fn appeals_plain(values: &[String]) -> String {
    format!(
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n{}\n",
        values[185..200].join(" ")
    )
}

fn row_label(r: usize) -> String {
    format!("{}{}", REQUESTS_ROWS[r].group, REQUESTS_ROWS[r].label)
}

fn row_values(values: &[String], r: usize) -> &[String] {
    &values[10 + r * 7..10 + r * 7 + 7]
}

fn requests_head() -> String {
    "三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n申请人情况\n自然人\n法人或其他组织\n商业企业 科研机构 社会公益组织 法律服务机构 其他\n总计\n".to_owned()
}

fn report(active: &str, requests: &str, appeals: &str) -> Extraction {
    let text = format!("{HEAD}{active}{requests}{appeals}{TAIL}");
    extract(&SourceText::from_utf8(text))
}

fn has_warning(ex: &Extraction, pred: impl Fn(&WarningKind) -> bool) -> bool {
    ex.warnings.iter().any(|w| pred(&w.kind))
}

// Each row's numbers on the line before its label (pdftotext's reading order for some tables).
#[test]
fn numbers_before_labels() {
    let values = sample_values();
    let mut requests = requests_head();
    for r in 0..25 {
        requests.push_str(&format!(
            "{}\n{}\n",
            row_values(&values, r).join(" "),
            row_label(r)
        ));
    }
    let ex = report(&active_plain(&values), &requests, &appeals_plain(&values));
    assert_values("numbers before labels", &ex, &values);
}

// All of table 三's labels first, then its rows of numbers (labels detached from the values).
#[test]
fn labels_then_rows() {
    let values = sample_values();
    let mut requests = requests_head();
    for r in 0..25 {
        requests.push_str(&row_label(r));
        requests.push('\n');
    }
    for r in 0..25 {
        requests.push_str(&row_values(&values, r).join(" "));
        requests.push('\n');
    }
    let ex = report(&active_plain(&values), &requests, &appeals_plain(&values));
    assert_values("labels then rows", &ex, &values);
}

// Table 三 printed column by column on two pages (13 rows, then 12), all labels first: the
// converter read each column of a page before the next. Table 二's two rows of three are printed
// by columns too, and read so because table 三 was.
#[test]
fn printed_by_columns() {
    let values = sample_values();
    let mut requests = requests_head();
    for r in 0..25 {
        requests.push_str(&row_label(r));
        requests.push('\n');
    }
    for (page, first, count) in [(4, 0usize, 13usize), (5, 13, 12)] {
        for c in 0..7 {
            for r in first..first + count {
                requests.push_str(&row_values(&values, r)[c]);
                requests.push('\n');
            }
        }
        requests.push_str(&format!("- {page} -\n"));
    }
    let active = format!(
        "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\n规章\n行政规范性文件\n本年制发件数\n本年废止件数\n现行有效件数\n{}\n第二十条第（五）项\n信息内容\n行政许可\n本年处理决定数量\n{}\n行政处罚\n{}\n行政强制\n{}\n行政事业性收费\n{}\n",
        [0, 3, 1, 4, 2, 5].map(|i| values[i].as_str()).join("\n"),
        values[6],
        values[7],
        values[8],
        values[9]
    );
    let ex = report(&active, &requests, &appeals_plain(&values));
    assert_values("printed by columns", &ex, &values);
    assert!(has_warning(&ex, |k| matches!(
        k,
        WarningKind::ReadByColumns {
            table: TableId::Requests,
            ..
        }
    )));
}

// Two rows interleaved cell by cell (（七）总计 and 四、结转下年度 printed as one run of 14).
#[test]
fn interleaved_rows() {
    let values = sample_values();
    let mut requests = requests_head();
    for r in 0..23 {
        requests.push_str(&format!(
            "{} {}\n",
            row_label(r),
            row_values(&values, r).join(" ")
        ));
    }
    requests.push_str(&format!("{}\n{}\n", row_label(23), row_label(24)));
    for c in 0..7 {
        requests.push_str(&format!(
            "{}\n{}\n",
            row_values(&values, 23)[c],
            row_values(&values, 24)[c]
        ));
    }
    let ex = report(&active_plain(&values), &requests, &appeals_plain(&values));
    assert_values("interleaved rows", &ex, &values);
}

// OCR markdown: table 三 cut into one pipe table per row group, each with a generic header row
// (`数据1 | 数据2 | …`) and the group label as an extra leading cell; table 四 as three tables of
// five columns.
#[test]
fn ocr_tables_per_group() {
    let values = sample_values();
    let mut requests = requests_head();
    let groups: [(usize, usize); 6] = [(0, 2), (2, 4), (4, 12), (12, 15), (15, 20), (20, 25)];
    for (first, end) in groups {
        requests.push_str("\n| 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 数据7 | 数据8 | 数据9 |\n|---|---|---|---|---|---|---|---|---|\n");
        for (r, row) in REQUESTS_ROWS.iter().enumerate().take(end).skip(first) {
            requests.push_str(&format!(
                "| {} | {} | {} |\n",
                row.group,
                row.label,
                row_values(&values, r).join(" | ")
            ));
        }
    }
    let mut appeals = String::from("四、政府信息公开行政复议、行政诉讼情况\n");
    for (g, name) in [
        "行政复议",
        "行政诉讼 未经复议直接起诉",
        "行政诉讼 复议后起诉",
    ]
    .iter()
    .enumerate()
    {
        appeals.push_str(&format!(
            "\n{name}\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|\n| {} |\n",
            values[185 + g * 5..190 + g * 5].join(" | ")
        ));
    }
    let ex = report(&active_plain(&values), &requests, &appeals);
    assert_values("OCR tables per group", &ex, &values);
}

// Table 二 with its items in another order (（五）（六）（八） before （一）) and a unit column.
#[test]
fn active_items_reordered() {
    let values = sample_values();
    let active = format!(
        "二、主动公开政府信息情况\n第二十条第（五）项\n信息内容 本年处理决定数量\n行政许可 {}\n第二十条第（六）项\n行政处罚 {}\n行政强制 {}\n第二十条第（八）项\n信息内容 单位 本年收费金额\n行政事业性收费 万元 {}\n第二十条第（一）项\n信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 {}\n行政规范性文件 {}\n",
        values[6],
        values[7],
        values[8],
        values[9],
        values[0..3].join(" "),
        values[3..6].join(" ")
    );
    let ex = report(
        &active,
        &{
            let mut r = requests_head();
            for row in 0..25 {
                r.push_str(&format!(
                    "{} {}\n",
                    row_label(row),
                    row_values(&values, row).join(" ")
                ));
            }
            r
        },
        &appeals_plain(&values),
    );
    assert_values("table 二 reordered", &ex, &values);
}

// Parts numbered differently (part 二 printed as `一、`, the rest shifted down), so the tables are
// found by their own header words.
#[test]
fn parts_numbered_one_lower() {
    let values = sample_values();
    let mut requests = requests_head().replace("三、收到和处理", "二、收到和处理");
    for r in 0..25 {
        requests.push_str(&format!(
            "{} {}\n",
            row_label(r),
            row_values(&values, r).join(" ")
        ));
    }
    let text = format!(
        "某某县人民政府办公室\n2024年政府信息公开工作年度报告\n本机关全年共收到申请若干件。\n{}{}{}四、存在的主要问题及改进情况\n无。\n五、其他需要报告的事项\n无。\n",
        active_plain(&values).replace("二、主动公开", "一、主动公开"),
        requests,
        appeals_plain(&values).replace("四、政府信息公开", "三、政府信息公开")
    );
    let ex = extract(&SourceText::from_utf8(text));
    assert_values("parts numbered one lower", &ex, &values);
}

// A whole report on one line (a crawler's export) with a row's digits run together and table
// 四's fifteen digits as one run, split by the relations.
#[test]
fn one_line_with_digits_run_together() {
    // Single-digit values so that every run splits one way only where the relations say so.
    let values = sample_values();
    let mut requests = requests_head();
    for r in 0..25 {
        requests.push_str(&format!(
            "{} {}\n",
            row_label(r),
            row_values(&values, r).join(" ")
        ));
    }
    // 予以公开's row as one run: every value of the sample is one digit except the total.
    let granted = row_values(&values, 2).join(" ");
    let granted_run = row_values(&values, 2).concat();
    requests = requests.replace(&format!(" {granted}\n"), &format!("{granted_run}\n"));
    let appeals = format!(
        "四、政府信息公开行政复议、行政诉讼情况 行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉 {}\n",
        values[185..200].concat()
    );
    let text = format!("{HEAD}{}{requests}{appeals}{TAIL}", active_plain(&values));
    let one: Vec<&str> = text.split_whitespace().collect();
    let text = format!(
        "标题:某某县人民政府办公室2024年政府信息公开工作年度报告\n发布时间:2025-01-20\n{}",
        one.join(" ")
    );
    let ex = extract(&SourceText::from_utf8(text));
    for k in (0..7).map(|c| CellKey::requests(2, c)) {
        assert_eq!(
            ex.cell(k).raw.as_deref(),
            Some(values[k.index()].as_str()),
            "{k}"
        );
    }
    for k in TableId::Appeals.keys() {
        assert_eq!(
            ex.cell(k).raw.as_deref(),
            Some(values[k.index()].as_str()),
            "{k}"
        );
    }
    assert_eq!(ex.agency.as_deref(), Some("某某县人民政府办公室"));
    assert_eq!(ex.year, Some(2024));
}

// PDF text of a narrow table, one cell per line, where a two-digit number is wrapped inside its
// cell (`2` / `6` for 26): joined because only 26 makes the row's total the sum of the others.
#[test]
fn number_wrapped_in_a_narrow_cell() {
    let mut values = sample_values();
    // 予以公开: 自然人 26, the others as sampled but 商业企业, the total adjusted to hold.
    let first = 10 + 2 * 7;
    values[first] = "26".to_owned();
    // 商业企业 1, so that only joining `2` and `6` balances the row (with 2 there, `2 0` joined
    // to 20 would balance it too, and the row would be left as printed).
    values[first + 1] = "1".to_owned();
    let total: u32 = values[first..first + 6]
        .iter()
        .map(|v| v.parse::<u32>().unwrap_or(0))
        .sum();
    values[first + 6] = total.to_string();
    let mut requests = requests_head();
    for r in 0..25 {
        requests.push_str(&row_label(r));
        requests.push('\n');
        for v in row_values(&values, r) {
            if r == 2 && v == "26" {
                requests.push_str("2\n6\n");
            } else {
                requests.push_str(v);
                requests.push('\n');
            }
        }
    }
    let ex = report(&active_plain(&values), &requests, &appeals_plain(&values));
    assert_values("number wrapped in a narrow cell", &ex, &values);
    assert!(has_warning(
        &ex,
        |k| matches!(k, WarningKind::NumberWrapped { raw, .. } if raw == "26")
    ));
}
