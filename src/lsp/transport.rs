//! The JSON-RPC loop between the client's byte streams and tower-lsp-server's `LspService`.
//! It does what `tower_lsp_server::Server::serve` does, with the same concurrency, but reads
//! through [`MessageReader`]: tower-lsp-server's own reader keeps a buffer as large as the
//! largest message ever received (128 MiB after two 50 MB `didOpen`s) for the rest of the
//! session, and ends the session on malformed framing. It also carries notifications the server
//! serialises itself ([`Notifier`]).

use super::framing::MessageReader;
use crate::log;
use crate::log::Level;
use futures::channel::mpsc;
use futures::{future, stream, SinkExt, StreamExt, TryFutureExt};
use serde::Deserialize;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::sync::Notify;
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};
use tower_lsp_server::ls_types::notification::{Notification, PublishDiagnostics};
use tower_lsp_server::ls_types::{PublishDiagnosticsParams, Uri};
use tower_lsp_server::ClientSocket;
use tower_service::Service;

/// How many requests may be in progress at once (tower-lsp-server's default). Handlers still
/// start in arrival order; more than one is what lets `$/cancelRequest` reach a slow one.
const MAX_CONCURRENCY: usize = 4;
/// Requests read ahead of the ones in progress.
const MESSAGE_QUEUE_SIZE: usize = 100;
/// How long handlers still running when the input ends may take to finish. A handler waiting
/// for the client's answer to one of the server's own requests would otherwise wait for ever:
/// nothing is read after `exit`, and an editor that is stopping may never answer.
const GRACE_AFTER_INPUT: std::time::Duration = std::time::Duration::from_secs(1);

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
    /// A notification already serialised by [`Notifier`].
    Serialised(Vec<u8>),
}

/// Sends `publishDiagnostics` to the client serialised straight to bytes. tower-lsp-server's
/// `Client` turns the parameters into a `serde_json::Value` tree first, then serialises and drops
/// it: for a manuscript with thousands of findings that tree, not the lint, was most of the time
/// between a keystroke and its diagnostics.
///
/// At most one message per document waits to be written: a newer publish replaces the one still
/// waiting, which no longer describes the text. A client that stops reading therefore costs one
/// message per open document, not one per edit.
#[derive(Clone)]
pub struct Notifier(Arc<Outbox>);

/// The notifications a [`Notifier`] sends, for [`serve`] to write.
pub struct SerialisedNotifications(Arc<Outbox>);

/// Diagnostics waiting to be written.
#[derive(Default)]
struct Outbox {
    waiting: Mutex<Waiting>,
    ready: Notify,
}

#[derive(Default)]
struct Waiting {
    /// Documents in the order their waiting message was first queued.
    order: VecDeque<String>,
    /// The one message waiting for each document in `order`, by URI.
    messages: HashMap<String, Vec<u8>>,
}

impl Notifier {
    /// A notifier and the stream of what it sends.
    pub fn channel() -> (Notifier, SerialisedNotifications) {
        let outbox = Arc::new(Outbox::default());
        (Notifier(outbox.clone()), SerialisedNotifications(outbox))
    }

    /// Queues `params`, replacing diagnostics for the same document that are still waiting.
    pub fn publish(&self, params: &PublishDiagnosticsParams) {
        #[derive(serde::Serialize)]
        struct Message<'a, P> {
            jsonrpc: &'static str,
            method: &'static str,
            params: &'a P,
        }
        let body = serde_json::to_vec(&Message {
            jsonrpc: "2.0",
            method: PublishDiagnostics::METHOD,
            params,
        })
        .expect("LSP notification parameters always serialise");
        self.publish_serialised(&params.uri, body);
    }

    /// Queues a whole `publishDiagnostics` message for `uri` serialised elsewhere, replacing
    /// diagnostics for the same document that are still waiting.
    pub fn publish_serialised(&self, uri: &Uri, message: Vec<u8>) {
        let mut waiting = self
            .0
            .waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Waiting { order, messages } = &mut *waiting;
        if messages.insert(uri.as_str().to_owned(), message).is_none() {
            order.push_back(uri.as_str().to_owned());
        }
        drop(waiting);
        self.0.ready.notify_one();
    }
}

impl SerialisedNotifications {
    /// The next message to write, waiting for one.
    async fn next(&self) -> Vec<u8> {
        loop {
            {
                let mut waiting = self
                    .0
                    .waiting
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                let Waiting { order, messages } = &mut *waiting;
                if let Some(message) = order.pop_front().and_then(|uri| messages.remove(&uri)) {
                    return message;
                }
            }
            // `notify_one` keeps a permit when nobody waits, so no wake-up is lost here.
            self.0.ready.notified().await;
        }
    }

    fn into_stream(self) -> stream::BoxStream<'static, Vec<u8>> {
        stream::unfold(self, |outbox| async move {
            let message = outbox.next().await;
            Some((message, outbox))
        })
        .boxed()
    }
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

/// Serves `service` until the client sends `exit` or closes `input`, then gives the requests in
/// progress [`GRACE_AFTER_INPUT`] to finish and returns.
pub async fn serve<S, I, O>(
    mut service: S,
    socket: ClientSocket,
    notifications: SerialisedNotifications,
    input: I,
    output: O,
) where
    S: Service<Request, Response = Option<Response>>,
    S::Error: std::fmt::Display,
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let (client_requests, mut client_responses) = socket.split();
    let (client_requests, client_abort) = stream::abortable(client_requests);
    let (notifications, notifications_abort) = stream::abortable(notifications.into_stream());
    let (mut responses_tx, responses_rx) = mpsc::channel::<Response>(0);
    let (mut tasks_tx, tasks_rx) = mpsc::channel(MESSAGE_QUEUE_SIZE);

    let input_ended = Notify::new();
    let task_responses = responses_tx.clone();
    let run_tasks = async {
        let tasks = tasks_rx
            .buffer_unordered(MAX_CONCURRENCY)
            .filter_map(future::ready)
            .map(Ok)
            .forward(task_responses);
        let deadline = async {
            input_ended.notified().await;
            tokio::time::sleep(GRACE_AFTER_INPUT).await;
        };
        if let future::Either::Right(_) =
            future::select(std::pin::pin!(tasks), std::pin::pin!(deadline)).await
        {
            log!(
                Level::Warn,
                "left requests unfinished: they were still running {} ms after the input ended",
                GRACE_AFTER_INPUT.as_millis()
            );
        }
    };

    let write_output = async {
        let mut output = std::pin::pin!(output);
        let mut outgoing = stream::select(
            stream::select(
                responses_rx.map(Outgoing::Response),
                client_requests.map(Outgoing::Request),
            ),
            notifications.map(Outgoing::Serialised),
        );
        while let Some(message) = outgoing.next().await {
            let body = match message {
                Outgoing::Request(request) => serde_json::to_vec(&request),
                Outgoing::Response(response) => serde_json::to_vec(&response),
                Outgoing::Serialised(body) => Ok(body),
            }
            .expect("JSON-RPC messages always serialise");
            let header = format!("Content-Length: {}\r\n\r\n", body.len());
            let written = async {
                output.write_all(header.as_bytes()).await?;
                output.write_all(&body).await?;
                output.flush().await
            };
            // An error means the client is gone; keep draining so the other loops can finish.
            let _ = written.await;
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
        notifications_abort.abort();
        // `notify_one` keeps a permit if the deadline is not waiting yet.
        input_ended.notify_one();
    };

    futures::join!(run_tasks, write_output, read_input);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(uri: &str, version: i32) -> PublishDiagnosticsParams {
        PublishDiagnosticsParams::new(uri.parse().unwrap(), Vec::new(), Some(version))
    }

    fn version_of(message: &[u8]) -> (String, i64) {
        let value: serde_json::Value = serde_json::from_slice(message).unwrap();
        (
            value["params"]["uri"].as_str().unwrap().to_owned(),
            value["params"]["version"].as_i64().unwrap(),
        )
    }

    #[tokio::test]
    async fn a_newer_publish_replaces_the_waiting_one_for_its_document() {
        let (notifier, outbox) = Notifier::channel();
        notifier.publish(&params("file:///a.md", 1));
        notifier.publish(&params("file:///b.md", 1));
        for version in 2..=100 {
            notifier.publish(&params("file:///a.md", version));
        }
        let waiting = outbox.0.waiting.lock().unwrap().messages.len();
        assert_eq!(waiting, 2);
        // Documents keep the order they first queued in; each sends only its newest.
        assert_eq!(
            version_of(&outbox.next().await),
            ("file:///a.md".into(), 100)
        );
        assert_eq!(version_of(&outbox.next().await), ("file:///b.md".into(), 1));
        notifier.publish(&params("file:///b.md", 2));
        assert_eq!(version_of(&outbox.next().await), ("file:///b.md".into(), 2));
    }
}
