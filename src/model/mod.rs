//! Plain data shared by every stage: the three table templates and their 200 canonical keys,
//! the value printed in a cell (number, zero, blank, placeholder or other text, raw text kept),
//! their rows and columns by name, and the decoded source text that byte spans point into.

mod keys;
mod rows;
mod source;
pub(crate) mod value;

pub use keys::{
    ACTIVE_ROWS, APPEALS_COLS, APPEALS_GROUPS, ActiveRow, AppealsCol, AppealsGroup, CELL_COUNT,
    CellKey, LAST_KEY, REQUESTS_COLS, REQUESTS_ROWS, RequestsCol, RequestsRow, TableId,
};
pub use rows::{Active, Appeal, AppealCol, DocCol, Req, ReqCol};
pub use source::{SourceKind, SourceText, Span};
pub use value::{Cell, ValueKind, format_number, parse_number};
