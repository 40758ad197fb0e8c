//! The typed annotation layers. Each is written by exactly one stage (see [`crate::Layer`]).
//! Cross-references are dense indices (`EntityId`, sentence index), never pointers, so a
//! document can be cloned, stored and compared freely.

use crate::span::Span;

/// A sentence: its span and the range of its tokens in [`crate::Document::tokens`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Index of the paragraph it lies in.
    pub paragraph: u32,
    /// `[first, last)` token indices.
    pub tokens: (u32, u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters (may contain inner apostrophes, hyphens, periods as in "U.S.").
    Word,
    /// Digits, possibly with separators ("1,200", "3.5", "2022").
    Number,
    /// A quotation mark; its direction as far as the character tells.
    Quote(QuoteMark),
    /// Any other punctuation or symbol.
    Punct,
}

/// Quotation marks normalised for matching: “ ” " « » „ ‘ ’ ' all map here while the token's
/// span still points at the original character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuoteMark {
    /// Opens a quotation (“ « „ ‘ or a straight mark that, by context, opens).
    Open,
    /// Closes a quotation (” » ’ or a straight mark that, by context, closes).
    Close,
    /// Direction unknown from the character and context.
    Ambiguous,
}

/// One token of the document's single token layer. The text stage sets every field; every
/// later stage reads this layer instead of re-tokenising (see
/// [`crate::Document::index_tokens`] for the derived fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// True when whitespace precedes the token (or it starts the text).
    pub space_before: bool,
    /// Double (“ ” " « » „) versus single (‘ ’ ') for quotation marks; false otherwise.
    pub double_quote: bool,
    /// Index of the sentence holding the token ([`NO_SENTENCE`] outside every sentence).
    pub sentence: u32,
    /// How it is written (capitalisation, digits), computed once for all stages.
    pub shape: Shape,
}

/// [`Token::sentence`] of a token no sentence covers.
pub const NO_SENTENCE: u32 = u32::MAX;

impl Token {
    /// A token whose derived fields ([`Token::sentence`], [`Token::shape`]) are filled in
    /// by [`crate::Document::index_tokens`].
    pub fn new(span: Span, kind: TokenKind, space_before: bool, double_quote: bool) -> Self {
        Token {
            span,
            kind,
            space_before,
            double_quote,
            sentence: NO_SENTENCE,
            shape: Shape::default(),
        }
    }

    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }
}

/// Capitalisation and character classes of a token's text, the tests every stage makes
/// ("is this a name?", "a headline in capitals?") answered once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Shape(u8);

impl Shape {
    const FIRST_UPPER: u8 = 1;
    const NO_LOWER: u8 = 2;
    const LETTER: u8 = 4;
    const DIGIT: u8 = 8;

    /// The shape of `text`.
    pub fn of(text: &str) -> Shape {
        let mut f = 0u8;
        if text.chars().next().is_some_and(char::is_uppercase) {
            f |= Shape::FIRST_UPPER;
        }
        let mut lower = false;
        for c in text.chars() {
            if c.is_alphabetic() {
                f |= Shape::LETTER;
                lower |= c.is_lowercase();
            } else if c.is_ascii_digit() {
                f |= Shape::DIGIT;
            }
        }
        if !lower {
            f |= Shape::NO_LOWER;
        }
        Shape(f)
    }

    /// The first character is an upper-case letter ("Putin", "NATO", "A").
    pub fn starts_upper(self) -> bool {
        self.0 & Shape::FIRST_UPPER != 0
    }

    /// Has letters and none of them is lower case ("NATO", "U.S.").
    pub fn all_caps(self) -> bool {
        self.0 & (Shape::LETTER | Shape::NO_LOWER) == Shape::LETTER | Shape::NO_LOWER
    }

    pub fn has_letter(self) -> bool {
        self.0 & Shape::LETTER != 0
    }

    pub fn has_digit(self) -> bool {
        self.0 & Shape::DIGIT != 0
    }
}

/// CoNLL-style entity types of the public record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    Per,
    Org,
    Loc,
    Misc,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
            EntityType::Misc => "MISC",
        }
    }
}

/// Dense index into [`crate::Document::entities`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(pub u32);

/// How a mention refers to its entity; lets later stages weigh a name above a pronoun.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MentionKind {
    /// A proper name, full or partial ("Vladimir Putin", "Putin").
    Name,
    /// A demonym or adjectival form ("Russian", "Ukrainian").
    Demonym,
    /// A title or description standing for the entity ("the Russian leader").
    Nominal,
    /// A pronoun resolved by coreference ("he").
    Pronoun,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub span: Span,
    pub kind: MentionKind,
}

/// CAMEO-style actor code: a country (ISO alpha-3 or CAMEO transnational code such as `IGO`)
/// and a sector/role (`GOV`, `MIL`, `REB`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Actor {
    pub country: Option<String>,
    pub sector: Option<String>,
}

/// PETRARCH's country part of an actor code whose country is unknown ("---GOV").
pub const UNKNOWN_COUNTRY: &str = "---";

impl Actor {
    /// The concatenated code ("RUSGOV"), or `None` when nothing is known. A sector with
    /// no known country is written after PETRARCH's unknown-country marker `---`
    /// ("---GOV"), never as a bare "GOV" that a reader of the first three letters would
    /// take for a country.
    pub fn code(&self) -> Option<String> {
        match (&self.country, &self.sector) {
            (None, None) => None,
            (None, Some(s)) => Some(format!("{UNKNOWN_COUNTRY}{s}")),
            (c, s) => Some(format!(
                "{}{}",
                c.as_deref().unwrap_or(""),
                s.as_deref().unwrap_or("")
            )),
        }
    }
}

/// One real-world referent with all its mentions in the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub id: EntityId,
    /// Canonical name: the longest proper-name mention.
    pub name: String,
    pub kind: EntityType,
    /// `None` when the entity is not a political actor.
    pub actor: Option<Actor>,
    /// Office or role from the text ("Foreign Minister").
    pub title: Option<String>,
    /// Sorted by start.
    pub mentions: Vec<Mention>,
}

impl Entity {
    pub fn first_span(&self) -> Option<Span> {
        self.mentions.first().map(|m| m.span)
    }
}

/// A place entity resolved to the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub entity: EntityId,
    pub name: String,
    /// ISO 3166-1 alpha-3.
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// GeoNames feature code (`PCLI`, `ADM1`, `PPLC`, `PPL`...).
    pub feature: String,
    pub geonameid: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexType {
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// A time expression and its ISO 8601 value (TimeML `value`), resolved against `published`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timex {
    pub span: Span,
    pub kind: TimexType,
    /// `None` when it cannot be resolved (no publication date, or vague).
    pub value: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuoteKind {
    /// Entirely inside quotation marks.
    Direct,
    /// Reported speech that contains quoted fragments.
    Mixed,
    /// Reported speech without quotation marks.
    Indirect,
}

impl QuoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Mixed => "mixed",
            QuoteKind::Indirect => "indirect",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// The quoted content (inside the marks for direct quotes).
    pub span: Span,
    pub kind: QuoteKind,
    /// The entity the speaker resolves to.
    pub speaker: Option<EntityId>,
    /// The speaker's mention in the text ("Ushakov", "he", "analysts").
    pub speaker_span: Option<Span>,
    /// The reporting cue ("said", "insisted", "according to").
    pub cue: Option<Span>,
    /// The content pieces when the attribution interrupts the quote ("“A,” said X. “B.”" is
    /// one utterance: `span` is the hull, these are the two quoted pieces); empty when the
    /// content is the whole span.
    pub fragments: Vec<Span>,
}

impl Quote {
    /// The content pieces: `fragments`, or the whole span.
    pub fn pieces(&self) -> &[Span] {
        if self.fragments.is_empty() {
            std::slice::from_ref(&self.span)
        } else {
            &self.fragments
        }
    }
}

/// How the article commits to an event having happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Modality {
    Asserted,
    Reported,
    Claimed,
    Denied,
    Negated,
    Future,
    Hypothetical,
    Historical,
}

impl Modality {
    /// Every modality, in the contract's order (CONTRACT.md `events[].modality`): what a
    /// modality filter may name, and what its error lists.
    pub const ALL: [Modality; 8] = [
        Modality::Asserted,
        Modality::Reported,
        Modality::Claimed,
        Modality::Denied,
        Modality::Negated,
        Modality::Future,
        Modality::Hypothetical,
        Modality::Historical,
    ];

    /// The modality a record names (`"reported"`), ASCII case ignored; `None` for a word
    /// that is not one.
    pub fn parse(s: &str) -> Option<Modality> {
        Modality::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Reported => "reported",
            Modality::Claimed => "claimed",
            Modality::Denied => "denied",
            Modality::Negated => "negated",
            Modality::Future => "future",
            Modality::Hypothetical => "hypothetical",
            Modality::Historical => "historical",
        }
    }
}

/// The sixteen event types of the PLOVER ontology (Halterman et al., PLOVER codebook),
/// the values `events[].plover.type` takes: what a PLOVER filter may name. The coder's
/// CAMEO->PLOVER table (`crates/events/data/cameo.tsv`) maps onto exactly these; a test
/// there keeps the two equal.
pub const PLOVER_TYPES: [&str; 16] = [
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

/// One side of an event dyad.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub entity: Option<EntityId>,
    /// Actor code ("RUSGOV") when known.
    pub code: Option<String>,
    /// The text that names it in the sentence.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Most specific CAMEO code ("127").
    pub cameo: String,
    /// GDELT quad class 1-4 (verbal coop, material coop, verbal conflict, material conflict).
    pub quad: u8,
    pub goldstein: f32,
    /// PLOVER event type ("REJECT").
    pub plover: String,
    /// PLOVER mode, where the codebook defines one for the type.
    pub plover_mode: Option<String>,
    pub source: Option<Participant>,
    pub target: Option<Participant>,
    /// Index into [`crate::Document::sentences`].
    pub sentence: u32,
    pub trigger: Span,
    pub modality: Modality,
    /// Index into [`crate::Document::timexes`] of the date the event is anchored to.
    pub timex: Option<u32>,
    /// Where the event's date comes from, `None` when it has none (see [`DateBasis`]).
    pub date_basis: Option<DateBasis>,
    /// Entity whose place locates the event.
    pub location: Option<EntityId>,
    /// How exactly `location` places the event, in ACLED's geo_precision terms: `town`,
    /// `near town` ("near Pisky"), `region`, `country`.
    pub location_precision: Option<&'static str>,
    /// Where the location was found: `clause`, `sentence`, `paragraph` or `dateline`.
    pub location_basis: Option<&'static str>,
    pub killed: Option<u32>,
    pub wounded: Option<u32>,
    pub victims: Option<String>,
    /// PLOVER contexts the event's sentence speaks of ("military", "diplomatic", "refugee"):
    /// the topical tags POLECAT users filter on.
    pub contexts: Vec<&'static str>,
    /// Further mentions of the same event in the article (sentence index, trigger): a
    /// repeated report merges into its first mention instead of becoming a new event.
    pub mentions: Vec<(u32, Span)>,
    /// How far the event is to be trusted, 0-1, from its participants' kinds, literal
    /// force cues, the article's topic, modality and how the dyad was found (see
    /// `chronicle_events::confidence`); a filter for users who want facts, not metaphors.
    pub confidence: f32,
    /// Who reported the event when its modality is reported or claimed: the subject of the
    /// speech verb governing it ("Kyiv said Russia attacked Odesa": Kyiv reports the event
    /// Russia -> Odesa). `None` when the article itself asserts it. Kept apart from the
    /// dyad so a report never becomes an event of the reporter.
    pub reporter: Option<Participant>,
}

/// Where an event's date comes from. Analysts weigh a date the text states for the event
/// above one inferred from the day the report appeared, so the record says which it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBasis {
    /// A resolved time expression in the event's sentence ("on Tuesday").
    Expression,
    /// No expression: a report of something that happened (asserted, reported, claimed)
    /// is dated to the publication day, as GDELT and ICEWS date their events.
    Publication,
}

impl DateBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            DateBasis::Expression => "expression",
            DateBasis::Publication => "publication",
        }
    }
}

impl Event {
    /// Two-digit CAMEO root ("12" for "127").
    pub fn root(&self) -> &str {
        self.cameo.get(..2).unwrap_or(&self.cameo)
    }
}
