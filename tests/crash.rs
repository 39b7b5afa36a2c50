//! kill -9 at random moments during `index` and during `serve --watch`
//! updates: the index must always open, hold exactly one whole state of
//! the corpus (every page of one round, none of another), and answer.
//!
//! Each test runs `CITEINDEX_CRASH_ROUNDS` rounds (6 by default; the long
//! run in `reliability/run` asks for hundreds). The random moments come
//! from `CITEINDEX_CRASH_SEED`, or from the clock; the seed is printed so
//! that a failure can be replayed.

mod util;

use std::time::{Duration, Instant};

use util::{Env, Rng, Server, get, try_get, url_encode};

const PAGES: usize = 400;

fn rounds() -> usize {
    std::env::var("CITEINDEX_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6)
}

/// A generator for the moments, seeded from the environment or the clock.
fn rng(test: &str) -> Rng {
    let seed = std::env::var("CITEINDEX_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        })
        | 1;
    eprintln!("{test}: CITEINDEX_CRASH_SEED={seed}");
    Rng::new(seed)
}

/// Rewrites every page for `round`: each page's one paragraph carries the
/// word `round{round}`, so a state of the index is one round or a mix.
fn write_round(env: &Env, round: usize) {
    let paragraph = "Solidarity in the courts and the jails, recorded at length. ".repeat(20);
    for i in 0..PAGES {
        env.write(
            &format!("p{i:03}.md"),
            format!("{paragraph}round{round}.\n\n> “Quoted {i} in round{round}.”\n").as_bytes(),
        );
    }
}

/// Opens the index as it lies on disk, without updating it, and says which
/// round it holds; fails if it does not open or holds a mix of rounds.
fn round_on_disk(env: &Env, last: usize) -> usize {
    let index = tantivy::Index::open_in_dir(&env.index)
        .unwrap_or_else(|e| panic!("the index does not open: {e}"));
    citeindex::register_analyzers(&index);
    let reader = index.reader().expect("a reader");
    let searcher = reader.searcher();
    let text = index.schema().get_field("text").unwrap();
    let parser = tantivy::query::QueryParser::for_index(&index, vec![text]);
    let count = |query: &str| {
        searcher
            .search(
                &parser.parse_query(query).unwrap(),
                &tantivy::collector::Count,
            )
            .unwrap()
    };
    let held: Vec<(usize, usize)> = (0..=last)
        .map(|r| (r, count(&format!("round{r}"))))
        .filter(|&(_, n)| n > 0)
        .collect();
    // Each page has a paragraph and a quotation with the round's word.
    assert!(
        held.len() == 1 && held[0].1 == 2 * PAGES,
        "the index holds a mix of rounds (round, passages): {held:?}"
    );
    assert_eq!(count("solidarity"), PAGES, "pages lost or doubled");
    held[0].0
}

/// Indexes round 0, then round 1, and says how long that update of every
/// page took here, in ms: the span to place the kills in.
fn index_two_rounds(env: &Env) -> u64 {
    write_round(env, 0);
    env.run(&["index"]).expect(0);
    write_round(env, 1);
    let started = Instant::now();
    env.run(&["index"]).expect(0);
    started.elapsed().as_millis() as u64
}

#[test]
fn index_killed_at_random_moments_leaves_one_whole_state() {
    let env = Env::empty();
    let mut rng = rng("index");
    let full = index_two_rounds(&env);
    let mut seen = [0usize; 2];
    let rounds = rounds();
    for round in 2..2 + rounds {
        write_round(&env, round);
        let before = round_on_disk(&env, round);
        let mut child = env
            .command(&["index"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(
            rng.below(full as usize * 6 / 5) as u64
        ));
        let _ = child.kill();
        let _ = child.wait();
        let after = round_on_disk(&env, round);
        assert!(
            after == before || after == round,
            "round {round}: the index went from {before} to {after}"
        );
        seen[usize::from(after == round)] += 1;
        // The next command brings it up to date, from whatever state.
        let results = env.json(&["search", &format!("round{round}"), "--limit", "1"]);
        assert_eq!(results["total"], 2 * PAGES, "round {round}");
    }
    eprintln!(
        "index: {rounds} kills within {full} ms of an update; {} left the state before, {} after",
        seen[0], seen[1]
    );
}

#[test]
fn serve_watch_killed_at_random_moments_leaves_one_whole_state() {
    let env = Env::empty();
    let mut rng = rng("serve --watch");
    let full = index_two_rounds(&env);
    let mut seen = [0usize; 2];
    let mut answers = 0;
    let rounds = rounds();
    for round in 2..2 + rounds {
        let server = Server::start(&env, &["--watch"]);
        let before = round_on_disk(&env, round);
        write_round(&env, round);
        // The watcher looks twice a second; kill it anywhere from before
        // it notices to after its commit, while a client searches.
        let pause = Duration::from_millis(rng.below(full as usize * 3 + 1000) as u64);
        // One query for each of the two states: in one whole state the
        // count of either is all passages or none; a mix is in between.
        let queries =
            [before, round].map(|r| server.url(&format!("/api/search?q=round{r}&limit=1")));
        let killed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let client = {
            let killed = killed.clone();
            std::thread::spawn(move || {
                let mut answers = 0;
                for url in queries.iter().cycle() {
                    // A request cut off by the kill is no answer.
                    let Ok((status, body)) = try_get(url) else {
                        break;
                    };
                    if killed.load(std::sync::atomic::Ordering::SeqCst) {
                        break;
                    }
                    assert_eq!(status, 200, "{body}");
                    let results: serde_json::Value = serde_json::from_str(&body).unwrap();
                    let total = results["total"].as_u64().unwrap();
                    assert!(
                        total == 0 || total == 2 * PAGES as u64,
                        "a mixed answer: {total} for {url}"
                    );
                    answers += 1;
                }
                answers
            })
        };
        std::thread::sleep(pause);
        killed.store(true, std::sync::atomic::Ordering::SeqCst);
        let mut server = server;
        let _ = server.child.kill();
        let _ = server.child.wait();
        drop(server);
        answers += client
            .join()
            .expect("the client saw a failed or mixed answer");
        let after = round_on_disk(&env, round);
        assert!(
            after == before || after == round,
            "round {round}: the index went from {before} to {after}"
        );
        seen[usize::from(after == round)] += 1;
    }
    // A server started afterwards brings it up to date and answers.
    let server = Server::start(&env, &[]);
    let last = 1 + rounds;
    let (status, body) = get(&server.url(&format!(
        "/api/search?q={}&limit=1",
        url_encode(&format!("round{last}"))
    )));
    assert_eq!(status, 200);
    let results: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(results["total"], 2 * PAGES);
    eprintln!(
        "serve --watch: {rounds} kills within {} ms of a change; {} left the state before, {} after; \
         {answers} answers while updating, none failed or mixed",
        full * 3 + 1000,
        seen[0],
        seen[1]
    );
}
