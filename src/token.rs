//! Token: a word as citeindex matches it.
//!
//! This is the one place that decides when two spellings are the same word.
//! Matching ignores case, curly versus straight apostrophes, dash variants,
//! Unicode compatibility forms (ligatures, full-width letters) and diacritics;
//! the stored text keeps the original typography, and every token carries
//! byte offsets into that original text so that snippets and quote look-ups
//! can hand back the wording exactly as written.
//!
//! ```
//! let words: Vec<String> = citeindex::token::words("It’s NAÏVE—ﬁne")
//!     .into_iter()
//!     .map(|w| w.text)
//!     .collect();
//! assert_eq!(words, ["its", "naive", "fine"]);
//! ```

use std::ops::Range;

use tantivy::Index;
use tantivy::tokenizer::{
    Language, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Name of the analyzer for exact matching (phrases, quotes).
pub const EXACT: &str = "citeindex_exact";
/// Name of the analyzer for ranked recall: exact folding plus English stemming.
pub const STEM: &str = "citeindex_stem";

/// Tokens longer than this many bytes (OCR noise, base64) are not indexed.
const MAX_TOKEN_BYTES: usize = 100;

/// Registers citeindex's analyzers on an index.
pub fn register(index: &Index) {
    index.tokenizers().register(EXACT, exact_analyzer());
    index.tokenizers().register(STEM, stem_analyzer());
}

/// The analyzer behind the exact field.
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .build()
}

/// The analyzer behind the stemmed field.
pub fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// A folded word and where it stands in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The folded form: lower case, no diacritics, compatibility forms decomposed.
    pub text: String,
    /// Byte range of the word in the original text.
    pub span: Range<usize>,
}

/// Splits `text` into folded words, with their byte spans in `text`,
/// exactly as the exact field indexes them.
pub fn words(text: &str) -> Vec<Word> {
    analyze(&mut exact_analyzer(), text)
}

/// Splits `text` into stemmed words, exactly as the stemmed field indexes them.
pub fn stemmed_words(text: &str) -> Vec<Word> {
    analyze(&mut stem_analyzer(), text)
}

fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let token = stream.token();
        out.push(Word {
            text: token.text.clone(),
            span: token.offset_from..token.offset_to,
        });
    }
    out
}

/// The folded form of a whole string: its words joined by single spaces.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut tokenizer = WordTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    while stream.advance() {
        let word = &stream.token().text;
        // As the exact analyzer's RemoveLongFilter.
        if word.len() >= MAX_TOKEN_BYTES {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Splits text into words of letters and digits and folds each word.
///
/// Apostrophes between letters join (“it’s” is `its`, like “its”), so that a
/// writer who types a straight apostrophe, a curly one or none finds the word.
/// Everything else that is not a letter, digit or combining mark separates
/// words, which makes all dashes and quotation marks equivalent.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

/// The stream of tokens of one text.
pub struct WordStream<'a> {
    text: &'a str,
    cursor: usize,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            cursor: 0,
            token: &mut self.token,
        }
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// Appends the folded form of `c` to `out`; returns whether `c` belongs in a word.
fn fold_char(c: char, out: &mut String) -> bool {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            return true;
        }
        return false;
    }
    if is_combining_mark(c) {
        return true;
    }
    if !c.is_alphanumeric() {
        return false;
    }
    decompose_compatible(c, |d| {
        if !is_combining_mark(d) && d.is_alphanumeric() {
            out.extend(d.to_lowercase());
        }
    });
    true
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        let bytes = self.text.as_bytes();
        // Skip separators, and combining marks that start no word.
        let mut start = None;
        while self.cursor < bytes.len() {
            let c = next_char(self.text, self.cursor);
            if !is_combining_mark(c) && fold_char(c, &mut self.token.text) {
                start = Some(self.cursor);
                self.cursor += c.len_utf8();
                break;
            }
            self.cursor += c.len_utf8();
        }
        let Some(start) = start else {
            return false;
        };
        let mut end = self.cursor;
        while self.cursor < bytes.len() {
            let c = next_char(self.text, self.cursor);
            if fold_char(c, &mut self.token.text) {
                self.cursor += c.len_utf8();
                end = self.cursor;
                continue;
            }
            if is_apostrophe(c) {
                let after = self.cursor + c.len_utf8();
                if after < bytes.len() && next_char(self.text, after).is_alphanumeric() {
                    self.cursor = after;
                    continue;
                }
            }
            break;
        }
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

fn next_char(text: &str, at: usize) -> char {
    let b = text.as_bytes()[at];
    if b < 0x80 {
        b as char
    } else {
        text[at..].chars().next().unwrap_or(' ')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn folds_case_quotes_apostrophes_and_dashes() {
        assert_eq!(folded("It’s “Right”"), folded("it's \"right\""));
        assert_eq!(folded("well–organized"), folded("well-organized"));
        assert_eq!(folded("well—organized"), ["well", "organized"]);
        assert_eq!(folded("its"), folded("it’s"));
    }

    #[test]
    fn folds_diacritics_and_compatibility_forms() {
        assert_eq!(folded("Naïve café"), ["naive", "cafe"]);
        // Decomposed input: e + combining acute accent.
        assert_eq!(folded("cafe\u{301} au lait"), ["cafe", "au", "lait"]);
        assert_eq!(folded("ﬁnal ＡＢＣ"), ["final", "abc"]);
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "“Jail & Court” — naïve it’s";
        for word in words(text) {
            assert_eq!(fold(&text[word.span.clone()]), word.text);
        }
        assert_eq!(&text[words(text)[3].span.clone()], "it’s");
    }

    #[test]
    fn fold_is_the_exact_words_joined() {
        let long = "x".repeat(MAX_TOKEN_BYTES);
        for text in [
            "It’s “Right” — naïve ﬁnal",
            "",
            "  ",
            &format!("a {long} b"),
        ] {
            let joined: Vec<String> = words(text).into_iter().map(|w| w.text).collect();
            assert_eq!(fold(text), joined.join(" "));
        }
    }

    #[test]
    fn a_trailing_apostrophe_is_not_part_of_the_word() {
        assert_eq!(
            folded("the activists’ demands"),
            ["the", "activists", "demands"]
        );
    }

    #[test]
    fn stemming_matches_the_stemmed_field() {
        let stems: Vec<String> = stemmed_words("Tactics tactic")
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(stems[0], stems[1]);
        assert_eq!(stemmed_words("it’s")[0].span, 0.."it’s".len());
    }
}
