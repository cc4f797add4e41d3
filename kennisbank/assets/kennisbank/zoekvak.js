// The header's live search: the first results appear under the box as the reader types.
// It calls Pagefind's search API (pagefind.js) itself, loaded on the first focus of the box. Pagefind's
// Default UI (the catalogue) and its Modular UI both fetch every filter chunk when they start; a search
// here fetches only the engine, its metadata and the index and fragment chunks the query needs.
// Without JavaScript, and on the catalogue (which has its own search box), the form goes to the catalogue.
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
  var engine = null;
  var timer = 0;
  var searchId = 0;
  var shownTerm = "";

  box.setAttribute("aria-controls", panel.id);
  if (hint) {
    box.setAttribute("aria-describedby", hint.id);
  }

  // Pagefind's engine, once: the module, then its entry file, metadata and wasm (not its filters).
  function load() {
    if (!engine) {
      var bundle = new URL(form.dataset.bundle, here);
      engine = import(new URL("pagefind.js", bundle).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: new URL(form.dataset.base, here).pathname, excerptLength: 20 })
          .then(function () { return pagefind.init(); })
          .then(function () { return pagefind; });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
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
    load().then(function (pagefind) {
      return pagefind.search(term);
    }).then(function (found) {
      if (!found || id !== searchId) {
        return null;
      }
      return Promise.all(found.results.slice(0, MAX_RESULTS).map(function (hit) { return hit.data(); }))
        .then(function (pages) {
          if (id === searchId) {
            render(term, found.results.length, pages);
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

  function render(term, count, pages) {
    list.textContent = "";
    pages.forEach(function (page) {
      var item = resultItem(page);
      if (item) {
        list.appendChild(item);
      }
    });
    var catalogue = new URL(form.getAttribute("action"), here);
    catalogue.searchParams.set("q", term);
    all.href = catalogue.href;
    shownTerm = term;
    open();
    var quoted = "\u2018" + term + "\u2019";
    if (count === 0) {
      summary.textContent = "Geen resultaten voor " + quoted;
    } else {
      summary.textContent = count + (count === 1 ? " resultaat" : " resultaten") + " voor " + quoted
        + (count > pages.length ? "; de eerste " + pages.length + " staan hieronder" : "");
    }
  }

  // One result, built as text: a title or meta value never becomes markup, and a link never leaves the site.
  function resultItem(page) {
    var url = new URL(page.url, here);
    if (url.origin !== window.location.origin) {
      return null;
    }
    var meta = page.meta || {};
    var item = element("li", "kb-header-results__item");
    var title = element("p", "kb-header-results__title");
    var link = element("a", "kb-header-results__link");
    link.href = url.href;
    link.textContent = meta.title || url.pathname;
    title.appendChild(link);
    item.appendChild(title);
    var facts = [meta.gemeente, meta.periode, meta.status].filter(Boolean);
    if (facts.length) {
      item.appendChild(element("p", "kb-header-results__meta")).textContent = facts.join(" \u00b7 ");
    }
    var excerpt = element("p", "kb-header-results__excerpt");
    appendExcerpt(excerpt, page.excerpt || "");
    item.appendChild(excerpt);
    return item;
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
