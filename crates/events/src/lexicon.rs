//! The hand-written trigger lexicon: lemma-based verb and noun phrases mapped to CAMEO codes,
//! with object-noun refinements. It takes precedence over the PETRARCH-derived verb table,
//! which gives breadth but whose block defaults are coarse (e.g. MEET -> 040 for "face").

use std::collections::HashMap;
use std::sync::OnceLock;

/// Whether a lexicon entry names an action (verb) or an event noun ("talks", "drone strike").
/// Noun triggers carry no clause of their own, so they need both sides of a dyad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Verb,
    Noun,
}

/// Which object-noun refinement family applies (see [`refine`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    None,
    Reject,
    Appeal,
    Demand,
    Aid,
    Promise,
    Threaten,
    Accuse,
    Expel,
    Declare,
    Deploy,
    Withdraw,
    Launch,
    /// suspend / halt / cut: what is stopped picks the SANCTION code.
    Suspend,
    /// refuse / decline: a REJECT with a noun object; with "to VERB" it defers to the verb.
    Refuse,
    /// fire: force only when fired on/at someone or with a weapon ("fired mortars at
    /// positions"), never "fired the minister".
    Fire,
    /// damage / destroy / hit / spark a fire: force only with a weapon beside it ("drones
    /// sparked a fire at an oil depot"), never "damaged relations".
    Damage,
    /// lift / ease / relax: what is eased picks the YIELD code ("lifted a curfew" 0813).
    Ease,
    /// block: obstructing a road, bridge or border is a protest act (144).
    Block,
    /// accept: acceding to demands or conditions (083); accepting a plan is left alone.
    Accept,
    /// mount / stage: an offensive or invasion mounted is force (190).
    Mount,
    /// grant: asylum (075), an amnesty or pardon (0841).
    Grant,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    /// Lemma of the first word, then exact following words.
    pub words: &'static [&'static str],
    /// Default code; "" when the entry only codes through a refinement.
    pub code: &'static str,
    pub kind: Kind,
    pub family: Family,
}

use Family as F;
use Kind::{Noun, Verb};

macro_rules! e {
    ($w:expr, $c:expr, $k:expr, $f:expr) => {
        Entry {
            words: $w,
            code: $c,
            kind: $k,
            family: $f,
        }
    };
}

/// The hand lexicon. Codes follow the CAMEO codebook names in `data/cameo.tsv`.
const ENTRIES: &[Entry] = &[
    // 04 CONSULT
    e!(&["meet"], "040", Verb, F::None),
    e!(&["meeting"], "040", Noun, F::None),
    e!(&["talks"], "040", Noun, F::None),
    e!(&["hold", "talks"], "040", Verb, F::None),
    e!(&["consult"], "040", Verb, F::None),
    e!(&["confer"], "040", Verb, F::None),
    e!(&["summit"], "040", Noun, F::None),
    e!(&["phone"], "041", Verb, F::None),
    e!(&["telephone"], "041", Verb, F::None),
    e!(&["visit"], "042", Verb, F::None),
    e!(&["host"], "043", Verb, F::None),
    e!(&["mediate"], "045", Verb, F::None),
    e!(&["negotiate"], "046", Verb, F::None),
    e!(&["negotiations"], "046", Noun, F::None),
    // 05 SUPPORT
    e!(&["praise"], "051", Verb, F::None),
    e!(&["commend"], "051", Verb, F::None),
    e!(&["hail"], "051", Verb, F::None),
    e!(&["endorse"], "051", Verb, F::None),
    e!(&["welcome"], "051", Verb, F::None),
    e!(&["defend"], "052", Verb, F::None),
    e!(&["recognize"], "054", Verb, F::None),
    e!(&["recognise"], "054", Verb, F::None),
    e!(&["apologize"], "055", Verb, F::None),
    e!(&["apologise"], "055", Verb, F::None),
    e!(&["forgive"], "056", Verb, F::None),
    e!(&["sign"], "057", Verb, F::None),
    e!(&["ratify"], "057", Verb, F::None),
    // 03 AGREE (intent)
    e!(&["agree"], "030", Verb, F::Promise),
    e!(&["pledge"], "030", Verb, F::Promise),
    e!(&["promise"], "030", Verb, F::Promise),
    e!(&["vow"], "030", Verb, F::Promise),
    e!(&["offer"], "030", Verb, F::Promise),
    // 06/07 COOPERATE / AID
    e!(&["cooperate"], "060", Verb, F::None),
    e!(&["commit"], "", Verb, F::Aid),
    e!(&["provide"], "", Verb, F::Aid),
    e!(&["supply"], "", Verb, F::Aid),
    e!(&["donate"], "", Verb, F::Aid),
    e!(&["deliver"], "", Verb, F::Aid),
    e!(&["send"], "", Verb, F::Aid),
    e!(&["continue"], "", Verb, F::Aid),
    // 08 yield / retreat
    e!(&["release"], "0841", Verb, F::None),
    e!(&["free"], "0841", Verb, F::None),
    e!(&["withdraw"], "", Verb, F::Withdraw),
    e!(&["pull", "out"], "", Verb, F::Withdraw),
    e!(&["declare"], "", Verb, F::Declare),
    e!(&["announce"], "", Verb, F::Declare),
    // 09 INVESTIGATE
    e!(&["investigate"], "090", Verb, F::None),
    e!(&["probe"], "090", Verb, F::None),
    // 02 APPEAL
    e!(&["urge"], "020", Verb, F::Appeal),
    e!(&["appeal"], "020", Verb, F::Appeal),
    e!(&["call", "for"], "020", Verb, F::Appeal),
    e!(&["call", "on"], "020", Verb, F::Appeal),
    e!(&["call", "upon"], "020", Verb, F::Appeal),
    e!(&["ask"], "020", Verb, F::Appeal),
    e!(&["request"], "020", Verb, F::Appeal),
    e!(&["implore"], "020", Verb, F::Appeal),
    // 10 DEMAND
    e!(&["demand"], "100", Verb, F::Demand),
    // 11 DISAPPROVE / ACCUSE
    e!(&["criticize"], "111", Verb, F::None),
    e!(&["criticise"], "111", Verb, F::None),
    e!(&["condemn"], "111", Verb, F::None),
    e!(&["denounce"], "111", Verb, F::None),
    e!(&["rebuke"], "111", Verb, F::None),
    e!(&["decry"], "111", Verb, F::None),
    e!(&["slam"], "111", Verb, F::None),
    e!(&["accuse"], "112", Verb, F::Accuse),
    e!(&["blame"], "112", Verb, F::Accuse),
    e!(&["sue"], "115", Verb, F::None),
    e!(&["complain"], "114", Verb, F::None),
    e!(&["charge"], "112", Verb, F::Accuse),
    e!(&["investigation"], "090", Noun, F::None),
    e!(&["inquiry"], "090", Noun, F::None),
    // 12 REJECT
    e!(&["reject"], "120", Verb, F::Reject),
    e!(&["dismiss"], "120", Verb, F::Reject),
    e!(&["rebuff"], "120", Verb, F::Reject),
    e!(&["spurn"], "120", Verb, F::Reject),
    e!(&["turn", "down"], "120", Verb, F::Reject),
    e!(&["refuse"], "120", Verb, F::Refuse),
    e!(&["decline"], "120", Verb, F::Refuse),
    e!(&["oppose"], "120", Verb, F::Reject),
    e!(&["veto"], "129", Verb, F::None),
    e!(&["defy"], "128", Verb, F::None),
    // 13 THREATEN (warn codes only with a threat noun, see `Family::Threaten` + empty code)
    e!(&["threaten"], "130", Verb, F::Threaten),
    e!(&["warn"], "", Verb, F::Threaten),
    e!(&["ultimatum"], "139", Noun, F::None),
    // 14 PROTEST
    e!(&["protest"], "140", Verb, F::None),
    e!(&["demonstrate"], "141", Verb, F::None),
    e!(&["rally"], "141", Verb, F::None),
    e!(&["riot"], "145", Verb, F::None),
    e!(&["hunger", "strike"], "142", Noun, F::None),
    e!(&["demonstration"], "141", Noun, F::None),
    e!(&["protest", "rally"], "141", Noun, F::None),
    // 15 MOBILIZE
    e!(&["deploy"], "", Verb, F::Deploy),
    e!(&["mobilize"], "154", Verb, F::None),
    e!(&["mobilise"], "154", Verb, F::None),
    // 16 SANCTION
    e!(&["sanction"], "163", Verb, F::None),
    e!(&["impose", "sanctions"], "163", Verb, F::None),
    e!(&["embargo"], "163", Verb, F::None),
    e!(&["expel"], "174", Verb, F::Expel),
    e!(&["deport"], "174", Verb, F::None),
    e!(&["sever", "ties"], "161", Verb, F::None),
    e!(&["suspend"], "", Verb, F::Suspend),
    e!(&["halt"], "", Verb, F::Suspend),
    e!(&["freeze"], "", Verb, F::Suspend),
    e!(&["cut", "off"], "", Verb, F::Suspend),
    e!(&["reduce"], "", Verb, F::Suspend),
    e!(&["recall"], "", Verb, F::Suspend),
    e!(&["cut", "ties"], "161", Verb, F::None),
    // 17 COERCE
    e!(&["arrest"], "173", Verb, F::None),
    e!(&["detain"], "173", Verb, F::None),
    e!(&["jail"], "173", Verb, F::None),
    e!(&["imprison"], "173", Verb, F::None),
    e!(&["seize"], "171", Verb, F::None),
    e!(&["confiscate"], "171", Verb, F::None),
    e!(&["impose", "curfew"], "1723", Verb, F::None),
    // 18 ASSAULT
    e!(&["abduct"], "181", Verb, F::None),
    e!(&["kidnap"], "181", Verb, F::None),
    e!(&["take", "hostage"], "181", Verb, F::None),
    e!(&["torture"], "1821", Verb, F::None),
    e!(&["bombing"], "183", Noun, F::None),
    e!(&["suicide", "bombing"], "1831", Noun, F::None),
    e!(&["car", "bomb"], "1832", Noun, F::None),
    e!(&["assassinate"], "186", Verb, F::None),
    e!(&["behead"], "1823", Verb, F::None),
    e!(&["stab"], "1823", Verb, F::None),
    e!(&["beat"], "182", Verb, F::None),
    // 19 FIGHT
    e!(&["attack"], "190", Verb, F::None),
    e!(&["kill"], "190", Verb, F::None),
    e!(&["wound"], "190", Verb, F::None),
    e!(&["injure"], "190", Verb, F::None),
    e!(&["shoot"], "193", Verb, F::None),
    e!(&["clash"], "190", Verb, F::None),
    e!(&["fight"], "190", Verb, F::None),
    e!(&["invade"], "192", Verb, F::None),
    e!(&["occupy"], "192", Verb, F::None),
    e!(&["annex"], "192", Verb, F::None),
    e!(&["besiege"], "191", Verb, F::None),
    e!(&["blockade"], "191", Verb, F::None),
    e!(&["shell"], "194", Verb, F::None),
    e!(&["shelling"], "194", Noun, F::None),
    e!(&["bombard"], "194", Verb, F::None),
    e!(&["bomb"], "195", Verb, F::None),
    e!(&["airstrike"], "195", Noun, F::None),
    e!(&["air", "strike"], "195", Noun, F::None),
    e!(&["air", "raid"], "195", Noun, F::None),
    e!(&["drone", "strike"], "195", Noun, F::None),
    e!(&["drone", "attack"], "195", Noun, F::None),
    e!(&["missile", "strike"], "195", Noun, F::None),
    e!(&["missile", "attack"], "195", Noun, F::None),
    e!(&["rocket", "attack"], "194", Noun, F::None),
    e!(&["launch"], "", Verb, F::Launch),
    e!(&["fire"], "", Verb, F::Fire),
    e!(&["lift"], "", Verb, F::Ease),
    e!(&["ease"], "", Verb, F::Ease),
    e!(&["relax"], "", Verb, F::Ease),
    e!(&["block"], "", Verb, F::Block),
    e!(&["accept"], "", Verb, F::Accept),
    e!(&["mount"], "", Verb, F::Mount),
    e!(&["surrender"], "0874", Verb, F::None),
    e!(&["demobilize"], "0873", Verb, F::None),
    e!(&["demobilise"], "0873", Verb, F::None),
    e!(&["grant"], "", Verb, F::Grant),
    e!(&["demolish"], "1712", Verb, F::None),
    e!(&["raze"], "1712", Verb, F::None),
    e!(&["force", "out"], "174", Verb, F::None),
    e!(&["open", "fire"], "190", Verb, F::None),
    e!(&["come", "under", "fire"], "190", Verb, F::None),
    e!(&["spark", "a", "fire"], "190", Verb, F::Damage),
    e!(&["spark", "fires"], "190", Verb, F::Damage),
    e!(&["set", "fire"], "190", Verb, F::Damage),
    e!(&["damage"], "190", Verb, F::Damage),
    e!(&["destroy"], "190", Verb, F::Damage),
    e!(&["hit"], "190", Verb, F::Damage),
    e!(&["come", "under", "attack"], "190", Verb, F::None),
    e!(&["come", "under", "shelling"], "194", Verb, F::None),
    e!(&["massacre"], "202", Verb, F::None),
];

/// Irregular verb forms of the lexicon's lemmas (regular ones are generated).
const IRREGULAR: &[(&str, &str)] = &[
    ("met", "meet"),
    ("came", "come"),
    ("held", "hold"),
    ("fought", "fight"),
    ("shot", "shoot"),
    ("sent", "send"),
    ("beaten", "beat"),
    ("forgave", "forgive"),
    ("forgiven", "forgive"),
    ("withdrew", "withdraw"),
    ("withdrawn", "withdraw"),
    ("took", "take"),
    ("taken", "take"),
    ("cut", "cut"),
    ("pulled", "pull"),
    ("slammed", "slam"),
    ("slamming", "slam"),
    ("sued", "sue"),
    ("suing", "sue"),
    ("vetoed", "veto"),
    ("vetoes", "veto"),
    ("freed", "free"),
    ("froze", "freeze"),
    ("frozen", "freeze"),
    ("freeing", "free"),
];

/// How a surface form relates to its lemma; a bare base form is weak evidence of a verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    Base,
    S,
    Past,
    Ing,
}

/// Regular inflections of a lemma (over-generating is harmless: only real words are looked up).
pub(crate) fn inflect(lemma: &str) -> Vec<(String, Form)> {
    let mut v = vec![(lemma.to_string(), Form::Base)];
    let b = lemma.as_bytes();
    let n = b.len();
    if n < 2 {
        return v;
    }
    let last = b[n - 1];
    let prev = b[n - 2];
    let is_vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    let stem_y = last == b'y' && !is_vowel(prev);
    let head = &lemma[..n - 1];
    // -s
    if lemma.ends_with('s') || lemma.ends_with('x') || lemma.ends_with("ch") || lemma.ends_with("sh") {
        v.push((format!("{lemma}es"), Form::S));
    } else if stem_y {
        v.push((format!("{head}ies"), Form::S));
    } else {
        v.push((format!("{lemma}s"), Form::S));
    }
    // -ed / -ing
    if last == b'e' {
        v.push((format!("{lemma}d"), Form::Past));
        if lemma.ends_with("ee") {
            v.push((format!("{lemma}ing"), Form::Ing));
        } else {
            v.push((format!("{head}ing"), Form::Ing));
        }
    } else if stem_y {
        v.push((format!("{head}ied"), Form::Past));
        v.push((format!("{lemma}ing"), Form::Ing));
    } else {
        v.push((format!("{lemma}ed"), Form::Past));
        v.push((format!("{lemma}ing"), Form::Ing));
        if !is_vowel(last) && !matches!(last, b'w' | b'x' | b'y') && is_vowel(prev) {
            let c = last as char;
            v.push((format!("{lemma}{c}ed"), Form::Past));
            v.push((format!("{lemma}{c}ing"), Form::Ing));
        }
    }
    v
}

/// Lexicon index: surface form of the first word -> (entry index, form), longest entries first.
pub(crate) struct Lexicon {
    pub entries: &'static [Entry],
    pub by_first: HashMap<String, Vec<(usize, Form)>>,
}

pub(crate) fn lexicon() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
    L.get_or_init(|| {
        let mut by_first: HashMap<String, Vec<(usize, Form)>> = HashMap::new();
        for (i, e) in ENTRIES.iter().enumerate() {
            let Some(first) = e.words.first() else { continue };
            let mut forms = inflect(first);
            for (irr, lem) in IRREGULAR {
                if lem == first {
                    let f = if irr.ends_with("ing") {
                        Form::Ing
                    } else if irr.ends_with('s') && irr != lem {
                        Form::S
                    } else {
                        Form::Past
                    };
                    forms.push((irr.to_string(), f));
                }
            }
            for (f, k) in forms {
                let slot = by_first.entry(f).or_default();
                if !slot.iter().any(|(j, _)| *j == i) {
                    slot.push((i, k));
                }
            }
        }
        for v in by_first.values_mut() {
            v.sort_by_key(|(i, _)| std::cmp::Reverse(ENTRIES[*i].words.len()));
        }
        Lexicon {
            entries: ENTRIES,
            by_first,
        }
    })
}

fn has(window: &[&str], words: &[&str]) -> bool {
    window
        .iter()
        .any(|w| words.iter().any(|x| w == x || w.strip_suffix('s') == Some(x)))
}

const MILITARY: &[&str] = &[
    "military",
    "weapon",
    "arms",
    "troop",
    "missile",
    "ammunition",
    "tank",
    "artillery",
    "jet",
    "defence",
    "defense",
    "drone",
    "munition",
    "soldier",
];
const MONEY: &[&str] = &[
    "money",
    "fund",
    "funding",
    "million",
    "billion",
    "pound",
    "dollar",
    "euro",
    "financial",
    "economic",
    "loan",
    "grant",
    "budget",
];
const CEASEFIRE: &[&str] = &[
    "ceasefire",
    "truce",
    "cease-fire",
    "de-escalation",
    "restraint",
    "armistice",
];
const TALKS: &[&str] = &[
    "talk",
    "negotiation",
    "dialogue",
    "meeting",
    "summit",
    "invitation",
];
const PLAN: &[&str] = &[
    "plan",
    "proposal",
    "deal",
    "agreement",
    "settlement",
    "initiative",
    "accord",
    "treaty",
    "framework",
    "offer",
    "peace",
];
/// Words after "fire" that make it gunfire: a weapon or a direction.
const FIRED_WITH: &[&str] = &[
    "direction",
    "mortar",
    "artillery",
    "gun",
    "grenade",
    "launcher",
    "rocket",
    "missile",
    "shell",
    "weapon",
    "arm",
    "rifle",
    "howitzer",
    "tank",
    "shot",
    "round",
    "bullet",
];
const AID: &[&str] = &["aid", "assistance", "help", "support", "supplies"];
const THREAT: &[&str] = &[
    "war",
    "force",
    "attack",
    "strike",
    "invasion",
    "retaliation",
    "retaliate",
    "military",
    "nuclear",
    "consequences",
    "response",
    "escalation",
];

/// Refines an entry's code by the object words after the trigger (lower-cased, up to the
/// clause end). Returns `None` when the entry needs an object it did not find.
pub(crate) fn refine(entry: &Entry, obj: &[&str]) -> Option<&'static str> {
    let base = (!entry.code.is_empty()).then_some(entry.code);
    match entry.family {
        F::None | F::Damage => base,
        F::Reject | F::Refuse => Some(if has(obj, PLAN) {
            "127"
        } else if has(obj, TALKS) {
            "125"
        } else if has(obj, &["mediation"]) {
            "126"
        } else if has(obj, CEASEFIRE) {
            "1246"
        } else {
            entry.code
        }),
        F::Appeal => Some(if has(obj, CEASEFIRE) {
            "0256"
        } else if has(obj, &["release"]) {
            "0253"
        } else if has(obj, TALKS) {
            "026"
        } else if has(obj, AID) {
            "023"
        } else {
            entry.code
        }),
        F::Demand => Some(if has(obj, CEASEFIRE) || has(obj, &["withdrawal"]) {
            "1056"
        } else if has(obj, &["release"]) {
            "1053"
        } else if has(obj, TALKS) {
            "106"
        } else if has(obj, AID) {
            "103"
        } else {
            entry.code
        }),
        F::Aid => {
            if has(obj, MILITARY) {
                Some("072")
            } else if has(obj, &["humanitarian", "food", "medicine", "medical"]) {
                Some("073")
            } else if has(obj, MONEY) {
                Some("071")
            } else if has(obj, AID) {
                Some("070")
            } else {
                base
            }
        }
        F::Promise => Some(if has(obj, CEASEFIRE) {
            "0356"
        } else if has(obj, AID) || has(obj, MONEY) {
            if has(obj, MILITARY) {
                "0332"
            } else {
                "033"
            }
        } else if has(obj, TALKS) || has(obj, &["meet"]) {
            "036"
        } else {
            entry.code
        }),
        F::Threaten => {
            if has(obj, &["sanction", "embargo", "boycott"]) {
                Some("1312")
            } else if has(obj, THREAT) {
                Some("138")
            } else if has(obj, &["will", "would"]) {
                // "warned that police will no longer tolerate ...": a threat of action.
                Some("130")
            } else {
                base
            }
        }
        F::Accuse => Some(
            if has(
                obj,
                &["aggression", "invasion", "attack", "sabotage", "sabotaging"],
            ) {
                "1123"
            } else if has(obj, &["genocide", "atrocities", "crimes"]) && has(obj, &["war", "genocide"]) {
                "1124"
            } else if has(obj, &["corruption", "fraud", "crime", "bribery"]) {
                "1121"
            } else if has(obj, &["spying", "espionage", "treason"]) {
                "1125"
            } else if has(obj, &["torture", "abuse", "abuses", "rights"]) {
                "1122"
            } else {
                entry.code
            },
        ),
        F::Expel => Some(if has(obj, &["diplomat", "ambassador", "envoy", "embassy"]) {
            "161"
        } else if has(
            obj,
            &[
                "inspector",
                "peacekeeper",
                "monitor",
                "observer",
                "agency",
                "agencies",
                "mission",
            ],
        ) {
            "166"
        } else {
            entry.code
        }),
        F::Declare => has(obj, CEASEFIRE).then_some("0871"),
        F::Suspend => {
            if has(obj, AID) || has(obj, &["deliveries", "supplies", "shipments", "funding"]) {
                Some(if has(obj, MILITARY) {
                    "1622"
                } else if has(obj, &["humanitarian", "food"]) {
                    "1623"
                } else if has(obj, MONEY) {
                    "1621"
                } else {
                    "162"
                })
            } else if has(obj, &["mediation"]) {
                Some("165")
            } else if has(obj, TALKS) {
                Some("164")
            } else if has(
                obj,
                &["ambassador", "envoy", "relations", "ties", "link", "flights"],
            ) {
                Some("161")
            } else {
                None
            }
        }
        F::Deploy => has(obj, MILITARY).then_some("154"),
        F::Withdraw => has(obj, &["troop", "force", "soldier", "military"]).then_some("0874"),
        F::Ease => Some(if has(obj, &["curfew"]) {
            "0813"
        } else if has(obj, &["emergency", "martial"]) {
            "0814"
        } else if has(obj, &["sanction", "embargo", "boycott"]) {
            "085"
        } else if has(obj, &["blockade", "siege"]) {
            "0872"
        } else if has(obj, &["ban"]) {
            "0812"
        } else if has(obj, &["restriction", "control", "measure"]) {
            "081"
        } else {
            return None;
        }),
        F::Block => has(
            obj,
            &[
                "road", "bridge", "highway", "street", "entrance", "railway", "traffic", "border",
                "motorway", "access",
            ],
        )
        .then_some("144"),
        F::Accept => has(obj, &["demand", "condition", "request", "ultimatum"]).then_some("083"),
        F::Grant => {
            if has(obj, &["asylum", "refuge"]) {
                Some("075")
            } else if has(obj, &["amnesty", "pardon", "clemency"]) {
                Some("0841")
            } else {
                None
            }
        }
        F::Mount => has(
            obj,
            &["invasion", "offensive", "attack", "assault", "raid", "incursion"],
        )
        .then_some("190"),
        F::Fire => {
            // "fired on/at/upon ...", "fired back at", "in the direction of", or a weapon
            // anywhere after it; "fired its chief executive on Monday" is none of these.
            let aimed = obj
                .first()
                .is_some_and(|w| matches!(*w, "on" | "at" | "upon" | "toward" | "towards" | "back" | "into"));
            (aimed || has(obj, FIRED_WITH)).then_some("190")
        }
        F::Launch => {
            if has(obj, &["missile", "drone", "airstrike", "bomb"]) {
                Some("195")
            } else if has(obj, &["attack", "offensive", "assault", "strike", "raid"]) {
                Some("190")
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::cameo_info;

    #[test]
    fn every_lexicon_code_is_in_the_codebook() {
        for e in ENTRIES {
            if !e.code.is_empty() {
                assert!(cameo_info(e.code).is_some(), "{:?}", e.words);
            }
        }
        for c in [
            "127", "125", "0256", "1056", "072", "071", "073", "0332", "138", "1312", "0871", "0874",
        ] {
            assert!(cameo_info(c).is_some(), "{c}");
        }
    }

    #[test]
    fn inflections() {
        let forms: Vec<String> = inflect("reject").into_iter().map(|(f, _)| f).collect();
        for f in ["reject", "rejects", "rejected", "rejecting"] {
            assert!(forms.contains(&f.to_string()), "{f}");
        }
        let forms: Vec<String> = inflect("commit").into_iter().map(|(f, _)| f).collect();
        assert!(forms.contains(&"committed".to_string()));
        assert!(forms.contains(&"committing".to_string()));
        let forms: Vec<String> = inflect("criticize").into_iter().map(|(f, _)| f).collect();
        assert!(forms.contains(&"criticized".to_string()) && forms.contains(&"criticizing".to_string()));
        let forms: Vec<String> = inflect("deny").into_iter().map(|(f, _)| f).collect();
        assert!(forms.contains(&"denied".to_string()) && forms.contains(&"denies".to_string()));
        assert!(lexicon().by_first.contains_key("met"));
    }

    #[test]
    fn refinements() {
        let reject = ENTRIES.iter().find(|e| e.words == ["reject"]).unwrap();
        assert_eq!(refine(reject, &["the", "peace", "plan"]), Some("127"));
        assert_eq!(refine(reject, &["the", "talks"]), Some("125"));
        let warn = ENTRIES.iter().find(|e| e.words == ["warn"]).unwrap();
        assert_eq!(refine(warn, &["that", "it", "is", "late"]), None);
        assert_eq!(refine(warn, &["of", "war"]), Some("138"));
        let commit = ENTRIES.iter().find(|e| e.words == ["commit"]).unwrap();
        assert_eq!(
            refine(commit, &["hundreds", "of", "millions", "of", "pounds"]),
            Some("071")
        );
        assert_eq!(refine(commit, &["crimes"]), None);
    }
}
