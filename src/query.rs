//! Query: what a user typed, read as a Tantivy query over the passages.
//!
//! Queries use Tantivy's syntax — phrases, `"…"~N`, `+`/`-`, prefix `*`,
//! `field:` — over the exact and the stemmed text, all words required unless
//! `OR` says otherwise. Curly quotation marks and guillemets count as phrase
//! marks, so a phrase pasted from a page works as typed. A quoted phrase
//! searches the exact field only; a lone `prefix*` stands for the most
//! frequent words that start with it. Every query is bounded in size and
//! nesting before it is parsed.

use tantivy::Searcher;
use tantivy::query::{Query, QueryParser, QueryParserError};
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};

use crate::error::{Error, Result};
use crate::index::Index;
use crate::token;

/// The longest query accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 4096;
/// The most opening parentheses one query may hold. Tantivy's query
/// grammar recurses once per level of nesting, a kilobyte of stack or more
/// each: some 2000 levels, which fit in `MAX_QUERY_BYTES`, overflow the
/// 2 MiB stack of a server thread and abort the whole process.
pub const MAX_PARENTHESES: usize = 100;

/// Turns curly quotation marks and guillemets into the parser's `"`, and a
/// straight apostrophe inside a word (`prisoner's`, `l'état`) into a curly
/// one: the parser would read it as the start of a quoted phrase, and the
/// words are the same to the tokenizer either way. `<` and `>` are range
/// marks only after `field:` (`year:>1800`); elsewhere, as in pasted
/// `<b>bold</b>`, they are spaces, as the tokenizer reads them.
pub fn normalize_query(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut previous: Option<char> = None;
    let mut chars = query.chars().peekable();
    while let Some(c) = chars.next() {
        let mapped = match c {
            '“' | '”' | '„' | '‟' | '«' | '»' | '‹' | '›' | '＂' | '〝' | '〞' => {
                '"'
            }
            '\'' if previous.is_some_and(char::is_alphanumeric)
                && chars.peek().is_some_and(|n| n.is_alphanumeric()) =>
            {
                '\u{2019}'
            }
            '<' | '>' if previous != Some(':') => ' ',
            c => c,
        };
        out.push(mapped);
        previous = Some(c);
    }
    out
}

/// A query as typed so far, made searchable: an open phrase is closed and
/// a last word typed up to its end is read as a prefix (`"collective barg`
/// runs as `"collective barg"*`).
pub fn as_you_type(query: &str) -> String {
    let mut query = normalize_query(query);
    let ends_in_word = query.chars().last().is_some_and(char::is_alphanumeric);
    if query.matches('"').count() % 2 == 1 {
        query.push('"');
    }
    if ends_in_word {
        query.push('*');
    }
    query
}

/// A parser over the index's fields, built once and shared.
pub struct Parser {
    inner: QueryParser,
    /// The commit the parser expands prefixes against.
    searcher: Searcher,
}

impl Parser {
    /// The parser for `index`.
    pub fn new(index: &Index) -> Self {
        let fields = index.fields();
        // The query's words are read as typed, without the possessives'
        // bases that the index adds (see `token::query_tokenizers`).
        let mut inner = QueryParser::new(
            index.tantivy().schema(),
            vec![fields.text, fields.stem],
            token::query_tokenizers(),
        );
        inner.set_conjunction_by_default();
        inner.set_field_boost(fields.stem, 0.6);
        Parser {
            inner,
            searcher: index.reader().searcher(),
        }
    }

    /// Parses a query, checking its size first. Quoted phrases without a
    /// field search the exact field only: a researcher's phrase means these
    /// words, not their stems.
    pub fn parse(&self, query: &str) -> Result<Parsed> {
        self.parse_as(query, false)
    }

    /// Parses a query being typed (see [`as_you_type`]), never failing on
    /// syntax: a half-typed `jail AND` runs as `jail`.
    pub fn parse_typing(&self, query: &str) -> Result<Parsed> {
        self.parse_as(&as_you_type(query), true)
    }

    fn parse_as(&self, query: &str, lenient: bool) -> Result<Parsed> {
        let query = normalize_query(query);
        if query.trim().is_empty() {
            return Err(Error::Query("the query is empty; type some words".into()));
        }
        if query.len() > MAX_QUERY_BYTES {
            return Err(Error::Query(format!(
                "the query is {} bytes long; the limit is {MAX_QUERY_BYTES}",
                query.len()
            )));
        }
        // Every `(` counts, in a phrase or escaped too: then no way of
        // writing a query nests deeper than this.
        let parentheses = query.matches('(').count();
        if parentheses > MAX_PARENTHESES {
            return Err(Error::Query(format!(
                "the query opens {parentheses} parentheses; the limit is {MAX_PARENTHESES}"
            )));
        }
        let mut ast = if lenient {
            query_grammar::parse_query_lenient(&query).0
        } else {
            query_grammar::parse_query(&query)
                .map_err(|_| Error::Query(explain(&QueryParserError::SyntaxError(query.clone()))))?
        };
        if let Some(field) = drop_exists(&mut ast, lenient) {
            return Err(Error::Query(format!(
                "`{field}:*` asks for passages that have the field at all, which is not \
                 supported; for words starting with some letters, type them before the `*`"
            )));
        }
        phrases_to_exact_field(&mut ast);
        self.expand_prefixes(&mut ast)?;
        let query = if lenient {
            self.inner
                .build_query_from_user_input_ast_lenient(ast.clone())
                .0
        } else {
            self.inner
                .build_query_from_user_input_ast(ast.clone())
                .map_err(|e| Error::Query(explain(&e)))?
        };
        Ok(Parsed { query, ast })
    }
}

/// A parsed query, and the syntax tree it was built from (which says
/// what to mark in the passages it finds).
pub struct Parsed {
    /// The query to run.
    pub query: Box<dyn Query>,
    /// What was typed, as the query was built from it.
    pub ast: UserInputAst,
}

/// How many words one `prefix*` stands for: the most frequent ones.
pub const MAX_EXPANSIONS: usize = 64;

impl Parser {
    /// Tantivy reads `prefix*` only at the end of a phrase of two words or
    /// more; a lone `coer*` (or `"coer"*`) is turned here into the most
    /// frequent words of the field that start with it, `(coerce OR coerced)`.
    fn expand_prefixes(&self, ast: &mut UserInputAst) -> Result<()> {
        match ast {
            UserInputAst::Clause(clauses) => {
                for (_, sub) in clauses {
                    self.expand_prefixes(sub)?;
                }
            }
            UserInputAst::Boost(sub, _) => self.expand_prefixes(sub)?,
            UserInputAst::Leaf(leaf) => {
                let UserInputLeaf::Literal(literal) = &mut **leaf else {
                    return Ok(());
                };
                let unquoted =
                    literal.delimiter == Delimiter::None && literal.phrase.ends_with('*');
                if !unquoted && !literal.prefix {
                    return Ok(());
                }
                let typed = literal.phrase.trim_end_matches('*').to_string();
                let field_name = literal.field_name.clone().unwrap_or_else(|| "text".into());
                let schema = self.searcher.schema();
                let Ok(field) = schema.get_field(&field_name) else {
                    // The parser reports the unknown field.
                    return Ok(());
                };
                // Ids, paths and source ids are indexed whole, not as words.
                let raw = matches!(
                    schema.get_field_entry(field).field_type(),
                    tantivy::schema::FieldType::Str(o)
                        if o.get_indexing_options().is_some_and(|i| i.tokenizer() == "raw")
                );
                let words: Vec<String> = if raw {
                    vec![typed.clone()]
                } else {
                    token::words(&typed).into_iter().map(|w| w.text).collect()
                };
                match words.as_slice() {
                    [] => {
                        // `*` alone, or punctuation: nothing to complete.
                        literal.phrase = typed;
                        literal.prefix = false;
                    }
                    [word] => {
                        let expansions = self.words_starting_with(field, word)?;
                        let leaves = if expansions.is_empty() {
                            // Matches nothing, as the prefix matches no word.
                            vec![word.clone()]
                        } else {
                            expansions
                        };
                        *ast = UserInputAst::Clause(
                            leaves
                                .into_iter()
                                .map(|w| {
                                    let leaf = UserInputLeaf::Literal(UserInputLiteral {
                                        field_name: Some(field_name.clone()),
                                        phrase: w,
                                        delimiter: if raw {
                                            Delimiter::DoubleQuotes
                                        } else {
                                            Delimiter::None
                                        },
                                        slop: 0,
                                        prefix: false,
                                    });
                                    (
                                        Some(query_grammar::Occur::Should),
                                        UserInputAst::Leaf(Box::new(leaf)),
                                    )
                                })
                                .collect(),
                        );
                    }
                    _ => {
                        // Several words (`IMF/Wor*`): a phrase ending in a prefix.
                        literal.phrase = typed;
                        literal.delimiter = Delimiter::DoubleQuotes;
                        literal.prefix = true;
                        literal.field_name = Some(field_name);
                    }
                }
            }
        }
        Ok(())
    }

    /// The most frequent terms of `field` that start with `prefix`.
    fn words_starting_with(
        &self,
        field: tantivy::schema::Field,
        prefix: &str,
    ) -> Result<Vec<String>> {
        let mut end = prefix.as_bytes().to_vec();
        // The first byte string after every string that starts with `prefix`.
        while let Some(last) = end.pop() {
            if last < u8::MAX {
                end.push(last + 1);
                break;
            }
        }
        let mut counts: std::collections::HashMap<Vec<u8>, u64> = std::collections::HashMap::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut range = inverted.terms().range().ge(prefix.as_bytes());
            if !end.is_empty() {
                range = range.lt(&end);
            }
            let mut stream = range.into_stream().map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                *counts.entry(stream.key().to_vec()).or_default() +=
                    u64::from(stream.value().doc_freq);
            }
        }
        let mut terms: Vec<(Vec<u8>, u64)> = counts.into_iter().collect();
        terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(terms
            .into_iter()
            .take(MAX_EXPANSIONS)
            .filter_map(|(t, _)| String::from_utf8(t).ok())
            .collect())
    }
}

/// Finds `field:*` (the parser's "has the field" query, which would fail
/// when run: no field here is a fast field) and names its field; a query
/// being typed drops it instead, as it would any other half-typed part,
/// with the clauses and boosts left empty by that.
fn drop_exists(ast: &mut UserInputAst, lenient: bool) -> Option<String> {
    let is_empty = |ast: &UserInputAst| matches!(ast, UserInputAst::Clause(c) if c.is_empty());
    match ast {
        UserInputAst::Clause(clauses) => {
            let found = clauses
                .iter_mut()
                .find_map(|(_, sub)| drop_exists(sub, lenient));
            if lenient {
                clauses.retain(|(_, sub)| !is_empty(sub));
            }
            found
        }
        UserInputAst::Boost(sub, _) => {
            let found = drop_exists(sub, lenient);
            if is_empty(sub) {
                *ast = UserInputAst::Clause(Vec::new());
            }
            found
        }
        UserInputAst::Leaf(leaf) => match &**leaf {
            UserInputLeaf::Exists { field } if !lenient => Some(field.clone()),
            UserInputLeaf::Exists { .. } => {
                *ast = UserInputAst::Clause(Vec::new());
                None
            }
            _ => None,
        },
    }
}

pub(crate) fn phrases_to_exact_field(ast: &mut UserInputAst) {
    match ast {
        UserInputAst::Clause(clauses) => {
            for (_, sub) in clauses {
                phrases_to_exact_field(sub);
            }
        }
        UserInputAst::Boost(sub, _) => phrases_to_exact_field(sub),
        UserInputAst::Leaf(leaf) => {
            // A bare `air-pump` is two words, so a phrase too; the stemmed
            // field keeps no positions for one.
            if let UserInputLeaf::Literal(literal) = &mut **leaf
                && literal.field_name.is_none()
                && (literal.delimiter != Delimiter::None
                    || crate::token::words(&literal.phrase).len() > 1)
            {
                literal.field_name = Some("text".into());
            }
        }
    }
}

fn explain(error: &QueryParserError) -> String {
    match error {
        QueryParserError::FieldDoesNotExist(field) => format!(
            "there is no field `{field}`; the fields are text, stem, title, heading, quote, source, kind, id, page, author, year"
        ),
        QueryParserError::AllButQueryForbidden => {
            "a query cannot only exclude words; add a word to look for".into()
        }
        QueryParserError::SyntaxError(query) => format!(
            "the query `{query}` does not parse; check that quotation marks and parentheses are paired and that AND, OR and NOT stand between words"
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_phrases_search_the_exact_field_only() {
        let mut ast =
            query_grammar::parse_query("\"used tactics\" tactics stem:\"use tactic\"").unwrap();
        phrases_to_exact_field(&mut ast);
        let fields: Vec<Option<String>> = match ast {
            UserInputAst::Clause(clauses) => clauses
                .into_iter()
                .map(|(_, sub)| match sub {
                    UserInputAst::Leaf(leaf) => match *leaf {
                        UserInputLeaf::Literal(l) => l.field_name,
                        _ => panic!("not a literal"),
                    },
                    _ => panic!("not a leaf"),
                })
                .collect(),
            _ => panic!("not a clause"),
        };
        assert_eq!(fields, [Some("text".into()), None, Some("stem".into())]);
    }

    #[test]
    fn typed_queries_close_phrases_and_end_in_a_prefix() {
        assert_eq!(as_you_type("jail sol"), "jail sol*");
        assert_eq!(as_you_type("“collective barg"), "\"collective barg\"*");
        assert_eq!(as_you_type("\"jail solidarity\""), "\"jail solidarity\"");
        assert_eq!(as_you_type("jail "), "jail ");
        assert_eq!(as_you_type("\"jail "), "\"jail \"");
    }

    #[test]
    fn curly_quotes_and_guillemets_are_phrase_marks() {
        assert_eq!(
            normalize_query("“jail solidarity”~2 «court»"),
            "\"jail solidarity\"~2 \"court\""
        );
    }

    #[test]
    fn apostrophes_inside_words_do_not_open_a_phrase() {
        assert_eq!(
            normalize_query("prisoner's \"l'état\" 'quoted'"),
            "prisoner’s \"l’état\" 'quoted'"
        );
        assert_eq!(
            normalize_query("<b>bold</b> year:>1800"),
            " b bold /b  year:>1800"
        );
    }
}
