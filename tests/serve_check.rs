//! `POST /api/check` through the router (no socket): the CLI's JSON, the
//! OpenAPI document's shapes, and 4xx answers for bad drafts.

mod util;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use citeindex::{Cors, Index, Shared, SiteLinks};
use serde_json::Value;
use tower::ServiceExt;
use util::Env;

const DRAFT: &str = "As Hermes wrote, “many different forms of non-cooperation, all of which are designed to produce leverage for collective bargaining.”\n\nSome say “the moon is made of green cheese entirely.”\n";

fn router(env: &Env) -> Router {
    let site = citeindex::Site::open(&env.corpus, &Default::default()).unwrap();
    let index = Index::open(&site, &env.index, &citeindex::IndexOptions::default())
        .unwrap()
        .0;
    citeindex::app(Shared::new(index, SiteLinks::default()), &Cors::Any)
}

async fn post(app: &Router, uri: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let json = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    (status, json)
}

/// Checks `instance` against the schema the OpenAPI document gives the
/// `status` answer of `POST path`.
fn matches_openapi(doc: &Value, path: &str, status: u16, instance: &Value) {
    let schema = &doc["paths"][path]["post"]["responses"][status.to_string()]["content"]["application/json"]
        ["schema"];
    assert!(
        !schema.is_null(),
        "the document has no {status} answer for POST {path}"
    );
    let errors = util::schema_errors(doc, schema, instance);
    assert!(
        errors.is_empty(),
        "POST {path} {status}:\n{}",
        errors.join("\n")
    );
}

#[tokio::test]
async fn a_draft_as_text_or_json_gets_the_clis_verdicts_in_the_documented_shape() {
    let env = Env::seed();
    let app = router(&env);
    let doc = {
        let request = Request::get("/api/openapi.json")
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        serde_json::from_slice::<Value>(&bytes).unwrap()
    };
    let (status, text) = post(&app, "/api/check", "text/plain", DRAFT.into()).await;
    assert_eq!(status, StatusCode::OK, "{text:#}");
    matches_openapi(&doc, "/api/check", 200, &text);
    let verdicts: Vec<&str> = text["quotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["misattributed", "not-found"]);

    let body = serde_json::json!({ "text": DRAFT }).to_string();
    let (status, json) = post(&app, "/api/check", "application/json", body.into()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json, text, "the text and JSON bodies differ");

    let path = env.dir.path().join("draft.md");
    std::fs::write(&path, DRAFT).unwrap();
    let cli = env.json(&["check", path.to_str().unwrap()]);
    assert_eq!(json, cli, "the API and `check --json` differ");

    for (content_type, body, code) in [
        ("application/json", b"{\"txt\": 1}".to_vec(), 400),
        ("application/json", b"not json".to_vec(), 400),
        ("text/plain", vec![0xff, 0xfe], 400),
        ("text/plain", b"   ".to_vec(), 400),
        (
            "text/plain",
            vec![b'a'; citeindex::MAX_DRAFT_BYTES + 1],
            413,
        ),
        ("text/plain", vec![b'a'; 3 << 20], 413),
    ] {
        let (status, error) = post(&app, "/api/check", content_type, body).await;
        assert_eq!(status.as_u16(), code, "{error:#}");
        assert!(
            error["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        matches_openapi(&doc, "/api/check", code, &error);
    }
    let (status, error) = post(&app, "/api/check?style=nope", "text/plain", DRAFT.into()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error:#}");
}
