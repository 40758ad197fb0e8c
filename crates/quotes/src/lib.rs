//! Quotes with cue and speaker: direct quotes from paired quotation marks, indirect and mixed
//! quotes from reporting cues ("X said that ...", "..., said X", "according to X", "X's
//! statement that", "WALLACE: ..."), and the speaker mention linked to an entity through the
//! entities layer (so "he" becomes Peskov when coreference resolved it).
//!
//! The stage works on tokens only, in two linear passes: first it pairs quotation marks into
//! regions, then it looks for cue sites in each sentence and decides, per site, which span is
//! the reported content. Regions that no cue claimed become direct quotes and borrow a speaker
//! from a neighbouring sentence. Conventions worth knowing:
//!
//! * A direct quote's span is the text *inside* the marks. A quote left open at the end of a
//!   paragraph whose next paragraph starts with an opening mark of the same family (the news
//!   convention for multi-paragraph quotes) becomes **one** quote whose span runs across the
//!   paragraph break. Nested marks (single or double) never split the outer quote.
//! * Indirect and mixed spans are the reported clause: from a complementiser "that" (kept, as
//!   attribution corpora keep it) or after the cue / colon, to the sentence end or the next
//!   report (", noting ...", ", while X said"); or the clause before ", X said". A parenthetical
//!   cue ("Without X, Ushakov said, the Kremlin ...") yields the hull of the sentence around it.
//!   Quotation marks inside the clause make it `Mixed`.
//! * A direct quote's span includes its quotation marks (as attribution corpora mark it); a
//!   quote interrupted by its attribution ("“A,” said X. “B.”") is **one** quote whose span is
//!   the hull and whose `fragments` are the quoted pieces.
//! * `“...” ― Name` and "X continued:" + a quote paragraph attribute by the dash / colon.
//! * Where the rules find no report, attributions are read off the dependency parse
//!   ([`ParseAttributionModel`], `parsed.rs`): clausal complements, `xcomp`s, objects and
//!   obliques of verbs, parataxis speech verbs, "according to X" and nouns' "that" clauses
//!   are candidates, and a scorer learned from PolNeAR keeps the attributions among them
//!   (PolNeAR counts "wants to", "called for", "cited" as attributions: the scorer learns
//!   which, rather than a hand list).
//! * Where neither finds a report, a learned tagger ([`AttributionModel`], trained on
//!   PolNeAR by `chronicle train quotes`) proposes reported clauses; one is kept only when a
//!   cue and a speaker can be read right around it.
//! * Short quoted fragments (1-3 words) that no cue governs are scare quotes, not quotes.
//! * Marks that never pair are diagnosed; an unclosed quote that a cue introduces runs to the
//!   end of its paragraph, one that nothing introduces is not guessed at.
//! * `speaker_span` is the mention as written ("Kremlin spokesman Dmitry Peskov", "he",
//!   "analysts", "a source"); `speaker` is the entity owning the mention that overlaps it most,
//!   `None` for unnamed sources or when no entity covers it.

mod assemble;
mod learned;
mod lexicon;
mod marks;
mod parsed;
mod phrases;
mod sites;
mod speakers;
mod train;

use speakers::*;

pub use learned::AttributionModel;
pub use parsed::ParseAttributionModel;
pub use train::{train_attribution, AttributionReport, QuoteTrainError};

use chronicle_core::{
    Document, EntityId, Layer, Quote, QuoteKind, QuoteMark, Severity, Span, Stage, Token, TokenKind,
};
use lexicon::{Lexicon, WordClass};

/// The quotes stage. Stateless: the word tables it uses are built once per process.
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
        &[
            Layer::Paragraphs,
            Layer::Sentences,
            Layer::Tokens,
            Layer::Entities,
        ]
    }
    /// Attributions read off the parse, and the parse's subject for lead-ins and narration.
    fn reads_if_present(&self) -> &'static [Layer] {
        &[Layer::Syntax]
    }
    fn writes(&self) -> &'static [Layer] {
        &[Layer::Quotes]
    }
    fn run(&self, doc: &mut Document) {
        let (quotes, diags) = {
            let mut ctx = Ctx::new(doc);
            ctx.model = AttributionModel::builtin();
            ctx.parse_model = ParseAttributionModel::builtin();
            ctx.extract()
        };
        for (sev, msg, span) in diags {
            doc.diagnose("quotes", sev, msg, span);
        }
        doc.quotes = quotes;
    }
}

/// Runs the quote extraction on a document (its text layers done) with or without the
/// learned tagger and returns the number of quotes: for the `stage_cost` benchmark example.
#[doc(hidden)]
pub fn extract_for_bench(doc: &Document, with_model: bool) -> usize {
    let mut ctx = Ctx::new(doc);
    if with_model {
        ctx.model = AttributionModel::builtin();
        ctx.parse_model = ParseAttributionModel::builtin();
    }
    ctx.extract().0.len()
}

/// Reporting cue words (lower case, sorted) the stage recognises, for stages that want to know
/// whether a verb reports speech (the events stage marks such events as `reported`).
pub fn cue_words() -> Vec<&'static str> {
    Lexicon::get().cue_list()
}

/// True when the lower-cased word is a reporting cue ("said", "warned", "tweeted").
pub fn is_cue_word(word: &str) -> bool {
    Lexicon::get().is_cue(word)
}

/// A pair of quotation marks and the tokens between them.
#[derive(Debug, Clone)]
struct Region {
    /// Token index of the opening mark.
    open: usize,
    /// Token index of the closing mark (`None` when the quote was never closed).
    close: Option<usize>,
    /// `[first, last)` token indices of the content.
    first: usize,
    last: usize,
    /// One past the last token the region owns (its closing mark included).
    end: usize,
    words: u32,
}

impl Region {
    fn end_tok(&self) -> usize {
        self.end
    }
}

/// Where a reporting cue sits and who it names.
#[derive(Debug, Clone, Copy)]
struct Site {
    sentence: usize,
    cue: Span,
    cue_tok: usize,
    speaker: Option<(usize, usize)>,
    /// Code points to drop from the end of the speaker span (a possessive "’s").
    speaker_trim: u32,
}

/// What a cue reports.
enum Content {
    /// A whole quotation-mark region.
    Region(usize),
    /// A token range (reported clause).
    Tokens(usize, usize),
}

type Diag = (Severity, String, Option<Span>);

/// Start, speaker span and cue of the last quote in a paragraph.
type LastQuote = (u32, Option<Span>, Option<Span>);

struct Ctx<'a> {
    doc: &'a Document,
    toks: &'a [Token],
    lex: &'static Lexicon,
    /// Each token's lexicon classes (empty for non-words).
    cls: Vec<WordClass>,
    /// Paragraph index of each token.
    tok_para: Vec<u32>,
    /// Region index + 1 for tokens inside a region (marks included), else 0.
    quoted: Vec<u32>,
    regions: Vec<Region>,
    /// The learned content tagger, when one is loaded: adds reported clauses the rules miss.
    model: Option<&'a AttributionModel>,
    /// The learned scorer of attributions read off the parse, when one is loaded.
    parse_model: Option<&'a ParseAttributionModel>,
}

const NONE: u32 = chronicle_core::NO_SENTENCE;

/// Longest attribution (in code points) that may interrupt one quote ("said Rep. Jim
/// Jordan (R-Ohio), an oversight panel member,").
const MAX_INTERRUPTION: u32 = 320;

/// Shortest reported clause (tokens) the learned tagger may add.
const MIN_LEARNED_TOKENS: usize = 4;
/// Weakest cue (see `WordClass::score`) next to which a learned clause is kept: any scored
/// word, since the tagger learned where the weak ones report.
const MIN_LEARNED_CUE: u8 = 1;
/// Shortest bare-object clause (tokens) the learned tagger may add.
const MIN_LEARNED_OBJECT_TOKENS: usize = 6;

impl<'a> Ctx<'a> {
    fn new(doc: &'a Document) -> Self {
        let toks = doc.tokens.as_slice();
        let n = toks.len();
        let lex = Lexicon::get();
        let cls = (0..n)
            .map(|i| match toks.get(i) {
                Some(t) if t.is_word() => lex.classify(doc.lower(i)),
                _ => WordClass::default(),
            })
            .collect();
        let tok_para = (0..n).map(|i| doc.token_paragraph(i)).collect();
        Ctx {
            doc,
            toks,
            lex,
            cls,
            tok_para,
            quoted: vec![0; n],
            regions: Vec::new(),
            model: None,
            parse_model: None,
        }
    }

    // ---- token helpers -------------------------------------------------------------------

    /// Lower-case form of word token `i` ("" for other tokens).
    fn w(&self, i: usize) -> &str {
        if self.is_word(i) {
            self.doc.lower(i)
        } else {
            ""
        }
    }
    /// Sentence index of token `i` (the token layer's; [`NONE`] outside every sentence).
    fn sent_of(&self, i: usize) -> Option<u32> {
        self.toks.get(i).map(|t| t.sentence)
    }
    fn is_word(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| matches!(t.kind, TokenKind::Word))
    }
    /// Token `i`'s lexicon classes.
    fn wc(&self, i: usize) -> WordClass {
        self.cls.get(i).copied().unwrap_or_default()
    }
    fn is_cap(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.is_word() && t.shape.starts_upper())
    }
    fn raw(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| self.doc.slice(t.span))
    }
    fn is_punct(&self, i: usize, s: &str) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| matches!(t.kind, TokenKind::Punct))
            && self.raw(i) == s
    }
    fn is_mark(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| matches!(t.kind, TokenKind::Quote(_)))
    }
    fn is_sep(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == TokenKind::Punct)
            && matches!(self.raw(i), "," | ";" | "—" | "–" | "―" | "--")
    }
    fn is_cue_at(&self, i: usize) -> bool {
        self.is_word(i) && !self.is_cap(i) && self.quoted[i] == 0 && self.wc(i).cue()
    }
    fn span_of(&self, a: usize, b: usize) -> Option<Span> {
        let s = self.toks.get(a)?.span.start;
        let e = self.toks.get(b.checked_sub(1)?)?.span.end;
        (b > a).then_some(Span::new(s, e))
    }
    fn sent_bounds(&self, s: usize) -> (usize, usize) {
        self.doc.sentences.get(s).map_or((0, 0), |x| {
            (x.tokens.0 as usize, (x.tokens.1 as usize).min(self.toks.len()))
        })
    }
}
