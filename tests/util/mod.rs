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

/// The file or folder `name` of `../shared/corpora`, for the test that
/// checks `what`. When it is not there, as on a fresh clone with nothing
/// beside it, the test is skipped with a line that says so; with
/// `CITEINDEX_CORPORA=required` (as in `.ci/run`) the test fails instead,
/// naming the path.
pub fn shared_corpus(name: &str, what: &str) -> Option<PathBuf> {
    let path = shared_corpora().join(name);
    if path.exists() {
        return Some(path);
    }
    skip(
        "CITEINDEX_CORPORA",
        what,
        &format!(
            "{} is not there (the shared corpora sit beside the repository, in ../shared/corpora)",
            path.display()
        ),
    );
    None
}

/// Says that the test of `what` is skipped because of `missing`, in one
/// line written past the test harness's capture (so that a passing run
/// shows it); when the environment variable `required_by` is `required`
/// (as `.ci/run` sets it), fails the test instead.
pub fn skip(required_by: &str, what: &str, missing: &str) {
    let required = std::env::var(required_by).is_ok_and(|v| v == "required");
    assert!(!required, "{what}: {missing}, and {required_by}=required");
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr().lock(),
        "skipped: {what}: {missing}; set {required_by}=required to fail instead"
    );
}

/// The bytes of `path`; a test that cannot read it fails naming it.
pub fn read(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of `path`; a test that cannot read it fails naming it.
pub fn read_text(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A small deterministic generator (xorshift64): tests that make random
/// input make the same input on every run of the same seed.
pub struct Rng(pub u64);

impl Rng {
    /// A generator from `seed` (0, which xorshift never leaves, is taken as 1).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| (self.next() >> 24) as u8).collect()
    }
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
        let seed = seed_corpus();
        for entry in std::fs::read_dir(&seed).unwrap_or_else(|e| panic!("{}: {e}", seed.display()))
        {
            let from = entry
                .unwrap_or_else(|e| panic!("{}: {e}", seed.display()))
                .path();
            std::fs::copy(&from, env.corpus.join(from.file_name().unwrap()))
                .unwrap_or_else(|e| panic!("{}: {e}", from.display()));
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
        serde_json::from_str(&run.stdout()).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}):\n{}\nstderr:\n{}",
                run.stdout(),
                run.stderr()
            )
        })
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

/// The highlighted fragments of a hit's snippet, in order.
pub fn highlighted(hit: &serde_json::Value) -> Vec<&str> {
    hit["snippet"]
        .as_array()
        .expect("snippet")
        .iter()
        .filter(|f| f["highlighted"] == true)
        .map(|f| f["text"].as_str().unwrap())
        .collect()
}

/// `citeindex serve` running on a free loopback port; killed when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub base: String,
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    /// Starts the server for `env` with extra arguments, and waits until it listens.
    pub fn start(env: &Env, extra: &[&str]) -> Server {
        use std::io::BufRead;
        let mut args = vec!["serve", "--addr", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        let mut child = env
            .command(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start citeindex serve");
        let stderr = child.stderr.take().unwrap();
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    let addr = rest.split('/').next().unwrap_or("").to_string();
                    let _ = tx.send(addr);
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let addr = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap_or_else(|_| {
                panic!(
                    "the server did not say where it listens:\n{}",
                    log.lock().unwrap()
                )
            });
        Server {
            child,
            base: format!("http://{addr}"),
            log,
        }
    }

    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// What the server wrote to stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn terminate(mut self) -> (std::process::ExitStatus, String) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        assert!(sent.success());
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                started.elapsed().as_secs() < 30,
                "the server did not stop on SIGTERM"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        std::thread::sleep(std::time::Duration::from_millis(100));
        (status, self.log())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A GET on a real socket: status and body (errors are answers too).
pub fn get(url: &str) -> (u16, String) {
    try_get(url).unwrap_or_else(|e| panic!("GET {url}: {e}"))
}

/// A GET that reports a broken connection instead of panicking.
pub fn try_get(url: &str) -> Result<(u16, String), ureq::Error> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(30)))
        .build()
        .into();
    let mut response = agent.get(url).call()?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string()?;
    Ok((status, body))
}

/// A PDF whose pages hold the given paragraphs, written from scratch: one
/// text object per page in Helvetica with WinAnsi encoding (curly quotes,
/// dashes and accented Latin letters are kept), a blank line between
/// paragraphs, long paragraphs wrapped.
pub fn pdf(pages: &[&[&str]]) -> Vec<u8> {
    pdf_with_info(pages, None)
}

/// The same PDF with an info dictionary whose entries are `info`, written
/// as PDF (`/Title (A Handbook) /Author (A Collective)`).
pub fn pdf_with_info(pages: &[&[&str]], info: Option<&str>) -> Vec<u8> {
    fn win_ansi(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for c in text.chars() {
            let byte = match c {
                '‘' => 0x91,
                '’' => 0x92,
                '“' => 0x93,
                '”' => 0x94,
                '–' => 0x96,
                '—' => 0x97,
                c if (c as u32) < 0x100 => c as u32 as u8,
                _ => b'?',
            };
            if matches!(byte, b'(' | b')' | b'\\') {
                out.push(b'\\');
            }
            out.push(byte);
        }
        out
    }
    fn wrap(paragraph: &str) -> Vec<String> {
        let mut lines = vec![String::new()];
        for word in paragraph.split_whitespace() {
            let line = lines.last_mut().unwrap();
            if !line.is_empty() && line.len() + word.len() > 80 {
                lines.push(word.to_string());
            } else {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
            }
        }
        lines
    }
    let mut objects: Vec<Vec<u8>> = Vec::new();
    // 1: catalog, 2: pages, 3: font, then a page and its content each.
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 4 + 2 * i))
        .collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .into_bytes(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    for (i, paragraphs) in pages.iter().enumerate() {
        let mut content = b"BT /F1 11 Tf 14 TL 72 740 Td\n".to_vec();
        for paragraph in paragraphs.iter() {
            for line in wrap(paragraph) {
                content.push(b'(');
                content.extend(win_ansi(&line));
                content.extend(b") Tj T*\n");
            }
            content.extend(b"T*\n");
        }
        content.extend(b"ET");
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            )
            .into_bytes(),
        );
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend(content);
        stream.extend(b"\nendstream");
        objects.push(stream);
    }
    let info_ref = info.map(|entries| {
        objects.push(format!("<< {entries} >>").into_bytes());
        format!(" /Info {} 0 R", objects.len())
    });
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).into_bytes());
        out.extend(object);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R{} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1,
            info_ref.unwrap_or_default()
        )
        .into_bytes(),
    );
    out
}

/// Percent-encodes every byte but the unreserved ones, for a query string
/// or a path segment.
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What is wrong with `instance` by `schema` (JSON Schema 2020-12), whose
/// references resolve in `definitions` (an OpenAPI document, or a schema's
/// own `$defs`): one line each, empty when it fits.
pub fn schema_errors(
    definitions: &serde_json::Value,
    schema: &serde_json::Value,
    instance: &serde_json::Value,
) -> Vec<String> {
    let mut root = definitions.clone();
    root["$schema"] = "https://json-schema.org/draft/2020-12/schema".into();
    for (key, value) in schema.as_object().expect("a schema is an object") {
        root[key] = value.clone();
    }
    let validator =
        jsonschema::validator_for(&root).unwrap_or_else(|e| panic!("a bad schema: {e}"));
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect()
}

/// A `.tar.zst` archive of the shared corpora, opened for reading.
pub fn open_tar(
    archive: &std::path::Path,
) -> tar::Archive<
    ruzstd::decoding::StreamingDecoder<
        std::io::BufReader<std::fs::File>,
        ruzstd::decoding::FrameDecoder,
    >,
> {
    let file =
        std::fs::File::open(archive).unwrap_or_else(|e| panic!("{}: {e}", archive.display()));
    let decoder = ruzstd::decoding::StreamingDecoder::new(std::io::BufReader::new(file))
        .unwrap_or_else(|e| panic!("{}: {e}", archive.display()));
    tar::Archive::new(decoder)
}

/// Unpacks a `.tar.zst` archive of the shared corpora into `into`.
pub fn unpack(archive: &std::path::Path, into: &std::path::Path) {
    open_tar(archive)
        .unpack(into)
        .unwrap_or_else(|e| panic!("{} into {}: {e}", archive.display(), into.display()));
}
