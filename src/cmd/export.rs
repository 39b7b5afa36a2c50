//! `citeindex export`: every passage with its attribution, for another
//! engine.

use std::io::Write as _;
use std::path::PathBuf;

use citeindex::{EXIT_OK, ExportFormat};

use super::Global;

/// Every passage with its attribution, as NDJSON, or ready for Quickwit.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// `ndjson`: the API's hit of each passage, one a line. `quickwit`: the
    /// same lines with the fields Quickwit indexes, and its index config.
    #[arg(long, value_parser = ["ndjson", "quickwit"], default_value = "ndjson")]
    format: String,
    /// Where to write: a file for `ndjson` (standard output when absent or
    /// `-`); a directory for `quickwit`, which gets `index-config.yaml` and
    /// `passages.ndjson`.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// The Quickwit index id, in the config.
    #[arg(long, default_value = "citeindex")]
    index_id: String,
}

pub fn run(global: &Global, args: Args) -> anyhow::Result<u8> {
    let index = super::open(global)?;
    let to_stdout = args.output.as_deref().is_none_or(|p| p.as_os_str() == "-");
    match args.format.as_str() {
        "quickwit" => {
            if !citeindex::valid_index_id(&args.index_id) {
                anyhow::bail!(citeindex::Error::parameter(
                    "index-id",
                    format!(
                        "`{}` is not a Quickwit index id: a letter, then letters, digits, `-`, `_` or `.`, 3 to 255 in all",
                        args.index_id
                    )
                ));
            }
            let Some(dir) = args.output.filter(|_| !to_stdout) else {
                anyhow::bail!(citeindex::Error::parameter(
                    "output",
                    "--format quickwit writes two files: name their directory with --output DIR",
                ));
            };
            std::fs::create_dir_all(&dir).map_err(citeindex::Error::io(&dir))?;
            let config = dir.join("index-config.yaml");
            let yaml = serde_norway::to_string(&citeindex::quickwit_config(&args.index_id))?;
            std::fs::write(&config, yaml).map_err(citeindex::Error::io(&config))?;
            let lines = dir.join("passages.ndjson");
            let mut file = std::io::BufWriter::new(
                std::fs::File::create(&lines).map_err(citeindex::Error::io(&lines))?,
            );
            let n = citeindex::export_passages(&index, ExportFormat::Quickwit, &mut file, &lines)?;
            eprintln!(
                "citeindex: {n} passages in {}, index config in {}",
                lines.display(),
                config.display()
            );
        }
        _ if to_stdout => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            // Standard output is the lines alone: no count after them.
            citeindex::export_passages(
                &index,
                ExportFormat::Ndjson,
                &mut out,
                std::path::Path::new("standard output"),
            )?;
            out.flush()?;
        }
        _ => {
            let path = args.output.unwrap_or_default();
            let mut file = std::io::BufWriter::new(
                std::fs::File::create(&path).map_err(citeindex::Error::io(&path))?,
            );
            let n = citeindex::export_passages(&index, ExportFormat::Ndjson, &mut file, &path)?;
            eprintln!("citeindex: {n} passages in {}", path.display());
        }
    }
    Ok(EXIT_OK)
}
