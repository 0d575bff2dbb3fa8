// Runs in <head>, before the first paint: applies the theme the reader chose (light, dark or system) so a reload
// never flashes the other scheme. The choice lives in localStorage; the resolved scheme is mirrored into a cookie so
// the server prerenders the page in it, and into <html data-scheme> so the page background is right from the start.
(function () {
  var key = "ciliumdash-theme";
  var choice = "system";
  try { choice = localStorage.getItem(key) || "system"; } catch (e) { /* storage disabled: follow the system */ }
  if (choice !== "light" && choice !== "dark") { choice = "system"; }
  var dark = choice === "dark" || (choice === "system" && window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  var root = document.documentElement;
  root.setAttribute("data-theme-choice", choice);
  root.setAttribute("data-scheme", dark ? "dark" : "light");
  root.style.colorScheme = dark ? "dark" : "light";
  document.cookie = key + "=" + (dark ? "dark" : "light") + ";path=/;max-age=31536000;samesite=lax";

  window.ciliumDashTheme = {
    // Called by the layout: the choice for this browser, and whether it resolves to dark now.
    get: function () {
      var c = "system";
      try { c = localStorage.getItem(key) || "system"; } catch (e) { /* see above */ }
      if (c !== "light" && c !== "dark") { c = "system"; }
      var d = c === "dark" || (c === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
      return { choice: c, dark: d };
    },
    set: function (c, d) {
      try { localStorage.setItem(key, c); } catch (e) { /* the choice then lasts for this page only */ }
      root.setAttribute("data-theme-choice", c);
      root.setAttribute("data-scheme", d ? "dark" : "light");
      root.style.colorScheme = d ? "dark" : "light";
      document.cookie = key + "=" + (d ? "dark" : "light") + ";path=/;max-age=31536000;samesite=lax";
    }
  };
})();
