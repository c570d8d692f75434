//! Diagnostic logging to standard error, for bug reports and editor log panels.
//!
//! What may be logged is deliberately narrow: rule ids, document serial numbers, versions,
//! byte ranges, counts, timings and configuration paths. Never the user's text, and never a
//! document's URI (a file name can be a client's name). The level comes from `REFRAME_LOG`
//! (`off`, `error`, `warn`, `info`, `debug`, `trace`; default `warn`).

use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};

/// How much to log; each level includes the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Something failed and a user-visible feature is degraded.
    Error = 1,
    /// Something is wrong in the user's setup (a broken rule file, an unknown setting).
    Warn,
    /// Start-up, negotiated capabilities, configuration reloads.
    Info,
    /// One line per lint: document serial, version, counts and timing.
    Debug,
    /// Every finding's rule id and byte range.
    Trace,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warn => "warn",
            Level::Info => "info",
            Level::Debug => "debug",
            Level::Trace => "trace",
        }
    }
}

static MAX_LEVEL: AtomicU8 = AtomicU8::new(Level::Warn as u8);

/// Reads `REFRAME_LOG`. An unknown value is an error, so a typo does not silently log nothing.
pub fn init_from_env() -> crate::error::Result<()> {
    let Ok(value) = std::env::var("REFRAME_LOG") else {
        return Ok(());
    };
    let level = match value.trim().to_ascii_lowercase().as_str() {
        "" => return Ok(()),
        "off" => 0,
        "error" => Level::Error as u8,
        "warn" => Level::Warn as u8,
        "info" => Level::Info as u8,
        "debug" => Level::Debug as u8,
        "trace" => Level::Trace as u8,
        other => {
            return Err(crate::error::Error::Invalid(format!(
                "REFRAME_LOG={other} is not a level: use off, error, warn, info, debug or trace"
            )))
        }
    };
    MAX_LEVEL.store(level, Ordering::Relaxed);
    Ok(())
}

/// Whether messages at `level` are written; check before building an expensive message.
pub fn enabled(level: Level) -> bool {
    level as u8 <= MAX_LEVEL.load(Ordering::Relaxed)
}

/// Writes one line to standard error. Use the [`crate::log!`] macro rather than this.
pub fn write(level: Level, message: fmt::Arguments) {
    eprintln!("reframe {}: {message}", level.name());
}

/// `log!(Level::Debug, "doc {serial} v{version}: {n} findings")`: formats only when enabled.
#[macro_export]
macro_rules! log {
    ($level:expr, $($arg:tt)*) => {
        if $crate::log::enabled($level) {
            $crate::log::write($level, format_args!($($arg)*));
        }
    };
}

/// Replaces the default panic message, which can quote the text being processed (a string
/// slice error prints the string), with where it happened and never what.
pub fn install_private_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "unknown location".into());
        eprintln!("reframe error: internal error at {location} (the text involved is not shown)");
    }));
}
