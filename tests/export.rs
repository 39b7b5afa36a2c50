//! `citeindex export`: every passage as the API gives it, one JSON object
//! a line, and Quickwit's index configuration beside the lines, checked
//! against the shape Quickwit's documentation gives an index config.

mod util;

use serde_json::Value;
use util::Env;

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn every_passage_is_exported_as_the_api_gives_it() {
    let env = Env::seed();
    let indexed = env.run(&["index"]).expect(0).stdout();
    let count: usize = indexed
        .split(" passages")
        .next()
        .and_then(|head| head.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{indexed}"));
    let exported = lines(&env.run(&["export"]).expect(0).stdout());
    assert_eq!(exported.len(), count, "{indexed}");
    let mut ids: Vec<&str> = exported.iter().map(|l| l["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "each passage once");
    // A line reads back as the API's hit, field for field: what a server
    // on a cluster (`serve --engine`) answers with.
    for line in &exported {
        let hit: citeindex::Hit =
            serde_json::from_value(line.clone()).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(&serde_json::to_value(&hit).unwrap(), line);
    }

    // A line is the API's passage: the same attribution, quotations with
    // their speakers, sources and citation.
    let server = util::Server::start(&env, &[]);
    for line in &exported {
        let id = line["id"].as_str().unwrap();
        let (status, body) =
            util::get(&server.url(&format!("/api/passages/{}", util::url_encode(id))));
        assert_eq!(status, 200, "{body}");
        let api: Value = serde_json::from_str(&body).unwrap();
        for field in [
            "text",
            "kind",
            "page",
            "headings",
            "span",
            "sources",
            "excerpted_from",
            "attribution",
            "citation",
        ] {
            assert_eq!(line[field], api[field], "{id}: {field}");
        }
        let speakers = |v: &Value| -> Vec<Value> {
            v["quotes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| q["speaker"]["id"].clone())
                .collect()
        };
        assert_eq!(speakers(line), speakers(&api), "{id}");
    }
    drop(server);
    // The seed page's JCLC quotation is there with its speaker.
    let jclc = exported
        .iter()
        .flat_map(|l| l["quotes"].as_array().unwrap())
        .find(|q| q["text"].as_str().unwrap().contains("non-cooperation"))
        .unwrap();
    assert_eq!(jclc["speaker"]["id"], "jclc");
    assert!(
        jclc["attribution"].as_str().unwrap().starts_with("JCLC"),
        "{jclc}"
    );

    // To a file, the same lines.
    let out = env.corpus.parent().unwrap().join("passages.ndjson");
    let to_file = env.run(&["export", "-o", out.to_str().unwrap()]).expect(0);
    assert!(
        to_file.stderr().contains(&format!("{count} passages")),
        "{}",
        to_file.stderr()
    );
    assert_eq!(lines(&std::fs::read_to_string(&out).unwrap()), exported);
}

/// What Quickwit's documentation (configuration/index-config) allows in a
/// field mapping of each type.
fn allowed(kind: &str) -> &'static [&'static str] {
    let text = &[
        "name",
        "type",
        "description",
        "stored",
        "indexed",
        "tokenizer",
        "record",
        "fieldnorms",
        "fast",
    ][..];
    match kind {
        "text" | "array<text>" => text,
        "i64" | "u64" | "f64" | "array<i64>" | "array<u64>" | "array<f64>" => &[
            "name",
            "type",
            "description",
            "stored",
            "indexed",
            "fast",
            "coerce",
            "output_format",
        ],
        "bool" => &["name", "type", "description", "stored", "indexed", "fast"],
        "object" => &["name", "type", "description", "field_mappings"],
        other => panic!("a field mapping of a type Quickwit does not document: {other}"),
    }
}

/// Checks `mappings` against the documented shape, and every line's value
/// of each mapped field against its type; returns the text fields' paths.
fn check_mappings(mappings: &Value, lines: &[Value], prefix: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for mapping in mappings.as_array().expect("field_mappings is a list") {
        let kind = mapping["type"].as_str().expect("a type");
        let name = mapping["name"].as_str().expect("a name");
        for key in mapping.as_object().unwrap().keys() {
            assert!(
                allowed(kind).contains(&key.as_str()),
                "{name}: `{key}` is not a {kind} option"
            );
        }
        if let Some(tokenizer) = mapping.get("tokenizer") {
            let known = [
                "raw",
                "default",
                "en_stem",
                "whitespace",
                "chinese_compatible",
                "source_code_default",
                "lowercase",
            ];
            assert!(
                known.contains(&tokenizer.as_str().unwrap()),
                "{name}: {tokenizer}"
            );
        }
        if let Some(record) = mapping.get("record") {
            assert!(
                ["basic", "freq", "position"].contains(&record.as_str().unwrap()),
                "{name}"
            );
        }
        if let Some(fast) = mapping.get("fast") {
            assert!(
                fast.is_boolean() || fast.get("normalizer").is_some(),
                "{name}: {fast}"
            );
        }
        let path = format!("{prefix}{name}");
        let values: Vec<&Value> = lines.iter().filter_map(|l| l.get(name)).collect();
        assert!(
            kind == "i64" || !values.is_empty(),
            "{path}: no line carries it"
        );
        match kind {
            "object" => {
                let inner: Vec<Value> = values.iter().map(|v| (*v).clone()).collect();
                assert!(inner.iter().all(Value::is_object), "{path}");
                texts.extend(check_mappings(
                    &mapping["field_mappings"],
                    &inner,
                    &format!("{path}."),
                ));
            }
            "text" => {
                assert!(values.iter().all(|v| v.is_string()), "{path}: {values:?}");
                texts.push(path);
            }
            "array<text>" => {
                assert!(
                    values
                        .iter()
                        .all(|v| v.as_array().is_some_and(|a| a.iter().all(Value::is_string))),
                    "{path}"
                );
                texts.push(path);
            }
            "i64" => assert!(values.iter().all(|v| v.is_i64()), "{path}: {values:?}"),
            _ => {}
        }
    }
    texts
}

/// Checks that `object` has no key but `allowed`.
fn only_keys(object: &Value, allowed: &[&str], what: &str) {
    for key in object.as_object().expect("an object").keys() {
        assert!(
            allowed.contains(&key.as_str()),
            "`{key}` is not a key of {what}"
        );
    }
}

#[test]
fn the_quickwit_export_is_an_index_config_and_its_lines() {
    let env = Env::seed();
    let dir = env.corpus.parent().unwrap().join("quickwit");
    let run = env
        .run(&[
            "export",
            "--format",
            "quickwit",
            "-o",
            dir.to_str().unwrap(),
        ])
        .expect(0);
    assert!(
        run.stderr().contains("index-config.yaml"),
        "{}",
        run.stderr()
    );
    let yaml = std::fs::read_to_string(dir.join("index-config.yaml")).unwrap();
    let config: Value = serde_norway::from_str(&yaml).unwrap();
    let passages = lines(&std::fs::read_to_string(dir.join("passages.ndjson")).unwrap());
    assert_eq!(
        passages.len(),
        lines(&env.run(&["export"]).expect(0).stdout()).len()
    );

    // The top level and the doc mapping hold only what the documentation names.
    let top = [
        "version",
        "index_id",
        "index_uri",
        "doc_mapping",
        "indexing_settings",
        "search_settings",
        "retention",
    ];
    only_keys(&config, &top, "an index config");
    assert!(["0.7", "0.8", "0.9"].contains(&config["version"].as_str().unwrap()));
    assert_eq!(config["index_id"], "citeindex");
    let mapping = &config["doc_mapping"];
    let doc_keys = [
        "mode",
        "dynamic_mapping",
        "field_mappings",
        "tag_fields",
        "store_source",
        "timestamp_field",
        "partition_key",
        "max_num_partitions",
        "tokenizers",
        "index_field_presence",
    ];
    only_keys(mapping, &doc_keys, "a doc_mapping");
    assert!(["lenient", "strict", "dynamic"].contains(&mapping["mode"].as_str().unwrap()));
    let dynamic = [
        "indexed",
        "stored",
        "tokenizer",
        "record",
        "expand_dots",
        "fast",
    ];
    only_keys(&mapping["dynamic_mapping"], &dynamic, "a dynamic_mapping");
    let texts = check_mappings(&mapping["field_mappings"], &passages, "");
    for field in config["search_settings"]["default_search_fields"]
        .as_array()
        .unwrap()
    {
        assert!(
            texts.contains(&field.as_str().unwrap().to_string()),
            "{field} is not a text field"
        );
    }
    let field = |name: &str| {
        mapping["field_mappings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .unwrap_or_else(|| panic!("no mapping of {name}"))
            .clone()
    };
    // The exact and the stemmed text with positions, for phrases; ids and
    // facets whole and fast; the year a fast integer.
    assert_eq!(field("text")["record"], "position");
    assert_eq!(field("stem")["tokenizer"], "en_stem");
    assert_eq!(field("stem")["record"], "position");
    for name in ["id", "page_path", "source_ids", "speaker_ids", "authors"] {
        assert_eq!(field(name)["tokenizer"], "raw", "{name}");
        assert_eq!(field(name)["fast"], true, "{name}");
    }
    assert_eq!(field("year")["type"], "i64");
    assert_eq!(field("year")["fast"], true);
    // The facets as the index counts them: the JCLC speaks in the seed page.
    assert!(passages.iter().any(|p| {
        p["speaker_ids"]
            .as_array()
            .unwrap()
            .contains(&Value::from("jclc"))
    }));

    // A bad index id, or no directory for the two files: bad input.
    let bad = env.run(&[
        "export",
        "--format",
        "quickwit",
        "-o",
        dir.to_str().unwrap(),
        "--index-id",
        "9 lives",
    ]);
    assert_eq!(bad.code(), 2, "{}", bad.stderr());
    assert!(
        bad.stderr().contains("not a Quickwit index id"),
        "{}",
        bad.stderr()
    );
    let nowhere = env.run(&["export", "--format", "quickwit"]);
    assert_eq!(nowhere.code(), 2);
    assert!(
        nowhere.stderr().contains("--output DIR"),
        "{}",
        nowhere.stderr()
    );
}
