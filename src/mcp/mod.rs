//! `reframe mcp`: a Model Context Protocol server on standard input and output, so AI scribes
//! and assistants can check and reframe their own drafts with the same engine and settings as
//! every other front end. `server.rs` is the handler (tools, prompt, resources), `schema.rs`
//! the tools' argument and result types, `rewrite.rs` which findings `reframe_text` changes,
//! and `guide.rs` the style guide generated from the rules. The protocol itself is rmcp's.

mod guide;
mod rewrite;
mod schema;
mod server;

use crate::engine::Engine;
use crate::log::Level;
use rmcp::ServiceExt;
use std::sync::Arc;

/// Serves MCP on standard input and output until the client closes the connection.
pub fn run(engine: Engine) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(async {
        let service = server::ReframeServer::new(Arc::new(engine))
            .serve(rmcp::transport::stdio())
            .await
            .map_err(std::io::Error::other)?;
        crate::log!(Level::Info, "mcp: initialized");
        service
            .waiting()
            .await
            .map(|reason| crate::log!(Level::Info, "mcp: stopped ({reason:?})"))
            .map_err(std::io::Error::other)
    });
    // A read of standard input may still be blocked in a worker thread; do not wait for it.
    runtime.shutdown_background();
    result
}
