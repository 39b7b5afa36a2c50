//! `citeindex mcp`: the search, quote, cite and check tools for AI
//! assistants, over the Model Context Protocol on standard input and output.

use citeindex::{EXIT_OK, Shared, TIME_LIMIT};

use super::Global;

/// Serve the search, quote, cite and check tools to an AI assistant, over
/// the Model Context Protocol on standard input and output.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The corpus's website (https://example.org): pages are cited at their URLs there.
    #[arg(long, value_name = "URL", value_parser = super::serve::parse_site_url)]
    site_url: Option<String>,
}

pub fn run(global: &Global, args: Args) -> anyhow::Result<u8> {
    // Standard output is the protocol's: what the opening says goes to
    // standard error.
    let (index, summary) = super::open_with(global, &Default::default())?;
    super::warn(&summary);
    eprintln!("citeindex: {summary}; MCP on standard input and output");
    index.preload()?;
    let shared = Shared::with_time_limit(
        std::mem::ManuallyDrop::into_inner(index),
        super::site_links(global, args.site_url),
        TIME_LIMIT,
    );
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(citeindex::mcp_stdio(shared))?;
    Ok(EXIT_OK)
}
