//! `citeindex sources`: every source with what is attributed to it.

use citeindex::EXIT_OK;

use super::{Global, Output};

/// Every source, with the passages and quotations attributed to it.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(global: &Global, args: Args, out: &mut Output) -> anyhow::Result<u8> {
    let index = super::open(global)?;
    let rows = index.source_rows()?;
    out.answer(args.json, &rows, |w, rows, style| {
        citeindex::write_sources(w, rows, style)
    })?;
    Ok(EXIT_OK)
}
