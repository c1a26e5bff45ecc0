// Document page: tabs (the page works without this script: links and :target), copy buttons for
// the full citation form and each article's or clause's link, and the print link.
(function () {
  "use strict";
  var tabs = document.querySelectorAll(".tab-list a[data-tab]");
  var panels = document.querySelectorAll(".tabs .tab-panel");
  function show(id) {
    var known = false;
    panels.forEach(function (p) { if (p.id === id) { known = true; } });
    if (!known) { id = "noi-dung"; }
    panels.forEach(function (p) { p.classList.toggle("active", p.id === id); });
    tabs.forEach(function (t) { t.setAttribute("aria-selected", t.dataset.tab === id ? "true" : "false"); });
  }
  function fromHash() {
    var id = decodeURIComponent(location.hash.replace(/^#/, ""));
    var el = id && document.getElementById(id);
    var panel = el && el.closest ? el.closest(".tab-panel") : null;
    show(panel ? panel.id : "noi-dung");
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();

  function copy(text, el) {
    function done() { el.classList.add(el.tagName === "BUTTON" ? "done" : "copied"); el.dataset.copied = text;
      setTimeout(function () { el.classList.remove("done", "copied"); }, 2000); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else { fallback(text); done(); }
  }
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); } catch (e) { /* the text stays selectable on the page */ }
    document.body.removeChild(area);
  }
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest("button.copy[data-copy]");
    if (button) { copy(button.dataset.copy, button); return; }
    var link = ev.target.closest("a[data-copy-link]");
    if (link) {
      var url = location.origin + location.pathname + link.dataset.copyLink;
      copy(url, link);
      return;   // the link is still followed: the address bar shows it too
    }
    if (ev.target.closest("a[data-print]")) { ev.preventDefault(); window.print(); }
  });
})();
