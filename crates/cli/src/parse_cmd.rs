//! `chronicle parse`: the token and syntax layers as CoNLL-U, for outside scorers and
//! tools. Two modes:
//!
//! - articles (the inputs `extract` reads): our tokenisation and sentences, one CoNLL-U
//!   sentence per sentence, with `TokenRange=start:end` (code points into the article
//!   text) in MISC so every word leads back to the text;
//! - `--conllu FILE`: the words of an existing CoNLL-U file exactly as given (gold
//!   tokenisation), re-annotated by our model; the sentences, words and their order are
//!   the file's, so a scorer can compare them line for line with the gold.

use anyhow::{anyhow, Result};
use chronicle_cli::inputs::{read_inputs, InputOptions, Item};
use chronicle_pipeline::{sentence_parse, SyntaxPass};
use chronicle_syntax::{conllu, SyntaxError, SyntaxModel};
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

/// Arguments of `chronicle parse`.
#[derive(clap::Args, Debug)]
pub struct ParseArgs {
    /// Articles to parse (same inputs as `extract`; stdin as JSONL when none is given).
    #[arg(conflicts_with = "conllu")]
    pub files: Vec<String>,
    /// Re-annotate the words of this CoNLL-U file (`-` for stdin) instead: gold
    /// tokenisation kept, its annotations replaced by ours.
    #[arg(long, value_name = "FILE")]
    pub conllu: Option<String>,
}

/// Runs the command: exit 0, or 1 when some article input was rejected; a malformed
/// CoNLL-U file is an error naming the file and line (exit 2), never a partial output.
pub fn run(args: ParseArgs, published: Option<chrono::NaiveDate>) -> Result<ExitCode> {
    match args.conllu {
        Some(path) => conllu_mode(&path),
        None => articles(&args.files, published),
    }
}

fn conllu_mode(path: &str) -> Result<ExitCode> {
    let text = if path == "-" {
        std::io::read_to_string(std::io::stdin().lock()).map_err(|e| anyhow!("<stdin>: {e}"))?
    } else {
        std::fs::read_to_string(path).map_err(|e| anyhow!("{path}: {e}"))?
    };
    let mut sentences = conllu::parse(&text).map_err(|e| match e {
        SyntaxError::Conllu { line, msg } if line > 0 => anyhow!("{path}:{line}: malformed CoNLL-U: {msg}"),
        SyntaxError::Conllu { msg, .. } => anyhow!("{path}: malformed CoNLL-U: {msg}"),
        e => anyhow!("{path}: {e}"),
    })?;
    let model = SyntaxModel::builtin().map_err(|e| anyhow!("{e}"))?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    for s in &mut sentences {
        reannotate(model, s);
    }
    out.write_all(conllu::write(&sentences).as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Replaces a gold sentence's annotation with ours. Multiword-token lines (`1-2`) stay:
/// they are tokenisation, and the words under them are what we analyse. Empty nodes
/// (`8.1`) go: they exist only for the enhanced graph (DEPS), which we do not predict, so
/// every word's DEPS is `_` too.
pub fn reannotate(model: &SyntaxModel, s: &mut conllu::Sentence) {
    s.extra.retain(|(_, line)| {
        let id = line.split('\t').next().unwrap_or("");
        !id.contains('.')
    });
    model.annotate(s);
    for w in &mut s.words {
        w.deps = "_".into();
    }
}

fn articles(files: &[String], published: Option<chrono::NaiveDate>) -> Result<ExitCode> {
    let pass = SyntaxPass::new().map_err(|e| anyhow!("internal pipeline error: {e}"))?;
    let opts = InputOptions { published };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let (mut parsed, mut rejected) = (0u64, 0u64);
    let mut failed: Option<anyhow::Error> = None;
    read_inputs(files, &opts, &mut |item| {
        if failed.is_some() {
            return;
        }
        match item.parse() {
            Item::Article(mut a) => {
                for w in &a.warnings {
                    eprintln!("chronicle: warning: {w}");
                }
                let doc = pass.article(&mut a);
                parsed += 1;
                if let Err(e) = out.write_all(document_conllu(&doc).as_bytes()) {
                    failed = Some(e.into());
                }
            }
            Item::Rejected(r) => {
                rejected += 1;
                eprintln!("chronicle: rejected {r}");
            }
            Item::Note(n) => eprintln!("chronicle: note: {n}"),
            Item::Line { origin, .. } => {
                rejected += 1;
                eprintln!("chronicle: rejected {origin}: internal error: unparsed line");
            }
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    out.flush()?;
    eprintln!("chronicle: {parsed} article(s) parsed, {rejected} input(s) rejected");
    Ok(ExitCode::from(u8::from(rejected > 0)))
}

/// A value for one CoNLL-U column: tabs and line breaks (which would break the format)
/// become spaces, and an empty value is `_`.
fn column(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    if clean.is_empty() {
        "_".into()
    } else {
        clean
    }
}

/// The text of a comment line: whitespace runs (newlines included) become one space.
fn comment(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One parsed document as CoNLL-U: `# newdoc id`, then per sentence `# sent_id =
/// ID-N` (N from 1), `# text`, and a line per token.
pub fn document_conllu(doc: &chronicle_core::Document) -> String {
    let mut out = String::new();
    let id = comment(&doc.id);
    let _ = writeln!(out, "# newdoc id = {id}");
    for (n, s) in doc.sentences.iter().enumerate() {
        let toks = sentence_parse(doc, n);
        if toks.is_empty() {
            continue;
        }
        let _ = writeln!(out, "# sent_id = {id}-{}", n + 1);
        let _ = writeln!(out, "# text = {}", comment(doc.slice(s.span)));
        for (k, t) in toks.iter().enumerate() {
            let mut misc = String::new();
            if t.no_space_after {
                misc.push_str("SpaceAfter=No|");
            }
            let _ = write!(misc, "TokenRange={}:{}", t.start, t.end);
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t_\t{}",
                k + 1,
                column(&t.text),
                column(&t.lemma),
                t.upos,
                column(&t.xpos),
                column(&t.feats),
                t.head,
                t.rel,
                misc
            );
        }
        out.push('\n');
    }
    out
}

/// Whether `path` looks like CoNLL-U by its name (a hint for the usage error when one is
/// given as an article input).
pub fn looks_like_conllu(path: &str) -> bool {
    Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("conllu"))
}
