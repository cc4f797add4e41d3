// The header's live search: the first results appear under the box as the reader types.
// It calls Pagefind's search API (pagefind.js) itself, loaded on the first focus of the box. The catalogue
// loads every filter chunk when it starts (its filters show their counts); a search here fetches only the
// engine, its metadata and the index and fragment chunks the query needs.
// Without JavaScript, and on the catalogue (which has its own search box), the form goes to the catalogue.
//
// Pagefind returns only pages that hold every word of a query, so a typed question ("welke gemeente heeft
// ervaring met buurtvaders voor jongeren") would often find nothing. The box asks Pagefind once per
// content word of the question instead (stopwords and question words left out: the lists come from the
// site's build, zoekwoorden.json, the same ones the terminal's search uses) and merges: a page scores the
// sum, over the words it matched, of its share of that word's best Pagefind score times the word's
// rarity, log(1 + pages / pages with the word). Rare words decide, more matched words rank higher, and
// Pagefind's score for the whole question breaks ties. A word Pagefind does not know as such is tried as
// a compound (buurtvaders: buurt + vaders). Only the results shown load their fragment.
// Shared with the catalogue (catalogus.js, on the same API): the words the build added for the
// search (compound parts, thesaurus terms) end each entry's indexed text, hidden from readers, and the
// entry's meta `aanvulling` counts them. When Pagefind's excerpt would show them, an excerpt of the
// page's own words is made instead: around its first match in them, or from its summary.
(function () {
  "use strict";

  // [{text, mark}] for a result's data() (content, locations, meta), or null when Pagefind's own excerpt is right.
  function ownExcerpt(page, length) {
    var meta = page.meta || {};
    var added = parseInt(meta.aanvulling, 10);
    var locations = page.locations || [];
    if (!(added > 0) || typeof page.content !== "string" || !locations.length) {
      return null;
    }
    var all = page.content.split(/\s+/).filter(Boolean);
    var visible = all.length - added;
    if (visible <= 0 || locations.every(function (at) { return at < visible - length; })) {
      return null;
    }
    var shown = locations.filter(function (at) { return at < visible; });
    var title = (meta.title || "").split(/\s+/).filter(Boolean).length;
    var start = shown.length ? Math.max(0, shown[0] - 5) : Math.min(title, visible);
    start = Math.max(0, Math.min(start, visible - length));
    var end = Math.min(visible, start + length);
    var marked = new Set(shown);
    var out = [];
    for (var at = start; at < end; at += 1) {
      out.push({ text: all[at], mark: marked.has(at) });
    }
    if (end < visible) {
      out.push({ text: "\u2026", mark: false });
    }
    return out;
  }

  var MAX_SPLIT_SEARCHES = 6;  // extra searches a question may spend on splitting unknown words
  var MIN_PART = 3;  // letters in each part of a split word
  // Letters a word needs before it is tried as a compound when it finds something: the check (a quoted
  // search) can load one more index chunk, and shorter compounds are split on the pages (the build's
  // hidden words); a word that finds nothing at all is tried from SPLIT_ANY letters on.
  var SPLIT_FROM = 10;
  var SPLIT_ANY = 7;
  var LINKS = ["en", "s", "e"];  // linking sounds between the parts of a compound (arbeid-s-markt)
  var EXCERPT_WORDS = 20;

  // Pagefind's engine, once per page: the module, then its entry file, metadata and wasm (not its
  // filters); beside it the lists of words a question is made of (zoekwoorden.json, written by the build).
  var engines = new Map();
  function engine(bundlePath, basePath, excerptLength) {
    var here = document.baseURI;
    var bundle = new URL(bundlePath, here);
    var base = new URL(basePath, here);
    var key = bundle.href;
    if (!engines.has(key)) {
      var pagefind = import(new URL("pagefind.js", bundle).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: base.pathname, excerptLength: excerptLength || EXCERPT_WORDS })
          .then(function () { return pagefind.init(); })
          .then(function () { return pagefind; });
      });
      var words = fetch(new URL("assets/kennisbank/zoekwoorden.json", base).href).then(function (response) {
        if (!response.ok) {
          throw new Error("zoekwoorden.json: " + response.status);
        }
        return response.json();
      }).then(function (lists) {
        return { stop: new Set(lists.stopwords), question: new Set(lists.questionWords), pages: lists.pages };
      });
      var loaded = Promise.all([pagefind, words]).then(function (both) {
        return new Searcher(both[0], both[1]);
      });
      loaded.catch(function () { engines.delete(key); });
      engines.set(key, loaded);
    }
    return engines.get(key);
  }

  // Lowercase without accents, as the build's Dutch analysis folds a word (Altruïsme → altruisme).
  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  // The words of a question that decide its ranking: no stopwords, no bare numbers, and no question
  // words unless nothing else is left ("ervaring" alone is still searched). Each once, in order.
  function contentWords(term, lists) {
    var found = (fold(term).match(/[\p{L}\p{N}]+(?:[-'\u2019][\p{L}\p{N}]+)*/gu) || []).filter(function (word, at, all) {
      return all.indexOf(word) === at && !lists.stop.has(word) && !/^\d+$/.test(word);
    });
    var kept = found.filter(function (word) { return !lists.question.has(word); });
    return kept.length ? kept : found;
  }

  // One question's searches. Pagefind keeps the index chunks it loaded; this keeps its answers for the
  // words of the last questions, so typing one more word searches only that word.
  function Searcher(pagefind, lists) {
    this.pagefind = pagefind;
    this.lists = lists;
    this.cache = new Map();
  }

  Searcher.prototype.search = function (query) {
    var cached = this.cache.get(query);
    if (!cached) {
      if (this.cache.size > 200) {
        this.cache.clear();
      }
      cached = this.pagefind.search(query).then(function (found) { return found ? found.results : []; });
      this.cache.set(query, cached);
    }
    return cached;
  };

  // Pagefind finds a word through every indexed word it begins (jeugd: jeugdzorg), and when none does,
  // through the longest indexed word that begins it (buurtvaders: buurt). Such a word is tried as a
  // compound when Pagefind does not hold it as a word of its own either (a quoted search).
  Searcher.prototype.known = function (word) {
    return this.search("\"" + word + "\"").then(function (results) { return results.length > 0; });
  };

  // The parts of a compound that Pagefind holds as words: cuts from the middle outwards, each part at
  // least MIN_PART letters, with or without a linking -s-, -e- or -en-; at most `budget.left` searches.
  Searcher.prototype.split = function (word, budget) {
    var self = this;
    var cuts = [];
    var middle = Math.round(word.length / 2);
    for (var offset = 0; offset <= word.length; offset += 1) {
      [middle - offset, middle + offset].forEach(function (cut) {
        if (cut >= MIN_PART && word.length - cut >= MIN_PART && cuts.indexOf(cut) === -1) {
          cuts.push(cut);
        }
      });
    }
    var options = [];
    cuts.forEach(function (cut) {
      var head = word.slice(0, cut);
      var tail = word.slice(cut);
      options.push([head, tail]);
      LINKS.forEach(function (link) {
        if (tail.length - link.length >= MIN_PART && tail.indexOf(link) === 0) {
          options.push([head, tail.slice(link.length)]);
        }
      });
    });
    var asked = new Map();
    function known(part) {
      if (!asked.has(part)) {
        if (budget.left <= 0) {
          return Promise.resolve(false);
        }
        budget.left -= 1;
        asked.set(part, self.known(part));
      }
      return asked.get(part);
    }
    function next(at) {
      if (at >= options.length || budget.left <= 0) {
        return Promise.resolve(null);
      }
      var option = options[at];
      return known(option[0]).then(function (head) {
        return head ? known(option[1]) : false;
      }).then(function (both) {
        return both ? option : next(at + 1);
      });
    }
    return next(0);
  };

  // The merged ranking for a typed question: [{id, data}], best first, and the words that found nothing.
  Searcher.prototype.question = function (term) {
    var self = this;
    var queries = contentWords(term, this.lists);
    var budget = { left: MAX_SPLIT_SEARCHES };
    // The whole question for its tie-breaking score, without its stopwords and question words: their
    // index chunks would be downloaded for nothing (the content words' chunks are loaded anyway).
    var whole = this.search(queries.length ? queries.join(" ") : term);
    var perWord = queries.map(function (word) {
      return self.search(word).then(function (results) {
        var from = results.length ? SPLIT_FROM : SPLIT_ANY;
        if (word.length < from || /[^\p{L}]/u.test(word)) {
          return [{ word: word, results: results, share: 1 }];
        }
        return (results.length ? self.known(word) : Promise.resolve(false)).then(function (known) {
          if (known) {
            return [{ word: word, results: results, share: 1 }];
          }
          return self.split(word, budget).then(function (parts) {
            if (!parts) {
              return [{ word: word, results: results, share: 1 }];
            }
            // The parts stand in for the word: each counts half, so both together weigh as one word.
            return Promise.all(parts.map(function (part) { return self.search(part); })).then(function (found) {
              return found.map(function (results, at) { return { word: parts[at], results: results, share: 0.5 }; });
            });
          });
        });
      });
    });
    return Promise.all([whole, Promise.all(perWord)]).then(function (answers) {
      var wholeScore = new Map();
      answers[0].forEach(function (hit) { wholeScore.set(hit.id, hit.score); });
      var pages = Math.max(self.lists.pages || 0, 1);
      var merged = new Map();
      var missing = [];
      answers[1].forEach(function (parts, at) {
        if (parts.every(function (part) { return part.results.length === 0; })) {
          missing.push(queries[at]);
        }
        parts.forEach(function (part) {
          var results = part.results;
          if (!results.length) {
            return;
          }
          var rarity = Math.log(1 + pages / results.length);
          var best = results.reduce(function (top, hit) { return Math.max(top, hit.score); }, 0) || 1;
          results.forEach(function (hit) {
            var entry = merged.get(hit.id);
            if (!entry) {
              entry = { hit: hit, score: 0, gain: 0 };
              merged.set(hit.id, entry);
            }
            var gain = part.share * rarity * (0.5 + 0.5 * hit.score / best);
            entry.score += gain;
            // The excerpt shows the matches of the word that counted most for the page.
            if (gain > entry.gain) {
              entry.hit = hit;
              entry.gain = gain;
            }
          });
        });
      });
      // A question of stopwords only ("wat is dat"): Pagefind's own answer for it.
      if (!queries.length) {
        answers[0].forEach(function (hit) { merged.set(hit.id, { hit: hit, score: hit.score }); });
      }
      // A page that holds every word of the question shows Pagefind's excerpt for all of them.
      answers[0].forEach(function (hit) {
        if (merged.has(hit.id)) {
          merged.get(hit.id).hit = hit;
        }
      });
      var ranked = Array.from(merged.values()).sort(function (a, b) {
        return (b.score - a.score) || ((wholeScore.get(b.hit.id) || 0) - (wholeScore.get(a.hit.id) || 0));
      });
      return { results: ranked.map(function (entry) { return entry.hit; }), missing: missing, words: queries };
    });
  };

  // One result, built as text: a title or meta value never becomes markup, and a link never leaves the site.
  function resultItem(page, block) {
    var here = document.baseURI;
    var url = new URL(page.url, here);
    if (url.origin !== window.location.origin) {
      return null;
    }
    var meta = page.meta || {};
    var item = element("li", block + "__item");
    var title = element("p", block + "__title");
    var link = element("a", block + "__link");
    link.href = url.href;
    link.textContent = meta.title || url.pathname;
    title.appendChild(link);
    item.appendChild(title);
    var facts = [meta.gemeente, meta.periode, meta.status].filter(Boolean);
    if (facts.length) {
      item.appendChild(element("p", block + "__meta")).textContent = facts.join(" \u00b7 ");
    }
    var excerpt = element("p", block + "__excerpt");
    var own = ownExcerpt(page, EXCERPT_WORDS);
    if (own) {
      appendWords(excerpt, own);
    } else {
      appendExcerpt(excerpt, page.excerpt || "");
    }
    item.appendChild(excerpt);
    return item;
  }

  function appendWords(target, words) {
    words.forEach(function (word, at) {
      if (at) {
        target.appendChild(document.createTextNode(" "));
      }
      if (word.mark) {
        target.appendChild(document.createElement("mark")).textContent = word.text;
      } else {
        target.appendChild(document.createTextNode(word.text));
      }
    });
  }

  function element(name, className) {
    var node = document.createElement(name);
    node.className = className;
    return node;
  }

  // Pagefind's excerpt is escaped text with <mark> around the matches. Parsed in an inert <template>,
  // only <mark> is kept (as a new element holding text); anything else is reduced to its text.
  function appendExcerpt(target, html) {
    var parsed = document.createElement("template");
    parsed.innerHTML = html;
    Array.prototype.forEach.call(parsed.content.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        target.appendChild(document.createElement("mark")).textContent = node.textContent;
      } else {
        target.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  // For the header box below and the catalogue (catalogus.js): the merged search of a question, and its results as list items.
  window.kennisbankZoeken = { ownExcerpt: ownExcerpt, engine: engine, contentWords: contentWords, resultItem: resultItem };
})();

(function () {
  "use strict";
  var form = document.querySelector("form.kb-header-search");
  var panel = document.getElementById("kb-header-results");
  if (!form || !panel || document.getElementById("kb-pagefind") || !("content" in document.createElement("template"))) {
    return;
  }
  var MAX_RESULTS = 6;  // each result is one fragment download (about 4 kB at 10,000 entries)
  var MIN_LENGTH = 2;
  var DEBOUNCE_MS = 150;
  var box = form.querySelector("input[name=q]");
  var summary = panel.querySelector(".kb-header-results__summary");
  var list = panel.querySelector(".kb-header-results__list");
  var all = panel.querySelector(".kb-header-results__all");
  var hint = document.getElementById("kb-header-hint");
  var here = document.baseURI;
  var timer = 0;
  var searchId = 0;
  var shownTerm = "";

  box.setAttribute("aria-controls", panel.id);
  if (hint) {
    box.setAttribute("aria-describedby", hint.id);
  }

  function load() {
    return window.kennisbankZoeken.engine(form.dataset.bundle, form.dataset.base);
  }

  function open() {
    panel.hidden = false;
  }

  function close(refocus) {
    panel.hidden = true;
    if (refocus) {
      box.focus();
    }
  }

  function schedule() {
    clearTimeout(timer);
    var term = box.value.trim();
    if (term.length < MIN_LENGTH) {
      // Never search for nothing (or one letter): hide the panel instead.
      searchId += 1;
      close(false);
      return;
    }
    timer = setTimeout(function () { run(term); }, DEBOUNCE_MS);
  }

  function run(term) {
    var id = ++searchId;
    load().then(function (searcher) {
      return searcher.question(term);
    }).then(function (found) {
      if (!found || id !== searchId) {
        return null;
      }
      return Promise.all(found.results.slice(0, MAX_RESULTS).map(function (hit) { return hit.data(); }))
        .then(function (pages) {
          if (id === searchId) {
            render(term, found, pages);
          }
        });
    }).catch(function () {
      if (id === searchId) {
        list.textContent = "";
        open();
        summary.textContent = "Zoeken lukt nu niet. Kies de knop Zoeken om in de catalogus te zoeken.";
      }
    });
  }

  function render(term, found, pages) {
    var count = found.results.length;
    list.textContent = "";
    pages.forEach(function (page) {
      var item = window.kennisbankZoeken.resultItem(page, "kb-header-results");
      if (item) {
        list.appendChild(item);
      }
    });
    var catalogue = new URL(form.getAttribute("action"), here);
    catalogue.searchParams.set("q", term);
    all.href = catalogue.href;
    shownTerm = term;
    open();
    var quoted = quote(term);
    if (count === 0) {
      summary.textContent = "Niets gevonden voor " + quoted + ". Probeer minder of andere woorden, of een algemener "
        + "begrip (bijvoorbeeld \u2018schulden\u2019 in plaats van \u2018schuldhulpmaatje\u2019). In de catalogus "
        + "kunt u ook op thema, gemeente en status zoeken.";
    } else {
      var missing = found.missing.length && found.missing.length < found.words.length
        ? "; niets voor " + found.missing.map(quote).join(", ") : "";
      summary.textContent = count + (count === 1 ? " resultaat" : " resultaten") + " voor " + quoted
        + (count > pages.length ? "; de eerste " + pages.length + " staan hieronder" : "") + missing;
    }
  }

  function quote(text) {
    return "\u2018" + text + "\u2019";
  }

  function links() {
    return Array.prototype.slice.call(panel.querySelectorAll("a[href]"));
  }

  box.addEventListener("focus", load);
  box.addEventListener("input", schedule);
  // Back in the box after closing the panel: a click or arrow down shows the same results again.
  box.addEventListener("click", function () {
    if (panel.hidden && shownTerm && shownTerm === box.value.trim()) {
      open();
    }
  });
  form.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && event.target === box && panel.hidden && shownTerm === box.value.trim() && shownTerm) {
      open();
    }
    if (panel.hidden) {
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      close(true);
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") {
      return;
    }
    var items = links();
    var at = items.indexOf(document.activeElement);
    if (event.target === box) {
      if (event.key === "ArrowUp") {
        return;
      }
      at = -1;
    } else if (at === -1) {
      return;
    }
    event.preventDefault();
    var next = at + (event.key === "ArrowDown" ? 1 : -1);
    if (next < 0) {
      box.focus();
    } else if (next < items.length) {
      items[next].focus();
    }
  });
  // Close when the reader clicks or tabs away from the search.
  document.addEventListener("click", function (event) {
    if (!panel.hidden && !form.contains(event.target)) {
      close(false);
    }
  });
  form.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !form.contains(event.relatedTarget)) {
      close(false);
    }
  });
})();
