//! `citeindex push typesense`: the passages sent to a Typesense cluster.

use citeindex::{EXIT_OK, PushOptions, PushTarget};

use super::{Global, Output};

/// Send every passage with its attribution to a Typesense cluster; an
/// update sends only what changed since the last push.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The engine: `typesense`, the only one (clap refuses any other).
    #[arg(value_parser = ["typesense"])]
    #[allow(dead_code)]
    engine: String,
    /// The cluster's nodes, comma-separated (`http://127.0.0.1:8108,…`);
    /// a node that does not answer is passed over for the next.
    #[arg(long, value_delimiter = ',', required = true)]
    url: Vec<String>,
    /// An API key allowed to create collections and write documents.
    #[arg(long, env = "TYPESENSE_API_KEY", hide_env_values = true)]
    api_key: String,
    /// The collection.
    #[arg(long, default_value = "citeindex")]
    collection: String,
    /// Passages per import request.
    #[arg(long, default_value_t = 250)]
    batch: usize,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

fn progress(read: u64, sent: u64) {
    eprint!("\rciteindex: {read} passages read, {sent} sent");
}

pub fn run(global: &Global, args: Args, out: &mut Output) -> anyhow::Result<u8> {
    for url in &args.url {
        super::serve::parse_site_url(url).map_err(|e| citeindex::Error::parameter("url", e))?;
    }
    if args.batch == 0 {
        anyhow::bail!(citeindex::Error::parameter(
            "batch",
            "a batch holds at least one passage"
        ));
    }
    let index = super::open(global)?;
    let target = PushTarget {
        nodes: args.url.clone(),
        api_key: args.api_key.clone(),
        collection: args.collection.clone(),
    };
    use std::io::IsTerminal as _;
    let options = PushOptions {
        batch: args.batch,
        progress: std::io::stderr()
            .is_terminal()
            .then_some(progress as fn(u64, u64)),
        ..PushOptions::default()
    };
    let pushed = citeindex::push_typesense(&index, &target, &options)?;
    if options.progress.is_some() {
        eprintln!();
    }
    out.answer(args.json, &pushed, |w, p, _| {
        writeln!(
            w,
            "pushed {} passages to {}{}: {} sent, {} unchanged, {} deleted{}",
            p.passages,
            p.collection,
            if p.created { " (created)" } else { "" },
            p.sent,
            p.unchanged,
            p.deleted,
            if p.retries > 0 {
                format!(", {} requests retried", p.retries)
            } else {
                String::new()
            }
        )
    })?;
    Ok(EXIT_OK)
}
