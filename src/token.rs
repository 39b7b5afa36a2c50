//! Token: a word as citeindex matches it, and a piece of running text as
//! attribution reads it.
//!
//! This is the one place that decides when two spellings are the same word,
//! and where text is cut into words: [`words`] for matching (folded), and
//! [`tokens`] for reading who said what (words, numbers and punctuation as
//! written, each with its span).
//! Matching ignores case, curly versus straight apostrophes, dash variants,
//! Unicode compatibility forms (ligatures, full-width letters) and diacritics;
//! the stored text keeps the original typography, and every token carries
//! byte offsets into that original text so that snippets and quote look-ups
//! can hand back the wording exactly as written.
//!
//! ```
//! let words: Vec<String> = citeindex::words("It’s NAÏVE—ﬁne")
//!     .into_iter()
//!     .map(|w| w.text)
//!     .collect();
//! assert_eq!(words, ["its", "naive", "fine"]);
//! ```

use std::ops::Range;

use tantivy::Index;
use tantivy::tokenizer::{
    RemoveLongFilter, TextAnalyzer, Token as TantivyToken, TokenStream, Tokenizer, TokenizerManager,
};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

mod running;

pub use running::{Token, TokenKind, tokens};

/// Name of the analyzer for exact matching (phrases, quotes).
pub const EXACT: &str = "citeindex_exact";
/// Name of the analyzer for ranked recall: exact folding plus English stemming.
pub const STEM: &str = "citeindex_stem";

/// Tokens longer than this many bytes (OCR noise, base64) are not indexed.
const MAX_TOKEN_BYTES: usize = 100;

/// Registers citeindex's analyzers on an index, as they index text.
pub fn register(index: &Index) {
    index
        .tokenizers()
        .register(EXACT, indexing_exact_analyzer());
    index.tokenizers().register(STEM, stem_analyzer());
}

/// The analyzers as they read a query: the exact one without the
/// possessives' bases (a typed “it’s” is the one word `its`), and Tantivy's
/// own for the untokenized fields.
pub fn query_tokenizers() -> TokenizerManager {
    let manager = TokenizerManager::default();
    manager.register(EXACT, exact_analyzer());
    manager.register(STEM, stem_analyzer());
    manager
}

/// The exact analyzer as it reads a query, and as [`words`] splits text.
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .build()
}

/// The exact analyzer as it indexes text: a possessive (“Newton’s”, the
/// word `newtons`) is indexed with its base (`newton`) at the same position,
/// so that the phrase “Sir Isaac Newton” finds “Sir Isaac Newton’s”, as
/// “Newton’s” and “newtons” find it.
pub fn indexing_exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::with_possessive_bases())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .build()
}

/// The analyzer behind the stemmed field: the exact words, English stems.
pub fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(StemTokenizer::default())
}

/// A folded word and where it stands in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The folded form: lower case, no diacritics, compatibility forms decomposed.
    pub text: String,
    /// Byte range of the word in the original text.
    pub span: Range<usize>,
    /// For a possessive (“Newton’s”, `newtons`), its base (`newton`), which
    /// the exact field also indexes at this word's position.
    pub base: Option<String>,
}

impl Word {
    /// Whether the exact field matches `word` here: the word or its base.
    pub fn is(&self, word: &str) -> bool {
        self.text == word || self.base.as_deref() == Some(word)
    }
}

/// Splits `text` into folded words, with their byte spans in `text`,
/// as the exact field indexes them: one word per position, a possessive
/// with its base.
pub fn words(text: &str) -> Vec<Word> {
    analyze(&mut exact_analyzer(), text, true)
}

/// Splits `text` into stemmed words, exactly as the stemmed field indexes them.
///
/// Each thread keeps one analyzer, and so one stem cache, for all its
/// calls: a search stems each hit's text to mark it.
pub fn stemmed_words(text: &str) -> Vec<Word> {
    thread_local! {
        static STEMS: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(stem_analyzer());
    }
    STEMS.with_borrow_mut(|analyzer| analyze(analyzer, text, false))
}

fn analyze(analyzer: &mut TextAnalyzer, text: &str, bases: bool) -> Vec<Word> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let token = stream.token();
        let span = token.offset_from..token.offset_to;
        let base = (bases && possessive_base_end(text, &span, &token.text).is_some())
            .then(|| token.text[..token.text.len() - 1].to_string());
        out.push(Word {
            text: token.text.clone(),
            span,
            base,
        });
    }
    out
}

/// For a word that ends in an apostrophe and an `s` (“Newton’s”, “it’s”),
/// where its base (“Newton”, “it”) ends in the original text.
fn possessive_base_end(text: &str, span: &Range<usize>, folded: &str) -> Option<usize> {
    if folded.len() < 2 || !folded.ends_with('s') {
        return None;
    }
    let original = &text[span.clone()];
    let mut chars = original.char_indices().rev();
    let (_, last) = chars.next()?;
    let (at, before) = chars.next()?;
    (matches!(last, 's' | 'S') && is_apostrophe(before)).then_some(span.start + at)
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
    token: TantivyToken,
    possessive_bases: bool,
}

impl WordTokenizer {
    /// A tokenizer that follows each possessive with its base, at the same
    /// position: “Newton’s” gives `newtons`, then `newton`.
    pub fn with_possessive_bases() -> Self {
        WordTokenizer {
            token: TantivyToken::default(),
            possessive_bases: true,
        }
    }
}

/// The stream of tokens of one text.
pub struct WordStream<'a> {
    text: &'a str,
    cursor: usize,
    token: &'a mut TantivyToken,
    possessive_bases: bool,
    /// Where the base of the possessive just given ends, to give it next.
    base_end: Option<usize>,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            cursor: 0,
            token: &mut self.token,
            possessive_bases: self.possessive_bases,
            base_end: None,
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
        if let Some(end) = self.base_end.take() {
            // The possessive's base, at the possessive's position.
            self.token.text.pop();
            self.token.offset_to = end;
            return true;
        }
        self.token.text.clear();
        let bytes = self.text.as_bytes();
        // Skip separators, and combining marks that start no word.
        let mut start = None;
        while self.cursor < bytes.len() {
            let b = bytes[self.cursor];
            if b < 0x80 {
                // ASCII: a letter or digit starts the word, read below.
                if b.is_ascii_alphanumeric() {
                    start = Some(self.cursor);
                    break;
                }
                self.cursor += 1;
                continue;
            }
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
            let b = bytes[self.cursor];
            if b.is_ascii_alphanumeric() {
                // A run of ASCII letters and digits, folded at once: most
                // of any English text.
                let run = bytes[self.cursor..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .map_or(bytes.len(), |n| self.cursor + n);
                let from = self.token.text.len();
                self.token.text.push_str(&self.text[self.cursor..run]);
                self.token.text[from..].make_ascii_lowercase();
                self.cursor = run;
                end = run;
                continue;
            }
            if b < 0x80 && !is_apostrophe(b as char) {
                break;
            }
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
        if self.possessive_bases {
            self.base_end = possessive_base_end(self.text, &(start..end), &self.token.text);
        }
        true
    }

    fn token(&self) -> &TantivyToken {
        self.token
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        self.token
    }
}

/// Slots in a stem cache: 512 KB, most of a segment's running text.
const STEM_SLOTS: usize = 1 << 14;
/// Words a stem tokenizer stems directly before it makes its table: a query
/// parser clones the tokenizer for every word it reads, and making the
/// table (clearing 512 KB) costs more than stemming a few words.
const STEMS_BEFORE_TABLE: usize = 4096;

/// A word of at most 15 bytes and its stem, each as 16 little-endian bytes:
/// the text padded with zeros, its length in the last byte. An empty slot
/// matches no word.
#[derive(Clone, Copy)]
struct StemSlot {
    word: u128,
    stem: u128,
}

impl StemSlot {
    /// The key of `word`, if it is short enough to be kept: its bytes read
    /// as two overlapping loads where it is long enough, since a copy of a
    /// length known only at run time is a call to `memcpy`.
    fn key(word: &str) -> Option<u128> {
        let b = word.as_bytes();
        let n = b.len();
        let load = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or_default());
        let bytes: u128 = match n {
            16.. => return None,
            8.. => {
                // The last eight bytes, moved down over the first eight.
                let tail = u128::from(load(n - 8)) << ((n - 8) * 8);
                u128::from(load(0)) | tail
            }
            _ => b
                .iter()
                .enumerate()
                .fold(0, |key, (i, &byte)| key | u128::from(byte) << (i * 8)),
        };
        Some(bytes | (n as u128) << 120)
    }

    fn index(key: u128) -> usize {
        let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
        let hash = folded.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (hash >> (64 - STEM_SLOTS.trailing_zeros())) as usize
    }

    /// Writes the stem into `out`.
    fn write_stem(&self, out: &mut String) {
        let bytes = self.stem.to_le_bytes();
        let len = usize::from(bytes[15]).min(15);
        out.clear();
        out.push_str(std::str::from_utf8(&bytes[..len]).unwrap_or_default());
    }
}

/// The words of [`WordTokenizer`], without the long ones, as their English
/// Snowball stems (Tantivy's own stemmer), through a cache: one tokenizer
/// indexes a whole segment, where a few thousand words make most of the
/// text, and a look-up costs a fraction of stemming the word again.
///
/// The cache is a table of words and stems kept inline, one slot per hash,
/// so that a look-up reads one line of memory: a hash map of boxed strings
/// took a sixth of indexing, most of it in cache misses on the boxed keys.
#[derive(Clone)]
pub struct StemTokenizer {
    words: WordTokenizer,
    stemmer: frostem::Stemmer,
    stems: StemCache,
}

/// The table of a [`StemTokenizer`], empty until it has stemmed
/// [`STEMS_BEFORE_TABLE`] words.
#[derive(Clone, Default)]
struct StemCache {
    slots: Vec<StemSlot>,
    uncached: usize,
}

impl Default for StemTokenizer {
    fn default() -> Self {
        StemTokenizer {
            words: WordTokenizer::default(),
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            stems: StemCache::default(),
        }
    }
}

/// The stream of stemmed tokens of one text.
pub struct StemStream<'a> {
    words: WordStream<'a>,
    stemmer: frostem::Stemmer,
    stems: &'a mut StemCache,
}

impl Tokenizer for StemTokenizer {
    type TokenStream<'a> = StemStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> StemStream<'a> {
        StemStream {
            words: self.words.token_stream(text),
            stemmer: self.stemmer,
            stems: &mut self.stems,
        }
    }
}

impl TokenStream for StemStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if !self.words.advance() {
                return false;
            }
            // As the exact analyzer's RemoveLongFilter, before stemming.
            if self.words.token.text.len() < MAX_TOKEN_BYTES {
                break;
            }
        }
        let text = &mut self.words.token.text;
        let cache = &mut *self.stems;
        let key = if cache.slots.is_empty() && cache.uncached < STEMS_BEFORE_TABLE {
            cache.uncached += 1;
            None
        } else {
            StemSlot::key(text)
        };
        let Some(key) = key else {
            *text = self.stemmer.stem(text).into_owned();
            return true;
        };
        if cache.slots.is_empty() {
            cache.slots = vec![StemSlot { word: 0, stem: 0 }; STEM_SLOTS];
        }
        let slot = &mut cache.slots[StemSlot::index(key)];
        if slot.word != key {
            let stem = self.stemmer.stem(text);
            match StemSlot::key(&stem) {
                Some(stem_key) => {
                    *slot = StemSlot {
                        word: key,
                        stem: stem_key,
                    }
                }
                // A stem too long to keep: the word is stemmed every time.
                None => {
                    *text = stem.into_owned();
                    return true;
                }
            }
        }
        slot.write_stem(text);
        true
    }

    fn token(&self) -> &TantivyToken {
        self.words.token()
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        self.words.token_mut()
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

    fn pieces(text: &str) -> Vec<(&str, TokenKind)> {
        tokens(text).into_iter().map(|t| (t.text, t.kind)).collect()
    }

    #[test]
    fn tokens_keep_words_whole_and_marks_apart() {
        use TokenKind::{Number, Punctuation as P, Word as W};
        assert_eq!(
            pieces("“It’s O’Brien’s,” said Pierre-Joseph — U.S. 18F, 1,000 and 3.5."),
            [
                ("“", P),
                ("It’s", W),
                ("O’Brien’s", W),
                (",", P),
                ("”", P),
                ("said", W),
                ("Pierre-Joseph", W),
                ("—", P),
                ("U.S", W),
                (".", P),
                ("18F", W),
                (",", P),
                ("1,000", Number),
                ("and", W),
                ("3.5", Number),
                (".", P),
            ]
        );
        // A trailing apostrophe or hyphen is a mark; initials stay apart
        // from the name after them.
        assert_eq!(
            pieces("activists’ well- David A. Chandler"),
            [
                ("activists", W),
                ("’", P),
                ("well", W),
                ("-", P),
                ("David", W),
                ("A", W),
                (".", P),
                ("Chandler", W),
            ]
        );
        let text = "naïve café";
        for t in tokens(text) {
            assert_eq!(&text[t.span.clone()], t.text);
        }
        assert!(tokens("Okafor")[0].is_capitalised());
        assert!(!tokens("okafor")[0].is_capitalised());
    }

    /// The stemmed field's words as Tantivy's own filters would make them.
    fn tantivy_stem_analyzer() -> TextAnalyzer {
        use tantivy::tokenizer::{Language, Stemmer};
        TextAnalyzer::builder(WordTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(Stemmer::new(Language::English))
            .build()
    }

    #[test]
    fn the_cached_stems_are_tantivys_stems() {
        let mut tantivy = tantivy_stem_analyzer();
        let long = "x".repeat(MAX_TOKEN_BYTES);
        let text = format!(
            "Experiments experimental experimenting {long} flies flying happily \
             generalizations it’s Newton’s ﬁnal naïve running runs ran"
        );
        let mut ours = stem_analyzer();
        // Stemmed directly at first, then through the table, then from it.
        for _ in 0..STEMS_BEFORE_TABLE / 14 + 3 {
            assert_eq!(
                analyze(&mut ours, &text, false),
                analyze(&mut tantivy, &text, false)
            );
        }
        assert_eq!(analyze(&mut ours, &text, false).len(), 14);
    }

    #[test]
    fn the_stem_cache_keeps_stems_apart_when_its_slots_collide() {
        let mut tantivy = tantivy_stem_analyzer();
        // Four times as many words as slots, of 1 to 20 bytes, some not ASCII.
        let stems = ["a", "é", "pump", "nation", "relat", "ï", "experiment", "x"];
        let endings = ["", "s", "ing", "ed", "ational", "ness", "ly", "ies"];
        let words: Vec<String> = (0..4 * STEM_SLOTS)
            .map(|i| {
                let mut word = format!("{}{}", stems[i % 8], endings[(i / 8) % 8]);
                word.push_str(&"q".repeat(i % 5));
                word + &format!("{}", i / 64)
            })
            .collect();
        let text = words.join(" ");
        let mut ours = stem_analyzer();
        let expected = analyze(&mut tantivy, &text, false);
        for _ in 0..2 {
            assert_eq!(analyze(&mut ours, &text, false), expected);
        }
        assert_ne!(
            StemSlot::key("experimentatioN"),
            StemSlot::key("experimentation")
        );
        assert_ne!(StemSlot::key("pumps"), StemSlot::key("pump"));
        assert_eq!(StemSlot::key("experimentations"), None);
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

    #[test]
    fn a_possessive_is_indexed_with_its_base_at_the_same_position() {
        let text = "Sir Isaac Newton’s laws, it's JAMES'S, the activists’ o'clock newtons";
        let mut analyzer = indexing_exact_analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            let t = stream.token();
            tokens.push((
                t.text.clone(),
                t.position,
                &text[t.offset_from..t.offset_to],
            ));
        }
        let expected = [
            ("sir", 0, "Sir"),
            ("isaac", 1, "Isaac"),
            ("newtons", 2, "Newton’s"),
            ("newton", 2, "Newton"),
            ("laws", 3, "laws"),
            ("its", 4, "it's"),
            ("it", 4, "it"),
            ("jamess", 5, "JAMES'S"),
            ("james", 5, "JAMES"),
            ("the", 6, "the"),
            ("activists", 7, "activists"),
            ("oclock", 8, "o'clock"),
            ("newtons", 9, "newtons"),
        ];
        let expected: Vec<(String, usize, &str)> = expected
            .iter()
            .map(|&(w, p, o)| (w.to_string(), p, o))
            .collect();
        assert_eq!(tokens, expected);

        // `words` gives one word per position, with the base beside it,
        // and a query is read without the bases.
        let words = words(text);
        assert_eq!(words.len(), 10);
        assert_eq!(words[2].base.as_deref(), Some("newton"));
        assert!(words[2].is("newton") && words[2].is("newtons") && !words[2].is("newto"));
        assert_eq!(words[9].base, None);
        let mut query = query_tokenizers().get(EXACT).unwrap();
        let query: Vec<String> = analyze(&mut query, "Newton’s it’s", false)
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(query, ["newtons", "its"]);
    }

    /// The tokenizer's rule read one character at a time, as it was
    /// written before its ASCII fast paths.
    fn reference_words(text: &str) -> Vec<(String, Range<usize>)> {
        let mut out = Vec::new();
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let mut word = String::new();
            let (start, c) = chars[i];
            i += 1;
            if is_combining_mark(c) || !fold_char(c, &mut word) {
                continue;
            }
            let mut end = start + c.len_utf8();
            while i < chars.len() {
                let (at, c) = chars[i];
                let joins = || chars.get(i + 1).is_some_and(|&(_, n)| n.is_alphanumeric());
                if fold_char(c, &mut word) {
                    end = at + c.len_utf8();
                } else if !(is_apostrophe(c) && joins()) {
                    break;
                }
                i += 1;
            }
            if word.len() < MAX_TOKEN_BYTES {
                out.push((word, start..end));
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn the_fast_paths_split_as_the_rule_does(
            text in "([a-zA-Z0-9 ,.'’\\-]|é|ﬁ|\u{301}|Ａ|ß|—|İ){0,40}"
        ) {
            let ours: Vec<(String, Range<usize>)> =
                words(&text).into_iter().map(|w| (w.text, w.span)).collect();
            proptest::prop_assert_eq!(ours, reference_words(&text));
        }
    }
}
