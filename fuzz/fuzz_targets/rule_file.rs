//! Rule files and `.reframe.toml`: any bytes give an error or a valid result, never a panic.
//! The property lives in `fuzz/properties.rs`, shared with `tests/integration/fuzz_regressions.rs`.

#![no_main]

// Each target uses one of the shared properties; the others are unused here.
#[allow(dead_code)]
#[path = "../properties.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::rule_file(data));
