//! The one error type of every store backend, so a caller holding `dyn RecordStore` can
//! tell a stopped query or a store from a newer binary from a failure, whichever database
//! answered.

/// A boxed error from any store backend (the watch ledger's, and a backend's own errors
/// inside [`StoreError::Sql`]).
pub type AnyError = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Opening or creating the store at `path` (a file, or a PostgreSQL URL) failed.
    #[error("database {path}: {source}")]
    Open { path: String, source: AnyError },
    /// The database refused a statement (the driver's error inside).
    #[error("database: {0}")]
    Sql(AnyError),
    /// The query was stopped: an interrupt (SQLite) or a statement timeout (PostgreSQL),
    /// the server's time limit for one request.
    #[error("database: the query was stopped at its time limit")]
    Interrupted,
    #[error("stored record {id} is unreadable: {source}")]
    Corrupt { id: String, source: serde_json::Error },
    #[error("cannot serialise record {id}: {source}")]
    Serialise { id: String, source: serde_json::Error },
    #[error("{0}")]
    View(String),
    /// A watchlist of that name is kept already (names are the watchlists' keys).
    #[error("a watchlist named {0:?} exists already")]
    WatchlistTaken(String),
    #[error("the store has schema version {found}; this chronicle knows up to {known} (upgrade chronicle)")]
    TooNew { found: u32, known: u32 },
    #[error("{path}: no such store (run `chronicle ingest --db {path} ...` first)")]
    Missing { path: String },
    #[error("{path}: not a Chronicle store (the file holds no tables)")]
    Empty { path: String },
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl StoreError {
    /// The error with the store's path named, for errors that arose while opening it.
    pub fn at(self, path: impl std::fmt::Display) -> StoreError {
        match self {
            StoreError::Sql(source) => StoreError::Open {
                path: path.to_string(),
                source,
            },
            other => other,
        }
    }

    /// True when the query was stopped at its time limit, not failed.
    pub fn is_interrupted(&self) -> bool {
        matches!(self, StoreError::Interrupted)
    }
}

#[cfg(feature = "sqlite")]
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        match &e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::OperationInterrupted => {
                StoreError::Interrupted
            }
            _ => StoreError::Sql(Box::new(e)),
        }
    }
}

#[cfg(feature = "postgres")]
impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        if e.code() == Some(&postgres::error::SqlState::QUERY_CANCELED) {
            StoreError::Interrupted
        } else {
            StoreError::Sql(Box::new(e))
        }
    }
}
