//! CAMEO/PLOVER events.

use chronicle_core::{Document, Layer, Stage};

/// The events stage. (Skeleton: to be filled in.)
#[derive(Debug, Default)]
pub struct EventStage;

impl EventStage {
    pub fn new() -> Self {
        EventStage
    }
}

impl Stage for EventStage {
    fn name(&self) -> &'static str {
        "events"
    }
    fn reads(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens, Layer::Timexes, Layer::Entities, Layer::Places, Layer::Quotes]
    }
    fn writes(&self) -> &'static [Layer] {
        &[Layer::Events]
    }
    fn run(&self, _doc: &mut Document) {}
}
