//! Native-messaging framing, as Chromium and Firefox define it: each message is a 32-bit
//! length in the machine's byte order, then that many bytes of UTF-8 JSON. The browser may
//! send up to 4 GiB and accepts at most 1 MB back, so both directions are bounded here: an
//! oversized request is read past (the stream stays in step) and reported, and an oversized
//! reply is never written.

use std::io::{self, Read, Write};

/// The largest request read into memory. A long chapter is far smaller; a browser bug or a
/// hostile page that sends gigabytes is skipped without holding them.
pub const MAX_REQUEST_BYTES: usize = 8 << 20;
/// The largest message Chromium accepts from a native host.
pub const MAX_REPLY_BYTES: usize = 1 << 20;

/// One frame read from the browser.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A message body within the limit.
    Message(Vec<u8>),
    /// A message longer than [`MAX_REQUEST_BYTES`]; its body was read and dropped.
    TooLarge(u64),
}

/// Reads the next frame; `Ok(None)` when the browser has closed the pipe (between frames, or
/// in the middle of one: a cut-off frame can never be answered).
pub fn read_frame(input: &mut impl Read) -> io::Result<Option<Frame>> {
    let mut header = [0u8; 4];
    if !read_full(input, &mut header)? {
        return Ok(None);
    }
    let len = u32::from_ne_bytes(header) as u64;
    if len > MAX_REQUEST_BYTES as u64 {
        let skipped = io::copy(&mut input.take(len), &mut io::sink())?;
        return Ok((skipped == len).then_some(Frame::TooLarge(len)));
    }
    let mut body = vec![0u8; len as usize];
    Ok(read_full(input, &mut body)?.then_some(Frame::Message(body)))
}

/// Fills `buf`; false when the input ends first.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<bool> {
    match input.read_exact(buf) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    }
}

/// Writes one frame and flushes it. A body over [`MAX_REPLY_BYTES`] is refused with
/// `InvalidInput` and nothing is written, so the browser never sees a frame it would reject
/// (Chromium closes the port on one).
pub fn write_frame(output: &mut impl Write, body: &[u8]) -> io::Result<()> {
    if body.len() > MAX_REPLY_BYTES {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "reply larger than the browser accepts",
        ));
    }
    output.write_all(&(body.len() as u32).to_ne_bytes())?;
    output.write_all(body)?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &[u8]) -> Vec<u8> {
        let mut out = (body.len() as u32).to_ne_bytes().to_vec();
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn reads_consecutive_frames_then_end() {
        let mut input = framed(br#"{"type":"rules"}"#);
        input.extend(framed(b"{}"));
        let mut reader = input.as_slice();
        assert_eq!(
            read_frame(&mut reader).unwrap(),
            Some(Frame::Message(br#"{"type":"rules"}"#.to_vec()))
        );
        assert_eq!(
            read_frame(&mut reader).unwrap(),
            Some(Frame::Message(b"{}".to_vec()))
        );
        assert_eq!(read_frame(&mut reader).unwrap(), None);
    }

    #[test]
    fn length_is_native_endian() {
        let mut input = 3u32.to_ne_bytes().to_vec();
        input.extend_from_slice(b"abc");
        assert_eq!(
            read_frame(&mut input.as_slice()).unwrap(),
            Some(Frame::Message(b"abc".to_vec()))
        );
    }

    #[test]
    fn empty_body_is_a_message() {
        let input = framed(b"");
        assert_eq!(
            read_frame(&mut input.as_slice()).unwrap(),
            Some(Frame::Message(Vec::new()))
        );
    }

    #[test]
    fn a_cut_off_header_or_body_ends_the_stream() {
        assert_eq!(read_frame(&mut &[1u8, 0][..]).unwrap(), None);
        let mut input = 10u32.to_ne_bytes().to_vec();
        input.extend_from_slice(b"short");
        assert_eq!(read_frame(&mut input.as_slice()).unwrap(), None);
    }

    #[test]
    fn an_oversized_request_is_skipped_and_the_next_one_is_read() {
        let big = vec![b'x'; MAX_REQUEST_BYTES + 1];
        let mut input = framed(&big);
        input.extend(framed(b"{}"));
        let mut reader = input.as_slice();
        assert_eq!(
            read_frame(&mut reader).unwrap(),
            Some(Frame::TooLarge(big.len() as u64))
        );
        assert_eq!(
            read_frame(&mut reader).unwrap(),
            Some(Frame::Message(b"{}".to_vec()))
        );
    }

    #[test]
    fn the_largest_allowed_request_is_read_whole() {
        let body = vec![b' '; MAX_REQUEST_BYTES];
        let input = framed(&body);
        assert_eq!(
            read_frame(&mut input.as_slice()).unwrap(),
            Some(Frame::Message(body))
        );
    }

    #[test]
    fn writes_length_then_body() {
        let mut out = Vec::new();
        write_frame(&mut out, b"{\"ok\":1}").unwrap();
        assert_eq!(out, framed(b"{\"ok\":1}"));
    }

    #[test]
    fn refuses_a_reply_the_browser_would_reject() {
        let mut out = Vec::new();
        let err = write_frame(&mut out, &vec![b'x'; MAX_REPLY_BYTES + 1]).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        assert!(out.is_empty());
        write_frame(&mut out, &vec![b'x'; MAX_REPLY_BYTES]).unwrap();
        assert_eq!(out.len(), MAX_REPLY_BYTES + 4);
    }
}
