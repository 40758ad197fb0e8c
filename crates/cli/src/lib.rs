//! The `chronicle` command's library half: input reading, renderings and exports, kept out
//! of `main.rs` so they can be tested without spawning the binary.

pub mod export;
pub mod inputs;
pub mod render;
