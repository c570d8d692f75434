//! Handing freed memory back to the operating system. glibc keeps freed heap pages for reuse,
//! so after a 50 MB manuscript closes the language server would stay at its peak size for the
//! rest of a long editing session; `malloc_trim` returns those pages.

/// Returns free heap pages to the system. Cheap enough to call after a large document closes;
/// a no-op where the allocator does not need it.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn return_freed_memory() {
    // SAFETY: malloc_trim only walks glibc's own free lists; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Makes every thread allocate from one heap. glibc gives other threads heaps of their own,
/// which `malloc_trim` can only shrink from the top: the language server lints on a worker
/// thread, and a closed 50 MB manuscript left tens of MiB of that thread's heap behind. Call
/// before starting threads.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn share_one_heap() {
    // SAFETY: mallopt only sets a glibc tunable; it has no preconditions.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Makes every thread allocate from one heap (nothing to do with this allocator).
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn share_one_heap() {}

/// Returns free heap pages to the system (nothing to do with this allocator).
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn return_freed_memory() {}
