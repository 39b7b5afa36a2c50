//! The `citeindex` command: parses arguments, runs the subcommand, prints
//! the error chain and turns the outcome into an exit status.

use std::process::ExitCode;

use clap::Parser;

mod cmd;

// Parsing a corpus allocates many small, short-lived strings, from several
// threads: mimalloc indexes and answers faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cmd::Args::parse();
    match cmd::run(args) {
        Ok(status) => ExitCode::from(status),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let mut message = format!("error: {err}");
            for cause in err.chain().skip(1) {
                message.push_str(&format!("\n  caused by: {cause}"));
            }
            eprintln!("{message}");
            let status = err
                .downcast_ref::<citeindex::Error>()
                .map_or(citeindex::EXIT_FAILURE, |e| e.code().exit_status());
            ExitCode::from(status)
        }
    }
}

/// Whether the answer's reader went away (`citeindex search … | head`),
/// which is success.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        let kind = e
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| e.downcast_ref::<serde_json::Error>()?.io_error_kind());
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}
