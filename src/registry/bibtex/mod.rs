//! BibTeX and BibLaTeX files, as Zotero and other reference managers
//! export them, read through the biblatex crate.
//!
//! Before the file is parsed, its `@string` macros are checked: a macro
//! that refers to itself, nests deeper than [`MAX_NESTING`] or expands past
//! [`MAX_EXPANSION`] bytes (an entry too), and an entry whose braces nest
//! deeper than [`MAX_BRACES`], is reported with its line and blanked out of
//! the text, so that a two-line file cannot overflow the stack and a
//! 650-byte one cannot grow to gigabytes. So is an entry that never closes
//! (a `{` left open inside a quoted value reads the rest of the file), and
//! one whose `crossref` or `xdata` inherits from itself, through a chain
//! deeper than [`MAX_INHERITANCE`] or from more than [`MAX_INHERITED`]
//! entries, which biblatex would resolve without bound. The rest is read
//! as it stands.

use hayagriva::types::EntryType;

use super::{line_at, problem};
use crate::error::{Error, Result};
use crate::source::{Source, SourceKind};
use guard::guard;

mod guard;
mod inherit;
mod scan;

/// How deep macros may refer to macros.
pub const MAX_NESTING: usize = 32;
/// How many bytes a macro, or an entry with its macros, may expand to.
pub const MAX_EXPANSION: usize = 1 << 20;
/// How deep braces may nest in an entry.
pub const MAX_BRACES: usize = 100;
/// How long a chain of `crossref` and `xdata` an entry may inherit through.
pub const MAX_INHERITANCE: usize = 8;
/// How many entries, repeats counted, `crossref` and `xdata` may resolve
/// into one entry.
pub const MAX_INHERITED: usize = 64;

/// Parses BibTeX or BibLaTeX; `display` names the file in errors. Entries
/// that are wrong are reported and skipped, and the others are read.
pub fn parse(text: &str, display: &str) -> (Vec<Source>, Vec<Error>) {
    let (text, mut problems) = guard(text, display);
    match parse_strict(&text, display) {
        Ok(sources) => (sources, problems),
        Err(e) => {
            // Keep the entries that do parse on their own.
            let sources = entries(&text)
                .filter_map(|chunk| parse_strict(chunk, display).ok())
                .flatten()
                .collect();
            problems.push(e);
            (sources, problems)
        }
    }
}

/// The entries of a BibTeX file, each from an `@` at the start of a line to
/// the next.
fn entries(text: &str) -> impl Iterator<Item = &str> {
    let starts = entry_starts(text);
    (0..starts.len().saturating_sub(1)).map(move |i| &text[starts[i]..starts[i + 1]])
}

/// Where the entries of [`entries`] start, and the end of the text.
fn entry_starts(text: &str) -> Vec<usize> {
    text.match_indices('@')
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || text[..i].ends_with('\n'))
        .chain([text.len()])
        .collect()
}

/// Parses the whole of `text`, failing on its first problem.
fn parse_strict(text: &str, display: &str) -> Result<Vec<Source>> {
    let starts = entry_starts(text);
    let error = |offset: usize, message: String| {
        let line = line_at(text, offset);
        // An entry left open is only noticed at the end of the file: say
        // where it began.
        let entries = &starts[..starts.len() - 1];
        let opened = entries[..entries.partition_point(|&s| s <= offset)]
            .last()
            .map(|&start| line_at(text, start))
            .filter(|&start| start != line);
        problem(
            display,
            opened.unwrap_or(line),
            match opened {
                Some(_) => format!("{message} (in the entry that starts on this line)"),
                None => message,
            },
        )
    };
    let bibliography = biblatex::Bibliography::parse(text)
        .map_err(|e| error(e.span.start, format!("bad BibTeX: {}", e.kind)))?;
    let mut sources = Vec::new();
    for entry in bibliography.iter() {
        let converted: hayagriva::Entry = entry.try_into().map_err(|e: biblatex::TypeError| {
            error(
                e.span.start,
                format!("bad BibTeX entry `{}`: {}", entry.key, e.kind),
            )
        })?;
        sources.push(from_hayagriva(&converted));
    }
    Ok(sources)
}

/// The source that a hayagriva entry describes.
fn from_hayagriva(entry: &hayagriva::Entry) -> Source {
    let text = |s: Option<&hayagriva::types::FormatString>| {
        s.map(|s| s.to_string()).filter(|s| !s.trim().is_empty())
    };
    let kind = match entry.entry_type() {
        EntryType::Article | EntryType::Chapter | EntryType::Entry | EntryType::Anthos => {
            SourceKind::Article
        }
        EntryType::Book | EntryType::Anthology | EntryType::Proceedings | EntryType::Thesis => {
            SourceKind::Book
        }
        EntryType::Report | EntryType::Manuscript => SourceKind::Handbook,
        _ => SourceKind::WebPage,
    };
    // A journal article's journal, a chapter's book: the parent's title.
    let container = entry
        .parents()
        .iter()
        .find_map(|p| text(p.title()))
        .or_else(|| text(entry.organization()));
    let publisher = entry.publisher().and_then(|p| text(p.name())).or_else(|| {
        entry
            .parents()
            .iter()
            .find_map(|p| p.publisher().and_then(|p| text(p.name())))
    });
    let date = entry
        .date()
        .or_else(|| entry.parents().iter().find_map(|p| p.date()))
        .map(|d| d.to_string().trim_start_matches('~').to_string());
    let volume = entry
        .volume()
        .or_else(|| entry.parents().iter().find_map(|p| p.volume()))
        .map(|v| v.to_string());
    let authors = entry
        .authors()
        .unwrap_or_default()
        .iter()
        .map(|p| p.given_first(false))
        .collect();
    Source {
        id: entry.key().to_string(),
        kind,
        title: text(entry.title()),
        authors,
        container,
        publisher,
        date,
        volume,
        pages: entry.page_range().map(|p| p.to_string()),
        url: entry.url().map(|u| u.value.to_string()),
        note: text(entry.note()),
        ..Source::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BIB: &str = r#"% Exported from Zotero
@article{hermes2016,
  title = {Collective Action Behind Bars},
  author = {Hermes, Kris},
  journaltitle = {Upping the Anti: A Journal of Theory and Action},
  date = {2016-07},
  volume = {18},
  pages = {47--60},
  url = {https://uppingtheanti.org/journal/article/18-collective-action-behind-bars},
}

@book{boyle1660,
  title = {New Experiments Physico-Mechanical, Touching the Spring of the Air},
  author = {Boyle, Robert},
  publisher = {H. Hall},
  year = {1660},
}
"#;

    #[test]
    fn bibtex_entries_become_sources() {
        let sources = parse_strict(BIB, "refs.bib").unwrap();
        assert_eq!(sources.len(), 2);
        let hermes = &sources[0];
        assert_eq!(hermes.id, "hermes2016");
        assert_eq!(hermes.kind, SourceKind::Article);
        assert_eq!(
            hermes.title.as_deref(),
            Some("Collective Action Behind Bars")
        );
        assert_eq!(hermes.authors, ["Kris Hermes"]);
        assert_eq!(
            hermes.container.as_deref(),
            Some("Upping the Anti: A Journal of Theory and Action")
        );
        assert_eq!(hermes.date.as_deref(), Some("2016-07"));
        assert_eq!(hermes.volume.as_deref(), Some("18"));
        assert_eq!(hermes.pages.as_deref(), Some("47-60"));
        assert_eq!(hermes.short_label(), "Hermes 2016");
        let boyle = &sources[1];
        assert_eq!(boyle.kind, SourceKind::Book);
        assert_eq!(boyle.publisher.as_deref(), Some("H. Hall"));
        assert_eq!(boyle.date.as_deref(), Some("1660"));
    }

    #[test]
    fn bibtex_errors_name_the_line() {
        let broken = "@book{a,\n  title = {A},\n}\n\n@article{b,\n  title = {B\n";
        let Error::Corpus { line, message, .. } = parse_strict(broken, "refs.bib").unwrap_err()
        else {
            panic!()
        };
        assert_eq!(line, 5, "{message}");
        assert!(message.contains("BibTeX"), "{message}");
        // The good entry is kept.
        let (sources, problems) = parse(broken, "refs.bib");
        assert_eq!(sources.len(), 1);
        assert_eq!(sources[0].id, "a");
        assert_eq!(problems.len(), 1);
    }

    fn problems_of(text: &str) -> (Vec<String>, Vec<(usize, String)>) {
        let (sources, problems) = parse(text, "refs.bib");
        let ids = sources.into_iter().map(|s| s.id).collect();
        let problems = problems
            .into_iter()
            .map(|e| match e {
                Error::Corpus { line, message, .. } => (line, message),
                other => panic!("{other}"),
            })
            .collect();
        (ids, problems)
    }

    // Regression: `@string{a = a}` and an entry that used it overflowed the
    // stack inside biblatex and killed the process (exit 134).
    #[test]
    fn a_macro_that_refers_to_itself_is_skipped_with_what_uses_it() {
        let text = "@string{a = a}\n@book{x, title = a}\n@book{y, title = {Kept}}\n";
        let (ids, problems) = problems_of(text);
        assert_eq!(ids, ["y"]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].0, 1);
        assert!(problems[0].1.contains("refers to itself"), "{problems:?}");
        assert_eq!(problems[1].0, 2);
        assert!(problems[1].1.contains("uses the macro `a`"), "{problems:?}");
        let (_, problems) =
            problems_of("@string{a = b}\n@string{b = \"x\" # a}\n@book{z, title=b}\n");
        assert!(
            problems.iter().any(|p| p.1.contains("refers to itself")),
            "{problems:?}"
        );
    }

    // Regression: a 650-byte file of macros that each double the one before
    // grew to 4 GB in memory and aborted.
    #[test]
    fn a_macro_that_doubles_past_the_bound_is_skipped() {
        let mut text = String::from("@string{s0 = \"xxxxxxxxxxxxxxxx\"}\n");
        for n in 1..=24 {
            text.push_str(&format!("@string{{s{n} = s{} # s{}}}\n", n - 1, n - 1));
        }
        text.push_str("@book{bomb, title = s24}\n@book{fine, title = s2}\n");
        let (ids, problems) = problems_of(&text);
        assert_eq!(ids, ["fine"]);
        assert!(
            problems.iter().any(|p| p.1.contains("expands past")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.0 == 26 && p.1.contains("@book")),
            "{problems:?}"
        );
        // A chain deeper than the bound, without doubling.
        let mut deep = String::from("@string{m0 = \"x\"}\n");
        for n in 1..=200 {
            deep.push_str(&format!("@string{{m{n} = m{}}}\n", n - 1));
        }
        // The same defined deepest first, twenty thousand deep.
        let mut reversed = String::new();
        for n in (1..=20_000).rev() {
            reversed.push_str(&format!("@string{{r{n} = r{}}}\n", n - 1));
        }
        reversed.push_str("@string{r0 = \"x\"}\n@book{r, title = r20000}\n");
        let (ids, problems) = problems_of(&reversed);
        assert!(ids.is_empty(), "{ids:?}");
        assert!(problems.iter().any(|p| p.1.contains("deeper than")));
        deep.push_str("@book{deep, title = m200}\n");
        let (ids, problems) = problems_of(&deep);
        assert!(ids.is_empty());
        assert!(
            problems.iter().any(|p| p.1.contains("deeper than")),
            "{problems:?}"
        );
    }

    #[test]
    fn braces_nested_past_the_bound_skip_their_entry() {
        let deep = format!(
            "@book{{a, title = {}x{}}}\n@book{{b, title = {{B}}}}\n",
            "{".repeat(5000),
            "}".repeat(5000)
        );
        let (ids, problems) = problems_of(&deep);
        assert_eq!(ids, ["b"]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, 1);
    }

    #[test]
    fn macros_that_are_fine_are_expanded() {
        let (sources, problems) = parse(
            "@string{jt = \"Journal of \" # \"Things\"}\n@article{a, title = {A}, journal = jt, year = 2001, month = jan}\n",
            "refs.bib",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(sources[0].container.as_deref(), Some("Journal of Things"));
    }

    // Regression: `@book{a, crossref = {a}}` overflowed the stack inside
    // biblatex (exit 134), and so did two `xdata` naming each other.
    #[test]
    fn an_entry_that_inherits_from_itself_is_skipped_with_its_line() {
        let text = "@book{b, title = {Kept}}\n@book{a, crossref = {a}, title = {A}}\n@xdata{x1, xdata = {x2}}\n@xdata{x2, xdata = {x1}}\n";
        let (ids, problems) = problems_of(text);
        assert_eq!(ids, ["b"]);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert_eq!(problems[0].0, 2);
        assert!(
            problems[0]
                .1
                .contains("this @book entry inherits from itself"),
            "{problems:?}"
        );
        assert!(problems[0].1.ends_with("it is skipped"), "{problems:?}");
        assert_eq!((problems[1].0, problems[2].0), (3, 4));
    }

    #[test]
    fn a_child_inherits_its_parents_title_through_crossref() {
        let text = "@book{parent, title = {The Parent Book}, publisher = {Hall}, year = {1901}}\n@inbook{child, crossref = {parent}, title = {A Chapter}, pages = {3--9}}\n";
        let (sources, problems) = parse(text, "refs.bib");
        assert!(problems.is_empty(), "{problems:?}");
        let child = sources.iter().find(|s| s.id == "child").unwrap();
        assert_eq!(child.title.as_deref(), Some("A Chapter"));
        assert_eq!(child.container.as_deref(), Some("The Parent Book"));
        assert_eq!(child.date.as_deref(), Some("1901"));
    }

    // Regression: in `@string{a = "{" # a}` the `{` inside the quotes made
    // the guard read the rest of the file as one value, so the macro that
    // refers to itself went to biblatex unchecked (exit 134).
    #[test]
    fn an_item_that_never_closes_is_reported_and_the_next_entries_read() {
        let text = "@string{a = \"{\" # a}\n@book{x, title = a}\n@book{y, title = {Kept}}\n";
        let (ids, problems) = problems_of(text);
        assert!(ids.contains(&"y".to_string()), "{ids:?} {problems:?}");
        assert!(
            !ids.contains(&"x".to_string()) || problems.len() > 1,
            "{ids:?}"
        );
        assert_eq!(problems[0].0, 1, "{problems:?}");
        assert!(
            problems[0].1.contains("the macro `a` never closes"),
            "{problems:?}"
        );
    }
}
