//! nianbao · 年报审校: reads the three statistics tables of a Chinese government
//! information-disclosure annual report (政府信息公开工作年度报告), links every cell to the text it
//! was read from, flags inconsistent cells, keeps the reviewer's corrections, and exports a
//! cleaned workbook.
//!
//! Data flows one way: bytes → [`ingest`] (a [`model::SourceText`]) → [`extract`] (an
//! [`extract::Extraction`] of 200 cells with spans) → [`check`] (findings) → [`review`] (a
//! session with corrections, undo and verdicts) → [`export`] (xlsx, JSON). Only [`app`] knows
//! the window toolkit.

pub mod app;
pub mod check;
pub mod cli;
pub mod export;
pub mod extract;
pub mod ingest;
pub mod model;
pub mod review;
