//! Behaviour of the quote stage on hand-built documents (see `common` for the tokenizer).

mod common;

use chronicle_core::{Document, MentionKind, Quote, QuoteKind, Severity, Stage};
use chronicle_quotes::{cue_words, is_cue_word, QuoteStage};
use common::{add_entity, doc};

fn run(text: &str) -> Document {
    let mut d = doc(text);
    QuoteStage::new().run(&mut d);
    d
}

fn dump(d: &Document) {
    for q in &d.quotes {
        eprintln!(
            "{:?} [{}] speaker={:?} cue={:?}",
            q.kind,
            content(d, q),
            q.speaker_span.map(|s| d.slice(s)),
            q.cue.map(|s| d.slice(s))
        );
    }
}

/// A quote's text without the quotation marks that open or close it (direct quotes' spans
/// include their marks, as attribution corpora mark them).
fn content<'a>(d: &'a Document, q: &Quote) -> &'a str {
    d.slice(q.span)
        .trim_matches(|c: char| c.is_whitespace() || "\"'“”‘’«»„‚‹›".contains(c))
}

fn find_q<'a>(d: &'a Document, content_start: &str) -> &'a Quote {
    dump(d);
    d.quotes
        .iter()
        .find(|q| content(d, q).starts_with(content_start))
        .unwrap_or_else(|| panic!("no quote starting with {content_start:?}"))
}

fn speaker(d: &Document, q: &Quote) -> String {
    q.speaker_span.map(|s| d.slice(s).to_string()).unwrap_or_default()
}

fn cue(d: &Document, q: &Quote) -> String {
    q.cue.map(|s| d.slice(s).to_string()).unwrap_or_default()
}

#[test]
fn colon_introduced_direct_quote() {
    let d = run("The minister said: “We will not give up an inch of our land.”");
    let q = find_q(&d, "We will");
    assert_eq!(content(&d, q), "We will not give up an inch of our land.");
    assert_eq!(q.kind, QuoteKind::Direct);
    assert_eq!(speaker(&d, q), "The minister");
    assert_eq!(cue(&d, q), "said");
}

#[test]
fn inverted_attribution_after_quote() {
    let d = run("“The talks were useful and we will meet again,” said Sergei Lavrov. Nothing else happened.");
    let q = find_q(&d, "The talks");
    assert_eq!(content(&d, q), "The talks were useful and we will meet again,");
    assert_eq!(q.kind, QuoteKind::Direct);
    assert_eq!(speaker(&d, q), "Sergei Lavrov");
    let d = run("\"We are ready for a deal today,\" the senator told reporters.");
    let q = find_q(&d, "We are");
    assert_eq!(speaker(&d, q), "the senator");
    assert_eq!(cue(&d, q), "told");
}

#[test]
fn indirect_with_that() {
    let d = run("Ushakov said that the talks had been constructive. The weather was fine.");
    assert_eq!(d.quotes.len(), 1);
    let q = find_q(&d, "that the talks");
    assert_eq!(content(&d, q), "that the talks had been constructive");
    assert_eq!(q.kind, QuoteKind::Indirect);
    assert_eq!(speaker(&d, q), "Ushakov");
}

#[test]
fn scare_quote_makes_mixed_quote() {
    let d = run("Kremlin spokesman Dmitry Peskov insisted on Wednesday it was “not correct” to claim Putin had rejected the plan.");
    assert_eq!(
        d.quotes.len(),
        1,
        "the scare quote must not be a quote of its own"
    );
    let q = &d.quotes[0];
    assert_eq!(
        content(&d, q),
        "it was “not correct” to claim Putin had rejected the plan"
    );
    assert_eq!(q.kind, QuoteKind::Mixed);
    assert!(speaker(&d, q).ends_with("Dmitry Peskov"), "{}", speaker(&d, q));
    assert_eq!(cue(&d, q), "insisted");
}

#[test]
fn scare_quote_in_narration_is_not_a_quote() {
    let d = run("The “shocking” plan was published in the morning papers.");
    assert!(d.quotes.is_empty());
}

#[test]
fn mixed_without_that_and_while_boundary() {
    let d = run("Tsahkna said it was “pretty obvious that Putin doesn’t want peace,” while Finland’s Elina Valtonen noted Russia had made “no concessions” and called for a ceasefire.");
    let q = find_q(&d, "it was");
    // A mixed quote keeps the closing mark of its quoted end.
    assert_eq!(
        d.slice(q.span),
        "it was “pretty obvious that Putin doesn’t want peace,”"
    );
    assert_eq!(q.kind, QuoteKind::Mixed);
    let q = find_q(&d, "Russia had");
    assert_eq!(q.kind, QuoteKind::Mixed);
    assert!(speaker(&d, q).contains("Valtonen"));
    assert_eq!(cue(&d, q), "noted");
}

#[test]
fn parenthetical_cue() {
    let d = run("Without territorial concessions from Kyiv, Ushakov said, the Kremlin sees “no resolution to the crisis.”");
    assert_eq!(d.quotes.len(), 1);
    let q = &d.quotes[0];
    assert_eq!(q.kind, QuoteKind::Mixed);
    assert!(content(&d, q).starts_with("Without territorial"));
    assert!(d.slice(q.span).ends_with("crisis.”"));
    assert_eq!(speaker(&d, q), "Ushakov");
}

#[test]
fn inverted_indirect_and_unnamed_source() {
    let d = run("The campaign changed course to avoid the doctors, a source said.");
    let q = find_q(&d, "The campaign");
    assert_eq!(content(&d, q), "The campaign changed course to avoid the doctors");
    assert_eq!(q.kind, QuoteKind::Indirect);
    assert_eq!(speaker(&d, q), "a source");
    assert_eq!(q.speaker, None);
    let d = run("Russia is winning on the battlefield, analysts say.");
    assert_eq!(speaker(&d, &d.quotes[0]), "analysts");
    let d = run("The deal is off, a source familiar with the matter said on Friday.");
    let q = find_q(&d, "The deal");
    assert_eq!(content(&d, q), "The deal is off");
    assert_eq!(speaker(&d, q), "a source familiar with the matter");
    let d = run(
        "“Subpoenas are not optional,” panel Chairman Rep. Jason Chaffetz (R-Utah) said after the hearing.",
    );
    let q = find_q(&d, "Subpoenas");
    assert_eq!(q.kind, QuoteKind::Direct);
    assert_eq!(speaker(&d, q), "panel Chairman Rep. Jason Chaffetz (R-Utah)");
}

#[test]
fn according_to() {
    let d = run("According to the daily, the envoy left Moscow on Tuesday.");
    let q = find_q(&d, "the envoy");
    assert_eq!(content(&d, q), "the envoy left Moscow on Tuesday");
    assert_eq!(speaker(&d, q), "the daily");
    assert_eq!(cue(&d, q), "According to");
    let d = run("The envoy left Moscow on Tuesday, according to two officials.");
    let q = find_q(&d, "The envoy");
    assert_eq!(content(&d, q), "The envoy left Moscow on Tuesday");
    assert_eq!(speaker(&d, q), "two officials");
}

#[test]
fn apposition_speaker_and_two_paragraph_quote() {
    let text = "Speaking this week, Yuriy Boyechko, CEO of the Hope For Ukraine think tank, warned: “The talks are a strategic play to weaken support.\n“He views Ukraine as a “basis for future agreements,” and a threat that must be neutralised.”\nThe human cost continued.";
    let d = run(text);
    assert_eq!(d.quotes.len(), 1, "one quote across both paragraphs");
    let q = &d.quotes[0];
    assert_eq!(q.kind, QuoteKind::Direct);
    assert!(content(&d, q).starts_with("The talks are"));
    assert!(content(&d, q).ends_with("must be neutralised."));
    assert!(content(&d, q).contains('\n'));
    assert_eq!(speaker(&d, q), "Yuriy Boyechko");
    assert_eq!(cue(&d, q), "warned");
}

#[test]
fn participle_cue_takes_subject_and_pronoun_resolves() {
    let text = "Dmitry Peskov spoke to reporters. He added that the talks were a normal process, noting: “Some things were accepted, some things were marked as unacceptable.”";
    let mut d = doc(text);
    let id = add_entity(
        &mut d,
        "Dmitry Peskov",
        &[
            ("Dmitry Peskov", 0, MentionKind::Name),
            ("He", 0, MentionKind::Pronoun),
        ],
    );
    QuoteStage::new().run(&mut d);
    let q = find_q(&d, "that the talks");
    assert_eq!(content(&d, q), "that the talks were a normal process");
    assert_eq!(q.kind, QuoteKind::Indirect);
    assert_eq!(q.speaker, Some(id));
    let q = find_q(&d, "Some things");
    assert_eq!(q.kind, QuoteKind::Direct);
    assert_eq!(speaker(&d, q), "He");
    assert_eq!(cue(&d, q), "noting");
    assert_eq!(q.speaker, Some(id));
}

#[test]
fn interrupted_quote_is_one_utterance_with_two_fragments() {
    let d =
        run("“It was a disaster,” Smith said. “Nobody wanted this outcome at all.”\nThe next day was calm.");
    assert_eq!(d.quotes.len(), 1);
    let q = &d.quotes[0];
    assert_eq!(speaker(&d, q), "Smith");
    assert_eq!(cue(&d, q), "said");
    let pieces: Vec<&str> = q.pieces().iter().map(|s| d.slice(*s)).collect();
    assert_eq!(
        pieces,
        ["“It was a disaster,”", "“Nobody wanted this outcome at all.”"]
    );
    assert_eq!(
        d.slice(q.span),
        "“It was a disaster,” Smith said. “Nobody wanted this outcome at all.”"
    );
}

#[test]
fn quote_without_cue_borrows_previous_sentence_speaker() {
    let d = run(
        "Smith said the plan had failed badly. “Nobody wanted this outcome at all.”\nThe next day was calm.",
    );
    let q = find_q(&d, "Nobody");
    assert_eq!(speaker(&d, q), "Smith");
    assert_eq!(cue(&d, q), "said");
}

#[test]
fn paragraph_of_quote_continues_previous_speaker() {
    let d = run("“We are ready,” said Jones.\n“We have been ready for a very long time.”");
    let q = find_q(&d, "We have");
    assert_eq!(speaker(&d, q), "Jones");
}

#[test]
fn styles_of_marks() {
    for (text, want) in [
        (
            "Er sagte: „Wir werden das schaffen, ganz sicher.“",
            "Wir werden das schaffen, ganz sicher.",
        ),
        (
            "Il a dit : « Nous allons gagner cette guerre bientôt. »",
            "Nous allons gagner cette guerre bientôt.",
        ),
        (
            "She said: \"The vote will happen next week.\"",
            "The vote will happen next week.",
        ),
        (
            "She said: ‘The vote will happen next week.’",
            "The vote will happen next week.",
        ),
    ] {
        let d = run(text);
        dump(&d);
        assert_eq!(d.quotes.len(), 1, "{text}");
        assert_eq!(content(&d, &d.quotes[0]).trim(), want, "{text}");
        assert_eq!(d.quotes[0].kind, QuoteKind::Direct);
    }
}

#[test]
fn unpaired_marks_degrade() {
    let d = run("He said: “This never ends and nobody closes it\nNext paragraph here.");
    let q = find_q(&d, "This never");
    assert_eq!(content(&d, q), "This never ends and nobody closes it");
    assert!(d.diagnostics.iter().any(|x| x.severity == Severity::Warning));
    let d = run("Stray close” mark here. And “another open");
    assert!(d.diagnostics.len() >= 2, "{:?}", d.diagnostics);
    for t in [
        "",
        "“",
        "”",
        "“”",
        "said",
        ", said",
        "“ said ”",
        "according to",
        "He said: “",
    ] {
        let _ = run(t); // must not panic
    }
}

#[test]
fn transcript_label() {
    let d = run("WALLACE: Let us start with the breaking news on the debate story tonight.\nPENCE: Well, look, that is simply not true.");
    let q = find_q(&d, "Let us");
    assert_eq!(
        content(&d, q),
        "Let us start with the breaking news on the debate story tonight"
    );
    assert_eq!(speaker(&d, q), "WALLACE");
    assert_eq!(cue(&d, q), ":");
    let q = find_q(&d, "Well");
    assert_eq!(speaker(&d, q), "PENCE");
}

#[test]
fn learned_cue_needs_a_clause() {
    let d = run("Putin had rejected the plan on Tuesday.");
    assert!(d.quotes.is_empty(), "an object is not reported speech");
    let d = run("Putin rejected claims that the talks had failed.");
    assert!(d.quotes.iter().all(|q| content(&d, q) != "the plan"));
}

#[test]
fn dateline_and_possessive_statement() {
    let d = run("WASHINGTON ― The obsession is an insult to all Americans, top lawmakers said on Friday.");
    let q = find_q(&d, "The obsession");
    assert_eq!(content(&d, q), "The obsession is an insult to all Americans");
    assert_eq!(speaker(&d, q), "top lawmakers");
    let d = run("Critics rejected Peskov’s statement that the talks had been constructive.");
    let q = find_q(&d, "that the talks");
    assert_eq!(content(&d, q), "that the talks had been constructive");
    assert_eq!(speaker(&d, q), "Peskov");
    assert_eq!(cue(&d, q), "statement");
}

#[test]
fn cue_table() {
    assert!(is_cue_word("said"));
    assert!(is_cue_word("tweeted"));
    assert!(!is_cue_word("has"));
    assert!(!is_cue_word("previously"));
    assert!(cue_words().len() > 80);
}

/// Prints what the stage finds in `$QUOTES_TEXT` (a development aid; passes when unset).
#[test]
fn debug_text() {
    let Ok(text) = std::env::var("QUOTES_TEXT") else {
        return;
    };
    let mut d = Document::new("dbg", text.replace("\\n", "\n"), None);
    if std::env::var("QUOTES_TOKENIZER").as_deref() == Ok("test") {
        common::annotate(&mut d);
    } else {
        chronicle_text::TextStage::new().run(&mut d);
    }
    for s in &d.sentences {
        eprintln!("SENT p{} [{}]", s.paragraph, d.slice(s.span));
    }
    QuoteStage::new().run(&mut d);
    dump(&d);
    assert!(d.quotes.iter().all(|q| q.span.end <= d.char_len()));
}

/// Random soups of marks, cues, names and line breaks: never a panic, every span in range.
#[test]
fn random_text_never_panics() {
    const PIECES: &[&str] = &[
        "“",
        "”",
        "\"",
        "‘",
        "’",
        "'",
        "''",
        "«",
        "»",
        "„",
        ",",
        ".",
        ":",
        " ",
        " ",
        " ",
        "\n",
        "said",
        "told",
        "according",
        "to",
        "that",
        "he",
        "Putin",
        "Mr",
        "the",
        "analysts",
        "(",
        ")",
        "—",
        "added",
        "noting",
        "statement",
        "’s",
        "WALLACE",
        "on",
        "Friday",
        "who",
        "been",
        "claimed",
        "é",
        "日本",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..3000 {
        let mut text = String::new();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let n = (seed % 60) as usize;
        for _ in 0..n {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            if seed % 3 == 1 {
                text.push(' ');
            }
        }
        let d = run(&text);
        for q in &d.quotes {
            assert!(
                q.span.start < q.span.end && q.span.end <= d.char_len(),
                "{text:?}"
            );
            for s in [q.speaker_span, q.cue].into_iter().flatten() {
                assert!(s.end <= d.char_len() && s.start <= s.end, "{text:?}");
            }
        }
    }
}

#[test]
fn attribution_sentence_after_a_question() {
    let d =
        run("“How many times do we have to see this?” Clinton said. “In Tulsa, an unarmed man was shot.”");
    assert_eq!(d.quotes.len(), 1, "one utterance");
    let q = &d.quotes[0];
    assert_eq!(speaker(&d, q), "Clinton");
    assert_eq!(cue(&d, q), "said");
    assert_eq!(q.pieces().len(), 2);
    let d = run("“Will it ever end?” asked Sen. Warren. The hearing went on.");
    let q = find_q(&d, "Will it");
    assert_eq!(speaker(&d, q), "Sen. Warren");
}

#[test]
fn person_and_unknown_verb_after_a_quote() {
    let mut d = doc("“Promise mama you’ll keep your hands in sight,” Blige sings to Clinton.");
    add_entity(&mut d, "Blige", &[("Blige", 0, MentionKind::Name)]);
    QuoteStage::new().run(&mut d);
    let q = find_q(&d, "Promise mama");
    assert_eq!(speaker(&d, q), "Blige");
    assert_eq!(cue(&d, q), "sings");
    // Without a person entity the capitalised word is not taken as a speaker.
    let d = run("“We will march on,” Trump supporters chanted outside.");
    let q = find_q(&d, "We will");
    assert_ne!(speaker(&d, q), "Trump");
}

#[test]
fn title_words_between_the_quote_and_the_name_belong_to_the_speaker() {
    let d =
        run("“She will be out there campaigning,” Clinton campaign spokesman Brian Fallon said on Monday.");
    let q = find_q(&d, "She will");
    assert_eq!(speaker(&d, q), "Clinton campaign spokesman Brian Fallon");
    assert_eq!(cue(&d, q), "said");
    let d = run("\"The economy has moved sideways,\" said chief economist Maury Obstfeld.");
    let q = find_q(&d, "The economy");
    assert_eq!(speaker(&d, q), "chief economist Maury Obstfeld");
    // A verb between the mark and the name is no title: the chain must reach the mark.
    let d = run("“It is over,” he told reporters. Analyst Maury Obstfeld said nothing.");
    let q = find_q(&d, "It is over");
    assert_eq!(speaker(&d, q), "he");
}

#[test]
fn the_person_before_an_apposition_or_tail_is_the_resolved_speaker() {
    let text = "\"It was the least bad outcome,\" Mr. Morgan of the Sierra Club said. \"A waste of time,\" said one Democratic source on the panel.";
    let mut d = doc(text);
    let morgan = add_entity(&mut d, "Morgan", &[("Morgan", 0, MentionKind::Name)]);
    let club = add_entity(&mut d, "Sierra Club", &[("Sierra Club", 0, MentionKind::Name)]);
    QuoteStage::new().run(&mut d);
    let q = find_q(&d, "It was");
    assert_eq!(speaker(&d, q), "Mr. Morgan of the Sierra Club");
    assert_eq!(q.speaker, Some(morgan));
    assert_ne!(q.speaker, Some(club));
    let q = find_q(&d, "A waste");
    assert_eq!(speaker(&d, q), "one Democratic source on the panel");
    assert_eq!(q.speaker, None, "an unnamed source stays unnamed");
}

#[test]
fn a_participle_cue_reports_for_the_subject_not_the_noun_before_it() {
    let d =
        run("Trump unleashed a series of tweets early Friday saying that his rival had shown bad judgment.");
    let q = find_q(&d, "that his rival");
    assert_eq!(speaker(&d, q), "Trump");
    assert_eq!(cue(&d, q), "saying");
    let d = run("The council issued a statement on Monday warning that the test was a clear violation.");
    let q = find_q(&d, "that the test");
    assert_eq!(speaker(&d, q), "The council");
    // With an auxiliary the noun before it is the subject as usual.
    let d = run("The minister was saying that the talks would resume.");
    let q = find_q(&d, "that the talks");
    assert_eq!(speaker(&d, q), "The minister");
}

#[test]
fn a_quote_stops_where_the_next_speakers_words_begin() {
    // A flattened text (BBC): the paragraph breaks of two multi-paragraph quotes are gone,
    // and the first quote is never closed before the second paragraph's mark.
    let d = run(concat!(
        "Des Browne quoted the plan as saying: \"We will screen for TB at the entry stage. ",
        "\"Those who are diagnosed would need treatment at home.\" Meanwhile Mark Oaten said: ",
        "\"This is another worrying step. \"Michael Howard knows what game he is playing.\""
    ));
    dump(&d);
    let Some(browne) = d
        .quotes
        .iter()
        .find(|q| content(&d, q).contains("We will screen"))
    else {
        panic!("no quote holds Browne's words");
    };
    assert!(!content(&d, browne).contains("Oaten"), "{}", content(&d, browne));
    assert!(speaker(&d, browne).contains("Browne"));
    let oaten = find_q(&d, "This is another");
    assert!(speaker(&d, oaten).contains("Oaten"), "{}", speaker(&d, oaten));
    let howard = find_q(&d, "Michael Howard knows");
    assert!(speaker(&d, howard).contains("Oaten"), "{}", speaker(&d, howard));
    assert!(d
        .quotes
        .iter()
        .all(|q| !(content(&d, q).contains("screen") && content(&d, q).contains("game"))));
}

#[test]
fn a_dateline_with_its_date_is_neither_content_nor_speaker() {
    for text in [
        "MOSCOW, Dec 3 - Russia is winning the war in the east, the Kremlin said.",
        "MOSCOW, Dec. 3 (Reuters) - Russia is winning the war in the east, the Kremlin said.",
        "MOSCOW - Russia is winning the war in the east, the Kremlin said.",
    ] {
        let d = run(text);
        let q = find_q(&d, "Russia is winning");
        assert_eq!(content(&d, q), "Russia is winning the war in the east", "{text}");
        assert!(speaker(&d, q).contains("Kremlin"), "{text}");
    }
}

#[test]
fn inverted_speakers_with_a_possessive_an_adverb_or_a_number_in_their_title() {
    for (text, who) in [
        ("“They are wrong and will lose,” my father said.", "my father"),
        (
            "“They are wrong and will lose,” his father often said.",
            "his father",
        ),
        (
            "“They are 100 percent wrong,” said 9/11 widow Terry Strada.",
            "9/11 widow Terry Strada",
        ),
    ] {
        let d = run(text);
        let q = find_q(&d, "They are");
        assert_eq!(speaker(&d, q), who, "{text}");
        assert_eq!(cue(&d, q), "said", "{text}");
    }
}
