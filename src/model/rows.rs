//! The rows, columns and groups of the three templates by name, so that code addresses a cell as
//! `CellKey::request(Req::Total, ReqCol::Total)` and a misspelt row fails to compile. Each name is
//! its position in the template arrays of [`super::keys`]; a test holds every name to the key
//! segment of the row it stands for.

use super::keys::{
    ACTIVE_ROWS, APPEALS_COLS, APPEALS_GROUPS, CellKey, REQUESTS_COLS, REQUESTS_ROWS,
};
#[cfg(test)]
use super::keys::{FIRST_APPEALS_KEY, FIRST_REQUESTS_KEY};

/// Defines a template position enum: its variants in template order, `ALL`, `index()`, and
/// the key segment each variant must have (checked by the tests).
macro_rules! positions {
    ($(#[$doc:meta])* $name:ident, $template:ident { $($(#[$vdoc:meta])* $variant:ident = $id:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every one, in template order.
            pub const ALL: [$name; $template.len()] = [$($name::$variant,)+];

            /// Its index in the template array.
            pub const fn index(self) -> usize {
                self as usize
            }

            /// The key segment the template gives it (`granted`, `total`, …).
            pub fn id(self) -> &'static str {
                $template[self.index()].id
            }

            #[cfg(test)]
            fn expected_id(self) -> &'static str {
                match self {
                    $($name::$variant => $id,)+
                }
            }
        }
    };
}

positions!(
    /// A row of table 二 (主动公开).
    Active, ACTIVE_ROWS {
        /// 规章.
        Regulations = "regulations",
        /// 行政规范性文件.
        Normative = "normative",
        /// 行政许可.
        Licensing = "licensing",
        /// 行政处罚.
        Penalty = "penalty",
        /// 行政强制.
        Coercion = "coercion",
        /// 行政事业性收费.
        Fees = "fees",
    }
);

positions!(
    /// A row of table 三 (收到和处理申请).
    Req, REQUESTS_ROWS {
        /// 一、本年新收.
        New = "new",
        /// 二、上年结转.
        CarriedOver = "carried_over",
        /// （一）予以公开: the first result row.
        Granted = "granted",
        /// （二）部分公开.
        Partial = "partial",
        /// （三）1. 属于国家秘密.
        DeniedStateSecret = "denied.state_secret",
        /// （三）2. 其他法律行政法规禁止公开.
        DeniedLawForbidden = "denied.law_forbidden",
        /// （三）3. 危及"三安全一稳定".
        DeniedSecurityStability = "denied.security_stability",
        /// （三）4. 保护第三方合法权益.
        DeniedThirdParty = "denied.third_party",
        /// （三）5. 属于三类内部事务信息.
        DeniedInternalAffairs = "denied.internal_affairs",
        /// （三）6. 属于四类过程性信息.
        DeniedProcessInfo = "denied.process_info",
        /// （三）7. 属于行政执法案卷.
        DeniedEnforcementFile = "denied.enforcement_file",
        /// （三）8. 属于行政查询事项.
        DeniedInquiry = "denied.inquiry",
        /// （四）1. 本机关不掌握相关政府信息.
        UnableNotHeld = "unable.not_held",
        /// （四）2. 没有现成信息需要另行制作.
        UnableNeedsCreation = "unable.needs_creation",
        /// （四）3. 补正后申请内容仍不明确.
        UnableUnclear = "unable.unclear",
        /// （五）1. 信访举报投诉类申请.
        RejectedPetition = "rejected.petition",
        /// （五）2. 重复申请.
        RejectedRepeat = "rejected.repeat",
        /// （五）3. 要求提供公开出版物.
        RejectedPublication = "rejected.publication",
        /// （五）4. 无正当理由大量反复申请.
        RejectedMassRepeat = "rejected.mass_repeat",
        /// （五）5. 要求行政机关确认或重新出具已获取信息.
        RejectedReconfirm = "rejected.reconfirm",
        /// （六）1. 申请人逾期不补正.
        OtherNoCorrection = "other.no_correction",
        /// （六）2. 申请人逾期未缴费.
        OtherNoFee = "other.no_fee",
        /// （六）3. 其他.
        OtherOther = "other.other",
        /// （七）总计: the sum of the result rows.
        Total = "total",
        /// 四、结转下年度继续办理.
        CarryForward = "carry_forward",
    }
);

positions!(
    /// A column of table 三.
    ReqCol, REQUESTS_COLS {
        /// 自然人.
        NaturalPerson = "natural_person",
        /// 商业企业.
        Commercial = "commercial",
        /// 科研机构.
        Research = "research",
        /// 社会公益组织.
        SocialWelfare = "social_welfare",
        /// 法律服务机构.
        LegalService = "legal_service",
        /// 其他 (法人或其他组织).
        OtherOrg = "other_org",
        /// 总计.
        Total = "total",
    }
);

positions!(
    /// A group of table 四.
    Appeal, APPEALS_GROUPS {
        /// 行政复议.
        Review = "review",
        /// 行政诉讼 未经复议直接起诉.
        SuitDirect = "suit_direct",
        /// 行政诉讼 复议后起诉.
        SuitAfterReview = "suit_after_review",
    }
);

positions!(
    /// A column of table 四.
    AppealCol, APPEALS_COLS {
        /// 结果维持.
        Upheld = "upheld",
        /// 结果纠正.
        Corrected = "corrected",
        /// 其他结果.
        Other = "other",
        /// 尚未审结.
        Pending = "pending",
        /// 总计.
        Total = "total",
    }
);

/// A column of table 二's two document rows (规章, 行政规范性文件); the other four rows have one
/// column, 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocCol {
    /// 本年制发件数.
    Issued,
    /// 本年废止件数.
    Repealed,
    /// 现行有效件数.
    InForce,
}

impl DocCol {
    /// Every one, in template order.
    pub const ALL: [DocCol; 3] = [DocCol::Issued, DocCol::Repealed, DocCol::InForce];

    /// Its index among the row's columns.
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl Req {
    /// The result rows （一）…（六）, which （七）总计 adds up.
    pub const RESULTS: std::ops::Range<usize> = Req::Granted.index()..Req::Total.index();
}

impl ReqCol {
    /// The six applicant columns, which 总计 adds up.
    pub const APPLICANTS: std::ops::Range<usize> = 0..ReqCol::Total.index();
}

impl CellKey {
    /// Table 二's cell of row `row` in column `col` (0 for the one-column rows).
    pub fn active_at(row: Active, col: usize) -> CellKey {
        CellKey::active(row.index(), col)
    }

    /// Table 二's document cell: `row` is 规章 or 行政规范性文件.
    pub fn document(row: Active, col: DocCol) -> CellKey {
        CellKey::active(row.index(), col.index())
    }

    /// Table 三's cell of row `row` in column `col`.
    pub fn request(row: Req, col: ReqCol) -> CellKey {
        CellKey::requests(row.index(), col.index())
    }

    /// Table 四's cell of group `group` in column `col`.
    pub fn appeal(group: Appeal, col: AppealCol) -> CellKey {
        CellKey::appeals(group.index(), col.index())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every named row, column and group stands at the template position of its key segment,
    // and the key offsets agree with the keys' names.
    #[test]
    fn names_match_the_templates() {
        for r in Active::ALL {
            assert_eq!(r.id(), r.expected_id(), "{r:?}");
        }
        for r in Req::ALL {
            assert_eq!(r.id(), r.expected_id(), "{r:?}");
        }
        for c in ReqCol::ALL {
            assert_eq!(c.id(), c.expected_id(), "{c:?}");
        }
        for g in Appeal::ALL {
            assert_eq!(g.id(), g.expected_id(), "{g:?}");
        }
        for c in AppealCol::ALL {
            assert_eq!(c.id(), c.expected_id(), "{c:?}");
        }
        assert_eq!(
            CellKey::request(Req::Total, ReqCol::Total).name(),
            "requests.total.total"
        );
        assert_eq!(
            CellKey::request(Req::New, ReqCol::NaturalPerson).index(),
            FIRST_REQUESTS_KEY
        );
        assert_eq!(
            CellKey::appeal(Appeal::Review, AppealCol::Upheld).index(),
            FIRST_APPEALS_KEY
        );
        assert_eq!(
            CellKey::active_at(Active::Fees, 0).name(),
            "active.fees.amount"
        );
        assert_eq!(Req::RESULTS.len(), 21);
        for row in [Active::Regulations, Active::Normative] {
            for col in DocCol::ALL {
                assert_eq!(
                    CellKey::document(row, col).name(),
                    format!(
                        "active.{}.{}",
                        row.id(),
                        ACTIVE_ROWS[row.index()].cols[col.index()]
                    )
                );
            }
        }
        assert_eq!(
            CellKey::document(Active::Normative, DocCol::InForce).name(),
            "active.normative.in_force"
        );
    }
}
