// Toets uw plan: a pasted plan's precedents and "Vragen voordat u begint", computed in the browser (the text is
// sent nowhere) from toets-uw-plan/model.json and the cards of the precedents shown. The measure and its rules
// are the terminal's: related.similar_to_texts and kennisbank/precedent.py (paragraphs, candidates, whole plus
// half the best paragraph); the model is described in kennisbank/render/plan_data.py. A word the archive never
// uses is read through the archive's words (nearForm), where the terminal stems and splits it.
(function () {
  "use strict";

  var SHOWN = 5;
  // The rules of kennisbank/precedent.py (paragraph sizes, candidates, paragraph weight) come with the model.
  var SENTENCE_END = /(?<=[.!?])\s+(?=[A-Z0-9"'(])/;
  var LINE_BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;
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
    m.ignored = new Set(m.ignore);
    m.stopwords = new Set(m.stop.split(" "));
    // Document frequencies in base 36, a run of one value written as value*count.
    var frequencies = [];
    m.df.split(" ").forEach(function (token) {
      var parts = token.split("*");
      var value = parseInt(parts[0], 36);
      for (var left = parts.length > 1 ? parseInt(parts[1], 36) : 1; left > 0; left--) {
        frequencies.push(value);
      }
    });
    m.df = frequencies;
    m.entryTerms = m.docs.map(function (line) {
      var terms = [];
      var tf = [];
      (line ? line.split(" ") : []).forEach(function (pair) {
        var at = pair.indexOf(":");  // "id:count", or "id" alone for a count of 1
        terms.push(parseInt(at < 0 ? pair : pair.slice(0, at), 36));
        tf.push(at < 0 ? 1 : 1 + Math.log(parseInt(pair.slice(at + 1), 36)));
      });
      return { terms: terms, tf: tf };
    });
    return m;
  }

  // What a result card shows (with the entry's stop reasons), fetched for the precedents shown only;
  // toets-uw-plan/kaarten/<number>.json, numbered as the model numbers the entries.
  function cards(numbers) {
    var folder = root.getAttribute("data-kaarten");
    return Promise.all(numbers.map(function (number) {
      return fetch(folder + number + ".json", { credentials: "same-origin" }).then(function (response) {
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

  // Term counts of a text, in the order terms first occur (related.text_words), without the terms of
  // administrative prose (precedent.ignored_terms). `terms`: how many distinct terms the text has, a word
  // the archive never uses counted as one (its stem is not known here).
  function textCounts(m, text) {
    var counts = new Map();
    var unknown = new Set();
    var words = fold(text).match(WORD) || [];
    words.forEach(function (word) {
      var terms = m.formMap.get(word);
      if (!terms && /[-'\u2019]/.test(word)) {
        // A hyphenated form the archive does not have: its joined form and its parts (as the analysis indexes it).
        var parts = word.split(/[-'\u2019]/);
        terms = [].concat(m.formMap.get(parts.join("")) || [], ...parts.map(function (p) { return m.formMap.get(p) || []; }));
        terms = terms.length ? Array.from(new Set(terms)) : null;
      }
      if (!terms && /^\p{L}+$/u.test(word)) {
        terms = nearForm(m, word);
      }
      if (terms) {
        terms.forEach(function (t) {
          if (!m.ignored.has(t)) {
            counts.set(t, (counts.get(t) || 0) + 1);
          }
        });
      } else if (!m.stopwords.has(word) && !/^\p{Nd}+$/u.test(word) && word.length >= 3) {
        unknown.add(word);
      }
    });
    counts.terms = counts.size + unknown.size;
    return counts;
  }

  // A word the archive never uses, read through the archive's own words: an inflection of one of them
  // (consulenten: consulent) or a compound of two (kredietbank: krediet, bank), as the terminal's stemmer
  // and compound splitting would read it; null when neither fits.
  function nearForm(m, word) {
    var endings = ["en", "s", "e", "n", "er", "ers", "tje", "tjes"];
    for (var i = 0; i < endings.length; i += 1) {
      var base = word.slice(0, -endings[i].length);
      if (word.endsWith(endings[i]) && base.length >= 4 && m.formMap.has(base)) {
        return m.formMap.get(base);
      }
    }
    if (word.length < 7) {
      return null;
    }
    var best = null;
    for (var cut = 3; cut <= word.length - 4; cut += 1) {
      var head = m.formMap.get(word.slice(0, cut));
      if (!head) {
        continue;
      }
      ["", "s", "e", "en", "er"].forEach(function (link) {
        var rest = word.slice(cut + link.length);
        if (word.startsWith(link, cut) && rest.length >= 4 && m.formMap.has(rest)) {
          var shortest = Math.min(cut, rest.length);
          if (!best || shortest > best.shortest) {
            best = { shortest: shortest, terms: Array.from(new Set(head.concat(m.formMap.get(rest)))) };
          }
        }
      });
    }
    return best ? best.terms : null;
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

  function wordCount(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  function isHeading(line) {
    return line.charAt(0) === "#" || (wordCount(line) <= 8 && !/[.!?,;]$/.test(line.replace(/\s+$/, "")));
  }

  // The text's blocks of lines (precedent._blocks): between blank lines, and within a block without them (a
  // PDF's page) around heading lines and after a short last line of a paragraph.
  function blocks(text) {
    var found = [];
    text.replace(/\*\*|__/g, "").split(/\n\s*\n/).forEach(function (block) {
      var lines = block.split(LINE_BREAK).map(function (line) { return line.trim(); }).filter(Boolean);
      var widths = lines.map(function (line) { return Array.from(line).length; }).sort(function (a, b) { return a - b; });
      var typical = lines.length >= 4 ? widths[Math.floor(widths.length * 0.8)] : 0;
      var current = [];
      lines.forEach(function (line, number) {
        if (lines.length > 1 && isHeading(line) && !/^[-*\u2022]/.test(line)) {
          if (current.length) {
            found.push(current);
          }
          found.push([line]);
          current = [];
          return;
        }
        current.push(line);
        if (typical && /[.!?:]$/.test(line) && Array.from(line).length < 0.75 * typical && number < lines.length - 1) {
          found.push(current);
          current = [];
        }
      });
      if (current.length) {
        found.push(current);
      }
    });
    return found;
  }

  // A long block in pieces of about piece_words words, cut between sentences (precedent._pieces).
  function pieces(rules, block) {
    if (wordCount(block) <= rules.max_words) {
      return [block];
    }
    var found = [];
    var current = [];
    var count = 0;
    block.split(SENTENCE_END).forEach(function (sentence) {
      current.push(sentence);
      count += wordCount(sentence);
      if (count >= rules.piece_words) {
        found.push(current.join(" "));
        current = [];
        count = 0;
      }
    });
    if (current.length) {
      if (found.length && count < rules.min_words) {
        found[found.length - 1] += " " + current.join(" ");
      } else {
        found.push(current.join(" "));
      }
    }
    return found;
  }

  // The plan's paragraphs as the terminal splits them (precedent.split_paragraphs): headings and short
  // blocks joined to what follows, long blocks cut at sentences. Each is {text: with its headings (what
  // is scored), body: without them (what is quoted)}.
  function paragraphs(rules, text) {
    var merged = [];
    var headings = [];
    var body = [];
    function emit() {
      var own = body.join(" ");
      if (merged.length && wordCount(own) < Math.floor(rules.min_words / 2)) {
        var last = merged.pop();
        merged.push({ text: [last.text].concat(headings, [own]).join(" ").trim(), body: (last.body + " " + own).trim() });
      } else {
        var title = headings.join(" ");
        (own ? pieces(rules, own) : [title]).forEach(function (piece, number) {
          merged.push({ text: number === 0 ? (title + " " + piece).trim() : piece, body: piece });
        });
      }
      headings = [];
      body = [];
    }
    blocks(text).forEach(function (lines) {
      if (lines.length === 1 && isHeading(lines[0])) {
        if (body.length) {
          emit();
        }
        headings.push(lines[0].replace(/^#+/, "").trim());
        return;
      }
      body.push(lines.map(function (line) { return line.replace(/^#+/, "").trim(); }).join(" "));
      if (wordCount(body.join(" ")) >= rules.min_words) {
        emit();
      }
    });
    if (body.length || headings.length) {
      emit();
    }
    return merged;
  }

  function round4(score) {
    return Math.round(score * 1e4) / 1e4;
  }

  // The best `limit` of a text's scores (related.similar_to_texts' answer): index → score, rounded.
  function candidates(found, limit) {
    var order = [];
    found.forEach(function (score, index) {
      if (score > 0) {
        order.push(index);
      }
    });
    order.sort(function (a, b) { return found[b] - found[a] || a - b; });
    return new Map(order.slice(0, limit).map(function (index) { return [index, round4(found[index])]; }));
  }

  // Precedents as precedent.rank merges them: [{index, score, paragraph (best, from 1; 0: none)}], best first.
  // score = whole-plan score + weight x the best paragraph score, a paragraph's score counting in proportion
  // to how full its vector is (its distinct terms out of `top`); equal scores by id.
  function precedents(m, text) {
    var rules = m.regels;
    text = text.replace(/\r\n?/g, "\n").normalize("NFKC");
    var whole = textCounts(m, text);
    var idf = idfFor(m, whole);
    var vectorOf = entryVectors(m, idf);
    var best = new Map();
    function get(index) {
      if (!best.has(index)) {
        best.set(index, { index: index, whole: 0, part: 0, paragraph: 0 });
      }
      return best.get(index);
    }
    candidates(scores(m, textVector(m, whole, idf), vectorOf), rules.candidates).forEach(function (score, index) {
      get(index).whole = score;
    });
    var parts = paragraphs(rules, text);
    parts.forEach(function (part, number) {
      var counts = textCounts(m, part.text);
      var fullness = Math.min(1, counts.terms / m.top);
      candidates(scores(m, textVector(m, counts, idf), vectorOf), rules.candidates).forEach(function (score, index) {
        var found = get(index);
        var weighed = round4(score * fullness);
        if (weighed > found.part) {
          found.part = weighed;
          found.paragraph = number + 1;
        }
      });
    });
    var ranked = Array.from(best.values(), function (found) {
      found.score = round4(found.whole + rules.weight * found.part);
      return found;
    });
    ranked.sort(function (a, b) {
      // The model holds the entries in the order of their ids.
      return b.score - a.score || a.index - b.index;
    });
    return { ranked: ranked, parts: parts };
  }

  // "Vragen voordat u begint": per stop reason of the precedents shown, its question (data/vragen.yaml).
  function questions(m, shown) {
    var counts = new Map();
    shown.forEach(function (card) {
      var seen = new Set();
      card.redenen.forEach(function (code) {
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
        vraag: (pair[1] === 1 ? question.vraag_een : question.vraag).replace("{n}", String(pair[1])).replace("{totaal}", String(shown.length)),
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
    // A plan of one paragraph is matched as a whole; otherwise the card quotes the paragraph it matched best.
    var matched = found.paragraph && parts.length > 1
      ? element("p", { class: "kb-toets__alinea" }, [element("strong", {}, ["Lijkt vooral op uw alinea " + found.paragraph + ": "]),
        "\u201c" + excerpt(parts[found.paragraph - 1].body, 120) + "\u201d"])
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
    return cards(shown.map(function (found) { return found.index; })).then(function (found) {
      render(shown, found, questions(m, found), answer.parts);
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
