// A panel rendered without a live connection (a signed embed link) reloads itself to stay current, but never while
// the reader is using it: not while the frame is hidden, and not while something in it has the focus or is selected.
(function () {
  var every = 15000;
  setInterval(function () {
    var busy = document.activeElement && document.activeElement !== document.body;
    var selecting = window.getSelection && String(window.getSelection()).length > 0;
    if (document.visibilityState === "visible" && !busy && !selecting) { location.reload(); }
  }, every);
})();
