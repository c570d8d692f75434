//! Reframe: catches stigmatizing, pathologizing and blaming language in clinical and personal
//! writing, explains why it can hurt, and offers respectful reframes.
//!
//! One engine ([`engine::Engine`]) serves every front end: the `reframe` command line, the
//! language server ([`lsp`]), the workshop page and reports. See ARCHITECTURE.md for the map.

pub mod builder;
pub mod chunk;
#[cfg(feature = "front-ends")]
pub mod cli;
pub mod config;
#[cfg(feature = "front-ends")]
pub mod cores;
pub mod docs;
pub mod edits;
pub mod engine;
pub mod error;
pub mod files;
pub mod fix;
pub mod jsonl;
pub mod lexicon;
pub mod lines;
pub mod load;
pub mod log;
#[cfg(feature = "front-ends")]
pub mod lsp;
pub mod matcher;
pub mod memory;
pub mod output;
pub mod pattern;
pub mod position;
pub mod prose;
pub mod report;
pub mod rule;
pub mod ruletest;
#[cfg(feature = "front-ends")]
pub mod serve;
pub mod suppress;
pub mod template;
#[cfg(feature = "front-ends")]
pub mod walk;
