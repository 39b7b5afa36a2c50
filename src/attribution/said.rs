//! Said: what the passes have decided so far, about each quotation and
//! each passage of a page — the sieve's one record.
//!
//! A pass decides only what the passes before it left open, so the first
//! pass that can tell who said something is the one that does: an
//! explicit credit before a verb beside the quotation, that before a
//! pronoun resolved to the last person named.

use super::lexicon::Pronoun;
use super::text::Passages;
use crate::passage::QuoteKind;

/// Who said a quotation, as far as the passes know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Speaker {
    /// No pass has decided.
    Open,
    /// The text gives the words to somebody it does not name: they stay
    /// unnamed, and no later pass gives them to anyone.
    Unnamed,
    /// A pronoun at a token of the passage, for coreference to resolve.
    Pronoun(Pronoun, usize),
    /// A source, by id.
    Source(String),
}

/// What is decided about one quotation.
#[derive(Debug, Clone)]
pub(super) struct Quotation {
    /// Who said it.
    pub speaker: Speaker,
    /// The speaker's role or affiliation, where the text gives one.
    pub role: Option<String>,
    /// The publication the words were said through (“told the Guardian”).
    pub via: Option<String>,
    /// How the quotation is used, once a pass knows.
    pub kind: Option<QuoteKind>,
}

/// What is decided about a page.
pub(super) struct Said {
    /// For each passage, for each of its quotations.
    pub quotes: Vec<Vec<Quotation>>,
    /// For each passage: the work it is an excerpt of.
    pub excerpt: Vec<Option<String>>,
    /// For each passage: whose words the whole block is (a credit line, an
    /// interview's answer, a lead-in before a blockquote).
    pub block: Vec<Option<String>>,
    /// For each passage: who answers in it, in an interview.
    pub answer: Vec<Option<String>>,
    /// For each passage: sources it names outside its quotations (a credit
    /// line's, an excerpt note's, the front matter's).
    pub cites: Vec<Vec<String>>,
    /// For each passage: whether it is an excerpt note.
    pub note: Vec<bool>,
    /// Image credits: passage and the name credited.
    pub image_credits: Vec<(usize, String)>,
}

impl Said {
    /// Nothing decided, for `passages`.
    pub fn new(passages: &Passages) -> Self {
        let n = passages.len();
        Said {
            quotes: (0..n)
                .map(|i| {
                    vec![
                        Quotation {
                            speaker: Speaker::Open,
                            role: None,
                            via: None,
                            kind: None,
                        };
                        passages.passage(i).quotes.len()
                    ]
                })
                .collect(),
            excerpt: vec![None; n],
            block: vec![None; n],
            answer: vec![None; n],
            cites: vec![Vec::new(); n],
            note: vec![false; n],
            image_credits: Vec::new(),
        }
    }

    /// Whether quotation `q` of passage `p` still waits for a speaker.
    pub fn open(&self, p: usize, q: usize) -> bool {
        let quote = &self.quotes[p][q];
        quote.speaker == Speaker::Open
            && !matches!(quote.kind, Some(QuoteKind::Term | QuoteKind::Title))
    }

    /// Gives quotation `q` of passage `p` to `speaker`, if it is still open.
    pub fn decide(&mut self, p: usize, q: usize, speaker: Speaker, role: Option<String>) {
        if !self.open(p, q) {
            return;
        }
        let quote = &mut self.quotes[p][q];
        quote.speaker = speaker;
        if quote.role.is_none() {
            quote.role = role;
        }
    }

    /// The source quotation `q` of passage `p` was given to, if any.
    pub fn source(&self, p: usize, q: usize) -> Option<&str> {
        match &self.quotes[p][q].speaker {
            Speaker::Source(id) => Some(id),
            _ => None,
        }
    }
}
