//! `citeindex verify`: every quotation and excerpt checked against its source.

use citeindex::{EXIT_NOT_FOUND, EXIT_OK, Verdict};

use super::{Global, Output};

/// Check every quotation and excerpt against its source's full text.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(global: &Global, args: Args, out: &mut Output) -> anyhow::Result<u8> {
    let index = super::open(global)?;
    let checks = citeindex::verify_corpus(&index)?;
    out.answer(args.json, &checks, |w, checks, style| {
        citeindex::write_verification(w, checks, style)
    })?;
    let all_verified = checks
        .iter()
        .all(|c| c.verification.status == Verdict::Verified);
    Ok(if all_verified {
        EXIT_OK
    } else {
        EXIT_NOT_FOUND
    })
}
