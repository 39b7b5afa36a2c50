//! Align: where a remembered quotation best fits a passage, word by word.
//!
//! The alignment is global in what was asked and local in the passage: every
//! word asked is either matched to a word written, changed into one, or
//! reported as not written, while the passage may start and end anywhere.
//! Words match when their folded forms are equal, and count as misspelt
//! when they are a letter or two apart. The result is the written span, a
//! similarity figure and a word-level diff from what was asked to what is
//! written.

use serde::Serialize;

use crate::token::Word;

const EQUAL: i32 = 4;
const MISSPELT: i32 = 2;
const CHANGED: i32 = -3;
const GAP: i32 = -2;

/// One step of a word-level diff, from what was asked to what is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case", tag = "op")]
pub enum Edit {
    /// The same word (up to case, marks and diacritics).
    Equal {
        /// The word as written.
        written: String,
        /// What is written between it and the next word: punctuation and
        /// a space, `-` in `well-organized`.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        after: String,
    },
    /// A word asked that is written differently (misspelt or changed).
    Replace {
        /// As asked.
        asked: String,
        /// As written.
        written: String,
        /// What is written between it and the next word.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        after: String,
    },
    /// A word asked that is not written there.
    Delete {
        /// As asked.
        asked: String,
    },
    /// A word written there that was not asked.
    Insert {
        /// As written.
        written: String,
        /// What is written between it and the next word.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        after: String,
    },
}

/// The best fit of the asked words in one passage.
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    /// Index of the first and one past the last written word of the fit.
    pub words: std::ops::Range<usize>,
    /// 0 to 1: the words matched (a misspelt one counts ¾) over the words
    /// asked or written, whichever are more.
    pub similarity: f32,
    /// From asked to written.
    pub diff: Vec<Edit>,
}

/// Whether two folded words are a typo apart: one edit for words of four
/// to seven letters, two for longer ones.
pub fn misspelt(a: &str, b: &str) -> bool {
    let (letters_a, letters_b) = (a.chars().count(), b.chars().count());
    let shortest = letters_a.min(letters_b);
    let allowed = match shortest {
        0..=3 => return false,
        4..=7 => 1,
        _ => 2,
    };
    if letters_a.abs_diff(letters_b) > allowed {
        return false;
    }
    // Damerau–Levenshtein, adjacent transpositions counting once.
    strsim::osa_distance(a, b) <= allowed
}

#[derive(Clone, Copy)]
enum Step {
    Start,
    Diagonal,
    Up,
    Left,
}

/// Aligns `asked` in `written`; `None` when no asked word fits anywhere.
/// `asked_text` and `written_text` are the texts the words' spans point into.
pub fn align(
    asked: &[Word],
    asked_text: &str,
    written: &[Word],
    written_text: &str,
) -> Option<Alignment> {
    let (n, m) = (asked.len(), written.len());
    if n == 0 || m == 0 {
        return None;
    }
    let width = m + 1;
    let mut score = vec![0i32; (n + 1) * width];
    let mut step = vec![Step::Start; (n + 1) * width];
    for i in 1..=n {
        score[i * width] = GAP * i as i32;
        step[i * width] = Step::Up;
    }
    let pair = |i: usize, j: usize| {
        let (a, b) = (&asked[i].text, &written[j].text);
        if a == b {
            EQUAL
        } else if misspelt(a, b) {
            MISSPELT
        } else {
            CHANGED
        }
    };
    for i in 1..=n {
        for j in 1..=m {
            let diagonal = score[(i - 1) * width + j - 1] + pair(i - 1, j - 1);
            let up = score[(i - 1) * width + j] + GAP;
            let left = score[i * width + j - 1] + GAP;
            let (best, from) = if diagonal >= up && diagonal >= left {
                (diagonal, Step::Diagonal)
            } else if up >= left {
                (up, Step::Up)
            } else {
                (left, Step::Left)
            };
            score[i * width + j] = best;
            step[i * width + j] = from;
        }
    }
    // The fit may end anywhere in the passage.
    let end = (1..=m).max_by_key(|&j| (score[n * width + j], std::cmp::Reverse(j)))?;
    let (mut i, mut j) = (n, end);
    let mut diff = Vec::new();
    let mut matched = 0.0f32;
    let asked_word = |i: usize| asked_text[asked[i].span.clone()].to_string();
    let written_word = |j: usize| written_text[written[j].span.clone()].to_string();
    // Punctuation and spacing as written up to the next word (a run of
    // spaces as one); after the last word, its punctuation only.
    let after = |j: usize| {
        let from = written[j].span.end;
        let between = match written.get(j + 1) {
            Some(next) => &written_text[from..next.span.start],
            None => {
                let rest = &written_text[from..];
                &rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())]
            }
        };
        let mut out = String::new();
        for c in between.chars() {
            if c.is_whitespace() {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            } else {
                out.push(c);
            }
        }
        out
    };
    while i > 0 {
        match step[i * width + j] {
            Step::Diagonal => {
                let p = pair(i - 1, j - 1);
                if p == EQUAL {
                    matched += 1.0;
                    diff.push(Edit::Equal {
                        written: written_word(j - 1),
                        after: after(j - 1),
                    });
                } else {
                    if p == MISSPELT {
                        matched += 0.75;
                    }
                    diff.push(Edit::Replace {
                        asked: asked_word(i - 1),
                        written: written_word(j - 1),
                        after: after(j - 1),
                    });
                }
                i -= 1;
                j -= 1;
            }
            Step::Up | Step::Start => {
                diff.push(Edit::Delete {
                    asked: asked_word(i - 1),
                });
                i -= 1;
            }
            Step::Left => {
                diff.push(Edit::Insert {
                    written: written_word(j - 1),
                    after: after(j - 1),
                });
                j -= 1;
            }
        }
    }
    diff.reverse();
    // Trim written words inserted at the ends: the fit starts and stops on
    // words that were asked.
    while matches!(diff.first(), Some(Edit::Insert { .. })) {
        diff.remove(0);
        j += 1;
    }
    let mut stop = end;
    while matches!(diff.last(), Some(Edit::Insert { .. })) {
        diff.pop();
        stop -= 1;
    }
    if matched == 0.0 {
        return None;
    }
    let span_words = stop.saturating_sub(j);
    let similarity = matched / n.max(span_words) as f32;
    Some(Alignment {
        words: j..stop,
        similarity: (similarity * 1000.0).round() / 1000.0,
        diff,
    })
}

/// The diff as one line: `word`, `[-asked-]`, `{+written+}`,
/// `[-a-]{+b+}`, with the punctuation between the written words as it
/// stands (`well-organized, similarly-situated`). What follows the last
/// word of the fit is left out, as it is of the wording.
pub fn diff_line(diff: &[Edit]) -> String {
    let mut line = String::new();
    for (i, edit) in diff.iter().enumerate() {
        let (piece, after) = match edit {
            Edit::Equal { written, after } => (written.clone(), after.as_str()),
            Edit::Replace {
                asked,
                written,
                after,
            } => (format!("[-{asked}-]{{+{written}+}}"), after.as_str()),
            Edit::Delete { asked } => (format!("[-{asked}-]"), " "),
            Edit::Insert { written, after } => (format!("{{+{written}+}}"), after.as_str()),
        };
        line.push_str(&piece);
        // The fit, like the wording, ends at its last word.
        if i + 1 < diff.len() {
            line.push_str(if after.is_empty() { " " } else { after });
        }
    }
    // A word deleted between two written ones stands between spaces once.
    line.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::words;

    fn fit(asked: &str, written: &str) -> (String, f32, String) {
        let a = align(&words(asked), asked, &words(written), written).unwrap();
        let ws = words(written);
        let span = ws[a.words.start].span.start..ws[a.words.end - 1].span.end;
        (written[span].to_string(), a.similarity, diff_line(&a.diff))
    }

    #[test]
    fn typos_are_a_letter_or_two_apart() {
        assert!(misspelt("bargaining", "bargainnig"));
        assert!(misspelt("organized", "organised"));
        assert!(misspelt("leverage", "leverge"));
        assert!(!misspelt("the", "she"));
        assert!(!misspelt("court", "counting"));
    }

    #[test]
    fn a_misremembered_quote_finds_its_wording_and_diff() {
        let written = "By using certain tactics collectively, activists have mitigated harm in jail and achieved objectives.";
        let (wording, similarity, diff) = fit(
            "activists have reduced harm in jail and acheived objectives",
            written,
        );
        assert_eq!(
            wording,
            "activists have mitigated harm in jail and achieved objectives"
        );
        assert_eq!(
            diff,
            "activists have [-reduced-]{+mitigated+} harm in jail and [-acheived-]{+achieved+} objectives"
        );
        assert!(similarity > 0.7 && similarity < 1.0, "{similarity}");
    }

    #[test]
    fn dropped_added_and_swapped_words() {
        let written = "many different forms of non-cooperation, all of which are designed to produce leverage";
        let (wording, _, diff) = fit(
            "many forms of non-cooperation all of which designed really to produce leverage",
            written,
        );
        assert_eq!(
            wording,
            "many different forms of non-cooperation, all of which are designed to produce leverage"
        );
        assert_eq!(
            diff,
            "many {+different+} forms of non-cooperation, all of which {+are+} designed [-really-] to produce leverage"
        );
        let (_, similarity, _) = fit("many different forms of non-cooperation", written);
        assert_eq!(similarity, 1.0);
    }

    /// The diff used to drop what stands between words: "non cooperation"
    /// for "non-cooperation,".
    #[test]
    fn the_diff_keeps_the_punctuation_between_words() {
        let written = "can be effective “particularly when the defendants are well-organized, similarly-situated, and working”";
        let (_, _, diff) = fit(
            "particularly when defendants are very well organized similarly situated",
            written,
        );
        assert_eq!(
            diff,
            "particularly when {+the+} defendants are [-very-] well-organized, similarly-situated"
        );
    }

    #[test]
    fn unrelated_words_do_not_fit() {
        let written = "solidarity tactics are directed at prosecutors or judges";
        assert!(
            align(
                &words("zeppelin quixotic"),
                "zeppelin quixotic",
                &words(written),
                written
            )
            .is_none()
        );
    }
}
