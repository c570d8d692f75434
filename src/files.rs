//! Reading documents and writing files: the one reader every front end uses, which decodes
//! what writers' tools actually save (UTF-8, UTF-16 with a byte-order mark, Windows-1252), and
//! the one writer, which replaces a file atomically.

use crate::error::{Error, LocatedError, Result};
use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

/// A document's text and the bytes it came from.
#[derive(Clone, Debug)]
pub struct Decoded {
    /// The text. Findings' offsets are byte offsets of this UTF-8 text.
    pub text: String,
    /// The bytes as read when they are not the text's own (a decoded file), so a writer can
    /// check the file has not changed since; `None` for UTF-8, whose bytes are the text's (no
    /// second copy of a large file). [`Decoded::bytes`] gives them either way.
    pub raw: Option<Vec<u8>>,
    /// Set when the bytes were not UTF-8: how they were read, as a located notice. Such a file
    /// is checked but never rewritten, since writing UTF-8 back would change its encoding.
    pub notice: Option<LocatedError>,
}

impl Decoded {
    /// The bytes as read.
    pub fn bytes(&self) -> &[u8] {
        self.raw.as_deref().unwrap_or(self.text.as_bytes())
    }
}

/// Reads a document from `path`; see [`decode`].
pub fn read_text(path: &Path) -> Result<Decoded> {
    let raw = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok(decode(path, raw))
}

/// Decodes a document. UTF-8 is taken as it is (a byte-order mark stays part of the text, so
/// offsets are the file's). UTF-16 with a byte-order mark is decoded. Anything else that is not
/// UTF-8 is read as Windows-1252 (a superset of Latin-1, what older Windows editors save), with
/// a notice at the first byte that is not UTF-8.
pub fn decode(path: &Path, raw: Vec<u8>) -> Decoded {
    let (first_bad, raw) = match String::from_utf8(raw) {
        Ok(text) => {
            return Decoded {
                text,
                raw: None,
                notice: None,
            };
        }
        Err(e) => (e.utf8_error().valid_up_to(), e.into_bytes()),
    };
    let (text, notice) = match encoding_rs::Encoding::for_bom(&raw) {
        Some((encoding, bom_length)) if encoding != encoding_rs::UTF_8 => {
            let (text, _) = encoding.decode_without_bom_handling(&raw[bom_length..]);
            let notice = LocatedError::whole_file(
                path,
                format!(
                    "read as {} (byte-order mark); `fix` leaves it unchanged",
                    encoding.name()
                ),
            );
            (text, notice)
        }
        _ => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&raw);
            // The position of the first byte that is not UTF-8, counted in the valid prefix.
            let prefix = String::from_utf8_lossy(&raw[..first_bad]);
            let notice = LocatedError::at_offset(
                path,
                &prefix,
                first_bad,
                "not valid UTF-8 here; read as Windows-1252 (Latin-1), and `fix` leaves it unchanged",
            );
            (text, notice)
        }
    };
    let text = match text {
        Cow::Borrowed(text) => text.to_string(),
        Cow::Owned(text) => text,
    };
    Decoded {
        text,
        raw: Some(raw),
        notice: Some(notice),
    }
}

/// What a file must hold for [`write_atomic`] to replace it.
#[derive(Clone, Copy, Debug)]
pub enum Expect<'a> {
    /// Exactly these bytes, as read before the change: anything else means someone else wrote
    /// to it meanwhile, and writing would lose their change.
    Unchanged(&'a [u8]),
    /// Anything, or nothing yet (a new report or config file).
    Anything,
}

/// Replaces `path`'s contents with `contents`, atomically.
///
/// The new text goes to a temporary file beside it, is flushed to disk, gets the original's
/// permissions (a new file gets the usual ones, after the umask), and is renamed over the
/// original. A crash at any point leaves either the old file or the new one, never a mix.
pub fn write_atomic(path: &Path, contents: &str, expect: Expect<'_>) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let io = |e| Error::io(path, e);
    let permissions = match std::fs::metadata(path) {
        Ok(metadata) => Some(metadata.permissions()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".reframe-").suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(dir).map_err(io)?;
    temp.write_all(contents.as_bytes()).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    if let Some(permissions) = permissions {
        std::fs::set_permissions(temp.path(), permissions).map_err(io)?;
    }
    if let Expect::Unchanged(original) = expect {
        if std::fs::read(path).map_err(io)? != original {
            return Err(Error::ChangedOnDisk {
                path: path.to_path_buf(),
            });
        }
    }
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_kept_as_it_is() {
        let decoded = decode(Path::new("a.md"), "\u{feff}ça".as_bytes().to_vec());
        assert_eq!(decoded.text, "\u{feff}ça");
        assert!(decoded.notice.is_none());
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded_with_a_notice() {
        let mut raw = vec![0xFF, 0xFE];
        raw.extend(
            "Client is résistant.\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        let decoded = decode(Path::new("n.txt"), raw.clone());
        assert_eq!(decoded.text, "Client is résistant.\n");
        assert_eq!(decoded.bytes(), raw);
        let notice = decoded.notice.unwrap().to_string();
        assert_eq!(
            notice,
            "n.txt:1:1: read as UTF-16LE (byte-order mark); `fix` leaves it unchanged"
        );
        let mut big_endian = vec![0xFE, 0xFF];
        big_endian.extend("ok".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(Path::new("b"), big_endian).text, "ok");
    }

    #[test]
    fn other_bytes_are_read_as_windows_1252_with_the_first_bad_position() {
        let raw = b"first line\nna\xefve caf\xe9 \x93quoted\x94".to_vec();
        let decoded = decode(Path::new("w.txt"), raw);
        assert_eq!(decoded.text, "first line\nnaïve café “quoted”");
        let notice = decoded.notice.unwrap();
        assert_eq!((notice.line, notice.column), (2, 3));
    }

    #[test]
    fn a_changed_file_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "new content").unwrap();
        let err = write_atomic(&path, "x", Expect::Unchanged(b"old content")).unwrap_err();
        assert!(matches!(err, Error::ChangedOnDisk { .. }), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new content");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
        write_atomic(&path, "x", Expect::Unchanged(b"new content")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "x");
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept_and_new_files_get_the_usual_ones() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "a").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, "b", Expect::Anything).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        let new = dir.path().join("report.html");
        write_atomic(&new, "<p/>", Expect::Anything).unwrap();
        let mode = std::fs::metadata(&new).unwrap().permissions().mode() & 0o777;
        assert_ne!(
            mode & 0o044,
            0,
            "readable by others, not private like a temp file"
        );
    }
}
