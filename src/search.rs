//! Search: ranked passages for a query, with highlighted snippets and
//! attribution.
//!
//! Queries use Tantivy's syntax — phrases, `"…"~N`, `+`/`-`, prefix `*`,
//! `field:` — over the exact and the stemmed text, all words required unless
//! `OR` says otherwise. Curly quotation marks and guillemets count as phrase
//! marks, so a phrase pasted from a page works as typed.

use std::collections::HashSet;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, QueryParserError, TermQuery};
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::cite;
use crate::error::{Error, Result};
use crate::index::{Index, PassageData};
use crate::passage::{PassageKind, QuoteKind};
use crate::source::Source;
use crate::token;

/// The most hits one request may ask for.
pub const MAX_LIMIT: usize = 1000;
/// The furthest one may page.
pub const MAX_OFFSET: usize = 100_000;
/// The longest query accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 4096;
/// The most opening parentheses one query may hold. Tantivy's query
/// grammar recurses once per level of nesting, a kilobyte of stack or more
/// each: some 2000 levels, which fit in `MAX_QUERY_BYTES`, overflow the
/// 2 MiB stack of a server thread and abort the whole process.
pub const MAX_PARENTHESES: usize = 100;
/// Length of a snippet, in bytes of text, when the passage is longer.
const SNIPPET_BYTES: usize = 280;

/// A search as asked.
#[derive(Debug, Clone)]
pub struct Request {
    /// The query, in Tantivy's syntax.
    pub query: String,
    /// Keep only passages that excerpt, cite or quote this source (id or name).
    pub source: Option<String>,
    /// How many hits.
    pub limit: usize,
    /// How many hits to skip.
    pub offset: usize,
    /// The query is being typed: close an open phrase, read the last word
    /// as a prefix, and run what parses of the rest.
    pub typing: bool,
    /// Render each hit's citations (its note and its quotations'), as the
    /// JSON answers carry them. The CLI's text report prints none, and a
    /// CSL rendering costs about a millisecond a hit.
    pub citations: bool,
}

impl Request {
    /// A request for the first ten hits of `query`.
    pub fn new(query: impl Into<String>) -> Self {
        Request {
            query: query.into(),
            source: None,
            limit: 10,
            offset: 0,
            typing: false,
            citations: true,
        }
    }
}

/// A byte range: `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// Byte after the last.
    pub end: usize,
}

/// A page, as a hit shows it.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct PageRef {
    /// Title.
    pub title: String,
    /// Path in the corpus.
    pub path: String,
    /// URL.
    pub url: String,
    /// Whether it is a source's full text rather than a page of the site.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub document: bool,
    /// The page as a source, which every attribution chain of the hit
    /// ends with: looked up once per hit.
    #[serde(skip)]
    pub source: Option<Source>,
}

/// A piece of a snippet.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Fragment {
    /// The text.
    pub text: String,
    /// Whether it matched the query.
    pub highlighted: bool,
}

/// A quotation in a hit.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct QuoteOut {
    /// The quoted words.
    pub text: String,
    /// How they are used.
    pub kind: QuoteKind,
    /// Byte range in the passage text.
    #[schema(value_type = Span)]
    pub span: std::ops::Range<usize>,
    /// Who said them.
    pub speaker: Option<Source>,
    /// For a quotation with a speaker: the chain in words ("JCLC, quoted in
    /// Hermes 2016, excerpted on …").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// For a quotation with a speaker: a Chicago-style note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// When the speaker's (or the quoting work's) full text is indexed:
    /// whether the words stand there (in the passage look-up).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<crate::verify::Verification>,
}

/// One passage found.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Hit {
    /// Passage id.
    pub id: String,
    /// Relevance.
    pub score: f32,
    /// Kind of block.
    pub kind: PassageKind,
    /// Full text, typography kept.
    pub text: String,
    /// Part of the text around the matches, matches marked.
    pub snippet: Vec<Fragment>,
    /// The page it is on.
    pub page: PageRef,
    /// Heading trail.
    pub headings: Vec<String>,
    /// Line in the page's file.
    pub line: usize,
    /// Byte span in the page's file.
    #[schema(value_type = Span)]
    pub span: std::ops::Range<usize>,
    /// For a front matter link: where it points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// In a paged source document (a PDF): the page the passage is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_page: Option<u32>,
    /// The source this passage is an excerpt of.
    pub excerpted_from: Option<Source>,
    /// For an excerpt whose source's full text is indexed: whether it
    /// stands there (in the passage look-up, not in search hits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<crate::verify::Verification>,
    /// Sources it excerpts, names, links or quotes.
    pub sources: Vec<Source>,
    /// Its quotations.
    pub quotes: Vec<QuoteOut>,
    /// Who said the passage, in words ("Hermes 2016, excerpted on …").
    pub attribution: String,
    /// A Chicago-style note citing the passage, Markdown italics.
    pub citation: String,
    /// The passage cited in the style asked for, when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cited: Option<cite::Citation>,
}

impl Hit {
    /// Where the passage stands, for a citation.
    pub fn pinpoint(&self) -> cite::Pinpoint {
        let document = self.page.document.then_some(self.source_page);
        cite::pinpoint(&self.id, &self.page.url, document)
    }

    /// Who said this passage: the excerpted source, else the page itself.
    pub fn said_by(&self) -> Option<Source> {
        self.excerpted_from
            .clone()
            .or_else(|| self.page.source.clone())
    }
}

/// Hits of a search.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Results {
    /// The query as run.
    pub query: String,
    /// Passages matching, in all.
    pub total: usize,
    /// Offset of the first hit.
    pub offset: usize,
    /// The hits.
    pub hits: Vec<Hit>,
}

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
        let mut highlighter = Highlighter::default();
        highlighter.collect(&ast, false);
        let query = if lenient {
            self.inner.build_query_from_user_input_ast_lenient(ast).0
        } else {
            self.inner
                .build_query_from_user_input_ast(ast)
                .map_err(|e| Error::Query(explain(&e)))?
        };
        Ok(Parsed { query, highlighter })
    }
}

/// A parsed query and what to mark in the passages it finds.
pub struct Parsed {
    /// The query to run.
    pub query: Box<dyn Query>,
    /// Marks the words the query matched.
    pub highlighter: Highlighter,
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

fn phrases_to_exact_field(ast: &mut UserInputAst) {
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

/// Runs a search.
pub fn search(index: &Index, parser: &Parser, request: &Request) -> Result<Results> {
    check_paging(request.limit, request.offset)?;
    let Parsed { query, highlighter } = if request.typing {
        parser.parse_typing(&request.query)?
    } else {
        parser.parse(&request.query)?
    };
    let query = filter_by_source(index, query, request.source.as_deref())?;
    let searcher = index.reader().searcher();
    let top = TopDocs::with_limit(request.limit.max(1))
        .and_offset(request.offset)
        .order_by_score();
    let (top, total) = searcher.search(&query, &(top, Count))?;
    let hits = top
        .into_iter()
        .take(request.limit)
        .map(|(score, address)| {
            hit_with(
                index,
                &searcher,
                address,
                score,
                &highlighter,
                request.citations,
            )
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Results {
        query: request.query.clone(),
        total,
        offset: request.offset,
        hits,
    })
}

/// How many pages hold a passage that `query` matches: the count to
/// compare with a search engine that indexes whole pages.
pub fn matching_pages(index: &Index, parser: &Parser, query: &str) -> Result<usize> {
    let Parsed { query, .. } = parser.parse(query)?;
    let searcher = index.reader().searcher();
    let found = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
    let page = index.fields().page;
    let mut pages = std::collections::HashSet::new();
    for address in found {
        let doc: TantivyDocument = searcher.doc(address)?;
        if let Some(path) = doc.get_first(page).and_then(|v| v.as_str()) {
            pages.insert(path.to_string());
        }
    }
    Ok(pages.len())
}

/// The passage with id `id`, whole and unmarked, with its attribution.
pub fn passage(index: &Index, id: &str) -> Result<Option<Hit>> {
    let term = Term::from_field_text(index.fields().id, id);
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    let searcher = index.reader().searcher();
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let unmarked = Highlighter::default();
    top.into_iter()
        .next()
        .map(|(score, address)| {
            let mut hit = hit(index, &searcher, address, score, &unmarked)?;
            hit.snippet = vec![Fragment {
                text: hit.text.clone(),
                highlighted: false,
            }];
            crate::verify::passage(index, &mut hit)?;
            Ok(hit)
        })
        .transpose()
}

/// Ids of the passages that excerpt, cite or quote any of `sources`, in
/// page order and then paragraph order.
pub fn passages_citing(index: &Index, sources: &[String]) -> Result<Vec<String>> {
    let fields = index.fields();
    let clauses: Vec<(Occur, Box<dyn Query>)> = sources
        .iter()
        .map(|id| {
            let term = Term::from_field_text(fields.source, id);
            (
                Occur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    let searcher = index.reader().searcher();
    let found = searcher.search(
        &BooleanQuery::new(clauses),
        &tantivy::collector::DocSetCollector,
    )?;
    let mut ids = Vec::with_capacity(found.len());
    for address in found {
        let doc: TantivyDocument = searcher.doc(address)?;
        if let Some(id) = doc.get_first(fields.id).and_then(|v| v.as_str()) {
            ids.push(id.to_string());
        }
    }
    // `page#p10` after `page#p9`.
    ids.sort_by_key(|id| {
        let (page, part) = id.rsplit_once('#').unwrap_or((id, ""));
        let digits: String = part.chars().filter(char::is_ascii_digit).collect();
        (
            page.to_string(),
            digits.parse::<u64>().unwrap_or(0),
            part.to_string(),
        )
    });
    Ok(ids)
}

/// Cites `hit` in `style`, through its attribution chain.
pub fn cite_passage(hit: &mut Hit, style: cite::Style) {
    let chain = crate::quote::chain(hit, None);
    let pinpoint = hit.pinpoint();
    hit.cited = Some(cite::cite(&chain, &pinpoint, style));
}

/// Checks `limit` and `offset` against the bounds.
pub fn check_paging(limit: usize, offset: usize) -> Result<()> {
    if limit == 0 || limit > MAX_LIMIT {
        return Err(Error::Query(format!(
            "limit must be between 1 and {MAX_LIMIT}, not {limit}"
        )));
    }
    if offset > MAX_OFFSET {
        return Err(Error::Query(format!(
            "offset must be at most {MAX_OFFSET}, not {offset}"
        )));
    }
    Ok(())
}

/// Restricts `query` to passages linked to the source called `name`.
pub fn filter_by_source(
    index: &Index,
    query: Box<dyn Query>,
    name: Option<&str>,
) -> Result<Box<dyn Query>> {
    let Some(name) = name else { return Ok(query) };
    let source = resolve_source(index, name)?;
    let term = Term::from_field_text(index.fields().source, &source.id);
    Ok(Box::new(BooleanQuery::new(vec![
        (Occur::Must, query),
        (
            Occur::Must,
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        ),
    ])))
}

/// The source called `name` (id, title or alias), or an error with suggestions.
pub fn resolve_source<'a>(index: &'a Index, name: &str) -> Result<&'a Source> {
    let sources = index.sources()?;
    if let Some(source) = sources.by_name(name) {
        return Ok(source);
    }
    let wanted = token::fold(name);
    let mut near: Vec<&Source> = sources
        .iter()
        .filter(|s| {
            std::iter::once(s.id.as_str())
                .chain(s.names())
                .any(|n| token::fold(n).contains(&wanted))
        })
        .take(5)
        .collect();
    near.sort_by_key(|s| s.id.len());
    let hint = if near.is_empty() {
        "; `citeindex sources` lists them".to_string()
    } else {
        let ids: Vec<&str> = near.iter().map(|s| s.id.as_str()).collect();
        format!("; did you mean {}?", ids.join(", "))
    };
    Err(Error::UnknownSource {
        name: name.to_string(),
        hint,
    })
}

/// Builds a hit from a stored document, with its citations.
pub fn hit(
    index: &Index,
    searcher: &Searcher,
    address: DocAddress,
    score: f32,
    highlighter: &Highlighter,
) -> Result<Hit> {
    hit_with(index, searcher, address, score, highlighter, true)
}

fn hit_with(
    index: &Index,
    searcher: &Searcher,
    address: DocAddress,
    score: f32,
    highlighter: &Highlighter,
    citations: bool,
) -> Result<Hit> {
    let doc: TantivyDocument = searcher.doc(address)?;
    let fields = index.fields();
    let text_of = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let text = text_of(fields.text);
    let path = text_of(fields.page);
    let data: PassageData =
        serde_json::from_str(&text_of(fields.data)).map_err(|e| Error::Index {
            path: index.dir().to_path_buf(),
            message: format!(
                "a stored passage is damaged ({e}); rebuild with `citeindex index --rebuild`"
            ),
        })?;
    let page = index.page(&path);
    let quotes = data
        .quotes
        .iter()
        .map(|q| QuoteOut {
            text: text.get(q.span.clone()).unwrap_or("").to_string(),
            kind: q.kind,
            span: q.span.clone(),
            speaker: q.speaker.as_ref().and_then(|id| index.source(id)),
            attribution: None,
            citation: None,
            verification: None,
        })
        .collect();
    let mut hit = Hit {
        id: text_of(fields.id),
        score,
        kind: data.kind,
        snippet: highlighter.snippet(&text),
        page: PageRef {
            title: page
                .as_ref()
                .map_or_else(|| path.clone(), |p| p.title.clone()),
            url: page.as_ref().map(|p| p.url.clone()).unwrap_or_default(),
            document: page.as_ref().is_some_and(|p| p.document),
            source: page.as_ref().and_then(|p| index.source(&p.source)),
            path,
        },
        headings: data.headings,
        line: data.line,
        span: data.span,
        url: data.url,
        source_page: data.source_page,
        verification: None,
        excerpted_from: data.excerpted_from.as_ref().and_then(|id| index.source(id)),
        sources: data
            .cites
            .iter()
            .filter_map(|id| index.source(id))
            .collect(),
        quotes,
        text,
        attribution: String::new(),
        citation: String::new(),
        cited: None,
    };
    let chain = crate::quote::chain(&hit, None);
    let pinpoint = hit.pinpoint();
    hit.attribution = cite::chain_text(&chain);
    if citations {
        hit.citation = cite::cite(&chain, &pinpoint, cite::Style::ChicagoNotes).markdown;
    }
    let quoted: Vec<Option<(String, Option<String>)>> = hit
        .quotes
        .iter()
        .map(|q| {
            q.speaker.clone().map(|speaker| {
                let chain = crate::quote::chain(&hit, Some(speaker));
                let note = citations
                    .then(|| cite::cite(&chain, &pinpoint, cite::Style::ChicagoNotes).markdown);
                (cite::chain_text(&chain), note)
            })
        })
        .collect();
    for (quote, cited) in hit.quotes.iter_mut().zip(quoted) {
        if let Some((attribution, citation)) = cited {
            quote.attribution = Some(attribution);
            quote.citation = citation;
        }
    }
    Ok(hit)
}

/// Marks the words of a text that a query matched: single words as typed
/// or by stem, phrases only where the whole phrase stands, prefixes.
#[derive(Debug, Default)]
pub struct Highlighter {
    exact: HashSet<String>,
    stemmed: HashSet<String>,
    prefixes: Vec<String>,
    phrases: Vec<Phrase>,
}

/// A phrase to mark: its words, in one field's form.
#[derive(Debug)]
struct Phrase {
    stemmed: bool,
    words: Vec<String>,
    slop: usize,
    prefix: bool,
}

impl Highlighter {
    /// Marks the terms of a query built in code (no phrases, no prefixes).
    pub fn for_terms(query: &dyn Query, index: &Index) -> Self {
        let fields = index.fields();
        let mut highlighter = Highlighter::default();
        query.query_terms(&mut |term, _| {
            let value = term.value();
            let Some(text) = value.as_str() else { return };
            if term.field() == fields.stem {
                highlighter.stemmed.insert(text.to_string());
            } else if term.field() == fields.text || term.field() == fields.quote {
                highlighter.exact.insert(text.to_string());
            }
        });
        highlighter
    }

    fn collect(&mut self, ast: &UserInputAst, excluded: bool) {
        match ast {
            UserInputAst::Clause(clauses) => {
                for (occur, sub) in clauses {
                    let excluded = excluded || *occur == Some(query_grammar::Occur::MustNot);
                    self.collect(sub, excluded);
                }
            }
            UserInputAst::Boost(sub, _) => self.collect(sub, excluded),
            UserInputAst::Leaf(leaf) => {
                if let UserInputLeaf::Literal(literal) = &**leaf
                    && !excluded
                {
                    self.add(literal);
                }
            }
        }
    }

    fn add(&mut self, literal: &UserInputLiteral) {
        // Only the fields holding the passage text can be marked in it.
        let (exact, stemmed) = match literal.field_name.as_deref() {
            None => (true, true),
            Some("text" | "quote") => (true, false),
            Some("stem") => (false, true),
            Some(_) => return,
        };
        let forms = [
            (false, exact, token::words(&literal.phrase)),
            (true, stemmed, token::stemmed_words(&literal.phrase)),
        ];
        for (is_stem, wanted, words) in forms {
            if !wanted {
                continue;
            }
            let words: Vec<String> = words.into_iter().map(|w| w.text).collect();
            match words.as_slice() {
                [] => {}
                // A prefix is typed, not stemmed: take it from the exact form.
                [word] if literal.prefix => {
                    if !is_stem {
                        self.prefixes.push(word.clone());
                    }
                }
                [word] if is_stem => {
                    self.stemmed.insert(word.clone());
                }
                [word] => {
                    self.exact.insert(word.clone());
                }
                _ if literal.prefix && is_stem => {}
                _ => self.phrases.push(Phrase {
                    stemmed: is_stem,
                    words,
                    slop: literal.slop as usize,
                    prefix: literal.prefix,
                }),
            }
        }
    }

    /// Byte ranges of the matched words and phrases in `text`, in order,
    /// not overlapping.
    pub fn matches(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        let words = token::words(text);
        let needs_stems = !self.stemmed.is_empty() || self.phrases.iter().any(|p| p.stemmed);
        let stems = if needs_stems {
            token::stemmed_words(text)
        } else {
            vec![]
        };
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let stem_hit = stems
                .get(i)
                .is_some_and(|s| s.span == w.span && self.stemmed.contains(&s.text));
            if self.exact.contains(&w.text)
                || w.base.as_ref().is_some_and(|b| self.exact.contains(b))
                || stem_hit
                || self.prefixes.iter().any(|p| w.text.starts_with(p.as_str()))
            {
                ranges.push(w.span.clone());
            }
        }
        for phrase in &self.phrases {
            let tokens = if phrase.stemmed { &stems } else { &words };
            ranges.extend(phrase.find(tokens));
        }
        ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start < last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }

    /// A snippet of `text`: all of it when short, else the window with the
    /// most matches, cut at word boundaries and marked with “…”.
    pub fn snippet(&self, text: &str) -> Vec<Fragment> {
        let matches = self.matches(text);
        let window = best_window(text, &matches, SNIPPET_BYTES);
        fragments(text, window, &matches)
    }
}

impl Phrase {
    /// Spans from the first to the last word of each occurrence in
    /// `tokens`, the words in order with at most `slop` words between.
    fn find(&self, tokens: &[token::Word]) -> Vec<std::ops::Range<usize>> {
        let last = self.words.len() - 1;
        let fits = |k: usize, token: &token::Word| {
            if self.prefix && k == last {
                token.text.starts_with(self.words[k].as_str())
            } else {
                token.is(&self.words[k])
            }
        };
        let mut found = Vec::new();
        for start in 0..tokens.len() {
            if !fits(0, &tokens[start]) {
                continue;
            }
            let (mut at, mut budget) = (start, self.slop);
            let complete = (1..=last).all(|k| {
                let reach = (at + 1 + budget).min(tokens.len().saturating_sub(1));
                match (at + 1..=reach).find(|&j| fits(k, &tokens[j])) {
                    Some(j) => {
                        budget -= j - (at + 1);
                        at = j;
                        true
                    }
                    None => false,
                }
            });
            if complete {
                found.push(tokens[start].span.start..tokens[at].span.end);
            }
        }
        found
    }
}

fn best_window(
    text: &str,
    matches: &[std::ops::Range<usize>],
    size: usize,
) -> std::ops::Range<usize> {
    if text.len() <= size {
        return 0..text.len();
    }
    let mut best = (0usize, 0usize);
    for (i, m) in matches.iter().enumerate() {
        let count = matches[i..]
            .iter()
            .take_while(|n| n.end <= m.start + size)
            .count();
        if count > best.1 {
            best = (m.start, count);
        }
    }
    // Start a little before the first match, at a word boundary.
    let mut start = best.0.saturating_sub(if best.1 > 0 { 60 } else { 0 });
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        start = text[start..]
            .find(char::is_whitespace)
            .map_or(start, |i| start + i + 1);
    }
    let mut end = (start + size).min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    if end < text.len() {
        end = text[..end]
            .rfind(char::is_whitespace)
            .filter(|&e| e > start)
            .unwrap_or(end);
    }
    start..end
}

fn fragments(
    text: &str,
    window: std::ops::Range<usize>,
    matches: &[std::ops::Range<usize>],
) -> Vec<Fragment> {
    let mut out = Vec::new();
    let mut push = |s: &str, highlighted: bool| {
        if s.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(Fragment {
                text,
                highlighted: h,
            }) if *h == highlighted => text.push_str(s),
            _ => out.push(Fragment {
                text: s.to_string(),
                highlighted,
            }),
        }
    };
    if window.start > 0 {
        push("…", false);
    }
    let mut at = window.start;
    for m in matches
        .iter()
        .filter(|m| m.start >= window.start && m.end <= window.end)
    {
        push(&text[at..m.start], false);
        push(&text[m.clone()], true);
        at = m.end;
    }
    push(&text[at..window.end], false);
    if window.end < text.len() {
        push("…", false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_keep_highlights_inside_and_mark_cuts() {
        let text = format!("{} needle {}", "word ".repeat(100), "tail ".repeat(100));
        let start = text.find("needle").unwrap();
        let needle = start..start + 6;
        let matches = std::slice::from_ref(&needle);
        let frags = fragments(&text, best_window(&text, matches, 120), matches);
        assert_eq!(frags.first().unwrap().text.chars().next(), Some('…'));
        assert!(frags.iter().any(|f| f.highlighted && f.text == "needle"));
        assert!(frags.last().unwrap().text.ends_with('…'));
    }

    fn marked(query: &str, text: &str) -> Vec<String> {
        let mut ast = query_grammar::parse_query(query).unwrap();
        phrases_to_exact_field(&mut ast);
        let mut highlighter = Highlighter::default();
        highlighter.collect(&ast, false);
        highlighter
            .matches(text)
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    #[test]
    fn phrases_are_marked_whole_and_only_where_they_stand() {
        let text = "Collective Action: leverage for collective bargaining, not collective action.";
        assert_eq!(
            marked("\"collective bargaining\"", text),
            ["collective bargaining"]
        );
        // Slop lets words stand between.
        assert_eq!(
            marked(
                "\"using tactics\"~1",
                "By using certain tactics, using them"
            ),
            ["using certain tactics"]
        );
        assert!(marked("\"using tactics\"", "By using certain tactics").is_empty());
        // Single words by form or by stem; excluded words are not marked.
        assert_eq!(marked("bargain -action", text), ["bargaining"]);
        assert_eq!(marked("coerc*", "built to coerce and oppress"), ["coerce"]);
        assert_eq!(
            marked("\"collective barg\"*", text),
            ["collective bargaining"]
        );
        // Fields that are not the passage's text mark nothing in it.
        assert!(marked("title:collective", text).is_empty());
    }

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
