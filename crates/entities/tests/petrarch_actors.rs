//! A PETRARCH-format actor dictionary named with `use_actor_files` codes the names it lists,
//! dated roles by the article's date; bad lines become diagnostics naming the dictionary's
//! own line. Its own test binary, because the tables are built once per process.
mod common;

use chronicle_core::{NaiveDate, Stage};
use chronicle_entities::{use_actor_files, EntityStage};

#[test]
fn petrarch_dictionary_codes_its_actors() {
    let dir = std::env::temp_dir().join(format!("chronicle-petrarch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join("mine.actors.txt");
    let dict = "<!-- test dictionary -->\n\
        ARNOR_  [ARN]\n\
        ZORGAN_QUILLFEATHER # a dated person\n\
        +QUILLFEATHER\n\
        \t[ARNGOV 200101-241231]\n\
        \t[ARNOPP >250101]\n\
        BROKEN [ARN 2001-02]\n";
    std::fs::write(&path, dict).unwrap_or_else(|e| panic!("{e}"));
    assert!(use_actor_files(vec![path.clone()]));

    let mut d = common::doc("Quillfeather met envoys from Arnor in Oslo.");
    d.published = NaiveDate::from_ymd_opt(2023, 6, 1);
    EntityStage::new().run(&mut d);
    let _ = std::fs::remove_dir_all(&dir);

    let code = |n: &str| common::actor_code(&d, n);
    assert_eq!(code("Arnor").as_deref(), Some("ARN"));
    assert_eq!(code("Quillfeather").as_deref(), Some("ARNGOV"), "the 2023 role");
    let warn = common::warnings(&d);
    let where_ = format!("{}:7:", path.display());
    assert!(
        warn.iter().any(|m| m.contains(&where_)),
        "want a warning at {where_}: {warn:?}"
    );
}
