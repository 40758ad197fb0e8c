//! A typed CAMEO code: one entry of the compiled-in codebook (`data/cameo.tsv`), so the coder
//! asks the code what it is (root, quad class, Goldstein score, violent or not) instead of
//! testing string prefixes. The record keeps the code as a string ([`chronicle_core::Event`]'s
//! `cameo`, the contract); this type lives only inside the coder.

use crate::tables::{cameo_entry, CameoInfo};

/// A CAMEO code known to the built-in codebook. Only [`CameoCode::new`] makes one, so every
/// value has its codebook entry: the accessors cannot fail and cost no lookup.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CameoCode(&'static CameoInfo);

impl CameoCode {
    /// The codebook's entry for `code` ("127"); `None` for a code the codebook lacks.
    pub(crate) fn new(code: &str) -> Option<CameoCode> {
        cameo_entry(code).map(CameoCode)
    }

    /// The code as the codebook spells it ("0256").
    pub(crate) fn as_str(self) -> &'static str {
        self.0.code
    }

    /// The two-digit root (CAMEO's top level: 14 protest, 19 fight), 0 for a malformed code.
    pub(crate) fn root(self) -> u8 {
        self.0.code.get(..2).and_then(|r| r.parse().ok()).unwrap_or(0)
    }

    /// Everything the codebook says about the code (name, PLOVER type and mode).
    pub(crate) fn info(self) -> CameoInfo {
        *self.0
    }

    /// GDELT quad class: 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict.
    pub(crate) fn quad(self) -> u8 {
        self.0.quad
    }

    /// Goldstein conflict-cooperation score, -10..10.
    pub(crate) fn goldstein(self) -> f32 {
        self.0.goldstein
    }

    /// PLOVER event type ("REJECT"); empty for root 01 (statements), which PLOVER drops.
    pub(crate) fn plover(self) -> &'static str {
        self.0.plover
    }

    /// PLOVER mode, where CAMEO2PLOVER gives one for this exact code.
    pub(crate) fn plover_mode(self) -> Option<&'static str> {
        self.0.plover_mode
    }

    /// Roots 18-20 (assault, fight, mass violence): the events that need no named actor and
    /// carry casualties.
    pub(crate) fn is_violent(self) -> bool {
        matches!(self.root(), 18..=20)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_know_their_root_class_and_violence() {
        let c = CameoCode::new("0256").expect("0256 is in the codebook");
        assert_eq!((c.as_str(), c.root(), c.plover()), ("0256", 2, "REQUEST"));
        let f = CameoCode::new("195").expect("195 is in the codebook");
        assert_eq!(f.root(), 19);
        assert_eq!(f.quad(), 4);
        assert!(f.goldstein() < 0.0);
        let violent = |c: &str| CameoCode::new(c).is_some_and(CameoCode::is_violent);
        assert!(f.is_violent() && violent("180") && violent("2041"));
        assert!(!violent("172") && !violent("145"));
        assert!(CameoCode::new("999").is_none() && !violent("199999"));
    }
}
