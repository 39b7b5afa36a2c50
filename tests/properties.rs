//! Invariants of search answers, over a generated corpus and generated
//! queries: every highlight lies in its snippet and matches the query, a
//! snippet is a slice of its passage, and paging through the hits neither
//! repeats nor skips one. (That passage spans slice their page is checked
//! in `tests/corpora.rs`.)

mod util;

use std::collections::HashSet;
use std::sync::OnceLock;

use citeindex::{Index, Parser, Request, Results};
use proptest::prelude::*;
use util::{Env, Rng};

/// Few words, so that most queries match many passages and scores tie.
const WORDS: [&str; 24] = [
    "jail",
    "Jails",
    "solidarity",
    "court",
    "courts",
    "collective",
    "action",
    "actions",
    "prisoner's",
    "non-cooperation",
    "bargaining",
    "Bargain",
    "defendants",
    "organized",
    "Seattle",
    "café",
    "naïve",
    "l'état",
    "air-pump",
    "1999",
    "the",
    "of",
    "and",
    "<b>bold</b>",
];

/// A sentence of `len` of the corpus's words.
fn sentence(rng: &mut Rng, len: usize) -> String {
    let mut words: Vec<&str> = (0..len).map(|_| WORDS[rng.below(WORDS.len())]).collect();
    // Some punctuation and quotation marks between the words.
    for (i, word) in words.iter_mut().enumerate().skip(1) {
        if rng.below(9) == 0 {
            *word = ["“", "\"", "—", "(", "‘"][i % 5];
        }
    }
    words.join(" ")
}

/// A corpus of 40 pages of paragraphs, quotations with credit lines, lists
/// and headings made from [`WORDS`], indexed once for all the cases.
fn index() -> &'static (Env, Index, Parser) {
    static INDEX: OnceLock<(Env, Index, Parser)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let env = Env::empty();
        let mut rng = Rng(0x5eed_cafe);
        for page in 0..40 {
            let mut text = format!("---\ntitle: Page {page} {}\n---\n\n", sentence(&mut rng, 3));
            for block in 0..(3 + rng.below(6)) {
                let len = 3 + rng.below(if block % 4 == 0 { 140 } else { 30 });
                let words = sentence(&mut rng, len);
                text.push_str(&match rng.below(5) {
                    0 => format!("## {}\n\n", sentence(&mut rng, 4)),
                    1 => format!("> {words}\n>\n> — {}\n\n", sentence(&mut rng, 2)),
                    2 => format!("- {words}\n- {}\n\n", sentence(&mut rng, 5)),
                    _ => format!("{words}.\n\n"),
                });
            }
            env.write(&format!("p{page:02}.md"), text.as_bytes());
        }
        let corpus = citeindex::Site::open(&env.corpus, &Default::default()).unwrap();
        let (index, summary) =
            Index::open(&corpus, &env.index, &citeindex::IndexOptions::default()).unwrap();
        assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
        let parser = Parser::new(&index);
        (env, index, parser)
    })
}

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(WORDS.to_vec()).prop_map(str::to_string)
}

/// Queries a reader would type: words, phrases with and without slop,
/// prefixes, required and excluded words, alternatives.
fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        word(),
        (word(), word()).prop_map(|(a, b)| format!("{a} {b}")),
        (word(), word()).prop_map(|(a, b)| format!("\"{a} {b}\"")),
        (word(), word(), word()).prop_map(|(a, b, c)| format!("“{a} {b} {c}”")),
        (word(), word(), 0..4u8).prop_map(|(a, b, n)| format!("\"{a} {b}\"~{n}")),
        word().prop_map(|a| format!("{}*", a.chars().take(3).collect::<String>())),
        (word(), word()).prop_map(|(a, b)| format!("+{a} -{b}")),
        (word(), word()).prop_map(|(a, b)| format!("{a} OR {b}")),
    ]
}

/// Runs a search. Every query made of words parses; one holding HTML
/// (`-<b>bold</b>`) may be refused as a bad query, and then `None`.
fn try_run(request: &Request) -> Option<Results> {
    let (_, index, parser) = index();
    match citeindex::search(index, parser, request) {
        Ok(results) => Some(results),
        Err(citeindex::Error::Query(_)) if request.query.contains('<') => None,
        Err(e) => panic!("{:?}: {e}", request.query),
    }
}

fn run(request: &Request) -> Results {
    try_run(request).unwrap()
}

/// Whether a highlighted stretch shares a word with the query: the same
/// word, the same stem, or a word the query names by its prefix.
fn matches_query(highlight: &str, query: &str) -> bool {
    let query_words: HashSet<String> = citeindex::words(query)
        .into_iter()
        .map(|w| w.text)
        .collect();
    let query_stems: HashSet<String> = citeindex::stemmed_words(query)
        .into_iter()
        .map(|w| w.text)
        .collect();
    let prefixes: Vec<String> = query
        .split_whitespace()
        .filter_map(|w| w.strip_suffix('*'))
        .flat_map(citeindex::words)
        .map(|w| w.text)
        .collect();
    citeindex::words(highlight)
        .iter()
        .zip(citeindex::stemmed_words(highlight))
        .any(|(word, stem)| {
            query_words.contains(&word.text)
                || query_stems.contains(&stem.text)
                || prefixes.iter().any(|p| word.text.starts_with(p.as_str()))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A snippet is one stretch of its passage, with "…" where it was cut;
    /// its highlights lie inside it and each shares a word with the query.
    #[test]
    fn highlights_lie_in_snippets_and_match_the_query(query in query(), typing in any::<bool>()) {
        let results = try_run(&Request { limit: 1000, typing, ..Request::new(query.clone()) });
        prop_assume!(results.is_some());
        for hit in &results.unwrap().hits {
            let joined: String = hit.snippet.iter().map(|f| f.text.as_str()).collect();
            let inner = joined.strip_prefix('…').unwrap_or(&joined);
            let inner = inner.strip_suffix('…').unwrap_or(inner);
            prop_assert!(hit.text.contains(inner), "{}: snippet {joined:?} not in {:?}", hit.id, hit.text);
            for fragment in hit.snippet.iter().filter(|f| f.highlighted) {
                prop_assert!(inner.contains(&fragment.text));
                prop_assert!(
                    matches_query(&fragment.text, &query),
                    "{}: {:?} is highlighted for {query:?}", hit.id, fragment.text
                );
            }
        }
    }

    /// Pages of any size, read one after another, give the hits of one big
    /// request in the same order: none repeated, none skipped.
    #[test]
    fn paging_neither_repeats_nor_skips(query in query(), size in 1..8usize, typing in any::<bool>()) {
        let all = try_run(&Request { limit: 1000, typing, ..Request::new(query.clone()) });
        prop_assume!(all.as_ref().is_some_and(|all| all.total <= 1000));
        let all = all.unwrap();
        prop_assert_eq!(all.hits.len(), all.total);
        let ids: Vec<&str> = all.hits.iter().map(|h| h.id.as_str()).collect();
        prop_assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "a hit twice");
        let mut paged = Vec::new();
        let mut offset = 0;
        loop {
            let page = run(&Request { limit: size, offset, typing, ..Request::new(query.clone()) });
            prop_assert_eq!(page.total, all.total);
            prop_assert_eq!(page.offset, offset);
            prop_assert!(page.hits.len() <= size);
            if page.hits.is_empty() {
                break;
            }
            paged.extend(page.hits.into_iter().map(|h| h.id));
            offset += size;
        }
        prop_assert_eq!(paged.iter().map(String::as_str).collect::<Vec<_>>(), ids);
    }
}

/// The generated corpus does exercise the properties: queries match many
/// passages, with ties, and snippets of long passages are cut.
#[test]
fn the_generated_corpus_gives_many_hits_and_cut_snippets() {
    let results = run(&Request {
        limit: 1000,
        ..Request::new("solidarity")
    });
    assert!(results.total > 50, "{}", results.total);
    assert!(
        results
            .hits
            .iter()
            .any(|h| h.snippet.first().is_some_and(|f| f.text == "…")),
        "no snippet was cut"
    );
    let scores: Vec<f32> = results.hits.iter().map(|h| h.score).collect();
    let distinct: HashSet<u32> = scores.iter().map(|s| s.to_bits()).collect();
    assert!(distinct.len() < scores.len(), "no tied scores");
    // A straight apostrophe inside a word is a word, not a phrase mark.
    let straight = run(&Request::new("prisoner's"));
    assert!(straight.total > 0);
    assert_eq!(straight.total, run(&Request::new("prisoner’s")).total);
    assert_eq!(straight.total, run(&Request::new("prisoners")).total);
}

/// Pieces of prose that attribution reads closely, mixed with characters
/// whose case changes their length (`İ` lower-cases to two characters,
/// `ẞ` to one of another size) or that fold to several (`ﬃ`).
fn attributed_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("According to ".to_string()),
        Just("according to the ".to_string()),
        Just(" said ".to_string()),
        Just(" argues that ".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("\"".to_string()),
        Just(", ".to_string()),
        Just(". ".to_string()),
        Just(" (TU) ".to_string()),
        Just("The following includes excerpts from ".to_string()),
        Just(" by ".to_string()),
        Just("\n\n> ".to_string()),
        Just("\n\n— ".to_string()),
        Just("[Ada Quill explained](https://example.org/q) ".to_string()),
        "[İẞǅﬃßÅ\u{301}ΣσςİI]{1,4}",
        "[ÖÇŞİ][a-zçğışöü]{1,5}",
        Just("İİİ".to_string()),
        "[A-Z][a-z]{1,6}",
        "[a-z]{1,8}",
    ];
    proptest::collection::vec(piece, 1..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    // Regression: attribution found offsets in the lower-cased text and
    // sliced the original with them, and panicked on `İ`.
    #[test]
    fn attribution_never_panics_and_every_span_slices_on_a_boundary(text in attributed_text()) {
        let page = citeindex::Page::parse("p.md", text.into_bytes()).unwrap();
        let mut passages = citeindex::split_page(&page);
        let registry = citeindex::SourceTable::default();
        let names = citeindex::Names::new(&registry);
        let findings = citeindex::attribute(&page, &mut passages, &registry, &names);
        let known: HashSet<&str> = findings.discovered.iter().map(|s| s.id.as_str()).collect();
        for p in &passages {
            prop_assert!(page.text.get(p.span.clone()).is_some(), "{:?}", p.span);
            for q in &p.quotes {
                prop_assert!(p.text.get(q.span.clone()).is_some(), "{:?} in {:?}", q.span, p.text);
                if let Some(speaker) = &q.speaker {
                    prop_assert!(known.contains(speaker.as_str()), "{speaker} is no source");
                }
            }
            for link in &p.links {
                prop_assert!(p.text.get(link.span.clone()).is_some());
            }
        }
    }
}
