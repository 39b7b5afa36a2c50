use super::*;

fn tool_named(name: &str) -> Tool {
    tools().into_iter().find(|t| t.name == name).unwrap()
}

/// Every `$ref` of a schema points into its own `$defs`, and is there.
fn refs_resolve(schema: &JsonObject) {
    fn walk(value: &Value, defs: &Map<String, Value>) {
        match value {
            Value::Object(map) => {
                if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                    let name = target
                        .strip_prefix("#/$defs/")
                        .unwrap_or_else(|| panic!("a reference outside the schema: {target}"));
                    assert!(defs.contains_key(name), "{name} is not defined");
                }
                map.values().for_each(|v| walk(v, defs));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, defs)),
            _ => {}
        }
    }
    let empty = Map::new();
    let defs = schema
        .get("$defs")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    walk(&Value::Object(schema.clone()), defs);
}

#[test]
fn each_tool_is_an_operation_of_the_api_with_its_schemas() {
    let tools = tools();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(names, ["search", "quote", "cite", "check"]);
    for tool in &tools {
        assert_eq!(tool.input_schema["type"], "object", "{}", tool.name);
        let output = tool.output_schema.as_deref().unwrap();
        assert_eq!(output["type"], "object", "{}", tool.name);
        refs_resolve(&tool.input_schema);
        refs_resolve(output);
    }
    // The parameters of /api/search, with their descriptions.
    let search = tool_named("search");
    let properties = search.input_schema["properties"].as_object().unwrap();
    for name in ["q", "limit", "speaker", "year", "group", "style"] {
        assert!(properties.contains_key(name), "{name}");
    }
    assert!(
        properties["speaker"]["description"]
            .as_str()
            .unwrap()
            .contains("said by")
    );
    // The path parameter of /api/passages/{id} is required; its style has
    // the tool's default.
    let cite = tool_named("cite");
    assert_eq!(cite.input_schema["required"], json!(["id"]));
    assert_eq!(
        cite.input_schema["properties"]["style"]["default"],
        "chicago-notes"
    );
    // The body of /api/check: the draft's text is required.
    let check = tool_named("check");
    assert_eq!(check.input_schema["required"], json!(["text"]));
    // The answers' types, with what they reach.
    let quote = tool_named("quote");
    let output = quote.output_schema.as_deref().unwrap();
    assert!(output["$defs"].get("Hit").is_some(), "{output:?}");
}

fn object(value: Value) -> JsonObject {
    as_object(value)
}

#[test]
fn arguments_that_do_not_fit_the_schema_are_named() {
    let search = tool_named("search");
    let schema = &search.input_schema;
    assert_eq!(
        misfit(schema, &object(json!({"q": "solidarity", "limit": 3}))),
        None
    );
    assert_eq!(
        misfit(schema, &object(json!({"q": "x", "mode": "typing"}))),
        None
    );
    let why = misfit(schema, &object(json!({"query": "x"}))).unwrap();
    assert!(
        why.contains("unknown argument `query`") && why.contains("q, "),
        "{why}"
    );
    let why = misfit(schema, &object(json!({"q": "x", "limit": "ten"}))).unwrap();
    assert!(why.contains("`limit`") && why.contains("integer"), "{why}");
    let why = misfit(schema, &object(json!({"q": "x", "mode": "fast"}))).unwrap();
    assert!(why.contains("`mode`"), "{why}");
    let cite = tool_named("cite");
    let why = misfit(&cite.input_schema, &object(json!({"style": "apa"}))).unwrap();
    assert_eq!(why, "argument `id` is required");
    let check = tool_named("check");
    assert!(misfit(&check.input_schema, &object(json!({"text": "A draft."}))).is_none());
}

#[test]
fn a_call_is_the_request_the_api_would_get() {
    let [search, _, cite, check] = &OPERATIONS;
    let r = request(search, object(json!({"q": "jail solidarity", "limit": 2})));
    assert_eq!(r.method(), Method::GET);
    assert_eq!(r.uri().path(), "/api/search");
    let query = r.uri().query().unwrap();
    assert!(
        query.contains("q=jail+solidarity") && query.contains("limit=2"),
        "{query}"
    );
    // A passage id keeps its slashes; its `#` and spaces are escaped; the
    // default style is asked for.
    let r = request(cite, object(json!({"id": "dir/a page#p4"})));
    assert_eq!(r.uri().path(), "/api/passages/dir/a%20page%23p4");
    assert_eq!(r.uri().query(), Some("style=chicago-notes"));
    let r = request(cite, object(json!({"id": "p#p1", "style": "apa"})));
    assert_eq!(r.uri().query(), Some("style=apa"));
    let r = request(check, object(json!({"text": "“Words,” she said."})));
    assert_eq!(r.method(), Method::POST);
    assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
}
