//! Quotes with cue and speaker.

use chronicle_core::{Document, Layer, Stage};

/// The quotes stage. (Skeleton: to be filled in.)
#[derive(Debug, Default)]
pub struct QuoteStage;

impl QuoteStage {
    pub fn new() -> Self {
        QuoteStage
    }
}

impl Stage for QuoteStage {
    fn name(&self) -> &'static str {
        "quotes"
    }
    fn reads(&self) -> &'static [Layer] {
        &[Layer::Paragraphs, Layer::Sentences, Layer::Tokens, Layer::Entities]
    }
    fn writes(&self) -> &'static [Layer] {
        &[Layer::Quotes]
    }
    fn run(&self, _doc: &mut Document) {}
}
