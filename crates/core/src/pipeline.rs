use crate::document::Document;
use std::fmt;

/// The layers of a [`Document`]; stages declare which they read and which they write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    /// The cleaned text itself (present from construction).
    Text,
    Paragraphs,
    Sentences,
    Tokens,
    /// Part of speech, lemma, features and dependency parse of every token.
    Syntax,
    Timexes,
    Entities,
    Places,
    Quotes,
    Events,
}

impl Layer {
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Text => "text",
            Layer::Paragraphs => "paragraphs",
            Layer::Sentences => "sentences",
            Layer::Tokens => "tokens",
            Layer::Syntax => "syntax",
            Layer::Timexes => "timexes",
            Layer::Entities => "entities",
            Layer::Places => "places",
            Layer::Quotes => "quotes",
            Layer::Events => "events",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step of the pipeline. A stage reads some layers and writes others; it never fails on
/// text: what it cannot handle becomes a [`crate::Diagnostic`] on the document.
///
/// `reads`/`writes` are checked when the [`Pipeline`] is built, so a mis-ordered pipeline is
/// a construction error, not a silently empty layer at run time.
pub trait Stage: Send + Sync {
    fn name(&self) -> &'static str;
    fn reads(&self) -> &'static [Layer];
    /// Layers the stage uses when the pipeline has them and does without otherwise (the
    /// time, entity and quote stages read the parse when a syntax stage ran, their word
    /// rules when none did). A pipeline may lack them, but must not write them *after* the
    /// stage: that order would silently give the stage nothing.
    fn reads_if_present(&self) -> &'static [Layer] {
        &[]
    }
    fn writes(&self) -> &'static [Layer];
    fn run(&self, doc: &mut Document);
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PipelineError {
    #[error("stage `{stage}` reads layer `{layer}`, which no earlier stage writes")]
    MissingInput { stage: &'static str, layer: Layer },
    #[error("stage `{stage}` uses layer `{layer}` when present, but `{by}` writes it only later")]
    LateOptionalInput {
        stage: &'static str,
        layer: Layer,
        by: &'static str,
    },
    #[error("stage `{stage}` writes layer `{layer}`, already written by `{by}`")]
    DuplicateWriter {
        stage: &'static str,
        layer: Layer,
        by: &'static str,
    },
}

/// An ordered, validated list of stages.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    /// Validates that each stage's inputs are produced by an earlier stage (or are the
    /// text) and that no layer has two writers.
    pub fn new(stages: Vec<Box<dyn Stage>>) -> Result<Self, PipelineError> {
        let mut written: Vec<(Layer, &'static str)> = vec![(Layer::Text, "document")];
        for s in &stages {
            for &l in s.reads() {
                if !written.iter().any(|(w, _)| *w == l) {
                    return Err(PipelineError::MissingInput {
                        stage: s.name(),
                        layer: l,
                    });
                }
            }
            for &l in s.writes() {
                if let Some((_, by)) = written.iter().find(|(w, _)| *w == l) {
                    return Err(PipelineError::DuplicateWriter {
                        stage: s.name(),
                        layer: l,
                        by,
                    });
                }
                written.push((l, s.name()));
            }
        }
        for (i, s) in stages.iter().enumerate() {
            for &l in s.reads_if_present() {
                let later = stages
                    .get(i + 1..)
                    .unwrap_or(&[])
                    .iter()
                    .find(|t| t.writes().contains(&l));
                if let Some(by) = later {
                    return Err(PipelineError::LateOptionalInput {
                        stage: s.name(),
                        layer: l,
                        by: by.name(),
                    });
                }
            }
        }
        Ok(Pipeline { stages })
    }

    /// Runs every stage in order over the document.
    pub fn run(&self, doc: &mut Document) {
        if !doc.done.contains(&Layer::Text) {
            doc.done.push(Layer::Text);
        }
        for s in &self.stages {
            s.run(doc);
            for &l in s.writes() {
                if !doc.done.contains(&l) {
                    doc.done.push(l);
                }
            }
        }
    }

    /// Runs every stage, adding each stage's wall time to `spent[i]` (same order as
    /// [`Pipeline::stage_names`]); `spent` shorter than the stage list times only a prefix.
    /// For benchmarks that report where the time goes.
    pub fn run_timed(&self, doc: &mut Document, spent: &mut [std::time::Duration]) {
        if !doc.done.contains(&Layer::Text) {
            doc.done.push(Layer::Text);
        }
        for (i, s) in self.stages.iter().enumerate() {
            let t = std::time::Instant::now();
            s.run(doc);
            if let Some(slot) = spent.get_mut(i) {
                *slot += t.elapsed();
            }
            for &l in s.writes() {
                if !doc.done.contains(&l) {
                    doc.done.push(l);
                }
            }
        }
    }

    /// Runs the stages `range` (indices into [`Pipeline::stage_names`]) only: for
    /// micro-benchmarks that time one stage on a document the earlier ones prepared.
    pub fn run_range(&self, doc: &mut Document, range: std::ops::Range<usize>) {
        if !doc.done.contains(&Layer::Text) {
            doc.done.push(Layer::Text);
        }
        for s in self.stages.get(range).unwrap_or(&[]) {
            s.run(doc);
            for &l in s.writes() {
                if !doc.done.contains(&l) {
                    doc.done.push(l);
                }
            }
        }
    }

    /// Stage names in order, for `--explain` style output.
    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }

    /// Layers this pipeline produces.
    pub fn layers(&self) -> Vec<Layer> {
        let mut v = vec![Layer::Text];
        for s in &self.stages {
            v.extend_from_slice(s.writes());
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct S(&'static str, &'static [Layer], &'static [Layer]);
    impl Stage for S {
        fn name(&self) -> &'static str {
            self.0
        }
        fn reads(&self) -> &'static [Layer] {
            self.1
        }
        fn writes(&self) -> &'static [Layer] {
            self.2
        }
        fn run(&self, _doc: &mut Document) {}
    }

    struct Opt;
    impl Stage for Opt {
        fn name(&self) -> &'static str {
            "time"
        }
        fn reads(&self) -> &'static [Layer] {
            &[Layer::Tokens]
        }
        fn reads_if_present(&self) -> &'static [Layer] {
            &[Layer::Syntax]
        }
        fn writes(&self) -> &'static [Layer] {
            &[Layer::Timexes]
        }
        fn run(&self, _doc: &mut Document) {}
    }

    #[test]
    fn optional_inputs_may_be_absent_but_not_late() {
        let text =
            || Box::new(S("text", &[Layer::Text], &[Layer::Sentences, Layer::Tokens])) as Box<dyn Stage>;
        let syntax = || Box::new(S("syntax", &[Layer::Tokens], &[Layer::Syntax])) as Box<dyn Stage>;
        assert!(Pipeline::new(vec![text(), Box::new(Opt)]).is_ok());
        assert!(Pipeline::new(vec![text(), syntax(), Box::new(Opt)]).is_ok());
        assert_eq!(
            Pipeline::new(vec![text(), Box::new(Opt), syntax()]).err(),
            Some(PipelineError::LateOptionalInput {
                stage: "time",
                layer: Layer::Syntax,
                by: "syntax",
            })
        );
    }

    #[test]
    fn order_is_checked() {
        let ok = Pipeline::new(vec![
            Box::new(S("text", &[Layer::Text], &[Layer::Sentences, Layer::Tokens])),
            Box::new(S("ner", &[Layer::Tokens], &[Layer::Entities])),
        ]);
        assert!(ok.is_ok());
        let bad = Pipeline::new(vec![
            Box::new(S("ner", &[Layer::Tokens], &[Layer::Entities])),
            Box::new(S("text", &[Layer::Text], &[Layer::Tokens])),
        ]);
        assert_eq!(
            bad.err(),
            Some(PipelineError::MissingInput {
                stage: "ner",
                layer: Layer::Tokens
            })
        );
        let dup = Pipeline::new(vec![
            Box::new(S("a", &[], &[Layer::Tokens])),
            Box::new(S("b", &[], &[Layer::Tokens])),
        ]);
        assert!(matches!(dup, Err(PipelineError::DuplicateWriter { .. })));
    }

    #[test]
    fn run_marks_layers_done() {
        let p = Pipeline::new(vec![Box::new(S("text", &[Layer::Text], &[Layer::Sentences]))]).unwrap();
        let mut d = Document::new("x", "Hello.", None);
        p.run(&mut d);
        assert_eq!(d.layers_done(), &[Layer::Text, Layer::Sentences]);
        let mut d2 = Document::new("y", "Hello.", None);
        let mut spent = [std::time::Duration::ZERO; 1];
        p.run_timed(&mut d2, &mut spent);
        assert_eq!(d2.layers_done(), d.layers_done());
    }
}
