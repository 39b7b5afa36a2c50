//! Snapshots of every citation style for each source of the seed corpus,
//! cited where the seed page attributes words to it.
//!
//! Refresh after a deliberate change with
//! `UPDATE_SNAPSHOTS=1 cargo test --test citations`, and read the diff.

mod util;

use citeindex::{Index, Style};

const SNAPSHOT: &str = "tests/snapshots/citations.md";

fn render() -> String {
    let env = util::Env::seed();
    let corpus = citeindex::Site::open(&env.corpus, &Default::default()).unwrap();
    let index = Index::open(&corpus, &env.index, &Default::default())
        .unwrap()
        .0;
    let mut out = String::from("# Citations of the seed corpus, in every style\n");
    // Each source where the page attributes words to it: a passage that
    // excerpts it, or a quotation it said.
    let cases: [(&str, &str, Option<&str>); 4] = [
        ("hermes-2016", "jail-court-solidarity-actions#p5", None),
        (
            "midnight-special-legal-solidarity-handbook",
            "jail-court-solidarity-actions#p3",
            Some("strategy that uses group decision-making and action to protect people"),
        ),
        (
            "jclc",
            "jail-court-solidarity-actions#p4",
            Some("many different forms of non-cooperation"),
        ),
        (
            "jail-court-solidarity-actions",
            "jail-court-solidarity-actions#p2",
            None,
        ),
    ];
    for (source, passage, words) in cases {
        out.push_str(&format!("\n## {source}\n"));
        match words {
            Some(words) => out.push_str(&format!("\nThe quotation “{words}…” in {passage}.\n")),
            None => out.push_str(&format!("\nThe passage {passage}.\n")),
        }
        for style in Style::ALL {
            let cited = match words {
                Some(words) => {
                    let lookup = citeindex::lookup(&index, words).unwrap().cite_in(style);
                    let found = lookup
                        .matches
                        .into_iter()
                        .find(|m| m.passage.id == passage)
                        .unwrap();
                    assert_eq!(found.speaker.as_ref().map(|s| s.id.as_str()), Some(source));
                    found.cited.unwrap()
                }
                None => {
                    let hit = citeindex::passage(&index, passage).unwrap().unwrap();
                    hit.citation(style)
                }
            };
            out.push_str(&format!("\n### {}\n\n", style.name()));
            let fence = matches!(style, Style::Bibtex | Style::CslJson);
            if fence {
                out.push_str(&format!("```\n{}\n```\n", cited.text));
            } else {
                out.push_str(&format!("{}\n\nMarkdown: {}\n", cited.text, cited.markdown));
            }
            for entry in &cited.bibliography {
                out.push_str(&format!("\n- {entry}"));
            }
            if !cited.bibliography.is_empty() {
                out.push('\n');
            }
            if let Some(link) = &cited.link {
                out.push_str(&format!("\nLink: {link}\n"));
            }
        }
    }
    out
}

#[test]
fn every_style_for_each_source_of_the_seed_corpus() {
    let rendered = render();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SNAPSHOT);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &rendered).unwrap();
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    if stored != rendered {
        let first = stored
            .lines()
            .zip(rendered.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(stored.lines().count().min(rendered.lines().count()));
        panic!(
            "{SNAPSHOT} differs from line {}:\n  stored:   {:?}\n  rendered: {:?}\nrefresh with UPDATE_SNAPSHOTS=1 cargo test --test citations if the change is meant",
            first + 1,
            stored.lines().nth(first),
            rendered.lines().nth(first)
        );
    }
}

#[test]
fn quoted_in_chains_and_pinpoints_in_each_style() {
    let rendered = render();
    for wanted in [
        // Notes: the speaker, quoted in the article, excerpted on the page, ¶.
        "Just Cause Law Collective, quoted in Kris Hermes, “Collective Action Behind Bars",
        // APA and MLA say it their way.
        "(Just Cause Law Collective, as cited in Hermes, 2016, as cited in Jail & Court Solidarity Actions, n.d., para. 4)",
        "(Just Cause Law Collective, qtd. in Hermes, qtd. in Jail & Court Solidarity Actions, par. 4)",
        "@article{hermes-2016,",
        "\"type\": \"article-journal\"",
        "Link: /jail-court-solidarity-actions/#p4",
    ] {
        assert!(rendered.contains(wanted), "no {wanted:?} in\n{rendered}");
    }
}
