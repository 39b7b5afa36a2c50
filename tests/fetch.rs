//! `citeindex fetch` against a local HTTP server that the test starts,
//! serving HTML, PDF and text that the test makes, and answers that must
//! fail: a 404, a redirect loop, a body over the size limit, a server too
//! slow, a content type that is not a text.

mod util;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use util::Env;

/// A tiny HTTP/1.1 server on a free loopback port; it records the
/// User-Agent of every request.
struct Site {
    base: String,
    agents: Arc<Mutex<Vec<String>>>,
    /// What the web archive's availability API was asked.
    asked: Arc<Mutex<Vec<String>>>,
}

fn respond(
    stream: &mut std::net::TcpStream,
    status: &str,
    headers: &[(&str, String)],
    body: &[u8],
) {
    let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
}

impl Site {
    fn start(pdf: Vec<u8>) -> Site {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let agents = Arc::new(Mutex::new(Vec::new()));
        let seen = agents.clone();
        let pdf = Arc::new(pdf);
        let home = base.clone();
        let asked = Arc::new(Mutex::new(Vec::new()));
        let archive_log = asked.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let seen = seen.clone();
                let pdf = pdf.clone();
                let home = home.clone();
                let archive_log = archive_log.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut request = String::new();
                    reader.read_line(&mut request).unwrap_or(0);
                    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                            break;
                        }
                        if let Some(agent) = line.to_ascii_lowercase().strip_prefix("user-agent:") {
                            seen.lock().unwrap().push(agent.trim().to_string());
                        }
                    }
                    let html = |t: &str| ("Content-Type", format!("text/html; charset=utf-8{t}"));
                    match path.as_str() {
                        "/article" => respond(&mut stream, "200 OK", &[html("")], b"<html><head><title>Air Pumps</title></head><body><nav>Menu</nav><article><p>The spring of the air is a power that presses on all bodies.</p></article></body></html>"),
                        "/moved" => respond(&mut stream, "301 Moved Permanently", &[("Location", "/article".into())], b""),
                        "/handbook.pdf" => respond(&mut stream, "200 OK", &[("Content-Type", "application/pdf".into())], &pdf),
                        "/notes.txt" => respond(&mut stream, "200 OK", &[("Content-Type", "text/plain".into())], b"Notes on the pump.\n\nThe receiver was emptied of air in a quarter of an hour.\n"),
                        "/loop" => respond(&mut stream, "302 Found", &[("Location", "/loop".into())], b""),
                        "/huge" => respond(&mut stream, "200 OK", &[("Content-Type", "text/plain".into())], &vec![b'a'; 300_000]),
                        "/slow" => {
                            std::thread::sleep(std::time::Duration::from_secs(4));
                            respond(&mut stream, "200 OK", &[("Content-Type", "text/plain".into())], b"late");
                        }
                        "/image" => respond(&mut stream, "200 OK", &[("Content-Type", "image/png".into())], b"\x89PNG"),
                        "/fake.pdf" => respond(&mut stream, "200 OK", &[("Content-Type", "application/pdf".into())], b"<html>not a pdf</html>"),
                        // Dead links, and the web archive's side.
                        "/dead-handbook" | "/dead-error-snapshot" => respond(&mut stream, "404 Not Found", &[html("")], b"gone"),
                        "/dead-no-snapshot" => respond(&mut stream, "410 Gone", &[html("")], b"gone"),
                        "/moved-away" => respond(&mut stream, "301 Moved Permanently", &[("Location", "/".into())], b""),
                        "/" => respond(&mut stream, "200 OK", &[html("")], b"<html><body><h1>Welcome to our new site</h1></body></html>"),
                        p if p.starts_with("/wayback/available?") => {
                            archive_log.lock().unwrap().push(p.to_string());
                            let stamp = "20090314101500";
                            let snapshot = |status: &str| {
                                let asked = p.split("url=").nth(1).unwrap_or("").split('&').next().unwrap_or("");
                                let asked = asked.replace("%3A", ":").replace("%2F", "/");
                                format!("{{\"archived_snapshots\": {{\"closest\": {{\"status\": \"{status}\", \"available\": true, \"url\": \"{home}/web/{stamp}/{asked}\", \"timestamp\": \"{stamp}\"}}}}}}")
                            };
                            let body = if p.contains("dead-handbook") || p.contains("moved-away") || p.contains("127.0.0.1%3A1") {
                                snapshot("200")
                            } else if p.contains("dead-error-snapshot") {
                                snapshot("404")
                            } else {
                                "{\"archived_snapshots\": {}}".to_string()
                            };
                            respond(&mut stream, "200 OK", &[("Content-Type", "application/json".into())], body.as_bytes());
                        }
                        p if p.starts_with("/web/20090314101500id_/") => respond(&mut stream, "200 OK", &[html("")], b"<html><body><article><p>The collective closed in 2010, but its handbook says that jail solidarity works best with many arrestees.</p></article></body></html>"),
                        p if p.starts_with("/web/") => respond(&mut stream, "200 OK", &[html("")], b"<html><body><div>Wayback banner</div><p>The collective closed in 2010.</p></body></html>"),
                        _ => respond(&mut stream, "404 Not Found", &[html("")], b"no such page"),
                    }
                });
            }
        });
        Site {
            base,
            agents,
            asked,
        }
    }
}

fn registry(base: &str) -> String {
    let mut out = String::from("sources:\n");
    for (id, path, kind) in [
        ("boyle-1660", "/moved", "book"),
        ("handbook", "/handbook.pdf", "handbook"),
        ("notes", "/notes.txt", "article"),
        ("gone", "/missing", "article"),
        ("looping", "/loop", "article"),
        ("huge", "/huge", "article"),
        ("slow", "/slow", "article"),
        ("picture", "/image", "article"),
        ("fake", "/fake.pdf", "handbook"),
        ("society", "/article", "organisation"),
    ] {
        out.push_str(&format!(
            "  - id: {id}\n    kind: {kind}\n    title: {id} title\n    url: {base}{path}\n"
        ));
    }
    out
}

#[test]
fn fetch_saves_texts_reports_each_failure_and_overwrites_only_when_forced() {
    let pdf = util::pdf(&[&["Cover page."], &["The engine was made by Mr. Hooke."]]);
    let site = Site::start(pdf.clone());
    let env = Env::with(&[
        ("sources.yaml", &registry(&site.base)),
        (
            "notes.md",
            "[Boyle wrote](BASE/moved) that “the spring of the air is a power that presses on all bodies.”\n"
                .replace("BASE", &site.base)
                .as_str(),
        ),
    ]);
    let started = std::time::Instant::now();
    let run = env
        .run(&[
            "fetch",
            "--json",
            "--timeout",
            "2",
            "--max-bytes",
            "100000",
            "--max-redirects",
            "3",
            // Dead links ask this web archive, which has nothing: nothing
            // leaves the loopback.
            "--archive-url",
            &site.base,
        ])
        .expect(1);
    assert!(started.elapsed().as_secs() < 15, "{:?}", started.elapsed());
    let fetched: Vec<Value> = serde_json::from_str(&run.stdout()).unwrap();
    let of = |id: &str| {
        fetched
            .iter()
            .find(|f| f["id"] == id)
            .unwrap_or_else(|| panic!("{id}: {fetched:?}"))
    };
    // Saved, following the redirect, with the right extension.
    assert_eq!(of("boyle-1660")["status"], "saved");
    assert_eq!(of("boyle-1660")["path"], "sources/boyle-1660.html");
    assert_eq!(of("handbook")["path"], "sources/handbook.pdf");
    assert_eq!(of("notes")["path"], "sources/notes.txt");
    assert_eq!(
        std::fs::read(env.corpus.join("sources/handbook.pdf")).unwrap(),
        pdf
    );
    // Each failure says why, and the others went on.
    let why = |id: &str| of(id)["message"].as_str().unwrap_or("").to_string();
    assert_eq!(of("gone")["status"], "failed");
    assert!(why("gone").contains("404"), "{}", why("gone"));
    assert!(
        why("looping").contains("more than 3 redirects"),
        "{}",
        why("looping")
    );
    assert!(
        why("huge").contains("larger than the limit"),
        "{}",
        why("huge")
    );
    assert!(why("slow").contains("2 s"), "{}", why("slow"));
    assert!(why("picture").contains("image/png"), "{}", why("picture"));
    assert!(why("fake").contains("not one"), "{}", why("fake"));
    // An organisation's URL is its home page, not a text.
    assert!(fetched.iter().all(|f| f["id"] != "society"));
    for failed in ["gone", "looping", "huge", "slow", "picture", "fake"] {
        let leftovers: Vec<_> = std::fs::read_dir(env.corpus.join("sources"))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(failed))
            .collect();
        assert!(leftovers.is_empty(), "{failed}: {leftovers:?}");
    }
    // Who asked is said.
    let agents = site.agents.lock().unwrap().clone();
    assert!(
        !agents.is_empty() && agents.iter().all(|a| a.starts_with("citeindex/")),
        "{agents:?}"
    );
    // The retrieval date is kept for citations.
    let record: Value = serde_json::from_slice(
        &std::fs::read(env.corpus.join("sources/boyle-1660.html.fetched.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(record["accessed"].as_str().unwrap().len(), 10);
    assert!(record["final_url"].as_str().unwrap().ends_with("/article"));

    // Nothing is overwritten without --force.
    std::fs::write(env.corpus.join("sources/notes.txt"), "Edited by hand.\n").unwrap();
    let again: Vec<Value> =
        serde_json::from_str(&env.run(&["fetch", "notes", "--json"]).expect(0).stdout()).unwrap();
    assert_eq!(again[0]["status"], "kept");
    assert_eq!(
        std::fs::read_to_string(env.corpus.join("sources/notes.txt")).unwrap(),
        "Edited by hand.\n"
    );
    let forced: Vec<Value> = serde_json::from_str(
        &env.run(&["fetch", "notes", "--force", "--json"])
            .expect(0)
            .stdout(),
    )
    .unwrap();
    assert_eq!(forced[0]["status"], "saved");
    assert!(
        std::fs::read_to_string(env.corpus.join("sources/notes.txt"))
            .unwrap()
            .contains("quarter of an hour")
    );

    // The texts are indexed as the sources' own, and the quote verified.
    let results = env.json(&["search", "\"quarter of an hour\""]);
    assert_eq!(util::hit_ids(&results), ["sources/notes#p2"]);
    let checks: Vec<Value> =
        serde_json::from_str(&env.run(&["verify", "--json"]).expect(0).stdout()).unwrap();
    assert_eq!(checks.len(), 1, "{checks:?}");
    assert_eq!(checks[0]["verification"]["status"], "verified");
    assert_eq!(
        checks[0]["verification"]["document"],
        "sources/boyle-1660.html"
    );
    // Citations of the fetched text say when it was accessed.
    let cited = env.json(&["cite", "sources/boyle-1660#p1", "--style", "chicago-notes"]);
    assert!(
        cited["text"].as_str().unwrap().contains("accessed"),
        "{cited}"
    );
    // A source the registry does not have is refused.
    let run = env.run(&["fetch", "nobody"]).expect(2);
    assert!(run.stderr().contains("nobody"), "{}", run.stderr());
}

/// A dead link is read from the web archive's snapshot closest to the
/// source's date, its original bytes, and the record says so; a dead link
/// without a snapshot, or whose snapshot is an error page, fails with both
/// reasons; `--no-archive` never asks, `--archive` asks first.
#[test]
fn dead_links_are_read_from_the_web_archive() {
    let site = Site::start(Vec::new());
    let mut sources = String::from("sources:\n");
    for (id, url, date) in [
        (
            "handbook",
            format!("{}/dead-handbook", site.base),
            "2009-03",
        ),
        ("moved", format!("{}/moved-away", site.base), "2008"),
        (
            "unreachable",
            "http://127.0.0.1:1/paper".to_string(),
            "2010",
        ),
        ("nothing", format!("{}/dead-no-snapshot", site.base), "2011"),
        (
            "error",
            format!("{}/dead-error-snapshot", site.base),
            "2012",
        ),
        ("notes", format!("{}/notes.txt", site.base), "2013"),
    ] {
        sources.push_str(&format!(
            "  - id: {id}\n    kind: article\n    title: {id} title\n    date: \"{date}\"\n    url: {url}\n"
        ));
    }
    let env = Env::with(&[("sources.yaml", &sources)]);
    let fetch = |extra: &[&str]| -> Vec<Value> {
        let mut args = vec![
            "fetch",
            "--json",
            "--timeout",
            "5",
            "--archive-url",
            &site.base,
        ];
        args.extend_from_slice(extra);
        serde_json::from_str(&env.run(&args).stdout()).unwrap()
    };
    let fetched = fetch(&[]);
    let of = |id: &str| fetched.iter().find(|f| f["id"] == id).unwrap().clone();
    let snapshot = |id: &str| {
        format!(
            "{}/web/20090314101500/{}",
            site.base,
            of(id)["url"].as_str().unwrap()
        )
    };
    for id in ["handbook", "moved", "unreachable"] {
        assert_eq!(of(id)["status"], "saved", "{id}: {:?}", of(id));
        assert_eq!(of(id)["archived_url"], snapshot(id), "{id}");
    }
    // The snapshot's own bytes, not the archive's page around them.
    let text = std::fs::read_to_string(env.corpus.join("sources/handbook.html")).unwrap();
    assert!(
        text.contains("jail solidarity works best") && !text.contains("Wayback banner"),
        "{text}"
    );
    let record: Value = serde_json::from_slice(
        &std::fs::read(env.corpus.join("sources/handbook.html.fetched.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(record["archived_url"], snapshot("handbook"));
    assert_eq!(record["archived_at"], "2009-03-14");
    assert!(record["url"].as_str().unwrap().ends_with("/dead-handbook"));
    // The snapshot asked for is the one closest to the source's date.
    let asked = site.asked.lock().unwrap().clone();
    assert!(
        asked
            .iter()
            .any(|a| a.contains("dead-handbook") && a.contains("timestamp=200903")),
        "{asked:?}"
    );
    // A live link is read from the link.
    assert_eq!(of("notes")["status"], "saved");
    assert!(of("notes").get("archived_url").is_none());
    // No snapshot, or one of an error page: both reasons, nothing written.
    let why = |id: &str| of(id)["message"].as_str().unwrap_or("").to_string();
    assert!(
        why("nothing").contains("410") && why("nothing").contains("no snapshot"),
        "{}",
        why("nothing")
    );
    assert!(
        why("error").contains("404") && why("error").contains("error page"),
        "{}",
        why("error")
    );
    assert!(!env.corpus.join("sources/nothing.html").exists());

    // --no-archive never asks; --archive asks first, and reads the link
    // when the archive has nothing.
    let never = fetch(&["--no-archive", "--force", "handbook"]);
    assert_eq!(never[0]["status"], "failed");
    assert!(
        !never[0]["message"].as_str().unwrap().contains("archive"),
        "{never:?}"
    );
    let first = fetch(&["--archive", "--force", "notes", "handbook"]);
    assert!(first.iter().all(|f| f["status"] == "saved"), "{first:?}");
    assert!(
        first
            .iter()
            .find(|f| f["id"] == "notes")
            .unwrap()
            .get("archived_url")
            .is_none()
    );
}
