//! One frame of the review window with a seed report open, in a headless `egui::Context`:
//! the app's whole `ui` (menu, status bar, findings list, source panel, the three tables)
//! plus tessellation of everything it painted, at the laptop size 1366×768 and at 1920×1080.
//! Target: median ≤ 2 ms.

// Test and measuring code may unwrap, expect and print (the crate itself may not).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use criterion::{Criterion, criterion_group, criterion_main};
use egui::{Pos2, RawInput, Rect, vec2};
use nianbao::app::{ReviewApp, ScriptedDialogs, Settings, UiIntent, fonts};
use nianbao::model::CellKey;
use std::hint::black_box;
use std::path::PathBuf;

fn input(w: f32, h: f32) -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(w, h))),
        ..Default::default()
    }
}

/// Runs one frame and tessellates it; returns the number of clipped primitives.
fn frame(ctx: &egui::Context, app: &mut ReviewApp, w: f32, h: f32) -> usize {
    let mut output = ctx.run_ui(input(w, h), |ui| app.show(ui));
    // There is no renderer: the texture updates are dropped on purpose.
    output.textures_delta.clear();
    ctx.tessellate(output.shapes, output.pixels_per_point).len()
}

fn ui_frame(c: &mut Criterion) {
    // Seed 001 has an error finding, which is selected as a reviewer would have it.
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seeds/001_02434a0845e90c92.txt");
    for (w, h) in [(1366.0, 768.0), (1920.0, 1080.0)] {
        let ctx = egui::Context::default();
        fonts::install_bundled(&ctx);
        let mut app = ReviewApp::new(Box::new(ScriptedDialogs::new()), Settings::default());
        app.open_paths(vec![seed.clone()]);
        app.wait_for_background();
        assert_eq!(app.reports().len(), 1, "the seed opens");
        let key = CellKey::from_name("requests.granted.total").expect("a canonical key");
        app.handle(&ctx, UiIntent::Select(key));
        app.handle(&ctx, UiIntent::NextFinding);
        // Warm up: font atlas, galley caches, panel sizes, the scroll to 表三.
        for _ in 0..10 {
            frame(&ctx, &mut app, w, h);
        }
        c.bench_function(&format!("ui_frame_seed001_{w}x{h}_tessellated"), |b| {
            b.iter(|| black_box(frame(&ctx, &mut app, w, h)));
        });
    }
}

criterion_group!(benches, ui_frame);
criterion_main!(benches);
