//! Paragraphs, sentences and tokens.

use chronicle_core::{Document, Layer, Stage};

/// The text stage. (Skeleton: to be filled in.)
#[derive(Debug, Default)]
pub struct TextStage;

impl TextStage {
    pub fn new() -> Self {
        TextStage
    }
}

impl Stage for TextStage {
    fn name(&self) -> &'static str {
        "text"
    }
    fn reads(&self) -> &'static [Layer] {
        &[Layer::Text]
    }
    fn writes(&self) -> &'static [Layer] {
        &[Layer::Paragraphs, Layer::Sentences, Layer::Tokens]
    }
    fn run(&self, _doc: &mut Document) {}
}
