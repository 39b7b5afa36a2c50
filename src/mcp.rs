//! `citeindex mcp`: the JSON API as Model Context Protocol tools, over
//! standard input and output, for AI writing assistants.
//!
//! Each tool is one operation of the HTTP API. Its input schema is the
//! operation's parameters and body and its output schema the operation's
//! answer, both read from the OpenAPI document the API serves (one set of
//! types, so the tools and the API cannot drift apart), and a call is the
//! request the API would get, answered in process by the same router: the
//! same limits, the same errors, the same JSON.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Map, Value, json};
use tower::ServiceExt as _;
use utoipa::OpenApi;

use crate::cite::Style;
use crate::serve::{ApiDoc, Cors, Shared, app};

/// The largest answer a tool call reads back from the router, in bytes.
const MAX_ANSWER_BYTES: usize = 64 << 20;

/// One tool: the API operation it calls, and what an assistant is told.
struct Operation {
    name: &'static str,
    title: &'static str,
    description: &'static str,
    method: Method,
    /// The path as the OpenAPI document names it, `{id}` for a parameter.
    path: &'static str,
    /// Arguments given when the caller leaves them out.
    defaults: &'static [(&'static str, &'static str)],
}

const OPERATIONS: [Operation; 4] = [
    Operation {
        name: "search",
        title: "Search the corpus",
        description: "Ranked passages of the corpus for a query (phrases in quotes, \"…\"~N for words near each other, +must -not, prefix*), each with its page, who said it, its attribution chain and, with `style`, its citation. Filters keep one speaker, source, author, year or range, or section; `group: page` answers pages with their best passages.",
        method: Method::GET,
        path: "/api/search",
        defaults: &[],
    },
    Operation {
        name: "quote",
        title: "Look up a quotation",
        description: "Where these words stand in the corpus: an exact or normalised match, or the closest passages with their similarity and a word diff when the words are misremembered; who said them, through which page, and (with `style`) how to cite them. Call it before writing a quotation down.",
        method: Method::GET,
        path: "/api/quote",
        defaults: &[],
    },
    Operation {
        name: "cite",
        title: "Cite a passage",
        description: "One passage by its id (as `search` and `quote` give it, such as `page#p4`), with its speaker and attribution chain, cited as `cited` in `style` (default chicago-notes): chicago-notes, chicago-author-date, apa, mla, bibtex or csl-json.",
        method: Method::GET,
        path: "/api/passages/{id}",
        defaults: &[("style", "chicago-notes")],
    },
    Operation {
        name: "check",
        title: "Check a draft's quotations",
        description: "Every quotation of a draft (Markdown or plain text) found and judged against the corpus: verified (with its passage, speaker and citation), misquoted (with the corpus wording and a word diff), misattributed (the draft names another speaker than the corpus) or not found (with the nearest passages); short quotations, terms and scare quotes are listed, not judged.",
        method: Method::POST,
        path: "/api/check",
        defaults: &[],
    },
];

/// The tools, with their schemas from the API's OpenAPI document.
pub fn tools() -> Vec<Tool> {
    let doc = serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document is JSON");
    OPERATIONS.iter().map(|op| tool(&doc, op)).collect()
}

fn tool(doc: &Value, op: &Operation) -> Tool {
    let operation = &doc["paths"][op.path][op.method.as_str().to_ascii_lowercase()];
    let mut input = input_schema(doc, operation);
    for (name, value) in op.defaults {
        if let Some(property) = input["properties"].get_mut(*name) {
            property["default"] = json!(value);
        }
    }
    let output = output_schema(doc, operation);
    let mut tool = Tool::new(op.name, op.description, as_object(input));
    tool.title = Some(op.title.to_string());
    tool.output_schema = Some(Arc::new(as_object(output)));
    tool.annotations = Some(ToolAnnotations::from_raw(
        Some(op.title.to_string()),
        Some(true),
        Some(false),
        Some(true),
        Some(false),
    ));
    tool
}

fn as_object(value: Value) -> JsonObject {
    match value {
        Value::Object(map) => map,
        _ => unreachable!("a schema built here is an object"),
    }
}

/// An operation's parameters and JSON body as one object schema.
fn input_schema(doc: &Value, operation: &Value) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for parameter in operation["parameters"].as_array().into_iter().flatten() {
        let name = parameter["name"].as_str().unwrap_or_default().to_string();
        let mut schema = parameter["schema"].clone();
        if let Some(description) = parameter["description"].as_str() {
            schema["description"] = json!(description);
        }
        if parameter["required"] == json!(true) {
            required.push(json!(name));
        }
        properties.insert(name, schema);
    }
    let body = &operation["requestBody"]["content"]["application/json"]["schema"];
    let body = component(doc, body).unwrap_or(body);
    if let Some(fields) = body["properties"].as_object() {
        for (name, schema) in fields {
            properties
                .entry(name.clone())
                .or_insert_with(|| schema.clone());
        }
        for name in body["required"].as_array().into_iter().flatten() {
            if !required.contains(name) {
                required.push(name.clone());
            }
        }
    }
    let mut schema = json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    });
    with_definitions(doc, &mut schema);
    schema
}

/// The schema of an operation's 200 answer, as an object schema.
fn output_schema(doc: &Value, operation: &Value) -> Value {
    let answer = &operation["responses"]["200"]["content"]["application/json"]["schema"];
    let mut schema = component(doc, answer).unwrap_or(answer).clone();
    // MCP asks for an object at the root; every answer of the API is one
    // (an untagged choice of objects included).
    schema["type"] = json!("object");
    with_definitions(doc, &mut schema);
    schema
}

/// The component a `$ref` names, if `schema` is one.
fn component<'a>(doc: &'a Value, schema: &Value) -> Option<&'a Value> {
    let name = schema["$ref"].as_str()?.strip_prefix(COMPONENTS)?;
    doc["components"]["schemas"].get(name)
}

const COMPONENTS: &str = "#/components/schemas/";

/// Points `schema`'s references into its own `$defs`, and puts there every
/// component it reaches, so the schema stands alone.
fn with_definitions(doc: &Value, schema: &mut Value) {
    let mut wanted = BTreeSet::new();
    relink(schema, &mut wanted);
    let mut defs = Map::new();
    while let Some(name) = wanted.pop_first() {
        if defs.contains_key(&name) {
            continue;
        }
        let mut def = doc["components"]["schemas"][&name].clone();
        let mut more = BTreeSet::new();
        relink(&mut def, &mut more);
        defs.insert(name, def);
        wanted.extend(more.into_iter().filter(|n| !defs.contains_key(n)));
    }
    if !defs.is_empty() {
        schema["$defs"] = Value::Object(defs);
    }
}

fn relink(value: &mut Value, wanted: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("$ref")
                && let Some(name) = target.strip_prefix(COMPONENTS)
            {
                wanted.insert(name.to_string());
                *target = format!("#/$defs/{name}");
            }
            map.values_mut().for_each(|v| relink(v, wanted));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| relink(v, wanted)),
        _ => {}
    }
}

/// Why `arguments` do not fit `schema`: an unknown or missing argument, or
/// a value of the wrong type or outside its list.
fn misfit(schema: &JsonObject, arguments: &JsonObject) -> Option<String> {
    let properties = schema.get("properties")?.as_object()?;
    for (name, value) in arguments {
        let Some(property) = properties.get(name) else {
            let known: Vec<&str> = properties.keys().map(String::as_str).collect();
            return Some(format!(
                "unknown argument `{name}`; the tool takes {}",
                known.join(", ")
            ));
        };
        let property = resolve(schema, property);
        if let Some(why) = type_misfit(schema, property, value) {
            return Some(format!("argument `{name}` {why}"));
        }
    }
    for name in schema.get("required")?.as_array()? {
        let name = name.as_str()?;
        if arguments.get(name).is_none_or(Value::is_null) {
            return Some(format!("argument `{name}` is required"));
        }
    }
    None
}

fn resolve<'a>(schema: &'a JsonObject, property: &'a Value) -> &'a Value {
    match property["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        Some(name) => schema
            .get("$defs")
            .and_then(|defs| defs.get(name))
            .unwrap_or(property),
        None => property,
    }
}

fn type_misfit(schema: &JsonObject, property: &Value, value: &Value) -> Option<String> {
    // `Option<T>` is a choice of T and null.
    if let Some(choices) = property["oneOf"]
        .as_array()
        .or(property["anyOf"].as_array())
    {
        return choices
            .iter()
            .all(|c| type_misfit(schema, resolve(schema, c), value).is_some())
            .then(|| format!("is not one of the values it takes: {value}"));
    }
    if let Some(allowed) = property["enum"].as_array()
        && !allowed.contains(value)
        && !value.is_null()
    {
        let allowed: Vec<String> = allowed.iter().map(Value::to_string).collect();
        return Some(format!("is {value}; it takes {}", allowed.join(", ")));
    }
    let types: Vec<&str> = match &property["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    let fits = types.iter().any(|t| match *t {
        "string" => value.is_string(),
        "integer" => value.is_u64() || value.is_i64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    });
    (!fits).then(|| format!("is {value}; it takes a {}", types.join(" or ")))
}

/// The HTTP request the API would get for this call.
fn request(op: &Operation, mut arguments: JsonObject) -> Request<Body> {
    for (name, value) in op.defaults {
        arguments
            .entry(name.to_string())
            .or_insert_with(|| json!(value));
    }
    let mut path = op.path.to_string();
    while let Some(start) = path.find('{') {
        let end = start + path[start..].find('}').unwrap_or(path.len() - start);
        let name = &path[start + 1..end];
        let value = arguments.remove(name).map(|v| text(&v)).unwrap_or_default();
        // A passage id keeps its slashes (it is a path) and escapes the rest.
        let escaped: String = value
            .split('/')
            .map(|part| form_urlencoded::byte_serialize(part.as_bytes()).collect::<String>())
            .collect::<Vec<_>>()
            .join("/")
            .replace('+', "%20");
        path.replace_range(start..=end, &escaped);
    }
    let builder = Request::builder().method(op.method.clone());
    if op.method == Method::GET {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &arguments {
            if !value.is_null() {
                query.append_pair(name, &text(value));
            }
        }
        let query = query.finish();
        let uri = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        builder.uri(uri).body(Body::empty())
    } else {
        builder
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(Value::Object(arguments).to_string()))
    }
    .expect("a request built from a path and JSON is valid")
}

/// An argument as it stands in a query string.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The MCP server: the API's router and the tools that call it.
#[derive(Clone)]
pub struct Server {
    router: Router,
    tools: Arc<Vec<Tool>>,
}

impl Server {
    /// A server answering from `shared`, as `citeindex serve` would.
    pub fn new(shared: Arc<Shared>) -> Server {
        Server {
            router: app(shared, &Cors::Any),
            tools: Arc::new(tools()),
        }
    }

    /// Answers one call: an unknown tool or arguments that do not fit the
    /// tool's schema are an MCP error (invalid parameters); what the API
    /// refuses (a query that does not parse, an unknown passage) is a tool
    /// result marked as an error, with the API's message, for the caller
    /// to read; a failure inside is an MCP internal error.
    pub async fn call(
        &self,
        name: &str,
        arguments: JsonObject,
    ) -> Result<CallToolResult, ErrorData> {
        let (op, tool) = OPERATIONS
            .iter()
            .zip(self.tools.iter())
            .find(|(op, _)| op.name == name)
            .ok_or_else(|| {
                ErrorData::invalid_params(
                    format!(
                        "there is no tool `{name}`; the tools are {}",
                        OPERATIONS.map(|op| op.name).join(", ")
                    ),
                    None,
                )
            })?;
        if let Some(why) = misfit(&tool.input_schema, &arguments) {
            return Err(ErrorData::invalid_params(why, None));
        }
        let answer = self
            .router
            .clone()
            .oneshot(request(op, arguments))
            .await
            .map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
        let status = answer.status();
        let bytes = axum::body::to_bytes(answer.into_body(), MAX_ANSWER_BYTES)
            .await
            .map_err(|e| ErrorData::internal_error(format!("reading the answer: {e}"), None))?;
        let value: Value = serde_json::from_slice(&bytes)
            .map_err(|e| ErrorData::internal_error(format!("the answer is not JSON: {e}"), None))?;
        if status == StatusCode::OK {
            Ok(CallToolResult::structured(value))
        } else if status.is_client_error() {
            let message = value["error"]["message"]
                .as_str()
                .unwrap_or("the request was refused")
                .to_string();
            let code = value["error"]["code"].as_str().unwrap_or("bad_request");
            Ok(CallToolResult::error(vec![ContentBlock::text(format!(
                "{code}: {message}"
            ))]))
        } else {
            Err(ErrorData::internal_error(
                value["error"]["message"]
                    .as_str()
                    .unwrap_or("the service failed")
                    .to_string(),
                Some(value),
            ))
        }
    }
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("citeindex", env!("CARGO_PKG_VERSION")))
            .with_instructions(format!(
                "A full-text search and citation index of a corpus that quotes outside sources. \
                 Before writing a quotation down, call `quote` with its words (or `check` with \
                 the whole draft): it gives the exact wording, who said it and through whom, \
                 and a citation ({}).",
                Style::ALL.map(Style::name).join(", ")
            ))
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.to_vec()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools.iter().find(|t| t.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let name: Cow<'_, str> = request.name;
        self.call(&name, request.arguments.unwrap_or_default())
            .await
            .map(CallToolResponse::from)
    }
}

/// Serves MCP on standard input and output until the client closes them.
pub async fn serve_stdio(shared: Arc<Shared>) -> anyhow::Result<()> {
    let running = Server::new(shared)
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| anyhow::anyhow!("MCP initialisation failed: {e}"))?;
    running.waiting().await?;
    Ok(())
}

#[cfg(test)]
#[path = "mcp_tests.rs"]
mod tests;
