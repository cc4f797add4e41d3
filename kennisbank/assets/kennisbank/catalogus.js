// The catalogue's search and filters, on Pagefind's search API (pagefind.js) and the header box's shared
// engine (zoekvak.js, window.kennisbankZoeken). Everything is built as DOM with textContent: no value from
// the index ever becomes markup.
//
// On arrival the filters show with their counts (Pagefind's filters(), no query needed), each group's
// values by count (ties alphabetical); a group opens and closes with its button (aria-expanded). Choosing
// a value without typing lists the entries that have it (search(null, {filters})); within a group one of
// the chosen values is enough, between groups all must hold. While a search or a filter is active the
// plain alphabetical list below is hidden, and the results take its place; "Wis filters" and an empty box
// bring it back. The number of results is announced (role=status). The query and the filters are kept
// in the address (?q=…&thema=…), so a result list can be shared and the back button returns to it.
//
// Pagefind lists only pages that hold every word it is given. It is given the question's content words
// (stopwords and question words left out, as in the header box); and a question of two or more content
// words gets "Beste treffers" above the results: the header box's merged search, which ranks by how many
// of the words a page holds and how rare they are, so it never needs them all.
//
// Every result shows its outcome and, for a stopped entry, when and why it stopped: the entry page's
// Pagefind meta `oordeel` and `gestopt` (render/verdict.py's wording), else its filters `uitkomst` and
// `stopreden` (an index built before the entry pages carried them).
(function () {
  "use strict";
  var host = document.getElementById("kb-pagefind");
  if (!host || !("content" in document.createElement("template"))) {
    return;
  }
  var here = document.baseURI;
  var PAGE = 10;  // results shown at a time; each is one fragment download
  var EXCERPT_WORDS = 30;
  var BEST = 5;
  var DEBOUNCE_MS = 200;
  var OPEN_GROUPS = ["thema", "status"];  // open on arrival on a wide screen; on a phone only the first
  var NARROW = "(max-width: 44.9375em)";

  var form = host.querySelector(".kb-catalogus-zoek");
  var input = host.querySelector("#kb-zoekterm");
  var order = host.querySelector("#kb-volgorde");
  var reset = host.querySelector(".kb-filters__wis");
  var count = host.querySelector(".kb-resultaten__aantal");
  var hint = host.querySelector(".kb-resultaten__hint");
  var list = host.querySelector(".kb-resultaten__lijst");
  var more = host.querySelector(".kb-resultaten__meer");
  var plain = null;  // the plain alphabetical list: below this script, found once the page is parsed
  var groups = Array.prototype.map.call(host.querySelectorAll(".kb-filtergroep"), function (element) {
    return {
      key: element.dataset.filter,
      element: element,
      button: element.querySelector(".kb-filtergroep__knop"),
      chosenLabel: element.querySelector(".kb-filtergroep__gekozen"),
      values: element.querySelector(".kb-filtergroep__waarden"),
      boxes: {}
    };
  });

  var pagefind = null;
  var arrival = {};  // the filter counts of the whole catalogue
  var searcher = null;
  var searchId = 0;
  var bestId = 0;
  var timer = 0;
  var bestTimer = 0;
  var found = [];
  var shown = 0;
  var best = bestBlock();

  // -- the filter panel -----------------------------------------------------------------------------------

  function buildFilters(counts) {
    var narrow = window.matchMedia && window.matchMedia(NARROW).matches;
    groups.forEach(function (group) {
      var values = Object.keys(counts[group.key] || {}).filter(function (value) { return counts[group.key][value] > 0; });
      values.sort(function (a, b) {
        return (counts[group.key][b] - counts[group.key][a]) || a.localeCompare(b, "nl");
      });
      group.values.textContent = "";
      values.forEach(function (value, at) {
        var item = group.values.appendChild(document.createElement("li"));
        item.className = "kb-filter";
        var label = item.appendChild(document.createElement("label"));
        label.className = "kb-filter__label";
        var box = label.appendChild(document.createElement("input"));
        box.type = "checkbox";
        box.value = value;
        box.id = "kb-filter-" + group.key + "-" + at;
        label.appendChild(document.createElement("span")).className = "kb-filter__naam";
        label.lastChild.textContent = value;
        var number = label.appendChild(document.createElement("span"));
        number.className = "kb-filter__aantal";
        box.addEventListener("change", function () { changed(); });
        group.boxes[value] = { box: box, number: number };
      });
      setCounts(group, counts[group.key] || {});
      group.element.hidden = values.length === 0;
      expand(group, narrow ? group.key === OPEN_GROUPS[0] : OPEN_GROUPS.indexOf(group.key) !== -1);
      group.button.addEventListener("click", function () {
        expand(group, group.button.getAttribute("aria-expanded") !== "true");
      });
    });
  }

  function expand(group, open) {
    group.button.setAttribute("aria-expanded", open ? "true" : "false");
    group.values.hidden = !open;
  }

  function setCounts(group, counts) {
    Object.keys(group.boxes).forEach(function (value) {
      var n = counts[value] || 0;
      var number = group.boxes[value].number;
      number.textContent = "";
      number.appendChild(document.createTextNode(String(n)));
      var words = number.appendChild(document.createElement("span"));
      words.className = "kb-visually-hidden";
      words.textContent = n === 1 ? " interventie" : " interventies";
      group.boxes[value].box.parentNode.classList.toggle("kb-filter__label--leeg", n === 0);
    });
  }

  function chosen() {
    var filters = {};
    groups.forEach(function (group) {
      var values = Object.keys(group.boxes).filter(function (value) { return group.boxes[value].box.checked; });
      if (values.length) {
        filters[group.key] = { any: values };
      }
      group.chosenLabel.textContent = values.length ? "(" + values.length + " gekozen)" : "";
    });
    return filters;
  }

  // -- searching ------------------------------------------------------------------------------------------

  function changed() {
    clearTimeout(timer);
    run();
  }

  function typed() {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  }

  function run() {
    var id = ++searchId;
    var term = input.value.trim();
    var filters = chosen();
    var filtering = Object.keys(filters).length > 0;
    remember(term, filters);
    reset.hidden = !filtering;
    scheduleBest(term);
    if (!term && !filtering) {
      show(false);
      count.textContent = "";
      groups.forEach(function (group) { setCounts(group, arrival[group.key] || {}); });
      return;
    }
    var words = term && searcher ? searcher.words(term).join(" ") : term;
    var options = { filters: filters };
    if (order.value) {
      options.sort = { periode: order.value };
    }
    pagefind.search(words || term || null, options).then(function (answer) {
      if (id !== searchId || !answer) {
        return;
      }
      // Counts for the words typed (or the whole catalogue), whatever filters are chosen.
      groups.forEach(function (group) {
        setCounts(group, (term ? answer.totalFilters : arrival)[group.key] || {});
      });
      found = answer.results;
      shown = 0;
      list.textContent = "";
      show(true);
      count.textContent = summary(found.length, term, filtering);
      return next(id, false);
    }).catch(function () {
      if (id === searchId) {
        show(true);
        list.textContent = "";
        count.textContent = "Zoeken lukt nu niet. De lijst van alle interventies staat hieronder.";
        plain.hidden = false;
      }
    });
  }

  function summary(n, term, filtering) {
    var what = n === 0 ? "Geen interventie" : n + (n === 1 ? " interventie" : " interventies");
    if (n === 0 && term) {
      return "Geen interventie bevat al deze woorden" + (filtering ? " en past bij de gekozen filters" : "") + ": " + term;
    }
    if (term) {
      return what + " voor \u2018" + term + "\u2019" + (filtering ? ", met de gekozen filters" : "");
    }
    return what + " met de gekozen filters";
  }

  // The next PAGE results; with `focusFirst` the first of them takes the focus (after "Meer resultaten").
  function next(id, focusFirst) {
    var part = found.slice(shown, shown + PAGE);
    shown += part.length;
    more.hidden = true;  // until this part is in: parts arrive in order
    return Promise.all(part.map(function (hit) { return hit.data(); })).then(function (pages) {
      if (id !== searchId) {
        return;
      }
      var first = null;
      pages.forEach(function (page) {
        var item = card(page);
        if (item) {
          list.appendChild(item);
          first = first || item.querySelector("a");
        }
      });
      more.hidden = shown >= found.length;
      if (focusFirst && first) {
        first.focus();
      }
    });
  }

  function show(active) {
    list.hidden = !active;
    hint.hidden = active;
    if (!active) {
      list.textContent = "";
      more.hidden = true;
    }
    if (plain) {
      plain.hidden = active;
    }
  }

  // One result: title, place · period · status, the verdict, and an excerpt.
  function card(page) {
    var item = window.kennisbankZoeken.resultItem(page, "kb-resultaat");
    if (!item) {
      return null;
    }
    var meta = page.meta || {};
    var filters = page.filters || {};
    var excerpt = item.querySelector(".kb-resultaat__excerpt");
    var outcome = meta.oordeel || (filters.uitkomst || []).join(", ") || "Uitkomst onbekend";
    // The entry page's question and its answer ("Werkte het? Positief effect, zwak bewijs").
    item.insertBefore(fact("kb-resultaat__oordeel", "Werkte het? ", outcome), excerpt);
    if (meta.gestopt) {
      item.insertBefore(fact("kb-resultaat__gestopt", "", capital(meta.gestopt)), excerpt);
    } else if ((filters.stopreden || []).length) {
      item.insertBefore(fact("kb-resultaat__gestopt", "Gestopt: ", filters.stopreden.join(", ")), excerpt);
    }
    if (!input.value.trim()) {
      // No words to show in context: the opening of the entry after its title.
      excerpt.textContent = opening(page);
    }
    return item;
  }

  function fact(className, label, text) {
    var line = document.createElement("p");
    line.className = className;
    if (label) {
      line.appendChild(document.createElement("strong")).textContent = label;
    }
    line.appendChild(document.createTextNode(text));
    return line;
  }

  function capital(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function opening(page) {
    var words = (page.content || "").split(/\s+/).filter(Boolean);
    var added = parseInt((page.meta || {}).aanvulling, 10);
    if (added > 0) {
      words = words.slice(0, Math.max(0, words.length - added));
    }
    var title = ((page.meta || {}).title || "").split(/\s+/).filter(Boolean);
    var bare = function (word) { return word.replace(/[.:;,!?]+$/, ""); };
    if (title.length && words.slice(0, title.length).map(bare).join(" ") === title.map(bare).join(" ")) {
      words = words.slice(title.length);
    }
    return words.slice(0, EXCERPT_WORDS).join(" ") + (words.length > EXCERPT_WORDS ? " \u2026" : "");
  }

  // -- the address -----------------------------------------------------------------------------------------

  function remember(term, filters) {
    var params = new URLSearchParams();
    if (term) {
      params.set("q", term);
    }
    groups.forEach(function (group) {
      ((filters[group.key] || {}).any || []).forEach(function (value) { params.append(group.key, value); });
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(null, "", url);
    }
  }

  function restore() {
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    groups.forEach(function (group) {
      params.getAll(group.key).forEach(function (value) {
        if (group.boxes[value]) {
          group.boxes[value].box.checked = true;
          expand(group, true);
        }
      });
    });
  }

  // -- "Beste treffers": the merged search for a question of two or more content words ------------------

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
    var results = host.querySelector(".kb-resultaten");
    results.insertBefore(block, count);
    return block;
  }

  function scheduleBest(term) {
    clearTimeout(bestTimer);
    bestTimer = setTimeout(function () { showBest(term); }, DEBOUNCE_MS);
  }

  function showBest(term) {
    var id = ++bestId;
    if (!searcher || searcher.words(term).length < 2) {
      best.hidden = true;
      return;
    }
    searcher.engine.question(term).then(function (answer) {
      return Promise.all(answer.results.slice(0, BEST).map(function (hit) { return hit.data(); })).then(function (pages) {
        if (id !== bestId) {
          return;
        }
        var ranked = best.querySelector("ol");
        ranked.textContent = "";
        pages.forEach(function (page) {
          var item = window.kennisbankZoeken.resultItem(page, "kb-header-results");
          if (item) {
            ranked.appendChild(item);
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

  // -- start -----------------------------------------------------------------------------------------------

  // Pagefind's engine and its filters load with the page; the header box's engine beside it supplies the
  // question's content words and "Beste treffers". Without either, the plain list is all there is.
  function begin() {
    plain = document.getElementById("kb-alle");
    if (!window.kennisbankZoeken) {
      return;
    }
    var bundle = new URL(host.dataset.bundle, here);
    var base = new URL(host.dataset.base, here);
    var engine = import(new URL("pagefind.js", bundle).href).then(function (module) {
      return module.options({ baseUrl: base.pathname, excerptLength: EXCERPT_WORDS })
        .then(function () { return module.filters(); })
        .then(function (counts) {
          pagefind = module;
          arrival = counts;
        });
    });
    var merged = window.kennisbankZoeken.engine(host.dataset.bundle, host.dataset.base, EXCERPT_WORDS).then(function (loaded) {
      searcher = {
        engine: loaded,
        words: function (asked) { return window.kennisbankZoeken.contentWords(asked, loaded.lists); }
      };
    }, function () { searcher = null; });
    Promise.all([engine, merged]).then(function () {
      buildFilters(arrival);
      restore();
      host.hidden = false;
      input.addEventListener("input", typed);
      order.addEventListener("change", changed);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        changed();
      });
      reset.addEventListener("click", function () {
        groups.forEach(function (group) {
          Object.keys(group.boxes).forEach(function (value) { group.boxes[value].box.checked = false; });
        });
        changed();
        input.focus();
      });
      more.addEventListener("click", function () { next(searchId, true); });
      if (input.value.trim() || Object.keys(chosen()).length) {
        run();
      }
    }, function () {
      host.hidden = true;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", begin);
  } else {
    begin();
  }
})();
