//! `citeindex serve`: the HTTP API and the search page.

use std::time::Duration;

use citeindex::{Cors, EXIT_OK, Engine, Error, Shared, Watch};

use super::Global;

/// Serve the JSON API and the search page over HTTP.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Address to listen on; loopback unless told otherwise (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    addr: std::net::SocketAddr,
    /// Allow browsers on this origin to call the API (repeatable); any origin when not given.
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    cors_origins: Vec<String>,
    /// The corpus's website (https://example.org): page links on the search page point there.
    #[arg(long, value_name = "URL", value_parser = parse_site_url)]
    site_url: Option<String>,
    /// Watch the corpus: index added, changed and removed files while serving.
    #[arg(long)]
    watch: bool,
    /// Answer a request that is not done within this many milliseconds with a 503 `timeout`.
    #[arg(long, default_value_t = citeindex::TIME_LIMIT.as_millis() as u64, value_name = "MS",
          value_parser = clap::value_parser!(u64).range(1..))]
    time_limit: u64,
    /// Close a connection whose client takes longer than this many
    /// milliseconds to send a request's headers, or to start the next request.
    #[arg(long, default_value_t = citeindex::HEADER_TIMEOUT.as_millis() as u64, value_name = "MS",
          value_parser = clap::value_parser!(u64).range(1..))]
    header_timeout: u64,
    /// Answer searches, quote look-ups and passages from a Typesense
    /// cluster that `citeindex push typesense` filled:
    /// `typesense://HOST:PORT,HOST:PORT[/COLLECTION]`. The index gives the
    /// catalog (pages, sources) and the sources' texts.
    #[arg(long, value_name = "typesense://HOST:PORT,…")]
    engine: Option<String>,
    /// The cluster's API key (a search-only key is enough).
    #[arg(
        long,
        env = "TYPESENSE_API_KEY",
        hide_env_values = true,
        requires = "engine"
    )]
    api_key: Option<String>,
}

/// Reads `--site-url`: an http or https address.
pub fn parse_site_url(url: &str) -> Result<String, String> {
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url.to_string())
    } else {
        Err(format!("`{url}` is not an http or https address"))
    }
}

impl Args {
    /// Whether the server updates the index itself.
    pub fn watches(&self) -> bool {
        self.watch
    }
}

pub fn run(global: &Global, args: Args) -> anyhow::Result<u8> {
    super::without_huge_pages();
    let cors = if args.cors_origins.is_empty() {
        Cors::Any
    } else {
        let origins = args
            .cors_origins
            .iter()
            .map(|o| {
                o.parse().map_err(|_| {
                    Error::parameter(
                        "--cors-origin",
                        format!("--cors-origin `{o}` is not an origin"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Cors::Origins(origins)
    };
    let engine = args
        .engine
        .as_deref()
        .map(|spec| Engine::parse(spec, args.api_key.as_deref().unwrap_or("")))
        .transpose()?;
    if args.watch && engine.is_some() {
        return Err(Error::parameter(
            "--watch",
            "with --engine, the cluster is updated by `citeindex push`, not by watching",
        )
        .into());
    }
    let (index, summary) = super::open_with(global, &Default::default())?;
    super::warn(&summary);
    eprintln!("citeindex: {summary}");
    // Read the whole catalog now: the first requests should not wait for it.
    index.preload()?;
    let watch_corpus = if args.watch {
        eprintln!(
            "citeindex: watching {} for changes",
            global.corpus.display()
        );
        Some(Watch {
            root: global.corpus.clone(),
            options: global.site_options(),
        })
    } else {
        None
    };
    let index = std::mem::ManuallyDrop::into_inner(index);
    let site = super::site_links(global, args.site_url);
    let time_limit = Duration::from_millis(args.time_limit);
    let shared = match engine {
        Some(engine) => {
            let health = engine.health();
            let up = health.nodes.iter().filter(|n| n.ok).count();
            eprintln!(
                "citeindex: searches answered by the Typesense cluster ({up} of {} nodes up, collection `{}`)",
                health.nodes.len(),
                health.collection
            );
            Shared::with_engine(index, site, time_limit, engine)
        }
        None => Shared::with_time_limit(index, site, time_limit),
    };
    citeindex::serve_blocking(
        shared,
        args.addr,
        &cors,
        watch_corpus,
        Duration::from_millis(args.header_timeout),
    )?;
    Ok(EXIT_OK)
}
