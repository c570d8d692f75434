//! Reading JSON-RPC messages from the client. A client that sends a body that is not JSON, a
//! wrong `Content-Length` or a header that is not a number must not end the session, so
//! anything that is not a well-framed message is dropped (and logged by size, never content)
//! and reading resumes at the next header. The read buffer shrinks back after a huge message,
//! so a 50 MB `didOpen` does not pin 50 MB (or the 128 MiB a doubling buffer grows to) for the
//! rest of the session.

use crate::log;
use crate::log::Level;
use tokio::io::{AsyncRead, AsyncReadExt};

/// The largest message accepted: far above any real document, far below memory exhaustion.
const MAX_MESSAGE_BYTES: usize = 256 << 20;
/// Buffer capacity kept between messages; more is handed back once a huge message is through.
const RETAINED_BUFFER_BYTES: usize = 1 << 20;
/// A header block longer than this is not a header.
const MAX_HEADER_BYTES: usize = 8 << 10;
const HEADER_NAME: &[u8] = b"content-length:";

/// What the front of the buffer holds.
#[derive(Debug, PartialEq)]
enum Next {
    /// A valid message: its body's byte range, and how many bytes it used.
    Message(std::ops::Range<usize>, usize),
    /// Bytes that are not part of any valid message.
    Skip(usize),
    NeedMore,
}

/// Splits a byte stream into the bodies of well-framed JSON-RPC messages.
pub struct MessageReader<R> {
    input: R,
    buffer: Vec<u8>,
    chunk: Vec<u8>,
    /// Where the search for a following header may resume while a long body is arriving, so
    /// each byte is scanned once and a 50 MB message costs linear time.
    scanned: usize,
}

impl<R: AsyncRead + Unpin> MessageReader<R> {
    /// Reads from `input`, which is read in 64 KiB chunks as messages are asked for.
    pub fn new(input: R) -> Self {
        MessageReader {
            input,
            buffer: Vec::new(),
            chunk: vec![0u8; 64 << 10],
            scanned: 0,
        }
    }

    /// Hands the next valid message body to `parse`, straight from the read buffer (a 50 MB
    /// body is not copied first), and returns what it made. `None` once the input has ended
    /// or failed.
    pub async fn next_message<T>(&mut self, parse: impl FnOnce(&[u8]) -> T) -> Option<T> {
        loop {
            let step = next(&self.buffer, self.scanned);
            self.scanned = match step {
                Next::NeedMore => self.buffer.len(),
                _ => 0,
            };
            match step {
                Next::Message(body, used) => {
                    let parsed = parse(&self.buffer[body]);
                    self.buffer.drain(..used);
                    if self.buffer.capacity() > RETAINED_BUFFER_BYTES
                        && self.buffer.len() < RETAINED_BUFFER_BYTES
                    {
                        self.buffer.shrink_to(RETAINED_BUFFER_BYTES);
                    }
                    return Some(parsed);
                }
                Next::Skip(n) => {
                    if self.buffer[..n].iter().any(|b| !b.is_ascii_whitespace()) {
                        log!(
                            Level::Warn,
                            "dropped {n} bytes that are not a JSON-RPC message"
                        );
                    }
                    self.buffer.drain(..n);
                }
                Next::NeedMore => match self.input.read(&mut self.chunk).await {
                    Ok(0) | Err(_) => return None,
                    Ok(n) => self.buffer.extend_from_slice(&self.chunk[..n]),
                },
            }
        }
    }
}

fn find_header(buffer: &[u8], from: usize) -> Option<usize> {
    buffer
        .get(from..)?
        .windows(HEADER_NAME.len())
        .position(|w| w.eq_ignore_ascii_case(HEADER_NAME))
        .map(|i| from + i)
}

/// The fields that make a JSON object a JSON-RPC message; everything else is skipped while
/// still being checked for syntax, without building a value.
#[derive(serde::Deserialize)]
struct MessageShape {
    #[serde(default)]
    method: Present,
    #[serde(default)]
    id: Present,
}

/// Whether a field was there at all, whatever its value (`"id": null` counts).
#[derive(Default)]
struct Present(bool);

impl<'de> serde::Deserialize<'de> for Present {
    fn deserialize<D: serde::Deserializer<'de>>(value: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(value).map(|_| Present(true))
    }
}

fn is_message(body: &[u8]) -> bool {
    // serde would also read a struct from an array; a message is an object.
    let is_object = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    is_object
        && matches!(
            serde_json::from_slice::<MessageShape>(body),
            Ok(shape) if shape.method.0 || shape.id.0
        )
}

/// Classifies the front of `buffer`. `scanned` is how far an earlier call with the same
/// pending message already searched for a following header.
fn next(buffer: &[u8], scanned: usize) -> Next {
    let Some(start) = find_header(buffer, 0) else {
        // Keep a tail that could be the start of a header.
        return match buffer.len().checked_sub(HEADER_NAME.len()) {
            Some(junk) if junk > 0 => Next::Skip(junk),
            _ => Next::NeedMore,
        };
    };
    if start > 0 {
        return Next::Skip(start);
    }
    let Some(header_len) = buffer.windows(4).position(|w| w == b"\r\n\r\n") else {
        return if buffer.len() > MAX_HEADER_BYTES {
            Next::Skip(1)
        } else {
            Next::NeedMore
        };
    };
    let body_start = header_len + 4;
    let length = std::str::from_utf8(&buffer[HEADER_NAME.len()..header_len])
        .ok()
        .and_then(|rest| rest.split("\r\n").next())
        .and_then(|value| value.trim().parse::<usize>().ok());
    let Some(length) = length.filter(|&l| l <= MAX_MESSAGE_BYTES) else {
        return Next::Skip(1);
    };
    let body_end = body_start + length;
    if buffer.len() < body_end {
        // A length longer than the body: if the next message has started and what came
        // before it is a whole message, the length was wrong and the message is fine.
        let resume = scanned.saturating_sub(HEADER_NAME.len()).max(body_start);
        if let Some(following) = find_header(buffer, resume) {
            let body = body_start..trim_end(buffer, body_start, following);
            if is_message(&buffer[body.clone()]) {
                return Next::Message(body, following);
            }
            return Next::Skip(1);
        }
        return Next::NeedMore;
    }
    if is_message(&buffer[body_start..body_end]) {
        Next::Message(body_start..body_end, body_end)
    } else {
        Next::Skip(1)
    }
}

fn trim_end(buffer: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && buffer[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads every message in `input` and returns the bodies.
    fn bodies(input: &[u8]) -> Vec<String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mut reader = MessageReader::new(input);
        let mut bodies = Vec::new();
        runtime.block_on(async {
            while let Some(body) = reader
                .next_message(|body| String::from_utf8(body.to_vec()).unwrap())
                .await
            {
                bodies.push(body);
            }
        });
        bodies
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn good_messages_pass_and_broken_ones_are_dropped() {
        let a = r#"{"jsonrpc":"2.0","id":1,"method":"a"}"#;
        let b = r#"{"jsonrpc":"2.0","method":"b","params":{"t":"é😀"}}"#;
        let input = [
            frame(a),
            "Content-Length: 9\r\n\r\n{not json".into(),
            "Content-Length: lots\r\n\r\n".into(),
            format!("Content-Length: 10\r\n\r\n{a}"),
            frame("[1,2]"),
            format!("Content-Length: 500\r\n\r\n{a}\r\n"),
            frame(b),
        ]
        .concat();
        assert_eq!(bodies(input.as_bytes()), [a, a, b]);
    }

    #[test]
    fn an_absurd_length_is_refused() {
        let a = r#"{"jsonrpc":"2.0","id":1,"method":"a"}"#;
        let input = format!("Content-Length: 999999999999\r\n\r\n{}", frame(a));
        assert_eq!(bodies(input.as_bytes()), [a]);
    }

    #[test]
    fn the_buffer_shrinks_once_a_huge_message_is_through() {
        let huge = format!(
            r#"{{"jsonrpc":"2.0","method":"b","params":{{"t":"{}"}}}}"#,
            "x".repeat(8 << 20)
        );
        let small = r#"{"jsonrpc":"2.0","id":1,"method":"a"}"#;
        let input = [frame(&huge), frame(small)].concat();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mut reader = MessageReader::new(input.as_bytes());
        runtime.block_on(async {
            assert_eq!(reader.next_message(<[u8]>::len).await, Some(huge.len()));
            assert!(reader.buffer.capacity() <= RETAINED_BUFFER_BYTES);
            assert_eq!(reader.next_message(<[u8]>::len).await, Some(small.len()));
            assert_eq!(reader.next_message(<[u8]>::len).await, None);
        });
    }
}
