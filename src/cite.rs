//! Cite: citations of attribution chains, in the styles writers use.
//!
//! Each work in a chain is rendered by a CSL processor (hayagriva, with the
//! Citation Style Language repository's Chicago notes and author-date, APA 7
//! and MLA 9 styles); a speaker who is a person or an organisation is named.
//! A quotation by one source inside another is cited "quoted in" the other
//! (APA "as cited in", MLA "qtd. in"), and an excerpt on a corpus page is
//! "excerpted in" that page, with the passage's paragraph as the pinpoint.
//! BibTeX and CSL-JSON entries are written from the same data.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::source::{Source, SourceKind};

mod archive;
mod records;

#[cfg(test)]
use records::csl_name;
pub use records::{bibtex_entry, csl_item};

/// How a source stands in an attribution chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Said the words.
    Speaker,
    /// Quotes the speaker.
    QuotedIn,
    /// The corpus page that excerpts it.
    ExcerptedOn,
    /// The corpus page that quotes the speaker directly.
    QuotedOn,
    /// The corpus page whose own words these are.
    On,
}

/// One link of an attribution chain.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct ChainLink {
    /// How the source stands in the chain.
    pub role: Role,
    /// The source.
    pub source: Source,
}

/// The chain in words: "JCLC, quoted in Hermes 2016, excerpted on Jail & Court Solidarity Actions".
pub fn chain_text(chain: &[ChainLink]) -> String {
    let mut out = String::new();
    for link in chain {
        let label = match link.role {
            Role::Speaker | Role::On => link.source.short_label(),
            // The page is named by its title; it is where the reader goes.
            Role::ExcerptedOn | Role::QuotedOn => link.source.name(),
            Role::QuotedIn => link.source.short_label(),
        };
        let connective = match link.role {
            Role::Speaker | Role::On => "",
            Role::QuotedIn => "quoted in ",
            Role::ExcerptedOn => "excerpted on ",
            Role::QuotedOn => "quoted on ",
        };
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(connective);
        out.push_str(&label);
    }
    out
}

/// Ends a note with a period, inside a closing quotation mark.
fn finish(note: &str) -> String {
    let note = note.trim_end_matches(',');
    if let Some(inner) = note.strip_suffix(",”") {
        return format!("{inner}.”");
    }
    if let Some(inner) = note.strip_suffix('”') {
        if inner.ends_with(['.', '?', '!']) {
            return note.to_string();
        }
        return format!("{inner}.”");
    }
    if note.ends_with(['.', '?', '!']) {
        return note.to_string();
    }
    format!("{note}.")
}

/// The citation styles, rendered by a CSL processor (hayagriva) from the
/// styles of the Citation Style Language repository, and the entry formats
/// reference managers import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Style {
    /// Chicago Manual of Style, 17th edition, notes and bibliography.
    ChicagoNotes,
    /// Chicago Manual of Style, 17th edition, author-date.
    ChicagoAuthorDate,
    /// APA, 7th edition.
    Apa,
    /// MLA, 9th edition.
    Mla,
    /// BibTeX entries.
    Bibtex,
    /// CSL-JSON items, as Zotero imports them.
    CslJson,
}

impl Style {
    /// Every style, in the order they are listed.
    pub const ALL: [Style; 6] = [
        Style::ChicagoNotes,
        Style::ChicagoAuthorDate,
        Style::Apa,
        Style::Mla,
        Style::Bibtex,
        Style::CslJson,
    ];

    /// The style's name, as typed after `--style`.
    pub fn name(self) -> &'static str {
        match self {
            Style::ChicagoNotes => "chicago-notes",
            Style::ChicagoAuthorDate => "chicago-author-date",
            Style::Apa => "apa",
            Style::Mla => "mla",
            Style::Bibtex => "bibtex",
            Style::CslJson => "csl-json",
        }
    }

    /// How one source is cited through another in this style.
    fn through(self, role: Role) -> &'static str {
        match (self, role) {
            (Style::Apa, _) => "as cited in",
            (Style::Mla, _) => "qtd. in",
            (_, Role::QuotedIn | Role::QuotedOn) => "quoted in",
            _ => "excerpted in",
        }
    }

    fn archived(self) -> Option<hayagriva::archive::ArchivedStyle> {
        use hayagriva::archive::ArchivedStyle as A;
        match self {
            Style::ChicagoNotes => Some(A::ChicagoNotes),
            Style::ChicagoAuthorDate => Some(A::ChicagoAuthorDate),
            Style::Apa => Some(A::AmericanPsychologicalAssociation),
            Style::Mla => Some(A::ModernLanguageAssociation),
            Style::Bibtex | Style::CslJson => None,
        }
    }
}

impl std::str::FromStr for Style {
    type Err = String;

    fn from_str(name: &str) -> std::result::Result<Self, String> {
        let wanted = name.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        let style = match wanted.as_str() {
            "chicago" | "chicago-notes" | "chicago-note" | "notes" => Style::ChicagoNotes,
            "chicago-author-date" | "author-date" => Style::ChicagoAuthorDate,
            "apa" | "apa7" | "apa-7" => Style::Apa,
            "mla" | "mla9" | "mla-9" => Style::Mla,
            "bibtex" | "bib" => Style::Bibtex,
            "csl-json" | "csl" | "json" => Style::CslJson,
            _ => {
                let names: Vec<&str> = Style::ALL.iter().map(|s| s.name()).collect();
                return Err(format!(
                    "there is no citation style `{name}`; the styles are {}",
                    names.join(", ")
                ));
            }
        };
        Ok(style)
    }
}

/// A citation in one style.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Citation {
    /// The style.
    pub style: Style,
    /// What to paste: the note or in-text citation, or the BibTeX or
    /// CSL-JSON entries.
    pub text: String,
    /// The same with titles in `*italics*`.
    pub markdown: String,
    /// The same as HTML, for rich-text editors.
    pub html: String,
    /// The reference-list entries of the works cited, in the style.
    pub bibliography: Vec<String>,
    /// Where the passage stands: the page's URL with the passage's anchor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// Where in the corpus page the cited words stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pinpoint {
    /// The passage's number on its page (`p4` is 4).
    pub paragraph: Option<u32>,
    /// In a paged source document: the page, which is cited instead.
    pub page: Option<u32>,
    /// The passage's anchor on its page (`#p4`).
    pub link: Option<String>,
}

/// What a locator counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Locus {
    Paragraph,
    Page,
}

/// Whether a source is a work one can list in a bibliography, rather than a
/// person or an organisation who said something.
fn is_work(source: &Source) -> bool {
    !matches!(source.kind, SourceKind::Organisation | SourceKind::Person)
}

/// Words that make an author's name an organisation's.
const ORGANISATION_WORDS: &[&str] = &[
    "collective",
    "society",
    "committee",
    "institute",
    "association",
    "university",
    "press",
    "project",
    "network",
    "group",
    "union",
    "council",
    "center",
    "centre",
    "foundation",
    "league",
    "coalition",
    "alliance",
    "federation",
    "party",
    "guild",
    "club",
    "bureau",
    "agency",
    "office",
    "department",
    "ministry",
    "college",
    "school",
    "library",
    "museum",
    "team",
    "board",
    "the",
];

/// The CSL styles, each decoded from hayagriva's archive on first use (a
/// CLI search cites in one style; decoding all four took 5 ms of it), and
/// the locales.
struct Csl {
    styles:
        [std::sync::OnceLock<Option<hayagriva::citationberg::IndependentStyle>>; Style::ALL.len()],
    locales: std::sync::LazyLock<Vec<hayagriva::citationberg::Locale>>,
}

impl Csl {
    fn style(&self, style: Style) -> Option<&hayagriva::citationberg::IndependentStyle> {
        let slot = Style::ALL.iter().position(|s| *s == style)?;
        self.styles[slot]
            .get_or_init(|| match style.archived()?.get() {
                hayagriva::citationberg::Style::Independent(style) => Some(style),
                hayagriva::citationberg::Style::Dependent(_) => None,
            })
            .as_ref()
    }
}

static CSL: Csl = Csl {
    styles: [const { std::sync::OnceLock::new() }; Style::ALL.len()],
    locales: std::sync::LazyLock::new(english_locales),
};

/// The English CSL locales only: decoding all sixty of hayagriva's archive
/// took a third of a cold `citeindex search`, and every style here is
/// rendered in English. The locale's code is near the start of its CBOR.
fn english_locales() -> Vec<hayagriva::citationberg::Locale> {
    hayagriva::archive::LOCALES
        .iter()
        .filter(|bytes| {
            let head = &bytes[..bytes.len().min(256)];
            head.windows(5).any(|w| w == b"en-US" || w == b"en-GB")
        })
        .filter_map(|bytes| ciborium::de::from_reader(*bytes).ok())
        .collect()
}

/// A piece of rendered text in its three forms.
#[derive(Debug, Clone, Default, PartialEq)]
struct Forms {
    text: String,
    markdown: String,
    html: String,
}

impl Forms {
    fn plain(text: &str) -> Forms {
        Forms {
            text: text.to_string(),
            markdown: text.to_string(),
            html: html_escape::encode_text(text).into_owned(),
        }
    }

    /// The processor's output in the three forms. Its own HTML writer puts
    /// the text in unescaped, and corpus text may hold `<script>`: the
    /// forms are written here from the element tree, escaping every piece.
    fn of(children: &hayagriva::ElemChildren) -> Option<Forms> {
        let mut forms = Forms::default();
        forms.push_children(children);
        Some(Forms {
            text: tidy(&forms.text),
            markdown: tidy(&forms.markdown),
            html: tidy(&forms.html),
        })
    }

    fn push_children(&mut self, children: &hayagriva::ElemChildren) {
        use hayagriva::ElemChild;
        for child in &children.0 {
            match child {
                ElemChild::Text(formatted) => self.push_text(formatted, None),
                ElemChild::Link { text, url } => self.push_text(text, Some(url)),
                ElemChild::Elem(elem) => self.push_children(&elem.children),
                ElemChild::Markup(markup) => self.push_text(
                    &hayagriva::Formatted {
                        text: markup.clone(),
                        formatting: Default::default(),
                    },
                    None,
                ),
                ElemChild::Transparent { .. } => {}
            }
        }
    }

    fn push_text(&mut self, formatted: &hayagriva::Formatted, url: Option<&str>) {
        use hayagriva::citationberg::{FontStyle, FontWeight};
        let text = &formatted.text;
        let italic = formatted.formatting.font_style == FontStyle::Italic;
        let bold = formatted.formatting.font_weight == FontWeight::Bold;
        self.text.push_str(text);
        let mark = match (italic, bold) {
            (true, true) => "***",
            (true, false) => "*",
            (false, true) => "**",
            (false, false) => "",
        };
        // Markdown emphasis must hug the words: keep outer spaces outside.
        let inner = text.trim();
        if mark.is_empty() || inner.is_empty() {
            self.markdown.push_str(text);
        } else {
            let lead = &text[..text.len() - text.trim_start().len()];
            let trail = &text[text.trim_end().len()..];
            self.markdown
                .push_str(&format!("{lead}{mark}{inner}{mark}{trail}"));
        }
        let mut html = html_escape::encode_text(text).into_owned();
        if bold {
            html = format!("<b>{html}</b>");
        }
        if italic {
            html = format!("<i>{html}</i>");
        }
        if let Some(url) = url.filter(|u| u.starts_with("http://") || u.starts_with("https://")) {
            html = format!(
                "<a href=\"{}\">{html}</a>",
                html_escape::encode_double_quoted_attribute(url)
            );
        }
        self.html.push_str(&html);
    }

    /// Applies `f` to each form.
    fn map(&self, f: impl Fn(&str) -> String) -> Forms {
        Forms {
            text: f(&self.text),
            markdown: f(&self.markdown),
            html: f(&self.html),
        }
    }
}

/// Mends what a style leaves when a field it expects is empty (`Title,.`).
fn tidy(text: &str) -> String {
    text.trim()
        .replace(",.", ".")
        .replace(", .", ".")
        .replace(",)", ")")
}

/// One work rendered by the CSL processor: its citation (with the
/// paragraph as locator) and its reference-list entry.
/// Stands for the paragraph number while a citation is rendered, so that
/// one rendering serves every paragraph of a source.
const PARAGRAPH_MARK: &str = "\u{E000}";

/// Renderings already made, by style, CSL item and whether a paragraph is
/// pinpointed. The CSL processor interprets the style for every citation,
/// which costs about two milliseconds; a search answer cites every hit.
type RenderCache = HashMap<(Style, String, Option<Locus>), Option<(Forms, String)>>;
static RENDERED: std::sync::LazyLock<std::sync::Mutex<RenderCache>> =
    std::sync::LazyLock::new(Default::default);
const RENDER_CACHE_SIZE: usize = 20_000;

/// The citation of `source` in `style` with its bibliography entry, the
/// paragraph as locator.
fn render(
    style: Style,
    source: &Source,
    locator: Option<(Locus, &str)>,
) -> Option<(Forms, String)> {
    let chicago = matches!(style, Style::ChicagoNotes | Style::ChicagoAuthorDate);
    // Chicago gives the address as published, and where it is archived
    // after it; the other styles give the snapshot's when the link is dead.
    let mut item = match chicago {
        true if source.url_dead => csl_item(&Source {
            url_dead: false,
            ..source.clone()
        }),
        _ => csl_item(source),
    };
    // The archive fields are for reference managers: a style that prints
    // them (MLA) would give the snapshot's address twice.
    if let Some(fields) = item.as_object_mut() {
        fields.remove("archive");
        fields.remove("archive_location");
    }
    let key = (style, item.to_string(), locator.map(|(l, _)| l));
    let cached = RENDERED
        .lock()
        .ok()
        .and_then(|cache| cache.get(&key).cloned());
    let rendered = match cached {
        Some(rendered) => rendered,
        None => {
            let rendered = render_uncached(style, item, locator.map(|(l, _)| (l, PARAGRAPH_MARK)));
            if let Ok(mut cache) = RENDERED.lock() {
                if cache.len() >= RENDER_CACHE_SIZE {
                    cache.clear();
                }
                cache.insert(key, rendered.clone());
            }
            rendered
        }
    };
    let (forms, entry) = rendered?;
    let number = locator.map_or("", |(_, n)| n);
    let kept = cased_words(source);
    let mut forms = forms.map(|f| keep_case(&f.replace(PARAGRAPH_MARK, number), &kept));
    let mut entry = keep_case(&entry, &kept);
    if chicago && let Some(url) = records::archived(source) {
        (forms, entry) = archive::chicago(style, source, &url, forms, entry);
    }
    Some((forms, entry))
}

/// The words of a source's title, container and publisher whose case a
/// style must not change: one with a capital inside it (“PatentsView”,
/// “APIs”) or beside a digit (“18F”), and one written with a capital
/// anywhere but at the start of the title (a name, in a title written in
/// sentence case). A style re-cases only the words written all in lower
/// case.
fn cased_words(source: &Source) -> Vec<String> {
    let mut kept = Vec::new();
    let fields = [&source.title, &source.container, &source.publisher];
    for (f, field) in fields.iter().enumerate() {
        let Some(text) = field else { continue };
        for (i, word) in text
            .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
            .filter(|w| !w.is_empty())
            .enumerate()
        {
            let mut chars = word.chars();
            let first = chars.next().unwrap_or(' ');
            let inner_capital = chars.any(char::is_uppercase);
            let digits =
                word.chars().any(|c| c.is_ascii_digit()) && word.chars().any(char::is_alphabetic);
            let capital = first.is_uppercase() && !(f == 0 && i == 0);
            if (inner_capital || digits || capital)
                && word.chars().count() > 1
                && !kept.iter().any(|k| k == word)
            {
                kept.push(word.to_string());
            }
        }
    }
    kept
}

/// `text` with each word that matches one of `kept` but for case written
/// as `kept` writes it; addresses are left as they are.
fn keep_case(text: &str, kept: &[String]) -> String {
    if kept.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for piece in text.split_inclusive(char::is_whitespace) {
        if piece.contains("://") || piece.contains("href=") {
            out.push_str(piece);
            continue;
        }
        let mut word_start: Option<usize> = None;
        for (i, c) in piece.char_indices() {
            let in_word = c.is_alphanumeric() || c == '\'' || c == '’';
            match (in_word, word_start) {
                (true, None) => word_start = Some(i),
                (false, Some(s)) => {
                    out.push_str(cased(&piece[s..i], kept));
                    word_start = None;
                    out.push(c);
                }
                (false, None) => out.push(c),
                (true, Some(_)) => {}
            }
        }
        if let Some(s) = word_start {
            out.push_str(cased(&piece[s..], kept));
        }
    }
    out
}

/// `word` as `kept` writes it, if `kept` has it in another case.
fn cased<'w>(word: &'w str, kept: &'w [String]) -> &'w str {
    kept.iter()
        .find(|k| k.to_lowercase() == word.to_lowercase())
        .map_or(word, String::as_str)
}

fn render_uncached(
    style: Style,
    item: serde_json::Value,
    locator: Option<(Locus, &str)>,
) -> Option<(Forms, String)> {
    use hayagriva::citationberg::taxonomy::Locator;
    use hayagriva::{
        BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest,
        LocatorPayload, SpecificLocator,
    };
    let csl = &CSL;
    let independent = csl.style(style)?;
    let item: hayagriva::citationberg::json::Item = serde_json::from_value(item).ok()?;
    let locator = locator.map(|(locus, n)| {
        let kind = match locus {
            Locus::Paragraph => Locator::Paragraph,
            Locus::Page => Locator::Page,
        };
        SpecificLocator(kind, LocatorPayload::Str(n))
    });
    let mut driver = BibliographyDriver::new();
    driver.citation(CitationRequest::new(
        vec![CitationItem::with_locator(&item, locator)],
        independent,
        None,
        &csl.locales,
        Some(1),
    ));
    let rendered = driver.finish(BibliographyRequest {
        style: independent,
        locale: None,
        locale_files: &csl.locales,
    });
    let citation = Forms::of(&rendered.citations.first()?.citation)?;
    let mut entry = String::new();
    if let Some(bibliography) = rendered.bibliography
        && let Some(first) = bibliography.items.first()
    {
        first
            .content
            .write_buf(&mut entry, BufWriteFormat::Plain)
            .ok()?;
    }
    Some((citation, tidy(&entry)))
}

/// Cites the words at the head of `chain` in `style`: a speaker who is not
/// a work is named; each work is cited by the CSL style, the later ones
/// "quoted in" (or the style's phrase) the earlier; the paragraph pinpoints
/// the corpus page.
pub fn cite(chain: &[ChainLink], pinpoint: &Pinpoint, style: Style) -> Citation {
    let works: Vec<&Source> = chain
        .iter()
        .map(|l| &l.source)
        .filter(|s| is_work(s))
        .collect();
    let link = pinpoint.link.clone();
    let entries = match style {
        Style::Bibtex => Some(
            works
                .iter()
                .map(|s| bibtex_entry(s))
                .collect::<Vec<_>>()
                .join("\n\n"),
        ),
        Style::CslJson => {
            let items: Vec<serde_json::Value> = works.iter().map(|s| csl_item(s)).collect();
            Some(serde_json::to_string_pretty(&items).unwrap_or_default())
        }
        _ => None,
    };
    if let Some(entries) = entries {
        let forms = Forms::plain(&entries);
        return Citation {
            style,
            text: forms.text,
            markdown: forms.markdown,
            html: forms.html,
            bibliography: vec![],
            link,
        };
    }
    let locator = match (pinpoint.page, pinpoint.paragraph) {
        (Some(page), _) => Some((Locus::Page, page.to_string())),
        (None, Some(paragraph)) => Some((Locus::Paragraph, paragraph.to_string())),
        (None, None) => None,
    };
    let last = chain.len().saturating_sub(1);
    let mut parts: Vec<Forms> = Vec::new();
    let mut bibliography = Vec::new();
    for (i, link) in chain.iter().enumerate() {
        let here = if i == last {
            locator.as_ref().map(|(l, n)| (*l, n.as_str()))
        } else {
            None
        };
        let rendered = is_work(&link.source)
            .then(|| render(style, &link.source, here))
            .flatten();
        let piece = match rendered {
            Some((citation, entry)) => {
                if !entry.is_empty() && !bibliography.contains(&entry) {
                    bibliography.push(entry);
                }
                citation
            }
            None => Forms::plain(&link.source.name()),
        };
        // Notes end with a period and in-text citations stand in
        // parentheses: strip both to join the pieces.
        let piece = piece.map(|p| {
            p.trim_end_matches('.')
                .trim_start_matches('(')
                .trim_end_matches(')')
                .to_string()
        });
        parts.push(match link.role {
            Role::Speaker | Role::On => piece,
            role => piece.map(|p| format!("{} {p}", style.through(role))),
        });
    }
    let join = |form: fn(&Forms) -> &str| {
        let joined = parts.iter().map(form).collect::<Vec<_>>().join(", ");
        if style == Style::ChicagoNotes {
            finish(&joined)
        } else {
            format!("({joined})")
        }
    };
    Citation {
        style,
        text: join(|f| &f.text),
        markdown: join(|f| &f.markdown),
        html: join(|f| &f.html),
        bibliography,
        link,
    }
}

/// Where a passage stands on its page: its number (`p4` is paragraph 4)
/// and its anchor after the page's URL. A passage of a source's full text
/// is pinpointed by the document's page where it has pages, and linked to
/// that page (`#page=3`, which PDF readers follow).
pub fn pinpoint(passage_id: &str, page_url: &str, document: Option<Option<u32>>) -> Pinpoint {
    let fragment = passage_id.rsplit_once('#').map(|(_, f)| f);
    let paragraph = fragment
        .and_then(|f| f.strip_prefix('p'))
        .and_then(|n| n.parse().ok());
    match document {
        // The anchor is citeindex's own: on an address of another site
        // (a published page, an archive's record) it would lead nowhere.
        None if page_url.contains("://") => Pinpoint {
            paragraph,
            page: None,
            link: (!page_url.is_empty()).then(|| page_url.to_string()),
        },
        None => Pinpoint {
            paragraph,
            page: None,
            link: fragment.map(|f| format!("{page_url}#{f}")),
        },
        Some(page) => Pinpoint {
            paragraph: page.is_none().then_some(paragraph).flatten(),
            page,
            link: (!page_url.is_empty()).then(|| match page {
                Some(n) => format!("{page_url}#page={n}"),
                None => page_url.to_string(),
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_keep_the_case_they_are_written_in() {
        let source = Source {
            id: "p".into(),
            title: Some("How 18F uses APIs with PatentsView and the Census Bureau".into()),
            container: Some("18F".into()),
            url: Some("https://example.org/p/".into()),
            ..Source::default()
        };
        let chain = [ChainLink {
            role: Role::On,
            source: source.clone(),
        }];
        let pinpoint = pinpoint("p#p1", "https://example.org/p/", None);
        for style in [
            Style::ChicagoNotes,
            Style::Apa,
            Style::Mla,
            Style::ChicagoAuthorDate,
        ] {
            let cited = cite(&chain, &pinpoint, style);
            let all = format!("{} {}", cited.text, cited.bibliography.join(" "));
            for word in ["18F", "APIs", "PatentsView", "Census", "Bureau"] {
                assert!(all.contains(word), "{style:?}: {word} in {all}");
            }
            assert!(
                !all.contains("18f") && !all.contains("Apis"),
                "{style:?}: {all}"
            );
            // The anchor is citeindex's own, not the page's: none on a site's URL.
            assert_eq!(cited.link.as_deref(), Some("https://example.org/p/"));
        }
        assert_eq!(csl_name("Dr. Robert L. Read")["family"], "Read");
        assert_eq!(csl_name("Dr. Robert L. Read")["given"], "Robert L.");
    }
}
