//! Finding the prose files under a folder: Markdown and text, respecting `.gitignore`.
//! Shared by `reframe check`, `reframe report` and the server's workspace diagnostics.

use std::path::{Path, PathBuf};

/// File extensions treated as prose when walking folders.
pub const PROSE_EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// Every prose file under `root` (unsorted), skipping what `.gitignore` ignores. Unreadable
/// entries are skipped; walking is best effort.
pub fn prose_files(root: &Path) -> Vec<PathBuf> {
    ignore::WalkBuilder::new(root)
        .build()
        .flatten()
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|path| {
            path.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| PROSE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        })
        .collect()
}
