//! Where a rule's `[[rule]]` header starts; shared by `build.rs`, which embeds the built-in
//! rules, and [`crate::load`], which reads rule files, so both give a rule the same line.

/// The `[[rule]]` line of the array-of-tables entry whose span starts at `offset`: at the
/// header itself, or at its first key.
pub fn header_start(source: &str, offset: usize) -> usize {
    const HEADER: &str = "[[rule]]";
    let mut end = (offset + HEADER.len()).min(source.len());
    while !source.is_char_boundary(end) {
        end -= 1;
    }
    source[..end].rfind(HEADER).unwrap_or(offset)
}
