//! `citeindex check`: every quotation of a draft judged against the corpus.

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use citeindex::{CiteAs, EXIT_NOT_FOUND, EXIT_OK, Style};

use super::{Global, Output};

/// Check every quotation of a draft (Markdown or plain text) against the corpus.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The draft; `-` reads standard input.
    file: PathBuf,
    /// Cite in this style: chicago-notes, chicago-author-date, apa, mla, bibtex, csl-json.
    #[arg(long, value_parser = super::cite::parse_style, default_value = "chicago-notes")]
    style: Style,
    /// Print JSON.
    #[arg(long, conflicts_with = "fix")]
    json: bool,
    /// Write the draft with misquotations corrected and quotations cited.
    #[arg(long)]
    fix: bool,
    /// How `--fix` cites: footnotes or inline.
    #[arg(long, value_parser = parse_cite_as, default_value = "footnotes", requires = "fix")]
    cite: CiteAs,
    /// Where `--fix` writes (standard output when not given); never the draft.
    #[arg(short = 'o', long, requires = "fix", value_name = "FILE")]
    output: Option<PathBuf>,
}

fn parse_cite_as(text: &str) -> Result<CiteAs, String> {
    match text {
        "footnotes" => Ok(CiteAs::Footnotes),
        "inline" => Ok(CiteAs::Inline),
        _ => Err(format!("`{text}` is not footnotes or inline")),
    }
}

pub fn run(global: &Global, args: Args, out: &mut Output) -> anyhow::Result<u8> {
    let draft = read_draft(&args)?;
    if let Some(output) = &args.output {
        let canonical = |p: &PathBuf| std::fs::canonicalize(p).ok();
        let same = *output == args.file
            || (args.file.to_str() != Some("-")
                && canonical(output).is_some()
                && canonical(output) == canonical(&args.file));
        if same {
            return Err(bad(format!(
                "-o {} is the draft: --fix never writes over it",
                output.display()
            ))
            .into());
        }
    }
    let index = super::open(global)?;
    let report = citeindex::check(&index, &draft, args.style)?;
    if args.fix {
        let fixed = citeindex::fix_draft(&draft, &report, args.cite);
        match &args.output {
            Some(path) => std::fs::write(path, fixed)
                .with_context(|| format!("could not write {}", path.display()))?,
            None => out.write_all(fixed.as_bytes())?,
        }
    } else {
        out.answer(args.json, &report, citeindex::write_check)?;
    }
    Ok(if report.ok { EXIT_OK } else { EXIT_NOT_FOUND })
}

fn read_draft(args: &Args) -> anyhow::Result<String> {
    let bytes = if args.file.to_str() == Some("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("could not read the draft from standard input")?;
        bytes
    } else {
        std::fs::read(&args.file)
            .map_err(|e| bad(format!("could not read {}: {e}", args.file.display())))?
    };
    String::from_utf8(bytes)
        .map_err(|_| bad(format!("{} is not UTF-8 text", args.file.display())).into())
}

fn bad(message: String) -> citeindex::Error {
    citeindex::Error::Parameter {
        name: "FILE".into(),
        message,
    }
}
