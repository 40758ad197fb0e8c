//! `CHRONICLE_ACTORS` adds a user table on top of the built-in one; bad rows become
//! diagnostics naming the file and line, never a panic. Its own test binary, because the
//! table is read once per process.
mod common;

use chronicle_core::{NaiveDate, Stage};
use chronicle_entities::{EntityStage, USER_ACTORS_ENV};

#[test]
fn user_file_extends_and_overrides_and_reports_bad_lines() {
    let dir = std::env::temp_dir().join(format!("chronicle-actors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join("mine.tsv");
    let rows = "# my additions\n\
        Zorgan Quillfeather\tPER\tNOR\tGOV\tperson\t2020-01-01\t-\tfisheries minister\n\
        Broken Row\tPER\tNOR\n\
        Elina Valtonen\tPER\tFIN\tOPP\tperson\t2025-01-01\t-\ttest override\n";
    std::fs::write(&path, rows).unwrap_or_else(|e| panic!("{e}"));
    std::env::set_var(USER_ACTORS_ENV, &path);

    let mut d = common::doc("Quillfeather met Elina Valtonen in Oslo. Quillfeather left.");
    d.published = NaiveDate::from_ymd_opt(2025, 6, 1);
    EntityStage::new().run(&mut d);
    let _ = std::fs::remove_dir_all(&dir);

    let warn = common::warnings(&d);
    let where_ = format!("{}:3:", path.display());
    assert!(
        warn.iter().any(|m| m.contains(&where_)),
        "want a warning at {where_}: {warn:?}"
    );
    assert_eq!(warn.len(), 1, "{warn:?}");
    let code = |n: &str| common::actor_code(&d, n);
    // A bare surname of a user-listed person, and a user row replacing the built-in roles.
    assert_eq!(code("Quillfeather").as_deref(), Some("NORGOV"));
    assert_eq!(code("Elina Valtonen").as_deref(), Some("FINOPP"));
}
