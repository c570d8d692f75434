//! The JSON-RPC loop between the client's byte streams and tower-lsp-server's `LspService`.
//! It does what `tower_lsp_server::Server::serve` does, with the same concurrency, but reads
//! through [`MessageReader`]: tower-lsp-server's own reader keeps a buffer as large as the
//! largest message ever received (128 MiB after two 50 MB `didOpen`s) for the rest of the
//! session, and ends the session on malformed framing.

use super::framing::MessageReader;
use crate::log;
use crate::log::Level;
use futures::channel::mpsc;
use futures::{future, stream, FutureExt, SinkExt, StreamExt, TryFutureExt};
use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};
use tower_lsp_server::ClientSocket;
use tower_service::Service;

/// How many requests may be in progress at once (tower-lsp-server's default). Handlers still
/// start in arrival order; more than one is what lets `$/cancelRequest` reach a slow one.
const MAX_CONCURRENCY: usize = 4;
/// Requests read ahead of the ones in progress.
const MESSAGE_QUEUE_SIZE: usize = 100;

/// A message from the client.
enum Incoming {
    Request(Request),
    Response(Response),
    /// Valid JSON-RPC framing and JSON, but not a valid request or response.
    Invalid {
        bytes: usize,
        is_request: bool,
    },
}

/// A message to the client.
enum Outgoing {
    Request(Request),
    Response(Response),
}

/// Which kind of message a body is, read without building a value.
#[derive(Deserialize)]
struct MessageKind {
    #[serde(default)]
    method: Option<serde::de::IgnoredAny>,
}

impl Incoming {
    fn parse(body: &[u8]) -> Incoming {
        let is_request = serde_json::from_slice::<MessageKind>(body)
            .map(|kind| kind.method.is_some())
            .unwrap_or(false);
        let parsed = if is_request {
            serde_json::from_slice(body).map(Incoming::Request)
        } else {
            serde_json::from_slice(body).map(Incoming::Response)
        };
        parsed.unwrap_or(Incoming::Invalid {
            bytes: body.len(),
            is_request,
        })
    }
}

/// Serves `service` until the client sends `exit` or closes `input`, then finishes the
/// requests in progress and returns.
pub async fn serve<S, I, O>(mut service: S, socket: ClientSocket, input: I, output: O)
where
    S: Service<Request, Response = Option<Response>>,
    S::Error: std::fmt::Display,
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let (client_requests, mut client_responses) = socket.split();
    let (client_requests, client_abort) = stream::abortable(client_requests);
    let (mut responses_tx, responses_rx) = mpsc::channel::<Response>(0);
    let (mut tasks_tx, tasks_rx) = mpsc::channel(MESSAGE_QUEUE_SIZE);

    let run_tasks = tasks_rx
        .buffer_unordered(MAX_CONCURRENCY)
        .filter_map(future::ready)
        .map(Ok)
        .forward(responses_tx.clone());

    let write_output = async {
        let mut output = std::pin::pin!(output);
        let mut outgoing = stream::select(
            responses_rx.map(Outgoing::Response),
            client_requests.map(Outgoing::Request),
        );
        while let Some(message) = outgoing.next().await {
            let body = match &message {
                Outgoing::Request(request) => serde_json::to_vec(request),
                Outgoing::Response(response) => serde_json::to_vec(response),
            }
            .expect("JSON-RPC messages always serialise");
            let header = format!("Content-Length: {}\r\n\r\n", body.len());
            let written = async {
                output.write_all(header.as_bytes()).await?;
                output.write_all(&body).await?;
                output.flush().await
            };
            if written.await.is_err() {
                // The client is gone; keep draining so the other loops can finish.
                continue;
            }
        }
    };

    let read_input = async {
        let mut reader = MessageReader::new(input);
        while let Some(message) = reader.next_message(Incoming::parse).await {
            match message {
                Incoming::Request(request) => {
                    if let Err(error) = future::poll_fn(|cx| service.poll_ready(cx)).await {
                        log!(Level::Error, "the language service stopped: {error}");
                        break;
                    }
                    // The client may never close its end after `exit`, so stop reading now.
                    let is_exit = request.method() == "exit";
                    let task = service.call(request).unwrap_or_else(|error| {
                        log!(Level::Error, "a request failed: {error}");
                        None
                    });
                    if tasks_tx.send(task).await.is_err() || is_exit {
                        break;
                    }
                }
                Incoming::Response(response) => {
                    if client_responses.send(response).await.is_err() {
                        break;
                    }
                }
                Incoming::Invalid { bytes, is_request } => {
                    log!(
                        Level::Warn,
                        "dropped a {bytes}-byte message that is not a valid JSON-RPC {}",
                        if is_request { "request" } else { "response" }
                    );
                    if is_request {
                        let reply = Response::from_error(Id::Null, Error::invalid_request());
                        let _ = responses_tx.send(reply).await;
                    }
                }
            }
        }
        tasks_tx.disconnect();
        responses_tx.disconnect();
        client_abort.abort();
    };

    futures::join!(run_tasks.map(|_| ()), write_output, read_input);
}
