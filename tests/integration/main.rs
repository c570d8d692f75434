//! The integration tests: the binary and the server driven the way users drive them. They are
//! one test crate, not one per file, so a build links one test binary instead of eight.

mod common;

mod avoid_lists;
mod cli;
mod fix_safety;
mod fuzz_regressions;
mod language;
mod lsp;
mod lsp_edits;
mod lsp_process;
mod mcp;
mod native_host;
mod report;
mod rules;
mod serve;
