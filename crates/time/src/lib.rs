//! Time expressions resolved against the publication date.

use chronicle_core::{Document, Layer, Stage};

/// The time stage. (Skeleton: to be filled in.)
#[derive(Debug, Default)]
pub struct TimexStage;

impl TimexStage {
    pub fn new() -> Self {
        TimexStage
    }
}

impl Stage for TimexStage {
    fn name(&self) -> &'static str {
        "time"
    }
    fn reads(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens]
    }
    fn writes(&self) -> &'static [Layer] {
        &[Layer::Timexes]
    }
    fn run(&self, _doc: &mut Document) {}
}
