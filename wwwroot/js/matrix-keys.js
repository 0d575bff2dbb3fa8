// The connectivity matrix is one tab stop (roving tabindex): arrow keys move between cells, Home/End to a row's ends,
// Enter or Space clicks the focused cell's button (the browser does that for buttons). Delegated on the document so it
// keeps working when Blazor re-renders the grid.
(function () {
  var moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };

  function cellAt(table, r, c) {
    var row = table.tBodies[0] && table.tBodies[0].rows[r];
    if (!row) { return null; }
    var cells = row.querySelectorAll("td.mx");
    return cells[c] ? cells[c].querySelector("button.mx-cell") : null;
  }

  document.addEventListener("keydown", function (e) {
    var button = e.target;
    if (!button || !button.classList || !button.classList.contains("mx-cell")) { return; }
    var td = button.parentElement, tr = td.parentElement, table = tr.closest("table.matrix");
    if (!table) { return; }
    var r = Array.prototype.indexOf.call(table.tBodies[0].rows, tr);
    var c = Array.prototype.indexOf.call(tr.querySelectorAll("td.mx"), td);
    var next = null;
    if (moves[e.key]) {
      next = cellAt(table, r + moves[e.key][0], c + moves[e.key][1]);
    } else if (e.key === "Home") {
      next = cellAt(table, r, 0);
    } else if (e.key === "End") {
      next = cellAt(table, r, tr.querySelectorAll("td.mx").length - 1);
    } else {
      return;
    }
    e.preventDefault();
    if (!next) { return; }
    var all = table.querySelectorAll("button.mx-cell[tabindex='0']");
    for (var i = 0; i < all.length; i++) { all[i].setAttribute("tabindex", "-1"); }
    next.setAttribute("tabindex", "0");
    next.focus();
  });
})();
