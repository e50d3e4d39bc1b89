//! Colours with a meaning: severity of a flagged cell, a corrected cell, highlighted source
//! text. Each has a light and a dark variant so both themes stay readable.

use crate::check::Severity;
use egui::Color32;

/// The fill of a cell flagged with `severity`.
pub fn severity_fill(severity: Severity, dark: bool) -> Color32 {
    match (severity, dark) {
        (Severity::Error, false) => Color32::from_rgb(0xF8, 0xC9, 0xC9),
        (Severity::Warning, false) => Color32::from_rgb(0xFB, 0xE3, 0xB0),
        (Severity::Info, false) => Color32::from_rgb(0xD3, 0xE4, 0xF8),
        (Severity::Error, true) => Color32::from_rgb(0x6B, 0x22, 0x26),
        (Severity::Warning, true) => Color32::from_rgb(0x64, 0x4A, 0x12),
        (Severity::Info, true) => Color32::from_rgb(0x1F, 0x3D, 0x60),
    }
}

/// A strong colour for the severity's icon and text.
pub fn severity_strong(severity: Severity, dark: bool) -> Color32 {
    match (severity, dark) {
        (Severity::Error, false) => Color32::from_rgb(0xB4, 0x1C, 0x1C),
        (Severity::Warning, false) => Color32::from_rgb(0x9A, 0x5B, 0x00),
        (Severity::Info, false) => Color32::from_rgb(0x1E, 0x5A, 0xA8),
        (Severity::Error, true) => Color32::from_rgb(0xFF, 0x8A, 0x8A),
        (Severity::Warning, true) => Color32::from_rgb(0xF5, 0xC2, 0x5A),
        (Severity::Info, true) => Color32::from_rgb(0x8C, 0xBC, 0xF5),
    }
}

/// The mark and text colour of a corrected cell.
pub fn corrected_strong(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x7E, 0xD9, 0x8F)
    } else {
        Color32::from_rgb(0x15, 0x7A, 0x33)
    }
}

/// The fill of a corrected cell with no open finding.
pub fn corrected_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x1D, 0x40, 0x28)
    } else {
        Color32::from_rgb(0xDC, 0xF2, 0xE1)
    }
}

/// The background of a queue entry's status badge (white text on it): grey 未审, orange
/// 有问题, green 已审.
pub fn queue_badge(status: crate::app::QueueStatus, dark: bool) -> Color32 {
    use crate::app::QueueStatus;
    match (status, dark) {
        (QueueStatus::Unreviewed, false) => Color32::from_rgb(0x6b, 0x72, 0x80),
        (QueueStatus::Unreviewed, true) => Color32::from_rgb(0x4b, 0x55, 0x63),
        (QueueStatus::Problems, false) => Color32::from_rgb(0xc2, 0x41, 0x0c),
        (QueueStatus::Problems, true) => Color32::from_rgb(0x9a, 0x34, 0x12),
        (QueueStatus::Reviewed, false) => Color32::from_rgb(0x15, 0x80, 0x3d),
        (QueueStatus::Reviewed, true) => Color32::from_rgb(0x16, 0x65, 0x34),
    }
}

/// The fill of table headings.
pub fn header_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(0x30)
    } else {
        Color32::from_rgb(0xEE, 0xF1, 0xF5)
    }
}

/// The grid lines of the tables.
pub fn grid_line(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(0x58)
    } else {
        Color32::from_gray(0xB8)
    }
}

/// Background of the selected cell's text in the source.
pub fn source_selected(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x8A, 0x5A, 0x00)
    } else {
        Color32::from_rgb(0xFF, 0xC8, 0x57)
    }
}

/// Background of other highlighted spans in the source (a finding's cells).
pub fn source_related(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x4A, 0x3A, 0x10)
    } else {
        Color32::from_rgb(0xFF, 0xE9, 0xB5)
    }
}

/// Background of search matches in the source.
pub fn source_match(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x2A, 0x4A, 0x6A)
    } else {
        Color32::from_rgb(0xC6, 0xE2, 0xFF)
    }
}

/// Background of the current search match.
pub fn source_current_match(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x1F, 0x6F, 0xB5)
    } else {
        Color32::from_rgb(0x7F, 0xBF, 0xFF)
    }
}

/// The fill of a cell in the 历年对照 table whose value differs from the year before.
pub fn year_changed_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x1F, 0x3D, 0x60)
    } else {
        Color32::from_rgb(0xD3, 0xE4, 0xF8)
    }
}

/// The fill of a cell in the 历年对照 table that jumped (×5 or more) from the year before:
/// stronger than a plain change, because a jump is the likelier misprint.
pub fn year_jump_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x64, 0x4A, 0x12)
    } else {
        Color32::from_rgb(0xFB, 0xC8, 0x6A)
    }
}
