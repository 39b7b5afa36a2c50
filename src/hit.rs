//! Hit: one passage as an answer shows it — its text and snippet, its page,
//! who said it and each quotation in it, and how to cite them.
//!
//! A hit is built from the passage's stored document and the catalog's
//! record of its page and sources. Its attribution chain runs from whoever
//! said the words to the corpus page: a quotation's speaker, "quoted in"
//! the work an excerpt is from, "excerpted on" the page.

use serde::Serialize;
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::align::Edit;
use crate::cite::{self, ChainLink, Role};
use crate::error::{Error, Result};
use crate::highlight::{Fragment, Highlighter};
use crate::index::{Index, PassageData};
use crate::passage::{PassageKind, QuoteKind};
use crate::source::Source;

/// A byte range: `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// Byte after the last.
    pub end: usize,
}

/// A page, as a hit shows it.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, utoipa::ToSchema)]
pub struct PageRef {
    /// Title.
    pub title: String,
    /// Path in the corpus.
    pub path: String,
    /// URL.
    pub url: String,
    /// Whether it is a source's full text rather than a page of the site.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub document: bool,
    /// The page as a source, which every attribution chain of the hit
    /// ends with: looked up once per hit.
    #[serde(skip)]
    pub source: Option<Source>,
}

/// A quotation in a hit.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, utoipa::ToSchema)]
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
    pub verification: Option<Verification>,
}

/// One passage found.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, utoipa::ToSchema)]
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
    /// Line in the file that holds the words.
    pub line: usize,
    /// That file, when it is not the page's own (an include the page shows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
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
    pub verification: Option<Verification>,
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

    /// Cites the passage in `style`, through its attribution chain, as
    /// [`Hit::cited`].
    pub fn cite(&mut self, style: cite::Style) {
        self.cited = Some(self.citation(style));
    }

    /// The passage cited in `style`, through its attribution chain.
    pub fn citation(&self, style: cite::Style) -> cite::Citation {
        cite::cite(&chain(self, None), &self.pinpoint(), style)
    }

    /// Who said this passage: the excerpted source, else the page itself.
    pub fn said_by(&self) -> Option<Source> {
        self.excerpted_from
            .clone()
            .or_else(|| self.page.source.clone())
    }
}

/// Builds the hit of the stored passage at `address`: its text marked by
/// `highlighter`, its sources, its quotations' speakers and attribution
/// chains, and with `citations` their Chicago notes.
pub fn build(
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
        file: data.file,
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
    let own = chain(&hit, None);
    let pinpoint = hit.pinpoint();
    hit.attribution = cite::chain_text(&own);
    if citations {
        hit.citation = cite::cite(&own, &pinpoint, cite::Style::ChicagoNotes).markdown;
    }
    let quoted: Vec<Option<(String, Option<String>)>> = hit
        .quotes
        .iter()
        .map(|q| {
            q.speaker.clone().map(|speaker| {
                let chain = chain(&hit, Some(speaker));
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

/// The attribution chain of words in `passage` said by `speaker` (if a
/// quotation in it has one): speaker, the excerpted source, the page.
pub fn chain(passage: &Hit, speaker: Option<Source>) -> Vec<ChainLink> {
    let page = passage.page.source.clone().unwrap_or_else(|| Source {
        id: passage.page.path.clone(),
        title: Some(passage.page.title.clone()),
        url: Some(passage.page.url.clone()),
        ..Source::default()
    });
    let mut chain = Vec::new();
    let excerpt = passage.excerpted_from.clone().filter(|e| e.id != page.id);
    if let Some(speaker) = speaker.filter(|s| s.id != page.id) {
        let quoted_in = excerpt.filter(|e| e.id != speaker.id);
        chain.push(ChainLink {
            role: Role::Speaker,
            source: speaker,
        });
        match quoted_in {
            Some(e) => {
                chain.push(ChainLink {
                    role: Role::QuotedIn,
                    source: e,
                });
                chain.push(ChainLink {
                    role: Role::ExcerptedOn,
                    source: page,
                });
            }
            None if passage.excerpted_from.is_some() => chain.push(ChainLink {
                role: Role::ExcerptedOn,
                source: page,
            }),
            None => chain.push(ChainLink {
                role: Role::QuotedOn,
                source: page,
            }),
        }
    } else if let Some(e) = excerpt {
        chain.push(ChainLink {
            role: Role::Speaker,
            source: e,
        });
        chain.push(ChainLink {
            role: Role::ExcerptedOn,
            source: page,
        });
    } else {
        chain.push(ChainLink {
            role: Role::On,
            source: page,
        });
    }
    chain
}

/// What the check found.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The words stand in the source as quoted (up to case, quotation
    /// marks, dashes and spacing).
    Verified,
    /// Close words stand there: see the diff.
    VerifiedWithDifferences,
    /// Nothing like them is in the source's text.
    NotFound,
}

/// A quotation or excerpt checked against its source's full text.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Verification {
    /// What the check found.
    pub status: Verdict,
    /// Id of the source checked against.
    pub source: String,
    /// Corpus path of that source's full text.
    pub document: String,
    /// The passage of the document where the words stand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passage: Option<String>,
    /// The document's page there, when it has pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_page: Option<u32>,
    /// The words as the source has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wording: Option<String>,
    /// For differences: words matched over words quoted or written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f32>,
    /// For differences: from what the page quotes to what the source says.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diff: Vec<Edit>,
}
