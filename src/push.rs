//! Push: the passages sent to a Typesense cluster, so that a site's search
//! box survives a machine going down.
//!
//! The collection's schema is generated from the same fields as the
//! export (the text, title, headings and quotations searched; the kind,
//! page, sources, speakers, authors, section and year as facets; the API's
//! whole hit stored beside them). Passages go in batches through
//! `/documents/import`; an update sends only the passages whose document
//! changed since the last push to that collection, and deletes those that
//! are gone, by a record of each passage's digest kept in the index
//! directory. A node that does not answer, or answers a server error or
//! 429 (no leader yet, too busy), is passed over for the next, and a round
//! of all of them is retried after a pause.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::export::{Facets, each_hit};
use crate::hit::Hit;
use crate::index::Index;
use crate::typesense::{Answer, Nodes, encode, refused};

/// Where to push.
#[derive(Debug, Clone)]
pub struct Target {
    /// The cluster's nodes, `http://HOST:PORT` each; any of them takes
    /// writes (a follower forwards them to the leader).
    pub nodes: Vec<String>,
    /// An API key allowed to create collections and write documents.
    pub api_key: String,
    /// The collection.
    pub collection: String,
}

/// How to push.
#[derive(Debug, Clone)]
pub struct Options {
    /// Passages per import request.
    pub batch: usize,
    /// Rounds of every node tried before a request gives up.
    pub rounds: u32,
    /// The longest pause between two rounds.
    pub max_pause: Duration,
    /// Time allowed for one request.
    pub timeout: Duration,
    /// Called after each batch with the passages read and sent so far.
    pub progress: Option<fn(u64, u64)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            batch: 250,
            rounds: 12,
            max_pause: Duration::from_secs(4),
            timeout: Duration::from_secs(60),
            progress: None,
        }
    }
}

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Pushed {
    /// The collection.
    pub collection: String,
    /// Whether it was created by this push.
    pub created: bool,
    /// Passages in the index.
    pub passages: u64,
    /// Passages sent, new or changed.
    pub sent: u64,
    /// Passages not sent, as they were at the last push.
    pub unchanged: u64,
    /// Passages deleted from the collection, no longer in the index.
    pub deleted: u64,
    /// Requests that were retried on another node or after a pause.
    pub retries: u64,
}

/// The characters that part words inside a token, for Typesense as for
/// citeindex's analyzers: the hyphen and the slash (Typesense takes only
/// ASCII ones; it parts words at other dashes already).
pub const TOKEN_SEPARATORS: [&str; 2] = ["-", "/"];

/// The Typesense collection schema of the passages.
pub fn typesense_schema(collection: &str) -> Value {
    let field = |name: &str, kind: &str, facet: bool, optional: bool| json!({"name": name, "type": kind, "facet": facet, "optional": optional});
    json!({
        "name": collection,
        "fields": [
            field("text", "string", false, false),
            field("title", "string", false, false),
            field("headings", "string[]", false, true),
            field("quotes", "string[]", false, true),
            field("kind", "string", true, false),
            field("page_path", "string", true, false),
            field("source_ids", "string[]", true, true),
            field("speaker_ids", "string[]", true, true),
            field("authors", "string[]", true, true),
            field("section", "string", true, true),
            field("year", "int32", true, true),
            {"name": "hit", "type": "string", "index": false, "optional": true},
        ],
        // Words joined by these are two words to citeindex ("air-pump" is
        // air and pump); Typesense would make them one ("airpump").
        "token_separators": TOKEN_SEPARATORS,
    })
}

/// The Typesense document of a passage: what the schema indexes, and the
/// API's hit as JSON text, which a search through the cluster answers with.
pub fn typesense_document(hit: &Hit) -> Value {
    let facets = Facets::of(hit);
    let mut document = json!({
        "id": hit.id,
        "text": hit.text,
        "title": hit.page.title,
        "headings": hit.headings,
        "quotes": hit.quotes.iter().map(|q| q.text.clone()).collect::<Vec<_>>(),
        "kind": hit.kind.as_str(),
        "page_path": hit.page.path,
        "source_ids": facets.source_ids,
        "speaker_ids": facets.speaker_ids,
        "authors": facets.authors,
        "hit": serde_json::to_string(hit).unwrap_or_default(),
    });
    if let Some(section) = hit.headings.first() {
        document["section"] = section.clone().into();
    }
    if let Some(year) = facets.year {
        document["year"] = year.into();
    }
    document
}

/// The record of the last push to a collection: each passage's digest.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Record {
    collection: String,
    /// The collection's `created_at`: a record of another collection of
    /// the same name is not this one's.
    #[serde(default)]
    created_at: Option<u64>,
    digests: BTreeMap<String, String>,
}

/// A digest of a document's JSON: its CRC-32 and its length.
fn digest(text: &str) -> String {
    format!("{:08x}-{}", crc32fast::hash(text.as_bytes()), text.len())
}

/// Pushes every passage of `index` to `target`.
pub fn push(index: &Index, target: &Target, options: &Options) -> Result<Pushed> {
    if target.nodes.is_empty() {
        return Err(Error::parameter("url", "no node of the cluster is named"));
    }
    let mut client = Client::new(target, options);
    let record_path = index.dir().join(format!(
        "push-typesense-{}.json",
        crate::source::slug(&target.collection)
    ));
    let (created, created_at) = client.ensure_collection()?;
    let recorded = std::fs::read(&record_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Record>(&bytes).ok())
        .filter(|r| {
            r.collection == target.collection && created_at.is_some() && r.created_at == created_at
        });
    let before: Record = match recorded {
        _ if created => Record::default(),
        Some(record) => record,
        // The collection is not the one recorded (another cluster's, made
        // again, or pushed from another index): what it holds is listed,
        // every passage is sent and what is not one any more is deleted.
        None => Record {
            digests: client
                .ids()?
                .into_iter()
                .map(|id| (id, String::new()))
                .collect(),
            ..Record::default()
        },
    };
    let mut pushed = Pushed {
        collection: target.collection.clone(),
        created,
        ..Pushed::default()
    };
    let mut now = Record {
        collection: target.collection.clone(),
        created_at,
        digests: BTreeMap::new(),
    };
    let mut batch: Vec<String> = Vec::with_capacity(options.batch);
    each_hit(index, |hit| {
        let line = typesense_document(hit).to_string();
        let mark = digest(&line);
        pushed.passages += 1;
        if before.digests.get(&hit.id) == Some(&mark) {
            pushed.unchanged += 1;
        } else {
            batch.push(line);
        }
        now.digests.insert(hit.id.clone(), mark);
        if batch.len() >= options.batch {
            pushed.sent += client.import(&std::mem::take(&mut batch))?;
            if let Some(progress) = options.progress {
                progress(pushed.passages, pushed.sent);
            }
        }
        Ok(())
    })?;
    if !batch.is_empty() {
        pushed.sent += client.import(&batch)?;
    }
    let present: HashSet<&String> = now.digests.keys().collect();
    for gone in before.digests.keys().filter(|id| !present.contains(id)) {
        client.delete(gone)?;
        pushed.deleted += 1;
    }
    if let Some(progress) = options.progress {
        progress(pushed.passages, pushed.sent);
    }
    pushed.retries = client.nodes.retries();
    let json =
        serde_json::to_vec(&now).map_err(|e| Error::io(&record_path)(std::io::Error::other(e)))?;
    crate::fetch::write_atomically(&record_path, &json).map_err(Error::io(&record_path))?;
    Ok(pushed)
}

/// Writes to the cluster.
struct Client<'a> {
    nodes: Nodes,
    target: &'a Target,
}

impl<'a> Client<'a> {
    fn new(target: &'a Target, options: &Options) -> Client<'a> {
        Client {
            nodes: Nodes::new(
                target.nodes.clone(),
                target.api_key.clone(),
                options.timeout,
                options.rounds,
                options.max_pause,
            ),
            target,
        }
    }

    /// See [`Nodes::send`]: every request here may be repeated (imports
    /// upsert, deletes of what is gone are no error).
    fn send(&mut self, method: &str, path: &str, body: Option<&str>) -> Result<Answer> {
        self.nodes.send(method, path, body)
    }

    /// Creates the collection unless it is there: whether it was created,
    /// and when the collection was (its `created_at`, which tells this
    /// collection from another of the same name).
    fn ensure_collection(&mut self) -> Result<(bool, Option<u64>)> {
        let name = encode(&self.target.collection);
        let created_at = |body: &str| {
            serde_json::from_str::<Value>(body)
                .ok()
                .and_then(|v| v["created_at"].as_u64())
        };
        let found = self.send("GET", &format!("/collections/{name}"), None)?;
        match found.status {
            200 => return Ok((false, created_at(&found.body))),
            404 => {}
            status => {
                return Err(refused(
                    "the collection could not be read",
                    status,
                    &found.body,
                ));
            }
        }
        let schema = typesense_schema(&self.target.collection).to_string();
        let made = self.send("POST", "/collections", Some(&schema))?;
        match made.status {
            201 => Ok((true, created_at(&made.body))),
            // 409: made meanwhile, by this request answered too late or by
            // another push: read as a collection that was there.
            409 => {
                let found = self.send("GET", &format!("/collections/{name}"), None)?;
                Ok((false, created_at(&found.body)))
            }
            status => Err(refused(
                "the collection could not be created",
                status,
                &made.body,
            )),
        }
    }

    /// The ids of every document of the collection, for a push that has
    /// no record of what it holds: from every node that answers, since a
    /// follower lags the leader (an id one of them no longer holds is
    /// deleted all the same, and a delete of what is gone is no error).
    fn ids(&mut self) -> Result<Vec<String>> {
        let path = format!(
            "/collections/{}/documents/export?include_fields=id",
            encode(&self.target.collection)
        );
        let read = |body: &str, ids: &mut std::collections::BTreeSet<String>| {
            ids.extend(
                body.lines()
                    .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                    .filter_map(|d| d["id"].as_str().map(String::from)),
            )
        };
        let mut ids = std::collections::BTreeSet::new();
        let mut answered = false;
        for url in self.nodes.urls().to_vec() {
            if let Ok(answer) = self.nodes.get_from(&url, &path)
                && answer.status == 200
            {
                read(&answer.body, &mut ids);
                answered = true;
            }
        }
        if !answered {
            let answer = self.send("GET", &path, None)?;
            if answer.status != 200 {
                return Err(refused(
                    "the collection's documents could not be listed",
                    answer.status,
                    &answer.body,
                ));
            }
            read(&answer.body, &mut ids);
        }
        Ok(ids.into_iter().collect())
    }

    /// Imports `lines` (one document each); how many were taken.
    fn import(&mut self, lines: &[String]) -> Result<u64> {
        let path = format!(
            "/collections/{}/documents/import?action=upsert",
            encode(&self.target.collection)
        );
        let answer = self.send("POST", &path, Some(&lines.join("\n")))?;
        if answer.status != 200 {
            return Err(refused(
                "an import was refused",
                answer.status,
                &answer.body,
            ));
        }
        let results: Vec<Value> = answer
            .body
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        let failed: Vec<&Value> = results.iter().filter(|r| r["success"] != true).collect();
        if let Some(first) = failed.first() {
            return Err(refused(
                &format!("{} of {} passages were refused", failed.len(), lines.len()),
                answer.status,
                first["error"].as_str().unwrap_or(&answer.body),
            ));
        }
        if results.len() != lines.len() {
            return Err(refused(
                &format!(
                    "an import of {} passages was answered for {}",
                    lines.len(),
                    results.len()
                ),
                answer.status,
                &answer.body,
            ));
        }
        Ok(lines.len() as u64)
    }

    /// Deletes the passage `id`; one already gone is no error.
    fn delete(&mut self, id: &str) -> Result<()> {
        let path = format!(
            "/collections/{}/documents/{}",
            encode(&self.target.collection),
            encode(id)
        );
        let answer = self.send("DELETE", &path, None)?;
        match answer.status {
            200 | 404 => Ok(()),
            status => Err(refused(
                &format!("`{id}` could not be deleted"),
                status,
                &answer.body,
            )),
        }
    }
}
