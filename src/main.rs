//! The `citeindex` command: parses arguments, calls the library, prints
//! the error chain and maps errors to exit codes.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use citeindex::cite;
use citeindex::corpus::Corpus;
use citeindex::index::{self, Index, Summary};
use citeindex::quote::Status;
use citeindex::report::{self, Style};
use citeindex::search;
use citeindex::serve;

// Parsing a corpus allocates many small, short-lived strings, from several
// threads: mimalloc indexes and answers faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns off transparent huge pages for this process, for the commands
/// that run long and allocate all along: `index` and `serve`. mimalloc asks
/// the kernel for them, and a fault on one zeroes (and may first compact)
/// 2 MB at once. In the server those faults were the slowest answers (6–11
/// ms, about one request in 300 from a client sending one at a time;
/// without them the slowest took 3–4.5 ms). Indexing the archive without
/// them takes half the system time and 35 MB less memory, in the same time.
/// A one-shot search gains from them instead, by taking fewer faults, so
/// it keeps them. Where the kernel has no such setting, nothing changes.
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// Exit status when nothing was found where something was asked for.
const NOT_FOUND: u8 = 1;
/// Exit status for bad input: a bad query, an unknown source, unreadable corpus files.
const BAD_INPUT: u8 = 2;

/// Search a corpus of Markdown pages, find who said what, and cite it.
#[derive(Parser, Debug)]
#[command(name = "citeindex", version, about, max_term_width = 100)]
struct Args {
    /// The corpus directory.
    #[arg(long, global = true, default_value = "corpus", value_name = "DIR")]
    corpus: PathBuf,
    /// The index directory (built and updated as needed).
    #[arg(long, global = true, default_value = "index", value_name = "DIR")]
    index: PathBuf,
    /// Use the index as it is, without checking the corpus for changed
    /// files: faster on a large corpus; `citeindex index` brings it up to date.
    #[arg(long, global = true)]
    no_update: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the index, or bring it up to date with the corpus.
    Index {
        /// Rebuild from scratch.
        #[arg(long)]
        rebuild: bool,
        /// Indexing threads (default: one per core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
    },
    /// Ranked passages for a query: phrases, "…"~N, +/-, prefix*, field:.
    Search {
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
    },
    /// Where do these words occur, who said them, and how to cite them.
    Quote {
        /// The words; several arguments are joined with spaces.
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// Cite in this style: chicago-notes, chicago-author-date, apa, mla, bibtex, csl-json.
        #[arg(long, value_parser = parse_style)]
        style: Option<cite::Style>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Cite one passage, by id (`page#p4`), through its attribution chain.
    Cite {
        /// The passage id, as search and quote show it.
        passage: String,
        /// chicago-notes, chicago-author-date, apa, mla, bibtex or csl-json.
        #[arg(long, value_parser = parse_style, default_value = "chicago-notes")]
        style: cite::Style,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Download the full text of each linked source into corpus/sources/.
    Fetch {
        /// Only these sources (ids); all with a URL when none are given.
        ids: Vec<String>,
        /// Replace texts already in the corpus.
        #[arg(long)]
        force: bool,
        /// Seconds allowed for each download.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
        /// Largest text accepted, in bytes.
        #[arg(long, default_value_t = 50 * 1024 * 1024)]
        max_bytes: u64,
        /// Redirects followed before giving up.
        #[arg(long, default_value_t = 5)]
        max_redirects: u32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check every quotation and excerpt against its source's full text,
    /// where that is indexed; exit status 1 when any differs or is missing.
    Verify {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Every source, with the passages and quotations attributed to it.
    Sources {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Time queries and quote look-ups in this one process (for bench/):
    /// one JSON line per query, then one with the percentiles of all.
    Bench {
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
    },
    /// Serve the JSON API and the search page over HTTP.
    Serve {
        /// Address to listen on; loopback unless told otherwise (port 0 picks a free one).
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
        addr: std::net::SocketAddr,
        /// Allow browsers on this origin to call the API (repeatable); any origin when not given.
        #[arg(long = "cors-origin", value_name = "ORIGIN")]
        cors_origins: Vec<String>,
        /// The corpus's website (https://example.org): page links on the search page point there.
        #[arg(long, value_name = "URL")]
        site_url: Option<String>,
        /// Watch the corpus: index added, changed and removed files while serving.
        #[arg(long)]
        watch: bool,
        /// Answer a request that is not done within this many milliseconds with a 503 `timeout`.
        #[arg(long, default_value_t = serve::TIME_LIMIT.as_millis() as u64, value_name = "MS",
              value_parser = clap::value_parser!(u64).range(1..))]
        time_limit: u64,
        /// Close a connection whose client takes longer than this many
        /// milliseconds to send a request's headers, or to start the next request.
        #[arg(long, default_value_t = serve::HEADER_TIMEOUT.as_millis() as u64, value_name = "MS",
              value_parser = clap::value_parser!(u64).range(1..))]
        header_timeout: u64,
    },
}

fn parse_style(name: &str) -> Result<cite::Style, String> {
    name.parse()
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let mut message = format!("error: {err}");
            for cause in err.chain().skip(1) {
                message.push_str(&format!("\n  caused by: {cause}"));
            }
            eprintln!("{message}");
            let bad_input = err
                .downcast_ref::<citeindex::Error>()
                .is_some_and(citeindex::Error::is_bad_input);
            ExitCode::from(if bad_input { BAD_INPUT } else { 1 })
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        let kind = e
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| e.downcast_ref::<serde_json::Error>()?.io_error_kind());
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// Opens the index for one command. It is never dropped: the process ends
/// with the command, and freeing a large catalog took a sixth of a cold search.
fn open(
    args: &Args,
    rebuild: bool,
    threads: usize,
) -> anyhow::Result<(std::mem::ManuallyDrop<Index>, Summary)> {
    if args.no_update {
        let (index, summary) = Index::open_as_is(&args.index)?;
        return Ok((std::mem::ManuallyDrop::new(index), summary));
    }
    let corpus = Corpus::open(&args.corpus)?;
    let options = index::Options {
        rebuild,
        progress: std::io::stderr().is_terminal(),
        threads,
    };
    let (index, summary) = Index::open(&corpus, &args.index, &options)?;
    Ok((std::mem::ManuallyDrop::new(index), summary))
}

/// The `q` quantile of sorted samples, nearest rank.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Tells about skipped files when an update processed some, so that a
/// search after an edit says what it could not read.
fn warn(summary: &Summary) {
    if summary.stale {
        eprintln!(
            "citeindex: another process is updating the index; answering from its last version"
        );
    }
    if summary.processed > 0 {
        for problem in &summary.skipped {
            eprintln!("citeindex: skipped {problem}");
        }
    }
}

fn run(args: Args) -> anyhow::Result<u8> {
    let style = Style {
        color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let updates = match &args.command {
        Command::Index { .. } => Some("`index` updates the index"),
        Command::Serve { watch: true, .. } => Some("`serve --watch` updates the index"),
        _ => None,
    };
    if let (true, Some(why)) = (args.no_update, updates) {
        use clap::CommandFactory;
        Args::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                format!("--no-update uses the index as it is, but {why}"),
            )
            .exit();
    }
    match &args.command {
        Command::Index { rebuild, threads } => {
            without_huge_pages();
            let (_, summary) = open(&args, *rebuild, *threads)?;
            for problem in &summary.skipped {
                eprintln!("citeindex: skipped {problem}");
            }
            writeln!(out, "indexed {summary}")?;
            return Ok(if summary.skipped.is_empty() {
                0
            } else {
                BAD_INPUT
            });
        }
        Command::Search {
            query,
            source,
            limit,
            offset,
            json,
        } => {
            let (index, summary) = open(&args, false, 0)?;
            warn(&summary);
            let parser = search::Parser::new(&index);
            let request = search::Request {
                query: query.join(" "),
                source: source.clone(),
                limit: *limit,
                offset: *offset,
                typing: false,
                // The text report prints no citation; `--json` carries them.
                citations: *json,
            };
            let results = search::search(&index, &parser, &request)?;
            if *json {
                serde_json::to_writer_pretty(&mut out, &results)?;
                writeln!(out)?;
            } else {
                report::results(&mut out, &results, style)?;
            }
        }
        Command::Quote {
            text,
            style: cite_style,
            json,
        } => {
            let (index, summary) = open(&args, false, 0)?;
            warn(&summary);
            let mut lookup = citeindex::quote::lookup(&index, &text.join(" "))?;
            if let Some(cite_style) = cite_style {
                lookup = lookup.cite_in(*cite_style);
            }
            if *json {
                serde_json::to_writer_pretty(&mut out, &lookup)?;
                writeln!(out)?;
            } else {
                report::lookup(&mut out, &lookup, style)?;
            }
            if lookup.status == Status::NotFound {
                return Ok(NOT_FOUND);
            }
        }
        Command::Cite {
            passage,
            style: cite_style,
            json,
        } => {
            let (index, summary) = open(&args, false, 0)?;
            warn(&summary);
            let Some(mut hit) = search::passage(&index, passage)? else {
                return Err(citeindex::Error::Query(format!(
                    "there is no passage `{passage}`; ids look like `page#p4`, as search shows them"
                ))
                .into());
            };
            search::cite_passage(&mut hit, *cite_style);
            let cited = hit.cited.as_ref().expect("just cited");
            if *json {
                serde_json::to_writer_pretty(&mut out, cited)?;
                writeln!(out)?;
            } else {
                report::citation(&mut out, cited)?;
            }
        }
        Command::Sources { json } => {
            let (index, summary) = open(&args, false, 0)?;
            warn(&summary);
            let rows = report::source_rows(&index)?;
            if *json {
                serde_json::to_writer_pretty(&mut out, &rows)?;
                writeln!(out)?;
            } else {
                report::sources(&mut out, &rows, style)?;
            }
        }
        Command::Fetch {
            ids,
            force,
            timeout,
            max_bytes,
            max_redirects,
            json,
        } => {
            let corpus = Corpus::open(&args.corpus)?;
            let mut sources = Vec::new();
            for stamp in corpus.scan().registry {
                let (found, problems) =
                    citeindex::registry::read(&corpus.path_of(&stamp.path), &stamp.path);
                for problem in problems {
                    eprintln!("citeindex: skipped {problem}");
                }
                sources.extend(found);
            }
            let table = citeindex::source::SourceTable::new(sources);
            let mut chosen: Vec<citeindex::source::Source> = Vec::new();
            if ids.is_empty() {
                chosen.extend(table.iter().cloned());
            } else {
                for id in ids {
                    match table.by_name(id) {
                        Some(s) if citeindex::fetch::has_text_to_fetch(s) => chosen.push(s.clone()),
                        Some(_) => {
                            return Err(citeindex::Error::Query(format!(
                                "`{id}` has no http(s) URL of a work to fetch"
                            ))
                            .into());
                        }
                        None => {
                            return Err(citeindex::Error::UnknownSource {
                                name: id.clone(),
                                hint: String::new(),
                            }
                            .into());
                        }
                    }
                }
            }
            let options = citeindex::fetch::Options {
                force: *force,
                timeout: std::time::Duration::from_secs(*timeout),
                max_bytes: *max_bytes,
                max_redirects: *max_redirects,
            };
            let fetched = citeindex::fetch::fetch_all(corpus.root(), &chosen, &options);
            if *json {
                serde_json::to_writer_pretty(&mut out, &fetched)?;
                writeln!(out)?;
            } else {
                report::fetched(&mut out, &fetched, style)?;
            }
            let failed = fetched
                .iter()
                .any(|f| matches!(f.outcome, citeindex::fetch::Outcome::Failed { .. }));
            if failed {
                out.flush()?;
                return Ok(NOT_FOUND);
            }
        }
        Command::Verify { json } => {
            let (index, summary) = open(&args, false, 0)?;
            warn(&summary);
            let checks = citeindex::verify::corpus(&index)?;
            if *json {
                serde_json::to_writer_pretty(&mut out, &checks)?;
                writeln!(out)?;
            } else {
                report::verification(&mut out, &checks, style)?;
            }
            let all_verified = checks
                .iter()
                .all(|c| c.verification.status == citeindex::verify::Verdict::Verified);
            if !all_verified {
                out.flush()?;
                return Ok(NOT_FOUND);
            }
        }
        Command::Bench {
            queries,
            quotes,
            runs,
            limit,
        } => {
            let (index, summary) = open(&args, false, 0)?;
            warn(&summary);
            let parser = search::Parser::new(&index);
            let lines = |path: &Option<PathBuf>| -> anyhow::Result<Vec<String>> {
                let Some(path) = path else { return Ok(vec![]) };
                let text = std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
                Ok(text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(String::from)
                    .collect())
            };
            let mut all = std::collections::BTreeMap::<&str, Vec<f64>>::new();
            for (kind, list) in [("search", lines(queries)?), ("quote", lines(quotes)?)] {
                let once = |query: &str| -> anyhow::Result<(String, usize)> {
                    Ok(if kind == "search" {
                        let request = search::Request {
                            query: query.to_string(),
                            source: None,
                            limit: *limit,
                            offset: 0,
                            typing: false,
                            citations: true,
                        };
                        let results = search::search(&index, &parser, &request)?;
                        (results.total.to_string(), results.hits.len())
                    } else {
                        let lookup = citeindex::quote::lookup(&index, query)?;
                        (format!("{:?}", lookup.status), lookup.matches.len())
                    })
                };
                // One untimed pass, then the timed rounds, each through the
                // whole list (as tantivy-cli's bench does): no query runs
                // twice in a row with everything it touched still in cache.
                let firsts = list
                    .iter()
                    .map(|q| once(q))
                    .collect::<anyhow::Result<Vec<_>>>()?;
                let mut samples = vec![Vec::with_capacity(*runs); list.len()];
                for _ in 0..*runs {
                    for (query, samples) in list.iter().zip(&mut samples) {
                        let started = std::time::Instant::now();
                        once(query)?;
                        samples.push(started.elapsed().as_secs_f64() * 1e6);
                    }
                }
                for ((query, (answer, hits)), mut samples) in list.iter().zip(firsts).zip(samples) {
                    // Untimed: what to compare with engines that index whole pages.
                    let pages = if kind == "search" {
                        Some(search::matching_pages(&index, &parser, query)?)
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
        }
        Command::Serve {
            addr,
            cors_origins,
            site_url,
            watch,
            time_limit,
            header_timeout,
        } => {
            without_huge_pages();
            let cors = if cors_origins.is_empty() {
                serve::Cors::Any
            } else {
                let origins = cors_origins
                    .iter()
                    .map(|o| {
                        o.parse()
                            .map_err(|_| citeindex::Error::Query(format!("`{o}` is not an origin")))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                serve::Cors::Origins(origins)
            };
            let (index, summary) = open(&args, false, 0)?;
            warn(&summary);
            eprintln!("citeindex: {summary}");
            // Read the whole catalog now: the first requests should not wait for it.
            index.preload()?;
            let site = serve::Site {
                url: site_url.clone(),
            };
            let watch_corpus = if *watch {
                eprintln!("citeindex: watching {} for changes", args.corpus.display());
                Some(Corpus::open(&args.corpus)?)
            } else {
                None
            };
            serve::serve_blocking(
                serve::Shared::with_time_limit(
                    std::mem::ManuallyDrop::into_inner(index),
                    site,
                    std::time::Duration::from_millis(*time_limit),
                ),
                *addr,
                &cors,
                watch_corpus,
                std::time::Duration::from_millis(*header_timeout),
            )?;
        }
    }
    out.flush()?;
    Ok(0)
}
