//! `citeindex quote`: where given words occur, who said them, how to cite them.

use citeindex::{EXIT_NOT_FOUND, EXIT_OK, Status, Style};

use super::{Global, Output};

/// Where do these words occur, who said them, and how to cite them.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The words; several arguments are joined with spaces.
    #[arg(required = true, num_args = 1..)]
    text: Vec<String>,
    /// Cite in this style: chicago-notes, chicago-author-date, apa, mla, bibtex, csl-json.
    #[arg(long, value_parser = super::cite::parse_style)]
    style: Option<Style>,
    /// Show each passage whole, not the words and 160 characters either side.
    #[arg(long)]
    full: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(global: &Global, args: Args, out: &mut Output) -> anyhow::Result<u8> {
    let index = super::open(global)?;
    let mut lookup = citeindex::lookup(&index, &args.text.join(" "))?;
    if let Some(style) = args.style {
        lookup = lookup.cite_in(style);
    }
    let full = args.full;
    out.answer(args.json, &lookup, |o, l, s| {
        citeindex::write_lookup_with(o, l, s, full)
    })?;
    Ok(if lookup.status == Status::NotFound {
        EXIT_NOT_FOUND
    } else {
        EXIT_OK
    })
}
