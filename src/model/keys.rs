//! The three standard tables of the 2021 national format (国办公开办函〔2021〕30号) as data:
//! rows, columns, Chinese labels and the 200 canonical cell keys.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::sync::LazyLock;

/// One of the three statistics tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableId {
    /// 二、主动公开政府信息情况.
    Active,
    /// 三、收到和处理政府信息公开申请情况.
    Requests,
    /// 四、政府信息公开行政复议、行政诉讼情况.
    Appeals,
}

impl TableId {
    /// All three, in report order.
    pub const ALL: [TableId; 3] = [TableId::Active, TableId::Requests, TableId::Appeals];

    /// The key prefix: `active`, `requests`, `appeals`.
    pub fn name(self) -> &'static str {
        match self {
            TableId::Active => "active",
            TableId::Requests => "requests",
            TableId::Appeals => "appeals",
        }
    }

    /// The short Chinese name used in messages: 表二, 表三, 表四.
    pub fn label(self) -> &'static str {
        match self {
            TableId::Active => "表二",
            TableId::Requests => "表三",
            TableId::Appeals => "表四",
        }
    }

    /// The part heading the table sits under.
    pub fn title(self) -> &'static str {
        match self {
            TableId::Active => "主动公开政府信息情况",
            TableId::Requests => "收到和处理政府信息公开申请情况",
            TableId::Appeals => "政府信息公开行政复议、行政诉讼情况",
        }
    }

    /// The first cell of this table in [`CellKey`] order.
    fn first_index(self) -> u8 {
        match self {
            TableId::Active => 0,
            TableId::Requests => 10,
            TableId::Appeals => 185,
        }
    }

    /// Number of cells in the table.
    pub fn cell_count(self) -> usize {
        match self {
            TableId::Active => 10,
            TableId::Requests => 175,
            TableId::Appeals => 15,
        }
    }

    /// The table's cells in key order.
    pub fn keys(self) -> impl Iterator<Item = CellKey> {
        let first = self.first_index();
        (first..first + self.cell_count() as u8).map(CellKey)
    }
}

/// A row of table 二 with the columns it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActiveRow {
    /// Key segment: `regulations`, `normative`, …
    pub id: &'static str,
    /// The row label as printed.
    pub label: &'static str,
    /// Column key segments.
    pub cols: &'static [&'static str],
    /// Column labels as printed.
    pub col_labels: &'static [&'static str],
    /// The clause of article 20 of the 条例 the row belongs to, e.g. `第二十条第（一）项`.
    pub clause: &'static str,
}

const DOC_COLS: &[&str] = &["issued", "repealed", "in_force"];
const DOC_COL_LABELS: &[&str] = &["本年制发件数", "本年废止件数", "现行有效件数"];
const DECISION_COLS: &[&str] = &["decisions"];
const DECISION_COL_LABELS: &[&str] = &["本年处理决定数量"];

/// Table 二's six rows, 10 cells.
pub const ACTIVE_ROWS: [ActiveRow; 6] = [
    ActiveRow {
        id: "regulations",
        label: "规章",
        cols: DOC_COLS,
        col_labels: DOC_COL_LABELS,
        clause: "第二十条第（一）项",
    },
    ActiveRow {
        id: "normative",
        label: "行政规范性文件",
        cols: DOC_COLS,
        col_labels: DOC_COL_LABELS,
        clause: "第二十条第（一）项",
    },
    ActiveRow {
        id: "licensing",
        label: "行政许可",
        cols: DECISION_COLS,
        col_labels: DECISION_COL_LABELS,
        clause: "第二十条第（五）项",
    },
    ActiveRow {
        id: "penalty",
        label: "行政处罚",
        cols: DECISION_COLS,
        col_labels: DECISION_COL_LABELS,
        clause: "第二十条第（六）项",
    },
    ActiveRow {
        id: "coercion",
        label: "行政强制",
        cols: DECISION_COLS,
        col_labels: DECISION_COL_LABELS,
        clause: "第二十条第（六）项",
    },
    ActiveRow {
        id: "fees",
        label: "行政事业性收费",
        cols: &["amount"],
        col_labels: &["本年收费金额（单位：万元）"],
        clause: "第二十条第（八）项",
    },
];

/// A row of table 三.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestsRow {
    /// Key segment, e.g. `denied.state_secret`.
    pub id: &'static str,
    /// The row group label (`（三）不予公开`), empty for rows without a group.
    pub group: &'static str,
    /// The row's own label as printed in the template.
    pub label: &'static str,
}

/// Table 三's 25 rows, in template order.
pub const REQUESTS_ROWS: [RequestsRow; 25] = [
    RequestsRow {
        id: "new",
        group: "",
        label: "一、本年新收政府信息公开申请数量",
    },
    RequestsRow {
        id: "carried_over",
        group: "",
        label: "二、上年结转政府信息公开申请数量",
    },
    RequestsRow {
        id: "granted",
        group: "三、本年度办理结果",
        label: "（一）予以公开",
    },
    RequestsRow {
        id: "partial",
        group: "三、本年度办理结果",
        label: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    },
    RequestsRow {
        id: "denied.state_secret",
        group: "（三）不予公开",
        label: "1.属于国家秘密",
    },
    RequestsRow {
        id: "denied.law_forbidden",
        group: "（三）不予公开",
        label: "2.其他法律行政法规禁止公开",
    },
    RequestsRow {
        id: "denied.security_stability",
        group: "（三）不予公开",
        label: "3.危及“三安全一稳定”",
    },
    RequestsRow {
        id: "denied.third_party",
        group: "（三）不予公开",
        label: "4.保护第三方合法权益",
    },
    RequestsRow {
        id: "denied.internal_affairs",
        group: "（三）不予公开",
        label: "5.属于三类内部事务信息",
    },
    RequestsRow {
        id: "denied.process_info",
        group: "（三）不予公开",
        label: "6.属于四类过程性信息",
    },
    RequestsRow {
        id: "denied.enforcement_file",
        group: "（三）不予公开",
        label: "7.属于行政执法案卷",
    },
    RequestsRow {
        id: "denied.inquiry",
        group: "（三）不予公开",
        label: "8.属于行政查询事项",
    },
    RequestsRow {
        id: "unable.not_held",
        group: "（四）无法提供",
        label: "1.本机关不掌握相关政府信息",
    },
    RequestsRow {
        id: "unable.needs_creation",
        group: "（四）无法提供",
        label: "2.没有现成信息需要另行制作",
    },
    RequestsRow {
        id: "unable.unclear",
        group: "（四）无法提供",
        label: "3.补正后申请内容仍不明确",
    },
    RequestsRow {
        id: "rejected.petition",
        group: "（五）不予处理",
        label: "1.信访举报投诉类申请",
    },
    RequestsRow {
        id: "rejected.repeat",
        group: "（五）不予处理",
        label: "2.重复申请",
    },
    RequestsRow {
        id: "rejected.publication",
        group: "（五）不予处理",
        label: "3.要求提供公开出版物",
    },
    RequestsRow {
        id: "rejected.mass_repeat",
        group: "（五）不予处理",
        label: "4.无正当理由大量反复申请",
    },
    RequestsRow {
        id: "rejected.reconfirm",
        group: "（五）不予处理",
        label: "5.要求行政机关确认或重新出具已获取信息",
    },
    RequestsRow {
        id: "other.no_correction",
        group: "（六）其他处理",
        label: "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    },
    RequestsRow {
        id: "other.no_fee",
        group: "（六）其他处理",
        label: "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    },
    RequestsRow {
        id: "other.other",
        group: "（六）其他处理",
        label: "3.其他",
    },
    RequestsRow {
        id: "total",
        group: "",
        label: "（七）总计",
    },
    RequestsRow {
        id: "carry_forward",
        group: "",
        label: "四、结转下年度继续办理",
    },
];

/// A column of table 三.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestsCol {
    /// Key segment, e.g. `natural_person`.
    pub id: &'static str,
    /// Column label as printed.
    pub label: &'static str,
}

/// Table 三's seven columns; the five middle ones sit under 法人或其他组织.
pub const REQUESTS_COLS: [RequestsCol; 7] = [
    RequestsCol {
        id: "natural_person",
        label: "自然人",
    },
    RequestsCol {
        id: "commercial",
        label: "商业企业",
    },
    RequestsCol {
        id: "research",
        label: "科研机构",
    },
    RequestsCol {
        id: "social_welfare",
        label: "社会公益组织",
    },
    RequestsCol {
        id: "legal_service",
        label: "法律服务机构",
    },
    RequestsCol {
        id: "other_org",
        label: "其他",
    },
    RequestsCol {
        id: "total",
        label: "总计",
    },
];

/// A row group of table 四.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppealsGroup {
    /// Key segment.
    pub id: &'static str,
    /// The group's header as printed.
    pub label: &'static str,
    /// The header above it (`行政诉讼` for the two suit groups), empty for 行政复议.
    pub parent: &'static str,
}

/// Table 四's three groups.
pub const APPEALS_GROUPS: [AppealsGroup; 3] = [
    AppealsGroup {
        id: "review",
        label: "行政复议",
        parent: "",
    },
    AppealsGroup {
        id: "suit_direct",
        label: "未经复议直接起诉",
        parent: "行政诉讼",
    },
    AppealsGroup {
        id: "suit_after_review",
        label: "复议后起诉",
        parent: "行政诉讼",
    },
];

/// A column of table 四.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppealsCol {
    /// Key segment.
    pub id: &'static str,
    /// Column label as printed.
    pub label: &'static str,
}

/// Table 四's five columns within each group.
pub const APPEALS_COLS: [AppealsCol; 5] = [
    AppealsCol {
        id: "upheld",
        label: "结果维持",
    },
    AppealsCol {
        id: "corrected",
        label: "结果纠正",
    },
    AppealsCol {
        id: "other",
        label: "其他结果",
    },
    AppealsCol {
        id: "pending",
        label: "尚未审结",
    },
    AppealsCol {
        id: "total",
        label: "总计",
    },
];

/// Number of cells in the three tables.
pub const CELL_COUNT: usize = 200;

/// The index of the last cell, for ranges over all 200 (`first..=first + LAST_KEY`).
pub const LAST_KEY: usize = CELL_COUNT - 1;

/// The first key of table 三 in canonical order: table 二's cells come first.
pub(crate) const FIRST_REQUESTS_KEY: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < ACTIVE_ROWS.len() {
        n += ACTIVE_ROWS[i].cols.len();
        i += 1;
    }
    n
};

/// The first key of table 四: after table 三's rows × columns.
pub(crate) const FIRST_APPEALS_KEY: usize =
    FIRST_REQUESTS_KEY + REQUESTS_ROWS.len() * REQUESTS_COLS.len();

const _: () = assert!(FIRST_APPEALS_KEY + APPEALS_GROUPS.len() * APPEALS_COLS.len() == CELL_COUNT);

/// One of the 200 cells, as an index in canonical order (table 二, 三 row by row, 四 group by group).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellKey(u8);

struct KeyInfo {
    name: String,
    label: String,
    table: TableId,
    row: usize,
    col: usize,
}

static KEY_INFO: LazyLock<Vec<KeyInfo>> = LazyLock::new(build_key_info);

fn build_key_info() -> Vec<KeyInfo> {
    let mut out = Vec::with_capacity(CELL_COUNT);
    for (r, row) in ACTIVE_ROWS.iter().enumerate() {
        for (c, col) in row.cols.iter().enumerate() {
            let label = if row.cols.len() > 1 {
                format!("{} {}", row.label, row.col_labels[c])
            } else {
                row.label.to_owned()
            };
            out.push(KeyInfo {
                name: format!("active.{}.{}", row.id, col),
                label,
                table: TableId::Active,
                row: r,
                col: c,
            });
        }
    }
    for (r, row) in REQUESTS_ROWS.iter().enumerate() {
        for (c, col) in REQUESTS_COLS.iter().enumerate() {
            out.push(KeyInfo {
                name: format!("requests.{}.{}", row.id, col.id),
                label: format!("{} {}", short_requests_label(row), col.label),
                table: TableId::Requests,
                row: r,
                col: c,
            });
        }
    }
    for (g, group) in APPEALS_GROUPS.iter().enumerate() {
        for (c, col) in APPEALS_COLS.iter().enumerate() {
            out.push(KeyInfo {
                name: format!("appeals.{}.{}", group.id, col.id),
                label: format!("{} {}", group.label, col.label),
                table: TableId::Appeals,
                row: g,
                col: c,
            });
        }
    }
    out
}

/// A row label without its numbering and parenthetical, for compact names such as `予以公开`.
fn short_requests_label(row: &RequestsRow) -> String {
    let mut label = row.label;
    for (open, close) in [("（", "）")] {
        if let Some(rest) = label.strip_prefix(open)
            && let Some(i) = rest.find(close)
        {
            label = &rest[i + close.len()..];
        }
    }
    if let Some(i) = label.find('、') {
        label = &label[i + '、'.len_utf8()..];
    }
    if let Some(i) = label.find('.') {
        label = &label[i + 1..];
    }
    if let Some(i) = label.find('（') {
        label = &label[..i];
    }
    match row.id {
        "other.other" => "其他处理 其他".to_owned(),
        "other.no_correction" => "逾期不补正".to_owned(),
        "other.no_fee" => "逾期未缴费".to_owned(),
        "rejected.reconfirm" => "要求确认或重新出具".to_owned(),
        _ => label.to_owned(),
    }
}

impl CellKey {
    /// All 200 keys in canonical order.
    pub fn all() -> impl Iterator<Item = CellKey> {
        (0..CELL_COUNT as u8).map(CellKey)
    }

    /// The key at `index` in canonical order.
    pub fn from_index(index: usize) -> Option<CellKey> {
        (index < CELL_COUNT).then_some(CellKey(index as u8))
    }

    /// Position in canonical order (0..200).
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// Looks a key up by its canonical name, e.g. `requests.granted.total`.
    pub fn from_name(name: &str) -> Option<CellKey> {
        KEY_INFO
            .iter()
            .position(|k| k.name == name)
            .map(|i| CellKey(i as u8))
    }

    /// The canonical name, e.g. `requests.granted.natural_person`.
    pub fn name(self) -> &'static str {
        &KEY_INFO[self.index()].name
    }

    /// A short Chinese name unique among the 200, e.g. `予以公开 自然人`.
    pub fn label(self) -> &'static str {
        &KEY_INFO[self.index()].label
    }

    /// The accessible name of the cell's editor, e.g. `表三 予以公开 自然人`.
    pub fn accessible_name(self) -> String {
        format!("{} {}", self.table().label(), self.label())
    }

    /// The table the cell belongs to.
    pub fn table(self) -> TableId {
        KEY_INFO[self.index()].table
    }

    /// Row index within its table (table 四: the group).
    pub fn row(self) -> usize {
        KEY_INFO[self.index()].row
    }

    /// Column index within its row.
    pub fn col(self) -> usize {
        KEY_INFO[self.index()].col
    }

    /// Table 三's cell at row `row` and column `col` (indices into the templates).
    pub fn requests(row: usize, col: usize) -> CellKey {
        debug_assert!(row < REQUESTS_ROWS.len() && col < REQUESTS_COLS.len());
        CellKey((FIRST_REQUESTS_KEY + row * REQUESTS_COLS.len() + col) as u8)
    }

    /// Table 四's cell for group `group` and column `col`.
    pub fn appeals(group: usize, col: usize) -> CellKey {
        debug_assert!(group < APPEALS_GROUPS.len() && col < APPEALS_COLS.len());
        CellKey((FIRST_APPEALS_KEY + group * APPEALS_COLS.len() + col) as u8)
    }

    /// Table 二's cell for row `row` and column `col`.
    pub fn active(row: usize, col: usize) -> CellKey {
        let before: usize = ACTIVE_ROWS[..row].iter().map(|r| r.cols.len()).sum();
        debug_assert!(col < ACTIVE_ROWS[row].cols.len());
        CellKey((before + col) as u8)
    }
}

impl fmt::Display for CellKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for CellKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for CellKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        CellKey::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown cell key {name}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    // The key list has exactly the 200 canonical names of report-format.md, unique, in order.
    #[test]
    fn two_hundred_unique_keys() {
        let names: Vec<&str> = CellKey::all().map(|k| k.name()).collect();
        assert_eq!(names.len(), 200);
        assert_eq!(names.iter().collect::<HashSet<_>>().len(), 200);
        assert_eq!(names[0], "active.regulations.issued");
        assert_eq!(names[9], "active.fees.amount");
        assert_eq!(names[10], "requests.new.natural_person");
        assert_eq!(names[184], "requests.carry_forward.total");
        assert_eq!(names[199], "appeals.suit_after_review.total");
        let labels: HashSet<&str> = CellKey::all().map(|k| k.label()).collect();
        assert_eq!(
            labels.len(),
            200,
            "labels must be unique for accessible names"
        );
    }

    // Index helpers agree with the names.
    #[test]
    fn index_helpers() {
        assert_eq!(
            CellKey::requests(2, 0).name(),
            "requests.granted.natural_person"
        );
        assert_eq!(CellKey::appeals(1, 4).name(), "appeals.suit_direct.total");
        assert_eq!(CellKey::active(1, 2).name(), "active.normative.in_force");
        assert_eq!(CellKey::active(5, 0).name(), "active.fees.amount");
        assert_eq!(
            CellKey::from_name("requests.other.other.total").map(|k| k.row()),
            Some(22)
        );
        assert_eq!(
            CellKey::requests(2, 0).accessible_name(),
            "表三 予以公开 自然人"
        );
    }
}
