use super::*;

fn run(text: &str, published: Option<&str>) -> Document {
    let dct = published.and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok());
    let mut d = Document::new("t", text, dct);
    chronicle_text::split(&mut d);
    annotate(&mut d);
    d
}

/// (text, type, value) of every timex.
fn found(text: &str, published: Option<&str>) -> Vec<(String, &'static str, Option<String>)> {
    let d = run(text, published);
    d.timexes
        .iter()
        .map(|t| (d.slice(t.span).to_string(), t.kind.as_str(), t.value.clone()))
        .collect()
}

fn one(text: &str, published: &str) -> (String, &'static str, String) {
    let f = found(text, Some(published));
    assert_eq!(f.len(), 1, "{text}: {f:?}");
    let (s, k, v) = f.into_iter().next().unwrap_or_default();
    (s, k, v.unwrap_or_default())
}

fn t(s: &str, k: &'static str, v: &str) -> (String, &'static str, String) {
    (s.to_string(), k, v.to_string())
}

const DCT: &str = "2025-12-03"; // a Wednesday

#[test]
fn deictic_days_and_weekdays() {
    assert_eq!(
        one("Talks were held on Tuesday in Moscow.", DCT),
        t("Tuesday", "DATE", "2025-12-02")
    );
    assert_eq!(
        one("He spoke on Wednesday.", DCT),
        t("Wednesday", "DATE", "2025-12-03")
    );
    assert_eq!(
        one("The envoys are due to meet in Miami on Thursday.", DCT),
        t("Thursday", "DATE", "2025-12-04")
    );
    assert_eq!(
        one("She will fly there on Tuesday.", DCT),
        t("Tuesday", "DATE", "2025-12-09")
    );
    assert_eq!(
        one("They met last Friday.", DCT),
        t("last Friday", "DATE", "2025-11-28")
    );
    assert_eq!(
        one("It rained on Tuesday morning.", DCT),
        t("Tuesday morning", "TIME", "2025-12-02TMO")
    );
    assert_eq!(
        one("The vote was yesterday.", DCT),
        t("yesterday", "DATE", "2025-12-02")
    );
    assert_eq!(
        one("The vote is tomorrow.", DCT),
        t("tomorrow", "DATE", "2025-12-04")
    );
    assert_eq!(one("The vote is today.", DCT), t("today", "DATE", "2025-12-03"));
    assert_eq!(
        one("Fighting continued overnight.", DCT),
        t("overnight", "TIME", "2025-12-02TNI")
    );
    assert_eq!(
        one("He left tonight.", DCT),
        t("tonight", "TIME", "2025-12-03TNI")
    );
}

#[test]
fn relative_periods() {
    assert_eq!(
        one("A proposal leaked last month.", DCT),
        t("last month", "DATE", "2025-11")
    );
    assert_eq!(
        one("Prices rose last week.", DCT),
        t("last week", "DATE", "2025-W48")
    );
    assert_eq!(
        one("Prices rose this week.", DCT),
        t("this week", "DATE", "2025-W49")
    );
    assert_eq!(
        one("Speaking earlier this week, he warned.", DCT),
        t("earlier this week", "DATE", "2025-W49")
    );
    assert_eq!(
        one("Growth slowed last year.", DCT),
        t("last year", "DATE", "2024")
    );
    assert_eq!(
        one("Growth will slow next year.", DCT),
        t("next year", "DATE", "2026")
    );
    assert_eq!(
        one("Sales rose this month.", DCT),
        t("this month", "DATE", "2025-12")
    );
    assert_eq!(
        one("He left two days ago.", DCT),
        t("two days ago", "DATE", "2025-12-01")
    );
    assert_eq!(
        one("It began three years ago.", DCT),
        t("three years ago", "DATE", "2022")
    );
    assert_eq!(
        found(
            "Talks began on Tuesday. Just a day earlier, he had warned.",
            Some(DCT)
        ),
        [
            ("Tuesday".to_string(), "DATE", Some("2025-12-02".to_string())),
            (
                "a day earlier".to_string(),
                "DATE",
                Some("2025-12-01".to_string())
            )
        ]
    );
    assert_eq!(one("It is quiet now.", DCT), t("now", "DATE", "PRESENT_REF"));
    assert_eq!(
        one("He recently resigned.", DCT),
        t("recently", "DATE", "PAST_REF")
    );
    assert_eq!(
        one("Sales fell over the past three years.", DCT),
        t("the past three years", "DURATION", "P3Y")
    );
}

#[test]
fn calendar_dates() {
    assert_eq!(
        one("It happened on December 3.", DCT),
        t("December 3", "DATE", "2025-12-03")
    );
    assert_eq!(
        one("It happened on 3 December 2025.", DCT),
        t("3 December 2025", "DATE", "2025-12-03")
    );
    assert_eq!(
        one("It happened on Dec. 3, 2024.", DCT),
        t("Dec. 3, 2024", "DATE", "2024-12-03")
    );
    assert_eq!(one("They met in March.", DCT), t("March", "DATE", "2025-03"));
    assert_eq!(
        one("They will meet in March.", DCT),
        t("March", "DATE", "2026-03")
    );
    assert_eq!(
        one("They met in January 1998.", DCT),
        t("January 1998", "DATE", "1998-01")
    );
    assert_eq!(
        one("Moscow annexed them in 2022.", DCT),
        t("2022", "DATE", "2022")
    );
    assert_eq!(one("It boomed in the 1990s.", DCT), t("the 1990s", "DATE", "199"));
    assert_eq!(
        one("Filed 2025-11-30 in court.", DCT),
        t("2025-11-30", "DATE", "2025-11-30")
    );
    assert_eq!(
        one("Filed on 11/30/2025 in court.", DCT),
        t("11/30/2025", "DATE", "2025-11-30")
    );
    assert_eq!(
        one("Profit rose in the third quarter.", DCT),
        t("the third quarter", "DATE", "2025-Q3")
    );
    // "May" the modal verb is not a month.
    assert_eq!(found("May I ask? They may go. 2,000 people came.", Some(DCT)), []);
}

#[test]
fn durations_and_times() {
    assert_eq!(
        one("After five hours of talks, they left.", DCT),
        t("five hours", "DURATION", "PT5H")
    );
    assert_eq!(one("It lasted two days.", DCT), t("two days", "DURATION", "P2D"));
    assert_eq!(
        one("It lasted three years.", DCT),
        t("three years", "DURATION", "P3Y")
    );
    assert_eq!(one("It lasted a week.", DCT), t("a week", "DURATION", "P1W"));
    assert_eq!(
        one("It lasted several years.", DCT),
        t("several years", "DURATION", "PXY")
    );
    assert_eq!(one("A five-year plan.", DCT), t("five-year", "DURATION", "P5Y"));
    assert_eq!(
        one("It lasted more than four hours.", DCT),
        t("more than four hours", "DURATION", "PT4H")
    );
    assert_eq!(
        one("In the last twenty four hours it fell.", DCT),
        t("the last twenty four hours", "DURATION", "PT24H")
    );
    assert_eq!(
        one("They meet at 3 p.m. in Paris.", DCT),
        t("3 p.m.", "TIME", "2025-12-03T15:00")
    );
    assert_eq!(
        one("They meet at 10:30 GMT.", DCT),
        t("10:30 GMT", "TIME", "2025-12-03T10:30")
    );
}

#[test]
fn without_publication_date() {
    let f = found(
        "On Tuesday, three years after the war began in 2022, talks lasted five hours.",
        None,
    );
    let got: Vec<(&str, Option<&str>)> = f.iter().map(|(s, _, v)| (s.as_str(), v.as_deref())).collect();
    assert_eq!(
        got,
        [
            ("Tuesday", None),
            ("three years", Some("P3Y")),
            ("2022", Some("2022")),
            ("five hours", Some("PT5H"))
        ]
    );
}

#[test]
fn never_panics() {
    for text in [
        "",
        "the",
        "the past",
        "last",
        "a",
        "Dec.",
        "3",
        "31 February 2025",
        "99/99/9999",
        "mid-",
        "-s",
    ] {
        let d = run(text, Some(DCT));
        for x in &d.timexes {
            assert!(!d.slice(x.span).is_empty());
        }
    }
    let d = run(
        "On Tuesday 0000-00-00 9999-12-31 and 262143 years ago.",
        Some("0001-01-01"),
    );
    assert!(!d.timexes.is_empty());
}

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/seed/peace-talks.txt"
);
const GOLD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/eval/time/tempeval3-timebank-silver.jsonl"
);

#[test]
fn seed_article() {
    let Ok(text) = std::fs::read_to_string(SEED) else {
        eprintln!("skipping: {SEED} missing");
        return;
    };
    let f = found(&text, Some(DCT));
    eprintln!("seed timexes: {f:?}");
    let has = |s: &str, v: &str| f.iter().any(|(a, _, b)| a == s && b.as_deref() == Some(v));
    assert!(has("Tuesday", "2025-12-02"));
    assert!(has("Wednesday", "2025-12-03"));
    assert!(has("Thursday", "2025-12-04"));
    assert!(has("five hours", "PT5H"));
    assert!(has("last month", "2025-11"));
    assert!(has("2022", "2022"));
}

/// Extent F1 (overlap) and value accuracy on the TimeBank gold documents: a tuning aid, the
/// official scorer lives in chronicle-eval. `TIMEX_DEBUG=1` prints the misses.
#[test]
fn tempeval_gold() {
    let Ok(body) = std::fs::read_to_string(GOLD) else {
        eprintln!("skipping: {GOLD} missing");
        return;
    };
    let debug = std::env::var("TIMEX_DEBUG").is_ok();
    // TIMEX_SET=silver scores the automatically annotated AFP/Xinhua part instead.
    let set = std::env::var("TIMEX_SET").unwrap_or_else(|_| "gold".to_string());
    let (mut n_gold, mut n_pred, mut matched, mut value_ok, mut type_ok, mut docs) = (0, 0, 0, 0, 0, 0);
    for line in body.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if v.get("annotation").and_then(|a| a.as_str()) != Some(set.as_str()) {
            continue;
        }
        docs += 1;
        let text = v.get("text").and_then(|t| t.as_str()).unwrap_or("");
        let published = v
            .get("published")
            .and_then(|p| p.as_str())
            .and_then(|p| p.get(..10));
        let d = run(text, published);
        let gold: Vec<(Span, String, String)> = v
            .get("timexes")
            .and_then(|t| t.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|g| {
                        let s = g.get("start")?.as_u64()? as u32;
                        let e = g.get("end")?.as_u64()? as u32;
                        let ty = g.get("type")?.as_str()?.to_string();
                        let val = g.get("value").and_then(|v| v.as_str()).unwrap_or("").to_string();
                        Some((Span::new(s, e), ty, val))
                    })
                    .collect()
            })
            .unwrap_or_default();
        n_gold += gold.len();
        n_pred += d.timexes.len();
        let mut used = vec![false; d.timexes.len()];
        for (gs, gt, gv) in &gold {
            let hit = d
                .timexes
                .iter()
                .enumerate()
                .find(|(k, p)| !used[*k] && p.span.overlaps(*gs));
            match hit {
                Some((k, p)) => {
                    used[k] = true;
                    matched += 1;
                    let pv = p.value.as_deref().unwrap_or("");
                    if pv == gv {
                        value_ok += 1;
                    } else if debug {
                        eprintln!(
                            "VALUE {:?} gold {gv} pred {pv} [{:?}]",
                            d.slice(*gs),
                            d.slice(p.span)
                        );
                    }
                    if p.kind.as_str() == gt {
                        type_ok += 1;
                    }
                }
                None if debug => eprintln!("MISS {:?} {gt} {gv}", d.slice(*gs)),
                None => {}
            }
        }
        if debug {
            for (k, p) in d.timexes.iter().enumerate() {
                if !used[k] {
                    eprintln!("FP {:?} {:?}", d.slice(p.span), p.value);
                }
            }
        }
    }
    if docs == 0 {
        eprintln!("skipping: no gold documents in {GOLD}");
        return;
    }
    let p = matched as f64 / n_pred.max(1) as f64;
    let r = matched as f64 / n_gold.max(1) as f64;
    let f1 = 2.0 * p * r / (p + r).max(1e-9);
    let va = value_ok as f64 / matched.max(1) as f64;
    let ta = type_ok as f64 / matched.max(1) as f64;
    eprintln!(
        "tempeval {set}: {docs} docs, gold {n_gold}, pred {n_pred}, matched {matched}: extent P {p:.3} R {r:.3} \
         F1 {f1:.3}; value acc {va:.3}, type acc {ta:.3}"
    );
    assert!(f1 > 0.5, "extent F1 {f1:.3}");
}

#[test]
fn corpora_never_panic() {
    const CORPORA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpora");
    let Ok(dirs) = std::fs::read_dir(CORPORA) else {
        eprintln!("skipping: {CORPORA} missing");
        return;
    };
    let (mut docs, mut bytes, mut found) = (0usize, 0usize, 0usize);
    let mut elapsed = std::time::Duration::ZERO;
    let mut text_elapsed = std::time::Duration::ZERO;
    for dir in dirs.flatten() {
        let Ok(files) = std::fs::read_dir(dir.path()) else {
            continue;
        };
        for f in files.flatten().map(|e| e.path()) {
            if f.extension().and_then(|e| e.to_str()) != Some("jsonl") {
                continue;
            }
            let Ok(body) = std::fs::read_to_string(&f) else {
                continue;
            };
            for line in body.lines().take(500) {
                let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                    continue;
                };
                let Some(text) = v.get("text").and_then(|t| t.as_str()) else {
                    continue;
                };
                let published = v
                    .get("published")
                    .and_then(|p| p.as_str())
                    .and_then(|p| p.get(..10));
                let dct = published.and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok());
                let mut d = Document::new("c", text, dct);
                let t0 = std::time::Instant::now();
                chronicle_text::split(&mut d);
                text_elapsed += t0.elapsed();
                let t0 = std::time::Instant::now();
                annotate(&mut d);
                elapsed += t0.elapsed();
                for x in &d.timexes {
                    assert!(!d.slice(x.span).trim().is_empty(), "{}: empty timex", f.display());
                }
                docs += 1;
                bytes += text.len();
                found += d.timexes.len();
            }
        }
    }
    let mbs = bytes as f64 / 1e6 / elapsed.as_secs_f64().max(1e-9);
    let text_mbs = bytes as f64 / 1e6 / text_elapsed.as_secs_f64().max(1e-9);
    eprintln!(
        "corpora: {docs} docs, {found} timexes, time stage at {mbs:.1} MB/s (text stage {text_mbs:.1} MB/s)"
    );
}

#[test]
fn the_verb_beside_a_weekday_decides_its_direction() {
    // Future elsewhere in the sentence, but "said Friday" looks back.
    assert_eq!(
        one("The company said Friday it will cut jobs.", DCT),
        t("Friday", "DATE", "2025-11-28")
    );
    assert_eq!(
        one("Officials said the envoys will meet on Thursday.", DCT),
        t("Thursday", "DATE", "2025-12-04")
    );
}

#[test]
fn a_clock_time_takes_the_calendar_day_after_it() {
    assert_eq!(
        one("Trading closed at 5 p.m. EST, Nov. 6, after the report.", DCT),
        t("5 p.m. EST, Nov. 6", "TIME", "2025-11-06T17:00")
    );
}

#[test]
fn a_year_ago_in_an_earnings_story_is_the_year_ago_quarter() {
    let f = found(
        "Profit rose in the third quarter. Net income was $5 million, up from $4 million a year ago.",
        Some("1989-10-26"),
    );
    assert!(
        f.iter()
            .any(|(s, _, v)| s == "a year ago" && v.as_deref() == Some("1988-Q3")),
        "{f:?}"
    );
}

#[test]
fn the_clause_verb_decides_a_month_without_a_year() {
    // "plans to" elsewhere looks ahead, but "announced" beside the month looks back.
    assert_eq!(
        one(
            "In September, it announced plans to acquire the unit.",
            "1989-10-30"
        ),
        t("September", "DATE", "1989-09")
    );
    assert_eq!(
        one("The company will open the plant in February.", "1989-10-30"),
        t("February", "DATE", "1990-02")
    );
}

#[test]
fn a_weekday_before_a_date_is_one_expression_with_its_value() {
    assert_eq!(
        one(
            "The New York Times said in an editorial on Saturday, April 25, that it disagreed.",
            "1998-04-24"
        ),
        t("Saturday, April 25", "DATE", "1998-04-25")
    );
    assert_eq!(
        one("Funds lost $14 million Friday Oct. 13 alone.", "1989-10-27"),
        t("Friday Oct. 13", "DATE", "1989-10-13")
    );
}

#[test]
fn spoken_years_of_broadcast_transcripts() {
    assert_eq!(
        one(
            "Atlanta, nineteen ninety-six: a bomb blast shocks the games.",
            "1998-02-27"
        ),
        t("nineteen ninety-six", "DATE", "1996")
    );
    assert_eq!(
        one("Computers may fail in the year two thousand.", "1998-02-27"),
        t("the year two thousand", "DATE", "2000")
    );
    // A count is not a year.
    let f = found("Two thousand people marched.", Some("1998-02-27"));
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn each_clause_takes_its_tense_from_the_parse() {
    let mut d = Document::new(
        "t",
        "Sales rose in April, but the company will open a plant in May.",
        None,
    );
    chronicle_text::split(&mut d);
    match chronicle_syntax::SyntaxStage::builtin() {
        Ok(s) => chronicle_core::Stage::run(&s, &mut d),
        Err(e) => panic!("the built-in syntax model must load: {e}"),
    }
    let tense = sentence_clause_tense(&d, 0);
    let at = |w: &str| {
        (0..d.tokens.len())
            .find(|&k| d.lower(k) == w)
            .and_then(|k| tense.get(k).copied().flatten())
    };
    assert_eq!(at("april"), Some((false, true)), "{tense:?}");
    assert_eq!(at("may"), Some((true, false)), "{tense:?}");
    // Without a syntax layer there is no clause tense: the word rules decide alone.
    let mut bare = Document::new("t", "Sales rose in April.", None);
    chronicle_text::split(&mut bare);
    assert!(sentence_clause_tense(&bare, 0).is_empty());
}

#[test]
fn halves_sets_quarters_and_vague_recent_spans() {
    assert_eq!(
        one("They lived in camps for 2 1/2 years.", DCT),
        t("2 1/2 years", "DURATION", "P2Y6M")
    );
    assert_eq!(
        one("A minute and a half later, a pilot called.", DCT),
        t("A minute and a half", "DURATION", "PT1M30S")
    );
    assert_eq!(
        one("The talks lasted two and a half days.", DCT),
        t("two and a half days", "DURATION", "P2DT12H")
    );
    assert_eq!(
        one("Orangemen march each July.", DCT),
        t("each July", "SET", "XXXX-07")
    );
    assert_eq!(
        one("Flights leave on Tuesday nights.", DCT),
        t("Tuesday nights", "SET", "XXXX-WXX-2TNI")
    );
    assert_eq!(
        one("The market is closed on Sundays.", DCT),
        t("Sundays", "SET", "XXXX-WXX-7")
    );
    assert_eq!(
        one("It must pay $100 million every quarter.", DCT),
        t("every quarter", "SET", "P1Q")
    );
    assert_eq!(
        one("The firm has had losses in the past two quarters.", DCT),
        t("the past two quarters", "DURATION", "P2Q")
    );
    assert_eq!(
        one("Kidnappings have risen in recent months.", DCT),
        t("recent months", "DURATION", "PXM")
    );
}

#[test]
fn following_and_previous_count_from_the_story_not_the_dct() {
    let f = found(
        "On May 22, 1995, Farkas was made a general, and the following year he was appointed attache.",
        Some("1998-04-18"),
    );
    assert_eq!(f.get(1).map(|x| x.2.as_deref()), Some(Some("1996")), "{f:?}");
    let f = found(
        "The bid failed in March 1989. The following month, the company put itself up for sale.",
        Some("1989-10-27"),
    );
    assert_eq!(f.get(1).map(|x| x.2.as_deref()), Some(Some("1989-04")), "{f:?}");
    // With nothing named before, the DCT is the reference.
    assert_eq!(
        one("The following year he retired.", DCT),
        t("The following year", "DATE", "2026")
    );
    // "this past spring" said in October is this year's spring.
    assert_eq!(
        one("It scrapped the unit this past spring.", "1989-10-30"),
        t("this past spring", "DATE", "1989-SP")
    );
}

#[test]
fn an_infinitive_looks_ahead_of_a_present_governor_and_back_from_a_pluperfect() {
    let parsed = |text: &str, dct: &str| {
        let dct = NaiveDate::parse_from_str(dct, "%Y-%m-%d").ok();
        let mut d = Document::new("t", text, dct);
        chronicle_text::split(&mut d);
        match chronicle_syntax::SyntaxStage::builtin() {
            Ok(s) => chronicle_core::Stage::run(&s, &mut d),
            Err(e) => panic!("the built-in syntax model must load: {e}"),
        }
        annotate(&mut d);
        d.timexes
            .iter()
            .map(|t| t.value.clone().unwrap_or_default())
            .collect::<Vec<_>>()
    };
    // 1989-11-02 is a Thursday.
    assert_eq!(
        parsed("The purchase is scheduled to close Monday.", "1989-11-02"),
        vec!["1989-11-06".to_string()]
    );
    assert_eq!(
        parsed("The offer had been due to expire Friday.", "1989-10-30"),
        vec!["1989-10-27".to_string()]
    );
}

#[test]
fn spoken_decades_and_couples() {
    assert_eq!(
        one("Prices rose in the nineties.", "1998-02-01"),
        t("the nineties", "DATE", "199")
    );
    // In 2025 "the twenties" lie in this century; "the late eighties" in the last.
    assert_eq!(
        one("Rates will fall in the twenties.", DCT),
        t("the twenties", "DATE", "202")
    );
    assert_eq!(
        one("It was built in the late eighties.", DCT),
        t("the late eighties", "DATE", "198")
    );
    assert_eq!(
        one("Output could double over the next couple of years.", DCT),
        t("the next couple of years", "DURATION", "P2Y")
    );
    assert_eq!(
        one("It came after a couple of years of decline.", DCT),
        t("a couple of years", "DURATION", "P2Y")
    );
}
