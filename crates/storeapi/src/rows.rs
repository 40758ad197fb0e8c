//! The rows a store gives back: the same types from SQLite and PostgreSQL.

/// Counts of what the store holds, for summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Counts {
    pub articles: u64,
    pub entities: u64,
    pub quotes: u64,
    pub events: u64,
}

/// One reason inputs were rejected for in a run: how many, and where the first few were
/// (`file.jsonl:17`).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct RunReason {
    /// The reason with its particulars (numbers, quoted text) taken out, so alike
    /// rejections group.
    pub reason: String,
    pub count: u64,
    /// Origins of the first rejections for this reason (at most [`RUN_EXAMPLES`]).
    pub examples: Vec<String>,
}

/// Example origins kept per reason in a [`RunLog`].
pub const RUN_EXAMPLES: usize = 20;

/// Reasons kept per [`RunLog`] (the most frequent; `rejected` still counts them all).
pub const RUN_REASONS: usize = 50;

/// One finished run of a command that reads inputs into the store (`ingest`, `enqueue`),
/// as [`RecordStore::add_run`](crate::RecordStore::add_run) keeps it and [`RecordStore::runs`](crate::RecordStore::runs) gives it back.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct RunLog {
    /// The store's number for the run (ignored by `add_run`, which assigns it).
    pub id: i64,
    /// `ingest`, `enqueue`, ...
    pub command: String,
    /// RFC 3339, UTC.
    pub started: String,
    pub finished: String,
    /// The inputs as given on the command line, joined with spaces (`-`: stdin).
    pub inputs: String,
    /// Articles stored (`ingest`) or queued (`enqueue`).
    pub articles: u64,
    /// Inputs rejected (each reported on stderr with its origin during the run).
    pub rejected: u64,
    /// The rejections grouped by reason, most frequent first.
    pub reasons: Vec<RunReason>,
    /// The command's exit code (0 all read, 1 some rejected).
    pub exit_code: i32,
}

impl RunLog {
    /// `reasons` as the store keeps them: a JSON array of [`RunReason`], the most frequent
    /// [`RUN_REASONS`] with at most [`RUN_EXAMPLES`] origins each.
    pub fn reasons_json(&self) -> String {
        let mut kept: Vec<RunReason> = self.reasons.clone();
        kept.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
        kept.truncate(RUN_REASONS);
        for r in &mut kept {
            r.examples.truncate(RUN_EXAMPLES);
        }
        serde_json::to_string(&kept).unwrap_or_else(|_| "[]".into())
    }

    /// Reads back [`RunLog::reasons_json`]; a value that is not (written by hand, or by a
    /// later binary) reads as one reason saying so, never as an error: the run log is for
    /// people, and `status` must not fail on it.
    pub fn parse_reasons(json: &str) -> Vec<RunReason> {
        serde_json::from_str(json).unwrap_or_else(|e| {
            vec![RunReason {
                reason: format!("(unreadable reasons in the run log: {e})"),
                count: 0,
                examples: Vec::new(),
            }]
        })
    }
}

/// One event row joined with its article, for tables, CSV and GDELT export.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EventRow {
    /// This report's number in the store (GDELT's GlobalEventID of a mention row; stable
    /// until the article is re-ingested).
    pub global_id: i64,
    /// The number of the event this report belongs to: its cluster's first report, or the
    /// report itself when it merges with nothing (GDELT's GlobalEventID of the event).
    pub event_global_id: i64,
    /// The outlet that published the article.
    pub source: Option<String>,
    pub article_id: String,
    pub event_id: String,
    pub published: Option<String>,
    pub url: Option<String>,
    pub cameo: String,
    pub root: String,
    pub quad: i64,
    pub goldstein: f64,
    pub plover: String,
    pub plover_mode: Option<String>,
    pub source_code: Option<String>,
    pub source_text: Option<String>,
    pub target_code: Option<String>,
    pub target_text: Option<String>,
    pub modality: String,
    pub date: Option<String>,
    pub location: Option<String>,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub killed: Option<i64>,
    pub wounded: Option<i64>,
    pub sentence: String,
    /// Reports of the same event across the store (its cluster, see `MIGRATE_3_SQL`):
    /// mentions in all articles, distinct sources (outlets), distinct articles. An event
    /// that merges with nothing counts its own.
    pub num_mentions: i64,
    pub num_sources: i64,
    pub num_articles: i64,
    /// The cluster this event belongs to (`None`: not mergeable, its own event).
    pub cluster: Option<String>,
    /// How far to trust the event, 0-1 (`None`: stored before confidence was computed).
    pub confidence: Option<f64>,
    /// Who reported the event (a reported or claimed event's speech-verb subject): its
    /// actor code and the text naming it; `None` when the article asserts the event.
    pub reporter_code: Option<String>,
    pub reporter_text: Option<String>,
    /// When its article was stored (`YYYY-MM-DDTHH:MM:SSZ`, UTC): the last date an export
    /// that needs one can give an event whose article states none.
    pub ingested: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QuoteRow {
    pub article_id: String,
    pub quote_id: String,
    pub published: Option<String>,
    pub kind: String,
    pub speaker: Option<String>,
    pub cue: Option<String>,
    pub content: String,
}

/// One actor code aggregated over the store ([`group_actors`](crate::group_actors) says how it is named).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ActorRow {
    /// The code in words ("Russia (government)"), else its most mentioned name.
    pub name: String,
    pub code: Option<String>,
    /// The most mentioned title among the code's entities.
    pub title: Option<String>,
    pub articles: i64,
    pub mentions: i64,
    /// The names the articles used for this code, most mentioned first (at most
    /// [`ACTOR_NAMES`](crate::ACTOR_NAMES)).
    pub names: Vec<String>,
}
