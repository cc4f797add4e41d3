// The catalogue's search: Pagefind's own UI, with the query from the header search form (?q=).
(function () {
  "use strict";
  var host = document.getElementById("kb-pagefind");
  if (!host || typeof PagefindUI === "undefined") {
    return;
  }
  var here = document.baseURI;
  var ui = new PagefindUI({
    element: "#kb-pagefind",
    bundlePath: new URL(host.dataset.bundle, here).pathname,
    baseUrl: new URL(host.dataset.base, here).pathname,
    showImages: false,
    showSubResults: false,
    showEmptyFilters: false,
    excerptLength: 30,
    resetStyles: false,
    autofocus: false,
    processResult: function (result) {
      var meta = result.meta || {};
      var facts = [meta.gemeente, meta.periode, meta.status].filter(Boolean).join(" · ");
      if (facts) {
        meta.title = (meta.title || "") + " (" + facts + ")";
      }
      return result;
    }
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
