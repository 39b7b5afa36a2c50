//! The fuzz targets of citeindex, as plain functions: each takes the
//! fuzzer's bytes, runs one part of citeindex on them, and panics if an
//! invariant breaks. `fuzz_targets/` hands them to libFuzzer
//! (`reliability/fuzz.sh`); `tests/fuzz_seeds.rs` runs them on the seed
//! inputs and on every input a fuzzer has saved, in the normal test run.
//!
//! - [`passages`]: a page, as bytes, through front matter, the passage
//!   splitter and attribution;
//! - [`attribution`]: a quotation and its credit in the forms attribution
//!   reads (blockquote credit lines, "as X wrote", excerpt notes);
//! - [`query`]: a query through the parser in both modes, the search with
//!   snippets, paging, and the quote look-up, on an index of the seed page.

use std::collections::HashSet;
use std::sync::OnceLock;

use citeindex::{Error, Index, Names, Page, Parser, Passage, Request, SourceTable};

const SEED_PAGE: &str = include_str!("../../corpus/jail-court-solidarity-actions.md");
const SEED_SOURCES: &str = include_str!("../../corpus/sources.yaml");

fn registry() -> &'static (SourceTable, Names) {
    static REGISTRY: OnceLock<(SourceTable, Names)> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let (sources, problems) = citeindex::parse_registry(SEED_SOURCES, "sources.yaml");
        assert!(problems.is_empty(), "seed registry: {problems:?}");
        let table = SourceTable::new(sources);
        let names = Names::new(&table);
        (table, names)
    })
}

/// Splits and attributes `bytes` as the page `path`, and checks what came
/// out against the page.
fn check_page_bytes(path: &str, bytes: Vec<u8>) {
    let lines = 1 + bytes.iter().filter(|&&b| b == b'\n').count();
    let page = match Page::parse(path, bytes) {
        Ok(page) => page,
        Err(Error::Corpus {
            path: reported,
            line,
            message,
        }) => {
            // Refused with where and why.
            assert_eq!(reported, path);
            assert!(
                (1..=lines).contains(&line),
                "line {line} of {lines}: {message}"
            );
            assert!(!message.is_empty());
            return;
        }
        Err(other) => panic!("a page is refused with {other:?}, not a corpus error"),
    };
    let mut passages = citeindex::split_page(&page);
    let (registry, names) = registry();
    let findings = citeindex::attribute(&page, &mut passages, registry, names);
    let known: HashSet<&str> = registry
        .iter()
        .map(|s| s.id.as_str())
        .chain(findings.discovered.iter().map(|s| s.id.as_str()))
        .collect();
    check_passages(&page, &passages, &known);
}

/// The splitter's and attribution's invariants: ids are unique, spans slice
/// the page at its lines, a passage's words are its span's words in order,
/// quotation and link spans slice the passage text, and every source named
/// is in the registry or was found on the page.
fn check_passages(page: &Page, passages: &[Passage], known: &HashSet<&str>) {
    let breaks: Vec<usize> = page.text.match_indices('\n').map(|(i, _)| i).collect();
    let mut ids = HashSet::new();
    for p in passages {
        assert!(ids.insert(p.id.as_str()), "duplicate id {}", p.id);
        assert!(!p.text.trim().is_empty(), "{}: empty passage", p.id);
        let slice = page
            .text
            .get(p.span.clone())
            .unwrap_or_else(|| panic!("{}: span {:?} is not in the page", p.id, p.span));
        assert_eq!(
            p.line,
            1 + breaks.partition_point(|&b| b < p.span.start),
            "{}",
            p.id
        );
        // Entities are decoded in text and kept in code, and a passage may
        // hold both: each entity of the span stands as its decoded form
        // followed by itself.
        let want: String = citeindex::words(&p.text)
            .into_iter()
            .map(|w| w.text)
            .collect();
        let have: String = citeindex::words(&both_ways(slice))
            .into_iter()
            .map(|w| w.text)
            .collect();
        let mut have = have.chars();
        assert!(
            want.chars().all(|c| have.any(|h| h == c)),
            "{}: the text's letters are not, in order, letters of its span\ntext: {:?}\nspan: {slice:?}",
            p.id,
            p.text
        );
        for q in &p.quotes {
            assert!(
                p.text.get(q.span.clone()).is_some(),
                "{}: quote {:?}",
                p.id,
                q.span
            );
            if let Some(speaker) = &q.speaker {
                assert!(
                    known.contains(speaker.as_str()),
                    "{}: unknown speaker {speaker}",
                    p.id
                );
            }
        }
        for link in &p.links {
            assert!(
                p.text.get(link.span.clone()).is_some(),
                "{}: link {:?}",
                p.id,
                link.span
            );
        }
        for id in p.excerpted_from.iter().chain(&p.cites) {
            assert!(known.contains(id.as_str()), "{}: unknown source {id}", p.id);
        }
    }
}

/// `text` with each character reference (`&amp;`, `&#x201C;`) written as
/// what it decodes to, followed by the reference itself.
fn both_ways(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail[1..]
            .char_indices()
            .take(33)
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '#'))
            .filter(|&(_, c)| c == ';')
            .map(|(i, _)| i + 2);
        match end {
            Some(end) => {
                out.push_str(&citeindex::decode_entities(&tail[..end]));
                out.push(' ');
                out.push_str(&tail[..end]);
                rest = &tail[end..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A page of any bytes.
pub fn passages(data: &[u8]) {
    check_page_bytes("fuzz.md", data.to_vec());
}

/// Bytes read as up to three lines, a quotation, a name and a work, set in
/// each of the forms attribution reads, on a page after the seed page's
/// own text (so that its registry names and excerpt notes are in play).
pub fn attribution(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\n');
    let quotation = parts.next().unwrap_or("");
    let name = parts.next().unwrap_or("");
    let work = parts.next().unwrap_or("");
    let forms = [
        format!("> {quotation}\n>\n> — {name}, {work}\n"),
        format!("> {quotation}\n\n-- {name}\n"),
        format!("As {name} wrote in {work}, “{quotation}”\n"),
        format!("*Excerpted from {name}, “{work}”:*\n\n> “{quotation}”\n"),
        format!("{name} ({work}) said: \"{quotation}\" and '{work}'.\n"),
    ];
    for form in forms {
        check_page_bytes("fuzz.md", format!("{SEED_PAGE}\n\n{form}").into_bytes());
    }
}

struct Seed {
    _dir: tempfile::TempDir,
    index: Index,
    parser: Parser,
}

fn seed() -> &'static Seed {
    static SEED: OnceLock<Seed> = OnceLock::new();
    SEED.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus_dir = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus_dir).unwrap();
        std::fs::write(
            corpus_dir.join("jail-court-solidarity-actions.md"),
            SEED_PAGE,
        )
        .unwrap();
        std::fs::write(corpus_dir.join("sources.yaml"), SEED_SOURCES).unwrap();
        let corpus = citeindex::Site::open(&corpus_dir, &Default::default()).unwrap();
        let (index, _) = Index::open(
            &corpus,
            &dir.path().join("index"),
            &citeindex::IndexOptions::default(),
        )
        .unwrap();
        let parser = Parser::new(&index);
        Seed {
            _dir: dir,
            index,
            parser,
        }
    })
}

/// A query of any bytes: the first byte picks the mode, the page size and
/// the source filter, the rest is the query (as UTF-8, lossily).
pub fn query(data: &[u8]) {
    let Some((&options, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    let seed = seed();
    let limit = usize::from(options & 0x07) + 1;
    let source = match (options >> 3) & 0x03 {
        0 | 1 => None,
        2 => Some("hermes-2016".to_string()),
        _ => Some(text.chars().take(12).collect()),
    };
    let typing = options & 0x20 != 0;
    let all = run(seed, &text, typing, source.clone(), 1000, 0);
    let Some(all) = all else { return };
    // The snippets are slices of their passages, and paging through the
    // hits neither repeats nor skips one.
    let mut paged = Vec::new();
    let mut offset = 0;
    while offset < all.total {
        let page = run(seed, &text, typing, source.clone(), limit, offset)
            .expect("a query that ran once runs again");
        assert_eq!(page.total, all.total);
        assert!(!page.hits.is_empty() && page.hits.len() <= limit);
        paged.extend(page.hits.into_iter().map(|h| h.id));
        offset += limit;
    }
    let ids: Vec<String> = all.hits.iter().map(|h| h.id.clone()).collect();
    assert_eq!(paged, ids, "paging repeats or skips hits");
    for hit in &all.hits {
        let joined: String = hit.snippet.iter().map(|f| f.text.as_str()).collect();
        let inner = joined.strip_prefix('…').unwrap_or(&joined);
        let inner = inner.strip_suffix('…').unwrap_or(inner);
        assert!(hit.text.contains(inner), "{}: snippet {joined:?}", hit.id);
    }
    // The same words as a quotation to look up.
    match citeindex::lookup(&seed.index, &text) {
        Ok(lookup) => {
            for m in &lookup.matches {
                assert_eq!(
                    m.passage.text.get(m.span.clone()),
                    Some(m.wording.as_str()),
                    "the wording is not the passage's text at its span"
                );
                assert!(
                    (0.0..=1.0).contains(&m.similarity),
                    "similarity {}",
                    m.similarity
                );
            }
        }
        Err(Error::Query(message)) => assert!(!message.is_empty()),
        Err(other) => panic!("a quote look-up failed with {other:?}"),
    }
}

/// Runs one search; `None` when it is refused as a bad query or an
/// unknown source, which is the only way it may fail.
fn run(
    seed: &Seed,
    query: &str,
    typing: bool,
    source: Option<String>,
    limit: usize,
    offset: usize,
) -> Option<citeindex::Results> {
    let request = Request {
        query: query.to_string(),
        source,
        limit,
        offset,
        typing,
        filters: Default::default(),
        citations: true,
    };
    match citeindex::search(&seed.index, &seed.parser, &request) {
        Ok(results) => {
            assert!(results.hits.len() <= limit);
            Some(results)
        }
        Err(Error::Query(message)) => {
            assert!(!message.is_empty());
            None
        }
        Err(Error::UnknownSource { .. }) => None,
        Err(other) => panic!("a search failed with {other:?}"),
    }
}
