//! Countries, demonyms, first-level regions and cities, compiled into the binary from
//! GeoNames-derived registry packages (see `scripts/build-gazetteer.py`).
//! (Skeleton: the data and loader are to be filled in; the API below is the agreed one.)

/// What kind of place an entry is (GeoNames feature class, coarsely).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    Country,
    Admin1,
    City,
    /// Continents and named regions ("Europe", "Middle East").
    Region,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    pub iso2: String,
    pub iso3: String,
    pub name: String,
    /// Adjectival and people forms ("Russian", "Russians").
    pub demonyms: Vec<String>,
    pub capital: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub geonameid: Option<u32>,
    pub population: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlaceEntry {
    /// Canonical name.
    pub name: String,
    pub kind: PlaceKind,
    /// ISO 3166-1 alpha-3, when the place lies in one country.
    pub country: Option<String>,
    /// Name of the first-level region it lies in (or is).
    pub admin1: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// GeoNames feature code: PCLI, ADM1, PPLC, PPLA, PPL, CONT, RGN...
    pub feature: String,
    pub geonameid: Option<u32>,
    pub population: u64,
}

/// The loaded gazetteer. Lookups are case-sensitive on the surface form as written in news
/// (a capitalised "Georgia", not "georgia"), and return every candidate, most populous first.
#[derive(Debug, Default)]
pub struct Gazetteer {}

impl Gazetteer {
    /// The gazetteer compiled into the binary, parsed once on first use.
    pub fn global() -> &'static Gazetteer {
        static G: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
        G.get_or_init(Gazetteer::default)
    }

    /// All places whose name or alternate name is exactly `name`.
    pub fn places(&self, _name: &str) -> &[PlaceEntry] {
        &[]
    }

    /// Country by name or alternate name ("Russia", "Russian Federation", "UK").
    pub fn country_by_name(&self, _name: &str) -> Option<&Country> {
        None
    }

    /// Country by demonym ("Russian", "Ukrainians", "Estonian").
    pub fn country_by_demonym(&self, _word: &str) -> Option<&Country> {
        None
    }

    /// Country by ISO alpha-3 code.
    pub fn country(&self, _iso3: &str) -> Option<&Country> {
        None
    }

    /// The longest number of words any place name has (for n-gram scanning).
    pub fn max_name_words(&self) -> usize {
        1
    }
}
