//! The search page's "Check a draft" view in the real browser: reached from
//! the page's nav with the keyboard and by its address, a draft with one
//! quotation of each verdict pasted and checked, each verdict shown with
//! its word and what goes with it, the API's refusals as sentences, and
//! axe-core on the view.

use serde_json::json;

use super::util::{Env, Server};
use super::{Driver, axe, chromedriver, serious_violations, serious_violations_seen};

/// One exact quotation of the seed corpus, one with a word changed, one
/// given to the wrong speaker (the JCLC said it, not Midnight Special), and
/// one that stands nowhere: lines 1, 3, 5 and 7; and a scare quote on
/// line 9, listed and not judged.
const DRAFT: &str = "Midnight Special Law Collective defined legal solidarity as a “strategy that uses group decision-making and action to protect people when they are being held in the legal system.”\n\
\n\
The Just Cause Law Collective argues that it works “particularly when the defendants are poorly organized, similarly-situated, and working together in large numbers.”\n\
\n\
As the Midnight Special Law Collective put it, solidarity tactics are “many different forms of non-cooperation, all of which are designed to produce leverage for collective bargaining.”\n\
\n\
Some say “jail solidarity always fails when the guards serve hot soup at midnight.”\n\
\n\
There is no “right” tactic.\n";

/// The check view's entries: badge, line and text of each.
const ENTRIES: &str = "return Array.from(document.querySelectorAll('.ci-check-item')).map(i => ({ \
    badge: i.querySelector('.ci-badge').textContent, line: i.querySelector('.ci-head .ci-meta').textContent, \
    verdict: i.className, text: i.innerText }))";

const DONE: &str = "const c = document.querySelector('.ci-check'); return c && !c.closest('[hidden]') && c.dataset.state !== 'busy' && c.dataset.state ? c.dataset.state : null";

#[test]
fn a_draft_is_checked_in_the_check_view() {
    let Some(chromedriver) = chromedriver() else {
        return;
    };
    let axe = axe();
    let env = Env::seed();
    let server = Server::start(&env, &[]);
    let driver = Driver::start(&chromedriver);

    // From the search box, Shift-Tab to the nav's "Check a draft", Enter.
    driver.go(&server.url("/"));
    driver.wait(
        "the search box focused",
        "return document.activeElement && document.activeElement.classList.contains('ci-input')",
    );
    driver.press(&["\u{E008}", "\u{E004}"]);
    assert_eq!(
        driver.run("return document.activeElement.textContent", json!([])),
        "Check a draft"
    );
    driver.press(&["\u{E007}"]);
    driver.wait(
        "the check view",
        "return !document.getElementById('check').hidden && document.getElementById('search').hidden",
    );
    let state = driver.run(
        "return [location.search, document.querySelector('[data-view=check]').getAttribute('aria-current'), \
         document.activeElement.tagName, document.activeElement.labels[0].textContent, document.title]",
        json!([]),
    );
    assert_eq!(
        state,
        json!([
            "?view=check",
            "page",
            "TEXTAREA",
            "Your draft",
            "Check a draft · citeindex"
        ])
    );

    // "/" typed into the draft is a slash, not a jump to the search box.
    let area = driver.element(".ci-check-input");
    driver.type_into(&area, "and/or");
    let typed = driver.run(
        "return [document.activeElement.tagName, document.activeElement.value]",
        json!([]),
    );
    assert_eq!(typed, json!(["TEXTAREA", "and/or"]));
    driver.run(
        "document.querySelector('.ci-check-input').value = ''",
        json!([]),
    );

    // Nothing to check yet: said so.
    driver.click(&driver.element(".ci-check-run"));
    driver.wait("the empty draft refused", DONE);
    let said = driver.run(
        "const s = document.querySelector('.ci-check .ci-status'); return [s.textContent, s.classList.contains('ci-error')]",
        json!([]),
    );
    assert_eq!(said, json!(["Paste a draft into the box first.", true]));

    driver.type_into(&area, DRAFT);
    assert_eq!(
        driver.run(
            "return document.querySelector('.ci-check-input').value",
            json!([])
        ),
        DRAFT
    );
    driver.click(&driver.element(".ci-check-run"));
    assert_eq!(driver.wait("the report", DONE), "done");

    let entries = driver.run(ENTRIES, json!([]));
    let entries = entries.as_array().unwrap();
    let shown: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e["badge"].as_str().unwrap(), e["line"].as_str().unwrap()))
        .collect();
    assert_eq!(
        shown,
        [
            ("1 · ✓ Verified", "line 1"),
            ("2 · ≠ Misquoted", "line 3"),
            ("3 · ⇄ Misattributed", "line 5"),
            ("4 · ✗ Not found", "line 7"),
            ("5 · – Scare quote, not judged", "line 9"),
        ],
        "{entries:#?}"
    );
    for (entry, class) in entries.iter().zip([
        "ci-v-verified",
        "ci-v-misquoted",
        "ci-v-misattributed",
        "ci-v-not-found",
        "ci-v-scare",
    ]) {
        assert!(
            entry["verdict"].as_str().unwrap().contains(class),
            "{entry}"
        );
    }
    let text = |i: usize| entries[i]["text"].as_str().unwrap();
    // Verified: who said it, and its citation to copy.
    assert!(
        text(0).contains("Said by Midnight Special Law Collective"),
        "{}",
        text(0)
    );
    let italic = driver.run(
        "return document.querySelector('.ci-check-item.ci-v-verified .ci-cite i').textContent",
        json!([]),
    );
    assert_eq!(italic, "Legal Solidarity Handbook");
    driver.click(&driver.element(".ci-check-item.ci-v-verified .ci-copy"));
    let copied = driver.wait(
        "the copy button to answer",
        "const b = document.querySelector('.ci-check-item.ci-v-verified .ci-copy'); return b.textContent !== 'Copy citation' ? b.textContent : null",
    );
    assert_eq!(copied, "Copied ✓");
    // Misquoted: the corpus's wording and the word diff.
    assert!(
        text(1).contains("particularly when the defendants are well-organized, similarly-situated"),
        "{}",
        text(1)
    );
    let diff = driver.run(
        "const d = document.querySelector('.ci-check-item.ci-v-misquoted .ci-diff'); \
         return [Array.from(d.querySelectorAll('del')).map(e => e.textContent), Array.from(d.querySelectorAll('ins')).map(e => e.textContent)]",
        json!([]),
    );
    assert_eq!(diff, json!([["poorly"], ["well"]]));
    // Misattributed: whom the draft names, whom the corpus gives it to.
    assert!(
        text(2).contains(
            "The draft gives these words to Midnight Special Law Collective, legal solidarity handbook; \
             the corpus gives them to Just Cause Law Collective."
        ),
        "{}",
        text(2)
    );
    // Not found: the nearest passages, each linked to its page.
    assert!(
        text(3).contains("These words stand nowhere in the corpus."),
        "{}",
        text(3)
    );
    let nearest = driver.run(
        "return Array.from(document.querySelectorAll('.ci-check-item.ci-v-not-found .ci-nearest-list li a.ci-title')).map(a => a.textContent)",
        json!([]),
    );
    assert!(
        !nearest.as_array().unwrap().is_empty()
            && nearest
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t == "Jail & Court Solidarity Actions"),
        "{nearest}"
    );

    // Listed, not judged: said so.
    assert!(
        text(4).contains("A scare quote: not judged."),
        "{}",
        text(4)
    );

    // The draft shown back, each quotation marked with its verdict's word,
    // and the counts at the top.
    let marks = driver.run(
        "return Array.from(document.querySelectorAll('.ci-check-text mark')).map(m => [m.className, m.textContent.slice(0, 20), m.nextSibling.textContent, m.nextElementSibling.textContent])",
        json!([]),
    );
    assert_eq!(
        marks,
        json!([
            [
                "ci-check-mark ci-v-verified",
                "strategy that uses g",
                "”",
                "1 · ✓ Verified"
            ],
            [
                "ci-check-mark ci-v-misquoted",
                "particularly when th",
                "”",
                "2 · ≠ Misquoted"
            ],
            [
                "ci-check-mark ci-v-misattributed",
                "many different forms",
                "”",
                "3 · ⇄ Misattributed"
            ],
            [
                "ci-check-mark ci-v-not-found",
                "jail solidarity alwa",
                "”",
                "4 · ✗ Not found"
            ],
            [
                "ci-check-mark ci-v-scare",
                "right",
                "”",
                "5 · – Scare quote, not judged"
            ],
        ])
    );
    let drafted = driver.run(
        "const c = document.querySelector('.ci-check-text').cloneNode(true); \
         for (const b of c.querySelectorAll('.ci-badge')) { b.previousSibling.remove(); b.remove(); } return c.textContent",
        json!([]),
    );
    assert_eq!(drafted, DRAFT, "the draft is shown as written");
    let summary = driver.run(
        "return [document.querySelector('.ci-check .ci-status').textContent, document.querySelector('.ci-check-counts').innerText.replace(/\\s+/g, ' ').trim()]",
        json!([]),
    );
    assert_eq!(
        summary,
        json!([
            "5 quotations: 1 verified, 1 misquoted, 1 misattributed, 1 not found, 1 not judged.",
            "✓ Verified: 1 ≠ Misquoted: 1 ⇄ Misattributed: 1 ✗ Not found: 1 – Not judged: 1"
        ])
    );
    driver.screenshot("check.png");
    // A badge in the draft goes to its entry.
    driver.click(&driver.element(".ci-check-text a.ci-v-misattributed"));
    let focused = driver.run("return document.activeElement.className", json!([]));
    assert_eq!(focused, "ci-check-item ci-v-misattributed");

    if let Some(axe) = &axe {
        // axe-core runs under the page's Content-Security-Policy, and sees.
        let found = serious_violations_seen(&driver, axe);
        assert!(found.is_empty(), "axe-core on the check view: {found:#?}");
    }
    driver.screenshot("check-entries.png");

    // The view has an address: a reload comes back to it.
    driver.go(&server.url("/?view=check"));
    driver.wait(
        "the check view by its address",
        "return !document.getElementById('check').hidden && document.activeElement.classList.contains('ci-check-input')",
    );
    // A phone's width, in the dark scheme: nothing wider than the screen,
    // and the verdicts' colours still readable.
    driver.send("POST", "/window/rect", json!({"width": 390, "height": 900}));
    driver.send(
        "POST",
        "/goog/cdp/execute",
        json!({"cmd": "Emulation.setEmulatedMedia", "params": {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}}),
    );
    driver.run(
        "const a = document.querySelector('.ci-check-input'); a.value = arguments[0]; document.querySelector('.ci-check-run').click();",
        json!([DRAFT]),
    );
    assert_eq!(driver.wait("the report on a phone", DONE), "done");
    let overflow = driver.run(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
        json!([]),
    );
    assert_eq!(overflow, 0, "the check view scrolls sideways on a phone");
    if let Some(axe) = &axe {
        let found = serious_violations(&driver, axe);
        assert!(
            found.is_empty(),
            "axe-core at phone width, dark: {found:#?}"
        );
    }
    driver.run(
        "document.querySelector('.ci-check-counts').scrollIntoView()",
        json!([]),
    );
    driver.screenshot("check-phone.png");

    // The API's refusal of a draft over its limit, as a sentence.
    driver.run(
        "const a = document.querySelector('.ci-check-input'); a.value = 'x'.repeat((1 << 20) + 10); document.querySelector('.ci-check-run').click();",
        json!([]),
    );
    assert_eq!(driver.wait("the refusal", DONE), "error");
    let said = driver.run(
        "const s = document.querySelector('.ci-check .ci-status'); return [s.textContent, s.classList.contains('ci-error'), document.querySelectorAll('.ci-check-item').length]",
        json!([]),
    );
    assert_eq!(
        said,
        json!([
            "The draft is too long to check at once: the draft is longer than the limit of 1048576 bytes. Check it in parts.",
            true,
            0
        ])
    );

    // Back to the search, and the browser's Back to the check view.
    driver.click(&driver.element("[data-view=search]"));
    let back = driver.wait(
        "the search view",
        "return document.getElementById('check').hidden && document.activeElement.classList.contains('ci-input') ? [location.search, document.title] : null",
    );
    assert_eq!(back, json!(["", "Search · citeindex"]));
    driver.send("POST", "/back", json!({}));
    driver.wait(
        "the check view after Back",
        "return !document.getElementById('check').hidden && location.search === '?view=check'",
    );
}
