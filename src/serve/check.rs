//! `POST /api/check`: a draft's quotations judged against the corpus, in
//! the shape of `citeindex check --json`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{ApiError, ApiResult, Shared, blocking, style};
use crate::check::{self, Report};
use crate::error::ErrorCode;

/// The largest draft `/api/check` reads, in bytes.
pub const MAX_DRAFT_BYTES: usize = 1 << 20;

/// Parameters of `/api/check`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckParams {
    /// Cite found words in this style: `chicago-notes` (the default),
    /// `chicago-author-date`, `apa`, `mla`, `bibtex` or `csl-json`.
    pub style: Option<String>,
}

/// A draft sent as JSON.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    /// The draft, Markdown or plain text.
    pub text: String,
    /// As the `style` parameter; the parameter wins when both are given.
    #[serde(default)]
    pub style: Option<String>,
}

/// Every quotation of a draft with its verdict. The body is the draft as
/// text, or JSON `{"text": …}` with `Content-Type: application/json`.
#[utoipa::path(post, path = "/api/check", params(CheckParams),
    request_body(content = Draft, description = "The draft: plain text or Markdown, or JSON `{\"text\": …}`"),
    responses((status = 200, body = Report), (status = 400, body = super::ErrorBody),
        (status = 413, body = super::ErrorBody), (status = 503, body = super::ErrorBody)))]
pub(super) async fn check_handler(
    State(shared): State<Arc<Shared>>,
    params: std::result::Result<Query<CheckParams>, QueryRejection>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> ApiResult<Report> {
    let Query(params) = params?;
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::new(ErrorCode::BadParameter, rejection.body_text())
        }
    })?;
    if body.len() > MAX_DRAFT_BYTES {
        return Err(too_large());
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    let (text, named_style) = if is_json {
        let draft: Draft = serde_json::from_slice(&body).map_err(|e| {
            ApiError::new(
                ErrorCode::BadParameter,
                format!("the body is not JSON {{\"text\": …}}: {e}"),
            )
        })?;
        (draft.text, draft.style)
    } else {
        let text = String::from_utf8(body.to_vec())
            .map_err(|_| ApiError::new(ErrorCode::BadParameter, "the draft is not UTF-8 text"))?;
        (text, None)
    };
    if text.trim().is_empty() {
        return Err(ApiError::new(
            ErrorCode::MissingParameter,
            "the draft is empty: send its text as the body",
        ));
    }
    let cite_style =
        style(params.style.or(named_style))?.unwrap_or(crate::cite::Style::ChicagoNotes);
    let live = shared.current();
    blocking(&shared, move || {
        Ok(check::check(&live.index, &text, cite_style)?)
    })
    .await
}

fn too_large() -> ApiError {
    ApiError::new(
        ErrorCode::TooLarge,
        format!("the draft is longer than the limit of {MAX_DRAFT_BYTES} bytes"),
    )
}
