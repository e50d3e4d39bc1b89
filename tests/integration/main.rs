//! Integration tests, built into one binary so eframe links once.

mod app;
mod check;
mod cli;
mod corpus;
mod corpus_docx;
mod export;
mod extract;
mod hostile;
mod ingest;
mod layouts;
mod notice;
mod props;
mod review;
