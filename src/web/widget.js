// Mounts the search box where this script stands, or into the element named
// by data-target, on any page of the corpus's own website:
//
//   <script src="https://search.example.org/widget.js" data-target="#search" async></script>
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
  const box = document.createElement("div");
  box.className = "ci-widget";
  shadow.append(style, box);
  CiteIndex.mount(box, { api, site: script.dataset.site || "", syncUrl: false });
}
