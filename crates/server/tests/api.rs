//! The API against a real SQLite file and a real server on a local port, spoken to over a
//! plain TCP socket.

mod common;

use common::talks as record;

use chronicle_store::Store;
use serde_json::Value;

/// GET `path` with extra request header lines; (status, lower-cased head, body).
fn raw_get(port: u16, path: &str, headers: &str) -> (u16, String, String) {
    common::request(("127.0.0.1", port), "GET", path, headers, b"")
}

/// GET `path`; (status, JSON body).
fn get(port: u16, path: &str) -> (u16, Value) {
    common::get_json(("127.0.0.1", port), path)
}

#[test]
fn the_api_answers_filters_pages_and_errors_in_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let mut store = Store::open(&db).expect("store");
    store
        .put_all([&record("a"), &record("b"), &record("c")])
        .expect("put");
    drop(store);

    let (_rt, port) = common::serve(db.to_string_lossy(), &Default::default());

    let (st, stats) = get(port, "/api/stats");
    assert_eq!(st, 200);
    assert_eq!(stats["articles"], 3);

    let (st, ev) = get(port, "/api/events?actor=RUS&limit=2&offset=1");
    assert_eq!(st, 200, "{ev}");
    assert_eq!(ev["count"], 2);
    assert_eq!(ev["events"][0]["article_id"], "b");
    assert_eq!(ev["events"][0]["sentence"], "Putin rejected the plan.");
    let (_, none) = get(port, "/api/events?cameo=19");
    assert_eq!(none["count"], 0);

    let (_, q) = get(port, "/api/quotes?speaker=Peskov&limit=1&offset=2");
    assert_eq!(q["count"], 1);
    assert_eq!(q["quotes"][0]["article_id"], "c");

    let (_, found) = get(port, "/api/articles?q=Peskov");
    assert_eq!(found["count"], 3);
    assert!(found["articles"][0]["snippet"]
        .as_str()
        .is_some_and(|s| s.contains("[Peskov]")));

    let (st, rec) = get(port, "/api/articles/b");
    assert_eq!(st, 200);
    assert_eq!(rec["id"], "b");
    assert_eq!(rec["quotes"][0]["speaker_text"], "Dmitry Peskov");

    let (st, err) = get(port, "/api/articles/zzz");
    assert_eq!(st, 404);
    assert!(err["error"].as_str().is_some_and(|e| e.contains("zzz")));
    let (st, err) = get(port, "/api/articles?q=AND%20AND");
    assert_eq!(st, 400);
    assert!(err["error"].as_str().is_some_and(|e| e.contains("fts5")));
    let (st, _) = get(port, "/nope");
    assert_eq!(st, 404);

    // The article list names each article.
    let (st, list) = get(port, "/api/articles?limit=2&offset=1");
    assert_eq!(st, 200);
    assert_eq!(list["count"], 2);
    assert_eq!(list["articles"][0]["id"], "b");
    assert_eq!(list["articles"][0]["title"], "Talks fail");
    assert_eq!(list["articles"][0]["published"], "2025-12-03");
    assert_eq!(list["articles"][0]["events"], 1);

    // The actor network: one edge per pair, counted by quad class, under the event filters.
    let (st, net) = get(port, "/api/network");
    assert_eq!(st, 200, "{net}");
    assert_eq!(net["total"], 1);
    assert_eq!(net["edges"][0]["source"], "RUSGOV");
    assert_eq!(net["edges"][0]["target"], "USAGOV");
    assert_eq!(net["edges"][0]["events"], 3);
    assert_eq!(net["edges"][0]["quads"], serde_json::json!([0, 0, 3, 0]));
    assert_eq!(net["nodes"].as_array().map(Vec::len), Some(2));
    let (_, one) = get(port, "/api/network?article=a");
    assert_eq!(one["edges"][0]["events"], 1);
    let (_, none) = get(port, "/api/network?cameo=19");
    assert_eq!(none["count"], 0);

    // Places: events with coordinates grouped, with the articles reporting them.
    let (st, places) = get(port, "/api/places?limit=5");
    assert_eq!(st, 200, "{places}");
    assert_eq!(places["count"], 1);
    let moscow = &places["places"][0];
    assert_eq!(moscow["name"], "Moscow");
    assert_eq!(moscow["events"], 3);
    assert_eq!(moscow["articles_total"], 3);
    assert_eq!(moscow["articles"][0]["title"], "Talks fail");
    let (st, err) = get(port, "/api/places?limit=x");
    assert_eq!(st, 400);
    assert!(
        err["error"].as_str().is_some_and(|e| e.contains("limit")),
        "{err}"
    );
    // A bounding box around Moscow holds its events; one elsewhere none; a bad one is a 400.
    let (_, inside) = get(port, "/api/events?bbox=37,55,38,56");
    assert_eq!(inside["count"], 3, "{inside}");
    let (_, outside) = get(port, "/api/places?bbox=0,0,1,1");
    assert_eq!(outside["count"], 0, "{outside}");
    let (st, err) = get(port, "/api/events?bbox=38,55,37,56");
    assert_eq!(st, 400);
    assert!(err["error"].as_str().is_some_and(|e| e.contains("bbox")), "{err}");
    let (st, err) = get(port, "/api/events?offset=-1");
    assert_eq!(st, 400);
    assert!(
        err["error"].is_string(),
        "malformed parameters are JSON errors: {err}"
    );

    // The web UI: the page, its files with their types and caching, 404 for anything else.
    let (st, head, body) = raw_get(port, "/", "");
    assert_eq!(st, 200);
    assert!(head.contains("content-type: text/html"), "{head}");
    assert!(
        head.contains("content-security-policy: default-src 'self'"),
        "{head}"
    );
    assert!(body.contains("/ui/app.js"));
    let (st, head, _) = raw_get(port, "/ui/app.js", "");
    assert_eq!(st, 200);
    assert!(head.contains("content-type: text/javascript"), "{head}");
    assert!(head.contains("cache-control: no-cache"), "{head}");
    let etag = head
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .map(str::to_string)
        .expect("an etag");
    let (st, _, body) = raw_get(port, "/ui/app.js", &format!("If-None-Match: {etag}\r\n"));
    assert_eq!((st, body.as_str()), (304, ""));
    let (st, head, _) = raw_get(port, "/ui/vendor/leaflet-1.9.4/leaflet.css", "");
    assert_eq!(st, 200);
    assert!(head.contains("content-type: text/css"), "{head}");
    assert!(head.contains("immutable"), "{head}");
    let (st, head, body) = raw_get(port, "/ui/vendor/world-atlas-2.0.2/countries-110m.json", "");
    assert_eq!(st, 200);
    assert!(head.contains("content-type: application/json"), "{head}");
    assert!(body.contains("\"countries\""));
    let (st, _, _) = raw_get(port, "/ui/../Cargo.toml", "");
    assert_eq!(st, 404);
    let (st, _, _) = raw_get(port, "/ui/vendor/", "");
    assert_eq!(st, 404);
    let (st, err) = get(port, "/api/nothing/here");
    assert_eq!(st, 404);
    assert!(err["error"].is_string(), "API 404s stay JSON: {err}");

    let (st, spec) = get(port, "/openapi.json");
    assert_eq!(st, 200);
    assert_eq!(spec["openapi"], "3.0.3");
    for p in [
        "/api/events",
        "/api/quotes",
        "/api/actors",
        "/api/articles",
        "/api/articles/{id}",
        "/api/network",
        "/api/places",
    ] {
        assert!(spec["paths"][p].is_object(), "{p} is described");
    }
}

/// A value a filter cannot mean, or a parameter an endpoint does not have, is a 400 that
/// names the parameter and what it takes, never a 200 with nothing in it; an empty value
/// (an HTML form's empty field) is no filter at all.
#[test]
fn values_a_filter_cannot_mean_and_unknown_parameters_answer_400() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let mut store = Store::open(&db).expect("store");
    store.put_all([&record("a")]).expect("put");
    drop(store);
    let (_rt, port) = common::serve(db.to_string_lossy(), &Default::default());

    for endpoint in ["/api/events", "/api/network", "/api/places"] {
        for (param, value, allowed) in [
            ("since", "yesterday", "YYYY-MM-DD"),
            ("until", "2025-13-01", "YYYY-MM-DD"),
            ("cameo", "ZZ", "01-20"),
            ("modality", "maybe", "hypothetical"),
            ("plover", "FIGHT", "ASSAULT"),
            ("bbox", "38,55,37,56", "west <= east"),
            ("clustered", "yes", "true or false"),
            ("limit", "x", "whole number"),
        ] {
            let (st, err) = get(port, &format!("{endpoint}?{param}={value}"));
            assert_eq!(st, 400, "{endpoint}?{param}={value}: {err}");
            assert_eq!(err["parameter"], param, "{err}");
            assert!(
                err["allowed"].as_str().is_some_and(|a| a.contains(allowed)),
                "{endpoint}?{param}={value}: {err}"
            );
            assert!(
                err["error"].as_str().is_some_and(|e| e.contains(value)),
                "the message names the value: {err}"
            );
        }
        // An unknown parameter names the known ones.
        let (st, err) = get(port, &format!("{endpoint}?speaker=Peskov"));
        assert_eq!(st, 400, "{err}");
        assert_eq!(err["parameter"], "speaker");
        assert!(
            err["allowed"]
                .as_str()
                .is_some_and(|a| a.contains("modality") && a.contains("bbox")),
            "{err}"
        );
        // Empty values are absent, as the UI's forms leave them.
        let (st, ok) = get(
            port,
            &format!("{endpoint}?since=&until=&cameo=&modality=&clustered="),
        );
        assert_eq!(st, 200, "{endpoint}: {ok}");
    }
    // Valid values of the same filters still select: a month prefix, any case.
    let (st, ev) = get(
        port,
        "/api/events?since=2025-12&until=2025&modality=ASSERTED&plover=reject&cameo=12",
    );
    assert_eq!((st, &ev["count"]), (200, &serde_json::json!(1)), "{ev}");
    let (st, err) = get(port, "/api/events?since=2025-12-05&until=2025-11");
    assert_eq!(st, 400, "{err}");
    assert_eq!(err["parameter"], "since");
    let (st, err) = get(port, "/api/events?cameo=12&cameo=19");
    assert_eq!(st, 400, "a repeated parameter is refused: {err}");

    for (path, param, known) in [
        ("/api/quotes?cameo=19", "cameo", "speaker"),
        ("/api/actors?speaker=x", "speaker", "name"),
        ("/api/articles?text=x", "text", "q"),
    ] {
        let (st, err) = get(port, path);
        assert_eq!(st, 400, "{path}: {err}");
        assert_eq!(err["parameter"], param, "{err}");
        assert!(
            err["allowed"].as_str().is_some_and(|a| a.contains(known)),
            "{err}"
        );
    }
    let (st, err) = get(port, "/api/quotes?offset=many");
    assert_eq!(st, 400, "{err}");
    assert_eq!(err["parameter"], "offset");

    // The description names what each filter takes.
    let (_, spec) = get(port, "/openapi.json");
    let params = spec["paths"]["/api/events"]["get"]["parameters"].to_string();
    for allowed in ["hypothetical", "ASSAULT", "YYYY-MM-DD", "01-20"] {
        assert!(params.contains(allowed), "openapi lacks {allowed}");
    }
    // The parameters described are the filters' own definition, every one of them, and
    // each one described is taken.
    for (path, names) in [
        ("/api/events", chronicle_store::EventFilter::param_names()),
        ("/api/network", chronicle_store::EventFilter::param_names()),
        ("/api/quotes", chronicle_store::QuoteFilter::param_names()),
    ] {
        let described: std::collections::BTreeSet<&str> = spec["paths"][path]["get"]["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        let defined: std::collections::BTreeSet<&str> = names.into_iter().collect();
        assert_eq!(described, defined, "{path}");
    }
    let (st, err) = get(
        port,
        "/api/events?after=0&min_confidence=0&clustered=false&bbox=-180,-90,180,90&offset=0",
    );
    assert_eq!(st, 200, "described parameters are taken: {err}");
}

#[test]
fn a_sentence_parse_is_computed_from_the_stored_text_and_unknowns_are_404s() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.db");
    let mut store = Store::open(&db).expect("store");
    store.put_all([&record("a")]).expect("put");
    drop(store);
    let (_rt, port) = common::serve(db.to_string_lossy(), &Default::default());

    let text: Vec<char> = record("a").text.chars().collect();
    for (n, span) in record("a").sentences.iter().enumerate() {
        let (st, p) = get(port, &format!("/api/articles/a/sentences/{}/parse", n + 1));
        assert_eq!(st, 200, "{p}");
        assert_eq!(p["sentence"], n + 1);
        assert_eq!(
            (p["start"].as_u64(), p["end"].as_u64()),
            (Some(span[0].into()), Some(span[1].into()))
        );
        let toks = p["tokens"].as_array().expect("tokens");
        assert!(toks.len() >= 4, "{p}");
        let mut roots = 0;
        for (k, t) in toks.iter().enumerate() {
            assert_eq!(t["id"], k + 1);
            let (a, b) = (
                t["start"].as_u64().expect("start") as usize,
                t["end"].as_u64().expect("end") as usize,
            );
            assert!(
                a >= span[0] as usize && b <= span[1] as usize,
                "token inside its sentence"
            );
            assert_eq!(
                t["text"].as_str(),
                Some(text[a..b].iter().collect::<String>().as_str())
            );
            let head = t["head"].as_u64().expect("head");
            assert!(head as usize <= toks.len() && head as usize != k + 1);
            if head == 0 {
                roots += 1;
                assert_eq!(t["rel"], "root");
            }
            for key in ["upos", "xpos", "lemma", "rel"] {
                assert!(t[key].as_str().is_some_and(|v| !v.is_empty()), "{key} in {t}");
            }
        }
        assert_eq!(roots, 1, "{p}");
    }
    let (_, p) = get(port, "/api/articles/a/sentences/1/parse");
    let verb = p["tokens"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["text"] == "rejected"))
        .expect("the verb");
    assert_eq!(verb["upos"], "VERB", "{p}");
    assert_eq!(verb["lemma"], "reject", "{p}");

    let (st, e) = get(port, "/api/articles/nope/sentences/1/parse");
    assert_eq!(st, 404);
    assert!(e["error"].as_str().is_some_and(|m| m.contains("nope")), "{e}");
    let (st, e) = get(port, "/api/articles/a/sentences/3/parse");
    assert_eq!(st, 404);
    assert!(
        e["error"].as_str().is_some_and(|m| m.contains("sentence 3")),
        "{e}"
    );
    let (st, e) = get(port, "/api/articles/a/sentences/0/parse");
    assert_eq!(st, 400, "{e}");
    assert!(e["error"].as_str().is_some_and(|m| m.contains("from 1")), "{e}");
}

#[test]
fn min_confidence_filters_events_and_unscored_or_out_of_range_values_are_handled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let mut store = Store::open(&db).expect("store");
    let mut sure = record("sure");
    sure.events[0].confidence = Some(0.8);
    let mut doubtful = record("doubtful");
    doubtful.events[0].confidence = Some(0.45);
    // A record from before confidence was computed: no figure, never passes a filter.
    let unscored = record("unscored");
    store.put_all([&sure, &doubtful, &unscored]).expect("put");
    drop(store);

    let (_rt, port) = common::serve(db.to_string_lossy(), &Default::default());

    let (st, all) = get(port, "/api/events");
    assert_eq!(st, 200, "{all}");
    assert_eq!(all["count"], 3);
    assert_eq!(all["events"][0]["confidence"], 0.8);
    assert_eq!(all["events"][2]["confidence"], Value::Null);

    let (st, high) = get(port, "/api/events?min_confidence=0.5");
    assert_eq!(st, 200, "{high}");
    let ids: Vec<&str> = high["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["article_id"].as_str())
        .collect();
    assert_eq!(ids, ["sure"]);
    // The bound is inclusive at the stored two decimals.
    let (_, edge) = get(port, "/api/events?min_confidence=0.45");
    assert_eq!(edge["count"], 2, "{edge}");

    for bad in ["1.5", "-0.1", "high"] {
        let (st, err) = get(port, &format!("/api/events?min_confidence={bad}"));
        assert_eq!(st, 400, "{bad}: {err}");
    }
}

#[test]
fn a_reported_event_carries_its_reporter_in_event_rows_and_the_article() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let mut store = Store::open(&db).expect("store");
    // Built by hand: the events stage decides reporters, the API only has to carry them.
    let mut reported = record("reported");
    reported.events[0].modality = "reported".into();
    reported.events[0].reporter = serde_json::from_value(serde_json::json!(
        {"entity": null, "code": "RUSGOV", "text": "Peskov", "span": [31, 37]}
    ))
    .ok();
    let asserted = record("asserted");
    store.put_all([&reported, &asserted]).expect("put");
    drop(store);

    let (_rt, port) = common::serve(db.to_string_lossy(), &Default::default());

    // Event rows: flat, as source_code/source_text are.
    let (st, all) = get(port, "/api/events");
    assert_eq!(st, 200, "{all}");
    let rows = all["events"].as_array().expect("events");
    let by = |id: &str| rows.iter().find(|e| e["article_id"] == id).expect("a row");
    assert_eq!(by("reported")["reporter_code"], "RUSGOV");
    assert_eq!(by("reported")["reporter_text"], "Peskov");
    assert_eq!(
        by("reported")["source_text"],
        "Putin",
        "the dyad is the event's own"
    );
    assert_eq!(by("asserted")["reporter_code"], Value::Null);
    // The article: the record's event object, shaped as source/target.
    let (st, art) = get(port, "/api/articles/reported");
    assert_eq!(st, 200, "{art}");
    assert_eq!(
        art["events"][0]["reporter"],
        serde_json::json!({"entity": null, "code": "RUSGOV", "text": "Peskov", "span": [31, 37]})
    );
    let (_, plain) = get(port, "/api/articles/asserted");
    let ev = plain["events"][0].as_object().expect("an event");
    assert_eq!(ev.get("reporter"), Some(&Value::Null), "present and null");
}
