//! Integration tests: app.
