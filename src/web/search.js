// citeindex search box: results as you type, page by page with each page's
// best passages, highlighted snippets, who said each passage, and a button
// that copies its citation.
//
// Text from the corpus is only ever set with textContent or as attribute
// values; the one HTML read, a citation's, is parsed into an inert template
// and only its text and italics kept. Links must be http(s) or relative.
"use strict";

const CiteIndex = (() => {
  const DEBOUNCE_MS = 150;
  // Pages a request asks for.
  const PAGE_SIZE = 10;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // A link only for http(s) and relative URLs: a corpus could hold
  // `javascript:` in a front-matter url.
  function safeHref(url, base) {
    if (!url) return null;
    try {
      const parsed = new URL(url, base || document.baseURI);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (_) {
      return null;
    }
  }

  function link(text, url, base, className) {
    const href = safeHref(url, base);
    if (!href) return el("span", className, text);
    const a = el("a", className, text);
    a.href = href;
    return a;
  }

  // Where a result's page is read: the page's own published address when
  // the site is known (--site-url) or the page has an absolute one, else
  // the service's reader view, at the passage, marked.
  function pageHref(hit, site, api) {
    if (site || /^https?:\/\//.test(hit.page.url || "")) return hit.page.url;
    const at = hit.id.lastIndexOf("#");
    const slug = at < 0 ? hit.id : hit.id.slice(0, at);
    const anchor = at < 0 ? "" : hit.id.slice(at + 1);
    const path = slug.split("/").map(encodeURIComponent).join("/");
    return (api || "") + "/page/" + path + (anchor ? "?passage=" + encodeURIComponent(anchor) + "#" + encodeURIComponent(anchor) : "");
  }

  // How a source is named: people and organisations by name, works by
  // their authors, then their title.
  function sourceName(source) {
    if (!source) return "";
    if (source.authors && source.authors.length) return source.authors.join(", ");
    return source.title || source.description || source.id;
  }

  function workName(source) {
    if (!source || !source.authors || !source.authors.length) return null;
    return source.title || source.description || null;
  }

  // Puts `text` on the clipboard, and `html` beside it as rich text when
  // given, so that a word processor keeps the italics and a plain editor
  // gets clean text.
  async function copyText(text, html) {
    try {
      if (html && typeof ClipboardItem !== "undefined" && navigator.clipboard.write) {
        await navigator.clipboard.write([
          new ClipboardItem({
            "text/plain": new Blob([text], { type: "text/plain" }),
            "text/html": new Blob([html], { type: "text/html" }),
          }),
        ]);
      } else {
        await navigator.clipboard.writeText(text);
      }
      return true;
    } catch (_) {
      const area = el("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.append(area);
      area.select();
      let ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (_) {
        ok = false;
      }
      area.remove();
      return ok;
    }
  }

  function copyButton(label, text, html) {
    const button = el("button", "ci-copy", label);
    button.type = "button";
    button.addEventListener("click", async (event) => {
      event.stopPropagation();
      const ok = await copyText(text, html);
      button.textContent = ok ? "Copied ✓" : "Copy failed";
      button.classList.toggle("ci-copied", ok);
      setTimeout(() => {
        button.textContent = label;
        button.classList.remove("ci-copied");
      }, 1600);
    });
    return button;
  }

  // The citation styles, as the API names them, and the one the visitor
  // chose last (kept in localStorage).
  const STYLES = [
    ["chicago-notes", "Chicago (notes)"],
    ["chicago-author-date", "Chicago (author-date)"],
    ["apa", "APA"],
    ["mla", "MLA"],
    ["bibtex", "BibTeX"],
    ["csl-json", "CSL-JSON"],
  ];
  const STYLE_KEY = "citeindex-style";

  function savedStyle() {
    try {
      const saved = localStorage.getItem(STYLE_KEY);
      if (STYLES.some(([name]) => name === saved)) return saved;
    } catch (_) {
      // Storage can be off (private windows, sandboxed frames).
    }
    return STYLES[0][0];
  }

  function saveStyle(name) {
    try {
      localStorage.setItem(STYLE_KEY, name);
    } catch (_) {
      // As above: the choice then lasts as long as the page.
    }
  }

  // A citation shown as it will be pasted: entries as code, notes as text
  // with the titles in italics (the HTML is the API's, whose corpus text is
  // escaped; it is parsed into an inert template, and only <i>, <em>, <b>,
  // <span> and text are kept).
  function citationView(cited) {
    if (cited.style === "bibtex" || cited.style === "csl-json") return el("pre", "ci-cite ci-cite-code", cited.text);
    const p = el("p", "ci-cite");
    const template = document.createElement("template");
    template.innerHTML = cited.html;
    const keep = (from, to) => {
      for (const node of from.childNodes) {
        if (node.nodeType === 3) to.append(node.textContent);
        else if (node.nodeType === 1 && /^(I|EM|B|STRONG|SPAN)$/.test(node.tagName)) {
          const copy = document.createElement(node.tagName === "SPAN" ? "span" : node.tagName.toLowerCase());
          keep(node, copy);
          to.append(copy);
        } else if (node.nodeType === 1) to.append(node.textContent);
      }
    };
    keep(template.content, p);
    return p;
  }

  function snippet(fragments) {
    const p = el("p", "ci-snippet");
    for (const fragment of fragments) {
      p.append(fragment.highlighted ? el("mark", null, fragment.text) : document.createTextNode(fragment.text));
    }
    return p;
  }

  function byline(hit, site) {
    const p = el("p", "ci-by");
    const said = hit.excerpted_from;
    if (said) {
      p.append("Said by ");
      p.append(link(sourceName(said), said.url, site, "ci-speaker"));
      const work = workName(said);
      if (work) {
        p.append(" in ");
        p.append(link("“" + work + "”", said.url, site, "ci-work"));
      }
      p.append(el("span", "ci-chain", " · " + hit.attribution));
    } else {
      p.append(el("span", "ci-chain", hit.attribution));
    }
    return p;
  }

  function quotes(hit, site) {
    const spoken = hit.quotes.filter((q) => q.speaker && q.kind === "quotation");
    if (!spoken.length) return null;
    const list = el("ul", "ci-quotes");
    for (const quote of spoken) {
      const item = el("li", "ci-quote");
      item.append(el("q", null, quote.text));
      item.append(" — ");
      item.append(link(sourceName(quote.speaker), quote.speaker.url, site, "ci-speaker"));
      if (quote.attribution) item.append(el("span", "ci-chain", " · " + quote.attribution));
      if (quote.citation) item.append(" ", copyButton("Copy quote citation", quote.citation));
      list.append(item);
    }
    return list;
  }

  function result(hit, site) {
    const item = el("li", "ci-result");
    item.tabIndex = 0;
    item.dataset.id = hit.id;
    const head = el("div", "ci-head");
    head.append(el("span", "ci-meta", hit.kind.replace("-", " ") + " · line " + hit.line));
    item.append(head);
    if (hit.headings && hit.headings.length) item.append(el("p", "ci-trail", hit.headings.join(" › ")));
    item.append(snippet(hit.snippet));
    item.append(byline(hit, site));
    const spoken = quotes(hit, site);
    if (spoken) item.append(spoken);
    const foot = el("div", "ci-foot-row");
    if (hit.cited) {
      item.append(citationView(hit.cited));
      foot.append(copyButton("Copy citation", hit.cited.text, hit.cited.html));
    } else {
      foot.append(copyButton("Copy citation", hit.citation));
    }
    foot.append(el("code", "ci-id", hit.id));
    item.append(foot);
    return item;
  }

  // One page of the results: its title, authors and date, its best
  // passages, and the rest behind "more from this page".
  function pageGroup(group, site, api) {
    const item = el("li", "ci-group");
    const head = el("div", "ci-page-head");
    const title = link(group.page.title, pageHref(group.hits[0], site, api), site, "ci-title");
    title.tabIndex = -1;
    head.append(title);
    const about = [];
    if (group.authors && group.authors.length) about.push(group.authors.join(", "));
    if (group.date) about.push(group.date);
    about.push(group.matches === 1 ? "1 passage" : group.matches.toLocaleString("en") + " passages");
    head.append(el("p", "ci-page-meta", about.join(" · ")));
    item.append(head);
    const best = el("ol", "ci-passages");
    for (const hit of group.hits) best.append(result(hit, site));
    item.append(best);
    if (group.more && group.more.length) {
      const more = el("details", "ci-more-here");
      more.append(el("summary", null, "More from this page (" + group.more.length + ")"));
      const rest = el("ol", "ci-passages");
      for (const hit of group.more) rest.append(result(hit, site));
      more.append(rest);
      item.append(more);
    }
    return item;
  }

  // A word diff from what was typed to what is written: struck out what
  // is not there, underlined what is.
  function diff(edits) {
    const p = el("p", "ci-diff");
    edits.forEach((edit, i) => {
      const last = i === edits.length - 1;
      if (edit.op === "equal") p.append(edit.written);
      if (edit.op === "delete" || edit.op === "replace") p.append(el("del", null, edit.asked));
      if (edit.op === "insert" || edit.op === "replace") p.append(el("ins", null, edit.written));
      // What stands between the written words, as written: "well-organized, ".
      const after = edit.op === "delete" ? " " : edit.after || " ";
      if (!last) p.append(after);
    });
    return p;
  }

  // The quote look-up's answer to a query that reads as a sentence and
  // stands nowhere as typed: its close matches with their diff, else the
  // nearest passages.
  function quoteFallback(lookup, site, api) {
    const box = el("section", "ci-fallback");
    if (lookup.matches.length) {
      box.append(el("h2", "ci-fallback-head", "Close matches: the words as they stand"));
      const list = el("ol", "ci-passages");
      for (const match of lookup.matches) {
        if (match.cited) match.passage.cited = match.cited;
        const item = result(match.passage, site);
        const page = link(match.passage.page.title, pageHref(match.passage, site, api), site, "ci-title");
        const head = item.querySelector(".ci-head");
        head.prepend(page);
        const score = Math.round(match.similarity * 100) + "% of the words";
        head.querySelector(".ci-meta").textContent = match.status + " match · " + score;
        item.insertBefore(el("blockquote", "ci-wording", match.wording), head.nextSibling);
        if (match.diff.length) item.insertBefore(diff(match.diff), head.nextSibling.nextSibling);
        list.append(item);
      }
      box.append(list);
    } else if (lookup.nearest.length) {
      box.append(el("h2", "ci-fallback-head", "Nearest passages"));
      const list = el("ol", "ci-passages");
      for (const hit of lookup.nearest) {
        const item = result(hit, site);
        item.querySelector(".ci-head").prepend(link(hit.page.title, pageHref(hit, site, api), site, "ci-title"));
        list.append(item);
      }
      box.append(list);
    }
    const item = el("li", "ci-group ci-quote-group");
    item.append(box);
    return item;
  }

  // The facets of the results as filters: a choice for each of speaker,
  // source, author and section with its counts, and a range of years.
  const FACETS = [
    ["speaker", "Speaker"],
    ["source", "Source"],
    ["author", "Author"],
    ["section", "Section"],
  ];

  function facetBar(facets, chosen, prefix, onChange) {
    const bar = el("div", "ci-facets");
    for (const [name, label] of FACETS) {
      const values = facets[name] || [];
      if (!values.length && !chosen[name]) continue;
      const field = el("label", "ci-facet");
      field.append(el("span", null, label));
      const select = el("select");
      select.name = name;
      select.id = prefix + "-" + name;
      select.append(new Option("Any", ""));
      for (const v of values) select.append(new Option(v.label + " (" + v.count.toLocaleString("en") + ")", v.value));
      if (chosen[name] && !values.some((v) => v.value === chosen[name])) select.append(new Option(chosen[name], chosen[name]));
      select.value = chosen[name] || "";
      select.addEventListener("change", () => onChange(name, select.value));
      field.append(select);
      bar.append(field);
    }
    if (facets.year || chosen.year) {
      const field = el("label", "ci-facet");
      field.append(el("span", null, "Years"));
      const input = el("input", "ci-years");
      input.name = "year";
      input.id = prefix + "-year";
      input.placeholder = facets.year ? facets.year.min + "-" + facets.year.max : "1700-1750";
      input.value = chosen.year || "";
      input.size = 10;
      input.addEventListener("change", () => onChange("year", input.value.trim()));
      field.append(input);
      bar.append(field);
    }
    return bar;
  }

  function mount(container, options) {
    const api = (options && options.api) || "";
    const site = (options && options.site) || "";
    const syncUrl = !!(options && options.syncUrl);
    const id = "ci-" + Math.random().toString(36).slice(2, 8);

    const root = el("div", "ci");
    const form = el("form", "ci-form");
    form.setAttribute("role", "search");
    const label = el("label", "ci-label", "Search the corpus");
    label.htmlFor = id + "-q";
    const input = el("input", "ci-input");
    input.type = "search";
    input.id = id + "-q";
    input.name = "q";
    input.placeholder = "Words, “a phrase”, prefix*…";
    input.autocomplete = "off";
    input.spellcheck = false;
    // A combobox: its listbox names the pages found, ↓/↑ choose one, Enter
    // goes to that page's best passage.
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "-suggest");
    const suggest = el("ul", "ci-suggest");
    suggest.id = id + "-suggest";
    suggest.setAttribute("role", "listbox");
    suggest.setAttribute("aria-label", "Pages found");
    suggest.hidden = true;
    const picker = el("label", "ci-style");
    picker.append(el("span", null, "Cite as"));
    const styleSelect = el("select");
    styleSelect.id = id + "-style";
    for (const [name, title] of STYLES) styleSelect.append(new Option(title, name));
    styleSelect.value = savedStyle();
    picker.append(styleSelect);
    form.append(label, input, suggest, picker);
    const status = el("p", "ci-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    const filters = el("div", "ci-filters");
    const chosen = {};
    const list = el("ol", "ci-results");
    list.id = id + "-results";
    const more = el("button", "ci-more", "More results");
    more.type = "button";
    more.hidden = true;
    root.append(form, filters, status, list, more);
    container.append(root);

    let timer = null;
    let sequence = 0;
    let controller = null;
    let shown = { query: "", offset: 0, total: 0 };

    async function run(query, offset, typing) {
      const mine = ++sequence;
      if (controller) controller.abort();
      controller = new AbortController();
      const params = new URLSearchParams({
        q: query,
        limit: String(PAGE_SIZE),
        offset: String(offset),
        group: "page",
        style: styleSelect.value,
      });
      for (const [name, value] of Object.entries(chosen)) if (value) params.set(name, value);
      if (typing) params.set("mode", "typing");
      root.classList.add("ci-busy");
      try {
        const response = await fetch(api + "/api/search?" + params, { signal: controller.signal });
        const body = await response.json();
        // A newer query was typed while this one ran: drop it.
        if (mine !== sequence) return;
        if (!response.ok) {
          status.textContent = body && body.error ? body.error.message : "The search failed.";
          status.classList.add("ci-error");
          if (offset === 0) list.replaceChildren();
          more.hidden = true;
          return;
        }
        status.classList.remove("ci-error");
        if (offset === 0) list.replaceChildren();
        if (offset === 0) {
          filters.replaceChildren(
            facetBar(body.facets, chosen, id, (name, value) => {
              chosen[name] = value;
              schedule(true);
            }),
          );
        }
        if (body.quote) list.append(quoteFallback(body.quote, site, api));
        for (const group of body.pages) list.append(pageGroup(group, site, api));
        if (offset === 0) fillSuggest(body.pages);
        shown = { query, offset: offset + body.pages.length, total: body.total_pages };
        const pages = body.total_pages === 1 ? "1 page" : body.total_pages.toLocaleString("en") + " pages";
        status.textContent =
          body.total === 0
            ? body.quote && body.quote.matches.length
              ? "These words stand nowhere as typed; the closest wording below."
              : body.quote && body.quote.nearest.length
                ? "No passage matches “" + query + "”; the nearest passages below."
                : "No passage matches “" + query + "”."
            : (body.total === 1 ? "1 passage" : body.total.toLocaleString("en") + " passages") +
              " on " +
              pages +
              (shown.offset < body.total_pages ? ", best first" : "");
        more.hidden = shown.offset >= shown.total;
        root.dataset.state = "done";
      } catch (error) {
        if (error.name === "AbortError" || mine !== sequence) return;
        status.textContent = "The search service cannot be reached.";
        status.classList.add("ci-error");
      } finally {
        if (mine === sequence) root.classList.remove("ci-busy");
      }
    }

    function schedule(immediate) {
      clearTimeout(timer);
      const query = input.value;
      if (syncUrl) {
        const url = query.trim() ? "?q=" + encodeURIComponent(query) : location.pathname;
        history.replaceState(null, "", url);
      }
      if (!query.trim()) {
        sequence++;
        if (controller) controller.abort();
        list.replaceChildren();
        filters.replaceChildren();
        fillSuggest([]);
        status.textContent = "";
        more.hidden = true;
        return;
      }
      timer = setTimeout(() => run(query, 0, !immediate), immediate ? 0 : DEBOUNCE_MS);
    }

    input.addEventListener("input", () => schedule(false));
    styleSelect.addEventListener("change", () => {
      saveStyle(styleSelect.value);
      if (input.value.trim()) schedule(true);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      schedule(true);
    });
    more.addEventListener("click", () => run(shown.query, shown.offset, false));

    // Keyboard: ↓/↑ in the box through the pages found, Enter to a page's
    // best passage, ↑/↓ (or j/k) between passages, Enter opens the page,
    // Esc goes back to the box.
    // The passages one can move to: those shown, not those folded away.
    function visible() {
      return Array.from(list.querySelectorAll(".ci-result")).filter((r) => r.offsetParent !== null);
    }
    let active = -1;
    const focused = () => input.getRootNode().activeElement === input;
    function expand(open) {
      const on = open && suggest.children.length > 0;
      suggest.hidden = !on;
      input.setAttribute("aria-expanded", on ? "true" : "false");
      if (!on) activate(-1);
    }
    function activate(at) {
      active = at;
      Array.from(suggest.children).forEach((option, i) => {
        option.setAttribute("aria-selected", i === at ? "true" : "false");
        option.classList.toggle("ci-active", i === at);
      });
      if (at >= 0) input.setAttribute("aria-activedescendant", suggest.children[at].id);
      else input.removeAttribute("aria-activedescendant");
    }
    // The page chosen: its best passage gets the focus.
    function choose(at) {
      expand(false);
      const group = list.querySelectorAll(".ci-group:not(.ci-quote-group)")[at];
      const first = group && group.querySelector(".ci-result");
      if (first) {
        first.focus();
        first.scrollIntoView({ block: "nearest" });
      }
    }
    function fillSuggest(pages) {
      suggest.replaceChildren();
      pages.slice(0, 6).forEach((group, i) => {
        const option = el("li", "ci-option", group.page.title);
        option.id = id + "-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        // Chosen with the pointer without taking the focus from the box.
        option.addEventListener("mousedown", (event) => event.preventDefault());
        option.addEventListener("click", () => choose(i));
        suggest.append(option);
      });
      expand(focused());
    }
    input.addEventListener("focus", () => expand(true));
    input.addEventListener("blur", () => expand(false));
    input.addEventListener("keydown", (event) => {
      const count = suggest.children.length;
      if (event.key === "ArrowDown" && count) {
        event.preventDefault();
        expand(true);
        activate(Math.min(active + 1, count - 1));
      } else if (event.key === "ArrowUp" && count && active >= 0) {
        event.preventDefault();
        activate(active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && !suggest.hidden) {
        event.preventDefault();
        event.stopPropagation();
        expand(false);
      }
    });
    list.addEventListener("keydown", (event) => {
      const current = event.target.closest(".ci-result");
      if (!current || event.target !== current) return;
      const all = visible();
      const at = all.indexOf(current);
      if (event.key === "ArrowDown" || event.key === "j") {
        event.preventDefault();
        (all[at + 1] || current).focus();
      } else if (event.key === "ArrowUp" || event.key === "k") {
        event.preventDefault();
        (all[at - 1] || input).focus();
      } else if (event.key === "Enter") {
        const title = current.closest(".ci-group").querySelector("a.ci-title");
        if (title) title.click();
      } else if (event.key === "Escape") {
        input.focus();
      }
    });

    return {
      input,
      search(query) {
        input.value = query;
        schedule(true);
      },
    };
  }

  // The parts the page's other views (check.js) build with.
  const parts = { el, link, pageHref, sourceName, copyButton, citationView, snippet, diff, STYLES, savedStyle, saveStyle };

  return { mount, parts };
})();

// The search page: mount into #search, take ?q= from the address, and let
// "/" focus the box.
if (typeof document !== "undefined" && document.querySelector("[data-citeindex-page]")) {
  const meta = document.querySelector('meta[name="citeindex-site"]');
  const box = CiteIndex.mount(document.getElementById("search"), {
    api: "",
    site: meta ? meta.content : "",
    syncUrl: true,
  });
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) box.search(initial);
  const searching = () => !document.getElementById("search").hidden;
  if (new URLSearchParams(location.search).get("view") !== "check" && location.hash !== "#check") box.input.focus();
  document.addEventListener("keydown", (event) => {
    // Not while another view is shown, nor while "/" is typed into a field.
    const typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "/" && searching() && !typing) {
      event.preventDefault();
      box.input.focus();
      box.input.select();
    }
  });
}
