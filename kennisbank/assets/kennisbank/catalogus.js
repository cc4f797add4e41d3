// The catalogue's search: Pagefind's own UI, with the query from the header search form (?q=)
// (results show the entry's gemeente, periode and status from its Pagefind meta)
// and a choice of order (best match, or by period through the `periode` sort of the entry pages).
//
// Pagefind's UI lists only pages that hold every word it is given. It is given the question's content
// words (stopwords and question words left out, as in the header box); and a question of two or more
// content words gets "Beste treffers" above that list: the header box's merged search (zoekvak.js),
// which ranks by how many of the words a page holds and how rare they are, so it never needs them all.
(function () {
  "use strict";
  var host = document.getElementById("kb-pagefind");
  if (!host || typeof PagefindUI === "undefined") {
    return;
  }
  var here = document.baseURI;
  var order = document.getElementById("kb-volgorde");
  var ui = null;
  var searcher = null;
  var EXCERPT_WORDS = 30;
  var BEST = 5;  // each a fragment download
  var DEBOUNCE_MS = 200;
  var best = bestBlock();
  var bestId = 0;
  var timer = 0;

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
      translations: {
        clear_search: "Wissen", search_label: "Zoek in alle interventies", placeholder: "Bijvoorbeeld: schuldhulp of voorlezen",
        zero_results: "Geen interventie bevat al deze woorden: [SEARCH_TERM]"
      },
      processTerm: searcher ? function (asked) {
        return searcher.words(asked).join(" ") || asked;
      } : undefined,
      processResult: shown
    });
    // Pagefind's input has only a placeholder: give it our visible label.
    var input = host.querySelector("input[type=text], input[type=search], input");
    var label = document.querySelector(".kb-zoeklabel");
    if (input && label) {
      input.id = "kb-zoekterm";
      label.hidden = false;
    }
    if (input) {
      input.addEventListener("input", function () { schedule(input.value); });
    }
    if (term) {
      ui.triggerSearch(term);
      schedule(term);
    }
  }

  // "Beste treffers": the merged search for a question of two or more content words.
  function bestBlock() {
    var block = document.createElement("section");
    block.className = "kb-beste";
    block.hidden = true;
    block.setAttribute("aria-labelledby", "kb-beste-kop");
    var heading = block.appendChild(document.createElement("h2"));
    heading.id = "kb-beste-kop";
    heading.textContent = "Beste treffers voor uw vraag";
    var note = block.appendChild(document.createElement("p"));
    note.className = "kb-beste__uitleg";
    note.setAttribute("role", "status");
    block.appendChild(document.createElement("ol")).className = "kb-header-results__list kb-beste__list";
    host.parentNode.insertBefore(block, host);
    return block;
  }

  function schedule(term) {
    clearTimeout(timer);
    timer = setTimeout(function () { showBest(term.trim()); }, DEBOUNCE_MS);
  }

  function showBest(term) {
    var id = ++bestId;
    if (!searcher || searcher.words(term).length < 2) {
      best.hidden = true;
      return;
    }
    searcher.engine.question(term).then(function (found) {
      return Promise.all(found.results.slice(0, BEST).map(function (hit) { return hit.data(); })).then(function (pages) {
        if (id !== bestId) {
          return;
        }
        var list = best.querySelector("ol");
        list.textContent = "";
        pages.forEach(function (page) {
          var item = window.kennisbankZoeken.resultItem(page, "kb-header-results");
          if (item) {
            list.appendChild(item);
          }
        });
        best.querySelector("p").textContent = pages.length
          ? "De interventies die de meeste en de meest bijzondere woorden van uw vraag bevatten, ook als niet alle woorden erin staan."
          : "Geen van de woorden van uw vraag komt in de kennisbank voor. Probeer andere of algemenere woorden.";
        best.hidden = false;
      });
    }).catch(function () {
      best.hidden = true;
    });
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
    var filters = import(new URL("pagefind.js", new URL(host.dataset.bundle, here)).href).then(function (pagefind) {
      return pagefind.options({ baseUrl: new URL(host.dataset.base, here).pathname, excerptLength: EXCERPT_WORDS })
        .then(function () { return pagefind.filters(); });
    });
    // The header box's search (zoekvak.js, loaded after this page's content): for "Beste treffers".
    var merged = window.kennisbankZoeken
      ? window.kennisbankZoeken.engine(host.dataset.bundle, host.dataset.base, EXCERPT_WORDS).then(function (engine) {
        searcher = {
          engine: engine,
          words: function (asked) { return window.kennisbankZoeken.contentWords(asked, engine.lists); }
        };
      }, function () { searcher = null; })
      : Promise.resolve();
    return Promise.all([filters, merged]);
  }

  var term = new URLSearchParams(window.location.search).get("q");
  // On failure Pagefind UI starts all the same and reports its own loading errors.
  function begin() {
    warm().then(function () { start("", term); }, function () { start("", term); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", begin);
  } else {
    begin();
  }
  if (order) {
    order.parentElement.hidden = false;
    order.addEventListener("change", function () {
      var input = host.querySelector("input");
      start(order.value, input ? input.value : "");
    });
  }
})();
