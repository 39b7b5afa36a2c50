//! The search page and the widget in a real headless Chromium, driven over
//! WebDriver (Debian's `chromium` and `chromium-driver`): type a query, see
//! the highlighted phrase and who said it, move with the keyboard, copy a
//! citation, and see hostile corpus text shown as text. Screenshots go to
//! `target/browser/`.
//!
//! Without chromedriver on the machine the test says so and passes, unless
//! `CITEINDEX_BROWSER_TEST=required` (as `.ci/run` sets) makes it fail.

mod util;

#[path = "browser/check_view.rs"]
mod check_view;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};
use util::{Env, Server};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A page whose text tries to run script three ways.
const HOSTILE: &str = r#"---
title: "Hostile <script>window.__pwned = 1</script> page"
---
# Notes on <img src=x onerror="window.__pwned=2">

A paragraph about zeppelins with <script>window.__pwned=3</script> and <img src=x onerror="window.__pwned=4"> inline, and a [link](javascript:window.__pwned=5).

<div onmouseover="window.__pwned=6">zeppelins in a raw HTML block</div>
"#;

struct Driver {
    child: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
}

impl Driver {
    fn start(chromedriver: &str) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while agent.get(&format!("{base}/status")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut driver = Driver {
            child,
            base,
            session: String::new(),
            agent,
        };
        let chromium = [
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome",
        ]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("a Chromium binary");
        let session = driver.send(
            "POST",
            "/session",
            json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": chromium,
                    "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--window-size=1100,1400", "--lang=en-US"]
                }
            }}}),
        );
        driver.session = session["sessionId"]
            .as_str()
            .expect("a session")
            .to_string();
        driver
    }

    fn send(&self, method: &str, path: &str, body: Value) -> Value {
        let url = if path == "/session" {
            format!("{}{path}", self.base)
        } else {
            format!("{}/session/{}{path}", self.base, self.session)
        };
        let mut response = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self
                .agent
                .post(&url)
                .header("content-type", "application/json")
                .send(body.to_string()),
        }
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status();
        let answer: Value =
            serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {answer}");
        answer["value"].clone()
    }

    fn go(&self, url: &str) {
        self.send("POST", "/url", json!({ "url": url }));
    }

    fn run(&self, script: &str, args: Value) -> Value {
        self.send(
            "POST",
            "/execute/sync",
            json!({ "script": script, "args": args }),
        )
    }

    /// Runs `script` until it returns something other than null or false.
    fn wait(&self, what: &str, script: &str) -> Value {
        let started = Instant::now();
        loop {
            let value = self.run(script, json!([]));
            if !value.is_null() && value != Value::Bool(false) {
                return value;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "waited 20 s for {what}; the page shows: {}",
                self.run("return document.body.innerText", json!([]))
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn element(&self, css: &str) -> String {
        let found = self.send(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        );
        found[ELEMENT].as_str().unwrap().to_string()
    }

    fn type_into(&self, element: &str, text: &str) {
        self.send(
            "POST",
            &format!("/element/{element}/value"),
            json!({ "text": text }),
        );
    }

    /// Presses `keys` (WebDriver key codes) on whatever has the focus, as
    /// a person would: each down in order, then each up in reverse.
    fn press(&self, keys: &[&str]) {
        let mut actions: Vec<Value> = keys
            .iter()
            .map(|k| json!({"type": "keyDown", "value": k}))
            .collect();
        actions.extend(
            keys.iter()
                .rev()
                .map(|k| json!({"type": "keyUp", "value": k})),
        );
        self.send(
            "POST",
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        );
        self.send("DELETE", "/actions", json!(null));
    }

    fn click(&self, element: &str) {
        self.send("POST", &format!("/element/{element}/click"), json!({}));
    }

    fn screenshot(&self, name: &str) -> std::path::PathBuf {
        let png = self.send("GET", "/screenshot", Value::Null);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap();
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("../browser");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self
                .agent
                .delete(&format!("{}/session/{}", self.base, self.session))
                .call();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromedriver() -> Option<String> {
    let path = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    if std::path::Path::new(&path).exists() {
        return Some(path);
    }
    util::skip(
        "CITEINDEX_BROWSER_TEST",
        "the browser test",
        &format!("there is no {path} (apt-get install chromium chromium-driver)"),
    );
    None
}

const RESULT_TEXT: &str = "const r = document.querySelector('.ci-results'); return r && r.children.length ? r.innerText : null";

#[test]
fn the_search_page_in_a_real_browser() {
    let Some(chromedriver) = chromedriver() else {
        return;
    };
    let axe = axe();
    let env = Env::seed();
    env.write("hostile.md", HOSTILE.as_bytes());
    let server = Server::start(&env, &[]);
    let driver = Driver::start(&chromedriver);

    driver.go(&server.url("/"));
    let input = driver.element(".ci-input");
    driver.type_into(&input, "\"collective bargaining\"");
    let marked = driver.wait(
        "the highlighted phrase",
        "const m = document.querySelector('.ci-result mark'); return m ? m.textContent : null",
    );
    assert_eq!(marked, "collective bargaining");
    let shown = driver.wait("results", RESULT_TEXT);
    let shown = shown.as_str().unwrap();
    assert!(shown.contains("Jail & Court Solidarity Actions"), "{shown}");
    assert!(shown.contains("Said by Kris Hermes"), "{shown}");
    assert!(shown.contains("Collective Action Behind Bars"), "{shown}");
    assert!(shown.contains("Just Cause Law Collective"), "{shown}");
    assert!(shown.contains("JCLC, quoted in Hermes 2016"), "{shown}");
    // Results by page: each page's title once, its passages under it.
    let titles = driver.run(
        "return Array.from(document.querySelectorAll('.ci-group > .ci-page-head .ci-title')).map(a => a.textContent)",
        json!([]),
    );
    let titles: Vec<&str> = titles
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    let distinct: std::collections::HashSet<&&str> = titles.iter().collect();
    assert!(
        !titles.is_empty() && distinct.len() == titles.len(),
        "{titles:?}"
    );
    let status = driver.run(
        "return document.querySelector('.ci-status').textContent",
        json!([]),
    );
    assert!(status.as_str().unwrap().contains(" on "), "{status}");
    // The address can be shared.
    let address = driver.run("return location.search", json!([]));
    assert_eq!(address, "?q=%22collective%20bargaining%22");
    driver.screenshot("search.png");
    if let Some(axe) = &axe {
        let found = serious_violations(&driver, axe);
        assert!(
            found.is_empty(),
            "axe-core on the search page with results: {found:#?}"
        );
    }

    // A combobox: ↓ in the box goes through the pages found (its listbox),
    // Enter to that page's best passage.
    let combobox = driver.run(
        "const i = document.querySelector('.ci-input'); const l = document.getElementById(i.getAttribute('aria-controls')); \
         return [i.getAttribute('role'), i.getAttribute('aria-expanded'), l.getAttribute('role'), l.querySelectorAll('[role=option]').length]",
        json!([]),
    );
    assert_eq!(combobox, json!(["combobox", "true", "listbox", 1]));
    driver.type_into(&input, "\u{E015}");
    let option = driver.run(
        "const i = document.querySelector('.ci-input'); const o = document.getElementById(i.getAttribute('aria-activedescendant')); \
         return o ? [o.getAttribute('role'), o.getAttribute('aria-selected'), o.textContent] : null",
        json!([]),
    );
    assert_eq!(
        option,
        json!(["option", "true", "Jail & Court Solidarity Actions"])
    );
    driver.type_into(&input, "\u{E007}");
    let focused = driver.run(
        "return document.activeElement.dataset.id || null",
        json!([]),
    );
    assert_eq!(focused, "jail-court-solidarity-actions#p4");

    // The copy button puts the citation on the clipboard.
    let copy = driver.element(".ci-result .ci-foot-row .ci-copy");
    driver.click(&copy);
    let said = driver.wait(
        "the copy button to answer",
        "const b = document.querySelector('.ci-result .ci-foot-row .ci-copy'); return b.textContent !== 'Copy citation' ? b.textContent : null",
    );
    assert_eq!(said, "Copied ✓");

    // Citations to paste: shown in the style picked (Chicago notes first),
    // copied as rich text (italics) and clean plain text, the choice kept
    // across visits.
    let italic = driver.wait(
        "the Chicago note",
        "const i = document.querySelector('.ci-result .ci-cite i'); return i ? i.textContent : null",
    );
    assert!(
        italic.as_str().unwrap().contains("Upping the Anti"),
        "{italic}"
    );
    // What the page hands the clipboard, caught before it gets there.
    driver.run(
        "window.__copied = null; \
         navigator.clipboard.write = async (items) => { \
           const out = {}; \
           for (const item of items) for (const type of item.types) out[type] = await (await item.getType(type)).text(); \
           window.__copied = out; }; \
         document.querySelector('.ci-result .ci-foot-row .ci-copy').click();",
        json!([]),
    );
    let copied = driver.wait("the clipboard", "return window.__copied");
    let plain = copied["text/plain"].as_str().unwrap();
    let html = copied["text/html"].as_str().unwrap();
    assert!(
        plain.contains("Upping the Anti") && !plain.contains('*') && !plain.contains('<'),
        "{plain}"
    );
    assert!(
        html.contains("<i>") && html.contains("Upping the Anti"),
        "{html}"
    );
    for (style, marker) in [
        ("bibtex", "@"),
        ("csl-json", "\"id\""),
        ("mla", "Hermes"),
        ("chicago-author-date", "Hermes 2016"),
        ("apa", "Hermes, 2016"),
    ] {
        driver.run(
            &format!("const s = document.querySelector('.ci-style select'); s.value = '{style}'; s.dispatchEvent(new Event('change'));"),
            json!([]),
        );
        driver.wait(
            style,
            &format!("const c = document.querySelector('.ci-result .ci-cite'); return c && c.textContent.includes({marker:?}) && !document.querySelector('.ci-busy') ? c.textContent : null"),
        );
    }
    driver.go(&server.url("/?q=%22collective%20bargaining%22"));
    driver.wait("results after a reload", RESULT_TEXT);
    let kept = driver.run(
        "return document.querySelector('.ci-style select').value",
        json!([]),
    );
    assert_eq!(kept, "apa");
    driver.wait(
        "the APA citation after a reload",
        "const c = document.querySelector('.ci-result .ci-cite'); return c && c.textContent.includes('Hermes, 2016') ? c.textContent : null",
    );
    driver.screenshot("citation.png");
    let input = driver.element(".ci-input");

    // A misremembered sentence: the close match and its diff, not "no passage".
    driver.run("const i = document.querySelector('.ci-input'); i.value = ''; i.dispatchEvent(new Event('input'));", json!([]));
    driver.type_into(
        &input,
        "particularly when defendants are very well organized and similar",
    );
    let wording = driver.wait(
        "the close match",
        "const w = document.querySelector('.ci-fallback .ci-wording'); return w && document.querySelector('.ci-fallback .ci-diff ins') ? w.textContent : null",
    );
    assert!(
        wording
            .as_str()
            .unwrap()
            .starts_with("particularly when the defendants are well-organized"),
        "{wording}"
    );
    let inserted = driver.run(
        "return Array.from(document.querySelectorAll('.ci-fallback .ci-diff ins')).map(e => e.textContent)",
        json!([]),
    );
    assert!(
        inserted.as_array().unwrap().iter().any(|w| w == "the"),
        "{inserted}"
    );
    driver.screenshot("quote-fallback.png");

    // Hostile corpus text is text: no element made of it, no script run.
    driver.run("const i = document.querySelector('.ci-input'); i.value = ''; i.dispatchEvent(new Event('input'));", json!([]));
    driver.type_into(&input, "zeppelins");
    let shown = driver.wait(
        "the hostile page",
        "const r = document.querySelector('.ci-results'); return r && r.innerText.includes('zeppelins') ? r.innerText : null",
    );
    let shown = shown.as_str().unwrap();
    assert!(
        shown.contains("<script>window.__pwned=3</script>"),
        "{shown}"
    );
    assert!(
        shown.contains("<img src=x onerror=\"window.__pwned=4\">"),
        "{shown}"
    );
    assert!(
        shown.contains("Hostile <script>window.__pwned = 1</script> page"),
        "{shown}"
    );
    let made = driver.run(
        "return document.querySelectorAll('.ci-results script, .ci-results img, .ci-results div[onmouseover], .ci-results a[href^=\"javascript\"]').length",
        json!([]),
    );
    assert_eq!(made, 0);
    assert_eq!(
        driver.run("return window.__pwned === undefined", json!([])),
        true
    );
    driver.screenshot("hostile.png");

    // Facets as filters: choosing a speaker keeps the passages counted.
    driver.go(&server.url("/?q=solidarity"));
    driver.wait("results with facets", RESULT_TEXT);
    let option = driver.wait(
        "the speaker facet",
        "const o = Array.from(document.querySelectorAll('.ci-facets select[name=speaker] option')).find(o => o.value === 'jclc'); return o ? o.textContent : null",
    );
    let count: String = option
        .as_str()
        .unwrap()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    driver.run(
        "const s = document.querySelector('.ci-facets select[name=speaker]'); s.value = 'jclc'; s.dispatchEvent(new Event('change'));",
        json!([]),
    );
    let status = driver.wait(
        "the filtered results",
        "const s = document.querySelector('.ci-status').textContent; return /passages? on/.test(s) && document.querySelector('.ci-facets select[name=speaker]').value === 'jclc' && !document.querySelector('.ci-busy') ? s : null",
    );
    let expected = if count == "1" {
        "1 passage on".to_string()
    } else {
        format!("{count} passages on")
    };
    assert!(
        status.as_str().unwrap().starts_with(&expected),
        "{status} after {option}"
    );
    driver.screenshot("facets.png");

    // A result's page opens in the reader view, at its passage, marked.
    driver.go(&server.url("/?q=%22collective%20bargaining%22"));
    driver.wait("results for the reader", RESULT_TEXT);
    let href = driver.run(
        "return document.querySelector('.ci-group .ci-title').href",
        json!([]),
    );
    let href = href.as_str().unwrap().to_string();
    assert!(
        href.ends_with("/page/jail-court-solidarity-actions?passage=p4#p4"),
        "{href}"
    );
    driver.go(&href);
    let marked = driver.wait(
        "the marked passage",
        "const m = document.querySelector('.ci-marked'); return m ? m.id : null",
    );
    assert_eq!(marked, "p4");
    let anchors = driver.run(
        "return document.querySelectorAll('section.ci-passage[id]').length",
        json!([]),
    );
    assert!(anchors.as_u64().unwrap() > 5, "{anchors}");
    driver.screenshot("reader.png");
    if let Some(axe) = &axe {
        let found = serious_violations(&driver, axe);
        assert!(found.is_empty(), "axe-core on the reader view: {found:#?}");
    }

    // A phone's width: nothing wider than the screen.
    driver.send("POST", "/window/rect", json!({"width": 390, "height": 900}));
    driver.go(&server.url("/?q=jail%20solidarity"));
    driver.wait("results at phone width", RESULT_TEXT);
    let overflow = driver.run(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
        json!([]),
    );
    assert_eq!(overflow, 0, "the page scrolls sideways on a phone");
    driver.screenshot("phone.png");
    if let Some(axe) = &axe {
        let found = serious_violations(&driver, axe);
        assert!(
            found.is_empty(),
            "axe-core on the search page at phone width: {found:#?}"
        );
    }
}

#[test]
fn the_widget_mounts_on_another_site() {
    let Some(chromedriver) = chromedriver() else {
        return;
    };
    let env = Env::seed();
    let server = Server::start(&env, &[]);
    let site = tempfile::tempdir().unwrap();
    let host = site.path().join("page.html");
    std::fs::write(
        &host,
        format!(
            "<!doctype html><meta charset=utf-8><title>A page of the site</title>\
             <style>mark {{ background: red }}</style><h1>Our site</h1><div id=box></div>\
             <script src=\"{}\" data-target=\"#box\" data-mode=\"inline\"></script>",
            server.url("/widget.js")
        ),
    )
    .unwrap();
    let driver = Driver::start(&chromedriver);
    driver.go(&format!("file://{}", host.display()));
    driver.wait(
        "the widget's box",
        "const b = document.querySelector('#box'); return b && b.shadowRoot && b.shadowRoot.querySelector('.ci-input') ? true : null",
    );
    let input = driver.run(
        "return document.querySelector('#box').shadowRoot.querySelector('.ci-input')",
        json!([]),
    );
    let input = input[ELEMENT].as_str().unwrap().to_string();
    driver.type_into(&input, "according to the just cause");
    let shown = driver.wait(
        "results from the service",
        "const r = document.querySelector('#box').shadowRoot.querySelector('.ci-results'); return r && r.children.length ? r.innerText : null",
    );
    assert!(
        shown
            .as_str()
            .unwrap()
            .contains("Jail & Court Solidarity Actions"),
        "{shown}"
    );
    // The site's own styles do not reach into the widget.
    let background = driver.run(
        "return getComputedStyle(document.querySelector('#box').shadowRoot.querySelector('mark')).backgroundColor",
        json!([]),
    );
    assert_ne!(background, "rgb(255, 0, 0)");
    driver.screenshot("widget.png");
}

/// axe-core's `axe.min.js`, from npm (`.ci/run` installs it into
/// `target/axe/`; `CITEINDEX_AXE` may name another copy). Without it the
/// accessibility check is skipped with a line that says so, unless
/// `CITEINDEX_BROWSER_TEST=required`.
fn axe() -> Option<String> {
    let path = std::env::var_os("CITEINDEX_AXE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/axe/node_modules/axe-core/axe.min.js")
        });
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) => {
            util::skip(
                "CITEINDEX_BROWSER_TEST",
                "the axe-core check",
                &format!(
                    "{} is not there (npm install --prefix target/axe axe-core@4)",
                    path.display()
                ),
            );
            None
        }
    }
}

/// The serious and critical violations axe-core finds on the page shown,
/// after it is seen to see: an image without a text, planted and taken
/// away again, is one.
fn serious_violations_seen(driver: &Driver, axe: &str) -> Vec<String> {
    driver.run(
        "const i = document.createElement('img'); i.id = 'ci-probe'; i.src = 'data:,'; document.body.append(i);",
        json!([]),
    );
    let probe = serious_violations(driver, axe);
    assert!(
        probe.iter().any(|v| v.starts_with("image-alt")),
        "{probe:?}"
    );
    driver.run("document.getElementById('ci-probe').remove()", json!([]));
    serious_violations(driver, axe)
}

/// The serious and critical violations axe-core finds on the page shown.
/// axe-core runs as the driver's own script, not a `<script>` the page
/// would refuse: the search page's Content-Security-Policy forbids inline
/// scripts.
fn serious_violations(driver: &Driver, axe: &str) -> Vec<String> {
    driver.run(
        &format!(
            "{axe}\n;window.__axe = null; \
             axe.run(document, {{ resultTypes: ['violations'] }}).then(r => {{ window.__axe = r.violations \
               .filter(v => v.impact === 'serious' || v.impact === 'critical') \
               .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => JSON.stringify(n.target)).join(', ')); }});"
        ),
        json!([]),
    );
    let found = driver.wait("axe-core's verdict", "return window.__axe");
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// The widget as an overlay: a button and Ctrl-K or "/" open a dialog over
/// the site's page, Tab stays inside it, Escape closes it and gives focus
/// back, ?q= is searched at once; and axe-core finds no serious violation
/// in the dialog with results, at desktop and phone widths.
#[test]
fn the_widget_opens_as_a_dialog_over_the_page() {
    let Some(chromedriver) = chromedriver() else {
        return;
    };
    let axe = axe();
    let env = Env::seed();
    let server = Server::start(&env, &[]);
    let site = tempfile::tempdir().unwrap();
    let host = site.path().join("page.html");
    std::fs::write(
        &host,
        format!(
            "<!doctype html><html lang=en><meta charset=utf-8><title>A page of the site</title>\
             <header><a href=\"#top\">Home</a> <span id=box></span></header>\
             <main><h1>Our site</h1><p>Some text of the site.</p></main>\
             <script src=\"{}\" data-target=\"#box\"></script>",
            server.url("/widget.js")
        ),
    )
    .unwrap();
    let driver = Driver::start(&chromedriver);
    let page = format!("file://{}", host.display());
    driver.go(&page);
    let shadow = "document.querySelector('#box').shadowRoot";
    driver.wait(
        "the widget's button",
        &format!("const r = {shadow}; return r && r.querySelector('.ci-opener') ? true : null"),
    );
    let hidden = format!("return {shadow}.querySelector('.ci-backdrop').hidden");
    assert_eq!(driver.run(&hidden, json!([])), true);
    // Ctrl-K opens it, with the box focused.
    driver.press(&["\u{E009}", "k"]);
    driver.wait(
        "the dialog",
        &format!("return {shadow}.querySelector('.ci-backdrop').hidden ? null : true"),
    );
    let focused = format!("const a = {shadow}.activeElement; return a ? a.className : null");
    assert_eq!(driver.run(&focused, json!([])), "ci-input");
    let input = driver.run(
        &format!("return {shadow}.querySelector('.ci-input')"),
        json!([]),
    );
    let input = input[ELEMENT].as_str().unwrap().to_string();
    driver.type_into(&input, "solidarity\u{E007}");
    // The answer to the whole word, not to a prefix typed on the way.
    driver.wait(
        "results in the dialog",
        &format!("const r = {shadow}.querySelector('.ci-results'); const m = {shadow}.querySelector('.ci-results mark'); return r && m && m.textContent.toLowerCase() === 'solidarity' && !{shadow}.querySelector('.ci-busy') ? r.innerText : null"),
    );
    // Tab goes round inside the dialog, never out to the site's page.
    for _ in 0..40 {
        driver.press(&["\u{E004}"]);
        let inside = driver.run(
            &format!("const a = {shadow}.activeElement; return document.activeElement === document.querySelector('#box') && !!a && !!a.closest('.ci-dialog')"),
            json!([]),
        );
        let at = driver.run(
            &format!("const a = {shadow}.activeElement; return document.activeElement.outerHTML.slice(0, 80) + ' / ' + (a ? a.outerHTML.slice(0, 120) : 'none')"),
            json!([]),
        );
        assert_eq!(inside, true, "focus left the dialog, for {at}");
    }
    driver.press(&["\u{E008}", "\u{E004}"]);
    if let Some(axe) = &axe {
        let found = serious_violations_seen(&driver, axe);
        assert!(found.is_empty(), "axe-core at desktop width: {found:#?}");
    }
    driver.screenshot("widget-dialog.png");
    // Escape from the box closes it and gives focus back.
    driver.run(
        &format!("{shadow}.querySelector('.ci-input').focus()"),
        json!([]),
    );
    // The first Esc closes the list of pages, the next the dialog.
    driver.press(&["\u{E00C}"]);
    driver.press(&["\u{E00C}"]);
    assert_eq!(driver.run(&hidden, json!([])), true);
    let back = driver.run(
        &format!("return {shadow}.activeElement ? {shadow}.activeElement.className : document.activeElement.tagName"),
        json!([]),
    );
    // Opened from the page itself (Ctrl-K on its body), the focus comes back
    // to the widget's button, at once: not left on the hidden box.
    assert_eq!(back, "ci-opener");
    // "/" opens it too.
    driver.press(&["/"]);
    driver.wait(
        "the dialog again",
        &format!("return {shadow}.querySelector('.ci-backdrop').hidden ? null : true"),
    );

    // ?q= in the site's address: opened and searched at once, on a phone.
    driver.send("POST", "/window/rect", json!({"width": 390, "height": 900}));
    driver.go(&format!("{page}?q=according%20to%20the%20just%20cause"));
    let shown = driver.wait(
        "results for ?q=",
        &format!("const r = {shadow}.querySelector('.ci-results'); return r && r.children.length ? r.innerText : null"),
    );
    assert!(
        shown
            .as_str()
            .unwrap()
            .contains("Jail & Court Solidarity Actions"),
        "{shown}"
    );
    let overflow = driver.run(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
        json!([]),
    );
    assert_eq!(overflow, 0, "the dialog scrolls sideways on a phone");
    if let Some(axe) = &axe {
        let found = serious_violations(&driver, axe);
        assert!(found.is_empty(), "axe-core at phone width: {found:#?}");
    }
    driver.screenshot("widget-dialog-phone.png");
}
