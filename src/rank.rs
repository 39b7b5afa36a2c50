//! Rank: how much a passage's shape counts toward its score, so that prose
//! ranks above the lines that merely contain the words — headings,
//! captions, index entries, a title repeated in the body, front matter
//! links.
//!
//! BM25 favours short fields: a four-word heading or an index line
//! `Glowworms, observations about their shining, 72.2177.` holding the
//! query's words outscores the paragraph that is about them. The shape is
//! told from the passage's kind and its text when the index is built, and
//! stored as a weight that multiplies the score at search time.

use serde::Serialize;

use crate::passage::PassageKind;
use crate::token;

/// What a passage is, as far as ranking cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// Sentences: a paragraph, a quotation, a list item that reads as text.
    Prose,
    /// A list item or footnote.
    Note,
    /// A table, a code block or raw HTML.
    Table,
    /// A heading.
    Heading,
    /// A figure's or plate's caption.
    Caption,
    /// Lines of a book's index: words and page numbers.
    IndexEntry,
    /// A line of a few words, or the page's title repeated in its body:
    /// a contents line, a label.
    Line,
    /// A link listed in front matter.
    FrontMatter,
}

impl Shape {
    /// The factor a passage's score is multiplied by.
    pub fn weight(self) -> f32 {
        match self {
            Shape::Prose => 1.0,
            Shape::Note => 0.85,
            Shape::Table => 0.5,
            Shape::Heading => 0.3,
            Shape::Caption => 0.4,
            Shape::IndexEntry => 0.25,
            Shape::Line => 0.4,
            Shape::FrontMatter => 0.25,
        }
    }
}

/// The shape of a passage of kind `kind` and text `text`, on a page titled
/// `title`; `first` when it is the page's first passage.
pub fn shape(kind: PassageKind, text: &str, title: &str, first: bool) -> Shape {
    match kind {
        PassageKind::Heading => return Shape::Heading,
        PassageKind::Link => return Shape::FrontMatter,
        PassageKind::Table | PassageKind::Code => return Shape::Table,
        PassageKind::Paragraph
        | PassageKind::Blockquote
        | PassageKind::ListItem
        | PassageKind::Footnote
        | PassageKind::Html => {}
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if is_index(text) {
        Shape::IndexEntry
    } else if is_apparatus(title) {
        // A journal's or book's apparatus lists and describes what the
        // articles say; the articles say it.
        Shape::Line
    } else if is_caption(&words) {
        Shape::Caption
    } else if is_title_line(text, &words, title) || (first && is_contents(text, title)) {
        Shape::Line
    } else if matches!(kind, PassageKind::ListItem | PassageKind::Footnote) {
        Shape::Note
    } else {
        Shape::Prose
    }
}

/// Whether a page's title names a publication's apparatus rather than a
/// text of its own: front or back matter, contents, an index, errata.
fn is_apparatus(title: &str) -> bool {
    let folded = token::fold(title);
    matches!(
        folded.trim(),
        "front matter"
            | "back matter"
            | "contents"
            | "table of contents"
            | "index"
            | "errata"
            | "erratum"
            | "corrigenda"
    )
}

/// Whether `token`, its punctuation stripped, is a page or number
/// reference: `72.2177.`, `n.80.`, `23,`, `iv.`.
fn is_reference(token: &str) -> bool {
    let core = token.trim_matches(|c: char| !c.is_alphanumeric());
    let core = core
        .strip_prefix("n.")
        .or(core.strip_prefix("p."))
        .unwrap_or(core);
    !core.is_empty()
        && core.chars().any(|c| c.is_ascii_digit())
        && core.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Lines of an index: words, a comma and a page or number
/// (`Glowworms, observations about their shining, 72.2177.`, `Colours
/// …, n. 49. p. 985.`), or a cross-reference (`A Comet. See Astronomy.`).
/// A paragraph of observations full of numbers is not one: its numbers
/// follow words, not commas.
fn is_index(text: &str) -> bool {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let marker = |t: &str| matches!(t, "n." | "p." | "pag." | "N." | "P." | "pp." | "&" | "and");
    let cited: Vec<bool> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            is_reference(t)
                && i > 0
                && (tokens[i - 1].ends_with(',')
                    || marker(tokens[i - 1])
                    || is_reference(tokens[i - 1]))
        })
        .collect();
    let references = cited.iter().filter(|c| **c).count();
    if references >= 2 && references * 15 >= tokens.len() {
        return true;
    }
    let year = |w: &str| {
        w.trim_matches(|c: char| !c.is_ascii_digit())
            .parse::<u32>()
            .is_ok_and(|n| (1000..=2100).contains(&n))
    };
    let last = tokens.last().copied().unwrap_or("");
    let see = tokens
        .iter()
        .any(|t| matches!(*t, "See" | "see" | "vid." | "Vid."));
    tokens.len() <= 40
        && ((cited.last() == Some(&true) && !year(last)) || (see && tokens.len() <= 12))
}

/// `Fig. 3. The comet…`, `Plate XII.`, `TAB. II.`: a caption, if short.
fn is_caption(words: &[&str]) -> bool {
    let Some(first) = words.first() else {
        return false;
    };
    let lead = first
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    words.len() <= 40
        && matches!(
            lead.as_str(),
            "fig" | "figure" | "figs" | "plate" | "pl" | "tab" | "table" | "plates"
        )
        && words.get(1).is_some_and(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            !w.is_empty()
                && (w.chars().all(|c| c.is_ascii_digit())
                    || w.chars().all(|c| "IVXLCivxlc".contains(c)))
        })
}

/// The head of a page that lists what it holds, its own title among the
/// rest, in title case: an archive issue's contents before its first
/// article (`Extract of a Letter written from Rome… An Account of Mr.
/// Hooks Micrographia…`).
fn is_contents(text: &str, title: &str) -> bool {
    let folded = token::fold(text);
    let own: std::collections::HashSet<&str> = folded.split_whitespace().collect();
    let folded_title = token::fold(title);
    let title_words: Vec<&str> = folded_title
        .split_whitespace()
        .filter(|w| w.len() > 2)
        .collect();
    let held = title_words.iter().filter(|w| own.contains(**w)).count();
    let words: Vec<&str> = text.split_whitespace().collect();
    title_words.len() >= 3
        && held * 10 >= title_words.len() * 8
        && capitalised_share(&words) >= 0.45
}

/// The share of the longer words after the first that start with a capital.
fn capitalised_share(words: &[&str]) -> f32 {
    let long: Vec<&&str> = words
        .iter()
        .skip(1)
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() > 3)
        .collect();
    if long.len() < 3 {
        return 0.0;
    }
    let capitalised = long
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    capitalised as f32 / long.len() as f32
}

/// A line of fewer than ten words, a short one in title case, or a
/// short one whose words are mostly the title's.
fn is_title_line(text: &str, words: &[&str], title: &str) -> bool {
    if words.len() < 10 {
        return true;
    }
    if words.len() > 40 {
        return false;
    }
    // A heading set as a paragraph, as an archive's OCR has them: `An
    // Account of Micrographia, or the Physiological Descriptions of Minute
    // Bodies, made by Magnifying Glasses.` — most longer words capitalised.
    if words.len() <= 25 && capitalised_share(words) >= 0.6 {
        return true;
    }
    let title_words: std::collections::HashSet<String> = token::fold(title)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let folded = token::fold(text);
    let own: Vec<&str> = folded.split_whitespace().filter(|w| w.len() > 2).collect();
    if own.is_empty() || title_words.is_empty() {
        return false;
    }
    let shared = own.iter().filter(|w| title_words.contains(**w)).count();
    shared * 10 >= own.len() * 7
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_outweighs_the_lines_that_merely_hold_the_words() {
        let prose = "Cannot enough wonder at the strange agreement of the thoughts of that acute \
                     French Gentleman, in the Hypothesis of the Comets motion, with mine.";
        assert_eq!(
            shape(PassageKind::Paragraph, prose, "A Letter", false),
            Shape::Prose
        );
        let index = "C.\nGood Cider more wholesome than Wine, 69.2118.\n\
                     Of Colours a New Theory by Mr. Isaac Newton, of the R.S., n.80.";
        assert_eq!(
            shape(PassageKind::Paragraph, index, "Errata", false),
            Shape::IndexEntry
        );
        let entry = "Glowworms, observations about their shining, 72.2177. and 73.3035.";
        assert_eq!(
            shape(PassageKind::Paragraph, entry, "Index", false),
            Shape::IndexEntry
        );
        let run_on = "Colours and dyes in Japan more lasting than elsewhere, n. 49. p. 985. \
                      Colours for dyes how to be encreated; which way to be fixed, n. 70. p. 2132. \
                      See Insects and Kermes. A New Theory of colours by Mr. Isaac Newton, of the \
                      R. S. n. 80. the same discomfired afresh between Mr. Newton and others";
        assert_eq!(
            shape(PassageKind::Paragraph, run_on, "Index", false),
            Shape::IndexEntry
        );
        let see = "A Comet. See suprà Astronomy.";
        assert_ne!(
            shape(PassageKind::Paragraph, see, "Back Matter", false),
            Shape::Prose
        );
        let observed = "At h. 15.21 p.m. the height of the Comet was about 5° 1 degr. therefore \
                        the distance of the Comet from the Earth was some 20 semidiameters.";
        assert_eq!(
            shape(PassageKind::Paragraph, observed, "Comet", false),
            Shape::Prose
        );
        assert_eq!(
            shape(
                PassageKind::Paragraph,
                "Fig. 3. The Comet as seen at Rome.",
                "A Letter",
                false
            ),
            Shape::Caption
        );
        let title = "Extract of a Letter, Lately Written from Rome, Touching the Late Comet";
        assert_eq!(
            shape(
                PassageKind::Paragraph,
                "Extract of a Letter, lately written from Rome, touching the late Comet.",
                title,
                false
            ),
            Shape::Line
        );
        assert_eq!(
            shape(PassageKind::Heading, "The Comet", title, false),
            Shape::Heading
        );
        let run_in = "An Account of Micrographia, or the Physiological Descriptions of Minute \
                      Bodies, made by Magnifying Glasses.";
        assert_eq!(
            shape(PassageKind::Paragraph, run_in, "Silk-Worms", false),
            Shape::Line
        );
        let short = "Concerning the New Comet you mention, I saw it on the 11th of February, \
                     about the 24th deg. of Aries, with a Northern latitude of 24 deg. 40 min.";
        assert_eq!(
            shape(PassageKind::Paragraph, short, title, false),
            Shape::Prose
        );
        let contents = "Extract of a Letter written from Rome, concerning the late Comet, and a \
                        New one. Extract of another Letter from Paris, containing some Reflexions \
                        on the precedent Roman Letter. An Account of Mr. Hooks Micrographia, or \
                        the Physiological descriptions of Minute Bodies.";
        assert_eq!(
            shape(PassageKind::Paragraph, contents, title, true),
            Shape::Line
        );
        assert_eq!(
            shape(PassageKind::Paragraph, prose, title, true),
            Shape::Prose
        );
        assert!(Shape::Prose.weight() > Shape::Note.weight());
        assert!(Shape::Note.weight() > Shape::Heading.weight());
    }

    #[test]
    fn the_pages_of_a_publication_s_apparatus_are_lines() {
        let text = "The light of the comet was faint, and its tail pointed away from the sun for three nights.";
        assert_eq!(
            shape(PassageKind::Paragraph, text, "Front Matter", false),
            Shape::Line
        );
        assert_eq!(
            shape(PassageKind::Paragraph, text, "Table of Contents", false),
            Shape::Line
        );
        assert_eq!(
            shape(
                PassageKind::Paragraph,
                text,
                "Observations of a Comet",
                false
            ),
            Shape::Prose
        );
    }

    #[test]
    fn a_sentence_with_a_year_in_it_is_still_prose() {
        let text = "The comet was seen again in the year 1682, as Halley had foretold it, 1758.";
        assert_eq!(
            shape(PassageKind::Paragraph, text, "Comets", false),
            Shape::Prose
        );
    }
}
