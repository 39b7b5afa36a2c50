//! Engine: the passages answered from a Typesense cluster that `push`
//! filled, so that a site's search box survives a machine going down.
//!
//! A search is read with citeindex's own parser (the same syntax, the
//! same errors, the same words marked in the snippets) and sent to the
//! cluster as Typesense's words, `"phrases"` and `-exclusions`, with the
//! filters as `filter_by`; each hit is the API's hit that `push` stored
//! beside the passage. A quote look-up asks the cluster for the passages
//! that hold the words as a phrase, then aligns and attributes them as a
//! look-up on the index does (`quote::lookup_among`). What the index
//! directory still gives is its catalog: the pages and sources, for
//! citations, for naming a source in a filter, and the sources' texts that
//! `verify` reads. Where Typesense matches otherwise than Tantivy (it does
//! not stem; it joins words around some punctuation) the README says so.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::facet::{self, FACET_SIZE, FacetValue, Facets, YearRange};
use crate::group::{MAX_PAGES, MORE, PageGroup, PageResults, SHOWN, quote_fallback};
use crate::highlight::Highlighter;
use crate::hit::Hit;
use crate::index::Index;
use crate::query::{Parsed, Parser};
use crate::quote::{self, Lookup};
use crate::search::{Request, Results, check_paging};
use crate::typesense::{Nodes, encode, refused};

/// Hits Typesense gives in one answer, at most.
pub const MAX_PER_PAGE: usize = 250;

/// Passages the quote look-up asks for that hold the words as a phrase.
const PHRASE_CANDIDATES: usize = 200;

/// The field a search looks in: the passage's text, as citeindex's own
/// search does (its stemmed twin has no counterpart in Typesense).
const QUERY_BY: &str = "text";

/// A Typesense cluster holding a pushed collection.
pub struct Engine {
    nodes: Nodes,
    collection: String,
}

/// One node of the cluster as `/healthz` shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NodeHealth {
    /// Its address.
    pub url: String,
    /// Whether it says it is healthy.
    pub ok: bool,
    /// `leader`, `follower`, or what else its Raft state is; absent when
    /// it does not answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Why it is not healthy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The cluster as `/healthz` shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EngineHealth {
    /// `typesense`.
    pub kind: String,
    /// The collection searched.
    pub collection: String,
    /// Each node.
    pub nodes: Vec<NodeHealth>,
    /// Whether one node is the leader (writes, and so a push, go through).
    pub leader: bool,
    /// Whether the nodes said their roles (a key without access to
    /// `/debug` does not see them).
    pub roles_known: bool,
}

impl Engine {
    /// The cluster `spec` names: `typesense://HOST:PORT,HOST:PORT,…`,
    /// optionally `/COLLECTION` after the last node (`citeindex` when not
    /// given), asked with `api_key`.
    pub fn parse(spec: &str, api_key: &str) -> Result<Engine> {
        let bad = |why: &str| {
            Error::parameter(
                "--engine",
                format!("`{spec}` {why}; write typesense://HOST:PORT,HOST:PORT[/COLLECTION]"),
            )
        };
        let rest = spec
            .strip_prefix("typesense://")
            .ok_or_else(|| bad("is not a Typesense cluster"))?;
        let (hosts, collection) = match rest.split_once('/') {
            Some((hosts, c)) if !c.trim_matches('/').is_empty() => {
                (hosts, c.trim_matches('/').to_string())
            }
            Some((hosts, _)) => (hosts, "citeindex".to_string()),
            None => (rest, "citeindex".to_string()),
        };
        let mut urls = Vec::new();
        for host in hosts.split(',').map(str::trim).filter(|h| !h.is_empty()) {
            let port = host.rsplit_once(':').map(|(_, p)| p);
            if port.is_none_or(|p| p.parse::<u16>().is_err()) || host.contains(['@', '?', '#']) {
                return Err(bad(&format!("names `{host}`, which is not HOST:PORT")));
            }
            urls.push(format!("http://{host}"));
        }
        if urls.is_empty() {
            return Err(bad("names no node"));
        }
        if api_key.is_empty() {
            return Err(Error::parameter(
                "--api-key",
                "the cluster needs its API key (--api-key or TYPESENSE_API_KEY)",
            ));
        }
        // A search is answered or failed over within the request's time
        // limit: two rounds of every node, 2 s each at most, half a second
        // apart.
        let nodes = Nodes::new(
            urls,
            api_key.to_string(),
            Duration::from_secs(2),
            2,
            Duration::from_millis(500),
        );
        Ok(Engine { nodes, collection })
    }

    /// A search, as [`crate::search::search`] answers it on the index.
    pub fn search(&self, index: &Index, parser: &Parser, request: &Request) -> Result<Results> {
        let (highlighter, mut params, (page, per_page, skip)) = prepare(index, parser, request)?;
        params.extend([
            ("page", page.to_string()),
            ("per_page", per_page.to_string()),
            ("include_fields", "id,hit".into()),
        ]);
        let answer = self.search_with(&params)?;
        let total = answer["found"].as_u64().unwrap_or(0) as usize;
        let hits: Vec<Hit> = found_hits(index, &answer["hits"], Some(&highlighter))?
            .into_iter()
            .skip(skip)
            .take(request.limit)
            .collect();
        Ok(Results {
            query: request.query.clone(),
            total,
            offset: request.offset,
            hits,
        })
    }

    /// A search grouped by page, as [`crate::group::search_pages`]
    /// answers it on the index: Typesense groups the passages by their
    /// page and counts the facets.
    pub fn search_pages(
        &self,
        index: &Index,
        parser: &Parser,
        request: &Request,
    ) -> Result<PageResults> {
        if request.limit == 0 || request.limit > MAX_PAGES {
            return Err(Error::parameter(
                "limit",
                format!(
                    "limit must be between 1 and {MAX_PAGES} pages, not {}",
                    request.limit
                ),
            ));
        }
        let (highlighter, common, (page, per_page, skip)) = prepare(index, parser, request)?;
        // The passages in all and their facets, then the pages.
        let mut counting = common.clone();
        counting.extend([
            ("per_page", "0".to_string()),
            ("facet_by", FACET_FIELDS.join(",")),
            ("max_facet_values", FACET_SIZE.to_string()),
        ]);
        let counted = self.search_with(&counting)?;
        let mut grouping = common;
        grouping.extend([
            ("group_by", "page_path".to_string()),
            ("group_limit", (SHOWN + MORE).to_string()),
            ("page", page.to_string()),
            ("per_page", per_page.to_string()),
            ("include_fields", "id,hit".into()),
        ]);
        let grouped = self.search_with(&grouping)?;
        let total = counted["found"].as_u64().unwrap_or(0) as usize;
        let pages = grouped["grouped_hits"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .skip(skip)
            .filter(|group| group["hits"].as_array().is_some_and(|h| !h.is_empty()))
            .map(|group| {
                let found = group["hits"].as_array().map_or(0, Vec::len);
                let matches = group["found"].as_u64().map_or(found, |n| n as usize);
                found_hits(index, &group["hits"], Some(&highlighter))
                    .map(|built| PageGroup::of(built, matches))
            })
            .collect::<Result<Vec<_>>>()?;
        let quote = quote_fallback(request, total, |words| self.lookup(index, words))?;
        Ok(PageResults {
            query: request.query.clone(),
            total,
            total_pages: grouped["found"].as_u64().unwrap_or(0) as usize,
            offset: request.offset,
            pages,
            facets: facets_of(index, &counted["facet_counts"]),
            quote,
        })
    }

    /// The passage `id`, as [`crate::search::passage`] gives it.
    pub fn passage(&self, index: &Index, id: &str) -> Result<Option<Hit>> {
        let path = format!(
            "/collections/{}/documents/{}",
            encode(&self.collection),
            encode(id)
        );
        let answer = self.nodes.send("GET", &path, None)?;
        match answer.status {
            200 => {
                let document: Value = serde_json::from_str(&answer.body).map_err(|e| {
                    Error::EngineRefused(format!("the cluster answered no JSON: {e}"))
                })?;
                // Whole and unmarked, as the index gives a passage by id.
                let mut hit = stored_hit(index, &document)?;
                hit.snippet = vec![crate::highlight::Fragment {
                    text: hit.text.clone(),
                    highlighted: false,
                }];
                Ok(Some(hit))
            }
            404 => Ok(None),
            status => Err(refused("a passage could not be read", status, &answer.body)),
        }
    }

    /// Where `text` occurs, as [`crate::quote::lookup`] answers it.
    pub fn lookup(&self, index: &Index, text: &str) -> Result<Lookup> {
        let words: Vec<String> = crate::token::words(text)
            .into_iter()
            .map(|w| w.text)
            .collect();
        // `drop`: Typesense drops words from the end of the query until
        // this many passages hold the rest.
        let ask = |q: String, n: usize, drop: usize| -> Result<Vec<Hit>> {
            if words.is_empty() {
                return Ok(vec![]);
            }
            let mut params = base_params(q, false);
            params.retain(|(k, _)| *k != "drop_tokens_threshold");
            params.extend([
                ("drop_tokens_threshold", drop.to_string()),
                ("per_page", n.min(MAX_PER_PAGE).to_string()),
                ("include_fields", "id,hit".into()),
            ]);
            let answer = self.search_with(&params)?;
            found_hits(index, &answer["hits"], None)
        };
        // The words as typed, for Typesense to cut as it cut the passages
        // (a dash before a word would exclude it); which of its passages
        // hold them is citeindex's to say.
        let typed = text
            .replace(QUOTATION_MARKS, " ")
            .split_whitespace()
            .map(|w| w.trim_start_matches('-'))
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let phrase = if words.len() > 1 {
            format!("\"{typed}\"")
        } else {
            typed.clone()
        };
        let candidates = ask(phrase, PHRASE_CANDIDATES, 0)?;
        quote::lookup_among(text, &candidates, |n| {
            // Passages that share the words, for a close match.
            let loose: Vec<&str> = typed.split_whitespace().take(32).collect();
            ask(loose.join(" "), n, n)
        })
    }

    /// Each node's health and Raft role, the nodes asked at once.
    pub fn health(&self) -> EngineHealth {
        let ask = |url: &String| {
            let health = self.nodes.get_from(url, "/health");
            let role = self
                .nodes
                .get_from(url, "/debug")
                .ok()
                .and_then(|a| serde_json::from_str::<Value>(&a.body).ok())
                .and_then(|debug| debug["state"].as_u64())
                .map(|state| {
                    match state {
                        1 => "leader",
                        4 => "follower",
                        _ => "candidate",
                    }
                    .to_string()
                });
            match health {
                Ok(a) if a.status == 200 && a.body.contains("true") => NodeHealth {
                    url: url.clone(),
                    ok: true,
                    role,
                    error: None,
                },
                Ok(a) => NodeHealth {
                    url: url.clone(),
                    ok: false,
                    role,
                    error: Some(format!(
                        "answered {}: {}",
                        a.status,
                        a.body.chars().take(200).collect::<String>()
                    )),
                },
                Err(e) => NodeHealth {
                    url: url.clone(),
                    ok: false,
                    role: None,
                    error: Some(e),
                },
            }
        };
        let nodes: Vec<NodeHealth> = std::thread::scope(|scope| {
            let asked: Vec<_> = self
                .nodes
                .urls()
                .iter()
                .map(|url| scope.spawn(move || ask(url)))
                .collect();
            asked
                .into_iter()
                .zip(self.nodes.urls())
                .map(|(a, url)| {
                    a.join().unwrap_or_else(|_| NodeHealth {
                        url: url.clone(),
                        ok: false,
                        role: None,
                        error: Some("the check failed".into()),
                    })
                })
                .collect()
        });
        // A key that may not read `/debug` shows no role: then nothing is
        // known of the leader, which is not the same as none leading.
        let roles_known = nodes.iter().any(|n| n.role.is_some());
        EngineHealth {
            kind: "typesense".into(),
            collection: self.collection.clone(),
            leader: nodes.iter().any(|n| n.role.as_deref() == Some("leader")),
            roles_known,
            nodes,
        }
    }

    /// A search of the collection with `params`, failing over.
    fn search_with(&self, params: &[(&str, String)]) -> Result<Value> {
        let query: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        let path = format!(
            "/collections/{}/documents/search?{}",
            encode(&self.collection),
            query.join("&")
        );
        let answer = self.nodes.send("GET", &path, None)?;
        if answer.status != 200 {
            return Err(refused("a search was refused", answer.status, &answer.body));
        }
        serde_json::from_str(&answer.body)
            .map_err(|e| Error::EngineRefused(format!("the cluster answered no JSON: {e}")))
    }
}

/// The hits of a Typesense answer's `hits` (or a group's), each the
/// stored hit with Typesense's score and, given a highlighter, the words
/// it marks.
fn found_hits(index: &Index, hits: &Value, marks: Option<&Highlighter>) -> Result<Vec<Hit>> {
    hits.as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|found| {
            let mut hit = stored_hit(index, &found["document"])?;
            hit.score = found["text_match"].as_f64().unwrap_or(0.0) as f32;
            if let Some(marks) = marks {
                hit.snippet = marks.snippet(&hit.text);
            }
            Ok(hit)
        })
        .collect()
}

/// What a search through the cluster asks, read from `request`: the words
/// to mark, the parameters with the filters, and Typesense's page, page
/// size and the hits to skip of it. The query is read by citeindex's
/// parser first, so that it fails as it would on the index.
#[allow(clippy::type_complexity)]
fn prepare(
    index: &Index,
    parser: &Parser,
    request: &Request,
) -> Result<(
    Highlighter,
    Vec<(&'static str, String)>,
    (usize, usize, usize),
)> {
    check_paging(request.limit, request.offset)?;
    let Parsed { ast, .. } = if request.typing {
        parser.parse_typing(&request.query)?
    } else {
        parser.parse(&request.query)?
    };
    let (q, prefix) = words_of(&request.query, request.typing)?;
    let paged = paging(request.limit, request.offset)?;
    let mut params = base_params(q, prefix);
    let filters = filters(index, request)?;
    if !filters.is_empty() {
        params.push(("filter_by", filters));
    }
    Ok((Highlighter::of(&ast), params, paged))
}

/// The search parameters every search through the cluster sends: the
/// words matched as written, in the passages' text.
fn base_params(q: String, prefix: bool) -> Vec<(&'static str, String)> {
    vec![
        ("q", q),
        ("query_by", QUERY_BY.to_string()),
        ("num_typos", "0".into()),
        ("prefix", prefix.to_string()),
        ("drop_tokens_threshold", "0".into()),
        ("typo_tokens_threshold", "0".into()),
        ("highlight_fields", "none".into()),
    ]
}

/// The API's hit `push` stored with a passage, its page's source (which
/// every citation chain ends with) looked up in the index's catalog.
fn stored_hit(index: &Index, document: &Value) -> Result<Hit> {
    let stored = document["hit"].as_str().ok_or_else(|| {
        Error::EngineRefused(format!(
            "the passage `{}` was pushed without its hit; push again with this version",
            document["id"].as_str().unwrap_or("?")
        ))
    })?;
    let mut hit: Hit = serde_json::from_str(stored).map_err(|e| {
        Error::EngineRefused(format!(
            "the passage `{}` was pushed by another version ({e}); push again",
            document["id"].as_str().unwrap_or("?")
        ))
    })?;
    hit.page.source = index
        .page(&hit.page.path)
        .and_then(|p| index.source(&p.source));
    Ok(hit)
}

/// The collection's facet fields, in the order `Facets` shows them.
const FACET_FIELDS: [&str; 5] = ["speaker_ids", "source_ids", "authors", "year", "section"];

/// Typesense's facet counts as the API's facets, sources named from the
/// index's catalog.
fn facets_of(index: &Index, counts: &Value) -> Facets {
    let of = |field: &str| -> Option<&Value> {
        counts.as_array()?.iter().find(|c| c["field_name"] == field)
    };
    let values = |field: &str, sources: Option<bool>| -> Vec<FacetValue> {
        of(field)
            .and_then(|c| c["counts"].as_array())
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|c| {
                let value = c["value"].as_str()?.to_string();
                let label = sources
                    .and_then(|by_name| facet::label(index, &value, by_name))
                    .unwrap_or_else(|| value.clone());
                Some(FacetValue {
                    value,
                    label,
                    count: c["count"].as_u64()?,
                })
            })
            .collect::<Vec<_>>()
    };
    // The most frequent first, ties by value, as the index counts them.
    let values = |field: &str, sources: Option<bool>| {
        let mut values = values(field, sources);
        values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        values
    };
    let year = of("year").and_then(|c| {
        let stats = &c["stats"];
        let count = c["counts"]
            .as_array()
            .map(|counts| counts.iter().filter_map(|c| c["count"].as_u64()).sum())
            .unwrap_or(0);
        Some(YearRange {
            min: stats["min"].as_f64()? as i64,
            max: stats["max"].as_f64()? as i64,
            // Over the years shown (at most the facet's size of them).
            count,
        })
    });
    Facets {
        speaker: values("speaker_ids", Some(true)),
        source: values("source_ids", Some(false)),
        author: values("authors", None),
        year,
        section: values("section", None),
    }
}

/// Typesense's page, page size and the hits to skip of it for `limit`
/// hits after `offset`.
fn paging(limit: usize, offset: usize) -> Result<(usize, usize, usize)> {
    let limit = limit.max(1);
    if limit <= MAX_PER_PAGE && offset.is_multiple_of(limit) {
        return Ok((offset / limit + 1, limit, 0));
    }
    if offset + limit <= MAX_PER_PAGE {
        return Ok((1, offset + limit, offset));
    }
    Err(Error::parameter(
        "limit",
        format!(
            "through the cluster, a search gives at most {MAX_PER_PAGE} hits at once, \
             and an offset past that must be a multiple of the limit"
        ),
    ))
}

/// The query as Typesense's words, `"phrases"` and `-exclusions`, and
/// whether its last word is a prefix; what Typesense cannot ask for
/// (fields, proximity, `OR`, groups, a prefix before the end) is refused
/// with a message.
fn words_of(query: &str, typing: bool) -> Result<(String, bool)> {
    // While typing, what cannot be asked yet is left out, as the index's
    // own typing mode leaves out what does not parse yet.
    let unsupported = |what: &str| -> Result<()> {
        if typing {
            return Ok(());
        }
        Err(Error::Query(format!(
            "through the cluster a search is words, \"phrases\" and -exclusions; {what} is not supported"
        )))
    };
    let query = query.replace(QUOTATION_MARKS, "\"");
    let mut out: Vec<String> = Vec::new();
    let mut prefix = false;
    let mut rest = query.as_str();
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        rest = &rest[start..];
        let negated = rest.starts_with('-');
        let sign = if negated { "-" } else { "" };
        let body = rest.trim_start_matches(['-', '+']);
        if let Some(inner) = body.strip_prefix('"') {
            let (phrase, after) = match inner.find('"') {
                Some(end) => (&inner[..end], &inner[end + 1..]),
                None => {
                    unsupported("an open quotation mark")?;
                    (inner, "")
                }
            };
            if after.starts_with(['~', '^', '*']) {
                unsupported("proximity, a boost or a prefix after a phrase")?;
            }
            // As typed: Typesense cuts it into words as it cut the
            // passages ("U.S." is one word to it, two to citeindex); a
            // dash before a word in it would exclude the whole phrase.
            let phrase = phrase
                .split_whitespace()
                .map(|w| w.trim_start_matches('-'))
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if !crate::token::words(&phrase).is_empty() {
                out.push(format!("{sign}\"{phrase}\""));
                prefix = false;
            }
            rest = after.trim_start_matches(|c: char| !c.is_whitespace());
            continue;
        }
        let end = body.find(char::is_whitespace).unwrap_or(body.len());
        let word = &body[..end];
        rest = &body[end..];
        match word {
            "AND" => continue,
            "OR" | "NOT" => {
                unsupported(&format!("`{word}`"))?;
                continue;
            }
            _ => {}
        }
        let construct = if word.contains(['(', ')', '[', ']', '{', '}']) {
            Some("a group")
        } else if word.contains(':') {
            Some("a field (`field:`)")
        } else if word.contains(['^', '~']) {
            Some("a boost or a fuzzy word")
        } else if word.trim_end_matches('*').contains('*') {
            Some("a wildcard inside a word")
        } else {
            None
        };
        if let Some(construct) = construct {
            unsupported(construct)?;
            continue;
        }
        let starred = word.ends_with('*');
        if starred && !rest.trim().is_empty() {
            unsupported("a prefix (`word*`) before the last word")?;
        }
        let word = word.trim_end_matches('*');
        if crate::token::words(word).is_empty() {
            continue;
        }
        // A word joined by a hyphen or slash is two words to both
        // engines, next to each other: a phrase.
        out.push(if word.contains(['-', '/']) {
            format!("{sign}\"{word}\"")
        } else {
            format!("{sign}{word}")
        });
        prefix = (typing || starred) && !negated && !word.contains(['-', '/']);
    }
    if out.is_empty() {
        return Err(Error::Query("the query is empty".into()));
    }
    Ok((out.join(" "), prefix))
}

/// What opens or closes a quotation, in a query or a looked-up text.
const QUOTATION_MARKS: [char; 8] = ['"', '“', '”', '„', '‟', '«', '»', '＂'];

/// The request's source and filters as Typesense's `filter_by`.
fn filters(index: &Index, request: &Request) -> Result<String> {
    let value = |v: &str| -> Result<String> {
        if v.contains('`') || v.trim().is_empty() {
            return Err(Error::parameter(
                "filter",
                format!("through the cluster a filter cannot hold a backtick or be empty: `{v}`"),
            ));
        }
        Ok(format!("`{v}`"))
    };
    let mut out = Vec::new();
    if let Some(name) = &request.source {
        let id = &index.source_named(name)?.id;
        out.push(format!("source_ids:={}", value(id)?));
    }
    let filters = &request.filters;
    if let Some(name) = &filters.speaker {
        let id = &index.source_named(name)?.id;
        out.push(format!("speaker_ids:={}", value(id)?));
    }
    if let Some(author) = &filters.author {
        out.push(format!("authors:={}", value(author)?));
    }
    if let Some((from, to)) = filters.years {
        out.push(format!("year:[{from}..{to}]"));
    }
    if let Some(section) = &filters.section {
        out.push(format!("section:={}", value(section)?));
    }
    Ok(out.join(" && "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_is_named_by_its_nodes_and_collection() {
        let engine = Engine::parse("typesense://127.0.0.1:8108,127.0.0.1:8109/site", "k").unwrap();
        assert_eq!(
            engine.nodes.urls(),
            ["http://127.0.0.1:8108", "http://127.0.0.1:8109"]
        );
        assert_eq!(engine.collection, "site");
        let engine = Engine::parse("typesense://h:1", "k").unwrap();
        assert_eq!(engine.collection, "citeindex");
        for bad in [
            "http://h:1",
            "typesense://",
            "typesense://h",
            "typesense://h:port",
            "typesense://u@h:1",
        ] {
            assert!(Engine::parse(bad, "k").is_err(), "{bad}");
        }
        assert!(Engine::parse("typesense://h:1", "").is_err());
    }

    #[test]
    fn a_query_is_sent_as_typesense_reads_it() {
        let q = |s: &str| words_of(s, false).map_err(|e| e.to_string());
        assert_eq!(
            q("jail solidarity").unwrap(),
            ("jail solidarity".into(), false)
        );
        assert_eq!(
            q("“Collective Action” +behind -bars").unwrap(),
            ("\"Collective Action\" behind -bars".into(), false)
        );
        // Joined words are a phrase, excluded whole when excluded.
        assert_eq!(
            q("air-pump soli*").unwrap(),
            ("\"air-pump\" soli".into(), true)
        );
        assert_eq!(q("-air-pump jail").unwrap().0, "-\"air-pump\" jail");
        assert_eq!(q("-\"the court\" jail").unwrap().0, "-\"the court\" jail");
        // A dash inside a phrase is no exclusion.
        assert_eq!(
            q("\"the defendants --who were\"").unwrap().0,
            "\"the defendants who were\""
        );
        assert_eq!(q("«open source»").unwrap().0, "\"open source\"");
        for bad in [
            "title:jail",
            "\"a b\"~3",
            "a OR b",
            "(a b)",
            "soli* jail",
            "\"open",
            "jail^2",
            "*",
        ] {
            let error = q(bad).unwrap_err();
            assert!(
                error.contains("not supported") || error.contains("empty"),
                "{bad}: {error}"
            );
        }
        let typing = |s: &str| words_of(s, true).unwrap();
        assert_eq!(typing("\"open sour"), ("\"open sour\"".into(), false));
        assert_eq!(typing("open sour"), ("open sour".into(), true));
        assert_eq!(typing("jail OR cou"), ("jail cou".into(), true));
        assert_eq!(typing("jail *"), ("jail".into(), true));
        assert_eq!(q("jail *").unwrap(), ("jail".into(), false));
    }

    #[test]
    fn hits_are_paged_as_typesense_pages_them() {
        assert_eq!(paging(10, 0).unwrap(), (1, 10, 0));
        assert_eq!(paging(10, 20).unwrap(), (3, 10, 0));
        assert_eq!(paging(10, 5).unwrap(), (1, 15, 5));
        assert_eq!(paging(250, 1000).unwrap(), (5, 250, 0));
        assert!(paging(300, 0).is_err());
        assert!(paging(10, 1005).is_err());
    }
}
