// Toets uw plan: the precedents of a pasted plan and the questions before it starts, computed here in the
// browser: the text is never sent anywhere. The requests are the plan model (toets-uw-plan/model.json,
// written by the build from the archive, see kennisbank/render/plan_data.py) and, for the precedents shown,
// their cards (toets-uw-plan/kaarten/<id>.json).
//
// The measure is the terminal's (kennisbank/related.py, similar_to_text): the plan is one more document of
// the archive; every document is a unit TF-IDF vector over its 40 most distinctive terms, with
// idf = ln((documents + 1) / document frequency) for terms in more than one and at most
// max(10 % of the documents, 50) documents; the score is the cosine. The model maps each word form of the
// archive to its analysed terms (stems and compound parts), so no Dutch stemmer is needed here: a word the
// archive never uses cannot match anything.
//
// Whole and parts (related.similar_to_texts): the whole text is scored, and so is each paragraph (blocks
// between blank lines; without blank lines, lines; a block of fewer than MIN_WORDS words, such as a heading,
// joins the next), each as a vector of its own under the whole text's IDF. An entry's score is the best of
// its whole-text score and its paragraph scores; the card names the paragraph that gave it. Equal scores keep
// the archive's order.
(function () {
  "use strict";

  var SHOWN = 5;
  var MIN_WORDS = 12;
  var WORD = /[\p{L}\p{N}_]+(?:[-'\u2019][\p{L}\p{N}_]+)*/gu;

  var root = document.getElementById("kb-toets");
  if (!root) {
    return;
  }
  var form = root.querySelector("form");
  var box = document.getElementById("kb-plan");
  var status = document.getElementById("kb-toets-status");
  var results = document.getElementById("kb-toets-resultaten");
  var base = root.getAttribute("data-base") || "./";
  var modelPromise = null;

  function model() {
    if (!modelPromise) {
      modelPromise = fetch(root.getAttribute("data-model"), { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) {
          throw new Error("model " + response.status);
        }
        return response.json();
      }).then(prepare);
    }
    return modelPromise;
  }

  function prepare(m) {
    m.formMap = new Map();
    // Front-coded: the first character (base 36) says how many letters the word shares with the one before.
    var before = "";
    m.forms.split("\n").forEach(function (line) {
      var parts = line.split(" ");
      var word = before.slice(0, parseInt(parts[0][0], 36)) + parts[0].slice(1);
      m.formMap.set(word, parts.slice(1).map(function (id) { return parseInt(id, 36); }));
      before = word;
    });
    m.entryTerms = m.docs.map(function (line) {
      var terms = [];
      var tf = [];
      (line ? line.split(" ") : []).forEach(function (pair) {
        var at = pair.indexOf(":");
        terms.push(parseInt(pair.slice(0, at), 36));
        tf.push(1 + Math.log(parseInt(pair.slice(at + 1), 36)));
      });
      return { terms: terms, tf: tf };
    });
    return m;
  }

  // What a result card shows, fetched for the precedents shown only.
  function cards(ids) {
    var folder = root.getAttribute("data-kaarten");
    return Promise.all(ids.map(function (id) {
      return fetch(folder + id + ".json", { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) {
          throw new Error("card " + response.status);
        }
        return response.json();
      });
    }));
  }

  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
  }

  // Term counts of a text, in the order terms first occur (related.text_words).
  function textCounts(m, text) {
    var counts = new Map();
    var words = fold(text).match(WORD) || [];
    var wordCount = 0;
    words.forEach(function (word) {
      var terms = m.formMap.get(word);
      if (!terms && /[-'\u2019]/.test(word)) {
        // A hyphenated form the archive does not have: its joined form and its parts (as the analysis indexes it).
        var parts = word.split(/[-'\u2019]/);
        terms = [].concat(m.formMap.get(parts.join("")) || [], ...parts.map(function (p) { return m.formMap.get(p) || []; }));
        terms = Array.from(new Set(terms));
      }
      if (terms && terms.length) {
        wordCount += 1;
        terms.forEach(function (t) { counts.set(t, (counts.get(t) || 0) + 1); });
      }
    });
    counts.words = wordCount;
    return counts;
  }

  // A unit vector over the `top` heaviest of (term, weight) pairs; ties keep their order (heapq.nlargest).
  function unit(pairs, top) {
    pairs.sort(function (a, b) { return b[1] - a[1]; });
    var kept = pairs.slice(0, top);
    var norm = Math.sqrt(kept.reduce(function (sum, p) { return sum + p[1] * p[1]; }, 0)) || 1;
    return kept.map(function (p) { return [p[0], p[1] / norm]; });
  }

  // The IDF of related.similar_to_texts: the whole text is one more document of the archive (its parts are not).
  function idfFor(m, whole) {
    var documents = m.n + 1;
    var maxDf = Math.max(Math.floor(documents * m.share), m.floor);
    var scale = documents + 1;
    var cache = new Map();
    return function (term) {
      var found = cache.get(term);
      if (found === undefined) {
        var df = m.df[term] + (whole.has(term) ? 1 : 0);
        found = df > 1 && df <= maxDf ? Math.log(scale / df) : 0;
        cache.set(term, found);
      }
      return found;
    };
  }

  // A text's unit vector over its `top` most distinctive terms (term → weight).
  function textVector(m, counts, idf) {
    var mine = [];
    counts.forEach(function (n, term) {
      var weight = idf(term);
      if (weight) {
        mine.push([term, (1 + Math.log(n)) * weight]);
      }
    });
    return new Map(unit(mine, m.top));
  }

  // Each entry's unit vector under this IDF, made when first needed (only entries sharing a term with the text).
  function entryVectors(m, idf) {
    var made = new Map();
    return function (index) {
      var vector = made.get(index);
      if (!vector) {
        var entry = m.entryTerms[index];
        var pairs = [];
        for (var i = 0; i < entry.terms.length; i += 1) {
          var weight = idf(entry.terms[i]);
          if (weight) {
            pairs.push([entry.terms[i], entry.tf[i] * weight]);
          }
        }
        vector = unit(pairs, m.top);
        made.set(index, vector);
      }
      return vector;
    };
  }

  // The cosine of a text's vector with every entry's (related.similar_to_texts).
  function scores(m, text, vectorOf) {
    var found = new Float64Array(m.n);
    if (!text.size) {
      return found;
    }
    m.entryTerms.forEach(function (entry, index) {
      if (!entry.terms.some(function (t) { return text.has(t); })) {
        return;
      }
      var sum = 0;
      vectorOf(index).forEach(function (p) {
        var w = text.get(p[0]);
        if (w) {
          sum += p[1] * w;
        }
      });
      found[index] = sum;
    });
    return found;
  }

  function paragraphs(m, text) {
    var blocks = text.split(/\n[ \t]*\n/);
    if (blocks.length < 2) {
      blocks = text.split(/\n/);
    }
    var joined = [];
    var pending = "";
    blocks.forEach(function (block) {
      var part = (pending ? pending + "\n" : "") + block.trim();
      if (!block.trim()) {
        return;
      }
      if (textCounts(m, part).words < MIN_WORDS) {
        pending = part;
        return;
      }
      joined.push(part);
      pending = "";
    });
    if (pending) {
      if (joined.length) {
        joined[joined.length - 1] += "\n" + pending;
      } else {
        joined.push(pending);
      }
    }
    return joined;
  }

  // Precedents: [{index, score, paragraph (number from 1, or 0 for the whole text)}], best first.
  function precedents(m, text) {
    var whole = textCounts(m, text);
    var idf = idfFor(m, whole);
    var vectorOf = entryVectors(m, idf);
    var best = Array.from(scores(m, textVector(m, whole, idf), vectorOf), function (score, index) {
      return { index: index, score: score, paragraph: 0 };
    });
    var parts = paragraphs(m, text);
    if (parts.length > 1) {
      parts.forEach(function (part, number) {
        scores(m, textVector(m, textCounts(m, part), idf), vectorOf).forEach(function (score, index) {
          if (score > best[index].score) {
            best[index] = { index: index, score: score, paragraph: number + 1 };
          }
        });
      });
    }
    var ranked = best.filter(function (b) { return b.score > 0; });
    ranked.sort(function (a, b) { return b.score - a.score || a.index - b.index; });
    return { ranked: ranked, parts: parts };
  }

  // "Vragen voordat u begint": per stop reason of the precedents shown, its question (data/vragen.yaml).
  function questions(m, shown) {
    var counts = new Map();
    shown.forEach(function (found) {
      var seen = new Set();
      m.redenen[found.index].forEach(function (code) {
        var key = m.vragen[code] ? code : "overig";
        if (!seen.has(key)) {
          seen.add(key);
          counts.set(key, (counts.get(key) || 0) + 1);
        }
      });
    });
    var order = Object.keys(m.vragen);
    return Array.from(counts.entries()).sort(function (a, b) {
      return b[1] - a[1] || order.indexOf(a[0]) - order.indexOf(b[0]);
    }).map(function (pair) {
      var question = m.vragen[pair[0]];
      return {
        code: pair[0],
        vraag: question.vraag.replace("{n}", String(pair[1])).replace("{totaal}", String(shown.length)),
        waarom: question.waarom,
      };
    });
  }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.append(child);
      }
    });
    return node;
  }

  function excerpt(text, length) {
    var flat = text.replace(/\s+/g, " ").trim();
    return flat.length > length ? flat.slice(0, length).replace(/\s\S*$/, "") + " …" : flat;
  }

  function card(c, found, parts) {
    var matched = found.paragraph
      ? element("p", { class: "kb-toets__alinea" }, [element("strong", {}, ["Lijkt op uw alinea " + found.paragraph + ": "]),
        "\u201c" + excerpt(parts[found.paragraph - 1], 160) + "\u201d"])
      : element("p", { class: "kb-toets__alinea" }, ["Lijkt op uw plan als geheel."]);
    return element("li", { class: "kb-toets__voorbeeld", "data-id": c.id, "data-score": found.score.toFixed(4) }, [
      element("h3", {}, [element("a", { href: base + c.url }, [c.titel])]),
      element("p", { class: "kb-feiten" }, [[c.plaats, c.periode, c.oordeel].join(" \u00b7 ")]),
      element("p", {}, [c.loopt]),
      c.les ? element("p", {}, [element("strong", {}, ["Les: "]), c.les]) : null,
      c.mensen.length ? element("p", {}, [element("strong", {}, ["Wie weet er meer: "]), c.mensen.join("; ")]) : null,
      matched,
    ]);
  }

  function show(m, text) {
    var answer = precedents(m, text);
    var shown = answer.ranked.slice(0, SHOWN);
    if (!shown.length) {
      results.replaceChildren();
      status.textContent = "Geen vergelijkbare interventies gevonden. Misschien gebruikt uw plan andere woorden, "
        + "of is zoiets in deze kennisbank nog niet vastgelegd.";
      return Promise.resolve();
    }
    var asked = questions(m, shown);
    return cards(shown.map(function (found) { return m.ids[found.index]; })).then(function (found) {
      render(shown, found, asked, answer.parts);
    });
  }

  function render(shown, found, asked, parts) {
    var first = found[0];
    status.textContent = shown.length + (shown.length === 1 ? " vergelijkbare interventie" : " vergelijkbare interventies")
      + " gevonden. Het meest vergelijkbaar: " + first.titel + " (" + first.plaats + ", " + first.periode + "). "
      + (asked.length ? asked.length + (asked.length === 1 ? " vraag" : " vragen") + " voordat u begint."
        : "Geen van deze voorbeelden is gestopt.");
    var ids = found.slice(0, 3).map(function (c) { return c.id; }).join(",");
    results.replaceChildren(
      element("section", { class: "kb-toets__voorbeelden", "aria-labelledby": "kb-toets-voorbeelden" }, [
        element("h2", { id: "kb-toets-voorbeelden", tabindex: "-1" }, ["Vergelijkbare interventies"]),
        element("ol", { class: "kb-toets__lijst" }, shown.map(function (one, i) { return card(found[i], one, parts); })),
        shown.length > 1 ? element("p", {}, [element("a", { href: root.getAttribute("data-vergelijk") + "?ids=" + ids },
          ["Vergelijk de eerste " + Math.min(3, shown.length) + " naast elkaar"])]) : null,
      ]),
      element("section", { class: "kb-toets__vragen", "aria-labelledby": "kb-toets-vragen" }, [
        element("h2", { id: "kb-toets-vragen" }, ["Vragen voordat u begint"]),
        asked.length
          ? element("ul", {}, asked.map(function (q) {
            return element("li", { "data-reden": q.code }, [element("strong", {}, [q.vraag]), " ", element("span", { class: "kb-waar" }, [q.waarom])]);
          }))
          : element("p", {}, ["Geen van de gevonden voorbeelden is gestopt: er zijn geen stopverslagen om vragen uit af te leiden. "
            + "Lees wel hun lessen."]),
      ]),
    );
  }

  function run() {
    var text = box.value;
    if (!text.trim()) {
      results.replaceChildren();
      status.textContent = "Plak eerst de tekst van uw plan in het tekstvak.";
      box.focus();
      return;
    }
    status.textContent = "Bezig met vergelijken\u2026";
    model().then(function (m) {
      return show(m, text);
    }).catch(function () {
      status.textContent = "De gegevens voor de vergelijking konden niet worden geladen. Probeer het later opnieuw.";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  box.addEventListener("paste", function () {
    // The pasted text is in the box once the event has been handled.
    window.setTimeout(run, 0);
  });
  // Fetched at once, so that a paste is answered without waiting for the network.
  model().catch(function () {});
})();
