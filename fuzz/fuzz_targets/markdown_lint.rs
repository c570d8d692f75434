//! Markdown prose extraction plus linting: findings lie inside the document, on character
//! boundaries, and never in code, HTML, front matter or link destinations.
//! The property lives in `fuzz/properties.rs`, shared with `tests/integration/fuzz_regressions.rs`.

#![no_main]

// Each target uses one of the shared properties; the others are unused here.
#[allow(dead_code)]
#[path = "../properties.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::markdown_lint(data));
