//! Source documents: the full texts of the sources a page quotes, read
//! from HTML, PDF and plain text that the tests make, indexed as the
//! sources' own, cited by page, and the page's quotations checked against
//! them.

mod util;

use serde_json::Value;
use util::Env;

const PAGE: &str = "jail-court-solidarity-actions";

/// Hermes's article as a web page: navigation, a header, a share box and a
/// footer around the article, whose text has one word changed in the
/// fourth excerpt ("most jails" where the page quotes "many jails").
fn hermes_html() -> String {
    let seed = std::fs::read_to_string(util::seed_corpus().join(format!("{PAGE}.md"))).unwrap();
    let mut paragraphs = String::new();
    for line in seed.lines().filter_map(|l| l.strip_prefix("> ")) {
        let line = line
            .trim()
            .replace("many jails are near", "most jails are near");
        paragraphs.push_str(&format!("<p>{line}</p>\n"));
    }
    format!(
        r#"<!doctype html><html><head><title>Collective Action Behind Bars | Upping the Anti</title></head>
<body><nav class="main-menu"><a href="/">Home</a><a href="/journal">Journal</a></nav>
<header>Upping the Anti: A Journal of Theory and Action</header>
<article><h1>Collective Action Behind Bars</h1>
<p>The history of jail solidarity is long.</p>
{paragraphs}
<div class="share-links">Share this: “a strategy that uses group decision-making” on every network</div>
</article><footer>© 2016 Upping the Anti. All rights reserved.</footer></body></html>"#
    )
}

/// The Midnight Special handbook as a PDF of three pages; its definition
/// of legal solidarity is on page 2.
fn handbook_pdf(definition: &str) -> Vec<u8> {
    util::pdf(&[
        &[
            "Legal Solidarity Handbook",
            "Midnight Special Law Collective. This handbook is for people planning actions.",
        ],
        &[
            "What is legal solidarity?",
            definition,
            "It asks each arrestee to act with the group rather than alone.",
        ],
        &[
            "Jail solidarity in practice: refusing to give names, staying together, and insisting on equal treatment for all.",
        ],
    ])
}

const DEFINITION: &str = "Legal solidarity is a strategy that uses group decision-making and action to protect people when they are being held in the legal system.";

/// The JCLC's own words, as plain text; "well organized" without hyphens.
const JCLC_TEXT: &str = "Solidarity in the courts\n\nCriminal defendants have many different forms of non-cooperation,\nall of which are designed to produce leverage for collective bargaining.\n\nThey can be effective particularly when the defendants are well organized, similarly situated, and working together in large numbers.\n";

fn corpus(definition: &str) -> Env {
    let env = Env::seed();
    env.write("sources/hermes-2016.html", hermes_html().as_bytes());
    env.write(
        "sources/midnight-special-legal-solidarity-handbook.pdf",
        &handbook_pdf(definition),
    );
    env.write("sources/jclc.txt", JCLC_TEXT.as_bytes());
    env
}

fn by_words<'a>(checks: &'a [Value], words: &str) -> &'a Value {
    // The quotation rather than the excerpt around it: the fewest words.
    checks
        .iter()
        .filter(|c| c["words"].as_str().unwrap().contains(words))
        .min_by_key(|c| c["words"].as_str().unwrap().len())
        .unwrap_or_else(|| panic!("no check of {words:?}"))
}

#[test]
fn documents_are_indexed_as_their_sources_own_text() {
    let env = corpus(DEFINITION);
    let run = env.run(&["index"]).expect(0);
    assert!(run.stdout().contains("4 pages"), "{}", run.stdout());

    // The boilerplate around the article is not indexed.
    for furniture in ["Journal", "Share this", "All rights reserved"] {
        let results = env.json(&["search", &format!("\"{furniture}\"")]);
        let in_article: Vec<&Value> = results["hits"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["page"]["path"] == "sources/hermes-2016.html")
            .collect();
        assert!(in_article.is_empty(), "{furniture}: {in_article:?}");
    }
    // The article's text is Hermes's own, not an excerpt on a page.
    let results = env.json(&["search", "\"history of jail solidarity is long\""]);
    let hit = &results["hits"][0];
    assert_eq!(hit["page"]["path"], "sources/hermes-2016.html");
    assert_eq!(hit["page"]["document"], true);
    assert_eq!(
        hit["page"]["url"],
        "https://uppingtheanti.org/journal/article/18-collective-action-behind-bars"
    );
    assert!(
        hit["attribution"]
            .as_str()
            .unwrap()
            .starts_with("Hermes 2016"),
        "{hit}"
    );

    // The PDF is read page by page, and cited by page.
    let results = env.json(&[
        "search",
        "\"group decision-making\"",
        "--source",
        "midnight-special-legal-solidarity-handbook",
    ]);
    let pdf_hit = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["page"]["document"] == true)
        .unwrap_or_else(|| panic!("{results}"));
    assert_eq!(pdf_hit["source_page"], 2, "{pdf_hit}");
    let id = pdf_hit["id"].as_str().unwrap();
    let cited = env.json(&["cite", id, "--style", "chicago-notes"]);
    assert!(
        cited["text"]
            .as_str()
            .unwrap()
            .starts_with("Midnight Special Law Collective, *Legal Solidarity Handbook* (n.d.), 2,")
            || cited["markdown"].as_str().unwrap().starts_with(
                "Midnight Special Law Collective, *Legal Solidarity Handbook* (n.d.), 2,"
            ),
        "{cited}"
    );
    assert_eq!(
        cited["link"],
        "http://www.midnightspecial.net/files/legalsolidarityhandbook.pdf#page=2"
    );
    let apa = env.json(&["cite", id, "--style", "apa"]);
    assert!(apa["text"].as_str().unwrap().ends_with("p. 2)"), "{apa}");
    let text_hit = env.json(&["search", "\"collective bargaining\"", "--source", "jclc"]);
    assert!(
        util::hit_ids(&text_hit)
            .iter()
            .any(|id| id.starts_with("sources/jclc#")),
        "{text_hit}"
    );
}

#[test]
fn verify_tells_quotes_that_stand_from_misquotes_with_pages() {
    let env = corpus(DEFINITION);
    let run = env.run(&["verify", "--json"]).expect(1);
    let checks: Vec<Value> = serde_json::from_str(&run.stdout()).unwrap();

    // The Midnight Special definition stands on page 2 of the handbook.
    let definition = by_words(&checks, "strategy that uses group decision-making");
    assert_eq!(definition["passage"], format!("{PAGE}#p3"));
    assert_eq!(definition["verification"]["status"], "verified");
    assert_eq!(definition["verification"]["source_page"], 2);
    assert_eq!(
        definition["verification"]["document"],
        "sources/midnight-special-legal-solidarity-handbook.pdf"
    );
    // The JCLC's words stand in its own text, hyphens or not.
    let jclc = by_words(&checks, "particularly when the defendants");
    assert_eq!(jclc["verification"]["status"], "verified");
    assert_eq!(jclc["verification"]["source"], "jclc");
    // Hermes's article has "most jails" where the page quotes "many jails".
    let changed = by_words(&checks, "many jails are near");
    assert_eq!(
        changed["verification"]["status"],
        "verified-with-differences"
    );
    let diff = serde_json::to_string(&changed["verification"]["diff"]).unwrap();
    assert!(diff.contains("many") && diff.contains("most"), "{diff}");
    let same = by_words(&checks, "rich history in the US");
    assert_eq!(same["verification"]["status"], "verified");

    // The passage JSON carries the verdicts too.
    let server = util::Server::start(&env, &[]);
    let (status, body) = util::get(&server.url(&format!("/api/passages/{PAGE}%23p3")));
    assert_eq!(status, 200, "{body}");
    let passage: Value = serde_json::from_str(&body).unwrap();
    let quote = &passage["quotes"][0];
    assert_eq!(quote["verification"]["status"], "verified", "{passage}");
    assert_eq!(quote["verification"]["source_page"], 2);
    let (_, body) = util::get(&server.url(&format!("/api/passages/{PAGE}%23p6")));
    let excerpt: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        excerpt["verification"]["status"], "verified-with-differences",
        "{excerpt}"
    );
    drop(server);
    let text = env.run(&["verify"]).expect(1).stdout();
    assert!(text.contains("verified with differences"), "{text}");
    assert!(
        text.contains("sources/midnight-special-legal-solidarity-handbook.pdf, page 2"),
        "{text}"
    );

    // A handbook that does not have the definition: not found.
    let env = corpus("Legal solidarity means standing together with everyone who was arrested.");
    let checks: Vec<Value> =
        serde_json::from_str(&env.run(&["verify", "--json"]).expect(1).stdout()).unwrap();
    let definition = by_words(&checks, "strategy that uses group decision-making");
    assert_eq!(definition["verification"]["status"], "not-found");
}
