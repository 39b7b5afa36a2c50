//! Hostile input (issue 7): a corpus of broken, huge, binary, deeply nested
//! and unreadable files, and queries built to break the parser, the paging
//! and the URL handling, sent through the real binary and the real server.
//! Nothing may panic, crash or hang; bad input is named and refused.

mod util;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{Env, Server};

/// Words that stand in one corpus file each, so a hit names its file.
const GOOD_ONE: &str = "zebrafinch";
const GOOD_TWO: &str = "quokkaberry";
const NESTED_LIST: &str = "listdweller";
const NESTED_QUOTE: &str = "quotedweller";
const UNBALANCED: &str = "halfquoted";
const HTML: &str = "heliotrope";
const HUGE: &str = "xylophonist";
const HUGE_FRONT: &str = "frontweight";
const UNREADABLE: &str = "lockedaway";

/// Random bytes, the same on every run, for the binary file.
fn random_bytes(n: usize, seed: u64) -> Vec<u8> {
    util::Rng::new(seed).bytes(n)
}

/// One paragraph of `bytes` bytes of words, with `word` near its end.
fn huge_paragraph(bytes: usize, word: &str) -> Vec<u8> {
    let filler = b"solidarity grows where people share bail funds and rides home ";
    let mut out = Vec::with_capacity(bytes + 64);
    while out.len() + filler.len() < bytes - 64 {
        out.extend_from_slice(filler);
    }
    out.extend_from_slice(word.as_bytes());
    out.extend_from_slice(b" ends the paragraph.\n");
    out
}

/// The page paths the hits of `search WORD` are on, each once.
fn pages_for(env: &Env, word: &str) -> Vec<String> {
    let run = env.run(&["search", word, "--limit", "3", "--json"]);
    assert_eq!(
        run.code(),
        0,
        "search {word}: stdout:\n{}\nstderr:\n{}",
        run.stdout(),
        run.stderr()
    );
    let results: Value = serde_json::from_str(&run.stdout()).expect("search JSON");
    let mut pages: Vec<String> = results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["page"]["path"].as_str().unwrap().to_string())
        .collect();
    pages.dedup();
    pages
}

#[test]
fn a_hostile_corpus_is_indexed_and_each_bad_file_is_named_with_its_line() {
    let env = Env::with(&[
        (
            "good-one.md",
            &format!("---\ntitle: Good One\n---\nMutual aid keeps {GOOD_ONE} networks alive.\n"),
        ),
        (
            "good-two.md",
            &format!("+++\ntitle = \"Good Two\"\n+++\nBail funds grow {GOOD_TWO} solidarity.\n"),
        ),
        // Malformed front matter, YAML and TOML.
        (
            "bad-yaml.md",
            "---\ntitle: Bad\nauthor: [unclosed\n---\nbody text\n",
        ),
        (
            "bad-toml.md",
            "+++\ntitle = \"Bad\"\nauthor = \"never closed\nyear = 2001\n+++\nbody text\n",
        ),
        // Nesting and alias bombs in front matter.
        (
            "deep-yaml.md",
            &format!(
                "---\ntitle: Deep\nx: {}{}\n---\nbody text\n",
                "[".repeat(5000),
                "]".repeat(5000)
            ),
        ),
        (
            "deep-toml.md",
            &format!(
                "+++\ntitle = \"Deep\"\nx = {}{}\n+++\nbody text\n",
                "[".repeat(5000),
                "]".repeat(5000)
            ),
        ),
        (
            "yaml-bomb.md",
            "---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
             c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
             e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n\
             g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n\
             i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n---\nbody text\n",
        ),
        // Legitimate, if unkind, pages.
        (
            "nested-lists.md",
            &format!("{}{NESTED_LIST} at the bottom\n", "- ".repeat(5000)),
        ),
        (
            "nested-quotes.md",
            &format!("{}{NESTED_QUOTE} at the bottom\n", "> ".repeat(5000)),
        ),
        (
            "unbalanced.md",
            &format!(
                "He said “never closed, and \"another, and ‘single, and « guillemet {UNBALANCED}.\n\n\
                 Then ” closing ’ marks » with \" nothing open.\n"
            ),
        ),
        (
            "html.md",
            &format!(
                "<script>alert('{HTML}')</script>\n\nText with <b>bold</b> and \
                 <img src=x onerror=alert(1)> {HTML} inline.\n"
            ),
        ),
        ("empty.md", ""),
    ]);
    // About 1 MB of front matter: a long list of plain strings.
    let mut front = String::from("---\ntitle: Heavy\ntags:\n");
    while front.len() < 1_000_000 {
        front.push_str("  - \"a tag that says nothing at all, repeated for weight\"\n");
    }
    front.push_str(&format!("---\nA {HUGE_FRONT} page under its load.\n"));
    env.write("huge-front.md", front.as_bytes());
    // Invalid UTF-8 on line 3.
    env.write("latin1.md", b"first line\nsecond line\ncaf\xe9 au lait\n");
    // Random bytes with NULs, named .md.
    let mut binary = b"just text at first\n".to_vec();
    binary.extend(random_bytes(64 * 1024, 0x9e37_79b9_7f4a_7c15));
    binary[40] = 0;
    env.write("binary.md", &binary);
    // 50 MB in one paragraph, made here and never committed.
    env.write("huge.md", &huge_paragraph(50 * 1024 * 1024, HUGE));

    let mut expected_skips = vec![
        "bad-yaml.md:4:",
        "bad-toml.md:3:",
        "latin1.md:3:",
        "binary.md:2:",
        "deep-yaml.md:",
        "deep-toml.md:",
        // Refused by serde_norway's repetition limit: 10^9 nodes otherwise.
        "yaml-bomb.md:2:",
    ];
    #[cfg(unix)]
    {
        // A directory that contains itself, and two links to each other.
        std::os::unix::fs::symlink(".", env.corpus.join("loop")).unwrap();
        std::os::unix::fs::symlink("ping.md", env.corpus.join("pong.md")).unwrap();
        std::os::unix::fs::symlink("pong.md", env.corpus.join("ping.md")).unwrap();
        expected_skips.push("loop:1:");
        expected_skips.push("ping.md:1:");
        expected_skips.push("pong.md:1:");
        // A link to a page that is gone: unreadable even to root, so the
        // branch for files that cannot be read runs here too.
        std::os::unix::fs::symlink("deleted.md", env.corpus.join("gone.md")).unwrap();
        expected_skips.push("gone.md:1:");
    }
    // Unreadable. As root, chmod 000 does not stop reading: then the page
    // must be indexed like any other, which is checked instead.
    env.write(
        "unreadable.md",
        format!("Text nobody may read: {UNREADABLE}.\n").as_bytes(),
    );
    let unreadable = env.corpus.join("unreadable.md");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let privileged = std::fs::read(&unreadable).is_ok();
    if !privileged {
        expected_skips.push("unreadable.md:1:");
    }

    let started = Instant::now();
    let run = env.run(&["index"]);
    let took = started.elapsed();
    eprintln!("hostile corpus indexed in {:.1} s", took.as_secs_f64());
    let (out, err) = (run.stdout(), run.stderr());
    assert!(!err.contains("panicked"), "a panic:\n{err}");
    assert_eq!(
        run.code(),
        2,
        "skipped files exit with status 2\nstdout:\n{out}\nstderr:\n{err}"
    );
    assert!(
        took < Duration::from_secs(120),
        "indexing the hostile corpus took {took:?}"
    );
    for expected in &expected_skips {
        assert!(
            err.lines()
                .any(|l| l.starts_with(&format!("citeindex: skipped {expected}"))),
            "`{expected}` is not reported with its path and line:\n{err}"
        );
    }
    // Every reported problem carries `path:LINE:`.
    for line in err.lines().filter(|l| l.contains("skipped")) {
        let rest = line.trim_start_matches("citeindex: skipped ");
        let mut parts = rest.splitn(3, ':');
        let (path, number) = (parts.next().unwrap(), parts.next().unwrap_or(""));
        assert!(
            !path.is_empty() && number.parse::<usize>().is_ok_and(|n| n >= 1),
            "not `path:LINE:`: {line}"
        );
    }
    let skipped = err.lines().filter(|l| l.contains("skipped")).count();
    assert_eq!(
        skipped,
        expected_skips.len(),
        "other files were skipped too (the YAML bomb, the empty page or the legitimate ones?):\n{err}"
    );
    assert!(
        out.contains(&format!("{skipped} skipped")),
        "the summary counts the skipped files: {out}"
    );

    // What can be indexed is, and is found.
    for (word, page) in [
        (GOOD_ONE, "good-one.md"),
        (GOOD_TWO, "good-two.md"),
        (NESTED_LIST, "nested-lists.md"),
        (NESTED_QUOTE, "nested-quotes.md"),
        (UNBALANCED, "unbalanced.md"),
        (HTML, "html.md"),
        (HUGE_FRONT, "huge-front.md"),
    ] {
        assert_eq!(pages_for(&env, word), [page], "searching {word}");
    }
    // The 50 MB paragraph's word is found, in that page. Its hit is not
    // made: a hit highlights its whole passage, some 20 s for 50 MB in a
    // debug build, so the count is read past the last hit.
    let huge = env.json(&[
        "search",
        &format!("{HUGE} page:huge.md"),
        "--offset",
        "1",
        "--limit",
        "1",
    ]);
    assert_eq!(huge["total"], 1, "the 50 MB paragraph is not found: {huge}");
    assert_eq!(
        env.json(&["search", HUGE, "--offset", "1", "--limit", "1"])["total"],
        1
    );
    let locked = pages_for(&env, UNREADABLE);
    if privileged {
        assert_eq!(
            locked,
            ["unreadable.md"],
            "running as a privileged user, chmod 000 did not stop reading: the file must be indexed"
        );
    } else {
        assert!(locked.is_empty(), "an unreadable file was indexed");
    }
    // HTML and script come back as text, not dropped.
    let run = env.run(&["search", HTML, "--json"]).expect(0);
    let results: Value = serde_json::from_str(&run.stdout()).unwrap();
    let texts: Vec<&str> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["text"].as_str().unwrap())
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains(&format!("<script>alert('{HTML}')</script>"))),
        "the script is not kept as text: {texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("<b>bold</b>") && t.contains("<img src=x onerror=alert(1)>")),
        "inline HTML is not kept as text: {texts:?}"
    );

    // A second run reprocesses nothing and still names the bad files.
    let again = env.run(&["index"]);
    assert_eq!(again.code(), 2, "{}", again.stderr());
    assert!(
        again.stdout().contains("0 processed"),
        "unchanged files were reprocessed: {}",
        again.stdout()
    );
    assert!(!again.stderr().contains("panicked"), "{}", again.stderr());

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Let the temporary directory be removed.
        let _ = std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o644));
    }
}

/// A file the user may list but not read: reported with its path and
/// line, and the rest indexed. Root reads anything, so under root the
/// binary runs as `nobody` (uid 65534, by util-linux's `setpriv`), from a
/// copy in the temporary directory, on a corpus it can reach and an index
/// it owns.
#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_read_is_reported_and_the_rest_indexed() {
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;
    let env = Env::with(&[
        ("good.md", "Readable words: quillwort.\n"),
        ("locked.md", "Words nobody may read: bladderwort.\n"),
    ]);
    let locked = env.corpus.join("locked.md");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let uid = Command::new("id").arg("-u").output().unwrap().stdout;
    let as_root = String::from_utf8_lossy(&uid).trim() == "0";
    let binary = env.dir.path().join("citeindex");
    if as_root {
        std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_citeindex"), &binary).unwrap();
        std::fs::create_dir(&env.index).unwrap();
        std::os::unix::fs::chown(&env.index, Some(65534), Some(65534)).unwrap();
    }
    let run = |args: &[&str]| {
        let command = env.command(args);
        let mut command = if as_root {
            let mut nobody = Command::new("setpriv");
            nobody
                .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
                .arg(&binary)
                .args(command.get_args());
            nobody
        } else {
            command
        };
        let out = command.output().expect("run citeindex (as root: setpriv)");
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.code(), text(&out.stdout), text(&out.stderr))
    };
    let (code, out, err) = run(&["index"]);
    assert_eq!(code, Some(2), "stdout:\n{out}\nstderr:\n{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("citeindex: skipped locked.md:1: cannot be read")),
        "the locked file is not reported with its path and line:\n{err}"
    );
    assert!(out.contains("1 page") && out.contains("1 skipped"), "{out}");
    let total = |word: &str| {
        let (code, out, err) = run(&["search", word, "--json"]);
        assert!(matches!(code, Some(0 | 1)), "{err}");
        serde_json::from_str::<Value>(&out).unwrap()["total"].clone()
    };
    assert_eq!(total("quillwort"), 1, "the readable page is not indexed");
    assert_eq!(total("bladderwort"), 0, "the locked page was indexed");
    // Let the temporary directory be removed.
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
}

/// A corpus small enough to index in a moment, with words to find.
fn small_env() -> Env {
    Env::with(&[
        (
            "good-one.md",
            &format!(
                "---\ntitle: Good One\n---\nMutual aid keeps {GOOD_ONE} networks alive. \
                 Solidarity is “the tenderness of the peoples” 🦀.\n\n\
                 Second paragraph: sharing bail funds and rides home.\n"
            ),
        ),
        (
            "good-two.md",
            &format!("+++\ntitle = \"Good Two\"\n+++\nBail funds grow {GOOD_TWO} solidarity.\n"),
        ),
    ])
}

/// What a hostile query should get.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// A 200 and exit status 0: the query is fine, if odd.
    Fine,
    /// A 4xx and exit status 2.
    Refused,
}

/// Queries meant to break the parser, with what each must get. Each is
/// sent to `citeindex search` and to `/api/search` as it stands.
fn hostile_queries() -> Vec<(&'static str, String, Expect)> {
    use Expect::*;
    let nest = |depth: usize| format!("{}aid{}", "(".repeat(depth), ")".repeat(depth));
    vec![
        // Syntax errors and unbalanced marks.
        ("unbalanced quote", "\"mutual aid".into(), Refused),
        ("unbalanced curly quote", "“mutual aid".into(), Refused),
        ("unbalanced paren", "(mutual aid".into(), Refused),
        ("closing paren", "mutual aid)".into(), Refused),
        ("dangling AND", "aid AND".into(), Refused),
        ("dangling OR", "OR".into(), Refused),
        ("lone quote", "\"".into(), Refused),
        ("unclosed range", "year:[1700 TO".into(), Refused),
        ("unknown field", "nosuchfield:aid".into(), Refused),
        ("only exclusions", "-aid".into(), Refused),
        ("empty", "   ".into(), Refused),
        ("backslash", "\\".into(), Refused),
        ("colons", "a:b:c".into(), Refused),
        ("empty phrase", "\"\"".into(), Fine),
        ("lone star", "*".into(), Fine),
        ("lone caret", "^".into(), Refused),
        (
            "huge slop",
            "\"mutual aid\"~99999999999999999999".into(),
            Refused,
        ),
        ("huge boost", "aid^1e400".into(), Refused),
        ("negative boost", "aid^-1".into(), Refused),
        ("reversed range", "year:[2000 TO 1000]".into(), Fine),
        (
            "huge range",
            "year:[99999999999999999999 TO *]".into(),
            Refused,
        ),
        ("path in a field", "page:../../etc/passwd".into(), Fine),
        // Size: over the limit, and just under it with the most work.
        ("1 MB", "aid ".repeat(256 * 1024), Refused),
        ("5000 terms", "aid ".repeat(5000), Refused),
        ("10000 parentheses", nest(10000), Refused),
        // As deep as fits in 4096 bytes: it overflowed a server thread's
        // stack in the lenient (typing) parser and aborted the server.
        ("2046 parentheses", nest(2046), Refused),
        ("100 parentheses", nest(100), Fine),
        ("101 parentheses", nest(101), Refused),
        ("4096 open parentheses", "(".repeat(4096), Refused),
        ("4096 closing parentheses", ")".repeat(4096), Refused),
        ("1000 NOTs", format!("{}aid", "NOT ".repeat(1000)), Refused),
        ("4000 signs", format!("{}aid", "+-".repeat(2000)), Refused),
        ("2000 carets", format!("aid{}", "^2".repeat(2000)), Refused),
        (
            "1300 negations",
            format!("aid {}", "-(".repeat(1300)),
            Refused,
        ),
        ("1023 terms", "aid ".repeat(1023), Fine),
        ("580 ORs", format!("{}aid", "aid OR ".repeat(580)), Fine),
        ("1365 prefixes", "s* ".repeat(1365), Fine),
        (
            "a 1020-word phrase",
            format!("\"{}\"", "aid ".repeat(1020)),
            Fine,
        ),
        // Odd Unicode.
        ("RTL override", "\u{202E}aid\u{202C}".into(), Fine),
        (
            "combining marks",
            format!("a{}id", "\u{0301}".repeat(1000)),
            Fine,
        ),
        ("emoji", "🦀".into(), Fine),
        ("family emoji", "👩‍👩‍👧‍👦 aid".into(), Fine),
        ("byte order mark", "\u{FEFF}aid".into(), Fine),
        ("zero width space", "a\u{200B}id".into(), Fine),
        ("fullwidth", "ＡＩＤ".into(), Fine),
    ]
}

/// Checks that an answer's body is `{"error": {"code", "message"}}`.
fn error_shape(status: u16, body: &str, what: &str) -> Result<(), String> {
    let short: String = body.chars().take(300).collect();
    let json: Value = serde_json::from_str(body)
        .map_err(|e| format!("{what}: a {status} that is not JSON ({e}): {short}"))?;
    let error = &json["error"];
    if error["code"].as_str().is_some_and(|c| !c.is_empty())
        && error["message"].as_str().is_some_and(|m| !m.is_empty())
    {
        Ok(())
    } else {
        Err(format!(
            "{what}: not {{\"error\": {{\"code\", \"message\"}}}}: {short}"
        ))
    }
}

#[test]
fn hostile_queries_on_the_command_line_are_refused_with_status_2_never_a_panic() {
    let env = small_env();
    env.run(&["index"]).expect(0);
    let mut slowest = (Duration::ZERO, String::new());
    let mut failures = Vec::new();
    let mut check = |what: &str, args: Vec<std::ffi::OsString>, expect: Expect| {
        let started = Instant::now();
        let output = env
            .command(&[])
            .args(&args)
            .output()
            .expect("run citeindex");
        let took = started.elapsed();
        let code = output.status.code().unwrap_or(-1);
        let err = String::from_utf8_lossy(&output.stderr);
        let first = err
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(300)
            .collect::<String>();
        if err.contains("panicked") || err.contains("overflow") {
            failures.push(format!("{what}: crashed ({code}): {err:.2000}"));
        } else {
            match expect {
                Expect::Fine if code != 0 => {
                    failures.push(format!("{what}: expected 0, got {code}: {first}"));
                }
                Expect::Refused if code != 2 || !err.starts_with("error: ") => {
                    failures.push(format!(
                        "{what}: expected 2 and a message, got {code}: {first}"
                    ));
                }
                _ => {}
            }
        }
        if took > Duration::from_secs(5) {
            failures.push(format!("{what} took {took:?}"));
        }
        if took > slowest.0 {
            slowest = (took, what.to_string());
        }
    };
    let search = |query: &str| -> Vec<std::ffi::OsString> {
        // Linux takes at most 128 KiB in one argument: long queries are
        // given as several, which search joins with spaces.
        let mut args: Vec<std::ffi::OsString> = vec!["search".into(), "--json".into(), "--".into()];
        let mut rest = query;
        while !rest.is_empty() {
            let mut cut = rest.len().min(64 * 1024);
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            args.push(rest[..cut].into());
            rest = &rest[cut..];
        }
        args
    };
    for (what, query, expect) in hostile_queries() {
        check(what, search(&query), expect);
        // The same for the quote look-up, where size is the only limit.
        if query.len() > 64 * 1024 {
            let mut args: Vec<std::ffi::OsString> = vec!["quote".into(), "--".into()];
            args.extend(search(&query).into_iter().skip(3));
            check(&format!("quote {what}"), args, Expect::Refused);
        }
    }
    let args = |list: &[&str]| list.iter().map(Into::into).collect::<Vec<_>>();
    for (what, list) in [
        (
            "huge limit",
            &["search", "aid", "--limit", "99999999999999999999"][..],
        ),
        ("limit over 1000", &["search", "aid", "--limit", "1001"]),
        ("limit 0", &["search", "aid", "--limit", "0"]),
        ("negative offset", &["search", "aid", "--offset", "-1"]),
        (
            "huge offset",
            &["search", "aid", "--offset", "99999999999999999999"],
        ),
        (
            "offset over 100000",
            &["search", "aid", "--offset", "100001"],
        ),
        ("unknown source", &["search", "aid", "--source", "nobody"]),
        ("passage path", &["cite", "../../etc/passwd"]),
        ("passage dots", &["cite", ".."]),
        ("quote of nothing", &["quote", " "]),
    ] {
        check(what, args(list), Expect::Refused);
    }
    check(
        "very long passage id",
        args(&["cite", &"p".repeat(100_000)]),
        Expect::Refused,
    );
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        // A lone surrogate, as bytes: not UTF-8, so not a query.
        let surrogate = std::ffi::OsStr::from_bytes(b"aid \xed\xa0\x80").to_os_string();
        check(
            "lone surrogate",
            vec!["search".into(), surrogate.clone()],
            Expect::Refused,
        );
        check(
            "lone surrogate in a quote",
            vec!["quote".into(), surrogate],
            Expect::Refused,
        );
    }
    eprintln!(
        "slowest CLI query: {} in {:.3} s",
        slowest.1,
        slowest.0.as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A GET of `target` (sent as written, nothing normalised) on a plain
/// socket: the status and the body, or what went wrong.
fn raw_get(base: &str, target: &str) -> Result<(u16, String), String> {
    let addr = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let request = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    // A server may answer and close before reading a huge request whole.
    let _ = stream.write_all(request.as_bytes());
    let mut answer = Vec::new();
    if let Err(e) = stream.read_to_end(&mut answer)
        && answer.is_empty()
    {
        return Err(format!("read: {e}"));
    }
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no HTTP answer: {answer:.200}"))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status: {head}"))?;
    let chunked = head
        .lines()
        .any(|l| l.eq_ignore_ascii_case("transfer-encoding: chunked"));
    let body = if chunked {
        let mut out = String::new();
        let mut rest = body;
        while let Some((size, after)) = rest.split_once("\r\n") {
            let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if size == 0 || after.len() < size {
                break;
            }
            out.push_str(&after[..size]);
            rest = after[size..].trim_start_matches("\r\n");
        }
        out
    } else {
        body.to_string()
    };
    Ok((status, body))
}

#[test]
fn hostile_requests_get_a_json_4xx_in_bounded_time_and_never_a_5xx() {
    let env = small_env();
    env.run(&["index"]).expect(0);
    let server = Server::start(&env, &[]);
    let mut slowest = (Duration::ZERO, String::new());
    let mut answered = 0;
    let mut failures = Vec::new();
    let mut check = |what: &str, target: &str, expect: Expect| {
        let started = Instant::now();
        let answer = raw_get(&server.base, target);
        let took = started.elapsed();
        answered += 1;
        let (status, body) = match answer {
            Ok(answer) => answer,
            Err(e) => {
                failures.push(format!("{what}: no answer ({e})"));
                return;
            }
        };
        let short: String = body.chars().take(300).collect();
        if status >= 500 {
            failures.push(format!("{what}: {status} {short}"));
        } else {
            match expect {
                Expect::Fine => {
                    let json = serde_json::from_str::<Value>(&body);
                    if status != 200 || json.as_ref().map_or(true, |j| j.get("error").is_some()) {
                        failures.push(format!(
                            "{what}: expected a 200 with JSON, got {status} {short}"
                        ));
                    }
                }
                Expect::Refused => {
                    if !(400..500).contains(&status) {
                        failures.push(format!("{what}: expected a 4xx, got {status} {short}"));
                    } else if let Err(message) = error_shape(status, &body, what) {
                        failures.push(message);
                    }
                }
            }
        }
        if took > Duration::from_secs(5) {
            failures.push(format!("{what} took {took:?}"));
        }
        if took > slowest.0 {
            slowest = (took, what.to_string());
        }
    };

    for (what, query, expect) in hostile_queries() {
        // A request line over hyper's buffer is refused before the router
        // sees it (see `over_long_request_lines_are_refused_whole` below).
        if query.len() > 64 * 1024 {
            continue;
        }
        let q = util::url_encode(&query);
        check(what, &format!("/api/search?q={q}"), expect);
        // While typing, what does not parse yet is left out: never a 400
        // for syntax, only for size, emptiness and nesting.
        let too_much = query.len() > 4096 || query.matches('(').count() > 100;
        let typing = if too_much || query.trim().is_empty() {
            Expect::Refused
        } else {
            Expect::Fine
        };
        check(
            &format!("typing {what}"),
            &format!("/api/search?mode=typing&q={q}"),
            typing,
        );
        // A quote look-up reads words, not syntax.
        let quote = if query.len() > 4096 || !query.chars().any(char::is_alphanumeric) {
            Expect::Refused
        } else {
            Expect::Fine
        };
        check(
            &format!("quote {what}"),
            &format!("/api/quote?text={q}"),
            quote,
        );
    }
    for (what, target, expect) in [
        // Paging and parameters.
        (
            "huge limit",
            "/api/search?q=aid&limit=99999999999999999999",
            Expect::Refused,
        ),
        (
            "limit 1001",
            "/api/search?q=aid&limit=1001",
            Expect::Refused,
        ),
        ("limit 0", "/api/search?q=aid&limit=0", Expect::Refused),
        ("empty limit", "/api/search?q=aid&limit=", Expect::Refused),
        (
            "float limit",
            "/api/search?q=aid&limit=1e3",
            Expect::Refused,
        ),
        (
            "negative offset",
            "/api/search?q=aid&offset=-1",
            Expect::Refused,
        ),
        (
            "huge offset",
            "/api/search?q=aid&offset=99999999999999999999",
            Expect::Refused,
        ),
        (
            "offset 100001",
            "/api/search?q=aid&offset=100001",
            Expect::Refused,
        ),
        (
            "largest page",
            "/api/search?q=aid&limit=1000&offset=100000",
            Expect::Fine,
        ),
        (
            "unknown mode",
            "/api/search?q=aid&mode=nope",
            Expect::Refused,
        ),
        (
            "unknown source",
            "/api/search?q=aid&source=nobody",
            Expect::Refused,
        ),
        ("no q", "/api/search", Expect::Refused),
        ("twice q", "/api/search?q=aid&q=bail", Expect::Refused),
        ("bad escape", "/api/search?q=%ZZaid", Expect::Fine),
        (
            "unknown style",
            "/api/quote?text=aid&style=nope",
            Expect::Refused,
        ),
        // Odd bytes.
        ("NUL", "/api/search?q=aid%00", Expect::Fine),
        ("only NUL", "/api/search?q=%00", Expect::Fine),
        // Query strings are decoded as forms are: bytes that are not
        // UTF-8 become U+FFFD, and the query runs.
        ("lone surrogate", "/api/search?q=%ED%A0%80", Expect::Fine),
        (
            "lone surrogate typing",
            "/api/search?mode=typing&q=aid%ED%A0%80",
            Expect::Fine,
        ),
        ("invalid UTF-8", "/api/search?q=caf%E9", Expect::Fine),
        (
            "lone surrogate quote",
            "/api/quote?text=%ED%A0%80",
            Expect::Refused,
        ),
        (
            "lone surrogate source",
            "/api/search?q=aid&source=%ED%A0%80",
            Expect::Refused,
        ),
        (
            "lone surrogate style",
            "/api/quote?text=aid&style=%ED%A0%80",
            Expect::Refused,
        ),
        // No words to look up.
        (
            "emoji quote",
            "/api/quote?text=%F0%9F%A6%80",
            Expect::Refused,
        ),
        (
            "emoji and a word quote",
            "/api/quote?text=%F0%9F%A6%80%20aid",
            Expect::Fine,
        ),
        // Passage ids.
        (
            "a real passage",
            "/api/passages/good-one%23p1",
            Expect::Fine,
        ),
        (
            "encoded traversal",
            "/api/passages/..%2F..%2Fetc%2Fpasswd",
            Expect::Refused,
        ),
        (
            "raw traversal",
            "/api/passages/../../etc/passwd",
            Expect::Refused,
        ),
        ("encoded dots", "/api/passages/%2e%2e", Expect::Refused),
        ("encoded dot", "/api/passages/%2e", Expect::Refused),
        ("no id", "/api/passages/", Expect::Refused),
        ("NUL id", "/api/passages/%00", Expect::Refused),
        ("surrogate id", "/api/passages/%ED%A0%80", Expect::Refused),
        ("invalid UTF-8 id", "/api/passages/caf%E9", Expect::Refused),
        ("bad escape id", "/api/passages/%ZZ", Expect::Refused),
        (
            "bad style",
            "/api/passages/good-one%23p1?style=%ED%A0%80",
            Expect::Refused,
        ),
        ("elsewhere", "/../../etc/passwd", Expect::Refused),
        (
            "encoded elsewhere",
            "/api/%2e%2e/%2e%2e/etc/passwd",
            Expect::Refused,
        ),
    ] {
        check(what, target, expect);
    }
    let long_id = format!("/api/passages/{}", "p".repeat(60_000));
    check("very long id", &long_id, Expect::Refused);
    let long_query = format!("/api/search?q={}", "a".repeat(60_000));
    check("60 KB query", &long_query, Expect::Refused);

    assert!(
        failures.is_empty(),
        "{}\nserver log:\n{}",
        failures.join("\n"),
        server.log()
    );
    // After the barrage the server still answers.
    let (status, body) = raw_get(&server.base, "/healthz").expect("healthz");
    assert_eq!(status, 200, "{body}");
    let log = server.log();
    assert!(!log.contains("panicked"), "{log}");
    assert!(!log.contains("internal error"), "{log}");
    eprintln!(
        "{answered} hostile requests; slowest: {} in {:.3} s",
        slowest.1,
        slowest.0.as_secs_f64()
    );
}

#[test]
fn over_long_request_lines_are_refused_whole() {
    let env = small_env();
    env.run(&["index"]).expect(0);
    let server = Server::start(&env, &[]);
    for (what, target) in [
        (
            "1 MB query",
            format!(
                "/api/search?q={}",
                util::url_encode(&"aid ".repeat(256 * 1024))
            ),
        ),
        (
            "1 MB passage id",
            format!("/api/passages/{}", "p".repeat(1024 * 1024)),
        ),
    ] {
        let started = Instant::now();
        let answer = raw_get(&server.base, &target);
        let took = started.elapsed();
        assert!(took < Duration::from_secs(5), "{what} took {took:?}");
        // Hyper refuses a request head over its buffer (about 400 KB)
        // before any handler runs: 431 or 414 with an empty body, not the
        // API's JSON. The connection may also be closed under a client
        // still writing, and then there is no answer to read.
        if let Ok((status, body)) = answer {
            eprintln!("{what}: {status} in {:.3} s", took.as_secs_f64());
            assert!(
                status == 431 || status == 414,
                "{what}: {status} {body:.300}"
            );
        }
    }
    let (status, _) = raw_get(&server.base, "/healthz").expect("healthz");
    assert_eq!(status, 200);
    assert!(!server.log().contains("panicked"), "{}", server.log());
}

// --- Hostile corpora, round two (issue 17): each test names what broke.

/// The total of `search WORD`.
fn total(env: &Env, word: &str) -> u64 {
    env.json(&["search", word])["total"].as_u64().unwrap()
}

// Regression: a two-line `.bib` (`@string{a = a}` and an entry using it)
// overflowed the stack and killed the process with status 134, and a
// 650-byte file of doubling macros grew to 4 GB and aborted.
#[test]
fn bibtex_macros_that_refer_to_themselves_or_explode_are_reported_and_skipped() {
    let mut bomb = String::from("@string{s0 = \"xxxxxxxxxxxxxxxxxxxxxxxxx\"}\n");
    for n in 1..=24 {
        bomb.push_str(&format!("@string{{s{n} = s{} # s{}}}\n", n - 1, n - 1));
    }
    bomb.push_str("@book{bomb, title = s24}\n");
    assert!(bomb.len() < 700);
    let env = Env::with(&[
        (
            "loop.bib",
            "@string{a = a}\n@book{x, title = a}\n@book{kept, title = {Kept Work}}\n",
        ),
        ("bomb.bib", &bomb),
        ("page.md", "Bail funds grow: marshwillow.\n"),
    ]);
    let run = env.run(&["index"]).expect(2);
    let err = run.stderr();
    assert!(
        err.contains("loop.bib:1: bad BibTeX: the macro `a` refers to itself"),
        "{err}"
    );
    assert!(err.contains("loop.bib:2:"), "{err}");
    assert!(
        err.contains("bomb.bib:") && err.contains("expands past"),
        "{err}"
    );
    assert_eq!(total(&env, "marshwillow"), 1);
    let sources = env.json(&["sources"]);
    let ids: Vec<&str> = sources
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"kept"), "{ids:?}");
    assert!(!ids.contains(&"x") && !ids.contains(&"bomb"), "{ids:?}");
}

// Regression: `İ` lower-cases to two characters, and attribution sliced
// the original text at offsets found in the lower-cased one: `index`,
// `search` and `serve` exited 101, and before that, quotations went to
// the wrong speaker.
#[test]
fn text_whose_lower_case_is_longer_neither_panics_nor_moves_the_speaker() {
    let env = Env::with(&[(
        "i.md",
        "İİİİİİ İstanbul, according to Ayşe Yıldız, “the ferries run all night.”\n\n\
         İİİİ The following includes excerpts from [İzmir Notes](https://example.org/n), by Deniz Kaya.\n\n\
         > İİ Words of the notes.\n",
    )]);
    env.run(&["index"]).expect(0);
    let found = env.json(&["quote", "the ferries run all night"]);
    assert_eq!(found["status"], "exact", "{found}");
    assert_eq!(
        found["matches"][0]["speaker"]["title"], "Ayşe Yıldız",
        "{found}"
    );
    let excerpt = env.json(&["search", "notes"]);
    let hit = excerpt["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == "blockquote")
        .expect("the blockquote");
    assert_eq!(hit["excerpted_from"]["title"], "İzmir Notes", "{hit}");
}

// Regression: a link in the corpus to /etc/passwd (named `.md`, or under
// `sources/`), a link to a directory outside, and a registry `text:` path
// that is absolute or climbs out were read and served: `q=root` found
// /etc/passwd on the search page.
#[test]
fn nothing_outside_the_corpus_is_read() {
    use std::os::unix::fs::symlink;
    let env = Env::with(&[("page.md", "Inside words: fernbrake.\n")]);
    let outside = env.dir.path().join("outside");
    std::fs::create_dir_all(outside.join("folder")).unwrap();
    std::fs::write(outside.join("secret.md"), "Outside words: hollowgrass.\n").unwrap();
    std::fs::write(
        outside.join("folder/deep.md"),
        "Outside words: hollowgrass.\n",
    )
    .unwrap();
    symlink(outside.join("secret.md"), env.corpus.join("secret.md")).unwrap();
    symlink("/etc/passwd", env.corpus.join("passwd.md")).unwrap();
    std::fs::create_dir_all(env.corpus.join("sources")).unwrap();
    symlink("/etc/passwd", env.corpus.join("sources/passwd.txt")).unwrap();
    symlink(outside.join("folder"), env.corpus.join("folder")).unwrap();
    // A link that stays inside is followed.
    std::fs::create_dir_all(env.corpus.join("real")).unwrap();
    std::fs::write(
        env.corpus.join("real/kept.md"),
        "Linked inside: sedgewarbler.\n",
    )
    .unwrap();
    symlink(env.corpus.join("real"), env.corpus.join("alias")).unwrap();
    env.write(
        "sources.yaml",
        b"sources:\n  - id: abs\n    title: Absolute\n    text: /etc/passwd\n  - id: climb\n    title: Climbing\n    text: ../outside/secret.md\n",
    );
    let run = env.run(&["index"]).expect(2);
    let err = run.stderr();
    for name in ["secret.md", "passwd.md", "sources/passwd.txt", "folder"] {
        assert!(
            err.contains(&format!(
                "skipped {name}:1: is a link that leads outside the corpus"
            )),
            "{name}:\n{err}"
        );
    }
    assert!(
        err.contains("/etc/passwd:1: is not a path inside the corpus"),
        "{err}"
    );
    assert!(
        err.contains("../outside/secret.md:1: is not a path inside the corpus"),
        "{err}"
    );
    assert_eq!(total(&env, "fernbrake"), 1);
    assert_eq!(total(&env, "sedgewarbler"), 2, "inside links are followed");
    assert_eq!(total(&env, "hollowgrass"), 0);
    assert_eq!(total(&env, "root"), 0, "/etc/passwd was indexed");
}

// Regression: `x y.md`, `x-y.md`, `X Y.md` and `x?y.md` all became
// `x-y#p1`, and `b.md`, `b.markdown`, `B.md` all `b#p1`; one page's
// passages were cited with another page's title.
#[test]
fn passage_ids_are_unique_per_corpus_and_stable() {
    let files = [
        ("x y.md", "alderfly"),
        ("x-y.md", "bittercress"),
        ("X Y.md", "coralroot"),
        ("x?y.md", "dropwort"),
        ("b.md", "eyebright"),
        ("b.markdown", "figwort"),
        ("B.md", "gipsywort"),
    ];
    let pages: Vec<(String, String)> = files
        .iter()
        .map(|(path, word)| {
            (
                path.to_string(),
                format!("---\ntitle: Page {word}\n---\nThe word {word}.\n"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = pages
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let env = Env::with(&refs);
    let run = env.run(&["index"]).expect(0);
    assert!(
        run.stderr()
            .contains("warning: x y.md:1: its passages would have the ids"),
        "{}",
        run.stderr()
    );
    let mut ids = std::collections::HashSet::new();
    let mut first = std::collections::HashMap::new();
    for (path, word) in files {
        let found = env.json(&["search", word]);
        let hit = &found["hits"][0];
        assert_eq!(hit["page"]["path"], path, "{found}");
        let id = hit["id"].as_str().unwrap().to_string();
        assert!(ids.insert(id.clone()), "{id} twice");
        let cited = env.json(&["cite", &id]);
        assert!(
            cited["text"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains(&format!("page {word}")),
            "{cited}"
        );
        first.insert(word, id);
    }
    // Another colliding file leaves the ids there are as they were.
    env.write("x_y.md", b"The word hempnettle.\n");
    env.write("X-Y.md", b"The word ivyleaf.\n");
    env.run(&["index"]).expect(0);
    for (_, word) in files {
        assert_eq!(hit_ids_of(&env, word), [first[word].clone()], "{word}");
    }
    assert_eq!(hit_ids_of(&env, "ivyleaf").len(), 1);
    // The file holding the plain slug goes: the next in path order takes it,
    // and is reprocessed so that its passages say so.
    std::fs::remove_file(env.corpus.join("X Y.md")).unwrap();
    env.run(&["index"]).expect(0);
    assert_eq!(hit_ids_of(&env, "ivyleaf"), ["x-y#p1"]);
    assert_ne!(hit_ids_of(&env, "alderfly"), ["x-y#p1"]);
}

fn hit_ids_of(env: &Env, word: &str) -> Vec<String> {
    util::hit_ids(&env.json(&["search", word]))
}

// Regression: a file renamed over another of the same size, with the same
// modification time, was missed by `index` and `--watch`: the old text
// stayed searchable and the new one was lost.
#[test]
fn a_rename_over_a_file_of_the_same_size_and_time_is_seen() {
    let env = Env::with(&[("a.md", "The old word: lanternfly.\n")]);
    env.run(&["index"]).expect(0);
    let path = env.corpus.join("a.md");
    let time = std::fs::metadata(&path).unwrap().modified().unwrap();
    let new = env.corpus.join(".new.md");
    std::fs::write(&new, "The new word: mothmullein\n").unwrap();
    assert_eq!(
        std::fs::metadata(&new).unwrap().len(),
        std::fs::metadata(&path).unwrap().len()
    );
    std::fs::File::options()
        .write(true)
        .open(&new)
        .unwrap()
        .set_modified(time)
        .unwrap();
    std::fs::rename(&new, &path).unwrap();
    let run = env.run(&["index"]).expect(0);
    assert!(run.stdout().contains("1 processed"), "{}", run.stdout());
    assert_eq!(total(&env, "mothmullein"), 1);
    assert_eq!(total(&env, "lanternfly"), 0);
}

// Regression: one bad entry of `sources.yaml` (an unknown kind, a
// duplicate or empty id) dropped every entry of the file.
#[test]
fn one_bad_registry_entry_is_reported_and_the_others_read() {
    let env = Env::with(&[
        (
            "sources.yaml",
            "sources:\n  - id: tenants-union\n    kind: organisation\n    title: Tenants Union\n    aliases: [TU]\n\
             \x20 - id: odd\n    kind: pamphleteer\n  - id: tenants-union\n    title: Again\n  - id: ''\n",
        ),
        (
            "page.md",
            "The TU argues that rent strikes work “when whole buildings act together.”\n",
        ),
    ]);
    let run = env.run(&["index"]).expect(2);
    let err = run.stderr();
    assert!(
        err.contains("sources.yaml:7:") && err.contains("pamphleteer"),
        "{err}"
    );
    assert!(
        err.contains("sources.yaml:8:") && err.contains("line 2"),
        "{err}"
    );
    assert!(err.contains("sources.yaml:10:"), "{err}");
    let found = env.json(&["quote", "when whole buildings act together"]);
    assert_eq!(
        found["matches"][0]["speaker"]["id"], "tenants-union",
        "{found}"
    );
}

// Regression: an API client got `cited.link` as the front matter wrote it
// (`javascript:alert(1)#p2`).
#[test]
fn every_url_handed_out_is_a_web_address() {
    let env = Env::with(&[
        (
            "page.md",
            "---\ntitle: Bad links\nurl: \"javascript:alert(1)\"\nsee:\n  - name: Evil\n    url: \"data:text/html,x\"\n---\nSee [this](javascript:alert(2)) and [that](https://example.org/ok): nettlebed. [Write](mailto:desk@example.org) or [call](tel:+15550100).\n",
        ),
        (
            "sources.yaml",
            "sources:\n  - id: evil\n    kind: article\n    title: Evil Article\n    url: \"vbscript:msgbox\"\n",
        ),
    ]);
    let run = env.run(&["index"]).expect(2);
    let err = run.stderr();
    assert!(
        err.contains("warning: page.md:3: `url: javascript:alert(1)` is not a web address"),
        "{err}"
    );
    assert!(
        err.contains("data:text/html,x") && err.contains("javascript:alert(2)"),
        "{err}"
    );
    assert!(
        err.contains("sources.yaml:1: the url `vbscript:msgbox`"),
        "{err}"
    );
    // An email address or a telephone number is no web address either, but
    // a page carries them every day: dropped without a warning.
    assert!(!err.contains("mailto:") && !err.contains("tel:"), "{err}");
    let found = env.json(&["search", "nettlebed"]);
    let text = found.to_string();
    for scheme in ["javascript:", "data:", "vbscript:", "mailto:", "tel:"] {
        assert!(!text.contains(scheme), "{scheme} handed out: {found}");
    }
    assert_eq!(found["hits"][0]["page"]["url"], "/page/");
    assert_eq!(found["hits"][0]["cited"], Value::Null);
    let all = env.json(&["sources"]).to_string();
    assert!(
        !all.contains("vbscript:") && !all.contains("javascript:"),
        "{all}"
    );
}

// Regression: the text after a `<!--` that never closes was indexed (the
// rest of the page, as one block of HTML), and the lines of a closed
// comment after its first were indexed too.
#[test]
fn an_unclosed_comment_hides_nothing_and_a_closed_one_hides_all_its_lines() {
    let env = Env::with(&[
        (
            "closed.md",
            "Shown: oxlip.\n\n<!-- hidden\npennyroyal\n-->\n\nShown too.\n",
        ),
        (
            "open.md",
            "Shown: quaking.\n\n<!-- never closed\n\n## Later heading\n\nramsons words.\n",
        ),
    ]);
    let run = env.run(&["index"]).expect(0);
    assert!(
        run.stderr()
            .contains("warning: open.md:3: an HTML comment opens here and never closes"),
        "{}",
        run.stderr()
    );
    assert_eq!(total(&env, "pennyroyal"), 0);
    assert_eq!(total(&env, "oxlip"), 1);
    let found = env.json(&["search", "ramsons"]);
    assert_eq!(found["hits"][0]["kind"], "paragraph", "{found}");
    assert_eq!(found["hits"][0]["headings"][0], "Later heading", "{found}");
}

// Regression: a corpus root briefly missing under `--watch` emptied the
// index ("0 pages … 4 removed") while `/healthz` said `ok`.
#[test]
fn a_corpus_root_gone_keeps_the_index_and_says_degraded() {
    let env = Env::with(&[
        ("a.md", "Words: rushwheat.\n"),
        ("b.md", "More words: sallowthorn.\n"),
    ]);
    let server = Server::start(&env, &["--watch"]);
    let search = |word: &str| {
        let (status, body) = util::get(&server.url(&format!("/api/search?q={word}")));
        assert_eq!(status, 200, "{body}");
        serde_json::from_str::<Value>(&body).unwrap()["total"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(search("rushwheat"), 1);
    let away = env.dir.path().join("away");
    std::fs::rename(&env.corpus, &away).unwrap();
    let health = health_until(&server, |h| h["status"] == "degraded");
    assert_eq!(health["status"], "degraded", "{health}\n{}", server.log());
    assert!(
        health["reason"]
            .as_str()
            .unwrap()
            .contains("corpus unreadable, index kept"),
        "{health}"
    );
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(search("rushwheat"), 1, "the index was emptied");
    assert_eq!(search("sallowthorn"), 1);
    std::fs::rename(&away, &env.corpus).unwrap();
    let health = health_until(&server, |h| h["status"] == "ok");
    assert_eq!(health["status"], "ok", "never ok again:\n{}", server.log());
    assert!(
        !server.log().contains("removed") || !server.log().contains("2 removed"),
        "{}",
        server.log()
    );
}

/// `/healthz` for as long as `until` does not hold of it (20 s at most).
fn health_until(server: &Server, until: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, body) = util::get(&server.url("/healthz"));
        let health: Value = serde_json::from_str(&body).unwrap();
        if until(&health) || Instant::now() > deadline {
            return health;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

// An update that fails for another reason than the corpus (here the
// index's own metadata damaged under the server) is `degraded` with the
// reason while the last good view answers, and `ok` once one succeeds.
#[test]
fn an_update_that_fails_says_degraded_and_the_last_good_index_answers() {
    let env = Env::with(&[("a.md", "Words: rushwheat.\n")]);
    let server = Server::start(&env, &["--watch"]);
    let search = |word: &str| {
        let (status, body) = util::get(&server.url(&format!("/api/search?q={word}")));
        assert_eq!(status, 200, "{body}");
        serde_json::from_str::<Value>(&body).unwrap()["total"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(search("rushwheat"), 1);
    let meta = env.index.join("meta.json");
    let good = util::read(&meta);
    std::fs::write(&meta, b"{ this is not the index's metadata").unwrap();
    env.write("b.md", b"New words: sallowthorn.\n");
    let health = health_until(&server, |h| h["status"] == "degraded");
    assert_eq!(health["status"], "degraded", "{health}\n{}", server.log());
    assert!(
        !health["reason"].as_str().unwrap_or("").is_empty(),
        "{health}"
    );
    assert_eq!(search("rushwheat"), 1, "the last good index answers");
    std::fs::write(&meta, &good).unwrap();
    env.write("b.md", b"New words again: sallowthorn.\n");
    let health = health_until(&server, |h| h["status"] == "ok");
    assert_eq!(health["status"], "ok", "{health}\n{}", server.log());
    let deadline = Instant::now() + Duration::from_secs(20);
    while search("sallowthorn") == 0 {
        assert!(
            Instant::now() < deadline,
            "never indexed:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

// A running server survives every hostile file dropped into its corpus.
#[test]
fn hostile_files_dropped_under_watch_leave_the_server_answering() {
    let env = Env::with(&[("page.md", "Steady words: tansyleaf.\n")]);
    let server = Server::start(&env, &["--watch"]);
    env.write("loop.bib", b"@string{a = a}\n@book{x, title = a}\n");
    env.write(
        "i.md",
        "İİİİ According to Ayşe, “words İ here.”\n".as_bytes(),
    );
    env.write(
        "sources/deep.html",
        format!(
            "<html><body>{}deep text{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        )
        .as_bytes(),
    );
    std::os::unix::fs::symlink("/etc/passwd", env.corpus.join("evil.md")).unwrap();
    env.write("after.md", b"Indexed after the others: wintercress.\n");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (status, body) = util::get(&server.url("/api/search?q=wintercress"));
        assert_eq!(status, 200, "{body}\n{}", server.log());
        if serde_json::from_str::<Value>(&body).unwrap()["total"] == 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "never indexed:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let (status, body) = util::get(&server.url("/api/search?q=tansyleaf"));
    assert_eq!(status, 200, "{body}");
    let (_, body) = util::get(&server.url("/api/search?q=root"));
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["total"], 0);
    let (_, body) = util::get(&server.url("/api/search?q=deep"));
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["total"],
        1,
        "{body}"
    );
}

/// The ids of the sources the index holds.
fn source_ids(env: &Env) -> Vec<String> {
    env.json(&["sources"])
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

// Regression: `@book{a, crossref = {a}}` overflowed the stack in biblatex
// (exit 134), as did two `xdata` entries naming each other; and
// `@string{a = "{" # a}` got past the macro check, because the `{` in its
// quotes made the check read the rest of the file as one value.
#[test]
fn bibtex_entries_that_inherit_from_themselves_or_never_close_are_reported_and_skipped() {
    let env = Env::with(&[
        (
            "refs.bib",
            "@book{parent, title = {The Parent Book}, year = {1901}}\n\
             @inbook{child, crossref = {parent}, title = {A Chapter}}\n\
             @book{a, crossref = {a}, title = {A}}\n\
             @xdata{x1, xdata = {x2}}\n\
             @xdata{x2, xdata = {x1}}\n",
        ),
        (
            "open.bib",
            "@string{a = \"{\" # a}\n@book{y, title = a}\n@book{kept, title = {Kept Work}}\n",
        ),
        ("page.md", "Bail funds grow: marshmallow.\n"),
    ]);
    let run = env.run(&["index"]).expect(2);
    let err = run.stderr();
    assert!(
        err.contains(
            "refs.bib:3: bad BibTeX: this @book entry inherits from itself through crossref or xdata (`a` → `a`); it is skipped"
        ),
        "{err}"
    );
    assert!(
        err.contains("refs.bib:4:") && err.contains("refs.bib:5:"),
        "{err}"
    );
    assert!(
        err.contains("open.bib:1: bad BibTeX: the macro `a` never closes"),
        "{err}"
    );
    assert_eq!(total(&env, "marshmallow"), 1);
    let ids = source_ids(&env);
    for id in ["parent", "child", "kept"] {
        assert!(ids.iter().any(|i| i == id), "{id} missing: {ids:?}");
    }
    for id in ["a", "x1", "x2"] {
        assert!(!ids.iter().any(|i| i == id), "{id} kept: {ids:?}");
    }
    // Inheritance that is fine still works: the chapter is in its book.
    let sources = env.json(&["sources"]);
    let child = sources
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "child")
        .unwrap();
    assert_eq!(child["container"], "The Parent Book", "{child}");
}

// Regression: front matter `x: [[[…]]]` took 2.0, 7.6 and 29.9 s at 25,000,
// 50,000 and 100,000 levels before the YAML parser refused it ("recursion
// limit exceeded"), and `sources.yaml` the same. The message is the
// pre-pass's own, so the parser was never given the text.
#[test]
fn yaml_flow_nesting_past_the_bound_is_refused_before_it_is_parsed() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let env = Env::with(&[
        (
            "deep.md",
            &format!("---\ntitle: Deep\nx: {deep}\n---\nBody words: fumitory.\n"),
        ),
        (
            "sources.yaml",
            &format!("sources:\n  - id: s\n    title: {deep}\n"),
        ),
        ("page.md", "Bail funds grow: moonwort.\n"),
    ]);
    let run = env.run(&["index"]).expect(2);
    let err = run.stderr();
    assert!(
        err.contains(
            "deep.md:3: bad YAML front matter: its flow collections (`[` and `{`) nest deeper than 128"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "sources.yaml:3: bad sources registry: its flow collections (`[` and `{`) nest deeper than 128"
        ),
        "{err}"
    );
    assert!(!err.contains("recursion limit"), "{err}");
    assert_eq!(total(&env, "moonwort"), 1);
}

// Regression: a `<!--` left open inside a blockquote hid the rest of the
// quote and every later HTML block of the page, without a warning; and
// `<!-->`, a whole empty comment, was read as one that never closes.
#[test]
fn a_comment_open_at_the_end_of_its_block_and_an_empty_comment_hide_nothing_after_them() {
    let env = Env::with(&[
        (
            "quote.md",
            "> <!-- in quote never closed\n> quoted sorrel\n\nPara lovage.\n\n<div>div hyssop words</div>\n",
        ),
        (
            "empty.md",
            "<!-->\n\nPara burnet.\n\n<div>div chervil</div>\n\n<p>para tarragon</p>\n\n<!--->\n\n<p>para sweetcicely</p>\n",
        ),
    ]);
    let run = env.run(&["index"]).expect(0);
    assert!(
        run.stderr().contains(
            "warning: quote.md:1: an HTML comment opens here and never closes in its block"
        ),
        "{}",
        run.stderr()
    );
    assert!(!run.stderr().contains("empty.md"), "{}", run.stderr());
    for word in [
        "sorrel",
        "lovage",
        "hyssop",
        "burnet",
        "chervil",
        "tarragon",
        "sweetcicely",
    ] {
        assert_eq!(total(&env, word), 1, "{word} not found");
    }
}
