//! The derived tables under `data/` (built by `scripts/build-cameo-tables.py`), parsed once.
//!
//! They are embedded with `include_str!` so the stage needs no files at run time and the
//! binary carries exactly the codebook it was tested with.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

const CAMEO_TSV: &str = include_str!("../data/cameo.tsv");
const VERBS_TSV: &str = include_str!("../data/verbs.tsv");
const PATTERNS_TSV: &str = include_str!("../data/patterns.tsv");

/// What the CAMEO codebook and the CAMEO->PLOVER table say about one code, for the record,
/// the CLI and GDELT export (which need names, Goldstein scores and quad classes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CameoInfo {
    /// The code itself ("127").
    pub code: &'static str,
    /// CAMEO codebook name ("Reject plan, agreement to settle dispute").
    pub name: &'static str,
    /// Goldstein conflict-cooperation score, -10..10.
    pub goldstein: f32,
    /// GDELT quad class: 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict.
    pub quad: u8,
    /// PLOVER event type ("REJECT"); empty for CAMEO root 01 (statements), which PLOVER drops.
    pub plover: &'static str,
    /// PLOVER mode, where CAMEO2PLOVER gives one for this exact code.
    pub plover_mode: Option<&'static str>,
}

fn cameo_table() -> &'static HashMap<&'static str, CameoInfo> {
    static T: OnceLock<HashMap<&'static str, CameoInfo>> = OnceLock::new();
    T.get_or_init(|| {
        let mut m = HashMap::new();
        for line in CAMEO_TSV.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 6 {
                continue;
            }
            let quad = f[1].parse::<u8>().unwrap_or(0);
            let goldstein = f[2].parse::<f32>().unwrap_or(0.0);
            let mode = f[4].trim();
            m.insert(
                f[0],
                CameoInfo {
                    code: f[0],
                    name: f[5],
                    goldstein,
                    quad,
                    plover: f[3].trim(),
                    plover_mode: (!mode.is_empty()).then_some(mode),
                },
            );
        }
        m
    })
}

/// Name, Goldstein score, quad class and PLOVER type of a CAMEO code (`None` if unknown).
pub fn cameo_info(code: &str) -> Option<CameoInfo> {
    cameo_entry(code).copied()
}

/// The codebook's own entry for a code, borrowed for the life of the program (what
/// [`crate::cameo::CameoCode`] wraps).
pub(crate) fn cameo_entry(code: &str) -> Option<&'static CameoInfo> {
    cameo_table().get(code)
}

/// A PETRARCH-2 verb form: its verb block (the key of its patterns) and the block's code.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PetrVerb {
    pub block: &'static str,
    /// `None` for blocks that code only through patterns (`[---]`).
    pub code: Option<&'static str>,
}

/// A post-verb pattern: an optional preposition before the head noun, and the code.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PetrPattern {
    pub prep: Option<&'static str>,
    pub code: &'static str,
}

/// Verb block -> head noun -> patterns (one lookup per object word, not a scan).
pub(crate) type PatternIndex = HashMap<&'static str, HashMap<&'static str, Vec<PetrPattern>>>;

/// The compiled-in PETRARCH-2 verb table (`data/verbs.tsv`, `data/patterns.tsv`), built
/// when a stage is built and owned by it, so that a stage given a user's dictionary
/// carries that one instead and nothing process-global decides what codes.
#[derive(Debug, Default)]
pub(crate) struct PetrTables {
    /// Verb form -> its block and the block's code.
    pub verbs: HashMap<&'static str, PetrVerb>,
    pub patterns: PatternIndex,
}

impl PetrTables {
    /// The tables read from the embedded TSV files.
    pub fn builtin() -> Arc<PetrTables> {
        let mut verbs = HashMap::new();
        for line in VERBS_TSV.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut it = line.split('\t');
            if let (Some(form), Some(block), Some(code)) = (it.next(), it.next(), it.next()) {
                let code = (code != "---" && cameo_info(code).is_some()).then_some(code);
                verbs.insert(form, PetrVerb { block, code });
            }
        }
        let mut patterns: PatternIndex = HashMap::new();
        for line in PATTERNS_TSV.lines() {
            if line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 4 || cameo_info(f[3]).is_none() {
                continue;
            }
            let prep = (f[1] != "-").then_some(f[1]);
            patterns
                .entry(f[0])
                .or_default()
                .entry(f[2])
                .or_default()
                .push(PetrPattern { prep, code: f[3] });
        }
        Arc::new(PetrTables { verbs, patterns })
    }

    /// No verbs: what a stage coding with a user's dictionary hands the built-in coder.
    pub fn empty() -> &'static PetrTables {
        static EMPTY: OnceLock<PetrTables> = OnceLock::new();
        EMPTY.get_or_init(PetrTables::default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The PLOVER types the table codes are the ontology's sixteen, all of them: the list
    /// filters are checked against (`chronicle_core::PLOVER_TYPES`) names what the coder
    /// can emit, no more and no less.
    #[test]
    fn table_plover_types_are_the_ontology() {
        let mut coded: Vec<&str> = cameo_table()
            .values()
            .map(|i| i.plover)
            .filter(|p| !p.is_empty())
            .collect();
        coded.sort_unstable();
        coded.dedup();
        let mut known = chronicle_core::PLOVER_TYPES.to_vec();
        known.sort_unstable();
        assert_eq!(coded, known);
    }

    #[test]
    fn codebook_rows() {
        let i = cameo_info("127").unwrap();
        assert_eq!(i.plover, "REJECT");
        assert_eq!(i.quad, 3);
        assert!((i.goldstein - -5.0).abs() < 1e-6);
        assert!(i.name.starts_with("Reject plan"));
        assert_eq!(cameo_info("195").unwrap().quad, 4);
        assert_eq!(cameo_info("057").unwrap().plover, "SUPPORT");
        assert_eq!(cameo_info("071").unwrap().quad, 2);
        assert_eq!(cameo_info("0256").unwrap().plover, "REQUEST");
        assert!(cameo_info("999").is_none());
    }

    #[test]
    fn petrarch_tables_load() {
        let t = PetrTables::builtin();
        assert!(t.verbs.get("met").is_some_and(|p| p.block.starts_with("meet")));
        assert!(t.verbs.get("kill").and_then(|p| p.code).is_some());
        assert!(t.patterns.get("refuse").is_some_and(|p| p.len() > 10));
        assert!(PetrTables::empty().verbs.is_empty());
    }
}
