//! `reframe lsp`: the language server. It keeps open documents in ropes, asks the engine for
//! findings, and converts them at the edge ([`convert`]). It has no lint logic of its own.
//!
//! Ordering: tower-lsp-server polls handlers concurrently, so every handler that changes a
//! document does so synchronously, before its first `.await`; first polls happen in arrival
//! order, so edits apply in order. Results computed for an older version are dropped.

mod config_edit;
pub mod convert;
mod framing;
mod publish;
mod server;
mod settings;
mod transport;
mod workspace;

use server::Backend;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::LspService;

/// Serves LSP over any byte streams (stdio in production, in-memory pipes in tests).
pub async fn serve<I, O>(input: I, output: O)
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let (notifier, notifications) = transport::Notifier::channel();
    let (service, socket) = LspService::build(|client| Backend::new(client, notifier)).finish();
    transport::serve(service, socket, notifications, input, output).await;
}

/// Runs the server on standard input and output until the client says `exit`.
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // After `exit` a read of stdin may still be blocked in a worker thread; do not wait for it.
    runtime.shutdown_background();
    Ok(())
}
