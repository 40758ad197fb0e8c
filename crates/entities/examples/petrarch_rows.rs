//! Converts PETRARCH/TABARI actor dictionaries into rows of our actor table (stdout), the
//! same conversion `--actors` applies at run time; problems go to stderr with file:line.
//!
//! `cargo run --release -p chronicle-entities --example petrarch_rows -- DICT.txt... > rows.tsv`

fn main() {
    let mut problems = 0;
    for path in std::env::args().skip(1) {
        let src = match std::fs::read(&path) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => {
                eprintln!("{path}: cannot read: {e}");
                problems += 1;
                continue;
            }
        };
        let (rows, errors) = chronicle_entities::petrarch::to_actor_rows(&src, &path);
        for e in &errors {
            eprintln!("{e}");
        }
        problems += errors.len();
        print!("{rows}");
    }
    eprintln!("{problems} problem(s)");
}
