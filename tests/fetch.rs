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
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let seen = seen.clone();
                let pdf = pdf.clone();
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
                        _ => respond(&mut stream, "404 Not Found", &[html("")], b"no such page"),
                    }
                });
            }
        });
        Site { base, agents }
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
