//! Ranking on the archive: prose above the headings, index entries,
//! captions and contents lines that merely hold the words, and results
//! grouped by page. Runs on the first series of the Philosophical
//! Transactions (1665–1678, 919 articles, with their own index pages),
//! unpacked from `../shared/corpora/philtrans.tar.zst`.

use std::io::Read;

mod util;

/// The articles of the first series, in a temporary corpus.
fn first_series(what: &str) -> Option<util::Env> {
    let path = util::shared_corpus("philtrans.tar.zst", what)?;
    let mut archive = util::open_tar(&path);
    let env = util::Env::empty();
    let mut pages = 0;
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".md") {
            continue;
        }
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        if text.contains("\njournal: \"Philosophical Transactions (1665-1678)\"\n") {
            let file = name.rsplit('/').next().unwrap();
            env.write(file, text.as_bytes());
            pages += 1;
        }
    }
    assert_eq!(pages, 919, "the first series has 919 articles");
    Some(env)
}

/// The archive's own index and contents pages, whose lines hold every
/// subject's words with a page number: never the answer to a subject.
fn is_apparatus(title: &str) -> bool {
    is_index_page(title) || title == "Front Matter"
}

/// The archive's index pages: lines of words and page numbers.
fn is_index_page(title: &str) -> bool {
    matches!(title, "Errata" | "Back Matter" | "Index")
}

#[test]
fn prose_ranks_above_index_entries_and_pages_group_their_passages() {
    let Some(env) = first_series("ranking on the archive") else {
        return;
    };
    let corpus = citeindex::Site::open(&env.corpus, &Default::default()).unwrap();
    let index = citeindex::Index::open(&corpus, &env.index, &Default::default())
        .unwrap()
        .0;
    let parser = citeindex::Parser::new(&index);
    // A subject, and a word the article about it holds: that article,
    // not an index line or a contents line naming it.
    let cases = [
        ("new theory light colours", "Newton"),
        ("mines of mercury", "Mines"),
        ("comet", "Comet"),
        ("spiders", "Spider"),
        ("shining worms oysters", "Shining"),
        ("micrographia", "Micrographia"),
    ];
    for (query, wanted) in cases {
        let mut request = citeindex::Request::new(query);
        request.limit = 3;
        let passages = citeindex::search(&index, &parser, &request).unwrap();
        let titles: Vec<&str> = passages
            .hits
            .iter()
            .map(|h| h.page.title.as_str())
            .collect();
        println!("{query:?}: {titles:?}");
        // An index page's lines are never first. A contents paragraph of a
        // front matter page that describes the articles in sentences reads
        // as prose, and its score can tie with an article's (the archive
        // holds some paragraphs twice), so one may stand among the three.
        assert!(
            !is_index_page(titles[0]) && titles.iter().filter(|t| is_apparatus(t)).count() <= 1,
            "{query:?}: index or contents pages first among the passages: {titles:?}"
        );
        request.limit = 5;
        let pages = citeindex::search_pages(&index, &parser, &request).unwrap();
        let first = &pages.pages[0];
        // The archive's files run into each other (an article's end opens
        // the next file), so the subject's word stands in the first page's
        // title or in the passage that put it first.
        assert!(
            !is_apparatus(&first.page.title)
                && (first.page.title.contains(wanted) || first.hits[0].text.contains(wanted)),
            "{query:?}: the first page is {:?}, for {:?}",
            first.page.title,
            first.hits[0].text
        );
        // Each page once, its best passages first, none shown twice.
        let mut seen = std::collections::HashSet::new();
        for group in &pages.pages {
            assert!(
                seen.insert(group.page.path.clone()),
                "{query:?}: a page twice"
            );
            assert!(!group.hits.is_empty() && group.hits.len() <= citeindex::SHOWN);
            assert!(group.more.len() <= citeindex::MORE);
            assert_eq!(group.hits[0].score, group.score);
            let all: Vec<&citeindex::Hit> = group.hits.iter().chain(&group.more).collect();
            assert!(all.iter().all(|h| h.page.path == group.page.path));
            assert!(all.windows(2).all(|w| w[0].score >= w[1].score));
            assert!(
                group.matches >= all.len(),
                "{query:?}: more passages shown than match"
            );
        }
        assert!(pages.pages.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(pages.total_pages >= pages.pages.len() && pages.total >= pages.total_pages);
        // Authors and the date come from the page's front matter.
        // The archive writes "Anonymous" for an article without one.
        let file = std::fs::read_to_string(env.corpus.join(&first.page.path)).unwrap();
        let field = |name: &str| {
            file.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}: ")))
                .map(|v| v.trim_matches('"').to_string())
        };
        let author = field("author").filter(|a| a != "Anonymous");
        let authors = Some(first.authors.join(", ")).filter(|a| !a.is_empty());
        assert_eq!(authors, author, "{query:?}: authors");
        assert_eq!(first.date, field("year"), "{query:?}: date");
    }

    // Paging by pages neither repeats nor skips a page.
    let mut request = citeindex::Request::new("comet");
    request.limit = 10;
    let ten = citeindex::search_pages(&index, &parser, &request).unwrap();
    request.limit = 5;
    request.offset = 5;
    let second = citeindex::search_pages(&index, &parser, &request).unwrap();
    let paths = |r: &citeindex::PageResults| -> Vec<String> {
        r.pages.iter().map(|g| g.page.path.clone()).collect()
    };
    assert_eq!(paths(&ten)[5..], paths(&second)[..]);
    println!(
        "\"comet\": {} passages on {} pages",
        ten.total, ten.total_pages
    );
}
