// Mounts the search box on any page of the corpus's own website:
//
//   <script src="https://search.example.org/widget.js" data-target="#search" async></script>
//
// By default it is a "Search" button (where data-target names, else where
// the script stands) that opens the box as a dialog over the page, as site
// search boxes do; Ctrl-K (⌘K) or "/" opens it too. With
// data-mode="inline" the box is drawn in place instead. Either way a
// ?q= in the page's address is searched at once.
//
// The box lives in a shadow root, so the site's styles and the widget's do
// not mix; it asks the service the script came from.
const script = document.currentScript;
if (script) {
  const api = new URL(script.src, document.baseURI).origin;
  const named = script.dataset.target ? document.querySelector(script.dataset.target) : null;
  const host = named || document.createElement("div");
  if (!named) script.after(host);
  const shadow = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = CITEINDEX_STYLE;
  shadow.append(style);
  const options = { api, site: script.dataset.site || "", syncUrl: false };
  const initial = new URLSearchParams(location.search).get("q");

  if (script.dataset.mode === "inline") {
    const box = document.createElement("div");
    box.className = "ci-widget";
    shadow.append(box);
    const mounted = CiteIndex.mount(box, options);
    if (initial) mounted.search(initial);
  } else {
    const opener = document.createElement("button");
    opener.type = "button";
    opener.className = "ci-opener";
    opener.setAttribute("aria-haspopup", "dialog");
    opener.textContent = "Search";
    const keys = document.createElement("kbd");
    keys.textContent = /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘K" : "Ctrl K";
    opener.append(" ", keys);

    const backdrop = document.createElement("div");
    backdrop.className = "ci-backdrop";
    backdrop.hidden = true;
    const dialog = document.createElement("div");
    dialog.className = "ci-dialog";
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-label", "Search the corpus");
    const close = document.createElement("button");
    close.type = "button";
    close.className = "ci-close";
    close.setAttribute("aria-label", "Close the search");
    close.textContent = "×";
    const box = document.createElement("div");
    box.className = "ci-widget";
    dialog.append(close, box);
    backdrop.append(dialog);
    shadow.append(opener, backdrop);
    const mounted = CiteIndex.mount(box, options);

    let before = null;
    const open = () => {
      if (!backdrop.hidden) return;
      // Inside the widget's own shadow tree the document sees only the
      // host; the element to give focus back to is the one in the tree.
      before = document.activeElement === host ? shadow.activeElement : document.activeElement;
      backdrop.hidden = false;
      document.documentElement.style.overflow = "hidden";
      mounted.input.focus();
      mounted.input.select();
    };
    const shut = () => {
      if (backdrop.hidden) return;
      backdrop.hidden = true;
      document.documentElement.style.overflow = "";
      // Focus goes back where it was, or to the button when that was the
      // page itself or is gone; never left on the hidden box, where the
      // browser would drop it only at its next rendering.
      const back = before && before.isConnected && before !== document.body && before.focus ? before : opener;
      back.focus();
      const now = back.getRootNode() === shadow ? shadow.activeElement : document.activeElement;
      if (now !== back) opener.focus();
    };
    opener.addEventListener("click", open);
    close.addEventListener("click", shut);
    backdrop.addEventListener("mousedown", (event) => {
      if (event.target === backdrop) shut();
    });
    // The elements Tab may reach in the dialog, in order.
    const reachable = () =>
      Array.from(dialog.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]")).filter(
        (e) => e.tabIndex >= 0 && !e.disabled && e.offsetParent !== null,
      );
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && shadow.activeElement === mounted.input) {
        event.preventDefault();
        shut();
      } else if (event.key === "Tab") {
        // Focus stays in the dialog while it is open: Tab and Shift-Tab
        // go round its controls, in order.
        const all = reachable();
        if (!all.length) return;
        event.preventDefault();
        const at = all.indexOf(shadow.activeElement);
        const step = event.shiftKey ? -1 : 1;
        all[(at + step + all.length) % all.length].focus();
      }
    });
    // Whatever else moves the focus out while the dialog is open (a click
    // beside it, the browser's own focus moves) brings it back to the box.
    document.addEventListener("focusin", (event) => {
      if (!backdrop.hidden && event.target !== host) mounted.input.focus();
    });
    document.addEventListener("keydown", (event) => {
      const typing =
        event.target instanceof HTMLElement &&
        (event.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName));
      const chord = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k";
      if (chord || (event.key === "/" && !typing && backdrop.hidden)) {
        event.preventDefault();
        open();
      }
    });
    if (initial) {
      open();
      mounted.search(initial);
    }
  }
}
