//! Typesense: requests to the nodes of a cluster, each to the node that
//! answered last and then the others, in rounds with growing pauses. A
//! node that does not answer, or answers a server error or 429 (a cluster
//! without a leader, for the seconds until it elects one; a node too
//! busy), is passed over for the next. `push` writes through it and
//! `engine` reads through it.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use crate::error::{Error, Result};

/// The nodes of a cluster and how to ask them.
pub struct Nodes {
    agent: ureq::Agent,
    urls: Vec<String>,
    key: String,
    /// Rounds of every node tried before a request gives up.
    rounds: u32,
    /// The longest pause between two rounds.
    max_pause: Duration,
    /// The node tried first: the one that answered last.
    good: AtomicUsize,
    retries: AtomicU64,
}

/// What a node answered: its status and body.
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body, as text.
    pub body: String,
}

impl Nodes {
    /// The nodes at `urls` (`http://HOST:PORT` each), asked with `key`;
    /// each request is allowed `timeout`, and `rounds` rounds of all nodes,
    /// with pauses up to `max_pause` between them.
    pub fn new(
        urls: Vec<String>,
        key: String,
        timeout: Duration,
        rounds: u32,
        max_pause: Duration,
    ) -> Nodes {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .build()
            .into();
        Nodes {
            agent,
            urls: urls
                .into_iter()
                .map(|u| u.trim_end_matches('/').to_string())
                .collect(),
            key,
            rounds: rounds.max(1),
            max_pause,
            good: AtomicUsize::new(0),
            retries: AtomicU64::new(0),
        }
    }

    /// The nodes' addresses.
    pub fn urls(&self) -> &[String] {
        &self.urls
    }

    /// Requests retried on another node or after a pause, so far.
    pub fn retries(&self) -> u64 {
        self.retries.load(Ordering::Relaxed)
    }

    /// `method` `path` with `body`, on the first node that answers with
    /// neither a server error nor 429. Every request sent through here
    /// must be one that may be repeated (a search, an upsert, a delete).
    pub fn send(&self, method: &str, path: &str, body: Option<&str>) -> Result<Answer> {
        let nodes = self.urls.len();
        if nodes == 0 {
            return Err(Error::parameter("url", "no node of the cluster is named"));
        }
        let mut pause = Duration::from_millis(250).min(self.max_pause);
        let mut last = String::new();
        for round in 0..self.rounds {
            let first = self.good.load(Ordering::Relaxed);
            for step in 0..nodes {
                let node = (first + step) % nodes;
                let url = format!("{}{path}", self.urls[node]);
                match self.once(method, &url, body) {
                    Ok(answer) if answer.status < 500 && answer.status != 429 => {
                        self.good.store(node, Ordering::Relaxed);
                        return Ok(answer);
                    }
                    Ok(answer) => {
                        last = format!("{url} answered {}: {}", answer.status, answer.body)
                    }
                    Err(e) => last = format!("{url}: {e}"),
                }
                self.retries.fetch_add(1, Ordering::Relaxed);
            }
            if round + 1 < self.rounds {
                std::thread::sleep(pause);
                pause = (pause * 2).min(self.max_pause);
            }
        }
        Err(Error::Engine(format!(
            "no node of the cluster took the request after {} rounds; the last: {last}",
            self.rounds
        )))
    }

    /// `GET path` on the node `url` alone, once.
    pub fn get_from(&self, url: &str, path: &str) -> std::result::Result<Answer, String> {
        self.once("GET", &format!("{url}{path}"), None)
            .map_err(|e| e.to_string())
    }

    fn once(
        &self,
        method: &str,
        url: &str,
        body: Option<&str>,
    ) -> std::result::Result<Answer, ureq::Error> {
        let key = self.key.as_str();
        let mut response = match (method, body) {
            ("POST", Some(body)) => self
                .agent
                .post(url)
                .header("X-TYPESENSE-API-KEY", key)
                .content_type("text/plain")
                .send(body)?,
            ("DELETE", _) => self
                .agent
                .delete(url)
                .header("X-TYPESENSE-API-KEY", key)
                .call()?,
            _ => self
                .agent
                .get(url)
                .header("X-TYPESENSE-API-KEY", key)
                .call()?,
        };
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_string()?;
        Ok(Answer { status, body })
    }
}

/// A refusal by the cluster, said.
pub fn refused(what: &str, status: u16, body: &str) -> Error {
    let body: String = body.chars().take(300).collect();
    Error::EngineRefused(format!("{what}: Typesense answered {status}: {body}"))
}

/// Percent-encodes a path segment or a query value.
pub fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            b => format!("%{b:02X}"),
        })
        .collect()
}
