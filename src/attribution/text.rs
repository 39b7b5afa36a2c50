//! Text: a passage read once for attribution — its tokens, its sentences,
//! and where each quotation stands among them.
//!
//! Everything here is made in one pass over the passage (and a binary
//! search per quotation), so that the passes after it can look at the
//! words around each quotation without reading the passage again: the
//! gap before a quotation runs back to its sentence's start or the
//! previous quotation, the gap after it up to the next quotation or the
//! end of its sentence, and each gap is read by at most two quotations.

use std::cell::{Cell, OnceCell};
use std::ops::Range;

use crate::passage::{Passage, Quote};
use crate::token::{self, Token};

/// Words whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Dr", "Mr", "Mrs", "Ms", "Mx", "Prof", "St", "Jr", "Sr", "Rev", "Gen", "Col", "Capt", "Lt",
    "Sgt", "Gov", "Sen", "Rep", "Hon", "vs", "etc", "cf", "No", "Vol", "pp", "p", "Fig", "ca",
    "Inc", "Ltd", "Co", "Corp", "Dept", "approx", "Ave", "Mt", "Ft",
];

/// Where a quotation stands among the tokens of its passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Marks {
    /// The opening mark's token (`start` when there is none).
    pub open: usize,
    /// The first token of the quoted words.
    pub start: usize,
    /// The token after the quoted words.
    pub end: usize,
    /// The token after the closing mark (`end` when there is none).
    pub close: usize,
}

/// A passage's text, tokens, sentences and quotation marks.
pub(super) struct Text<'p> {
    /// The passage text.
    pub text: &'p str,
    /// Its tokens.
    pub tokens: Vec<Token<'p>>,
    /// For each quotation of the passage, in order.
    pub quotes: Vec<Marks>,
    /// The token each sentence starts at, from 0, ascending.
    starts: Vec<usize>,
}

impl<'p> Text<'p> {
    /// Reads `text`, whose quotations are `quotes` (ordered, not nested).
    pub fn new(text: &'p str, quotes: &[Quote]) -> Self {
        let tokens = token::tokens(text);
        let quotes: Vec<Marks> = quotes
            .iter()
            .map(|q| {
                let start = tokens.partition_point(|t| t.span.start < q.span.start);
                let end = tokens.partition_point(|t| t.span.start < q.span.end);
                let open = if start > 0 && tokens[start - 1].span.end <= q.span.start {
                    start - 1
                } else {
                    start
                };
                let close = if tokens.get(end).is_some_and(|t| {
                    t.span.start == q.span.end && t.kind == token::TokenKind::Punctuation
                }) {
                    end + 1
                } else {
                    end
                };
                Marks {
                    open,
                    start,
                    end,
                    close,
                }
            })
            .collect();
        let starts = sentence_starts(&tokens, &quotes);
        Text {
            text,
            tokens,
            quotes,
            starts,
        }
    }

    /// The tokens of the sentence that holds token `at`.
    pub fn sentence(&self, at: usize) -> Range<usize> {
        let i = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        let start = self.starts.get(i).copied().unwrap_or(0);
        let end = self.starts.get(i + 1).copied().unwrap_or(self.tokens.len());
        start..end
    }

    /// The tokens before quotation `q` that can introduce it: back to its
    /// sentence's start or the previous quotation's closing mark.
    pub fn before(&self, q: usize) -> Range<usize> {
        let marks = self.quotes[q];
        let mut start = self.sentence(marks.open).start;
        if q > 0 {
            start = start.max(self.quotes[q - 1].close);
        }
        start.min(marks.open)..marks.open
    }

    /// The tokens after quotation `q` that can credit it: up to the next
    /// quotation or its sentence's end; when the quotation ends its
    /// sentence (“Stop.” Okafor said.), the next sentence too.
    pub fn after(&self, q: usize) -> Range<usize> {
        let marks = self.quotes[q];
        let last = marks.close.saturating_sub(1);
        let mut end = self.sentence(last).end;
        if end == marks.close && end < self.tokens.len() {
            end = self.sentence(end).end;
        }
        if let Some(next) = self.quotes.get(q + 1) {
            end = end.min(next.open);
        }
        marks.close..end.max(marks.close)
    }

    /// The text of tokens `range`, as written.
    pub fn slice(&self, range: Range<usize>) -> &'p str {
        match (self.tokens.get(range.start), range.end.checked_sub(1)) {
            (Some(first), Some(last)) if last >= range.start => {
                &self.text[first.span.start..self.tokens[last].span.end]
            }
            _ => "",
        }
    }

    /// Whether token `at` is inside a quotation's words.
    pub fn in_quote(&self, at: usize) -> bool {
        let i = self.quotes.partition_point(|m| m.start <= at);
        i > 0 && at < self.quotes[i - 1].end
    }
}

/// The passages of a page, each read into a [`Text`] the first time a pass
/// asks for it, and a count of the work the passes do, in tokens read.
pub(super) struct Passages<'a> {
    passages: &'a [Passage],
    /// For a block of raw HTML, its text with the tags blanked out.
    plain: &'a [Option<String>],
    texts: Vec<OnceCell<Text<'a>>>,
    front: Vec<&'a str>,
    work: Cell<usize>,
}

impl<'a> Passages<'a> {
    /// The passages, the texts of their HTML blocks without the tags
    /// ([`without_tags`]), and the page's own texts outside them (its
    /// title, its front matter's description) where it may name people in
    /// full.
    pub fn new(passages: &'a [Passage], plain: &'a [Option<String>], front: Vec<&'a str>) -> Self {
        Passages {
            passages,
            plain,
            texts: (0..passages.len()).map(|_| OnceCell::new()).collect(),
            front,
            work: Cell::new(0),
        }
    }

    /// How many passages there are.
    pub fn len(&self) -> usize {
        self.passages.len()
    }

    /// Passage `i`.
    pub fn passage(&self, i: usize) -> &'a Passage {
        &self.passages[i]
    }

    /// Passage `i`, read.
    pub fn text(&self, i: usize) -> &Text<'a> {
        self.texts[i].get_or_init(|| {
            let p = &self.passages[i];
            let words = self
                .plain
                .get(i)
                .and_then(Option::as_deref)
                .unwrap_or(&p.text);
            let text = Text::new(words, &p.quotes);
            self.work(text.tokens.len());
            text
        })
    }

    /// The page's texts outside its passages.
    pub fn front_texts(&self) -> &[&'a str] {
        &self.front
    }

    /// Counts `n` more steps of work.
    pub fn work(&self, n: usize) {
        self.work.set(self.work.get() + n);
    }

    /// The steps of work counted so far.
    pub fn steps(&self) -> usize {
        self.work.get()
    }
}

/// The text of an HTML block with each tag blanked out, byte for byte, so
/// that the words between tags keep their places and attribute values
/// (`d="M213…"`) are no quotations of anybody.
pub(super) fn without_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        let blank = in_tag || c == '<';
        if c == '<' {
            in_tag = true;
        } else if c == '>' {
            in_tag = false;
        }
        if blank || c == '>' {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether the token before a period makes it no sentence's end: an
/// abbreviation, an initial, or a word with periods inside (“U.S”).
fn abbreviation(word: &Token) -> bool {
    let text = word.text;
    (text.chars().count() == 1 && text.chars().all(char::is_uppercase))
        || text.contains('.')
        || ABBREVIATIONS.contains(&text)
}

fn sentence_starts(tokens: &[Token], quotes: &[Marks]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut q = 0;
    let mut i = 0;
    while i < tokens.len() {
        while q < quotes.len() && quotes[q].close <= i {
            q += 1;
        }
        let inside = q < quotes.len() && quotes[q].start <= i && i < quotes[q].end;
        let token = &tokens[i];
        let terminal = token.is_mark('.') || token.is_mark('!') || token.is_mark('?');
        // A quotation that ends with its own period ends the sentence too.
        let quote_end = q < quotes.len() && i + 1 == quotes[q].end && quotes[q].close > i + 1;
        if terminal && (!inside || quote_end) {
            let mut next = i + 1;
            while tokens.get(next).is_some_and(|t| {
                t.is_mark('”')
                    || t.is_mark('’')
                    || t.is_mark('"')
                    || t.is_mark(')')
                    || t.is_mark(']')
            }) {
                next += 1;
            }
            let opens = tokens.get(next).is_none_or(|t| {
                t.is_capitalised()
                    || t.is_mark('“')
                    || t.is_mark('‘')
                    || t.is_mark('"')
                    || t.is_mark('(')
                    || t.is_mark('[')
            });
            let abbreviated = token.is_mark('.') && i > 0 && abbreviation(&tokens[i - 1]);
            if opens && !abbreviated && next < tokens.len() {
                starts.push(next);
                i = next;
                continue;
            }
        }
        i += 1;
    }
    starts.dedup();
    starts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passage::find_quotes;

    fn sentences(text: &str) -> Vec<String> {
        let reading = Text::new(text, &find_quotes(text));
        let mut out = Vec::new();
        let mut at = 0;
        while at < reading.tokens.len() {
            let s = reading.sentence(at);
            out.push(reading.slice(s.clone()).to_string());
            at = s.end;
        }
        out
    }

    #[test]
    fn sentences_end_after_periods_and_closing_quotes() {
        assert_eq!(
            sentences("He said “stop.” Then she left. Dr. Who? Yes. U.S. policy is A. B. Cole’s."),
            [
                "He said “stop.”",
                "Then she left.",
                "Dr. Who?",
                "Yes.",
                "U.S. policy is A. B. Cole’s."
            ]
        );
        // A period inside a quotation that goes on is not an end.
        assert_eq!(
            sentences("“It works. Mostly,” said Ines Duarte. Fine."),
            ["“It works. Mostly,” said Ines Duarte.", "Fine."]
        );
    }

    #[test]
    fn tags_are_blanked_in_place() {
        let html = "<p class=\"x\">“Hi,” said Ana</p>";
        let plain = without_tags(html);
        assert_eq!(plain.len(), html.len());
        assert_eq!(plain.trim(), "“Hi,” said Ana");
        let start = html.find('“').unwrap();
        assert_eq!(&plain[start..start + "“Hi,”".len()], "“Hi,”");
    }

    #[test]
    fn gaps_run_to_the_previous_quote_and_past_a_closing_quote() {
        let text = "Okafor said “one” and “two.” Okafor added. “Three,” said Lee.";
        let reading = Text::new(text, &find_quotes(text));
        assert_eq!(reading.slice(reading.before(0)), "Okafor said");
        assert_eq!(reading.slice(reading.before(1)), "and");
        assert_eq!(reading.slice(reading.after(1)), "Okafor added.");
        assert_eq!(reading.slice(reading.before(2)), "");
        assert_eq!(reading.slice(reading.after(2)), "said Lee.");
        assert!(reading.in_quote(reading.quotes[0].start));
        assert!(!reading.in_quote(reading.quotes[0].close));
    }
}
