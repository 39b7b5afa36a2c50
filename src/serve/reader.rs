//! Reader: a corpus page as a visitor reads it, served as HTML text at
//! `/page/<page id>`, every passage anchored by its id (`#p8`) and the one
//! a result pointed at (`?passage=p8`) marked — so that a result's link
//! works without the corpus's website.

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::Shared;
use crate::error::{Error, Result};
use crate::index::{Index, PassageData};
use crate::passage::PassageKind;

/// Parameters of `/page/<page id>`.
#[derive(Debug, Deserialize)]
pub struct ReaderParams {
    /// The passage to mark, by the part of its id after `#` (`p8`).
    pub passage: Option<String>,
}

/// One passage of a page, in reading order.
struct Shown {
    anchor: String,
    kind: PassageKind,
    text: String,
}

/// The page whose passage ids start with `slug`: its title and passages.
fn read(index: &Index, slug: &str) -> Result<Option<(String, String, Vec<Shown>)>> {
    let catalog = index.catalog()?;
    let Some((path, info)) = catalog.files.iter().find_map(|(path, f)| {
        f.page
            .as_ref()
            .filter(|p| p.slug == slug)
            .map(|p| (path, p))
    }) else {
        return Ok(None);
    };
    let fields = index.fields();
    let searcher = index.reader().searcher();
    let query = TermQuery::new(
        Term::from_field_text(fields.page, path),
        IndexRecordOption::Basic,
    );
    let mut found: Vec<_> = searcher
        .search(&query, &DocSetCollector)?
        .into_iter()
        .collect();
    // A page's passages are added together, in order.
    found.sort();
    let mut passages = Vec::with_capacity(found.len());
    for address in found {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text_of = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let id = text_of(fields.id);
        let data: PassageData =
            serde_json::from_str(&text_of(fields.data)).map_err(|e| Error::Index {
                path: index.dir().to_path_buf(),
                message: format!("a stored passage is damaged ({e})"),
            })?;
        passages.push(Shown {
            anchor: id
                .rsplit_once('#')
                .map_or(id.clone(), |(_, a)| a.to_string()),
            kind: data.kind,
            text: text_of(fields.text),
        });
    }
    Ok(Some((info.title.clone(), info.url.clone(), passages)))
}

fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · citeindex</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n\
         <body>\n<main class=\"ci-page ci-reader\">\n<p class=\"ci-back\"><a href=\"/\">← Search</a></p>\n{body}</main>\n</body>\n</html>\n",
        escape(title)
    )
}

fn render(title: &str, url: &str, passages: &[Shown], marked: Option<&str>) -> String {
    let mut body = format!("<h1>{}</h1>\n", escape(title));
    if url.starts_with("http://") || url.starts_with("https://") {
        body.push_str(&format!(
            "<p class=\"ci-page-meta\">Published at <a href=\"{0}\">{1}</a></p>\n",
            html_escape::encode_double_quoted_attribute(url),
            escape(url)
        ));
    }
    for p in passages {
        let here = marked == Some(p.anchor.as_str());
        let class = format!(
            "ci-passage ci-{}{}",
            p.kind.as_str(),
            if here { " ci-marked" } else { "" }
        );
        let anchor = html_escape::encode_double_quoted_attribute(&p.anchor);
        let text = escape(&p.text);
        let inner = match p.kind {
            PassageKind::Heading => format!("<h2>{text}</h2>"),
            PassageKind::Blockquote => format!("<blockquote>{text}</blockquote>"),
            PassageKind::Code | PassageKind::Table => format!("<pre>{text}</pre>"),
            _ => format!("<p>{text}</p>"),
        };
        let current = if here { " aria-current=\"true\"" } else { "" };
        body.push_str(&format!(
            "<section id=\"{anchor}\" class=\"{class}\"{current}>{inner}<a class=\"ci-anchor\" href=\"#{anchor}\" aria-label=\"Link to this passage\">#</a></section>\n"
        ));
    }
    page(title, &body)
}

fn not_found(message: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(page(
            "Not found",
            &format!("<h1>Not found</h1>\n<p>{}</p>\n", escape(message)),
        )),
    )
        .into_response()
}

/// `GET /page/<page id>`: the page as HTML text.
pub async fn handler(
    State(shared): State<Arc<Shared>>,
    slug: std::result::Result<Path<String>, PathRejection>,
    params: std::result::Result<Query<ReaderParams>, QueryRejection>,
) -> Response {
    let (Ok(Path(slug)), Ok(Query(params))) = (slug, params) else {
        return (
            StatusCode::BAD_REQUEST,
            "a page id, and `?passage=p8` at most",
        )
            .into_response();
    };
    let slug = slug.trim_end_matches('/').to_string();
    let live = shared.current();
    let answer =
        tokio::task::spawn_blocking(move || read(&live.index, &slug).map(|p| (slug, p))).await;
    match answer {
        Ok(Ok((_, Some((title, url, passages))))) => (
            [(
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; object-src 'none'; base-uri 'none'",
            )],
            Html(render(&title, &url, &passages, params.passage.as_deref())),
        )
            .into_response(),
        Ok(Ok((slug, None))) => not_found(&format!(
            "there is no page `{slug}` in this corpus; page ids are what passage ids start with, before `#`"
        )),
        Ok(Err(e)) => super::ApiError::from(e).into_response(),
        Err(e) => super::ApiError::internal(e).into_response(),
    }
}
