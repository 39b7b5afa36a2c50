//! `citeindex search`: ranked passages for a query.

use citeindex::{EXIT_OK, Parser};

use super::{Global, Output};

/// Ranked passages for a query: phrases, "…"~N, +/-, prefix*, field:.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The query; several words are joined with spaces.
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    /// Keep passages that excerpt, cite or quote this source (id or any name).
    #[arg(long, value_name = "ID")]
    source: Option<String>,
    /// How many hits.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// How many hits to skip.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(global: &Global, args: Args, out: &mut Output) -> anyhow::Result<u8> {
    let index = super::open(global)?;
    let parser = Parser::new(&index);
    let request = citeindex::Request {
        query: args.query.join(" "),
        source: args.source,
        limit: args.limit,
        offset: args.offset,
        typing: false,
        filters: Default::default(),
        // The text report prints no citation; `--json` carries them.
        citations: args.json,
    };
    let results = citeindex::search(&index, &parser, &request)?;
    out.answer(args.json, &results, citeindex::write_results)?;
    Ok(EXIT_OK)
}
