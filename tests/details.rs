//! A source's details read from the source itself, and dead links cited
//! through the web archive: `citeindex fetch` against a local HTTP server
//! that plays the sources' sites, the web archive's availability API and
//! the DOI resolver, then `index`, `sources`, `cite` in every style and
//! `verify` on what was fetched.

mod util;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use util::Env;

const STAMP: &str = "20080502093000";
const CSL: &str = "application/vnd.citationstyles.csl+json";

/// An answer the server gives: status line, content type, body.
type Answer = (&'static str, &'static str, Vec<u8>);

/// The sites of the sources, the web archive and the DOI resolver, on one
/// loopback port; it keeps what each request asked.
struct Sites {
    base: String,
    asked: Arc<Mutex<Vec<String>>>,
}

impl Sites {
    fn start(pages: HashMap<String, Answer>, dois: HashMap<String, Value>) -> Sites {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let home = base.clone();
        let (pages, dois) = (Arc::new(pages), Arc::new(dois));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let (pages, dois, log, home) =
                    (pages.clone(), dois.clone(), log.clone(), home.clone());
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut request = String::new();
                    reader.read_line(&mut request).unwrap_or(0);
                    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                    let mut accept = String::new();
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                            break;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("accept:") {
                            accept = v.trim().to_string();
                        }
                    }
                    log.lock().unwrap().push(path.clone());
                    let (status, kind, body) = answer(&path, &accept, &pages, &dois, &home);
                    // A redirect's "content type" is where it leads.
                    let header = match status.starts_with('3') {
                        true => "Location",
                        false => "Content-Type",
                    };
                    let head = format!(
                        "HTTP/1.1 {status}\r\nConnection: close\r\n{header}: {kind}\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(&body);
                });
            }
        });
        Sites { base, asked }
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

/// What the server answers `path`: a page, the web archive's availability
/// JSON and its snapshots (a page's snapshot is the page kept under
/// `/archived/…`), or a DOI's CSL-JSON, only to a request that asks for it.
fn answer(
    path: &str,
    accept: &str,
    pages: &HashMap<String, Answer>,
    dois: &HashMap<String, Value>,
    home: &str,
) -> (String, String, Vec<u8>) {
    let html = "text/html; charset=utf-8".to_string();
    if let Some(query) = path.strip_prefix("/wayback/available?") {
        let asked = query
            .split('&')
            .find_map(|p| p.strip_prefix("url="))
            .unwrap_or("");
        let asked = asked.replace("%3A", ":").replace("%2F", "/");
        let original = asked.strip_prefix(home).unwrap_or(&asked);
        let json = match pages.get(&format!("/archived{original}")) {
            Some(_) => format!(
                "{{\"archived_snapshots\": {{\"closest\": {{\"status\": \"200\", \"available\": true, \"url\": \"{home}/web/{STAMP}/{asked}\", \"timestamp\": \"{STAMP}\"}}}}}}"
            ),
            None => "{\"archived_snapshots\": {}}".into(),
        };
        return (
            "200 OK".into(),
            "application/json".into(),
            json.into_bytes(),
        );
    }
    if let Some(rest) = path.strip_prefix(&format!("/web/{STAMP}id_/")) {
        let original = rest.strip_prefix(home).unwrap_or(rest);
        if let Some((status, kind, body)) = pages.get(&format!("/archived{original}")) {
            return (status.to_string(), kind.to_string(), body.clone());
        }
    }
    if let Some(doi) = path.strip_prefix("/doi/") {
        let doi = doi.replace("%2F", "/");
        return match dois.get(&doi) {
            Some(_) if accept != CSL => (
                "406 Not Acceptable".into(),
                html,
                b"ask for CSL-JSON".to_vec(),
            ),
            Some(item) => ("200 OK".into(), CSL.into(), item.to_string().into_bytes()),
            None => ("404 Not Found".into(), html, b"DOI not found".to_vec()),
        };
    }
    match pages.get(path) {
        Some((status, kind, body)) => (status.to_string(), kind.to_string(), body.clone()),
        None => ("404 Not Found".into(), html, b"no such page".to_vec()),
    }
}

fn page(body: &str) -> Answer {
    (
        "200 OK",
        "text/html; charset=utf-8",
        body.as_bytes().to_vec(),
    )
}

/// The fixtures: pages with each kind of markup and with none, a PDF with
/// an info dictionary, a dead link with a snapshot and one without, a link
/// that now leads to its site's front page, a DOI in a page and one in an
/// address.
fn fixtures() -> (HashMap<String, Answer>, HashMap<String, Value>) {
    let mut pages = HashMap::new();
    let text = |words: &str| format!("<article><p>{words}</p></article>");
    pages.insert(
        "/journal/article-7".to_string(),
        page(&format!(
            r#"<html><head><title>JHS | Article 7</title>
<meta name="citation_title" content="Tenant Unions and the Law of Rent Strikes">
<meta name="citation_author" content="Okafor, Adaeze">
<meta name="citation_author" content="Per Lindqvist">
<meta name="citation_publication_date" content="2019/03/05">
<meta name="citation_journal_title" content="Journal of Housing Struggles">
<meta name="citation_volume" content="12"><meta name="citation_issue" content="3">
<meta name="citation_firstpage" content="41"><meta name="citation_lastpage" content="67">
<meta name="citation_doi" content="10.5555/jhs.2019.7">
<meta property="og:title" content="Rent strikes: a new study"></head>
<body>{}</body></html>"#,
            text("Rent strikes work best when whole buildings act together.")
        )),
    );
    pages.insert(
        "/reports/water".to_string(),
        page(&format!(
            r#"<html><head><script type="application/ld+json">
{{"@context": "https://schema.org", "@graph": [{{"@type": "WebSite", "name": "Coalition site"}},
 {{"@type": "Report", "name": "Who Owns the River", "datePublished": "2021-06-01",
   "author": {{"@type": "Organization", "name": "Riverside Water Coalition"}},
   "publisher": {{"@type": "Organization", "name": "Riverside Water Coalition"}}}}]}}
</script></head><body>{}</body></html>"#,
            text("Every intake on the river is owned by three companies.")
        )),
    );
    pages.insert(
        "/essays/commons".to_string(),
        page(&format!(
            r#"<html><head><meta name="DC.title" content="The Commons of the Shore">
<meta name="DC.creator" content="Marisol Etxeberria"><meta name="DC.date" content="2017-11">
<meta name="DC.publisher" content="Tidewater Press"></head><body>{}</body></html>"#,
            text("The shore was held in common until the enclosures of the last century.")
        )),
    );
    pages.insert(
        "/news/strike".to_string(),
        page(&format!(
            r#"<html><head><meta property="og:title" content="Dockers walk out at dawn">
<meta property="og:site_name" content="The Valley Ledger"><meta property="og:type" content="article">
<meta property="article:published_time" content="2022-02-14T08:00:00Z">
<meta property="article:author" content="Tomas Wrobel"></head><body>{}</body></html>"#,
            text("The dockers walked out at dawn and did not return until noon.")
        )),
    );
    pages.insert(
        "/bare".to_string(),
        page(&format!(
            "<html><head><title>Notes</title></head><body>{}</body></html>",
            text("A page that says nothing of itself.")
        )),
    );
    pages.insert(
        "/article/10.5555/ledger.42".to_string(),
        page(&format!(
            "<html><body>{}</body></html>",
            text("Wages rose by a tenth in the year after the strike.")
        )),
    );
    let pdf = util::pdf_with_info(
        &[&["A picket line is kept by those who stand on it."]],
        Some(
            "/Title (Picket Line Manual) /Author (Harbor Workers Council) /CreationDate (D:20240101000000Z)",
        ),
    );
    pages.insert(
        "/files/manual.pdf".to_string(),
        ("200 OK", "application/pdf", pdf),
    );
    // A dead link whose snapshot names its own details, one whose
    // snapshot does not exist, and one that now leads to a front page.
    pages.insert(
        "/archived/gone/pamphlet".to_string(),
        page(&format!(
            r#"<html><head><meta name="citation_title" content="Jail Solidarity in Practice">
<meta name="citation_author" content="Eastside Legal Collective"></head><body>{}</body></html>"#,
            text("Jail solidarity works best with many arrestees who act together.")
        )),
    );
    pages.insert(
        "/archived/moved/guide".to_string(),
        page(&text("Know your rights before you are stopped.")),
    );
    pages.insert(
        "/".to_string(),
        page("<html><body><h1>Welcome to our new site</h1></body></html>"),
    );
    pages.insert(
        "/moved/guide".to_string(),
        ("301 Moved Permanently", "/", vec![]),
    );
    let mut dois = HashMap::new();
    dois.insert(
        "10.5555/jhs.2019.7".to_string(),
        serde_json::json!({
            "type": "article-journal",
            "title": "Tenant Unions and the Law of Rent Strikes",
            "author": [{"given": "Adaeze", "family": "Okafor"}, {"given": "Per", "family": "Lindqvist"}],
            "issued": {"date-parts": [[2019, 3, 5]]},
            "container-title": "Journal of Housing Struggles",
            "publisher": "Commons Press",
            "DOI": "10.5555/jhs.2019.7"
        }),
    );
    dois.insert(
        "10.5555/ledger.42".to_string(),
        serde_json::json!({
            "type": "article-journal",
            "title": ["What the Strike Won"],
            "author": [{"literal": "Valley Ledger Staff"}],
            "issued": {"date-parts": [[2023]]},
            "container-title": ["The Valley Ledger"],
            "page": "4-5",
        }),
    );
    (pages, dois)
}

/// The registry: each source with only what a hurried writer types.
fn registry(base: &str) -> String {
    let entry = |id: &str, kind: &str, path: &str, more: &str| {
        format!("  - id: {id}\n    kind: {kind}\n    url: {base}{path}\n{more}")
    };
    [
        "sources:\n".to_string(),
        entry("rent-strikes", "article", "/journal/article-7", ""),
        entry("river", "report", "/reports/water", ""),
        entry("commons", "article", "/essays/commons", ""),
        // The registry says 2021 where the page says 2022: a conflict.
        entry(
            "dockers",
            "article",
            "/news/strike",
            "    title: Dockers Walk Out\n    date: \"2021\"\n    authors: [Tomas Wrobel]\n",
        ),
        entry(
            "bare",
            "web-page",
            "/bare",
            "    title: Notes from a meeting\n",
        ),
        entry("wages", "article", "/article/10.5555/ledger.42", ""),
        entry("manual", "handbook", "/files/manual.pdf", ""),
        entry(
            "pamphlet",
            "handbook",
            "/gone/pamphlet",
            "    title: Jail Solidarity in Practice\n",
        ),
        entry(
            "guide",
            "handbook",
            "/moved/guide",
            "    title: Know Your Rights\n",
        ),
        entry(
            "lost",
            "handbook",
            "/gone/lost",
            "    title: A Lost Leaflet\n",
        ),
    ]
    .concat()
}

/// A page of the corpus that quotes the sources by their links, dated: the
/// day the web archive is asked about for a source with no date.
fn notes(base: &str) -> String {
    format!(
        "---\ntitle: Reading notes\ndate: 2008-05-02\n---\n\n\
         According to [Jail Solidarity in Practice]({base}/gone/pamphlet), \u{201c}jail solidarity works best with many arrestees who act together.\u{201d}\n\n\
         According to [Okafor and Lindqvist]({base}/journal/article-7), \u{201c}rent strikes work best when whole buildings act together.\u{201d}\n"
    )
}

fn fetch(env: &Env, sites: &Sites, extra: &[&str]) -> Vec<Value> {
    let doi = format!("{}/doi", sites.base);
    let mut args = vec![
        "fetch",
        "--json",
        "--timeout",
        "5",
        "--archive-url",
        &sites.base,
        "--doi-url",
        &doi,
    ];
    args.extend_from_slice(extra);
    let run = env.run(&args);
    serde_json::from_str(&run.stdout()).unwrap_or_else(|e| panic!("{e}: {}", run.stderr()))
}

fn row<'a>(rows: &'a [Value], id: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no source {id} in {rows:?}"))
}

/// The citation of the first passage of `id`'s text in `style`.
fn cite(env: &Env, id: &str, style: &str) -> Value {
    env.json(&["cite", &format!("sources/{id}#p1"), "--style", style])
}

#[test]
fn details_are_read_from_each_kind_of_markup_where_the_registry_is_silent() {
    let (pages, dois) = fixtures();
    let sites = Sites::start(pages, dois);
    let env = Env::with(&[
        ("sources.yaml", &registry(&sites.base)),
        ("notes.md", &notes(&sites.base)),
    ]);
    let fetched = fetch(&env, &sites, &[]);
    let status = |id: &str| row(&fetched, id)["status"].as_str().unwrap().to_string();
    for id in [
        "rent-strikes",
        "river",
        "commons",
        "dockers",
        "bare",
        "wages",
        "manual",
        "pamphlet",
        "guide",
    ] {
        assert_eq!(status(id), "saved", "{id}: {fetched:?}");
    }
    assert_eq!(status("lost"), "failed");
    let from = |id: &str| row(&fetched, id)["details_from"].clone();
    assert_eq!(from("rent-strikes"), serde_json::json!(["doi", "page"]));
    assert_eq!(from("pamphlet"), serde_json::json!(["archive"]));
    assert_eq!(from("manual"), serde_json::json!(["pdf"]));
    assert_eq!(from("wages"), serde_json::json!(["doi"]));
    assert_eq!(from("bare"), serde_json::json!([]));
    // The DOI resolver was asked by content negotiation: a request that
    // did not ask for CSL-JSON would have had a 406, and no details.
    assert!(sites.asked().iter().any(|a| a == "/doi/10.5555/jhs.2019.7"));
    // The undated pamphlet's snapshot was looked for at the date of the
    // page that links it.
    assert!(
        sites
            .asked()
            .iter()
            .any(|a| a.contains("gone%2Fpamphlet") && a.contains("timestamp=20080502")),
        "{:?}",
        sites.asked()
    );

    let index = env.run(&["index"]);
    assert_eq!(index.code(), 0, "{}", index.stderr());
    assert!(
        index.stderr().contains("dockers: the registry's date \u{201c}2021\u{201d} is kept; its page says \u{201c}2022-02-14\u{201d}"),
        "{}",
        index.stderr()
    );
    let rows: Vec<Value> = serde_json::from_str(&env.run(&["sources", "--json"]).stdout()).unwrap();
    let provenance = |id: &str, field: &str| row(&rows, id)["provenance"][field].clone();

    // citation_* tags and the DOI's record: the record first, the page
    // for what the record does not say.
    let rent = row(&rows, "rent-strikes");
    assert_eq!(rent["title"], "Tenant Unions and the Law of Rent Strikes");
    assert_eq!(
        rent["authors"],
        serde_json::json!(["Adaeze Okafor", "Per Lindqvist"])
    );
    assert_eq!(rent["date"], "2019-03-05");
    assert_eq!(rent["container"], "Journal of Housing Struggles");
    assert_eq!(rent["publisher"], "Commons Press");
    assert_eq!(rent["volume"], "12");
    assert_eq!(rent["issue"], "3");
    assert_eq!(rent["pages"], "41–67");
    assert_eq!(rent["doi"], "10.5555/jhs.2019.7");
    assert_eq!(provenance("rent-strikes", "publisher"), "doi");
    assert_eq!(provenance("rent-strikes", "volume"), "page");
    assert_eq!(provenance("rent-strikes", "url"), "registry");
    assert_eq!(provenance("rent-strikes", "kind"), Value::Null);

    // schema.org JSON-LD: the Report in the graph, not the WebSite.
    let river = row(&rows, "river");
    assert_eq!(river["title"], "Who Owns the River");
    assert_eq!(
        river["authors"],
        serde_json::json!(["Riverside Water Coalition"])
    );
    assert_eq!(river["date"], "2021-06-01");
    assert_eq!(provenance("river", "title"), "page");

    // Dublin Core.
    let commons = row(&rows, "commons");
    assert_eq!(commons["title"], "The Commons of the Shore");
    assert_eq!(
        commons["authors"],
        serde_json::json!(["Marisol Etxeberria"])
    );
    assert_eq!(commons["date"], "2017-11");
    assert_eq!(commons["publisher"], "Tidewater Press");

    // Open Graph and article:*: the registry's title and date win, and the
    // disagreement on the date is reported.
    let dockers = row(&rows, "dockers");
    assert_eq!(dockers["title"], "Dockers Walk Out");
    assert_eq!(dockers["date"], "2021");
    assert_eq!(dockers["authors"], serde_json::json!(["Tomas Wrobel"]));
    assert_eq!(dockers["container"], "The Valley Ledger");
    assert_eq!(provenance("dockers", "date"), "registry");
    assert_eq!(provenance("dockers", "authors"), "registry");
    assert_eq!(provenance("dockers", "container"), "page");
    assert_eq!(
        dockers["conflicts"],
        serde_json::json!([{"field": "date", "registry": "2021", "found": "2022-02-14", "from": "page"}])
    );
    let text = env.run(&["sources"]).stdout();
    assert!(text.contains("dockers: the registry's date"), "{text}");

    // No markup: nothing is invented, not even from the window title.
    let bare = row(&rows, "bare");
    assert_eq!(bare["title"], "Notes from a meeting");
    for field in ["authors", "date", "container", "publisher"] {
        assert!(bare.get(field).is_none(), "{field}: {bare}");
    }

    // A DOI in the address, resolved; the PDF's info dictionary, whose
    // creation date is not the work's.
    let wages = row(&rows, "wages");
    assert_eq!(wages["title"], "What the Strike Won");
    assert_eq!(wages["pages"], "4–5");
    assert_eq!(provenance("wages", "title"), "doi");
    let manual = row(&rows, "manual");
    assert_eq!(manual["title"], "Picket Line Manual");
    assert_eq!(
        manual["authors"],
        serde_json::json!(["Harbor Workers Council"])
    );
    assert!(manual.get("date").is_none(), "{manual}");
    assert_eq!(provenance("manual", "title"), "pdf");

    // The dead pamphlet: read from its snapshot, its details from the
    // snapshot's markup.
    let pamphlet = row(&rows, "pamphlet");
    let snapshot = format!("{}/web/{STAMP}/{}/gone/pamphlet", sites.base, sites.base);
    assert_eq!(pamphlet["archived_url"], snapshot);
    assert_eq!(pamphlet["archived_at"], "2008-05-02");
    assert_eq!(pamphlet["url_dead"], true);
    assert_eq!(pamphlet["title"], "Jail Solidarity in Practice");
    assert_eq!(
        pamphlet["authors"],
        serde_json::json!(["Eastside Legal Collective"])
    );
    assert_eq!(provenance("pamphlet", "title"), "registry");
    assert_eq!(provenance("pamphlet", "authors"), "archive");
    assert!(pamphlet.get("conflicts").is_none(), "{pamphlet}");
    let guide = row(&rows, "guide");
    assert_eq!(guide["url_dead"], true, "{guide}");
}

#[test]
fn citations_carry_the_details_and_the_archive_in_every_style() {
    let (pages, dois) = fixtures();
    let sites = Sites::start(pages, dois);
    let env = Env::with(&[
        ("sources.yaml", &registry(&sites.base)),
        ("notes.md", &notes(&sites.base)),
    ]);
    fetch(&env, &sites, &["rent-strikes", "pamphlet"]);
    let snapshot = format!("{}/web/{STAMP}/{}/gone/pamphlet", sites.base, sites.base);
    let original = format!("{}/gone/pamphlet", sites.base);

    // The journal article, from its DOI's record and its page.
    let notes = cite(&env, "rent-strikes", "chicago-notes");
    let text = notes["text"].as_str().unwrap();
    assert!(
        text.starts_with("Adaeze Okafor and Per Lindqvist, “Tenant Unions and the Law of Rent Strikes,” Journal of Housing Struggles 12, no. 3"),
        "{text}"
    );
    let bibliography = notes["bibliography"][0].as_str().unwrap();
    assert!(
        bibliography.contains("https://doi.org/10.5555/jhs.2019.7"),
        "{bibliography}"
    );
    let apa = cite(&env, "rent-strikes", "apa");
    assert!(
        apa["text"]
            .as_str()
            .unwrap()
            .starts_with("(Okafor & Lindqvist, 2019"),
        "{apa}"
    );
    assert!(
        apa["bibliography"][0]
            .as_str()
            .unwrap()
            .contains("12(3), 41–67"),
        "{apa}"
    );
    let mla = cite(&env, "rent-strikes", "mla");
    assert!(
        mla["bibliography"][0]
            .as_str()
            .unwrap()
            .starts_with("Okafor, Adaeze, and Per Lindqvist."),
        "{mla}"
    );
    let author_date = cite(&env, "rent-strikes", "chicago-author-date");
    assert!(
        author_date["text"]
            .as_str()
            .unwrap()
            .starts_with("(Okafor and Lindqvist 2019"),
        "{author_date}"
    );
    let bibtex = cite(&env, "rent-strikes", "bibtex");
    let entry = bibtex["text"].as_str().unwrap();
    for field in [
        "journal = {Journal of Housing Struggles}",
        "volume = {12}",
        "number = {3}",
        "pages = {41--67}",
        "doi = {10.5555/jhs.2019.7}",
        "year = {2019}",
    ] {
        assert!(entry.contains(field), "{field}: {entry}");
    }
    let csl = cite(&env, "rent-strikes", "csl-json");
    let item: Value =
        serde_json::from_str::<Value>(csl["text"].as_str().unwrap()).unwrap()[0].clone();
    assert_eq!(item["DOI"], "10.5555/jhs.2019.7");
    assert_eq!(item["issue"], "3");
    assert_eq!(
        item["author"][0],
        serde_json::json!({"family": "Okafor", "given": "Adaeze"})
    );

    // The dead pamphlet: Chicago gives the address and where it is
    // archived; the others link the snapshot; the records say both.
    let notes = cite(&env, "pamphlet", "chicago-notes");
    let text = notes["text"].as_str().unwrap();
    assert!(
        text.contains(&format!("{original}, archived at {snapshot}, May 2, 2008")),
        "{text}"
    );
    assert!(
        notes["html"]
            .as_str()
            .unwrap()
            .contains(&format!("<a href=\"{snapshot}\">")),
        "{notes}"
    );
    assert!(
        notes["bibliography"][0]
            .as_str()
            .unwrap()
            .ends_with(&format!("Archived at {snapshot}, May 2, 2008.")),
        "{notes}"
    );
    assert_eq!(notes["link"], format!("{snapshot}"), "{notes}");
    let author_date = cite(&env, "pamphlet", "chicago-author-date");
    assert!(
        author_date["bibliography"][0]
            .as_str()
            .unwrap()
            .ends_with(&format!("Archived at {snapshot}, May 2, 2008.")),
        "{author_date}"
    );
    for style in ["apa", "mla"] {
        let cited = cite(&env, "pamphlet", style);
        let entry = cited["bibliography"][0].as_str().unwrap();
        assert!(
            entry.contains(&snapshot) && !entry.replace(&snapshot, "").contains(&original),
            "{style}: {entry}"
        );
    }
    let bibtex = cite(&env, "pamphlet", "bibtex")["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        bibtex.contains(&format!("url = {{{snapshot}}}")),
        "{bibtex}"
    );
    assert!(bibtex.contains("note = {Archived at "), "{bibtex}");
    assert!(bibtex.contains("on 2008-05-02}"), "{bibtex}");
    assert!(bibtex.contains("urldate = {"), "{bibtex}");
    let csl = cite(&env, "pamphlet", "csl-json");
    let item: Value =
        serde_json::from_str::<Value>(csl["text"].as_str().unwrap()).unwrap()[0].clone();
    assert_eq!(item["URL"], snapshot);
    assert_eq!(item["archive_location"], snapshot);
    assert_eq!(item["archive"], "127.0.0.1");
    assert_eq!(item["title"], "Jail Solidarity in Practice");

    // The corpus's quotation of the dead pamphlet stands in the archived
    // text, and the study's in its page.
    let run = env.run(&["verify", "--json"]);
    let checks: Vec<Value> =
        serde_json::from_str(&run.stdout()).unwrap_or_else(|e| panic!("{e}: {}", run.stderr()));
    let verdict = |words: &str| {
        checks
            .iter()
            .find(|c| c["words"].as_str().is_some_and(|q| q.contains(words)))
            .unwrap_or_else(|| panic!("no check of {words}: {checks:?}"))["verification"]
            .clone()
    };
    let pamphlet = verdict("jail solidarity works best");
    assert_eq!(pamphlet["status"], "verified", "{pamphlet}");
    assert_eq!(pamphlet["source"], "pamphlet");
    assert_eq!(verdict("whole buildings")["status"], "verified");
}

#[test]
fn details_are_read_again_only_when_asked() {
    let (pages, dois) = fixtures();
    let sites = Sites::start(pages, dois);
    let env = Env::with(&[("sources.yaml", &registry(&sites.base))]);
    // Without a DOI resolver, the page's own markup only.
    let first = env.run(&["fetch", "--json", "--doi-url", "none", "rent-strikes"]);
    let first: Vec<Value> = serde_json::from_str(&first.stdout()).unwrap();
    assert_eq!(first[0]["details_from"], serde_json::json!(["page"]));
    env.run(&["index"]).expect(0);
    let rows: Vec<Value> = serde_json::from_str(&env.run(&["sources", "--json"]).stdout()).unwrap();
    assert!(row(&rows, "rent-strikes").get("publisher").is_none());
    assert_eq!(row(&rows, "rent-strikes")["provenance"]["title"], "page");

    // A second fetch keeps the text and its details as they are…
    let kept = fetch(&env, &sites, &["rent-strikes"]);
    assert_eq!(kept[0]["status"], "kept");
    // …and --refresh-details reads them again, with the DOI's record,
    // without downloading the page; the index takes them up.
    let before = sites.asked().len();
    let refreshed = fetch(&env, &sites, &["--refresh-details", "rent-strikes"]);
    assert_eq!(refreshed[0]["status"], "refreshed", "{refreshed:?}");
    assert_eq!(
        refreshed[0]["details_from"],
        serde_json::json!(["doi", "page"])
    );
    let asked: Vec<String> = sites.asked()[before..].to_vec();
    assert_eq!(asked, vec!["/doi/10.5555/jhs.2019.7".to_string()]);
    env.run(&["index"]).expect(0);
    let rows: Vec<Value> = serde_json::from_str(&env.run(&["sources", "--json"]).stdout()).unwrap();
    assert_eq!(row(&rows, "rent-strikes")["publisher"], "Commons Press");
    assert_eq!(row(&rows, "rent-strikes")["provenance"]["title"], "doi");

    // A DOI that does not resolve is a warning; the page's details stay.
    let (pages, _) = fixtures();
    let no_dois = Sites::start(pages, HashMap::new());
    let env = Env::with(&[("sources.yaml", &registry(&no_dois.base))]);
    let fetched = fetch(&env, &no_dois, &["rent-strikes"]);
    assert_eq!(fetched[0]["status"], "saved");
    assert_eq!(fetched[0]["details_from"], serde_json::json!(["page"]));
    let warning = fetched[0]["warnings"][0].as_str().unwrap();
    assert!(
        warning.contains("10.5555/jhs.2019.7") && warning.contains("404"),
        "{warning}"
    );
}
