//! The fuzz targets of `fuzz/` in the normal test run: each on its seed
//! inputs, on every input a fuzzer saved as a crash (`fuzz/artifacts/`),
//! and on a few hundred inputs mutated from the seeds with a fixed seed.
//! The long, coverage-guided runs are `reliability/fuzz.sh`.

#[allow(dead_code, missing_docs)]
#[path = "../fuzz/src/lib.rs"]
mod targets;
mod util;

use std::path::{Path, PathBuf};

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 3] = [
    ("passages", targets::passages),
    ("attribution", targets::attribution),
    ("query", targets::query),
];

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut found = Vec::new();
    for dir in [
        fuzz.join("seeds").join(target),
        fuzz.join("artifacts").join(target),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .path();
            if path.is_file() {
                let bytes = util::read(&path);
                found.push((path, bytes));
            }
        }
    }
    if target == "passages" {
        let page =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/jail-court-solidarity-actions.md");
        found.push((page.clone(), util::read(&page)));
    }
    found.sort();
    found
}

/// Runs `target` on `input`, naming the input if it panics.
fn check(target: &str, run: Target, what: &str, input: &[u8]) {
    if let Err(panic) = std::panic::catch_unwind(|| run(input)) {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!(
            "{target} fails on {what} ({:?}): {message}",
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn every_target_holds_on_its_seeds_and_saved_crashes() {
    for (target, run) in TARGETS {
        let inputs = inputs(target);
        assert!(inputs.len() >= 4, "{target}: seeds missing");
        for (path, bytes) in &inputs {
            check(target, run, &path.display().to_string(), bytes);
        }
    }
}

/// Byte-level mutations of the seeds (flips, cuts, splices, repeats, and
/// the characters the parsers care about), a fixed number per target.
#[test]
fn every_target_holds_on_mutated_seeds() {
    const TOKENS: [&str; 16] = [
        "\"", "“", "”", "‘", "’", "> ", "\n", "\n\n", "---\n", "— ", "-- ", "(", "*", "~2", "<",
        "&#x201C;",
    ];
    let mut rng = util::Rng::new(0x2026_1125);
    let mut next = |n: usize| rng.below(n);
    for (target, run) in TARGETS {
        let seeds = inputs(target);
        for round in 0..150 {
            let mut bytes = seeds[next(seeds.len())].1.clone();
            for _ in 0..1 + next(4) {
                let at = next(bytes.len() + 1);
                match next(5) {
                    0 if !bytes.is_empty() => {
                        let i = at.min(bytes.len() - 1);
                        bytes[i] ^= 1 << next(8);
                    }
                    1 => bytes.truncate(at),
                    2 => {
                        let other = &seeds[next(seeds.len())].1;
                        let from = next(other.len() + 1);
                        bytes.splice(at..at, other[from..].iter().copied().take(200));
                    }
                    3 if at < bytes.len() => {
                        let piece: Vec<u8> =
                            bytes[at..(at + 1 + next(20)).min(bytes.len())].to_vec();
                        for _ in 0..next(50) {
                            bytes.splice(at..at, piece.iter().copied());
                        }
                    }
                    _ => {
                        let token = TOKENS[next(TOKENS.len())].as_bytes();
                        bytes.splice(at..at, token.iter().copied());
                    }
                }
            }
            check(target, run, &format!("mutation {round}"), &bytes);
        }
    }
}
