//! The review window (eframe/egui). The only module that imports egui, eframe or rfd.
