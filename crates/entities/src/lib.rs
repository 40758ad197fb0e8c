//! Named entities, actor codes, coreference.

use chronicle_core::{Document, Layer, Stage};

/// The entities stage. (Skeleton: to be filled in.)
#[derive(Debug, Default)]
pub struct EntityStage;

impl EntityStage {
    pub fn new() -> Self {
        EntityStage
    }
}

impl Stage for EntityStage {
    fn name(&self) -> &'static str {
        "entities"
    }
    fn reads(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens, Layer::Timexes]
    }
    fn writes(&self) -> &'static [Layer] {
        &[Layer::Entities]
    }
    fn run(&self, _doc: &mut Document) {}
}
