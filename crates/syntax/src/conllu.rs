//! A CoNLL-U reader and writer (UD v2 format: ten tab-separated columns per word).
//!
//! Multiword-token lines (`1-2`) and empty nodes (`8.1`) are kept verbatim in their place
//! so that a file read and written again is unchanged, but they are not words: only
//! integer-id lines are in [`Sentence::words`] (the CoNLL 2018 definition).

use crate::SyntaxError;
use std::fmt::Write as _;

/// One word line (integer id).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    /// 1-based index in the sentence.
    pub id: u32,
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    /// Head word id, 0 for the root; `None` when the column is `_` (unannotated).
    pub head: Option<u32>,
    pub deprel: String,
    pub deps: String,
    pub misc: String,
}

impl Word {
    /// A word with only its form set; other columns `_` (for our output on raw words).
    pub fn bare(id: u32, form: &str) -> Self {
        Word {
            id,
            form: form.to_string(),
            lemma: "_".into(),
            upos: "_".into(),
            xpos: "_".into(),
            feats: "_".into(),
            head: None,
            deprel: "_".into(),
            deps: "_".into(),
            misc: "_".into(),
        }
    }
}

/// One sentence: comment lines, words, and the non-word lines kept in place.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sentence {
    /// Comment lines without the leading `#` removed (written back as they were).
    pub comments: Vec<String>,
    pub words: Vec<Word>,
    /// Multiword-token and empty-node lines, each with the number of words before it.
    pub extra: Vec<(usize, String)>,
}

impl Sentence {
    /// The word forms, for taggers and parsers that take gold tokenisation.
    pub fn forms(&self) -> Vec<&str> {
        self.words.iter().map(|w| w.form.as_str()).collect()
    }
}

fn bad(line: usize, msg: impl Into<String>) -> SyntaxError {
    SyntaxError::Conllu {
        line,
        msg: msg.into(),
    }
}

/// Parses a whole CoNLL-U text. Errors name the 1-based line.
pub fn parse(text: &str) -> Result<Vec<Sentence>, SyntaxError> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    let mut open = false;
    for (i, raw) in text.lines().enumerate() {
        let ln = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            if open {
                out.push(std::mem::take(&mut cur));
                open = false;
            }
            continue;
        }
        open = true;
        if line.starts_with('#') {
            cur.comments.push(line.to_string());
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(bad(ln, format!("expected 10 columns, found {}", cols.len())));
        }
        let id = cols[0];
        if id.contains('-') || id.contains('.') {
            cur.extra.push((cur.words.len(), line.to_string()));
            continue;
        }
        let id: u32 = id.parse().map_err(|_| bad(ln, format!("bad word id {id:?}")))?;
        if id as usize != cur.words.len() + 1 {
            return Err(bad(ln, format!("word id {id} out of sequence")));
        }
        let head = match cols[6] {
            "_" => None,
            h => Some(h.parse::<u32>().map_err(|_| bad(ln, format!("bad head {h:?}")))?),
        };
        cur.words.push(Word {
            id,
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head,
            deprel: cols[7].to_string(),
            deps: cols[8].to_string(),
            misc: cols[9].to_string(),
        });
    }
    if open {
        out.push(cur);
    }
    for s in &out {
        let n = s.words.len() as u32;
        if let Some(w) = s.words.iter().find(|w| w.head.is_some_and(|h| h > n)) {
            return Err(SyntaxError::Conllu {
                line: 0,
                msg: format!("word {} ({:?}) has a head outside its sentence", w.id, w.form),
            });
        }
    }
    Ok(out)
}

/// Reads and parses a CoNLL-U file.
pub fn read_file(path: &std::path::Path) -> Result<Vec<Sentence>, SyntaxError> {
    let text = std::fs::read_to_string(path).map_err(|e| SyntaxError::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    parse(&text)
}

fn write_word(out: &mut String, w: &Word) {
    let head = match w.head {
        Some(h) => h.to_string(),
        None => "_".to_string(),
    };
    let _ = writeln!(
        out,
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        w.id, w.form, w.lemma, w.upos, w.xpos, w.feats, head, w.deprel, w.deps, w.misc
    );
}

/// Writes sentences as CoNLL-U (each followed by a blank line).
pub fn write(sentences: &[Sentence]) -> String {
    let mut out = String::new();
    for s in sentences {
        for c in &s.comments {
            out.push_str(c);
            out.push('\n');
        }
        let mut extra = s.extra.iter().peekable();
        for (i, w) in s.words.iter().enumerate() {
            while let Some((_, line)) = extra.next_if(|(at, _)| *at <= i) {
                out.push_str(line);
                out.push('\n');
            }
            write_word(&mut out, w);
        }
        for (_, line) in extra {
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# sent_id = a-1\n# text = I don't know.\n1\tI\tI\tPRON\tPRP\tCase=Nom\t4\tnsubj\t4:nsubj\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t4:aux\t_\n3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t4:advmod\t_\n4\tknow\tknow\tVERB\tVB\t_\t0\troot\t0:root\tSpaceAfter=No\n4.1\tgo\tgo\tVERB\tVB\t_\t_\t_\t4:conj\t_\n5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t4:punct\t_\n\n1\tYes\tyes\tINTJ\tUH\t_\t_\t_\t_\t_\n\n";

    #[test]
    fn round_trip_is_byte_identical() {
        let s = parse(SAMPLE).expect("sample parses");
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0].words.len(),
            5,
            "multiword and empty-node lines are not words"
        );
        assert_eq!(s[0].words[3].head, Some(0));
        assert_eq!(s[1].words[0].head, None);
        assert_eq!(write(&s), SAMPLE);
    }

    #[test]
    fn rejects_malformed_lines() {
        assert!(matches!(
            parse("1\tI\tI\n"),
            Err(SyntaxError::Conllu { line: 1, .. })
        ));
        assert!(parse("2\tI\tI\tPRON\tPRP\t_\t0\troot\t_\t_\n").is_err());
        assert!(parse("1\tI\tI\tPRON\tPRP\t_\t7\troot\t_\t_\n").is_err());
    }
}
