//! Integration tests, built into one binary so eframe links once.

mod app;
mod check;
mod cli;
mod export;
mod extract;
mod hostile;
mod ingest;
mod props;
mod review;
