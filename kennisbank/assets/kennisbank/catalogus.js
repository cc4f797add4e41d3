// The catalogue's search: Pagefind's own UI, with the query from the header search form (?q=)
// (results show the entry's gemeente, periode and status from its Pagefind meta)
// and a choice of order (best match, or by period through the `periode` sort of the entry pages).
(function () {
  "use strict";
  var host = document.getElementById("kb-pagefind");
  if (!host || typeof PagefindUI === "undefined") {
    return;
  }
  var here = document.baseURI;
  var order = document.getElementById("kb-volgorde");
  var ui = null;

  function start(sort, term) {
    if (ui) {
      ui.destroy();
      host.innerHTML = "";
    }
    ui = new PagefindUI({
      element: "#kb-pagefind",
      bundlePath: new URL(host.dataset.bundle, here).pathname,
      baseUrl: new URL(host.dataset.base, here).pathname,
      pageSize: 5,
      showImages: false,
      showSubResults: false,
      showEmptyFilters: false,
      excerptLength: 30,
      debounceTimeoutMs: 150,
      resetStyles: false,
      sort: sort ? { periode: sort } : null,
      openFilters: ["thema", "status"],
      translations: { clear_search: "Wissen", search_label: "Zoek in alle interventies", placeholder: "Bijvoorbeeld: schuldhulp of voorlezen" }
    });
    // Pagefind's input has only a placeholder: give it our visible label.
    var input = host.querySelector("input[type=text], input[type=search], input");
    var label = document.querySelector(".kb-zoeklabel");
    if (input && label) {
      input.id = "kb-zoekterm";
      label.hidden = false;
    }
    if (term) {
      ui.triggerSearch(term);
    }
  }

  // The catalogue is the search page: Pagefind's engine, metadata and filters load with the page
  // (in Pagefind's worker, while the long list below is still arriving), not after the first key.
  // Pagefind UI imports the same module, so it finds everything loaded.
  var warmed = false;
  function warm() {
    if (warmed) {
      return;
    }
    warmed = true;
    import(new URL("pagefind.js", new URL(host.dataset.bundle, here)).href).then(function (pagefind) {
      return pagefind.options({ baseUrl: new URL(host.dataset.base, here).pathname, excerptLength: 30 })
        .then(function () { return pagefind.filters(); });
    }).catch(function () { /* Pagefind UI reports its own loading errors */ });
  }
  warm();

  start("", new URLSearchParams(window.location.search).get("q"));
  if (order) {
    order.parentElement.hidden = false;
    order.addEventListener("change", function () {
      var input = host.querySelector("input");
      start(order.value, input ? input.value : "");
    });
  }
})();
