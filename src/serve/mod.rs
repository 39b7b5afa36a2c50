//! Serve: the index as an HTTP service for a website's search box and for
//! scripts — a JSON API under `/api/` with the CLI's `--json` shapes, its
//! OpenAPI document, `/healthz`, a search page at `/` and an embeddable
//! `/widget.js`, all in the binary.
//!
//! The index view and its query parser are opened once and shared by every
//! request. A background task watches the index directory and swaps in a
//! new view when another process commits, so requests in flight finish on
//! the view they started with and none fails. Bad input gets a 4xx with
//! `{"error": {"code", "message"}}`; a failure inside answers a generic 500
//! and logs the cause.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use axum::Json;
use axum::Router;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::cite;
use crate::corpus::FileStamp;
use crate::engine::{Engine, EngineHealth, NodeHealth};
use crate::error::{Error, ErrorCode};
use crate::facet::Filters;
use crate::group::{self, PageResults};
use crate::hit::Hit;
use crate::index::{Index, SourceRow};
use crate::query::{MAX_QUERY_BYTES, Parser};
use crate::quote::{self, Lookup};
use crate::search::{self, Request, Results};
use crate::verify;

mod check;
mod health;
pub use health::Health;
mod links;
mod reader;
mod watch;
pub use check::MAX_DRAFT_BYTES;

use watch::Trouble;
pub use watch::Watch;

/// How often the index directory is checked for a newer commit.
pub const RELOAD_EVERY: Duration = Duration::from_millis(500);

/// How long a request may take before it is answered with a 503 `timeout`.
pub const TIME_LIMIT: Duration = Duration::from_secs(10);

/// How long a client has to send a request's line and headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Which origins may call the API from a browser.
#[derive(Debug, Clone, Default)]
pub enum Cors {
    /// Any origin (the API is read-only and public).
    #[default]
    Any,
    /// Only these origins, such as `https://example.org`.
    Origins(Vec<HeaderValue>),
}

/// What the search page needs to know about the site it searches.
#[derive(Debug, Clone, Default)]
pub struct SiteLinks {
    /// The corpus's website, such as `https://example.org`; page links on
    /// the search page point there. Without it they are the pages' own paths.
    pub url: Option<String>,
    /// Where the site's own configuration says it is published (a Jekyll
    /// or Hugo site's `url` and base path): with `url`, page addresses
    /// there are moved to `url`, which wins.
    pub published: Option<String>,
}

/// A view of the index with its parser: what one request works on.
pub struct Live {
    /// The index as of one commit.
    pub index: Index,
    /// The parser for its fields.
    pub parser: Parser,
}

/// What every request shares: the current view, swapped when the index
/// changes underneath.
pub struct Shared {
    live: ArcSwap<Live>,
    /// What went wrong with the last update from the corpus and the last
    /// reload of the index, while the last good view is served.
    trouble: std::sync::Mutex<Trouble>,
    site: SiteLinks,
    time_limit: Duration,
    /// What the last look at a changed corpus saw: a change is indexed only
    /// once a second look sees the same, so that a corpus being written
    /// (a checkout, a copy, an editor saving several files) is indexed as
    /// it stands afterwards, not half old and half new.
    seen: std::sync::Mutex<Option<Vec<FileStamp>>>,
    /// The cluster that answers searches, quote look-ups and passages,
    /// when one is named (`serve --engine`); the index gives the rest.
    engine: Option<Arc<Engine>>,
}

impl Shared {
    /// Shares `index`, answering each request within [`TIME_LIMIT`].
    pub fn new(index: Index, site: SiteLinks) -> Arc<Self> {
        Self::with_time_limit(index, site, TIME_LIMIT)
    }

    /// Shares `index`; a request still working after `time_limit` is
    /// answered with a 503 `timeout`.
    pub fn with_time_limit(index: Index, site: SiteLinks, time_limit: Duration) -> Arc<Self> {
        Self::build(index, site, time_limit, None)
    }

    /// Shares `index`, with searches, quote look-ups and passages
    /// answered from `engine`.
    pub fn with_engine(
        index: Index,
        site: SiteLinks,
        time_limit: Duration,
        engine: Engine,
    ) -> Arc<Self> {
        Self::build(index, site, time_limit, Some(Arc::new(engine)))
    }

    fn build(
        index: Index,
        site: SiteLinks,
        time_limit: Duration,
        engine: Option<Arc<Engine>>,
    ) -> Arc<Self> {
        let parser = Parser::new(&index);
        Arc::new(Shared {
            live: ArcSwap::from_pointee(Live { index, parser }),
            trouble: Default::default(),
            site,
            time_limit,
            seen: Default::default(),
            engine,
        })
    }

    /// The current view.
    pub fn current(&self) -> Arc<Live> {
        self.live.load_full()
    }

    fn swap(&self, index: Index) {
        let parser = Parser::new(&index);
        self.live.store(Arc::new(Live { index, parser }));
    }
}

/// The error body: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong, for a program (`code`) and for a person (`message`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// What went wrong; a failure inside the server is `internal`.
    pub code: ErrorCode,
    /// What to fix.
    pub message: String,
}

/// An error answer: its status comes from its code.
#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
}

impl ApiError {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    fn internal(cause: impl std::fmt::Display) -> Self {
        eprintln!("citeindex: internal error: {cause}");
        ApiError::new(
            ErrorCode::Internal,
            "the server failed to answer; the cause is in its log",
        )
    }

    fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        let code = error.code();
        if code.public() == ErrorCode::Internal {
            return ApiError::internal(error);
        }
        let message = match error {
            // The kind is in the code; the message says what to fix.
            Error::Query(message) => message,
            Error::UnknownPassage(id) => format!(
                "there is no passage `{id}`; ids look like `page#p3`, with `#` sent as `%23`"
            ),
            // Which node said what is for the server's log.
            Error::Engine(cause) => {
                eprintln!("citeindex: the search cluster did not answer: {cause}");
                "the search cluster did not answer in time; try again".to_string()
            }
            other => other.to_string(),
        };
        ApiError::new(code, message)
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::new(ErrorCode::BadParameter, rejection.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        // Such as an id whose escapes are not UTF-8: a 400 in the API's
        // shape, not axum's plain text.
        ApiError::new(ErrorCode::BadParameter, rejection.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
            },
        };
        (status, Json(body)).into_response()
    }
}

type ApiResult<T> = std::result::Result<Json<T>, ApiError>;

/// Runs blocking index work off the async threads, and answers a 503
/// `timeout` if it is not done within the time limit. Tantivy cannot stop
/// a search half-way, so the work itself runs on to its end; the query
/// limits bound it (the slowest hostile query seen took 0.2 s).
async fn blocking<T: Send + 'static>(
    shared: &Shared,
    work: impl FnOnce() -> std::result::Result<T, ApiError> + Send + 'static,
) -> ApiResult<T> {
    let limit = shared.time_limit;
    let started = std::time::Instant::now();
    match tokio::time::timeout(limit, tokio::task::spawn_blocking(work)).await {
        Ok(Err(e)) => Err(ApiError::internal(e)),
        // Work that ended past the limit, before the timer was looked at,
        // is late all the same: the limit holds however the race falls.
        Ok(Ok(result)) if started.elapsed() <= limit => result.map(Json),
        _ => Err(ApiError::new(
            ErrorCode::Timeout,
            format!(
                "no answer within the time limit of {} ms; try again, or a narrower query",
                limit.as_millis()
            ),
        )),
    }
}

/// A parameter given and not blank.
fn given(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

fn required(value: Option<String>, name: &str) -> std::result::Result<String, ApiError> {
    value
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| Error::MissingParameter(name.to_string()).into())
}

/// Parameters of `/api/search`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The query, in Tantivy's syntax (phrases, `"…"~N`, `+`/`-`, `prefix*`, `field:`).
    pub q: Option<String>,
    /// How many hits (1 to 1000, default 10).
    pub limit: Option<usize>,
    /// How many hits to skip (at most 100000, default 0).
    pub offset: Option<usize>,
    /// Keep passages that excerpt, cite or quote this source (id or any name).
    pub source: Option<String>,
    /// `typing` for a search box: an open phrase is closed, the last word
    /// is a prefix, and what does not parse yet is left out.
    pub mode: Option<Mode>,
    /// `page` to group the passages under their pages (then `limit` and
    /// `offset` count pages, at most 100 a request); `passage`, the
    /// default, lists passages.
    pub group: Option<Group>,
    /// Keep passages said by this source (id or any name), themselves or
    /// in a quotation.
    pub speaker: Option<String>,
    /// Keep passages whose work has this author (as the `author` facet names them).
    pub author: Option<String>,
    /// Keep passages whose work is of this year or range of years:
    /// `1782`, `1700-1750`.
    pub year: Option<String>,
    /// Keep passages under this section of their page (their first heading).
    pub section: Option<String>,
    /// Also cite each hit in this style, as `cited`: `chicago-notes`,
    /// `chicago-author-date`, `apa`, `mla`, `bibtex` or `csl-json`.
    pub style: Option<String>,
}

/// How to list what a search finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// Passage by passage.
    Passage,
    /// Page by page, each with its best passages.
    Page,
}

/// What `/api/search` answers: passages, or pages with their passages.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum SearchAnswer {
    /// Ranked passages.
    Passages(Results),
    /// Ranked pages (`group=page`).
    Pages(Box<PageResults>),
}

/// How to read a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// As written; a syntax error is a 400.
    Query,
    /// As typed so far, in a search box.
    Typing,
}

/// Ranked passages with highlighted snippets, or (`group=page`) ranked
/// pages with their best passages.
#[utoipa::path(get, path = "/api/search", params(SearchParams),
    responses((status = 200, body = SearchAnswer), (status = 400, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn search_handler(
    State(shared): State<Arc<Shared>>,
    params: std::result::Result<Query<SearchParams>, QueryRejection>,
) -> ApiResult<SearchAnswer> {
    let Query(params) = params?;
    let by_page = params.group == Some(Group::Page);
    let cite_style = style(params.style)?;
    let site = shared.site.clone();
    let request = Request {
        query: required(params.q, "q")?,
        source: params.source.filter(|s| !s.trim().is_empty()),
        limit: params.limit.unwrap_or(10),
        offset: params.offset.unwrap_or(0),
        typing: params.mode == Some(Mode::Typing),
        filters: Filters {
            speaker: given(params.speaker),
            author: given(params.author),
            years: given(params.year)
                .map(|y| crate::facet::parse_years(&y))
                .transpose()?,
            section: given(params.section),
        },
        citations: true,
    };
    let live = shared.current();
    let engine = shared.engine.clone();
    blocking(&shared, move || {
        Ok(if by_page {
            let mut pages = match &engine {
                Some(engine) => engine.search_pages(&live.index, &live.parser, &request)?,
                None => group::search_pages(&live.index, &live.parser, &request)?,
            };
            if site.url.is_some() {
                for group in &mut pages.pages {
                    for hit in group.hits.iter_mut().chain(group.more.iter_mut()) {
                        links::on_site(hit, &site);
                    }
                    if let Some(first) = group.hits.first() {
                        group.page = first.page.clone();
                    }
                }
            }
            if let Some(s) = cite_style {
                pages.cite_in(s);
            }
            SearchAnswer::Pages(Box::new(pages))
        } else {
            let mut results = match &engine {
                Some(engine) => engine.search(&live.index, &live.parser, &request)?,
                None => search::search(&live.index, &live.parser, &request)?,
            };
            results
                .hits
                .iter_mut()
                .for_each(|h| links::on_site(h, &site));
            if let Some(s) = cite_style {
                results.hits.iter_mut().for_each(|h| h.cite(s));
            }
            SearchAnswer::Passages(results)
        })
    })
    .await
}

/// Parameters of `/api/quote`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuoteParams {
    /// The words to look up.
    pub text: Option<String>,
    /// Also cite each match in this style: `chicago-notes`,
    /// `chicago-author-date`, `apa`, `mla`, `bibtex` or `csl-json`.
    pub style: Option<String>,
}

/// Parameters of `/api/passages/{id}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PassageParams {
    /// Also cite the passage in this style: `chicago-notes`,
    /// `chicago-author-date`, `apa`, `mla`, `bibtex` or `csl-json`.
    pub style: Option<String>,
}

fn style(name: Option<String>) -> std::result::Result<Option<cite::Style>, ApiError> {
    name.filter(|n| !n.trim().is_empty())
        .map(|n| n.parse::<cite::Style>())
        .transpose()
        .map_err(|message| ApiError::new(ErrorCode::BadParameter, message))
}

/// Where these words occur, who said them, and how to cite them. Not
/// found is still a 200, with status `not-found` and the nearest passages.
#[utoipa::path(get, path = "/api/quote", params(QuoteParams),
    responses((status = 200, body = Lookup), (status = 400, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn quote_handler(
    State(shared): State<Arc<Shared>>,
    params: std::result::Result<Query<QuoteParams>, QueryRejection>,
) -> ApiResult<Lookup> {
    let Query(params) = params?;
    let text = required(params.text, "text")?;
    let cite_style = style(params.style)?;
    if text.len() > MAX_QUERY_BYTES {
        return Err(ApiError::new(
            ErrorCode::BadQuery,
            format!(
                "the text is {} bytes long; the limit is {}",
                text.len(),
                MAX_QUERY_BYTES
            ),
        ));
    }
    let live = shared.current();
    let engine = shared.engine.clone();
    blocking(&shared, move || {
        let lookup = match &engine {
            Some(engine) => engine.lookup(&live.index, &text)?,
            None => quote::lookup(&live.index, &text)?,
        };
        Ok(match cite_style {
            Some(s) => lookup.cite_in(s),
            None => lookup,
        })
    })
    .await
}

/// One passage with its attribution, by id (`page#p3`; `#` as `%23`).
#[utoipa::path(get, path = "/api/passages/{id}",
    params(("id" = String, Path, description = "Passage id, such as `jail-court-solidarity-actions#p4`"), PassageParams),
    responses((status = 200, body = Hit), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn passage_handler(
    State(shared): State<Arc<Shared>>,
    id: std::result::Result<Path<String>, PathRejection>,
    params: std::result::Result<Query<PassageParams>, QueryRejection>,
) -> ApiResult<Hit> {
    let Path(id) = id?;
    let Query(params) = params?;
    let cite_style = style(params.style)?;
    let site = shared.site.clone();
    let live = shared.current();
    let engine = shared.engine.clone();
    let found = move |index: &Index, id: &str| match &engine {
        Some(engine) => engine.passage(index, id),
        None => search::passage(index, id),
    };
    blocking(&shared, move || match found(&live.index, &id)? {
        Some(mut hit) => {
            verify::passage(&live.index, &mut hit)?;
            links::on_site(&mut hit, &site);
            if let Some(s) = cite_style {
                hit.cite(s);
            }
            Ok(hit)
        }
        None => Err(Error::UnknownPassage(id).into()),
    })
    .await
}

/// Every source, with the passages and quotations attributed to it.
#[utoipa::path(get, path = "/api/sources", responses((status = 200, body = [SourceRow]), (status = 503, body = ErrorBody)))]
async fn sources_handler(State(shared): State<Arc<Shared>>) -> ApiResult<Vec<SourceRow>> {
    let live = shared.current();
    blocking(&shared, move || Ok(live.index.source_rows()?)).await
}

/// The OpenAPI document of this API.
#[derive(OpenApi)]
#[openapi(
    info(title = "citeindex", description = "Full-text search and citation index for Markdown corpora that quote outside sources."),
    paths(search_handler, quote_handler, check::check_handler, passage_handler, sources_handler, health::health_handler),
    components(schemas(ErrorBody, ErrorDetail, ErrorCode, Mode, Group, EngineHealth, NodeHealth)),
    modifiers(&OpenSources)
)]
pub struct ApiDoc;

/// The registry refuses unknown keys in a source, and utoipa carries that
/// over as `additionalProperties: false`; but a row of `/api/sources` is a
/// source with its counts beside it, so the schema must let them stand.
struct OpenSources;

impl utoipa::Modify for OpenSources {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let source = openapi
            .components
            .as_mut()
            .and_then(|c| c.schemas.get_mut("Source"));
        if let Some(utoipa::openapi::RefOr::T(utoipa::openapi::schema::Schema::Object(object))) =
            source
        {
            object.additional_properties = None;
        }
    }
}

async fn openapi_handler() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

const PAGE: &str = include_str!("../web/index.html");
const SCRIPT: &str = include_str!("../web/search.js");
const STYLE: &str = include_str!("../web/style.css");
const WIDGET: &str = include_str!("../web/widget.js");
const CHECK: &str = include_str!("../web/check.js");

async fn page_handler(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let site = shared.site.url.as_deref().unwrap_or("");
    let page = PAGE.replace(
        "{{site}}",
        &html_escape::encode_double_quoted_attribute(site),
    );
    (
        [(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'",
        )],
        Html(page),
    )
}

fn asset(content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

async fn script_handler() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT.to_string())
}

async fn check_script_handler() -> Response {
    asset("text/javascript; charset=utf-8", CHECK.to_string())
}

async fn style_handler() -> Response {
    asset("text/css; charset=utf-8", STYLE.to_string())
}

async fn widget_handler() -> Response {
    // One file for other sites: the style inlined, the search code, then
    // the code that mounts it where the script tag stands.
    let style = serde_json::to_string(STYLE).unwrap_or_else(|_| "\"\"".into());
    asset(
        "text/javascript; charset=utf-8",
        format!("(function () {{\nconst CITEINDEX_STYLE = {style};\n{SCRIPT}\n{WIDGET}\n}})();\n"),
    )
}

async fn not_found() -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        "no such endpoint; the API is described at /api/openapi.json",
    )
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal("a handler panicked").into_response()
}

/// The service, ready to be served or driven by tests without a socket.
pub fn app(shared: Arc<Shared>, cors: &Cors) -> Router {
    let origins = match cors {
        Cors::Any => AllowOrigin::any(),
        Cors::Origins(list) => AllowOrigin::list(list.clone()),
    };
    let cors = CorsLayer::new()
        .allow_methods([Method::GET, Method::HEAD])
        .allow_origin(origins);
    Router::new()
        .route("/", get(page_handler))
        .route("/search.js", get(script_handler))
        .route("/check.js", get(check_script_handler))
        .route("/style.css", get(style_handler))
        .route("/widget.js", get(widget_handler))
        .route("/healthz", get(health::health_handler))
        .route("/api/search", get(search_handler))
        .route("/api/quote", get(quote_handler))
        .route("/api/check", axum::routing::post(check::check_handler))
        .route("/api/passages/{*id}", get(passage_handler))
        .route("/api/sources", get(sources_handler))
        .route("/api/openapi.json", get(openapi_handler))
        .route("/page/{*id}", get(reader::handler))
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .with_state(shared)
        .layer(CompressionLayer::new())
        .layer(cors)
        .layer(CatchPanicLayer::custom(panic_response))
}

/// Serves `shared` on `listener` until `shutdown` resolves, then lets the
/// requests in flight finish. The index is reloaded when it changes; with a
/// corpus to watch, it is first brought up to date when the corpus changes.
pub async fn run(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    cors: &Cors,
    watch_corpus: Option<Watch>,
    header_timeout: Duration,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let watcher = tokio::spawn(watch::watch(shared.clone(), watch_corpus));
    let service = hyper_util::service::TowerToHyperService::new(app(shared, cors));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    // A client gets `header_timeout` to send each request's line and
    // headers, and as long to start the next one on a kept-alive
    // connection: one that trickles them (or sends nothing) is closed,
    // rather than holding a connection and its task for ever.
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(header_timeout);
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: the listener itself is fine.
                    eprintln!("citeindex: cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let connection =
            http.serve_connection(hyper_util::rt::TokioIo::new(stream), service.clone());
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away, or a header timeout, ends only its
            // own connection.
            let _ = connection.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
    watcher.abort();
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    eprintln!("citeindex: shutting down; finishing the requests in flight");
}

/// Binds `addr` and serves until Ctrl-C or SIGTERM, saying where it listens.
/// With `watch_corpus`, corpus changes are indexed while it serves.
pub fn serve_blocking(
    shared: Arc<Shared>,
    addr: SocketAddr,
    cors: &Cors,
    watch_corpus: Option<Watch>,
    header_timeout: Duration,
) -> std::io::Result<()> {
    // Searches run on the blocking pool. They are CPU work, so more of them
    // at once than a few per core only adds queues inside the process and
    // heap that each one holds while it waits: beyond this, they wait in
    // tokio's queue instead, where the time limit still counts.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(4 * cores)
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| std::io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))?;
        let local = listener.local_addr()?;
        eprintln!("citeindex: listening on http://{local}/ (Ctrl-C stops)");
        run(
            listener,
            shared,
            cors,
            watch_corpus,
            header_timeout,
            shutdown_signal(),
        )
        .await
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_failures_answer_a_generic_500_and_bad_queries_a_400() {
        let internal = ApiError::from(Error::Index {
            path: "/secret/index".into(),
            message: "segment 1234 is damaged".into(),
        });
        assert_eq!(internal.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(internal.code, ErrorCode::Internal);
        assert!(!internal.message.contains("secret") && !internal.message.contains("segment"));
        let down = ApiError::from(Error::Engine(
            "no node of the cluster took the request; the last: http://10.0.0.7:8108".into(),
        ));
        assert_eq!(down.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(down.code, ErrorCode::Unavailable);
        assert!(!down.message.contains("10.0.0.7"), "{}", down.message);
        let bad = ApiError::from(Error::Query("the query is empty".into()));
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            panic_response(Box::new("boom")).status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
