//! The universal tags live in `chronicle-core` (they type the document's syntax layer);
//! re-exported here so the model code names them as before.

pub use chronicle_core::{UnknownUpos, Upos};
