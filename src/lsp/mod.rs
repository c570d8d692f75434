//! `reframe lsp`: the language server. It keeps open documents in ropes, asks the engine for
//! findings, and converts them at the edge ([`convert`]). It has no lint logic of its own.
//!
//! Ordering: tower-lsp-server polls handlers concurrently, so every handler that changes a
//! document does so synchronously, before its first `.await`; first polls happen in arrival
//! order, so edits apply in order. Results computed for an older version are dropped.

mod config_edit;
pub mod convert;
mod server;
mod settings;
mod workspace;

pub use server::Backend;
pub use settings::EditorSettings;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

/// Serves LSP over any byte streams (stdio in production, in-memory pipes in tests).
pub async fn serve<I, O>(input: I, output: O)
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let (service, socket) = LspService::build(Backend::new).finish();
    Server::new(input, output, socket).serve(service).await;
}

/// Runs the server on standard input and output until the client says `exit`.
pub fn run_stdio() -> std::io::Result<()> {
    install_private_panic_hook();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    Ok(())
}

/// Panic messages can quote the text being processed (a string slice error prints the
/// string). Report only where it happened, never what.
fn install_private_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "unknown location".into());
        eprintln!("reframe: internal error at {location}; the document keeps its last diagnostics");
    }));
}
