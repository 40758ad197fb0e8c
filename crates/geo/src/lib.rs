//! Place entities resolved to the gazetteer.

use chronicle_core::{Document, Layer, Stage};

/// The places stage. (Skeleton: to be filled in.)
#[derive(Debug, Default)]
pub struct PlaceStage;

impl PlaceStage {
    pub fn new() -> Self {
        PlaceStage
    }
}

impl Stage for PlaceStage {
    fn name(&self) -> &'static str {
        "places"
    }
    fn reads(&self) -> &'static [Layer] {
        &[Layer::Entities]
    }
    fn writes(&self) -> &'static [Layer] {
        &[Layer::Places]
    }
    fn run(&self, _doc: &mut Document) {}
}
