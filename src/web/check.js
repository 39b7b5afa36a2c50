// citeindex "Check a draft": a draft pasted into the page is sent to
// POST /api/check and shown back with each quotation marked by its verdict
// (a colour and a sign with a word), then one entry per quotation: its
// line, the corpus's wording and a word diff when misquoted, who the corpus
// gives the words to when misattributed, the nearest passages when not
// found, and the citation to paste when found. It builds with the parts of
// search.js, and switches the page between its two views.
//
// As in search.js, text from the draft and the corpus is only ever set with
// textContent or as attribute values; citations go through citationView.
"use strict";

const CiteCheck = (() => {
  const { el, link, pageHref, sourceName, copyButton, citationView, snippet, diff, STYLES, savedStyle, saveStyle } =
    CiteIndex.parts;

  // Each verdict as shown: a sign, its word, and what it means.
  const VERDICTS = {
    verified: ["✓", "Verified", "The words stand in the corpus as written, by whom the draft says."],
    misquoted: ["≠", "Misquoted", "Most of the words stand in the corpus; some differ."],
    misattributed: ["⇄", "Misattributed", "The words stand in the corpus, said by someone else."],
    "not-found": ["✗", "Not found", "These words stand nowhere in the corpus."],
    "too-short": ["–", "Short, not judged", "Fewer than four words, or too long to look up: not judged."],
    term: ["–", "Term, not judged", "A word or phrase mentioned as such: not judged."],
    scare: ["–", "Scare quote, not judged", "A scare quote: not judged."],
    title: ["–", "Title, not judged", "The title of a work: not judged."],
    "not-judged": ["–", "Not judged", ""],
  };
  const JUDGED = ["verified", "misquoted", "misattributed", "not-found"];
  // What stands after a quotation's words and before its badge: the
  // closing mark.
  const CLOSERS = "”\"’'»›」』";

  function verdictOf(name) {
    return VERDICTS[name] || ["–", name, ""];
  }

  // The verdict as a sign and a word: the sign is decoration, the word is
  // what a screen reader says.
  function badge(verdict, tag, number) {
    const [sign, word] = verdictOf(verdict);
    const node = el(tag || "span", "ci-badge ci-v-" + verdict);
    if (number !== undefined) node.append(el("span", "ci-badge-n", number + " ·"), " ");
    const icon = el("span", "ci-sign", sign);
    icon.setAttribute("aria-hidden", "true");
    node.append(icon, " " + word);
    return node;
  }

  function plural(count, one, many) {
    return count.toLocaleString("en") + " " + (count === 1 ? one : many);
  }

  // The draft as text, each quotation's words marked, with a badge after
  // its closing mark that goes to its entry. Spans are byte ranges of the
  // UTF-8 draft.
  function markedDraft(draft, quotations, ids, go, marked) {
    const box = el("div", "ci-check-text");
    const bytes = new TextEncoder().encode(draft);
    const decoder = new TextDecoder();
    const text = (from, to) => decoder.decode(bytes.subarray(from, to));
    const placed = quotations
      .map((q, i) => [q, i])
      .filter(([q]) => q.span && q.span.end <= bytes.length)
      .sort((a, b) => a[0].span.start - b[0].span.start);
    let at = 0;
    for (const [q, i] of placed) {
      // A quotation inside another is listed, not marked twice.
      if (q.span.start < at) continue;
      box.append(text(at, q.span.start));
      const mark = el("mark", "ci-check-mark ci-v-" + q.verdict, text(q.span.start, q.span.end));
      mark.id = ids.mark(i);
      mark.tabIndex = -1;
      marked.add(i);
      box.append(mark);
      at = q.span.end;
      const next = [...text(at, Math.min(at + 4, bytes.length))][0];
      if (next && CLOSERS.includes(next)) {
        box.append(next);
        at += new TextEncoder().encode(next).length;
      }
      const to = badge(q.verdict, "a", i + 1);
      to.href = "#" + ids.entry(i);
      to.addEventListener("click", (event) => {
        event.preventDefault();
        go(ids.entry(i));
      });
      box.append(" ", to);
    }
    box.append(text(at, bytes.length));
    return box;
  }

  // Who said the words according to the corpus, and the chain to its page.
  function saidBy(found, speaker, site) {
    const p = el("p", "ci-by");
    if (speaker) {
      p.append("Said by ");
      p.append(link(sourceName(speaker), speaker.url, site, "ci-speaker"));
      p.append(el("span", "ci-chain", " · " + found.attribution));
    } else {
      p.append(el("span", "ci-chain", found.attribution));
    }
    return p;
  }

  // The citation of the words where they stand, its copy button, and the
  // passage they stand in.
  function citation(found, site, api, item) {
    if (found.cited) item.append(citationView(found.cited));
    else item.append(el("p", "ci-cite", found.citation));
    const foot = el("div", "ci-foot-row");
    if (found.cited) foot.append(copyButton("Copy citation", found.cited.text, found.cited.html));
    else foot.append(copyButton("Copy citation", found.citation));
    const passage = found.passage;
    foot.append(link(passage.page.title + ", line " + passage.line, pageHref(passage, site, api), site, "ci-passage-link"));
    foot.append(el("code", "ci-id", passage.id));
    item.append(foot);
  }

  function nearest(hits, site, api) {
    const box = el("div", "ci-nearest");
    box.append(el("p", "ci-nearest-head", "Nearest passages:"));
    const list = el("ol", "ci-nearest-list");
    for (const hit of hits.slice(0, 3)) {
      const item = el("li");
      const head = el("p", "ci-nearest-page");
      head.append(link(hit.page.title, pageHref(hit, site, api), site, "ci-title"));
      head.append(el("span", "ci-meta", " · line " + hit.line));
      item.append(head, snippet(hit.snippet));
      list.append(item);
    }
    box.append(list);
    return box;
  }

  // One quotation's entry: its verdict, its line (which goes back to it in
  // the draft), its words, and what the corpus says of them.
  function entry(q, i, ids, go, marked, site, api) {
    const item = el("li", "ci-check-item ci-v-" + q.verdict);
    item.id = ids.entry(i);
    item.tabIndex = -1;
    const head = el("div", "ci-head");
    head.append(badge(q.verdict, "span", i + 1));
    if (marked.has(i)) {
      const line = el("a", "ci-meta ci-line", "line " + q.line);
      line.href = "#" + ids.mark(i);
      line.setAttribute("aria-label", "line " + q.line + ", in the draft");
      line.addEventListener("click", (event) => {
        event.preventDefault();
        go(ids.mark(i));
      });
      head.append(line);
    } else {
      head.append(el("span", "ci-meta", "line " + q.line));
    }
    item.append(head);
    item.append(el("blockquote", "ci-check-words", q.text));
    const [, , meaning] = verdictOf(q.verdict);
    const found = q.found;
    if (q.verdict === "misattributed") {
      const p = el("p", "ci-check-why");
      const corpus = q.speaker || (found && found.speaker);
      p.append("The draft gives these words to ", el("strong", null, q.named || "someone"), "; the corpus gives them to ");
      p.append(el("strong", null, corpus ? sourceName(corpus) : "someone else"), ".");
      item.append(p);
    } else {
      item.append(el("p", "ci-check-why", meaning));
      if (q.named && found) item.append(el("p", "ci-meta", "The draft names " + q.named + "."));
    }
    if (found) {
      const differs = found.status !== "exact";
      if (differs) {
        const what =
          found.status === "close"
            ? Math.round(found.similarity * 100) + "% of the words; the corpus has:"
            : "The corpus has (marks or case differ):";
        item.append(el("p", "ci-meta", what), el("blockquote", "ci-wording", found.wording));
      }
      if (found.diff && found.diff.length) {
        const how = "From the draft’s words to the corpus’s: struck out what is not there, underlined what is.";
        item.append(el("p", "ci-meta", how));
        item.append(diff(found.diff));
      }
      item.append(saidBy(found, q.speaker || found.speaker, site));
      citation(found, site, api, item);
    }
    if (q.nearest && q.nearest.length) item.append(nearest(q.nearest, site, api));
    return item;
  }

  // The counts at the top: one for each verdict met, and the not judged.
  function summary(report) {
    const counts = {};
    for (const q of report.quotations) {
      const key = JUDGED.includes(q.verdict) ? q.verdict : "not-judged";
      counts[key] = (counts[key] || 0) + 1;
    }
    const list = el("ul", "ci-check-counts");
    list.setAttribute("aria-label", "Verdicts");
    const words = [];
    for (const verdict of JUDGED.concat("not-judged")) {
      if (!counts[verdict]) continue;
      const item = el("li");
      const shown = badge(verdict);
      shown.append(": " + counts[verdict]);
      item.append(shown);
      list.append(item);
      words.push(counts[verdict] + " " + verdictOf(verdict)[1].toLowerCase());
    }
    const all = report.quotations.length;
    const sentence = all
      ? plural(all, "quotation", "quotations") + ": " + words.join(", ") + "."
      : "No quotation found in the draft: quotations are words between quotation marks.";
    return { list, sentence };
  }

  // An answer that is not a report, as a sentence.
  function failure(response, body) {
    const message = body && body.error && body.error.message;
    if (response.status === 413) {
      return "The draft is too long to check at once" + (message ? ": " + message : "") + ". Check it in parts.";
    }
    if (message) return "The check failed: " + message + (/[.!?]$/.test(message) ? "" : ".");
    return "The check failed (HTTP " + response.status + ").";
  }

  function mount(container, options) {
    const api = (options && options.api) || "";
    const site = (options && options.site) || "";
    const id = "ci-" + Math.random().toString(36).slice(2, 8);
    const ids = {
      entry: (i) => id + "-q-" + i,
      mark: (i) => id + "-m-" + i,
    };

    const root = el("section", "ci ci-check");
    root.setAttribute("aria-labelledby", id + "-title");
    const title = el("h2", "ci-check-title", "Check a draft");
    title.id = id + "-title";
    const form = el("form", "ci-check-form");
    const label = el("label", "ci-check-label", "Your draft");
    label.htmlFor = id + "-draft";
    const hint = el(
      "p",
      "ci-check-hint",
      "Paste Markdown or plain text. Every quotation in it is looked up in the corpus: " +
        "whether its words stand there, and said by whom the draft says.",
    );
    hint.id = id + "-hint";
    const area = el("textarea", "ci-check-input");
    area.id = id + "-draft";
    area.name = "draft";
    area.rows = 10;
    area.setAttribute("aria-describedby", hint.id);
    const row = el("div", "ci-check-row");
    const run = el("button", "ci-check-run", "Check");
    run.type = "submit";
    const picker = el("label", "ci-style");
    picker.append(el("span", null, "Cite as"));
    const styleSelect = el("select");
    styleSelect.id = id + "-style";
    for (const [name, styleTitle] of STYLES) styleSelect.append(new Option(styleTitle, name));
    styleSelect.value = savedStyle();
    picker.append(styleSelect);
    row.append(run, picker);
    form.append(label, hint, area, row);
    const status = el("p", "ci-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    const results = el("div", "ci-check-results");
    root.append(title, form, status, results);
    container.append(root);

    let sequence = 0;
    let controller = null;
    let checked = false;

    // Moves to an entry or a mark, for the keyboard as for the eye.
    function go(target) {
      const node = document.getElementById(target);
      if (!node) return;
      node.focus({ preventScroll: true });
      node.scrollIntoView({ block: "center" });
    }

    function show(draft, report) {
      const { list, sentence } = summary(report);
      status.textContent = sentence;
      results.replaceChildren();
      if (!report.quotations.length) return;
      const drafted = el("h3", "ci-check-head", "The draft, its quotations marked");
      const quoted = el("h3", "ci-check-head", "The quotations");
      const marked = new Set();
      const text = markedDraft(draft, report.quotations, ids, go, marked);
      const entries = el("ol", "ci-check-list");
      report.quotations.forEach((q, i) => entries.append(entry(q, i, ids, go, marked, site, api)));
      results.append(list, drafted, text, quoted, entries);
    }

    async function check() {
      const draft = area.value;
      const mine = ++sequence;
      if (controller) controller.abort();
      if (!draft.trim()) {
        status.textContent = "Paste a draft into the box first.";
        status.classList.add("ci-error");
        results.replaceChildren();
        root.dataset.state = "error";
        return;
      }
      controller = new AbortController();
      root.classList.add("ci-busy");
      root.dataset.state = "busy";
      status.classList.remove("ci-error");
      status.textContent = "Checking the draft";
      try {
        const response = await fetch(api + "/api/check?" + new URLSearchParams({ style: styleSelect.value }), {
          method: "POST",
          headers: { "Content-Type": "text/plain; charset=utf-8" },
          body: draft,
          signal: controller.signal,
        });
        let body = null;
        try {
          body = await response.json();
        } catch (_) {
          body = null;
        }
        if (mine !== sequence) return;
        if (!response.ok || !body || !Array.isArray(body.quotations)) {
          status.textContent = failure(response, body);
          status.classList.add("ci-error");
          results.replaceChildren();
          root.dataset.state = "error";
          return;
        }
        show(draft, body);
        checked = true;
        root.dataset.state = "done";
      } catch (error) {
        if (error.name === "AbortError" || mine !== sequence) return;
        status.textContent = "The check service cannot be reached.";
        status.classList.add("ci-error");
        root.dataset.state = "error";
      } finally {
        if (mine === sequence) root.classList.remove("ci-busy");
      }
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      check();
    });
    // Ctrl-Enter (⌘-Enter) in the box checks too.
    area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        check();
      }
    });
    styleSelect.addEventListener("change", () => {
      saveStyle(styleSelect.value);
      if (checked) check();
    });

    return { input: area, check };
  }

  return { mount };
})();

// The page's views: "Search" and "Check a draft", links in its nav that
// switch without a reload; ?view=check (or #check) in the address opens
// the second.
if (typeof document !== "undefined" && document.querySelector("[data-citeindex-page]")) {
  const meta = document.querySelector('meta[name="citeindex-site"]');
  const checker = CiteCheck.mount(document.getElementById("check"), {
    api: "",
    site: meta ? meta.content : "",
  });
  const links = Array.from(document.querySelectorAll("[data-view]"));
  const parts = Array.from(document.querySelectorAll("[data-view-part]"));
  const titles = { search: document.title, check: "Check a draft · citeindex" };
  const wanted = () =>
    new URLSearchParams(location.search).get("view") === "check" || location.hash === "#check" ? "check" : "search";
  const searchBox = () => document.querySelector("#search .ci-input");
  const show = (view, focus) => {
    for (const part of parts) part.hidden = part.dataset.viewPart !== view;
    for (const a of links) {
      if (a.dataset.view === view) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    document.title = titles[view];
    const box = view === "check" ? checker.input : searchBox();
    if (focus && box) box.focus();
  };
  for (const a of links) {
    a.addEventListener("click", (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      const view = a.dataset.view;
      if (view !== wanted()) {
        const query = searchBox() ? searchBox().value : "";
        const address =
          view === "check" ? "?view=check" : query.trim() ? "?q=" + encodeURIComponent(query) : location.pathname;
        history.pushState(null, "", address);
      }
      show(view, true);
    });
  }
  window.addEventListener("popstate", () => show(wanted(), false));
  show(wanted(), wanted() === "check");
}
