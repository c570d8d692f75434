//! `reframe serve`: the workshop drafting page. One embedded page ([`assets`]) and a small
//! JSON API ([`api`]) over the same [`Engine`] as every other front end. The server keeps
//! nothing: each request's text lives only while it is linted, and only sizes and timings are
//! logged.

mod api;
mod assets;

use crate::engine::Engine;
use crate::error::Error;
use crate::log;
use crate::log::Level;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The largest request body accepted: a long chapter fits, a flood does not.
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// Lints running at once; further requests wait their turn instead of starving the machine.
const CONCURRENT_LINTS: usize = 4;

/// Where to listen.
pub struct ServeOptions {
    /// The address to bind; `127.0.0.1` keeps the page on this machine.
    pub host: IpAddr,
    /// The port; 0 picks a free one (printed on start).
    pub port: u16,
}

/// Serves the page until the process is stopped.
pub fn run(engine: Engine, options: &ServeOptions) -> crate::error::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Service {
            what: "start the async runtime".into(),
            source,
        })?;
    runtime.block_on(serve(Arc::new(engine), options))
}

async fn serve(engine: Arc<Engine>, options: &ServeOptions) -> crate::error::Result<()> {
    let wanted = SocketAddr::new(options.host, options.port);
    let listener = tokio::net::TcpListener::bind(wanted)
        .await
        .map_err(|source| Error::Service {
            what: format!("listen on {wanted}"),
            source,
        })?;
    let bound = listener.local_addr().map_err(|source| Error::Service {
        what: "read the bound address".into(),
        source,
    })?;
    print_addresses(bound);
    axum::serve(listener, router(engine))
        .await
        .map_err(|source| Error::Service {
            what: "keep serving".into(),
            source,
        })
}

/// The whole HTTP surface.
fn router(engine: Arc<Engine>) -> Router {
    let state = api::State::new(engine, CONCURRENT_LINTS);
    Router::new()
        .route("/", get(assets::index))
        .route("/app.js", get(assets::script))
        .route("/app.css", get(assets::style))
        .route("/api/info", get(api::info))
        .route("/api/check", post(api::check))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(api::log_and_harden))
        .with_state(state)
}

/// Prints where to open the page. The first line is always `listening on <url>` so scripts can
/// read it; on an unspecified address each of the machine's addresses follows.
fn print_addresses(bound: SocketAddr) {
    // Written without panicking: `reframe serve | head -1` must not take the server down.
    let mut out = std::io::stdout().lock();
    let port = bound.port();
    let shown = if bound.ip().is_unspecified() {
        SocketAddr::new(IpAddr::from([127, 0, 0, 1]), port)
    } else {
        bound
    };
    let _ = writeln!(out, "listening on http://{shown}/");
    if bound.ip().is_unspecified() {
        let _ = writeln!(out, "Open one of these on the room's network:");
        for ip in room_addresses(bound.ip().is_ipv6()) {
            let _ = writeln!(out, "  {}", url(ip, port));
        }
        let _ = writeln!(
            out,
            "Anyone who can reach these addresses can use the page. Text is never stored."
        );
    } else if bound.ip().is_loopback() {
        let _ = writeln!(
            out,
            "Only this machine can open it; use --host 0.0.0.0 to share it with a room."
        );
    }
    log!(Level::Info, "serving on port {port}");
}

fn room_addresses(include_v6: bool) -> Vec<IpAddr> {
    let mut addresses: Vec<IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .map(|interface| interface.ip())
        .filter(|ip| !ip.is_loopback() && (include_v6 || ip.is_ipv4()))
        .collect();
    addresses.sort();
    addresses.dedup();
    addresses
}

fn url(ip: IpAddr, port: u16) -> String {
    match ip {
        IpAddr::V4(v4) => format!("http://{v4}:{port}/"),
        IpAddr::V6(v6) => format!("http://[{v6}]:{port}/"),
    }
}
