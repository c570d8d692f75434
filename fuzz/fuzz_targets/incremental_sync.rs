//! Incremental sync: random LSP edits in UTF-16 or UTF-8 applied to the server's rope equal
//! the same edits applied to a plain `String` model.
//! The property lives in `fuzz/properties.rs`, shared with `tests/integration/fuzz_regressions.rs`.

#![no_main]

// Each target uses one of the shared properties; the others are unused here.
#[allow(dead_code)]
#[path = "../properties.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::incremental_sync(data));
