//! One frame of the review window with a seed report open, in a headless `egui::Context`:
//! the app's whole `ui` (menu, status bar, findings list, source panel, the three tables)
//! plus tessellation of everything it painted, at 1280×800. Target: median ≤ 2 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use egui::{Pos2, RawInput, Rect, vec2};
use nianbao::app::{ReviewApp, ScriptedDialogs, Settings, UiIntent, fonts};
use nianbao::model::CellKey;
use std::hint::black_box;
use std::path::PathBuf;

fn input() -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1280.0, 800.0))),
        ..Default::default()
    }
}

/// Runs one frame and tessellates it; returns the number of clipped primitives.
fn frame(ctx: &egui::Context, app: &mut ReviewApp) -> usize {
    let mut output = ctx.run_ui(input(), |ui| app.show(ui));
    // There is no renderer: the texture updates are dropped on purpose.
    output.textures_delta.clear();
    ctx.tessellate(output.shapes, output.pixels_per_point).len()
}

fn ui_frame(c: &mut Criterion) {
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seeds/000_073f686d539d8498.txt");
    let ctx = egui::Context::default();
    fonts::install_bundled(&ctx);
    let mut app = ReviewApp::new(Box::new(ScriptedDialogs::new()), Settings::default());
    app.open_paths(vec![seed]);
    assert_eq!(app.reports().len(), 1, "the seed opens");
    // A selected cell, so the table selection and the source highlight are drawn too.
    let key = CellKey::from_name("requests.granted.total").expect("a canonical key");
    app.handle(&ctx, UiIntent::Select(key));
    // Warm up: font atlas, galley caches, panel sizes.
    for _ in 0..10 {
        frame(&ctx, &mut app);
    }
    c.bench_function("ui_frame_seed000_1280x800_tessellated", |b| {
        b.iter(|| black_box(frame(&ctx, &mut app)));
    });
}

criterion_group!(benches, ui_frame);
criterion_main!(benches);
