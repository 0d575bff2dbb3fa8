// Page-wide behaviour that must work even while the Blazor circuit is gone: the circuit state on <html>, so every
// live indicator stops claiming "Live" once the server can no longer update it, and the keyboard shortcuts.
(function () {
  var root = document.documentElement;

  // Blazor marks #components-reconnect-modal with components-reconnect-{show,retrying,failed,rejected,paused,...}
  // while the connection is lost; "hide" (or no class) means connected.
  function circuitState(el) {
    var c = el.className || "";
    if (/components-reconnect-(failed|rejected|resume-failed)/.test(c)) { return "gone"; }
    if (/components-reconnect-paused/.test(c)) { return "gone"; }
    if (/components-reconnect-(show|retrying)/.test(c)) { return "reconnecting"; }
    return "connected";
  }

  function watchReconnect() {
    var el = document.getElementById("components-reconnect-modal");
    if (!el) { return; }
    var update = function () { root.setAttribute("data-circuit", circuitState(el)); };
    new MutationObserver(update).observe(el, { attributes: true, attributeFilter: ["class"] });
    update();
    var reload = el.querySelector("[data-reconnect-reload]");
    if (reload) { reload.addEventListener("click", function () { location.reload(); }); }
  }

  // A box that scrolls must be reachable by keyboard (WCAG 2.1.1): scroll boxes rendered without ScrollTable (MudBlazor's
  // table container, older wrappers) get a tab stop and a name once they actually overflow.
  var scrollBoxes = ".table-wrap, .matrix-wrap, .mud-table-container, .scroll-box, .detail-grid > .mud-paper, section.panel, .embed-panel";
  var pendingScan = false;
  function nameOf(el) {
    var scope = el.closest("section, .mud-paper, .panel, figure") || el.parentElement;
    var h = scope && scope.querySelector("h1, h2, h3, caption, figcaption");
    return (h && h.textContent.trim()) || "Scrollable table";
  }
  function scanScrollBoxes() {
    pendingScan = false;
    document.querySelectorAll(scrollBoxes).forEach(function (el) {
      if (el.hasAttribute("tabindex")) { return; }
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
        el.setAttribute("tabindex", "0");
        if (!el.hasAttribute("role")) { el.setAttribute("role", "region"); }
        if (!el.hasAttribute("aria-label")) { el.setAttribute("aria-label", nameOf(el)); }
      }
    });
  }
  function queueScan() {
    if (!pendingScan) { pendingScan = true; requestAnimationFrame(scanScrollBoxes); }
  }
  new MutationObserver(queueScan).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("resize", queueScan);

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  var pendingG = 0;
  var routes = { o: "./", n: "nodes", c: "connectivity", t: "controllers", b: "bpf-maps", r: "drift", f: "flows", s: "flows/summary", d: "diagnostics", e: "embed" };

  function go(path) {
    var url = new URL(path, document.baseURI).href;
    if (window.Blazor && window.Blazor.navigateTo) { window.Blazor.navigateTo(url); } else { location.href = url; }
  }

  function onKey(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) { return; }
    var dialog = document.getElementById("shortcuts-dialog");
    if (dialog && dialog.open) { return; }
    if (e.key === "?") {
      e.preventDefault();
      if (dialog && dialog.showModal) { dialog.showModal(); }
      return;
    }
    if (e.key === "/") {
      var target = document.querySelector("[data-shortcut=filter]");
      if (target) { e.preventDefault(); target.focus(); }
      return;
    }
    if (pendingG && Date.now() - pendingG < 1500 && routes[e.key]) {
      e.preventDefault();
      pendingG = 0;
      go(routes[e.key]);
      return;
    }
    pendingG = e.key === "g" ? Date.now() : 0;
  }

  function wireDialog() {
    var dialog = document.getElementById("shortcuts-dialog");
    if (!dialog) { return; }
    var close = dialog.querySelector("[data-dialog-close]");
    if (close) { close.addEventListener("click", function () { dialog.close(); }); }
  }

  document.addEventListener("keydown", onKey);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { watchReconnect(); wireDialog(); });
  } else {
    watchReconnect();
    wireDialog();
  }

  window.ciliumDash = {
    // Puts the focus on an element by id once Blazor has rendered it (the drawer on open).
    focus: function (id) { var el = document.getElementById(id); if (el) { el.focus(); } },
    showShortcuts: function () { var d = document.getElementById("shortcuts-dialog"); if (d && d.showModal && !d.open) { d.showModal(); } }
  };
})();
