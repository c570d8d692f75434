//! Finding the prose files under a folder: Markdown and text, respecting `.gitignore`,
//! `.ignore` and hidden files as ripgrep does, inside a git repository or not.
//! Shared by `reframe check`, `reframe report` and the server's workspace diagnostics.

use crate::prose::PROSE_EXTENSIONS;
use std::path::{Path, PathBuf};

/// Every prose file under `root` (unsorted), skipping what `.gitignore` and `.ignore` ignore.
/// Unreadable entries are skipped; walking is best effort.
pub fn prose_files(root: &Path) -> Vec<PathBuf> {
    ignore::WalkBuilder::new(root)
        // A folder copied out of its repository, or never put in one, keeps its ignore files.
        .require_git(false)
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
