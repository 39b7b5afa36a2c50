//! `citeindex bench` (hidden): times queries and quote look-ups in this one
//! process, for `bench/run`: one JSON line per query, then one with the
//! percentiles of all.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use citeindex::{EXIT_OK, Error, Index, Parser};

use super::{Global, Output};

/// Time queries and quote look-ups in this one process.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Search queries, one a line (`#` starts a comment).
    #[arg(long, value_name = "FILE")]
    queries: Option<PathBuf>,
    /// Quote look-ups, one a line.
    #[arg(long, value_name = "FILE")]
    quotes: Option<PathBuf>,
    /// Timed runs of each, after one untimed.
    #[arg(long, default_value_t = 20)]
    runs: usize,
    /// Hits per search, with snippets, attribution and citations.
    #[arg(long, default_value_t = 10)]
    limit: usize,
}

/// The `q` quantile of sorted samples, nearest rank.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// The lines of a file of queries, without blanks and `#` comments.
fn lines(path: Option<&Path>, option: &str) -> citeindex::Result<Vec<String>> {
    let Some(path) = path else { return Ok(vec![]) };
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::parameter(option, format!("{option} {}: {e}", path.display())))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect())
}

/// One run of `query`: its answer (total or status) and how many hits.
fn once(
    index: &Index,
    parser: &Parser,
    kind: &str,
    query: &str,
    limit: usize,
) -> citeindex::Result<(String, usize)> {
    Ok(if kind == "search" {
        let request = citeindex::Request {
            query: query.to_string(),
            source: None,
            limit,
            offset: 0,
            typing: false,
            filters: Default::default(),
            citations: true,
        };
        let results = citeindex::search(index, parser, &request)?;
        (results.total.to_string(), results.hits.len())
    } else {
        let lookup = citeindex::lookup(index, query)?;
        (format!("{:?}", lookup.status), lookup.matches.len())
    })
}

pub fn run(global: &Global, args: Args, out: &mut Output) -> anyhow::Result<u8> {
    let index = super::open(global)?;
    let parser = Parser::new(&index);
    let mut all = BTreeMap::<&str, Vec<f64>>::new();
    let lists = [
        ("search", lines(args.queries.as_deref(), "--queries")?),
        ("quote", lines(args.quotes.as_deref(), "--quotes")?),
    ];
    for (kind, list) in lists {
        // One untimed pass, then the timed rounds, each through the
        // whole list (as tantivy-cli's bench does): no query runs
        // twice in a row with everything it touched still in cache.
        let firsts = list
            .iter()
            .map(|q| once(&index, &parser, kind, q, args.limit))
            .collect::<citeindex::Result<Vec<_>>>()?;
        let mut samples = vec![Vec::with_capacity(args.runs); list.len()];
        for _ in 0..args.runs {
            for (query, samples) in list.iter().zip(&mut samples) {
                let started = Instant::now();
                once(&index, &parser, kind, query, args.limit)?;
                samples.push(started.elapsed().as_secs_f64() * 1e6);
            }
        }
        for ((query, (answer, hits)), mut samples) in list.iter().zip(firsts).zip(samples) {
            // Untimed: what to compare with engines that index whole pages.
            let pages = if kind == "search" {
                Some(citeindex::matching_pages(&index, &parser, query)?)
            } else {
                None
            };
            samples.sort_by(f64::total_cmp);
            let line = serde_json::json!({
                "kind": kind,
                "query": query,
                "answer": answer,
                "hits": hits,
                "pages": pages,
                "p50_us": percentile(&samples, 0.5),
                "min_us": samples.first(),
            });
            writeln!(out, "{line}")?;
            all.entry(kind).or_default().extend(samples);
        }
    }
    for (kind, mut samples) in all {
        samples.sort_by(f64::total_cmp);
        let line = serde_json::json!({
            "kind": format!("{kind}-all"),
            "samples": samples.len(),
            "p50_us": percentile(&samples, 0.5),
            "p99_us": percentile(&samples, 0.99),
            "mean_us": samples.iter().sum::<f64>() / samples.len().max(1) as f64,
        });
        writeln!(out, "{line}")?;
    }
    Ok(EXIT_OK)
}
