//! The `chronicle` command's library half: input reading, renderings and exports, kept out
//! of `main.rs` so they can be tested without spawning the binary.

pub mod export;
pub mod filter_flags;
pub mod queue;
pub mod render;
pub mod status;
pub mod stream;
pub mod watch_cmd;
pub mod write;

/// Input reading lives in its own crate (the server and workers read the same formats).
pub use chronicle_ingest as inputs;
