//! Integration tests, built into one binary so eframe links once.

// Test and measuring code may unwrap, expect and print (the crate itself may not).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod app;
mod check;
mod cli;
mod corpus;
mod corpus_docx;
mod export;
mod extract;
mod hostile;
mod ingest;
mod layers;
mod layouts;
mod notice;
mod props;
mod review;
mod years;
