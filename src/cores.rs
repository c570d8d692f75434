//! How many threads lint: rayon's global pool, sized once per run by `--jobs`.

use crate::error::{Error, Result};
use std::num::NonZeroUsize;

/// Sizes the pool to `jobs` threads, or leaves rayon's default (every core) when `None`.
pub fn use_cores(jobs: Option<NonZeroUsize>) -> Result<()> {
    let Some(jobs) = jobs else {
        return Ok(());
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.get())
        .thread_name(|i| format!("reframe-lint-{i}"))
        .build_global()
        .map_err(|e| Error::Invalid(format!("cannot start {jobs} lint threads: {e}")))
}
