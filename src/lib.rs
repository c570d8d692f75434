//! Reframe: catches stigmatizing, pathologizing and blaming language in clinical and personal
//! writing, explains why it can hurt, and offers respectful reframes.
//!
//! One engine ([`engine::Engine`]) serves every front end: the `reframe` command line, the
//! language server ([`lsp`]), the workshop page and reports. See ARCHITECTURE.md for the map.

pub mod chunk;
pub mod config;
pub mod engine;
pub mod error;
pub mod load;
pub mod matcher;
pub mod pattern;
pub mod prose;
pub mod rule;
pub mod suppress;
pub mod template;
pub mod walk;
pub mod cli;
pub mod docs;
pub mod fix;
pub mod lines;
pub mod lsp;
pub mod output;
pub mod ruletest;
