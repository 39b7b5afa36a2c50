//! The real binary on the seed corpus and on fixture corpora.

mod util;

use serde_json::Value;
use util::{Env, highlighted, hit_ids};

const PAGE: &str = "jail-court-solidarity-actions";

fn id(n: &str) -> String {
    format!("{PAGE}#{n}")
}

/// Every passage of the seed page, by id, from one broad search.
fn seed_passages(env: &Env) -> Vec<Value> {
    let results = env.json(&[
        "search",
        "the OR a OR of OR seattle OR jail OR bail OR speech OR bank",
        "--limit",
        "100",
    ]);
    results["hits"].as_array().unwrap().clone()
}

#[test]
fn index_prints_a_one_line_summary() {
    let env = Env::seed();
    let run = env.run(&["index"]).expect(0);
    let out = run.stdout();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with("indexed plain site: 1 page, 13 passages, 8 quotes, 4 sources in "),
        "{out}"
    );
    assert!(out.contains("1 processed, 0 removed, 0 skipped"), "{out}");
    // Nothing changed: nothing is reprocessed.
    let again = env.run(&["index"]).expect(0).stdout();
    assert!(
        again.contains("(0 processed, 0 removed, 0 skipped)"),
        "{again}"
    );
}

#[test]
fn seattle_wto_finds_the_page_and_its_link() {
    let env = Env::seed();
    let results = env.json(&["search", "Seattle WTO"]);
    let hit = &results["hits"][0];
    assert_eq!(hit["id"], id("types-4"));
    assert_eq!(hit["kind"], "link");
    assert_eq!(hit["url"], "seattle-wto");
    assert_eq!(hit["page"]["title"], "Jail & Court Solidarity Actions");
    assert_eq!(hit["page"]["path"], "jail-court-solidarity-actions.md");
    let text = env.run(&["search", "Seattle", "WTO"]).expect(0).stdout();
    assert!(
        text.contains("Jail & Court Solidarity Actions") && text.contains("**Seattle** **WTO**"),
        "{text}"
    );
    assert!(text.contains("link: seattle-wto"), "{text}");
}

#[test]
fn search_json_has_the_documented_shape() {
    let env = Env::seed();
    let results = env.json(&["search", "\"collective bargaining\""]);
    assert_eq!(results["total"], 1);
    let hit = &results["hits"][0];
    for key in [
        "id",
        "score",
        "text",
        "snippet",
        "page",
        "excerpted_from",
        "sources",
        "quotes",
    ] {
        assert!(hit.get(key).is_some(), "no {key} in {hit}");
    }
    assert_eq!(highlighted(hit), ["collective bargaining"]);
    assert_eq!(hit["excerpted_from"]["id"], "hermes-2016");
    assert_eq!(hit["page"]["url"], "/jail-court-solidarity-actions/");
    let quote = hit["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["kind"] == "quotation")
        .unwrap();
    assert!(
        quote["text"]
            .as_str()
            .unwrap()
            .starts_with("many different forms of non-cooperation")
    );
    assert_eq!(quote["speaker"]["id"], "jclc");
}

#[test]
fn the_seed_page_is_attributed_as_written() {
    let env = Env::seed();
    let passages = seed_passages(&env);
    assert_eq!(passages.len(), 13, "every passage found");
    let blockquotes: Vec<&Value> = passages
        .iter()
        .filter(|p| p["kind"] == "blockquote")
        .collect();
    assert_eq!(blockquotes.len(), 6);
    for b in &blockquotes {
        assert_eq!(b["excerpted_from"]["id"], "hermes-2016", "{}", b["text"]);
        assert_eq!(b["excerpted_from"]["authors"][0], "Kris Hermes");
    }
    let quotes: Vec<&Value> = passages
        .iter()
        .flat_map(|p| p["quotes"].as_array().unwrap())
        .collect();
    let quote = |start: &str| {
        *quotes
            .iter()
            .find(|q| q["text"].as_str().unwrap().starts_with(start))
            .unwrap_or_else(|| panic!("no quote {start}"))
    };
    let definition = quote("strategy that uses group decision-making");
    assert_eq!(
        definition["speaker"]["id"],
        "midnight-special-legal-solidarity-handbook"
    );
    assert_eq!(
        definition["speaker"]["authors"][0],
        "Midnight Special Law Collective"
    );
    assert_eq!(
        definition["speaker"]["url"],
        "http://www.midnightspecial.net/files/legalsolidarityhandbook.pdf"
    );
    assert_eq!(
        quote("many different forms of non-cooperation")["speaker"]["id"],
        "jclc"
    );
    assert_eq!(
        quote("particularly when the defendants")["speaker"]["id"],
        "jclc"
    );
    let right = quote("right");
    assert_eq!(right["kind"], "scare");
    assert_eq!(right["speaker"], Value::Null);
    for term in ["jail solidarity", "court solidarity", "solidarity tactics"] {
        assert_eq!(quote(term)["kind"], "term", "{term}");
    }
    // The page's own paragraphs are nobody's excerpt.
    let own = passages.iter().find(|p| p["id"] == id("p2")).unwrap();
    assert_eq!(own["excerpted_from"], Value::Null);
}

#[test]
fn source_filter_takes_an_id_or_any_name() {
    let env = Env::seed();
    let mut seen = Vec::new();
    for name in ["jclc", "JCLC", "Just Cause Law Collective"] {
        let results = env.json(&["search", "solidarity", "--source", name]);
        let mut ids = hit_ids(&results);
        ids.sort();
        seen.push(ids);
    }
    assert_eq!(seen[0], [id("p4"), id("p8")]);
    assert!(seen.iter().all(|s| *s == seen[0]));
    let hermes = env.json(&[
        "search",
        "solidarity",
        "--source",
        "Kris Hermes",
        "--limit",
        "50",
    ]);
    assert_eq!(hit_ids(&hermes).len(), 6, "the note and five excerpts");

    let run = env
        .run(&["search", "solidarity", "--source", "Just Cause"])
        .expect(2);
    assert!(
        run.stderr()
            .contains("no source is called `Just Cause`; did you mean jclc?"),
        "{}",
        run.stderr()
    );
}

#[test]
fn query_syntax_with_curly_quotes_guillemets_slop_prefix_and_fields() {
    let env = Env::seed();
    let straight = hit_ids(&env.json(&["search", "\"jail solidarity\""]));
    assert!(!straight.is_empty());
    assert_eq!(
        hit_ids(&env.json(&["search", "“jail solidarity”"])),
        straight
    );
    assert_eq!(
        hit_ids(&env.json(&["search", "«jail solidarity»"])),
        straight
    );
    // Slop: "tactics collectively" is two words apart.
    assert!(hit_ids(&env.json(&["search", "\"using tactics\""])).is_empty());
    assert_eq!(
        hit_ids(&env.json(&["search", "\"using tactics\"~1"])),
        [id("p4")]
    );
    // Prefix, required and excluded words.
    // A lone prefix: Tantivy's parser reads `*` only after a phrase, so
    // `coer*` once searched the word "coer" (and `coerc*` matched by stem).
    let prefix = env.json(&["search", "coer*"]);
    assert_eq!(hit_ids(&prefix), [id("p5")]);
    assert_eq!(hit_ids(&env.json(&["search", "text:coer*"])), [id("p5")]);
    assert_eq!(
        hit_ids(&env.json(&["search", "\"designed to coer\"*"])),
        [id("p5")]
    );
    assert_eq!(highlighted(&prefix["hits"][0]), ["coerce"]);
    let with = hit_ids(&env.json(&["search", "+jail +arrestees", "--limit", "50"]));
    let without = hit_ids(&env.json(&["search", "+jail +arrestees -media", "--limit", "50"]));
    assert_eq!(with.len(), without.len() + 1);
    assert_eq!(
        hit_ids(&env.json(&["search", "title:court AND heading:nothing"])),
        Vec::<String>::new()
    );
    assert_eq!(
        hit_ids(&env.json(&["search", "quote:bargaining"])),
        [id("p4")]
    );
    // A bare hyphenated word is a phrase of its parts, on the exact field.
    assert_eq!(
        hit_ids(&env.json(&["search", "well-organized"])),
        hit_ids(&env.json(&["search", "\"well organized\""]))
    );
    assert!(!hit_ids(&env.json(&["search", "well-organized"])).is_empty());
}

#[test]
fn stemming_ranks_recall_and_exact_forms_rank_first() {
    let env = Env::seed();
    let results = env.json(&["search", "tactic", "--limit", "50"]);
    assert!(hit_ids(&results).len() >= 4, "tactics found by tactic");
}

#[test]
fn paging_neither_repeats_nor_skips() {
    let env = Env::seed();
    let all = hit_ids(&env.json(&["search", "solidarity OR jail", "--limit", "100"]));
    let mut paged = Vec::new();
    for offset in (0..all.len()).step_by(3) {
        let page = env.json(&[
            "search",
            "solidarity OR jail",
            "--limit",
            "3",
            "--offset",
            &offset.to_string(),
        ]);
        paged.extend(hit_ids(&page));
    }
    assert_eq!(paged, all);
}

#[test]
fn bad_queries_exit_2_with_a_message() {
    let env = Env::seed();
    for (query, says) in [
        ("\"unbalanced", "paired"),
        ("nosuchfield:word", "there is no field `nosuchfield`"),
        ("   ", "empty"),
        // The stemmed field keeps no positions: phrases search `text`.
        ("stem:\"jail solidarity\"", "positions"),
    ] {
        let run = env.run(&["search", query]).expect(2);
        assert!(run.stderr().contains(says), "{query}: {}", run.stderr());
        assert!(!run.stderr().contains("panicked"));
    }
    let run = env.run(&["search", "jail", "--limit", "0"]).expect(2);
    assert!(
        run.stderr().contains("limit must be between 1 and 1000"),
        "{}",
        run.stderr()
    );
    // A bad flag value is bad input however deep it is read.
    let run = env.run(&["fetch", "--doi-url", "doi.org"]).expect(2);
    assert!(
        run.stderr().contains("not an http or https address"),
        "{}",
        run.stderr()
    );
}

#[test]
fn quote_finds_exact_wording_speaker_chain_and_citation() {
    let env = Env::seed();
    let typed = "particularly when the defendants are well-organized, similarly-situated, and working together in large numbers.";
    let lookup = env.json(&["quote", typed]);
    assert_eq!(lookup["status"], "exact");
    let m = &lookup["matches"][0];
    assert_eq!(m["wording"], typed);
    assert_eq!(m["passage"]["id"], id("p8"));
    assert_eq!(m["speaker"]["id"], "jclc");
    assert_eq!(
        m["attribution"],
        "JCLC, quoted in Hermes 2016, excerpted on Jail & Court Solidarity Actions"
    );
    let citation = m["citation"].as_str().unwrap();
    assert!(
        citation.starts_with(
            "Just Cause Law Collective, quoted in Kris Hermes, “Collective Action Behind Bars"
        ),
        "{citation}"
    );
    assert!(
        citation.contains("*Upping the Anti: A Journal of Theory and Action*, 2016"),
        "{citation}"
    );
    // The pinpoint: the passage's paragraph on the page.
    assert!(
        citation.ends_with("excerpted in “Jail & Court Solidarity Actions,” para. 8."),
        "{citation}"
    );
    // The page has no absolute address, so its link stays beside the text.
    let cited = env.json(&["cite", &id("p8")]);
    assert_eq!(cited["link"], "/jail-court-solidarity-actions/#p8");
    // Other styles on request, and `cite` for a passage.
    let apa = env.json(&["quote", typed, "--style", "apa"]);
    assert_eq!(
        apa["matches"][0]["cited"]["text"],
        "(Just Cause Law Collective, as cited in Hermes, 2016, as cited in Jail & Court Solidarity Actions, n.d., para. 8)"
    );
    let cited = env.json(&["cite", &id("p8"), "--style", "bibtex"]);
    assert!(
        cited["text"]
            .as_str()
            .unwrap()
            .starts_with("@article{hermes-2016,"),
        "{cited}"
    );
    let run = env
        .run(&["cite", &id("p8"), "--style", "harvard"])
        .expect(2);
    assert!(
        run.stderr().contains("the styles are chicago-notes"),
        "{}",
        run.stderr()
    );

    let text = env.run(&["quote", typed]).expect(0).stdout();
    assert!(
        text.contains(
            "chain:   JCLC, quoted in Hermes 2016, excerpted on Jail & Court Solidarity Actions"
        ),
        "{text}"
    );
}

#[test]
fn quote_normalises_case_marks_apostrophes_dashes_and_spacing() {
    let env = Env::seed();
    let lookup = env.json(&["quote", "\"IT'S EXPENSIVE   to detain large numbers\""]);
    assert_eq!(lookup["status"], "normalised");
    assert_eq!(
        lookup["matches"][0]["wording"],
        "it’s expensive to detain large numbers"
    );
    let m = &lookup["matches"][0];
    assert_eq!(m["speaker"]["id"], "hermes-2016");
    assert_eq!(
        m["attribution"],
        "Hermes 2016, excerpted on Jail & Court Solidarity Actions"
    );

    let dashes = env.json(&[
        "quote",
        "collective action – within and despite the criminal legal system",
    ]);
    assert_eq!(dashes["status"], "normalised");
    assert_eq!(
        dashes["matches"][0]["wording"],
        "collective action — within and despite the criminal legal system"
    );
    assert_eq!(
        dashes["matches"][0]["attribution"],
        "Jail & Court Solidarity Actions"
    );

    let linked = env.json(&["quote", "protect people when they are being held"]);
    assert_eq!(
        linked["matches"][0]["attribution"],
        "Midnight Special Law Collective, quoted on Jail & Court Solidarity Actions"
    );
}

#[test]
fn quote_not_found_exits_1_and_shows_the_nearest_passages() {
    let env = Env::seed();
    let run = env
        .run(&["quote", "solidarity tactics are never effective"])
        .expect(1);
    let out = run.stdout();
    assert!(out.starts_with("Not found"), "{out}");
    assert!(out.contains("Nearest passages:"), "{out}");
    let lookup = env.json(&["quote", "solidarity tactics are never effective"]);
    assert_eq!(lookup["status"], "not-found");
    assert!(!lookup["nearest"].as_array().unwrap().is_empty());
}

#[test]
fn sources_lists_counts() {
    let env = Env::seed();
    let sources = env.json(&["sources"]);
    let by_id = |id: &str| {
        sources
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(sources.as_array().unwrap().len(), 4);
    assert_eq!(by_id("jclc")["quotes"], 2);
    assert_eq!(by_id("jclc")["passages"], 2);
    assert_eq!(by_id("hermes-2016")["passages"], 7);
    assert_eq!(
        by_id("midnight-special-legal-solidarity-handbook")["quotes"],
        1
    );
    assert_eq!(
        by_id("jail-court-solidarity-actions")["title"],
        "Jail & Court Solidarity Actions"
    );
    let text = env.run(&["sources"]).expect(0).stdout();
    assert!(text.lines().next().unwrap().starts_with("ID"), "{text}");
}

#[test]
fn matching_ignores_diacritics_and_compatibility_forms() {
    let env = Env::with(&[(
        "notes.md",
        "+++\ntitle = \"Notes\"\n+++\nThe naïve café served a ﬁnal ＣＯＦＦＥＥ.\n",
    )]);
    assert_eq!(
        hit_ids(&env.json(&["search", "\"naive cafe\""])),
        ["notes#p1"]
    );
    assert_eq!(
        hit_ids(&env.json(&["search", "final coffee"])),
        ["notes#p1"]
    );
    let lookup = env.json(&["quote", "naive cafe served a final coffee"]);
    assert_eq!(
        lookup["matches"][0]["wording"],
        "naïve café served a ﬁnal ＣＯＦＦＥＥ"
    );
}

/// A phrase ending in a name finds the name's possessive, as the other
/// engines' tokenizers do (“Sir Isaac Newton” in “Sir Isaac Newton’s”),
/// while “it’s” and “its” stay one word and a quotation stays exact.
#[test]
fn a_phrase_finds_a_possessive_and_marks_it() {
    let env = Env::with(&[
        (
            "letters.md",
            "+++\ntitle = \"Letters\"\n+++\nWe read Sir Isaac Newton’s letter to Halley.\n\n\
             Sir Isaac Newton wrote again.\n\nThe newtons of force.\n",
        ),
        (
            "notes.md",
            "+++\ntitle = \"Notes\"\n+++\nIt's late, and its hour has passed.\n",
        ),
    ]);
    let results = env.json(&["search", "\"sir isaac newton\""]);
    let mut ids = hit_ids(&results);
    ids.sort();
    assert_eq!(ids, ["letters#p1", "letters#p2"]);
    let possessive = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "letters#p1")
        .unwrap();
    assert_eq!(highlighted(possessive), ["Sir Isaac Newton’s"]);
    // The possessive typed finds only the possessive; a plural is not one.
    assert_eq!(
        hit_ids(&env.json(&["search", "\"newton's letter\""])),
        ["letters#p1"]
    );
    let plural = hit_ids(&env.json(&["search", "\"the newton\""]));
    assert!(plural.is_empty(), "{plural:?}");
    // “it’s” is still the word `its`, typed either way, in the text and
    // in the query: the query is read without the bases.
    for phrase in [
        "\"its hour\"",
        "\"it’s hour\"",
        "\"it’s late\"",
        "\"its late\"",
    ] {
        assert_eq!(
            hit_ids(&env.json(&["search", phrase])),
            ["notes#p1"],
            "{phrase}"
        );
    }
    // A quotation is checked word for word: “Newton” is not “Newton’s”.
    let lookup = env.json(&["quote", "Sir Isaac Newton wrote"]);
    assert_eq!(lookup["status"], "exact");
    assert_eq!(lookup["matches"].as_array().unwrap().len(), 1);
    let lookup = env.json(&["quote", "Sir Isaac Newton letter to Halley"]);
    assert_ne!(lookup["status"], "exact");
}

#[test]
fn a_quotation_is_found_behind_more_than_a_round_of_possessives() {
    // 250 short passages with “Mr Boyle’s”, which the phrase “mr boyle”
    // matches through the base and ranks first, and one longer passage
    // with the words themselves: it must still be found, and exactly.
    let mut page = String::from("+++\ntitle = \"Laws\"\n+++\n");
    for i in 0..250 {
        page.push_str(&format!("Mr Boyle’s law {i}.\n\n"));
    }
    page.push_str(
        "In the long vacation of that year Mr Boyle repeated the experiments \
         with the new air-pump at Oxford, before the Society met again.\n",
    );
    let env = Env::with(&[("laws.md", page.as_str())]);
    let lookup = env.json(&["quote", "Mr Boyle"]);
    assert_eq!(lookup["status"], "exact", "{lookup}");
    let ids: Vec<&str> = lookup["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["passage"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["laws#p251"]);
}

#[test]
fn broken_files_are_reported_with_path_and_line_and_the_rest_is_indexed() {
    let env = Env::with(&[
        (
            "good.md",
            "---\ntitle: Good\n---\nA good page about mutual aid.\n",
        ),
        (
            "bad-yaml.md",
            "---\ntitle: Bad\nauthor: [unclosed\n---\nmutual aid\n",
        ),
        ("unclosed.md", "---\ntitle: never closed\nmutual aid\n"),
    ]);
    env.write("latin1.md", b"mutual aid\ncaf\xe9\n");
    env.write("image.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let run = env.run(&["index"]).expect(2);
    let err = run.stderr();
    for expected in [
        "skipped bad-yaml.md:4: bad YAML front matter: did not find expected ',' or ']' at line 4 column 1, while parsing a flow sequence at line 3 column 9",
        "skipped unclosed.md:1: front matter opened with `---` on line 1 is never closed",
        "skipped latin1.md:2: invalid UTF-8",
        "skipped image.md:3: binary file",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    assert!(
        run.stdout().contains("1 page,") && run.stdout().contains("4 skipped"),
        "{}",
        run.stdout()
    );
    assert_eq!(hit_ids(&env.json(&["search", "mutual aid"])), ["good#p1"]);
    // Unchanged broken files are still reported by the next index run.
    assert!(env.run(&["index"]).expect(2).stdout().contains("4 skipped"));
    // Fixed, the file is indexed.
    env.write("bad-yaml.md", b"---\ntitle: Fixed\n---\nmutual aid\n");
    env.run(&["index"]).expect(2);
    assert_eq!(hit_ids(&env.json(&["search", "mutual aid"])).len(), 2);
}

#[test]
fn a_broken_registry_is_reported_and_pages_still_indexed() {
    let env = Env::with(&[
        ("sources.yaml", "sources:\n  - id: a\n    colour: red\n"),
        ("page.md", "Words on a page.\n"),
    ]);
    let run = env.run(&["index"]).expect(2);
    assert!(
        run.stderr()
            .contains("sources.yaml:3: bad sources registry"),
        "{}",
        run.stderr()
    );
    assert_eq!(hit_ids(&env.json(&["search", "words"])), ["page#p1"]);
}

#[test]
fn only_changed_files_are_reprocessed() {
    let env = Env::with(&[
        ("a.md", "Apples are red.\n"),
        ("b.md", "Bananas are yellow.\n"),
        ("deep/c.md", "Cherries are dark.\n"),
    ]);
    assert!(
        env.run(&["index"])
            .expect(0)
            .stdout()
            .contains("3 pages, 3 passages")
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.write("b.md", b"Bananas are green at first.\n");
    // Any command brings the index up to date.
    assert_eq!(hit_ids(&env.json(&["search", "green"])), ["b#p1"]);
    assert!(hit_ids(&env.json(&["search", "yellow"])).is_empty());
    // A quote look-up brings it up to date too.
    env.write("b.md", b"Bananas are spotted when ripe.\n");
    let quote = env.json(&["quote", "Bananas are spotted when ripe"]);
    assert_eq!(quote["status"], "exact", "{quote}");
    assert!(hit_ids(&env.json(&["search", "green"])).is_empty());
    std::fs::remove_file(env.corpus.join("a.md")).unwrap();
    env.write("d.md", b"Dates are sweet.\n");
    let out = env.run(&["index"]).expect(0).stdout();
    assert!(
        out.contains("3 pages, 3 passages") && out.contains("(1 processed, 1 removed, 0 skipped)"),
        "{out}"
    );
    assert!(hit_ids(&env.json(&["search", "apples"])).is_empty());
    assert_eq!(hit_ids(&env.json(&["search", "cherries"])), ["deep/c#p1"]);
    // A registry change reattributes every page.
    env.write(
        "sources.yaml",
        b"sources:\n  - id: fruit-board\n    kind: organisation\n    title: Fruit Board\n",
    );
    let out = env.run(&["index"]).expect(0).stdout();
    assert!(out.contains("(3 processed, 0 removed, 0 skipped)"), "{out}");
}

#[test]
fn an_index_build_that_dies_before_its_commit_leaves_the_previous_index() {
    let env = Env::with(&[("a.md", "Old words.\n")]);
    env.run(&["index"]).expect(0);
    env.write("a.md", b"New words, entirely different.\n");
    let crashed = env
        .command(&["index"])
        .env("CITEINDEX_CRASH_BEFORE_COMMIT", "1")
        .output()
        .unwrap();
    assert!(!crashed.status.success());
    // The previous commit opens and answers as before.
    let index = tantivy::Index::open_in_dir(&env.index).unwrap();
    citeindex::register_analyzers(&index);
    let reader = index.reader().unwrap();
    assert_eq!(reader.searcher().num_docs(), 1);
    let text = index.schema().get_field("text").unwrap();
    let parser = tantivy::query::QueryParser::for_index(&index, vec![text]);
    let old = parser.parse_query("old").unwrap();
    assert_eq!(
        reader
            .searcher()
            .search(&old, &tantivy::collector::Count)
            .unwrap(),
        1
    );
    // And the next command finishes the update.
    assert_eq!(hit_ids(&env.json(&["search", "entirely"])), ["a#p1"]);
}

#[test]
fn a_misremembered_quote_is_a_close_match_with_its_diff() {
    let env = Env::seed();
    let lookup = env.json(&[
        "quote",
        "activists have reduced harm in jail and acheived objectives",
    ]);
    assert_eq!(lookup["status"], "close");
    let best = &lookup["matches"][0];
    assert_eq!(
        best["wording"],
        "activists have mitigated harm in jail and achieved objectives"
    );
    assert_eq!(best["passage"]["id"], id("p4"));
    assert_eq!(best["speaker"]["id"], "hermes-2016");
    let similarity = best["similarity"].as_f64().unwrap();
    assert!(similarity > 0.7 && similarity < 1.0, "{similarity}");
    let replaced: Vec<(&str, &str)> = best["diff"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["op"] == "replace")
        .map(|e| (e["asked"].as_str().unwrap(), e["written"].as_str().unwrap()))
        .collect();
    assert_eq!(
        replaced,
        [("reduced", "mitigated"), ("acheived", "achieved")]
    );
    let text = env
        .run(&[
            "quote",
            "activists have reduced harm in jail and acheived objectives",
        ])
        .expect(0)
        .stdout();
    assert!(
        text.contains("close match") && text.contains("[-reduced-]{+mitigated+}"),
        "{text}"
    );
    // Most of the words missing is not close: it is not found.
    env.run(&["quote", "solidarity tactics are never effective"])
        .expect(1);
}

#[test]
fn sources_come_from_bibtex_and_csl_json_beside_the_registry() {
    let page = "---\ntitle: Reading Notes\n---\n\
The following includes excerpts from [Collective Action Behind Bars](https://uppingtheanti.org/journal/article/18-collective-action-behind-bars), by Kris Hermes.\n\n\
> Jail solidarity was used to great effect in Seattle.\n\n\
[Boyle wrote](https://example.org/boyle-1660) that “the spring of the air” was his subject.\n";
    let env = Env::with(&[
        // The registry names the aliases; the Zotero export adds the rest.
        (
            "sources.yaml",
            "sources:\n  - id: hermes2016\n    kind: article\n    aliases: [Kris Hermes]\n",
        ),
        (
            "zotero.bib",
            "@article{hermes2016,\n  title = {Collective Action Behind Bars},\n  author = {Hermes, Kris},\n  journaltitle = {Upping the Anti},\n  volume = {18},\n  date = {2016},\n  url = {https://uppingtheanti.org/journal/article/18-collective-action-behind-bars},\n}\n",
        ),
        (
            "library.json",
            r#"[{"id": "boyle-1660", "type": "book", "title": "New Experiments Physico-Mechanical",
                 "author": [{"family": "Boyle", "given": "Robert"}], "publisher": "H. Hall",
                 "issued": {"date-parts": [[1660]]}, "URL": "https://example.org/boyle-1660"}]"#,
        ),
        (
            "broken.bib",
            "@book{a,\n  title = {A},\n}\n\n@book{b,\n  title = {B\n",
        ),
        ("notes.md", page),
    ]);
    let run = env.run(&["index"]).expect(2);
    assert!(
        run.stderr().contains("broken.bib:5: bad BibTeX"),
        "{}",
        run.stderr()
    );
    let sources = env.json(&["sources"]);
    let hermes = sources
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "hermes2016")
        .unwrap_or_else(|| panic!("{sources}"));
    assert_eq!(hermes["container"], "Upping the Anti", "{hermes}");
    assert_eq!(hermes["aliases"][0], "Kris Hermes", "{hermes}");

    let excerpt = env.json(&["search", "great effect"]);
    let id = excerpt["hits"][0]["id"].as_str().unwrap().to_string();
    let apa = env.json(&["cite", &id, "--style", "apa"]);
    assert_eq!(
        apa["bibliography"][0],
        "Hermes, K. (2016). Collective Action Behind Bars. Upping the Anti, 18. https://uppingtheanti.org/journal/article/18-collective-action-behind-bars",
        "{apa}"
    );
    // A page without a site URL is not given a relative one as its address.
    assert_eq!(apa["bibliography"][1], "Reading Notes. (n.d.).", "{apa}");
    let quote = env.json(&[
        "quote",
        "the spring of the air",
        "--style",
        "chicago-author-date",
    ]);
    let cited = &quote["matches"][0]["cited"];
    assert!(
        cited["bibliography"][0]
            .as_str()
            .unwrap()
            .starts_with("Boyle, Robert. 1660. New Experiments Physico-Mechanical. H. Hall."),
        "{quote}"
    );
}

#[test]
fn author_and_year_filter_by_the_work_a_passage_belongs_to() {
    let env = Env::seed();
    let excerpts = [4, 5, 6, 7, 8, 9].map(|n| id(&format!("p{n}")));
    let mut by_author = hit_ids(&env.json(&["search", "author:hermes", "--limit", "50"]));
    by_author.sort();
    assert_eq!(by_author, excerpts);
    let mut by_year = hit_ids(&env.json(&["search", "year:[2010 TO 2020]", "--limit", "50"]));
    by_year.sort();
    assert_eq!(by_year, excerpts);
    // Combined with words: only the excerpts among the passages that have them.
    let all = hit_ids(&env.json(&["search", "solidarity", "--limit", "50"]));
    let filtered = hit_ids(&env.json(&["search", "+year:2016 +solidarity", "--limit", "50"]));
    assert!(all.contains(&id("p3")) && !filtered.contains(&id("p3")));
    assert!(!filtered.is_empty() && filtered.iter().all(|h| excerpts.contains(h)));
}

/// Every segment file damaged in the middle, or cut short: a command says
/// the index is damaged and how to rebuild it, without a panic, and the
/// rebuild brings everything back.
#[test]
fn a_damaged_index_says_so_and_rebuild_repairs_it() {
    let env = Env::seed();
    let before = hit_ids(&env.json(&["search", "jail"]));
    assert!(!before.is_empty());
    for (n, entry) in std::fs::read_dir(&env.index).unwrap().enumerate() {
        let path = entry.unwrap().path();
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !["term", "idx", "pos", "store", "fast", "fieldnorm"].contains(&extension) {
            continue;
        }
        let mut bytes = std::fs::read(&path).unwrap();
        if n % 2 == 0 {
            let len = bytes.len();
            for byte in bytes
                .iter_mut()
                .take(len.saturating_sub(8))
                .skip(8)
                .step_by(3)
            {
                *byte ^= 0x5a;
            }
        } else {
            bytes.truncate(bytes.len() / 2);
        }
        std::fs::write(&path, bytes).unwrap();
    }
    for args in [
        &["search", "jail"][..],
        &["quote", "jail solidarity"],
        &["sources"],
    ] {
        let run = env.run(args);
        assert_ne!(run.code(), 0, "{args:?} answered from a damaged index");
        assert!(
            run.stderr().contains("damaged") && run.stderr().contains("citeindex index --rebuild"),
            "{args:?}: {}",
            run.stderr()
        );
        assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
    }
    env.run(&["index", "--rebuild"]).expect(0);
    assert_eq!(hit_ids(&env.json(&["search", "jail"])), before);
}

/// The catalog digest that read-only commands open, and the whole catalog
/// behind it: either one damaged or cut short gets an error that says so and
/// how to rebuild, never a panic or a wrong answer.
#[test]
fn a_damaged_catalog_or_digest_says_so_and_rebuild_repairs_it() {
    let env = Env::seed();
    let before = hit_ids(&env.json(&["search", "jail"]));
    let total = env.json(&["search", "jail"])["total"].as_u64().unwrap();
    let file = |suffix: &str| {
        std::fs::read_dir(&env.index)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                let name = p.file_name().unwrap().to_string_lossy();
                name.starts_with("citeindex-catalog-") && name.ends_with(suffix)
            })
            .unwrap_or_else(|| panic!("no {suffix} in the index"))
    };
    let damaged = |args: &[&str]| {
        let run = env.run(args);
        assert_ne!(run.code(), 0, "{args:?} answered from a damaged index");
        let err = run.stderr();
        assert!(
            err.contains("damaged") && err.contains("citeindex index --rebuild"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    };
    // One byte of a source's record changed: the checksum catches it.
    let digest = file(".digest");
    let mut bytes = std::fs::read(&digest).unwrap();
    let at = bytes.len() - 10;
    bytes[at] ^= 0x01;
    std::fs::write(&digest, &bytes).unwrap();
    damaged(&["search", "jail"]);
    damaged(&["search", "--no-update", "jail"]);
    env.run(&["index", "--rebuild"]).expect(0);
    assert_eq!(hit_ids(&env.json(&["search", "jail"])), before);

    // The whole catalog cut short: a search needs only the digest and
    // answers; the commands that read every source say the catalog is
    // damaged, as does the next update.
    let catalog = file(".json.zst");
    let bytes = std::fs::read(&catalog).unwrap();
    std::fs::write(&catalog, &bytes[..bytes.len() / 2]).unwrap();
    assert_eq!(hit_ids(&env.json(&["search", "jail"])), before);
    damaged(&["sources"]);
    damaged(&["search", "jail", "--source", "hermes"]);
    env.write("new.md", b"A new page about jail solidarity.\n");
    damaged(&["search", "jail"]);
    env.run(&["index", "--rebuild"]).expect(0);
    assert_eq!(env.json(&["search", "jail"])["total"], total + 1);
}

/// `--no-update` answers from the index as it is, without looking at the
/// corpus; the commands that write the index refuse it.
#[test]
fn no_update_uses_the_index_as_it_is() {
    let env = Env::seed();
    let before = env.json(&["search", "jail"]);
    env.write("new.md", b"Zeppelins over the jail, a new page.\n");
    let stale = env.json(&["search", "--no-update", "zeppelins"]);
    assert_eq!(stale["total"], 0, "--no-update read the corpus: {stale}");
    assert_eq!(env.json(&["search", "--no-update", "jail"]), before);
    assert_eq!(env.json(&["search", "zeppelins"])["total"], 1);
    for args in [
        &["index", "--no-update"][..],
        &["serve", "--watch", "--no-update"],
    ] {
        let run = env.run(args).expect(2);
        assert!(run.stderr().contains("--no-update"), "{}", run.stderr());
    }
    let empty = Env::empty();
    let run = empty.run(&["search", "--no-update", "jail"]);
    assert_ne!(run.code(), 0);
    assert!(
        run.stderr().contains("citeindex index"),
        "no hint to build the index: {}",
        run.stderr()
    );
    assert!(!empty.index.exists(), "--no-update created an index");
}

/// The text output a person reads: a window around the quoted words
/// (`--full` for the whole passage), a diff that keeps what stands between
/// the words, "1 passage", and a `--help` with what a user runs and the
/// true defaults.
#[test]
fn text_output_shows_a_window_a_punctuated_diff_and_plain_counts() {
    let long = "Lorem words before the quotation run on for a while here. ".repeat(12);
    let after = " And after the quotation the page goes on at length again.".repeat(12);
    let env = Env::with(&[(
        "long.md",
        &format!(
            "# Long\n\n{long}The defendants were well-organized, similarly-situated, and patient.{after}\n"
        ),
    )]);
    let text = env
        .run(&[
            "quote",
            "the defendants were well organized similarly situated and patient",
        ])
        .expect(0)
        .stdout();
    let passage = text
        .lines()
        .find(|l| l.trim_start().starts_with("passage:"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        passage.contains("well-organized, similarly-situated, and patient"),
        "{passage}"
    );
    assert!(passage.contains('…'), "{passage}");
    assert!(
        passage.chars().count() < (long.len() + after.len()) / 2,
        "{passage}"
    );
    let full = env
        .run(&[
            "quote",
            "--full",
            "the defendants were well organized similarly situated and patient",
        ])
        .expect(0)
        .stdout();
    assert!(full.contains(long.trim()), "{full}");

    let close = env
        .run(&[
            "quote",
            "the defendants were very well organized similarly situated and patient",
        ])
        .expect(0)
        .stdout();
    assert!(
        close.contains("[-very-] well-organized, similarly-situated, and patient"),
        "{close}"
    );

    let one = env.run(&["search", "quotation"]).expect(0).stdout();
    assert_eq!(one.lines().next(), Some("1 passage"), "{one}");
    env.write("other.md", b"Another patient paragraph.\n");
    let two = env.run(&["search", "patient"]).expect(0).stdout();
    assert_eq!(two.lines().next(), Some("2 passages"), "{two}");
    let some = env
        .run(&["search", "patient", "--limit", "1"])
        .expect(0)
        .stdout();
    assert_eq!(some.lines().next(), Some("1–1 of 2 passages"), "{some}");

    let help = env.run(&["--help"]).expect(0).stdout();
    assert!(help.contains("search") && !help.contains("bench"), "{help}");
    let index = env.run(&["index", "--help"]).expect(0).stdout();
    assert!(
        index.contains("[default: one per core, at most 8]"),
        "{index}"
    );
    assert!(!index.contains("[default: 0]"), "{index}");
}
