//! `citeindex cite`: the citation of one passage.

use citeindex::{EXIT_OK, Error, Style};

use super::{Global, Output};

/// Cite one passage, by id (`page#p4`), through its attribution chain.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The passage id, as search and quote show it.
    passage: String,
    /// chicago-notes, chicago-author-date, apa, mla, bibtex or csl-json.
    #[arg(long, value_parser = parse_style, default_value = "chicago-notes")]
    style: Style,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Reads `--style`.
pub fn parse_style(name: &str) -> Result<Style, String> {
    name.parse()
}

pub fn run(global: &Global, args: Args, out: &mut Output) -> anyhow::Result<u8> {
    let index = super::open(global)?;
    let hit = citeindex::passage(&index, &args.passage)?
        .ok_or_else(|| Error::UnknownPassage(args.passage.clone()))?;
    let cited = hit.citation(args.style);
    out.answer(args.json, &cited, |w, cited, _| {
        citeindex::write_citation(w, cited)
    })?;
    Ok(EXIT_OK)
}
