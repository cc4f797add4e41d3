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
  var EXCERPT_WORDS = 30;

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
      excerptLength: EXCERPT_WORDS,
      debounceTimeoutMs: 150,
      resetStyles: false,
      sort: sort ? { periode: sort } : null,
      openFilters: ["thema", "status"],
      translations: { clear_search: "Wissen", search_label: "Zoek in alle interventies", placeholder: "Bijvoorbeeld: schuldhulp of voorlezen" },
      processResult: shown
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

  // A result as shown: the count of the words the build added for the search (meta aanvulling) is no
  // fact for a reader, and an excerpt that would show those hidden words shows the entry's own (zoekvak.js).
  function shown(result) {
    var own = window.kennisbankZoeken ? window.kennisbankZoeken.ownExcerpt(result, EXCERPT_WORDS) : null;
    if (own) {
      result.excerpt = own.map(function (word) {
        return word.mark ? "<mark>" + escape(word.text) + "</mark>" : escape(word.text);
      }).join(" ");
    }
    if (result.meta) {
      delete result.meta.aanvulling;
    }
    return result;
  }

  function escape(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  // The catalogue is the search page: Pagefind's engine, metadata and filters load with the page
  // (in Pagefind's worker, while the long list below is still arriving), not after the first key.
  // Pagefind UI starts once they are in: it imports the same module and finds everything loaded.
  // (Started earlier, a search typed before the filters arrived set the filter panel from the
  // filters loaded so far, and Pagefind UI never completed it: some filters were simply missing.)
  function warm() {
    return import(new URL("pagefind.js", new URL(host.dataset.bundle, here)).href).then(function (pagefind) {
      return pagefind.options({ baseUrl: new URL(host.dataset.base, here).pathname, excerptLength: 30 })
        .then(function () { return pagefind.filters(); });
    });
  }

  var term = new URLSearchParams(window.location.search).get("q");
  // On failure Pagefind UI starts all the same and reports its own loading errors.
  warm().then(function () { start("", term); }, function () { start("", term); });
  if (order) {
    order.parentElement.hidden = false;
    order.addEventListener("change", function () {
      var input = host.querySelector("input");
      start(order.value, input ? input.value : "");
    });
  }
})();
