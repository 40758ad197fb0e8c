//! A user actors table, given to the stage through [`Lexicon::with_actor_files`], adds to
//! and overrides the built-in one; a file with bad rows is refused when the tables are
//! built, with every `file:line: problem`, and no document ever sees it.
mod common;

use chronicle_core::{NaiveDate, Stage};
use chronicle_entities::{EntityStage, Lexicon};
use std::path::PathBuf;
use std::sync::Arc;

/// A fresh directory for this test's files.
fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chronicle-actors-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

#[test]
fn user_file_extends_and_overrides_the_built_in_table() {
    let dir = dir("good");
    let path = dir.join("mine.tsv");
    let rows = "# my additions\n\
        Zorgan Quillfeather\tPER\tNOR\tGOV\tperson\t2020-01-01\t-\tfisheries minister\n\
        Elina Valtonen\tPER\tFIN\tOPP\tperson\t2025-01-01\t-\ttest override\n";
    std::fs::write(&path, rows).unwrap_or_else(|e| panic!("{e}"));
    let lex = Lexicon::with_actor_files(&[path]).unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&dir);

    let text = "Quillfeather met Elina Valtonen in Oslo. Quillfeather left.";
    let mut d = common::doc(text);
    d.published = NaiveDate::from_ymd_opt(2025, 6, 1);
    EntityStage::with_lexicon(Arc::new(lex)).run(&mut d);
    assert!(common::warnings(&d).is_empty(), "{:?}", common::warnings(&d));
    let code = |n: &str| common::actor_code(&d, n);
    // A bare surname of a user-listed person, and a user row replacing the built-in roles.
    assert_eq!(code("Quillfeather").as_deref(), Some("NORGOV"));
    assert_eq!(code("Elina Valtonen").as_deref(), Some("FINOPP"));

    // Another stage in the same process, built without the file, does not see it.
    let mut d = common::doc(text);
    d.published = NaiveDate::from_ymd_opt(2025, 6, 1);
    EntityStage::new().run(&mut d);
    assert_ne!(common::actor_code(&d, "Quillfeather").as_deref(), Some("NORGOV"));
    assert_ne!(
        common::actor_code(&d, "Elina Valtonen").as_deref(),
        Some("FINOPP")
    );
}

#[test]
fn every_bad_row_is_reported_with_file_and_line() {
    let dir = dir("bad");
    let path = dir.join("mine.tsv");
    let rows = "# my additions\n\
        Zorgan Quillfeather\tPER\tNOR\tGOV\tperson\t2020-01-01\t-\tfisheries minister\n\
        Broken Row\tPER\tNOR\n\
        Bad Type\tPRS\tUSA\tGOV\tperson\n";
    std::fs::write(&path, rows).unwrap_or_else(|e| panic!("{e}"));
    let missing = dir.join("absent.tsv");
    let err = Lexicon::with_actor_files(&[path.clone(), missing.clone()])
        .expect_err("bad rows and a missing file must fail");
    let _ = std::fs::remove_dir_all(&dir);

    assert_eq!(err.files, vec![path.clone(), missing.clone()]);
    assert_eq!(err.problems.len(), 3, "{:#?}", err.problems);
    let at = |line: u32| format!("{}:{line}: ", path.display());
    assert!(err.problems[0].starts_with(&at(3)), "{}", err.problems[0]);
    assert!(
        err.problems[1].starts_with(&at(4)) && err.problems[1].contains("PRS"),
        "{}",
        err.problems[1]
    );
    assert!(
        err.problems[2].starts_with(&format!("{}: cannot read", missing.display())),
        "{}",
        err.problems[2]
    );
    // The message shows them all.
    let msg = err.to_string();
    for p in &err.problems {
        assert!(msg.contains(p.as_str()), "{msg}");
    }
}
