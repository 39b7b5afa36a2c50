//! The HTTP service: the router driven through `tower::ServiceExt::oneshot`
//! (no socket), every answer checked against the OpenAPI document, random
//! requests that must never get a 5xx, and the real binary on a real port
//! while another process re-indexes underneath it.

mod util;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use citeindex::{Cors, Index, Shared, SiteLinks};
use proptest::prelude::*;
use serde_json::Value;
use tower::ServiceExt;
use util::{Env, Server, get, highlighted, url_encode};

fn open(env: &Env) -> Index {
    let corpus = citeindex::Site::open(&env.corpus, &Default::default()).unwrap();
    Index::open(&corpus, &env.index, &citeindex::IndexOptions::default())
        .unwrap()
        .0
}

fn router(env: &Env, cors: &Cors) -> (Router, Arc<Shared>) {
    let shared = Shared::new(open(env), SiteLinks::default());
    (citeindex::app(shared.clone(), cors), shared)
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn call(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

fn q(text: &str) -> String {
    url_encode(text)
}

#[tokio::test]
async fn search_answers_with_the_clis_json_shapes() {
    let env = Env::seed();
    let (app, _) = router(&env, &Cors::Any);
    let answer = call(
        &app,
        &format!("/api/search?q={}", q("“collective bargaining”")),
        &[],
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let body = answer.json();
    let cli = env.json(&["search", "“collective bargaining”"]);
    assert_eq!(body, cli, "the API and `search --json` differ");
    let hit = &body["hits"][0];
    assert_eq!(hit["id"], "jail-court-solidarity-actions#p4");
    assert_eq!(highlighted(hit), ["collective bargaining"]);
    assert_eq!(hit["excerpted_from"]["authors"][0], "Kris Hermes");
    assert!(
        hit["citation"]
            .as_str()
            .unwrap()
            .starts_with("Kris Hermes, “Collective Action Behind Bars")
    );

    // Paging and the source filter, by any name.
    let page = call(
        &app,
        "/api/search?q=solidarity&limit=2&offset=1&source=JCLC",
        &[],
    )
    .await
    .json();
    assert_eq!(page["offset"], 1);
    assert_eq!(page["total"], 2);
    assert_eq!(page["hits"].as_array().unwrap().len(), 1);
}

/// `group=page`: each page once, with its title, URL, authors and date,
/// its best passages and the rest behind "more"; limit and offset count
/// pages.
#[tokio::test]
async fn search_groups_passages_by_page() {
    let env = Env::seed();
    env.write(
        "second.md",
        b"---\ntitle: A Second Page\nauthor: Ada Byron\ndate: 2020-05-01\n---\n\n\
          Jail solidarity is named here once.\n\nAnd jail solidarity again, in a second paragraph.\n",
    );
    let (app, _) = router(&env, &Cors::Any);
    let flat = call(&app, "/api/search?q=solidarity&limit=100", &[])
        .await
        .json();
    let answer = call(&app, "/api/search?q=solidarity&group=page", &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let body = answer.json();
    let pages = body["pages"].as_array().unwrap();
    assert_eq!(body["total"], flat["total"]);
    assert_eq!(body["total_pages"], 2);
    assert_eq!(pages.len(), 2);
    let mut ids = Vec::new();
    for group in pages {
        let shown = group["hits"].as_array().unwrap();
        let more = group["more"].as_array().unwrap();
        assert!(!shown.is_empty() && shown.len() <= citeindex::SHOWN);
        for hit in shown.iter().chain(more) {
            assert_eq!(hit["page"]["path"], group["page"]["path"]);
            ids.push(hit["id"].as_str().unwrap().to_string());
        }
        assert_eq!(
            group["matches"].as_u64().unwrap() as usize,
            shown.len() + more.len()
        );
    }
    // The same passages as the flat list, each once.
    let mut flat_ids = util::hit_ids(&flat);
    flat_ids.sort();
    ids.sort();
    assert_eq!(ids, flat_ids);
    let second = pages
        .iter()
        .find(|g| g["page"]["title"] == "A Second Page")
        .expect("the second page");
    assert_eq!(second["authors"][0], "Ada Byron");
    assert_eq!(second["date"], "2020-05-01");
    assert_eq!(second["matches"], 2);

    // Paging counts pages.
    let rest = call(
        &app,
        "/api/search?q=solidarity&group=page&limit=1&offset=1",
        &[],
    )
    .await
    .json();
    assert_eq!(rest["pages"].as_array().unwrap().len(), 1);
    assert_eq!(rest["pages"][0]["page"]["path"], pages[1]["page"]["path"]);
    // Each passage cited in the style asked for, in either mode.
    for mode in ["group=page", "group=passage"] {
        let cited = call(
            &app,
            &format!("/api/search?q=solidarity&{mode}&style=mla"),
            &[],
        )
        .await
        .json();
        let hits: Vec<&Value> = match cited["pages"].as_array() {
            Some(pages) => pages
                .iter()
                .flat_map(|g| {
                    g["hits"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .chain(g["more"].as_array().unwrap())
                })
                .collect(),
            None => cited["hits"].as_array().unwrap().iter().collect(),
        };
        assert!(!hits.is_empty());
        for hit in hits {
            assert_eq!(hit["cited"]["style"], "mla", "{mode}: {hit}");
            assert!(!hit["cited"]["html"].as_str().unwrap().is_empty());
        }
    }
    for bad in [
        "group=pages",
        "group=page&limit=101",
        "group=page&limit=0",
        "style=harvard",
    ] {
        let answer = call(&app, &format!("/api/search?q=jail&{bad}"), &[]).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{bad}: {}",
            answer.text()
        );
        assert!(answer.json()["error"]["message"].as_str().is_some());
    }
}

/// A query that reads as a sentence and stands nowhere as typed gets the
/// quote look-up's close matches with their diff, or the nearest passages;
/// a query that is not a sentence, or whose words stand as typed, gets none.
#[tokio::test]
async fn a_misremembered_sentence_gets_its_close_match_not_an_empty_list() {
    let env = Env::seed();
    let (app, _) = router(&env, &Cors::Any);
    let ask = |query: &str| {
        let app = app.clone();
        let uri = format!("/api/search?group=page&q={}", q(query));
        async move {
            let answer = call(&app, &uri, &[]).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
            answer.json()
        }
    };
    for query in [
        "particularly when defendants are very well organized and similar",
        "“particularly when defendants are very well organized”",
    ] {
        let body = ask(query).await;
        assert_eq!(body["total"], 0, "{query}");
        let quote = &body["quote"];
        assert_eq!(quote["status"], "close", "{query}: {quote}");
        let first = &quote["matches"][0];
        assert_eq!(first["passage"]["id"], "jail-court-solidarity-actions#p8");
        assert!(
            first["wording"]
                .as_str()
                .unwrap()
                .starts_with("particularly when the defendants are well-organized")
        );
        let ops: Vec<&str> = first["diff"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["op"].as_str().unwrap())
            .collect();
        assert!(
            ops.contains(&"insert") && ops.contains(&"delete"),
            "{ops:?}"
        );
    }
    // Nothing close: the nearest passages instead of an empty list.
    let body = ask("prisoners always organise solidarity with the judges").await;
    assert_eq!(body["total"], 0);
    assert_eq!(body["quote"]["status"], "not-found");
    assert!(!body["quote"]["nearest"].as_array().unwrap().is_empty());
    // Words as typed, or not a sentence: no look-up.
    for query in [
        "particularly when the defendants are well organized",
        "solidarity tactics",
        "title:jail particularly when defendants are very well organized",
    ] {
        let body = ask(query).await;
        assert!(body.get("quote").is_none(), "{query}: {body}");
    }
}

/// Facets with counts from the index, and the filters that keep one value:
/// each facet's count is the number of passages the filter then keeps.
#[tokio::test]
async fn facets_count_the_passages_and_filters_keep_them() {
    let env = Env::seed();
    env.write(
        "later.md",
        b"---\ntitle: A Later Page\nauthor: Ada Byron\nyear: 2021\n---\n\n## Tactics\n\n\
          Solidarity in court, as the page itself says.\n",
    );
    let (app, _) = router(&env, &Cors::Any);
    let get = |query: String| {
        let app = app.clone();
        async move {
            let answer = call(&app, &format!("/api/search?group=page&{query}"), &[]).await;
            (answer.status, answer.json())
        }
    };
    let (status, body) = get("q=solidarity".into()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let facets = &body["facets"];
    let speaker = facets["speaker"].as_array().unwrap();
    let jclc = speaker.iter().find(|v| v["value"] == "jclc").expect("jclc");
    assert_eq!(jclc["label"], "Just Cause Law Collective");
    let hermes = speaker
        .iter()
        .find(|v| v["value"] == "hermes-2016")
        .expect("hermes");
    assert_eq!(hermes["label"], "Kris Hermes");
    assert_eq!(facets["year"]["min"], 2016);
    assert_eq!(facets["year"]["max"], 2021);
    assert_eq!(facets["section"][0]["value"], "Tactics");
    assert!(
        facets["author"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["value"] == "Ada Byron")
    );
    for (name, values) in facets.as_object().unwrap() {
        let Some(values) = values.as_array() else {
            continue;
        };
        for value in values {
            let filter = format!(
                "q=solidarity&{name}={}",
                url_encode(value["value"].as_str().unwrap())
            );
            let (status, kept) = get(filter.clone()).await;
            assert_eq!(status, StatusCode::OK, "{filter}: {kept}");
            assert_eq!(kept["total"], value["count"], "{filter}");
        }
    }
    let (_, kept) = get("q=solidarity&year=2020-2030".into()).await;
    assert_eq!(kept["total"], 1);
    assert_eq!(kept["pages"][0]["page"]["title"], "A Later Page");
    let (_, kept) = get("q=solidarity&year=2016&speaker=JCLC".into()).await;
    assert_eq!(kept["total"], jclc["count"]);
    for bad in ["year=soon", "year=2020-2010", "speaker=nobody-at-all"] {
        let (status, body) = get(format!("q=solidarity&{bad}")).await;
        assert!(status.is_client_error(), "{bad}: {status}");
        assert!(body["error"]["message"].as_str().is_some(), "{bad}");
    }
}

/// `/page/<page id>`: the page as HTML text, every passage anchored by
/// its id and the one asked for marked; corpus text only as text.
#[tokio::test]
async fn the_reader_view_anchors_every_passage_and_marks_the_one_asked_for() {
    let env = Env::seed();
    env.write(
        "odd.md",
        b"---\ntitle: Odd <b>page</b>\n---\n\n# Part one\n\nA <script>alert(1)</script> paragraph & more.\n\nSecond paragraph.\n",
    );
    let (app, _) = router(&env, &Cors::Any);
    let flat = call(&app, "/api/search?q=solidarity&limit=100", &[])
        .await
        .json();
    let ids = util::hit_ids(&flat);
    let answer = call(&app, "/page/jail-court-solidarity-actions?passage=p8", &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert!(
        answer.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = answer.text();
    assert!(
        html.contains("<h1>Jail &amp; Court Solidarity Actions</h1>"),
        "{html}"
    );
    for id in ids
        .iter()
        .filter(|i| i.starts_with("jail-court-solidarity-actions#"))
    {
        let anchor = id.split('#').nth(1).unwrap();
        assert!(
            html.contains(&format!("id=\"{anchor}\"")),
            "{anchor} not anchored"
        );
    }
    assert_eq!(html.matches("ci-marked").count(), 1);
    let marked = html.split("ci-marked").nth(1).unwrap();
    assert!(marked.contains("particularly when the defendants are well-organized"));
    assert!(html.find("id=\"p4\"").unwrap() < html.find("id=\"p8\"").unwrap());
    // The trailing slash of the page's own URL is as good.
    let slash = call(&app, "/page/jail-court-solidarity-actions/", &[]).await;
    assert_eq!(slash.status, StatusCode::OK);
    assert!(!slash.text().contains("ci-marked"));
    // Corpus text is text.
    let odd = call(&app, "/page/odd", &[]).await;
    assert_eq!(odd.status, StatusCode::OK);
    let odd = odd.text();
    assert!(
        !odd.contains("<script>alert") && odd.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{odd}"
    );
    assert!(
        odd.contains("<h2>Part one</h2>") && odd.contains("paragraph &amp; more"),
        "{odd}"
    );
    for missing in ["/page/no-such-page", "/page/odd%23p1"] {
        let answer = call(&app, missing, &[]).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{missing}");
        assert!(answer.text().contains("no page"), "{missing}");
    }
}

/// With `--site-url` the corpus is that website's text: a page's own
/// bibliography entry names the site and the page's address there.
#[tokio::test]
async fn with_a_site_url_the_pages_entry_names_the_site_and_its_url() {
    let env = Env::seed();
    let site = SiteLinks {
        url: Some("https://www.example.org/".into()),
        published: None,
    };
    let app = citeindex::app(Shared::new(open(&env), site), &Cors::Any);
    let (plain, _) = router(&env, &Cors::Any);
    let page_entry = |body: &Value, at: &str| -> String {
        body.pointer(at)
            .and_then(|v| v.as_array())
            .and_then(|entries| {
                entries
                    .iter()
                    .filter_map(|e| e.as_str())
                    .find(|e| e.contains("Jail & Court Solidarity Actions"))
            })
            .unwrap_or_else(|| panic!("no entry for the page at {at}: {body}"))
            .to_string()
    };
    let url = "https://www.example.org/jail-court-solidarity-actions/";
    for style in ["chicago-notes", "apa", "mla"] {
        let uri = format!("/api/search?q=%22collective%20bargaining%22&style={style}");
        let with = call(&app, &uri, &[]).await.json();
        let entry = page_entry(&with, "/hits/0/cited/bibliography");
        assert!(
            entry.contains(url) && entry.contains("example.org"),
            "{style}: {entry}"
        );
        assert_eq!(with["hits"][0]["page"]["url"], url);
        let without = call(&plain, &uri, &[]).await.json();
        let entry = page_entry(&without, "/hits/0/cited/bibliography");
        assert!(!entry.contains("://"), "{style}: {entry}");
    }
    let grouped = call(&app, "/api/search?q=solidarity&group=page&style=apa", &[])
        .await
        .json();
    assert_eq!(grouped["pages"][0]["page"]["url"], url);
    let entry = page_entry(&grouped, "/pages/0/hits/0/cited/bibliography");
    assert!(entry.contains(url), "{entry}");
    let passage = call(
        &app,
        "/api/passages/jail-court-solidarity-actions%23p2?style=chicago-notes",
        &[],
    )
    .await
    .json();
    assert!(
        passage["citation"].as_str().unwrap().contains(url),
        "{passage}"
    );
}

#[tokio::test]
async fn typing_mode_reads_the_last_word_as_a_prefix_and_forgives_half_queries() {
    let env = Env::seed();
    let (app, _) = router(&env, &Cors::Any);
    let typed = call(
        &app,
        &format!("/api/search?mode=typing&q={}", q("\"collective barg")),
        &[],
    )
    .await;
    assert_eq!(typed.status, StatusCode::OK, "{}", typed.text());
    let typed = typed.json();
    assert_eq!(util::hit_ids(&typed), ["jail-court-solidarity-actions#p4"]);
    let strict = call(
        &app,
        &format!("/api/search?q={}", q("\"collective barg")),
        &[],
    )
    .await;
    assert_eq!(strict.status, StatusCode::BAD_REQUEST);
    // Half-typed operators run as what parses.
    let half = call(
        &app,
        &format!("/api/search?mode=typing&q={}", q("arrestees AND")),
        &[],
    )
    .await;
    assert_eq!(half.status, StatusCode::OK, "{}", half.text());
    assert!(half.json()["total"].as_u64().unwrap() > 0);
    // So does a `field:*` left in: it is dropped, alone or beside words,
    // and the words find what they find without it.
    let alone = call(&app, "/api/search?mode=typing&q=arrestees", &[])
        .await
        .json();
    assert!(!util::hit_ids(&alone).is_empty());
    for typed in [
        "arrestees title:*",
        "arrestees -(page:*)^2",
        "arrestees +(title:*)^2",
    ] {
        let answer = call(
            &app,
            &format!("/api/search?mode=typing&q={}", q(typed)),
            &[],
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{typed}: {}", answer.text());
        assert_eq!(
            util::hit_ids(&answer.json()),
            util::hit_ids(&alone),
            "{typed}"
        );
    }
    let only = call(&app, "/api/search?mode=typing&q=title%3A*", &[]).await;
    assert_eq!(only.status, StatusCode::OK, "{}", only.text());
    let prefix = call(&app, "/api/search?mode=typing&q=coer", &[])
        .await
        .json();
    assert_eq!(util::hit_ids(&prefix), ["jail-court-solidarity-actions#p5"]);
}

#[tokio::test]
async fn quote_passage_sources_and_health() {
    let env = Env::seed();
    let (app, _) = router(&env, &Cors::Any);
    let lookup = call(
        &app,
        &format!(
            "/api/quote?text={}",
            q("particularly when the defendants are well organized")
        ),
        &[],
    )
    .await
    .json();
    assert_eq!(lookup["status"], "normalised");
    assert_eq!(
        lookup["matches"][0]["attribution"],
        "JCLC, quoted in Hermes 2016, excerpted on Jail & Court Solidarity Actions"
    );
    let missing = call(
        &app,
        "/api/quote?text=nothing%20like%20this%20is%20written",
        &[],
    )
    .await;
    assert_eq!(missing.status, StatusCode::OK);
    assert_eq!(missing.json()["status"], "not-found");

    let passage = call(
        &app,
        "/api/passages/jail-court-solidarity-actions%23p8",
        &[],
    )
    .await;
    assert_eq!(passage.status, StatusCode::OK, "{}", passage.text());
    let passage = passage.json();
    assert_eq!(passage["excerpted_from"]["id"], "hermes-2016");
    assert_eq!(passage["quotes"][0]["speaker"]["id"], "jclc");

    let cited = call(
        &app,
        "/api/passages/jail-court-solidarity-actions%23p8?style=apa",
        &[],
    )
    .await
    .json();
    assert!(
        cited["cited"]["text"]
            .as_str()
            .unwrap()
            .starts_with("(Hermes, 2016, as cited in"),
        "{cited}"
    );
    let sources = call(&app, "/api/sources", &[]).await.json();
    let jclc = sources
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "jclc")
        .unwrap();
    assert_eq!(jclc["quotes"], 2);
    let health = call(&app, "/healthz", &[]).await.json();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["passages"], 13);
}

#[tokio::test]
async fn passage_ids_with_slashes_are_found() {
    let env = Env::with(&[(
        "notes/2024/field.md",
        "# Field notes\n\nA page in a folder.\n",
    )]);
    let (app, _) = router(&env, &Cors::Any);
    let answer = call(&app, "/api/passages/notes/2024/field%23p2", &[]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(answer.json()["text"], "A page in a folder.");
}

/// Every bad input gets a 4xx and `{"error": {"code", "message"}}`.
#[tokio::test]
async fn bad_input_gets_a_4xx_with_a_message() {
    let env = Env::seed();
    let (app, _) = router(&env, &Cors::Any);
    let long = "word ".repeat(1000);
    let cases: Vec<(String, StatusCode, &str)> = vec![
        (
            "/api/search".into(),
            StatusCode::BAD_REQUEST,
            "missing_parameter",
        ),
        (
            "/api/search?q=".into(),
            StatusCode::BAD_REQUEST,
            "missing_parameter",
        ),
        (
            "/api/search?q=%20%20".into(),
            StatusCode::BAD_REQUEST,
            "missing_parameter",
        ),
        (
            format!("/api/search?q={}", q("\"jail")),
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            format!("/api/search?q={}", q("(jail")),
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            format!("/api/search?q={}", q("nofield:jail")),
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            format!("/api/search?q={}", q("-jail")),
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        // "Has the field" queries, found by fuzzing: they failed when run.
        (
            format!("/api/search?q={}", q("jail AND title:*")),
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            format!("/api/search?q={}", q("nofield:*")),
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            format!("/api/search?q={}", q(&long)),
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            "/api/search?q=jail&limit=0".into(),
            StatusCode::BAD_REQUEST,
            "bad_parameter",
        ),
        (
            "/api/search?q=jail&limit=5000".into(),
            StatusCode::BAD_REQUEST,
            "bad_parameter",
        ),
        (
            "/api/search?q=jail&limit=-1".into(),
            StatusCode::BAD_REQUEST,
            "bad_parameter",
        ),
        (
            "/api/search?q=jail&limit=ten".into(),
            StatusCode::BAD_REQUEST,
            "bad_parameter",
        ),
        (
            "/api/search?q=jail&offset=999999".into(),
            StatusCode::BAD_REQUEST,
            "bad_parameter",
        ),
        (
            "/api/search?q=jail&mode=fast".into(),
            StatusCode::BAD_REQUEST,
            "bad_parameter",
        ),
        (
            "/api/search?q=jail&source=Just%20Cause".into(),
            StatusCode::BAD_REQUEST,
            "unknown_source",
        ),
        (
            "/api/quote".into(),
            StatusCode::BAD_REQUEST,
            "missing_parameter",
        ),
        (
            format!("/api/quote?text={}", q(&long)),
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            "/api/passages/nothing%23p1".into(),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        ("/api/nothing".into(), StatusCode::NOT_FOUND, "not_found"),
        (
            "/api/quote?text=jail&style=harvard".into(),
            StatusCode::BAD_REQUEST,
            "bad_parameter",
        ),
        (
            "/api/passages/jail-court-solidarity-actions%23p4?style=harvard".into(),
            StatusCode::BAD_REQUEST,
            "bad_parameter",
        ),
    ];
    for (uri, status, code) in cases {
        let answer = call(&app, &uri, &[]).await;
        assert_eq!(answer.status, status, "{uri}: {}", answer.text());
        let body = answer.json();
        assert_eq!(body["error"]["code"], code, "{uri}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.len() > 10),
            "{uri}: {body}"
        );
    }
    let unknown = call(&app, "/api/search?q=solidarity&source=Just%20Cause", &[])
        .await
        .json();
    assert!(
        unknown["error"]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean jclc?")
    );
    // Another method on a known path.
    let post = app
        .clone()
        .oneshot(
            Request::post("/api/search?q=jail")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert!(post.status().is_client_error());
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        "[\"“”«»()+\\-*~:^\\[\\]{}!\\\\ a-z0-9]{0,30}",
        Just("\"\"".to_string()),
        Just("*".to_string()),
        Just("title:".to_string()),
        Just("a~99999".to_string()),
        Just("\"a b\"~4294967295".to_string()),
        Just("text:[a TO z]".to_string()),
        Just("id:IN [x y]".to_string()),
        Just("((((((((((((((((((((a".to_string()),
        Just("a^1e309".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(250))]

    /// No input from a request causes a 5xx: every answer is a 2xx or a
    /// 4xx with an error body.
    #[test]
    fn random_requests_never_get_a_5xx(
        query in hostile_text(),
        limit in prop_oneof![Just(String::new()), "[0-9]{1,6}", ".{0,5}"],
        offset in prop_oneof![Just(String::new()), "[0-9]{1,7}"],
        source in prop_oneof![Just(String::new()), Just("jclc".to_string()), ".{0,10}"],
        typing in any::<bool>(),
    ) {
        thread_local! {
            static APP: (Router, tokio::runtime::Runtime, Env) = {
                let env = Env::seed();
                let (app, _) = router(&env, &Cors::Any);
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                (app, runtime, env)
            };
        }
        let mut uri = format!("/api/search?q={}", url_encode(&query));
        for (name, value) in [("limit", &limit), ("offset", &offset), ("source", &source)] {
            if !value.is_empty() {
                uri.push_str(&format!("&{name}={}", url_encode(value)));
            }
        }
        if typing {
            uri.push_str("&mode=typing");
        }
        let (search, quote) = APP.with(|(app, runtime, _)| {
            runtime.block_on(async {
                (
                    call(app, &uri, &[]).await,
                    call(app, &format!("/api/quote?text={}", url_encode(&query)), &[]).await,
                )
            })
        });
        for (uri, answer) in [(&uri, search), (&"quote".to_string(), quote)] {
            prop_assert!(!answer.status.is_server_error(), "{uri}: {} {}", answer.status, answer.text());
            if answer.status.is_client_error() {
                prop_assert!(answer.json()["error"]["message"].is_string(), "{uri}: {}", answer.text());
            }
        }
    }
}

/// Checks `instance` against the schema the OpenAPI document gives for
/// `path`'s answer with `status`, with no property the document does not
/// name.
fn check_against_openapi(doc: &Value, path: &str, status: u16, instance: &Value) {
    let schema = &doc["paths"][path]["get"]["responses"][status.to_string()]["content"]["application/json"]
        ["schema"];
    assert!(
        !schema.is_null(),
        "the document has no {status} answer for {path}"
    );
    let mut strict_doc = doc.clone();
    strict(&mut strict_doc["components"]["schemas"]);
    let errors = util::schema_errors(&strict_doc, schema, instance);
    assert!(
        errors.is_empty(),
        "{path} {status} does not match the OpenAPI document:\n{}\n{instance}",
        errors.join("\n")
    );
}

/// Forbids properties a schema does not name, except in schemas that are
/// parts of an `allOf` (their siblings name the rest).
fn strict(schemas: &mut Value) {
    fn parts_of_all_of(value: &Value, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, sub) in map {
                    if key == "allOf" {
                        for part in sub.as_array().into_iter().flatten() {
                            if let Some(name) =
                                part["$ref"].as_str().and_then(|r| r.rsplit('/').next())
                            {
                                found.push(name.to_string());
                            }
                        }
                    }
                    parts_of_all_of(sub, found);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| parts_of_all_of(i, found)),
            _ => {}
        }
    }
    let mut parts = Vec::new();
    parts_of_all_of(schemas, &mut parts);
    for (name, schema) in schemas.as_object_mut().unwrap() {
        if !parts.contains(name)
            && (schema.get("properties").is_some() || schema.get("allOf").is_some())
        {
            schema["unevaluatedProperties"] = Value::Bool(false);
        }
    }
}

#[tokio::test]
async fn every_answer_matches_the_openapi_document() {
    let env = Env::seed();
    let (app, _) = router(&env, &Cors::Any);
    let doc = call(&app, "/api/openapi.json", &[]).await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let params: Vec<&str> = doc["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in ["group", "speaker", "author", "year", "section"] {
        assert!(params.contains(&name), "{name} not in {params:?}");
    }
    let cases = [
        (
            "/api/search",
            format!("/api/search?q={}", q("“jail solidarity”")),
        ),
        (
            "/api/search",
            "/api/search?q=solidarity&source=jclc&limit=50".into(),
        ),
        ("/api/search", "/api/search?q=seattle".into()),
        ("/api/search", "/api/search?q=jail&limit=0".into()),
        ("/api/search", "/api/search?q=solidarity&group=page".into()),
        (
            "/api/search",
            "/api/search?q=solidarity&group=page&speaker=jclc&year=2000-2020&style=apa".into(),
        ),
        (
            "/api/search",
            format!(
                "/api/search?group=page&q={}",
                q("particularly when defendants are very well organized and similar")
            ),
        ),
        (
            "/api/search",
            "/api/search?q=solidarity&group=page&limit=101".into(),
        ),
        (
            "/api/quote",
            format!(
                "/api/quote?text={}",
                q("many different forms of non-cooperation")
            ),
        ),
        (
            "/api/quote",
            "/api/quote?text=unwritten%20words%20here".into(),
        ),
        ("/api/quote", "/api/quote".into()),
        (
            "/api/passages/{id}",
            "/api/passages/jail-court-solidarity-actions%23p4".into(),
        ),
        (
            "/api/passages/{id}",
            "/api/passages/jail-court-solidarity-actions%23types-4".into(),
        ),
        ("/api/passages/{id}", "/api/passages/none".into()),
        (
            "/api/passages/{id}",
            "/api/passages/jail-court-solidarity-actions%23p8?style=csl-json".into(),
        ),
        (
            "/api/quote",
            "/api/quote?text=well%20organized%20defendants&style=mla".into(),
        ),
        ("/api/sources", "/api/sources".into()),
        ("/healthz", "/healthz".into()),
    ];
    for (path, uri) in cases {
        let answer = call(&app, &uri, &[]).await;
        check_against_openapi(&doc, path, answer.status.as_u16(), &answer.json());
    }
}

/// A request still working at the time limit gets a 503 `timeout` in the
/// documented shape, and the service goes on answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_over_the_time_limit_gets_a_503_timeout() {
    let env = Env::seed();
    let doc = {
        let (app, _) = router(&env, &Cors::Any);
        call(&app, "/api/openapi.json", &[]).await.json()
    };
    // No look-up finishes in no time: each of these is cut off.
    let shared =
        Shared::with_time_limit(open(&env), SiteLinks::default(), std::time::Duration::ZERO);
    let app = citeindex::app(shared, &Cors::Any);
    for (path, uri) in [
        (
            "/api/quote",
            format!(
                "/api/quote?text={}",
                q("many different forms of non-cooperation")
            ),
        ),
        ("/api/search", "/api/search?q=solidarity".to_string()),
    ] {
        let answer = call(&app, &uri, &[]).await;
        assert_eq!(
            answer.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{uri}: {}",
            answer.text()
        );
        let body = answer.json();
        assert_eq!(body["error"]["code"], "timeout");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("time limit")
        );
        check_against_openapi(&doc, path, 503, &body);
    }
    // Health is answered at once, without index work.
    assert_eq!(call(&app, "/healthz", &[]).await.status, StatusCode::OK);

    // With the default limit the same look-ups answer.
    let (app, _) = router(&env, &Cors::Any);
    let answer = call(&app, "/api/search?q=solidarity", &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
}

#[tokio::test]
async fn cors_and_compression() {
    let env = Env::seed();
    let (app, _) = router(&env, &Cors::Any);
    let answer = call(
        &app,
        "/api/sources",
        &[("origin", "https://elsewhere.example")],
    )
    .await;
    assert_eq!(answer.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let gzip = call(
        &app,
        "/api/search?q=solidarity&limit=20",
        &[("accept-encoding", "gzip")],
    )
    .await;
    assert_eq!(gzip.headers[header::CONTENT_ENCODING], "gzip");
    let plain = call(&app, "/api/search?q=solidarity&limit=20", &[]).await;
    assert!(gzip.body.len() < plain.body.len());

    let only: Cors = Cors::Origins(vec!["https://site.example".parse().unwrap()]);
    let (app, _) = router(&env, &only);
    let allowed = call(&app, "/api/sources", &[("origin", "https://site.example")]).await;
    assert_eq!(
        allowed.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://site.example"
    );
    let refused = call(&app, "/api/sources", &[("origin", "https://other.example")]).await;
    assert!(
        refused
            .headers
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .is_none()
    );
}

#[tokio::test]
async fn the_page_and_the_widget_are_served() {
    let env = Env::seed();
    let (app, _) = router(&env, &Cors::Any);
    let page = call(&app, "/", &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.headers.contains_key(header::CONTENT_SECURITY_POLICY));
    assert!(page.text().contains("<script src=\"/search.js\"></script>"));
    assert!(page.text().contains("<script src=\"/check.js\"></script>"));
    for path in ["/search.js", "/check.js", "/style.css", "/widget.js"] {
        let asset = call(&app, path, &[]).await;
        assert_eq!(asset.status, StatusCode::OK, "{path}");
    }
    let widget = call(&app, "/widget.js", &[]).await.text();
    assert!(widget.contains("attachShadow") && widget.contains("CITEINDEX_STYLE = \"/*"));
}

#[tokio::test]
async fn a_commit_by_another_index_run_is_picked_up() {
    let env = Env::seed();
    let (app, shared) = router(&env, &Cors::Any);
    assert!(!shared.reload().unwrap(), "nothing changed yet");
    env.write(
        "new.md",
        "# New page\n\nThe zeppelin arrived at dawn.\n".as_bytes(),
    );
    // Another indexer (the CLI does the same) commits; the service still
    // answers from the view it has.
    let _ = open(&env);
    let before = call(&app, "/api/search?q=zeppelin", &[]).await.json();
    assert_eq!(before["total"], 0);
    assert!(shared.reload().unwrap());
    let after = call(&app, "/api/search?q=zeppelin", &[]).await.json();
    assert_eq!(util::hit_ids(&after), ["new#p2"]);
    assert!(!shared.reload().unwrap());
}

/// The real binary on a real port: searches keep succeeding while another
/// process re-indexes three times, the new text shows up, and SIGTERM
/// stops the server cleanly.
#[test]
fn a_real_server_reloads_without_failing_a_request_and_stops_on_sigterm() {
    let env = Env::seed();
    let server = Server::start(&env, &["--cors-origin", "https://site.example"]);
    let (status, body) = get(&server.url("/healthz"));
    assert_eq!(status, 200, "{body}");
    let (status, body) = get(&server.url("/api/search?q=%22jail%20solidarity%22"));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("jail-court-solidarity-actions#p3"));

    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let searcher = {
        let stop = stop.clone();
        let url = server.url("/api/search?q=solidarity&limit=50");
        std::thread::spawn(move || {
            let mut answers = Vec::new();
            // Slow machines still make a few requests across the reloads.
            while answers.len() < 6 || !stop.load(std::sync::atomic::Ordering::Relaxed) {
                answers.push(get(&url).0);
            }
            answers
        })
    };
    for round in 0..3 {
        env.write(
            &format!("round-{round}.md"),
            format!("# Round {round}\n\nSolidarity zeppelin number {round}.\n").as_bytes(),
        );
        env.run(&["index"]).expect(0);
    }
    let started = std::time::Instant::now();
    loop {
        let (status, body) = get(&server.url("/api/search?q=zeppelin"));
        assert_eq!(status, 200);
        if serde_json::from_str::<Value>(&body).unwrap()["total"] == 3 {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 20,
            "the server never served the new commit: {body}\n{}",
            server.log()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let answers = searcher.join().unwrap();
    assert!(answers.len() > 5);
    assert!(
        answers.iter().all(|&s| s == 200),
        "failed requests during reloads: {answers:?}"
    );

    let (status, log) = server.terminate();
    assert!(status.success(), "{status}\n{log}");
    assert!(
        log.contains("the index changed") && log.contains("shutting down"),
        "{log}"
    );
}

/// Slow clients: a connection that trickles its headers, or opens and sends
/// nothing, is closed after `--header-timeout`, while other clients are
/// answered all along; and SIGTERM waits for a half-sent request no longer
/// than that.
/// The server turns transparent huge pages off for itself: faults on them
/// were its slowest answers (see `without_huge_pages` in main.rs).
#[cfg(target_os = "linux")]
#[test]
fn the_server_runs_without_transparent_huge_pages() {
    let thp = |pid: u32| {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("THP_enabled:"))
            .map(|v| v.trim().to_string())
    };
    // Kernels before 5.0 do not say; then there is nothing to check.
    let Some(own) = thp(std::process::id()) else {
        return;
    };
    let env = Env::seed();
    let server = Server::start(&env, &[]);
    let (status, _) = get(&server.url("/healthz"));
    assert_eq!(status, 200);
    assert_eq!(
        thp(server.child.id()).as_deref(),
        Some("0"),
        "this process: {own}"
    );
    server.terminate();
}

#[test]
fn a_client_too_slow_to_send_its_headers_is_disconnected() {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};
    let env = Env::seed();
    let server = Server::start(&env, &["--header-timeout", "400"]);
    let addr = server.url("").trim_start_matches("http://").to_string();
    let connect = || {
        let stream = std::net::TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
    };
    // Twenty at once: half a request line each, and nothing at all.
    let mut slow: Vec<_> = (0..10)
        .map(|_| {
            let mut s = connect();
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                .unwrap();
            s
        })
        .chain((0..10).map(|_| connect()))
        .collect();
    let started = Instant::now();
    let (status, body) = get(&server.url("/api/search?q=jail"));
    assert_eq!(status, 200, "{body}");
    for stream in &mut slow {
        let mut buf = [0u8; 64];
        // Closed: the read ends with 0 bytes (or a reset), never a timeout.
        match stream.read(&mut buf) {
            Ok(n) => assert_eq!(n, 0, "{:?}", String::from_utf8_lossy(&buf[..n])),
            Err(e) => assert!(
                matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe
                ),
                "{e}"
            ),
        }
    }
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(8),
        "slow connections closed after {waited:?}"
    );
    // A kept-alive connection that idles past the timeout is closed too,
    // and a new one is served.
    let mut idle = connect();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut answer = Vec::new();
    idle.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(get(&server.url("/healthz")).0, 200);

    let mut trickling = connect();
    trickling.write_all(b"GET /healthz HT").unwrap();
    let stopping = Instant::now();
    let (status, log) = server.terminate();
    assert!(status.success(), "{status}\n{log}");
    assert!(
        stopping.elapsed() < Duration::from_secs(5),
        "SIGTERM waited {:?} for a half-sent request",
        stopping.elapsed()
    );
}

/// `serve --watch`: pages added, edited, broken and deleted while a client
/// keeps searching. Every answer is a 200 whose hits are exactly those of
/// one state the corpus went through (never a mix), each change is picked
/// up by reprocessing only the file that changed, and a broken page is
/// reported with its path and line while the rest keeps being served.
#[test]
fn serve_watch_indexes_corpus_changes_without_a_failed_or_mixed_answer() {
    use std::collections::BTreeSet;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, Ordering};

    let env = Env::seed();
    for n in 0..5 {
        env.write(
            &format!("filler-{n}.md"),
            format!("# Filler {n}\n\nNothing about airships here, page {n}.\n").as_bytes(),
        );
    }
    // Written beside the page under a hidden name, then renamed: the
    // watcher never sees half a file.
    let put = |path: &str, text: &str| {
        let hidden = env.corpus.join(format!(".{path}.tmp"));
        std::fs::write(&hidden, text).unwrap();
        std::fs::rename(&hidden, env.corpus.join(path)).unwrap();
    };
    let zeppelin = |n: usize| format!("# Z {n}\n\nThe zeppelin number {n} arrived at dawn.\n");
    let state = |pages: &[usize]| -> BTreeSet<String> {
        pages.iter().map(|n| format!("z-{n}#p2")).collect()
    };

    let server = Server::start(&env, &["--watch"]);
    let url = server.url("/api/search?q=zeppelin&limit=50");
    let seen: Arc<Mutex<Vec<BTreeSet<String>>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let searcher = {
        let (stop, seen, url) = (stop.clone(), seen.clone(), url.clone());
        std::thread::spawn(move || {
            let mut answers = 0;
            while answers < 6 || !stop.load(Ordering::Relaxed) {
                let (status, body) = get(&url);
                assert_eq!(status, 200, "a failed search during an update: {body}");
                let json: Value = serde_json::from_str(&body).unwrap();
                let hits: BTreeSet<String> = util::hit_ids(&json).into_iter().collect();
                assert_eq!(json["total"], hits.len(), "total and hits disagree: {body}");
                seen.lock().unwrap().push(hits);
                answers += 1;
            }
            answers
        })
    };
    let wait_for = |expected: &BTreeSet<String>| {
        let started = std::time::Instant::now();
        loop {
            let (status, body) = get(&url);
            assert_eq!(status, 200, "{body}");
            let json: Value = serde_json::from_str(&body).unwrap();
            let hits: BTreeSet<String> = util::hit_ids(&json).into_iter().collect();
            if &hits == expected {
                return;
            }
            assert!(
                started.elapsed().as_secs() < 30,
                "the server never served {expected:?}; it answers {hits:?}\n{}",
                server.log()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    };

    let states = [
        state(&[]),
        state(&[0]),
        state(&[0, 1]),
        state(&[0, 1, 2]),
        state(&[1, 2]),
        state(&[2]),
    ];
    wait_for(&states[0]);
    for n in 0..3 {
        put(&format!("z-{n}.md"), &zeppelin(n));
        wait_for(&states[n + 1]);
    }
    put("z-0.md", "# Z 0\n\nThe airship number 0 was cancelled.\n");
    wait_for(&states[4]);
    std::fs::remove_file(env.corpus.join("z-1.md")).unwrap();
    wait_for(&states[5]);
    put(
        "broken.md",
        "---\ntitle: [unclosed\n---\nThe zeppelin is hidden here.\n",
    );
    let started = std::time::Instant::now();
    while !server.log().contains("broken.md") {
        assert!(started.elapsed().as_secs() < 30, "{}", server.log());
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    wait_for(&states[5]);

    stop.store(true, Ordering::Relaxed);
    let answers = searcher.join().expect("every search answered 200");
    assert!(answers > 5);
    for hits in seen.lock().unwrap().iter() {
        assert!(
            states.contains(hits),
            "an answer mixed two states of the corpus: {hits:?}"
        );
    }

    let (status, log) = server.terminate();
    assert!(status.success(), "{status}\n{log}");
    let updates: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("the corpus changed"))
        .collect();
    assert!(updates.len() >= 6, "{log}");
    for line in &updates {
        assert!(
            line.contains("(1 processed, 0 removed") || line.contains("(0 processed, 1 removed"),
            "an update reprocessed more than the changed file: {line}\n{log}"
        );
    }
    assert!(
        log.lines()
            .any(|l| l.contains("skipped broken.md:3: bad YAML front matter")),
        "the broken page is not reported with its line:\n{log}"
    );
}

/// `serve --watch` while another process holds the index's writer: the
/// watcher waits, says nothing twice a second, and indexes the change once
/// the writer lets go.
#[test]
fn serve_watch_waits_for_another_writer() {
    let env = Env::seed();
    let server = Server::start(&env, &["--watch"]);
    let url = server.url("/api/search?q=zeppelin");
    let holder = tantivy::Index::open_in_dir(&env.index).unwrap();
    let writer: tantivy::IndexWriter = holder.writer(15_000_000).unwrap();
    env.write("z.md", b"# Z\n\nThe zeppelin waited.\n");
    std::thread::sleep(std::time::Duration::from_secs(3));
    let (status, body) = get(&url);
    assert_eq!(status, 200, "{body}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["total"], 0);
    assert!(
        !server.log().contains("the corpus changed"),
        "{}",
        server.log()
    );
    drop(writer);
    let started = std::time::Instant::now();
    loop {
        let (status, body) = get(&url);
        assert_eq!(status, 200, "{body}");
        if serde_json::from_str::<Value>(&body).unwrap()["total"] == 1 {
            break;
        }
        assert!(started.elapsed().as_secs() < 30, "{}", server.log());
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let updates = server.log().matches("the corpus changed").count();
    assert_eq!(updates, 1, "{}", server.log());
}

/// `serve --watch` while a corpus is being written file by file, the way
/// a checkout or a copy writes it: the watcher waits until a look finds
/// the corpus as the one before, so no answer holds some of the new pages
/// and not the rest, and the pages are indexed in one update.
#[test]
fn serve_watch_indexes_a_corpus_being_written_once_it_stands_still() {
    const PAGES: usize = 12;
    let env = Env::seed();
    let server = Server::start(&env, &["--watch"]);
    let url = server.url("/api/search?q=dirigible&limit=1");
    let writer = {
        let corpus = env.corpus.clone();
        std::thread::spawn(move || {
            // A page every tenth of a second: every look of the watcher,
            // twice a second, finds the corpus changed since the last.
            for n in 0..PAGES {
                let text = format!("# D {n}\n\nThe dirigible number {n} was sighted.\n");
                std::fs::write(corpus.join(format!("d-{n}.md")), text).unwrap();
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        })
    };
    let started = std::time::Instant::now();
    let mut answers = 0;
    loop {
        let (status, body) = get(&url);
        assert_eq!(status, 200, "{body}");
        let total = serde_json::from_str::<Value>(&body).unwrap()["total"]
            .as_u64()
            .unwrap();
        assert!(
            total == 0 || total == PAGES as u64,
            "an answer held {total} of the {PAGES} pages being written\n{}",
            server.log()
        );
        answers += 1;
        if total == PAGES as u64 {
            break;
        }
        assert!(started.elapsed().as_secs() < 30, "{}", server.log());
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    writer.join().unwrap();
    assert!(
        answers > 10,
        "the writing was not watched: {answers} answers"
    );
    let log = server.log();
    let updates: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("the corpus changed"))
        .collect();
    assert_eq!(updates.len(), 1, "{log}");
    assert!(updates[0].contains(&format!("({PAGES} processed")), "{log}");
}
