//! Fix-all: applying any set of reframes equals an independent splice of the same edits, and
//! the untouched text stays byte for byte the same.
//! The property lives in `fuzz/properties.rs`, shared with `tests/integration/fuzz_regressions.rs`.

#![no_main]

// Each target uses one of the shared properties; the others are unused here.
#[allow(dead_code)]
#[path = "../properties.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::fix_apply(data));
