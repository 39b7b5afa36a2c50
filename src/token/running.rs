//! Running text as tokens for reading who said what: words, numbers and
//! marks, each with its byte span in the text and the text as written.

use super::*;

/// What a [`Token`] of running text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, with the digits and marks among them, an apostrophe
    /// between letters (“it’s”, “O’Brien”), a hyphen between letters
    /// (“Pierre-Joseph”) and the periods between the single letters of
    /// initials (“U.S”); a word may start with a digit when it holds a
    /// letter (“18F”).
    Word,
    /// Digits, with the periods and commas between them (“1,000”, “3.5”).
    Number,
    /// Any other character that is not white space, one token each.
    Punctuation,
}

/// A piece of running text as attribution reads it: a word, a number or
/// one punctuation mark, as written (not folded), with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'t> {
    /// Byte range in the text.
    pub span: Range<usize>,
    /// The text as written.
    pub text: &'t str,
    /// What it is.
    pub kind: TokenKind,
}

impl Token<'_> {
    /// Whether it is a word (not a number or a mark).
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    /// Whether it is a word that starts with a capital letter, or with a
    /// digit and holds one (“Okafor”, “18F”).
    pub fn is_capitalised(&self) -> bool {
        let mut chars = self.text.chars();
        self.is_word()
            && chars.next().is_some_and(|c| {
                c.is_uppercase() || c.is_ascii_digit() && self.text.chars().any(char::is_uppercase)
            })
    }

    /// Whether it is this punctuation mark.
    pub fn is_mark(&self, mark: char) -> bool {
        self.kind == TokenKind::Punctuation && self.text.starts_with(mark)
    }

    /// Whether its text is `word`, in any ASCII case.
    pub fn is(&self, word: &str) -> bool {
        self.text.eq_ignore_ascii_case(word)
    }
}

/// Cuts `text` into words, numbers and punctuation marks, skipping white
/// space. Work and memory are linear in the text.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if !c.is_alphanumeric() {
            let end = start + c.len_utf8();
            out.push(Token {
                span: start..end,
                text: &text[start..end],
                kind: TokenKind::Punctuation,
            });
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut letters = c.is_alphabetic();
        let mut all_digits = c.is_ascii_digit();
        // Letters since the word's start or its last period: 1 for an initial.
        let mut segment = 1;
        let mut previous = c;
        while let Some(&(at, next)) = chars.peek() {
            let joins = if next.is_alphanumeric() || is_combining_mark(next) {
                true
            } else {
                let after = text[at + next.len_utf8()..].chars().next();
                match next {
                    '\'' | '\u{2019}' | '\u{02BC}' => {
                        previous.is_alphanumeric() && after.is_some_and(char::is_alphanumeric)
                    }
                    '-' | '\u{2010}' | '\u{2011}' => {
                        previous.is_alphanumeric() && after.is_some_and(char::is_alphanumeric)
                    }
                    '.' if all_digits => after.is_some_and(|a| a.is_ascii_digit()),
                    ',' if all_digits => {
                        // 1,000 but not "1, 2": three digits after the comma.
                        let rest = &text[at + 1..];
                        rest.len() >= 3
                            && rest.as_bytes()[..3].iter().all(u8::is_ascii_digit)
                            && !rest.as_bytes().get(3).is_some_and(u8::is_ascii_digit)
                    }
                    '.' => {
                        segment == 1
                            && previous.is_alphabetic()
                            && after.is_some_and(char::is_alphabetic)
                            && {
                                let mut rest = text[at + 1..].chars();
                                rest.next();
                                rest.next().is_none_or(|c| !c.is_alphanumeric())
                            }
                    }
                    _ => false,
                }
            };
            if !joins {
                break;
            }
            chars.next();
            end = at + next.len_utf8();
            if next == '.' {
                segment = 0;
            } else if next.is_alphanumeric() {
                segment += 1;
            }
            letters |= next.is_alphabetic();
            all_digits &= next.is_ascii_digit() || next == '.' || next == ',';
            previous = next;
        }
        out.push(Token {
            span: start..end,
            text: &text[start..end],
            kind: if letters {
                TokenKind::Word
            } else {
                TokenKind::Number
            },
        });
    }
    out
}
