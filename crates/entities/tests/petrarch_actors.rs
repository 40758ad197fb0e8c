//! A PETRARCH-format actor dictionary given to [`Lexicon::with_actor_files`] codes the names
//! it lists, dated roles by the article's date; an entry it cannot convert is skipped and
//! named once, with the dictionary's own line, by [`Lexicon::skipped`].
mod common;

use chronicle_core::{NaiveDate, Stage};
use chronicle_entities::{EntityStage, Lexicon};
use std::sync::Arc;

const DICT: &str = "<!-- test dictionary -->\n\
    ARNOR_  [ARN]\n\
    ZORGAN_QUILLFEATHER # a dated person\n\
    +QUILLFEATHER\n\
    \t[ARNGOV 200101-241231]\n\
    \t[ARNOPP >250101]\n";

fn write(name: &str, text: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("chronicle-petrarch-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join("mine.actors.txt");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    (dir, path)
}

#[test]
fn petrarch_dictionary_codes_its_actors() {
    let (dir, path) = write("good", DICT);
    let lex = Lexicon::with_actor_files(&[path]).unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&dir);

    let mut d = common::doc("Quillfeather met envoys from Arnor in Oslo.");
    d.published = NaiveDate::from_ymd_opt(2023, 6, 1);
    EntityStage::with_lexicon(Arc::new(lex)).run(&mut d);

    let code = |n: &str| common::actor_code(&d, n);
    assert_eq!(code("Arnor").as_deref(), Some("ARN"));
    assert_eq!(code("Quillfeather").as_deref(), Some("ARNGOV"), "the 2023 role");
    assert!(common::warnings(&d).is_empty(), "{:?}", common::warnings(&d));
}

#[test]
fn unconvertible_dictionary_entry_is_skipped_and_named_once() {
    let (dir, path) = write("bad", &format!("{DICT}BROKEN [ARN 2001-02]\n"));
    let lex = Lexicon::with_actor_files(std::slice::from_ref(&path)).unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&dir);
    let where_ = format!("{}:7:", path.display());
    assert!(
        !lex.skipped().is_empty() && lex.skipped().iter().all(|m| m.starts_with(&where_)),
        "want only the entry at {where_} skipped: {:?}",
        lex.skipped()
    );

    // The other entries still code, and no document carries the problem.
    let mut d = common::doc("Quillfeather met envoys from Arnor in Oslo.");
    d.published = NaiveDate::from_ymd_opt(2023, 6, 1);
    EntityStage::with_lexicon(Arc::new(lex)).run(&mut d);
    assert_eq!(common::actor_code(&d, "Arnor").as_deref(), Some("ARN"));
    assert!(common::warnings(&d).is_empty(), "{:?}", common::warnings(&d));
}
