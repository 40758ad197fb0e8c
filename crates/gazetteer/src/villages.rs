//! The second tier: GeoNames places of 500 to 5,000 people (about 166,000 of them), the
//! villages and small towns where conflict news happens ("Pisky", "Vodiane", "Shyrokyne")
//! but which would double the main tables' load time and crowd their namesakes.
//!
//! The table ships gzipped and is inflated and indexed on the first lookup that reaches it,
//! which a resolver makes only after the main tables (exact names, then transliterations)
//! have nothing for a place name. Documents that name only well-known places never pay for
//! it.

use std::sync::RwLock;

use crate::{translit_key, Candidate, Gazetteer, HashMap, PlaceEntry, PlaceKind, Raw, NONE16, NONE32};

const VILLAGES_GZ: &[u8] = include_bytes!("../data/villages.tsv.gz");
/// Ukrainian settlements from the official KATOTTG codifier that GeoNames lacks
/// (`scripts/build-katottg.py`): a bare village name in war news gets its oblast.
const UA_SETTLEMENTS_GZ: &[u8] = include_bytes!("../data/ua-settlements.tsv.gz");
const SALIENCE_TSV: &str = include_str!("../data/salience.tsv");

/// A compiled-in gzipped table as text, leaked once per process (rows borrow it); `None`
/// for a corrupt copy.
fn inflate(gz: &[u8]) -> Option<&'static str> {
    let mut text = String::new();
    let mut dec = flate2::read::GzDecoder::new(gz);
    std::io::Read::read_to_string(&mut dec, &mut text).ok()?;
    Some(Box::leak(text.into_boxed_str()))
}

/// A KATOTTG settlement's stand-in population by its category (M city, T urban-type
/// settlement, X settlement, C village): the codifier gives none. The villages it adds are
/// mostly ones GeoNames holds without a population (so outside its cities500 table), not
/// smaller ones: cities500's floor is the neutral guess.
fn katottg_population(category: &str) -> u32 {
    match category {
        "M" => 5_000,
        "T" => 1_500,
        _ => 500,
    }
}

/// The indexed second tier (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct Villages {
    /// Village rows, in the main tables' compact form (names borrow the inflated text,
    /// leaked once per process).
    rows: Vec<Raw>,
    /// Prior bonus of each row's region (see [`SALIENCE_WEIGHT`]), parallel to `rows`.
    salience: Vec<f32>,
    /// (canonical name, row, false), sorted by name: one allocation instead of a list per
    /// name keeps the first-use cost down.
    names: Vec<(&'static str, u32, bool)>,
    /// (alternate, row, true), sorted by alternate.
    alternates: Vec<(&'static str, u32, bool)>,
    /// ([`translit_key`], row) for rows in Ukraine, Russia and Belarus, sorted by key.
    translit: Vec<(Box<str>, u32)>,
    /// Owned entries, built the first time a row is returned and kept (bounded by the table).
    entries: RwLock<HashMap<u32, &'static PlaceEntry>>,
}

/// Prior penalty against main-table places of the same size: a village is the last reading
/// of a name, never the first.
const VILLAGE_PENALTY: f32 = 1.0;

/// Prior bonus per unit of log news mentions of a village's first-level region
/// (`data/salience.tsv`, learned by `scripts/learn-salience.py`): among a dozen
/// "Novokaterynivka"s of a few hundred people each, population says little and the one in
/// the region the news is about is the one meant.
pub(crate) const SALIENCE_WEIGHT: f32 = 0.5;

impl Villages {
    pub(crate) fn load(g: &Gazetteer) -> Villages {
        // The table is ours and compiled in; a corrupt copy means no second tier, not a
        // failed pipeline.
        let Some(text) = inflate(VILLAGES_GZ) else {
            return Villages::default();
        };
        let mut salience: HashMap<(&str, &str), f32> = HashMap::default();
        for f in crate::rows(SALIENCE_TSV) {
            let [iso3, admin1, mentions, ..] = f;
            if let Ok(n) = mentions.parse::<f32>() {
                salience.insert((iso3, admin1), SALIENCE_WEIGHT * (1.0 + n).ln());
            }
        }
        let mut v = Villages::default();
        v.rows.reserve(170_000);
        v.names.reserve(170_000);
        // Every village is a populated place; `Gazetteer::feature` reads an unknown index as
        // "PPL" too.
        let ppl = g
            .features
            .iter()
            .position(|f| *f == "PPL")
            .map_or(u8::MAX, |i| i as u8);
        let (rows, alternates) = text.split_once("\n#alternates\n").unwrap_or((text, ""));
        for f in crate::rows(rows) {
            let [name, iso3, admin1, lat, lon, gid, pop, ..] = f;
            let (Some(lat), Some(lon)) = (crate::coord(Some(&lat)), crate::coord(Some(&lon))) else {
                continue;
            };
            let country = g.by_iso3.get(iso3).map_or(NONE16, |&i| i as u16);
            let map: &HashMap<(&str, &str), u32> = &g.admin1_names;
            let salience = salience.get(&(iso3, admin1)).copied().unwrap_or(0.0);
            let admin1 = map.get(&(iso3, admin1)).copied().unwrap_or(NONE32);
            v.push(
                Raw {
                    name,
                    lat,
                    lon,
                    country,
                    admin1,
                    geonameid: gid.parse().unwrap_or(0),
                    population: pop.parse().unwrap_or(0),
                    feature: ppl,
                    kind: PlaceKind::City,
                },
                salience,
            );
        }
        let mut alts: Vec<(&'static str, u32, bool)> = Vec::with_capacity(200_000);
        let geonames_rows = v.rows.len();
        for f in crate::rows(alternates) {
            let [alt, row, ..] = f;
            if let Ok(r) = row.parse::<u32>() {
                if (r as usize) < geonames_rows {
                    alts.push((alt, r, true));
                }
            }
        }
        v.load_katottg(g, ppl, &salience, &mut alts);
        // Both sections come sorted from the build script; a hand-edited table still works.
        if !v.names.is_sorted() {
            v.names.sort_unstable();
        }
        if !alts.is_sorted() {
            alts.sort_unstable();
        }
        v.alternates = alts;
        let post_soviet = |r: &Raw| {
            matches!(
                g.iso3s.get(r.country as usize).copied(),
                Some("UKR" | "RUS" | "BLR")
            )
        };
        for (i, r) in v.rows.iter().enumerate() {
            if post_soviet(r) {
                if let Some(k) = translit_key(r.name) {
                    v.translit.push((k.into_boxed_str(), i as u32));
                }
            }
        }
        for &(a, r, _) in &v.alternates {
            if v.rows.get(r as usize).is_some_and(post_soviet) {
                if let Some(k) = translit_key(a) {
                    v.translit.push((k.into_boxed_str(), r));
                }
            }
        }
        v.translit.sort_unstable();
        v.translit.dedup();
        v
    }

    /// Appends the KATOTTG settlements (see [`UA_SETTLEMENTS_GZ`]). They have no population;
    /// each category gets a nominal one ([`katottg_population`]) so that a village GeoNames
    /// does not know competes with its namesakes on the region prior, not on size.
    fn load_katottg(
        &mut self,
        g: &Gazetteer,
        ppl: u8,
        salience: &HashMap<(&str, &str), f32>,
        alts: &mut Vec<(&'static str, u32, bool)>,
    ) {
        let Some(text) = inflate(UA_SETTLEMENTS_GZ) else {
            return;
        };
        let country = g.by_iso3.get("UKR").map_or(NONE16, |&i| i as u16);
        for f in crate::rows(text) {
            let [name, alternates, admin1, lat, lon, _id, category, ..] = f;
            let (Some(lat), Some(lon)) = (crate::coord(Some(&lat)), crate::coord(Some(&lon))) else {
                continue;
            };
            let idx = self.push(
                Raw {
                    name,
                    lat,
                    lon,
                    country,
                    admin1: g.admin1_names.get(&("UKR", admin1)).copied().unwrap_or(NONE32),
                    geonameid: 0,
                    population: katottg_population(category),
                    feature: ppl,
                    kind: PlaceKind::City,
                },
                salience.get(&("UKR", admin1)).copied().unwrap_or(0.0),
            );
            for a in crate::list(alternates) {
                alts.push((a, idx, true));
            }
        }
    }

    /// Appends a row under its canonical name with its region's prior bonus; returns its
    /// index.
    fn push(&mut self, raw: Raw, salience: f32) -> u32 {
        let idx = self.rows.len() as u32;
        self.names.push((raw.name, idx, false));
        self.rows.push(raw);
        self.salience.push(salience);
        idx
    }

    /// Rows whose canonical name or an alternate is `name`, canonical matches first.
    fn named(&self, name: &str) -> Vec<(u32, bool)> {
        let range = |list: &[(&'static str, u32, bool)]| -> Vec<(u32, bool)> {
            let a = list.partition_point(|(n, _, _)| *n < name);
            let b = a + list
                .get(a..)
                .unwrap_or(&[])
                .partition_point(|(n, _, _)| *n == name);
            list.get(a..b)
                .unwrap_or(&[])
                .iter()
                .map(|&(_, r, alt)| (r, alt))
                .collect()
        };
        let mut out = range(&self.names);
        out.extend(range(&self.alternates));
        out
    }

    fn keyed(&self, key: &str) -> &[(Box<str>, u32)] {
        let a = self.translit.partition_point(|(k, _)| &**k < key);
        let b = a + self
            .translit
            .get(a..)
            .unwrap_or(&[])
            .partition_point(|(k, _)| &**k == key);
        self.translit.get(a..b).unwrap_or(&[])
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    fn entry(&self, g: &Gazetteer, row: u32) -> Option<&'static PlaceEntry> {
        if let Some(e) = self.entries.read().unwrap_or_else(|p| p.into_inner()).get(&row) {
            return Some(e);
        }
        let e = self.rows.get(row as usize)?.entry(g);
        let mut cache = self.entries.write().unwrap_or_else(|p| p.into_inner());
        Some(*cache.entry(row).or_insert_with(|| Box::leak(Box::new(e))))
    }

    /// Villages called `name` (or, in Ukraine, Russia and Belarus, spelt like it under the
    /// other transliteration), most populous first.
    pub(crate) fn candidates<'g>(&self, g: &'g Gazetteer, name: &str) -> Vec<Candidate<'g>> {
        let exact = self.named(name);
        let hits: Vec<(u32, bool)> = if exact.is_empty() {
            translit_key(name)
                .map(|k| self.keyed(&k).iter().map(|&(_, r)| (r, true)).collect())
                .unwrap_or_default()
        } else {
            exact
        };
        let mut out: Vec<Candidate<'g>> = Vec::with_capacity(hits.len());
        for (row, alternate) in hits {
            let Some(entry) = self.entry(g, row) else { continue };
            let salience = self.salience.get(row as usize).copied().unwrap_or(0.0);
            if out.iter().any(|c| std::ptr::eq(c.entry, entry)) {
                continue;
            }
            let alt = if alternate { 2.0 } else { 0.0 };
            out.push(Candidate {
                entry,
                prior: (entry.population as f32 + 1.0).ln() - VILLAGE_PENALTY - alt + salience,
                alternate,
            });
        }
        out.sort_by(|a, b| b.prior.total_cmp(&a.prior));
        out
    }
}
