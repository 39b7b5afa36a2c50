//! Invariants of passages, checked on every corpus there is: the seed, the
//! Debian fortunes made into Markdown, the 201.6 MB Philosophical
//! Transactions archive (read straight from its .tar.zst), and random
//! Markdown made by proptest.

mod util;

use std::io::Read;

use citeindex::{Names, Page, Passage, PassageKind, SourceTable};
use proptest::prelude::*;
use util::Rng;

/// Checks every passage of a page; returns how many there were.
///
/// The byte span slices the file to the block: the slice starts on the
/// passage's line, and the letters and digits of the passage's words are, in
/// order, letters and digits of the slice's words (markup, entities and link
/// targets are all the slice may add, and they may split or join words:
/// `*Rauwolf*'s`, LaTeX read as a link). Quotation spans lie in the text,
/// and ids are unique.
fn check_page(page: &Page, passages: &[Passage]) -> usize {
    let mut ids = std::collections::HashSet::new();
    let breaks: Vec<usize> = page.text.match_indices('\n').map(|(i, _)| i).collect();
    for p in passages {
        assert!(
            ids.insert(p.id.clone()),
            "{}: duplicate id {}",
            page.path,
            p.id
        );
        let slice = page
            .text
            .get(p.span.clone())
            .unwrap_or_else(|| panic!("{}: span {:?} is not in the file", page.path, p.span));
        let line = 1 + breaks.partition_point(|&b| b < p.span.start);
        assert_eq!(p.line, line, "{}: {}", page.path, p.id);
        let decoded = citeindex::decode_entities(slice);
        let have = letters(&decoded);
        let mut have = have.chars();
        assert!(
            letters(&p.text).chars().all(|c| have.any(|h| h == c)),
            "{}: {}: the text's letters are not, in order, letters of its span\ntext: {:?}\nslice: {:?}",
            page.path,
            p.id,
            p.text,
            slice
        );
        for q in &p.quotes {
            assert!(
                p.text.get(q.span.clone()).is_some(),
                "{}: quote span {:?} in {:?}",
                p.id,
                q.span,
                p.text
            );
        }
        assert!(!p.text.trim().is_empty(), "{}: empty passage", p.id);
    }
    passages.len()
}

/// The folded letters and digits of `text`'s words, run together.
fn letters(text: &str) -> String {
    citeindex::words(text).into_iter().map(|w| w.text).collect()
}

fn process(
    path: &str,
    bytes: Vec<u8>,
    registry: &SourceTable,
    names: &Names,
) -> Option<(Page, Vec<Passage>)> {
    let page = Page::parse(path, bytes).ok()?;
    let mut passages = citeindex::split_page(&page);
    citeindex::attribute(&page, &mut passages, registry, names);
    Some((page, passages))
}

#[test]
fn spans_slice_every_passage_of_the_seed_corpus() {
    let corpus = citeindex::Corpus::open(util::seed_corpus()).unwrap();
    let scan = corpus.scan().unwrap();
    let (sources, problems) =
        citeindex::read_registry(&corpus.resolve("sources.yaml").unwrap(), "sources.yaml");
    assert!(problems.is_empty(), "{problems:?}");
    let registry = SourceTable::new(sources);
    let names = Names::new(&registry);
    let mut total = 0;
    for stamp in &scan.pages {
        let bytes = util::read(&corpus.resolve(&stamp.path).unwrap());
        let (page, passages) = process(&stamp.path, bytes, &registry, &names).unwrap();
        total += check_page(&page, &passages);
    }
    assert_eq!(total, 13);
}

/// The fortunes files as Markdown pages: each entry a blockquote followed by
/// its credit line, as a quotations page on a website would have it.
/// A page of fortunes: its path, its Markdown, and each entry's credit.
type FortunesPage = (String, String, Vec<Option<String>>);

/// `None` (the test skipped) when the shared corpora are not there.
fn fortunes_pages(what: &str) -> Option<Vec<FortunesPage>> {
    let folder = util::shared_corpus("fortunes", what)?;
    let mut pages = Vec::new();
    for name in ["anarchism", "politics"] {
        let path = folder.join(name);
        let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let raw = String::from_utf8_lossy(&raw);
        let mut markdown = format!("---\ntitle: Fortunes, {name}\n---\n\n");
        let mut credits = Vec::new();
        for entry in raw.split("\n%\n") {
            let lines: Vec<&str> = entry.lines().collect();
            let credit_at = lines
                .iter()
                .rposition(|l| l.trim_start().starts_with("-- "));
            let (body, credit) = match credit_at {
                Some(i) if i > 0 => (
                    &lines[..i],
                    Some(lines[i].trim().trim_start_matches("-- ").to_string()),
                ),
                _ => (&lines[..], None),
            };
            let body: Vec<String> = body
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect();
            if body.is_empty() {
                continue;
            }
            for line in &body {
                markdown.push_str(&format!("> {line}\n"));
            }
            markdown.push('\n');
            if let Some(credit) = &credit {
                markdown.push_str(&format!("— {credit}\n\n"));
            }
            credits.push(credit.map(|c| c.split([',', '(']).next().unwrap().trim().to_string()));
        }
        pages.push((format!("fortunes-{name}.md"), markdown, credits));
    }
    Some(pages)
}

#[test]
fn spans_slice_every_passage_of_the_fortunes_and_credit_lines_name_speakers() {
    let Some(fortunes) = fortunes_pages("the fortunes' spans and credit lines") else {
        return;
    };
    let registry = SourceTable::default();
    let names = Names::new(&registry);
    let mut credited = 0;
    let mut right = 0;
    let mut misses = Vec::new();
    for (path, markdown, credits) in fortunes {
        let page = Page::parse(&path, markdown.into_bytes()).unwrap();
        let mut passages = citeindex::split_page(&page);
        let findings = citeindex::attribute(&page, &mut passages, &registry, &names);
        check_page(&page, &passages);
        // The first passage of each blockquote carries its speaker.
        let mut groups: Vec<&Passage> = Vec::new();
        for p in &passages {
            if p.kind == PassageKind::Blockquote
                && groups.last().is_none_or(|g| g.blockquote != p.blockquote)
            {
                groups.push(p);
            }
        }
        assert_eq!(groups.len(), credits.len(), "{path}");
        for (group, credit) in groups.iter().zip(&credits) {
            let Some(credit) = credit else { continue };
            // Credits that name nobody give nobody.
            if credit.starts_with("Anonymous") || credit.starts_with("Unknown") {
                continue;
            }
            credited += 1;
            let speaker = group
                .excerpted_from
                .as_ref()
                .and_then(|id| findings.discovered.iter().find(|s| &s.id == id));
            // The name without the title or office before it (“Sir Henry
            // Wotton” is Henry Wotton).
            let is_name = |name: &str| {
                name == credit
                    || credit.strip_suffix(name).is_some_and(|before| {
                        before.ends_with(' ')
                            && before.split_whitespace().count() <= 2
                            && before
                                .split_whitespace()
                                .all(|w| w.starts_with(char::is_uppercase))
                    })
            };
            let named = speaker.is_some_and(|s| {
                s.title.as_deref().is_some_and(is_name)
                    || s.authors.first().is_some_and(|a| is_name(a))
            });
            if named {
                right += 1;
            } else if misses.len() < 40 {
                misses.push(format!(
                    "{path}: {credit:?} got {:?}",
                    speaker.map(|s| s.name())
                ));
            }
        }
    }
    let share = right as f64 / credited as f64;
    for miss in &misses {
        println!("  miss: {miss}");
    }
    println!(
        "credit lines giving the right speaker: {right}/{credited} = {:.1}%",
        share * 100.0
    );
    assert!(credited > 1000);
    assert!(
        share >= 0.95,
        "only {:.1}% of credit lines gave the right speaker",
        share * 100.0
    );
}

#[test]
fn spans_slice_every_passage_of_the_philosophical_transactions_archive() {
    let Some(path) = util::shared_corpus("philtrans.tar.zst", "the archive's spans") else {
        return;
    };
    let mut archive = util::open_tar(&path);
    let registry = SourceTable::default();
    let names = Names::new(&registry);
    let (mut pages, mut passages, mut bytes_read) = (0, 0, 0);
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".md") {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        bytes_read += bytes.len();
        let (page, split) = process(&name, bytes, &registry, &names)
            .unwrap_or_else(|| panic!("{name} did not parse"));
        assert!(
            page.title != page.slug,
            "{name}: the title comes from front matter"
        );
        passages += check_page(&page, &split);
        pages += 1;
    }
    println!("{pages} pages, {passages} passages, {bytes_read} bytes checked");
    assert_eq!(pages, 8128);
    assert!(bytes_read > 200_000_000);
}

fn block() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        "[a-zA-Z]{1,8}",
        Just("naïve".to_string()),
        Just("it’s".to_string()),
        Just("&amp;".to_string()),
        Just("—".to_string()),
        Just("“quoted words”".to_string()),
        Just("\"straight\"".to_string()),
        Just("*emphasis*".to_string()),
        Just("[a link](http://example.org/x)".to_string()),
        Just("`code`".to_string()),
        Just("<b>html</b>".to_string()),
        Just("(JCLC)".to_string()),
    ];
    let line = prop::collection::vec(word, 1..12).prop_map(|w| w.join(" "));
    (0..7u8, prop::collection::vec(line, 1..4)).prop_map(|(kind, lines)| match kind {
        0 => format!("# {}", lines[0]),
        1 => lines
            .iter()
            .map(|l| format!("> {l}"))
            .collect::<Vec<_>>()
            .join("\n"),
        2 => lines
            .iter()
            .map(|l| format!("- {l}"))
            .collect::<Vec<_>>()
            .join("\n"),
        3 => format!("| {} | x |\n|---|---|\n| y | z |", lines[0]),
        4 => format!("— {}", lines[0]),
        5 => format!("1. {}\n   > {}", lines[0], lines.last().unwrap()),
        _ => lines.join("\n"),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn spans_slice_every_passage_of_random_markdown(
        front in prop_oneof![Just(String::new()), Just("---\ntitle: T &amp; U\n---\n".to_string()), Just("+++\ntitle = \"T\"\n+++\n".to_string())],
        blocks in prop::collection::vec(block(), 1..12),
    ) {
        let markdown = format!("{front}{}\n", blocks.join("\n\n"));
        let registry = SourceTable::default();
        let names = Names::new(&registry);
        let (page, passages) = process("random.md", markdown.into_bytes(), &registry, &names).unwrap();
        check_page(&page, &passages);
    }
}

/// Changes `k` words of `words`: drops, adds, swaps and misspells.
fn perturb(words: &mut Vec<String>, k: usize, rng: &mut Rng) {
    const FILLERS: [&str; 8] = [
        "really", "very", "just", "quite", "indeed", "also", "simply", "truly",
    ];
    for _ in 0..k {
        match rng.below(4) {
            0 if words.len() > 3 => {
                let at = rng.below(words.len());
                words.remove(at);
            }
            1 => {
                let at = rng.below(words.len() + 1);
                words.insert(at, FILLERS[rng.below(FILLERS.len())].to_string());
            }
            2 if words.len() > 1 => {
                let at = rng.below(words.len() - 1);
                words.swap(at, at + 1);
            }
            _ => {
                let long: Vec<usize> = (0..words.len())
                    .filter(|&i| words[i].chars().count() >= 5)
                    .collect();
                if long.is_empty() {
                    continue;
                }
                let at = long[rng.below(long.len())];
                let mut chars: Vec<char> = words[at].chars().collect();
                let i = 1 + rng.below(chars.len() - 3);
                if rng.below(2) == 0 {
                    chars.swap(i, i + 1);
                } else {
                    chars.remove(i);
                }
                words[at] = chars.into_iter().collect();
            }
        }
    }
}

/// Misremembered quotations find their passage: several hundred queries made
/// from the fortunes and the seed page with up to 20% of their words
/// dropped, added, swapped or misspelt (and straight quotes for curly ones)
/// must put the right passage first at least 95% of the time; made-up words
/// must be "not found".
#[test]
fn close_matches_find_misremembered_quotations() {
    use citeindex::Status;
    let Some(fortunes) = fortunes_pages("close matches of misremembered fortunes") else {
        return;
    };
    let env = util::Env::seed();
    for (path, markdown, _) in fortunes {
        env.write(&path, markdown.as_bytes());
    }
    let corpus = citeindex::Site::open(&env.corpus, &Default::default()).unwrap();
    let index = citeindex::Index::open(&corpus, &env.index, &Default::default())
        .unwrap()
        .0;

    let mut quotations: Vec<(String, String)> = Vec::new();
    let mut seed: Vec<(String, String)> = Vec::new();
    for stamp in corpus.scan().unwrap().pages {
        let bytes = std::fs::read(corpus.corpus().resolve(&stamp.path).unwrap()).unwrap();
        let page = Page::parse(&stamp.path, bytes).unwrap();
        for p in citeindex::split_page(&page) {
            let enough = citeindex::words(&p.text).len() >= 6;
            if !enough || !matches!(p.kind, PassageKind::Blockquote | PassageKind::Paragraph) {
                continue;
            }
            if stamp.path.starts_with("fortunes") {
                quotations.push((p.id, p.text));
            } else {
                seed.push((p.id, p.text));
            }
        }
    }
    let mut rng = Rng(0x5eed_c17e);
    let mut cases = Vec::new();
    for _ in 0..400 {
        cases.push(quotations[rng.below(quotations.len())].clone());
    }
    for _ in 0..5 {
        cases.extend(seed.iter().cloned());
    }
    let (mut right, mut asked) = (0, 0);
    let mut misses = Vec::new();
    let mut statuses = std::collections::BTreeMap::new();
    for (id, text) in &cases {
        let all: Vec<String> = citeindex::words(text)
            .iter()
            .map(|w| text[w.span.clone()].to_string())
            .collect();
        let window = if all.len() > 24 {
            12 + rng.below(13)
        } else {
            all.len()
        };
        let start = rng.below(all.len() - window + 1);
        let mut words = all[start..start + window].to_vec();
        let k = 1 + rng.below((window / 5).max(1));
        perturb(
            &mut words,
            k.min(window / 5).max(usize::from(window >= 5)),
            &mut rng,
        );
        let mut query = words.join(" ").replace(['’', '‘'], "'");
        if rng.below(2) == 0 {
            query = format!("\"{query}\"");
        }
        let lookup = citeindex::lookup(&index, &query).unwrap();
        if asked < 3 {
            println!(
                "  e.g. {query:?}: {:?}",
                lookup
                    .matches
                    .first()
                    .map(|m| citeindex::diff_line(&m.diff))
            );
        }
        *statuses.entry(format!("{:?}", lookup.status)).or_insert(0) += 1;
        asked += 1;
        let first = lookup
            .matches
            .first()
            .map(|m| (&m.passage.id, &m.passage.text));
        if first.is_some_and(|(i, t)| i == id || t == text) {
            right += 1;
        } else {
            misses.push(format!(
                "{query:?} → {:?} (wanted {id})",
                first.map(|f| f.0)
            ));
        }
    }
    let share = right as f64 / asked as f64;
    println!(
        "close matches: the right passage first for {right}/{asked} = {:.1}% of perturbed queries",
        share * 100.0
    );
    println!("  by status: {statuses:?}");
    for miss in misses.iter().take(10) {
        println!("  missed: {miss}");
    }
    assert!(asked >= 400);
    assert!(
        share >= 0.95,
        "only {:.1}% right:\n{}",
        share * 100.0,
        misses.join("\n")
    );

    let mut absent = 0;
    for _ in 0..60 {
        let words: Vec<String> = (0..4 + rng.below(5))
            .map(|_| {
                let letters: String = (0..6)
                    .map(|_| (b'a' + rng.below(26) as u8) as char)
                    .collect();
                format!("qz{letters}")
            })
            .collect();
        let lookup = citeindex::lookup(&index, &words.join(" ")).unwrap();
        assert_eq!(
            lookup.status,
            Status::NotFound,
            "{words:?} found {:?}",
            lookup.matches.first().map(|m| &m.wording)
        );
        absent += 1;
    }
    println!("not found said for {absent}/{absent} queries of words that are not there");
}
