//! `citeindex mcp`: the real binary as a Model Context Protocol server on
//! standard input and output, driven by the official Rust SDK's client as
//! an AI assistant would drive it.

mod util;

use rmcp::model::{CallToolRequestParams, CallToolResult, JsonObject, Tool};
use rmcp::service::{RoleClient, RunningService, ServiceError};
use rmcp::transport::TokioChildProcess;
use rmcp::{ServiceExt, model::ErrorCode};
use serde_json::{Value, json};
use util::Env;

const WORDS: &str =
    "many different forms of non-cooperation, all of which are designed to produce leverage";

type Client = RunningService<RoleClient, ()>;

async fn connect(env: &Env) -> Client {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_citeindex"));
    command
        .arg("--corpus")
        .arg(&env.corpus)
        .arg("--index")
        .arg(&env.index)
        .arg("mcp");
    let transport = TokioChildProcess::new(command).expect("start citeindex mcp");
    ().serve(transport).await.expect("initialise")
}

async fn call(
    client: &Client,
    tool: &str,
    arguments: Value,
) -> Result<CallToolResult, ServiceError> {
    let Value::Object(arguments) = arguments else {
        panic!("arguments are an object")
    };
    client
        .call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(arguments))
        .await
}

/// The structured answer of a call that succeeded, checked against the
/// tool's output schema.
fn answer(tools: &[Tool], tool: &str, result: CallToolResult) -> Value {
    assert_ne!(result.is_error, Some(true), "{tool}: {result:?}");
    let value = result.structured_content.expect("structured content");
    let schema: &JsonObject = tools
        .iter()
        .find(|t| t.name == tool)
        .and_then(|t| t.output_schema.as_deref())
        .expect("an output schema");
    let schema = Value::Object(schema.clone());
    let errors = util::schema_errors(&schema, &schema, &value);
    assert!(errors.is_empty(), "{tool}:\n{}", errors.join("\n"));
    value
}

fn protocol_error(result: Result<CallToolResult, ServiceError>) -> rmcp::ErrorData {
    match result {
        Err(ServiceError::McpError(error)) => error,
        other => panic!("expected an MCP error, got {other:?}"),
    }
}

fn tool_error(result: Result<CallToolResult, ServiceError>) -> String {
    let result = result.expect("a tool result");
    assert_eq!(result.is_error, Some(true), "{result:?}");
    result.content[0].as_text().expect("text").text.clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_assistant_lists_and_calls_each_tool_and_a_bad_call_is_an_error() {
    let env = Env::seed();
    let client = connect(&env).await;
    let info = client.peer_info().expect("the server's information");
    assert_eq!(info.server_info.as_ref().unwrap().name, "citeindex");
    assert!(
        info.instructions
            .as_deref()
            .unwrap_or_default()
            .contains("`quote`"),
        "{info:?}"
    );

    let tools = client.list_all_tools().await.expect("list tools");
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(names, ["search", "quote", "cite", "check"]);

    // search: ranked passages, with the speaker of each.
    let found = call(
        &client,
        "search",
        json!({"q": "\"collective bargaining\"", "limit": 3}),
    )
    .await;
    let found = answer(&tools, "search", found.unwrap());
    let hits = found["hits"].as_array().expect("hits");
    assert!(!hits.is_empty(), "{found:#}");
    assert!(
        hits[0]["text"]
            .as_str()
            .unwrap()
            .contains("collective bargaining")
    );

    // quote: where the words stand, who said them, cited in APA: the same
    // answer as `citeindex quote --json`.
    let looked = call(&client, "quote", json!({"text": WORDS, "style": "apa"})).await;
    let looked = answer(&tools, "quote", looked.unwrap());
    assert_eq!(looked["status"], "exact", "{looked:#}");
    let matched = &looked["matches"][0];
    assert_eq!(matched["speaker"]["id"], "jclc");
    assert!(
        matched["cited"]["text"]
            .as_str()
            .unwrap()
            .contains("as cited in Hermes")
    );
    let cli = env.json(&["quote", WORDS, "--style", "apa"]);
    assert_eq!(looked["matches"], cli["matches"]);

    // cite: the passage by id, in the tool's default style.
    let id = matched["passage"]["id"].as_str().unwrap();
    let cited = call(&client, "cite", json!({"id": id})).await;
    let cited = answer(&tools, "cite", cited.unwrap());
    assert_eq!(cited["id"], id);
    assert_eq!(cited["cited"]["style"], "chicago-notes");
    assert!(
        cited["cited"]["text"]
            .as_str()
            .unwrap()
            .contains("excerpted in"),
        "{cited:#}"
    );

    // check: a draft with a quotation given to the wrong speaker.
    let draft = format!(
        "As Hermes wrote, “{WORDS}, all of which are designed to produce leverage for collective bargaining.”\n"
    );
    let draft = draft.replacen(", all of which are designed to produce leverage", "", 1);
    let checked = call(&client, "check", json!({"text": draft})).await;
    let checked = answer(&tools, "check", checked.unwrap());
    assert_eq!(
        checked["quotations"][0]["verdict"], "misattributed",
        "{checked:#}"
    );
    assert_eq!(checked["quotations"][0]["speaker"]["id"], "jclc");

    // Bad calls: an unknown tool, an unknown or missing argument, a value of
    // the wrong type are MCP errors (invalid parameters), with a message.
    let error = protocol_error(call(&client, "translate", json!({"text": "x"})).await);
    assert_eq!(error.code, ErrorCode::INVALID_PARAMS);
    assert!(error.message.contains("no tool `translate`"), "{error:?}");
    let error = protocol_error(call(&client, "search", json!({"query": "x"})).await);
    assert!(
        error.message.contains("unknown argument `query`"),
        "{error:?}"
    );
    let error = protocol_error(call(&client, "cite", json!({})).await);
    assert!(error.message.contains("`id` is required"), "{error:?}");
    let error = protocol_error(call(&client, "search", json!({"q": "x", "limit": "all"})).await);
    assert!(error.message.contains("`limit`"), "{error:?}");
    // What the API refuses is a tool error the assistant can read.
    let why = tool_error(call(&client, "search", json!({"q": "(((solidarity"})).await);
    assert!(why.starts_with("bad_query"), "{why}");
    let why = tool_error(call(&client, "cite", json!({"id": "no-such-page#p1"})).await);
    assert!(why.contains("no-such-page#p1"), "{why}");
    let why = tool_error(call(&client, "quote", json!({"text": WORDS, "style": "harvard"})).await);
    assert!(why.contains("no citation style `harvard`"), "{why}");

    // And the server is still there.
    let again = call(&client, "quote", json!({"text": WORDS})).await;
    assert_eq!(answer(&tools, "quote", again.unwrap())["status"], "exact");
    client.cancel().await.expect("close");
}
