//! The subcommands of `citeindex`, one file each: its arguments as typed
//! (`Args`) and its `run`, which calls the library and writes the answer.

use std::io::{IsTerminal, Write};
use std::mem::ManuallyDrop;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use serde::Serialize;

use citeindex::{Index, Result, Site, SiteKind, SiteOptions, Summary, TextStyle};

mod bench;
mod check;
mod cite;
mod export;
mod fetch;
mod index;
mod mcp;
mod push;
mod quote;
mod search;
mod serve;
mod sources;
mod verify;

/// Search a corpus of Markdown pages, find who said what, and cite it.
#[derive(Parser, Debug)]
#[command(name = "citeindex", version, about, max_term_width = 100)]
pub struct Args {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// The options every subcommand takes.
#[derive(clap::Args, Debug)]
pub struct Global {
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
    /// How the corpus is built: jekyll, hugo or plain [default: what its
    /// files say: `_config.yml` is Jekyll, `hugo.toml` beside `content/` Hugo]
    #[arg(long, global = true, value_name = "KIND")]
    site: Option<SiteKind>,
    /// Index drafts too.
    #[arg(long, global = true)]
    drafts: bool,
    /// Index pages dated in the future too.
    #[arg(long, global = true)]
    future: bool,
    /// Index pages past their expiry date too (Hugo).
    #[arg(long, global = true)]
    expired: bool,
}

impl Global {
    /// How to read the site, as the options say.
    pub fn site_options(&self) -> SiteOptions {
        SiteOptions {
            kind: self.site,
            drafts: self.drafts,
            future: self.future,
            expired: self.expired,
        }
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the index, or bring it up to date with the corpus.
    Index(index::Args),
    /// Ranked passages for a query: phrases, "…"~N, +/-, prefix*, field:.
    Search(search::Args),
    /// Where do these words occur, who said them, and how to cite them.
    Quote(quote::Args),
    /// Cite one passage, by id (`page#p4`), through its attribution chain.
    Cite(cite::Args),
    /// Check every quotation of a draft against the corpus.
    Check(check::Args),
    /// Download the full text of each linked source into corpus/sources/.
    Fetch(fetch::Args),
    /// Check every quotation and excerpt against its source's full text,
    /// where that is indexed; exit status 1 when any differs or is missing.
    Verify(verify::Args),
    /// Every source, with the passages and quotations attributed to it.
    Sources(sources::Args),
    /// Every passage with its attribution, as NDJSON, or ready for Quickwit.
    Export(export::Args),
    /// Send every passage with its attribution to a Typesense cluster.
    Push(push::Args),
    /// Serve the JSON API and the search page over HTTP.
    Serve(serve::Args),
    /// Serve the search, quote, cite and check tools to an AI assistant,
    /// over the Model Context Protocol on standard input and output.
    Mcp(mcp::Args),
    /// Time queries and quote look-ups in this one process, for bench/run.
    #[command(hide = true)]
    Bench(bench::Args),
}

/// Runs the command; the exit status is what it found (`EXIT_OK`,
/// `EXIT_NOT_FOUND`, `EXIT_BAD_INPUT`).
pub fn run(args: Args) -> anyhow::Result<u8> {
    let updates = match &args.command {
        Command::Index(_) => Some("`index` updates the index"),
        Command::Serve(serve) if serve.watches() => Some("`serve --watch` updates the index"),
        _ => None,
    };
    if let (true, Some(why)) = (args.global.no_update, updates) {
        use clap::CommandFactory;
        Args::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                format!("--no-update uses the index as it is, but {why}"),
            )
            .exit();
    }
    let global = &args.global;
    // Standard output is MCP's own: it is written from the runtime's
    // threads, which must not wait for a lock held here.
    let command = match args.command {
        Command::Mcp(a) => return mcp::run(global, a),
        command => command,
    };
    let mut out = Output::stdout();
    let status = match command {
        Command::Index(a) => index::run(global, a, &mut out),
        Command::Search(a) => search::run(global, a, &mut out),
        Command::Quote(a) => quote::run(global, a, &mut out),
        Command::Cite(a) => cite::run(global, a, &mut out),
        Command::Check(a) => check::run(global, a, &mut out),
        Command::Fetch(a) => fetch::run(global, a, &mut out),
        Command::Verify(a) => verify::run(global, a, &mut out),
        Command::Sources(a) => sources::run(global, a, &mut out),
        Command::Export(a) => export::run(global, a),
        Command::Push(a) => push::run(global, a, &mut out),
        Command::Serve(a) => serve::run(global, a),
        Command::Mcp(_) => unreachable!("answered above"),
        Command::Bench(a) => bench::run(global, a, &mut out),
    }?;
    out.flush()?;
    Ok(status)
}

/// Where a command writes its answer: standard output, in colour on a
/// terminal unless `NO_COLOR` is set.
pub struct Output {
    out: std::io::StdoutLock<'static>,
    style: TextStyle,
}

impl Output {
    fn stdout() -> Output {
        let stdout = std::io::stdout();
        Output {
            style: TextStyle {
                color: stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            },
            out: stdout.lock(),
        }
    }

    /// Writes `value` as JSON with `json`, else for people with `text`.
    fn answer<T: Serialize>(
        &mut self,
        json: bool,
        value: &T,
        text: impl FnOnce(&mut dyn Write, &T, TextStyle) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        if json {
            serde_json::to_writer_pretty(&mut self.out, value)?;
            writeln!(self.out)?;
        } else {
            text(&mut self.out, value, self.style)?;
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Opens the index as `options` say, or as it is with `--no-update`. It is
/// never dropped: the process ends with the command, and freeing a large
/// catalog took a sixth of a cold search.
fn open_with(
    global: &Global,
    options: &citeindex::IndexOptions,
) -> Result<(ManuallyDrop<Index>, Summary)> {
    let (index, summary) = if global.no_update {
        Index::open_as_is(&global.index)?
    } else {
        let site = Site::open(&global.corpus, &global.site_options())?;
        Index::open(&site, &global.index, options)?
    };
    Ok((ManuallyDrop::new(index), summary))
}

/// What a served corpus links to: the `--site-url` site, and where the
/// site's own configuration publishes it (a Jekyll or Hugo site's `url`),
/// which `--site-url` replaces.
fn site_links(global: &Global, url: Option<String>) -> citeindex::SiteLinks {
    let published = url
        .as_ref()
        .and_then(|_| Site::open(&global.corpus, &global.site_options()).ok())
        .and_then(|site| site.website().url);
    citeindex::SiteLinks { url, published }
}

/// Opens the index for a command that reads it, bringing it up to date
/// first, and says what that update could not read.
fn open(global: &Global) -> Result<ManuallyDrop<Index>> {
    let (index, summary) = open_with(global, &citeindex::IndexOptions::default())?;
    warn(&summary);
    Ok(index)
}

/// Says what the update that opened the index could not read, when it
/// processed files, so that a search after an edit says what it skipped.
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
        for warning in &summary.warnings {
            eprintln!("citeindex: warning: {warning}");
        }
    }
}

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
