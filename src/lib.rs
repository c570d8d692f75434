//! Reframe: catches stigmatizing, pathologizing and blaming language in clinical and personal
//! writing, explains why it can hurt, and offers respectful reframes.
//!
//! One engine ([`Engine`], built by [`EngineBuilder`]) serves every front end: the `reframe`
//! command line, the language server, the workshop page and reports. Modules are private; what
//! other crates (the tests, the fuzz targets, the benchmarks, bindings) may use is re-exported
//! here. See ARCHITECTURE.md for the map.

// Built without the front ends (as the fuzz targets build it), what only they use is unused.
#![cfg_attr(not(feature = "front-ends"), allow(dead_code, unused_imports))]

mod builder;
mod chunk;
#[cfg(feature = "front-ends")]
mod cli;
mod config;
#[cfg(feature = "front-ends")]
mod cores;
mod docs;
mod edits;
mod engine;
mod error;
mod files;
mod fit;
mod fix;
mod jsonl;
mod lexicon;
mod lines;
mod load;
mod log;
#[cfg(feature = "front-ends")]
mod lsp;
mod match_only;
mod matcher;
#[cfg(feature = "front-ends")]
mod mcp;
mod memory;
mod mention;
#[cfg(feature = "front-ends")]
mod native_host;
mod output;
mod pattern;
mod position;
mod prose;
mod realcorpus;
mod report;
mod rule;
mod rule_header;
mod ruletest;
#[cfg(feature = "front-ends")]
mod serve;
mod suppress;
mod template;
#[cfg(feature = "front-ends")]
mod walk;

pub use builder::EngineBuilder;
pub use config::{ProjectConfig, QuoteMode, Settings, CONFIG_FILE_NAME};
pub use docs::{rules_markdown, safe_fixes_markdown, sources_markdown};
pub use engine::{Edits, Engine, Finding, Library, LintCache, Notice, Report, DOCS_URL};
pub use error::{Error, LocatedError, Result};
pub use files::{decode, read_text, write_atomic, Decoded, Expect};
pub use fix::{apply_edits, preferred_edits, Edit, FixScope};
pub use load::{
    builtin_rules, parse_rule_file, read_rule_path, LoadedRule, Origin, BUILTIN_RULE_FILES,
};
pub use position::{apply_change, Encoding, Position, PositionRange};
pub use prose::DocKind;
pub use rule::{Category, Examples, FixSafety, Rule, Severity, Source};
pub use ruletest::{evaluate, run_examples, CategoryScore, ExampleFailure};

/// The `reframe` command line: parses the process's arguments (or the ones given), runs, and
/// returns the exit code.
#[cfg(feature = "front-ends")]
pub use cli::{run as run_cli, run_with_args as run_cli_with_args};
/// A panic hook that reports where in this crate's code a panic happened, never the text.
pub use log::install_private_panic_hook;
/// The language server over any reader and writer (the tests drive it in memory).
#[cfg(feature = "front-ends")]
pub use lsp::serve as serve_lsp;
/// The sentence around a finding, as reports and the Python API's context column show it.
pub use report::sentence_around;
