//! Chinese text everywhere, with Simplified Chinese glyph forms on every machine: the bundled
//! Noto Sans SC (SIL OFL 1.1, licence in `assets/fonts/OFL.txt`) goes first for proportional and
//! monospace text; the system's CJK fonts are added after everything else, only for characters
//! the bundled font lacks.

use egui::{FontData, FontFamily, FontInsert, FontPriority, InsertFontFamily};
use std::path::PathBuf;
use std::sync::Arc;

/// Noto Sans SC Regular, compiled into the binary so the window never depends on where it runs.
pub static BUNDLED_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Regular.otf");

/// The name the bundled font is registered under.
pub const BUNDLED_FONT_NAME: &str = "NotoSansSC-Regular";

/// Installs the bundled font before egui's own fonts, for proportional and monospace text.
pub fn install_bundled(ctx: &egui::Context) {
    ctx.add_font(FontInsert::new(
        BUNDLED_FONT_NAME,
        FontData::from_static(BUNDLED_FONT),
        vec![
            InsertFontFamily {
                family: FontFamily::Proportional,
                priority: FontPriority::Highest,
            },
            InsertFontFamily {
                family: FontFamily::Monospace,
                priority: FontPriority::Highest,
            },
        ],
    ));
}

/// System CJK fonts to try as fallbacks, with the face index inside a collection, most
/// preferred first. Only Simplified Chinese faces are listed (index 2 of Noto Sans CJK is SC).
pub fn system_cjk_candidates() -> Vec<(PathBuf, u32)> {
    let mut out: Vec<(PathBuf, u32)> = Vec::new();
    if cfg!(target_os = "windows") {
        let windir =
            std::env::var_os("WINDIR").map_or_else(|| PathBuf::from(r"C:\Windows"), PathBuf::from);
        let fonts = windir.join("Fonts");
        for (file, index) in [
            ("msyh.ttc", 0),
            ("msyh.ttf", 0),
            ("simsun.ttc", 0),
            ("simhei.ttf", 0),
        ] {
            out.push((fonts.join(file), index));
        }
    } else if cfg!(target_os = "macos") {
        for (file, index) in [
            ("/System/Library/Fonts/PingFang.ttc", 0),
            ("/System/Library/Fonts/Hiragino Sans GB.ttc", 0),
            ("/System/Library/Fonts/STHeiti Light.ttc", 0),
            ("/Library/Fonts/Arial Unicode.ttf", 0),
        ] {
            out.push((PathBuf::from(file), index));
        }
    } else {
        for (file, index) in [
            ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
            ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
            (
                "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
                2,
            ),
            ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
            ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
            (
                "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
                0,
            ),
            ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
            ("/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc", 0),
        ] {
            out.push((PathBuf::from(file), index));
        }
    }
    out
}

/// How many system fonts to add at most: each costs its file size in memory.
const MAX_SYSTEM_FONTS: usize = 2;

/// Reads the system CJK fonts that exist, on a background thread, and adds them as the last
/// fallbacks. The window does not wait: the first frame uses the bundled font alone.
pub fn add_system_fallbacks_in_background(ctx: &egui::Context) {
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let mut added = 0;
        for (path, index) in system_cjk_candidates() {
            if added == MAX_SYSTEM_FONTS {
                break;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let name = format!("system:{}#{index}", path.display());
            ctx.add_font(FontInsert::new(
                &name,
                FontData::from_blob(Arc::new(bytes), index),
                vec![
                    InsertFontFamily {
                        family: FontFamily::Proportional,
                        priority: FontPriority::Lowest,
                    },
                    InsertFontFamily {
                        family: FontFamily::Monospace,
                        priority: FontPriority::Lowest,
                    },
                ],
            ));
            added += 1;
        }
        if added > 0 {
            ctx.request_repaint();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    // The bundled font is the OpenType file shipped in assets/fonts, not an empty placeholder.
    #[test]
    fn bundled_font_is_opentype() {
        assert!(BUNDLED_FONT.len() > 1_000_000);
        assert_eq!(&BUNDLED_FONT[..4], b"OTTO", "a CFF OpenType font");
    }

    // With the bundled font installed, Chinese text lays out with real glyphs, and the bundled
    // font comes before egui's own fonts.
    #[test]
    fn chinese_renders_with_bundled_font() {
        let ctx = egui::Context::default();
        install_bundled(&ctx);
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            ui.label("表三 予以公开 自然人");
        });
        // No renderer here: the font atlas upload is dropped on purpose.
        output.textures_delta.clear();
        let families = ctx.fonts(|f| f.definitions().families.clone());
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            assert_eq!(
                families
                    .get(&family)
                    .and_then(|f| f.first())
                    .map(String::as_str),
                Some(BUNDLED_FONT_NAME),
                "{family:?}"
            );
        }
    }
}
