//! `reframe native-host`: the browser extension's helper (editors/browser). The browser starts
//! one process per browser session and talks to it over standard input and output in
//! native-messaging frames ([`framing`]); requests are answered by one [`Engine`], built once
//! ([`protocol`]). Text stays on this computer and is never logged: only request kinds, sizes,
//! counts and timings are. `reframe native-host install` registers the host ([`install`]).

mod framing;
pub mod install;
mod protocol;

use crate::builder::EngineBuilder;
use crate::config::CONFIG_FILE_NAME;
use crate::engine::Engine;
use crate::error::{Error, LocatedError, Result};
use crate::log;
use crate::log::Level;
use install::{Browser, Os, UserDirs};
use std::io::{BufReader, BufWriter};

/// `reframe native-host [install ...]`.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct NativeHostArgs {
    #[command(subcommand)]
    command: Option<HostCommand>,
    /// What the browser passes when it starts the host: the extension's origin (Chromium, and
    /// on Windows a parent window), or the manifest path and the add-on id (Firefox). Unused.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    caller: Vec<String>,
}

#[derive(clap::Subcommand)]
enum HostCommand {
    /// Register this binary with a browser, so the Reframe extension can start it.
    Install {
        /// The browser; may be repeated. Without it, every browser with a profile on this
        /// computer.
        #[arg(long, value_enum)]
        browser: Vec<Browser>,
        /// Remove the registration instead.
        #[arg(long)]
        uninstall: bool,
        /// Show what would be written (or removed), and change nothing.
        #[arg(long)]
        print: bool,
    },
}

/// Runs the subcommand; the exit code on success.
pub fn main(args: NativeHostArgs) -> Result<i32> {
    match args.command {
        None => serve_stdio().map(|()| 0),
        Some(HostCommand::Install {
            browser,
            uninstall,
            print,
        }) => install_for(browser, uninstall, print).map(|()| 0),
    }
}

/// The engine the host checks with: `~/.reframe.toml` when there is one (a browser starts the
/// host outside any project), else the built-in rules.
fn build_engine() -> std::result::Result<Engine, LocatedError> {
    let config = UserDirs::from_env()
        .ok()
        .map(|dirs| dirs.home.join(CONFIG_FILE_NAME))
        .filter(|path| path.is_file());
    let builder = match config {
        Some(path) => EngineBuilder::new().config_file(&path),
        None => Ok(EngineBuilder::new()),
    };
    builder.and_then(|builder| builder.build())
}

/// Answers frames on standard input until the browser closes it. A configuration error is
/// answered to every request (the extension shows it), rather than ending the process, which
/// the browser would only report as "native host has exited".
fn serve_stdio() -> Result<()> {
    let mut session = build_engine().map(protocol::Session::new);
    if let Err(message) = &session {
        log!(Level::Error, "{message}");
    }
    let mut input = BufReader::new(std::io::stdin().lock());
    let mut output = BufWriter::new(std::io::stdout().lock());
    log!(Level::Info, "native host ready");
    loop {
        let frame = framing::read_frame(&mut input).map_err(|source| Error::Service {
            what: "read from the browser".into(),
            source,
        })?;
        let reply = match frame {
            None => return Ok(()),
            Some(framing::Frame::TooLarge(len)) => {
                log!(Level::Warn, "refused a {len}-byte request");
                protocol::error(
                    None,
                    &format!(
                        "the text is too long to check here ({} MiB at most)",
                        framing::MAX_REQUEST_BYTES >> 20
                    ),
                )
            }
            Some(framing::Frame::Message(body)) => match &mut session {
                Ok(session) => answer(session, &body),
                Err(error) => protocol::error(None, &error.to_string()),
            },
        };
        send(&mut output, &reply).map_err(|source| Error::Service {
            what: "write to the browser".into(),
            source,
        })?;
    }
}

/// One reply, timed and logged by kind and size; a panic in the engine becomes an error reply.
fn answer(session: &mut protocol::Session, body: &[u8]) -> serde_json::Value {
    let started = std::time::Instant::now();
    let reply = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| session.handle(body)))
        .unwrap_or_else(|_| {
            protocol::error(
                None,
                "checking this text failed; the problem was logged without the text",
            )
        });
    log!(
        Level::Debug,
        "{} reply to a {}-byte request, {} findings, in {:.1} ms",
        reply["type"].as_str().unwrap_or("?"),
        body.len(),
        reply["findings"].as_array().map_or(0, Vec::len),
        started.elapsed().as_secs_f64() * 1e3
    );
    reply
}

/// Writes a reply; one the browser would refuse for its size becomes an error reply that
/// still names the field and version, so the extension can clear its marks.
fn send(output: &mut impl std::io::Write, reply: &serde_json::Value) -> std::io::Result<()> {
    let body = serde_json::to_vec(reply)?;
    if body.len() <= framing::MAX_REPLY_BYTES {
        return framing::write_frame(output, &body);
    }
    log!(
        Level::Warn,
        "a {}-byte reply is over the browser's limit",
        body.len()
    );
    let mut error = protocol::error(
        reply.get("id").cloned(),
        "this text has more findings than the browser can receive at once; check a shorter piece",
    );
    for key in ["field", "version"] {
        if let Some(value) = reply.get(key) {
            error[key] = value.clone();
        }
    }
    framing::write_frame(output, &serde_json::to_vec(&error)?)
}

fn install_for(browsers: Vec<Browser>, uninstall: bool, print: bool) -> Result<()> {
    let os = Os::current();
    let dirs = UserDirs::from_env()?;
    let browsers = if browsers.is_empty() {
        install::detected(os, &dirs)
    } else {
        browsers
    };
    if browsers.is_empty() {
        return Err(Error::Invalid(
            "no browser profile found; name one with --browser chrome, chromium, edge, brave or firefox".into(),
        ));
    }
    let exe = std::env::current_exe()
        .and_then(std::fs::canonicalize)
        .map_err(|source| Error::Service {
            what: "find this program's path".into(),
            source,
        })?;
    for browser in browsers {
        let plan = install::plan(browser, os, &dirs, &exe)?;
        if print {
            print!("{}", install::describe(&plan, uninstall));
        } else if uninstall {
            install::remove(&plan)?;
            println!("removed {}", plan.manifest_path.display());
        } else {
            install::apply(&plan)?;
            println!("installed {}", plan.manifest_path.display());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_oversized_reply_becomes_an_error_that_keeps_field_and_version() {
        let reply = serde_json::json!({
            "type": "check", "id": 5, "field": "f2", "version": 9,
            "findings": ["x".repeat(framing::MAX_REPLY_BYTES)],
        });
        let mut out = Vec::new();
        send(&mut out, &reply).unwrap();
        let body = match framing::read_frame(&mut out.as_slice()).unwrap() {
            Some(framing::Frame::Message(body)) => body,
            other => panic!("{other:?}"),
        };
        let error: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(error["type"], "error");
        assert_eq!(
            (
                error["id"].clone(),
                error["field"].clone(),
                error["version"].clone()
            ),
            (
                serde_json::json!(5),
                serde_json::json!("f2"),
                serde_json::json!(9)
            )
        );
    }
}
