//! Test harness: a temporary corpus and index, and the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's own corpus, the seed page and its sources registry.
pub fn seed_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// `../shared/corpora`, where the test corpora live.
pub fn shared_corpora() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora")
}

/// A temporary directory holding a corpus and its index.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub corpus: PathBuf,
    pub index: PathBuf,
}

impl Env {
    /// An empty corpus.
    pub fn empty() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus = dir.path().join("corpus");
        let index = dir.path().join("index");
        std::fs::create_dir_all(&corpus).unwrap();
        Env { dir, corpus, index }
    }

    /// A copy of the seed corpus.
    pub fn seed() -> Env {
        let env = Env::empty();
        for entry in std::fs::read_dir(seed_corpus()).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), env.corpus.join(entry.file_name())).unwrap();
        }
        env
    }

    /// A corpus of the given files.
    pub fn with(files: &[(&str, &str)]) -> Env {
        let env = Env::empty();
        for (path, text) in files {
            env.write(path, text.as_bytes());
        }
        env
    }

    /// Writes a corpus file.
    pub fn write(&self, path: &str, bytes: &[u8]) {
        let path = self.corpus.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// The binary, pointed at this corpus and index.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_citeindex"));
        cmd.arg("--corpus")
            .arg(&self.corpus)
            .arg("--index")
            .arg(&self.index);
        cmd.args(args);
        cmd.env_remove("CITEINDEX_CRASH_BEFORE_COMMIT");
        cmd
    }

    /// Runs the binary.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = self.command(args).output().expect("run citeindex");
        Run { output }
    }

    /// Runs the binary and parses its JSON output; it must succeed.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = args.to_vec();
        all.push("--json");
        let run = self.run(&all);
        assert!(
            run.code() == 0 || run.code() == 1,
            "{args:?} failed:\n{}",
            run.stderr()
        );
        serde_json::from_str(&run.stdout())
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", run.stdout()))
    }
}

/// A finished run of the binary.
pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    /// Asserts the exit code, showing both streams when it differs.
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code(),
            code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
}

/// Ids of the hits of a search's JSON.
pub fn hit_ids(results: &serde_json::Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}
