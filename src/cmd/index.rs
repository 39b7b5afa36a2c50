//! `citeindex index`: build the index, or bring it up to date.

use std::io::{IsTerminal, Write};

use citeindex::{EXIT_BAD_INPUT, EXIT_OK, IndexOptions};

use super::{Global, Output};

/// Build the index, or bring it up to date with the corpus.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Rebuild from scratch.
    #[arg(long)]
    rebuild: bool,
    /// Indexing threads [default: one per core, at most 8].
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
}

/// Set in the crash tests: the process dies when everything of an update
/// is written but its commit.
const CRASH_BEFORE_COMMIT: &str = "CITEINDEX_CRASH_BEFORE_COMMIT";

fn abort() {
    std::process::abort();
}

pub fn run(global: &Global, args: Args, out: &mut Output) -> anyhow::Result<u8> {
    super::without_huge_pages();
    let options = IndexOptions {
        rebuild: args.rebuild,
        progress: std::io::stderr().is_terminal(),
        threads: args.threads.unwrap_or(0),
        before_commit: std::env::var_os(CRASH_BEFORE_COMMIT)
            .is_some()
            .then_some(abort),
    };
    let (index, summary) = super::open_with(global, &options)?;
    for problem in &summary.skipped {
        eprintln!("citeindex: skipped {problem}");
    }
    for warning in &summary.warnings {
        eprintln!("citeindex: warning: {warning}");
    }
    // A registry that disagrees with what a source says of itself is told
    // at every run until one of them is mended.
    for source in index.sources()?.iter() {
        for conflict in &source.conflicts {
            eprintln!(
                "citeindex: warning: {}",
                citeindex::conflict_text(&source.id, conflict)
            );
        }
    }
    writeln!(out, "indexed {summary}")?;
    Ok(if summary.skipped.is_empty() {
        EXIT_OK
    } else {
        EXIT_BAD_INPUT
    })
}
