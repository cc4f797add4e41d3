// Vergelijk: 2–4 entries side by side, from ?ids=a,b,c (or ?ids=a&ids=b, as the catalogue's form sends them).
// Each entry's column comes from vergelijk/data/<id>.json (kennisbank/render/plan_data.py); the picker's
// list from vergelijk/data/index.json. Columns side by side on a wide screen, stacked on a phone (CSS).
(function () {
  "use strict";

  var MAX = 4;
  var ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var ROWS = [
    ["plaats", "Plaats"], ["periode", "Periode en status"], ["thema", "Thema's"], ["aanpak", "Aanpak"],
    ["bewijs", "Bewijs"], ["uitkomst", "Uitkomst"], ["geld", "Kosten en financiering"], ["stop", "Stopverslag"],
    ["lessen", "Lessen"],
  ];

  var root = document.getElementById("kb-vergelijk");
  if (!root) {
    return;
  }
  var dataUrl = root.getAttribute("data-data");
  var base = root.getAttribute("data-base") || "./";
  var message = document.getElementById("kb-vergelijk-melding");
  var columns = document.getElementById("kb-vergelijk-kolommen");
  var form = root.querySelector("form");

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) { if (child !== null && child !== undefined) { node.append(child); } });
    return node;
  }

  function requested() {
    var ids = [];
    new URLSearchParams(window.location.search).getAll("ids").forEach(function (value) {
      value.split(",").forEach(function (id) {
        id = id.trim();
        if (id && ids.indexOf(id) === -1) {
          ids.push(id);
        }
      });
    });
    return ids;
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.json() : null;
    }).catch(function () { return null; });
  }

  // An entry's record, or null for an id the site does not have (not fetched: no 404s).
  function load(id, known) {
    return ID.test(id) && known.has(id) ? getJson(dataUrl + id + ".json") : Promise.resolve(null);
  }

  function column(record) {
    var list = element("dl", { class: "kb-vergelijk__rijen" }, []);
    ROWS.forEach(function (row) {
      var values = record.rijen[row[0]] || [];
      list.append(element("div", { class: "kb-vergelijk__rij", "data-rij": row[0] }, [
        element("dt", {}, [row[1]]),
        element("dd", {}, values.length ? values.map(function (text) { return element("p", {}, [text]); })
          : [element("p", { class: "kb-leeg" }, ["Niet vastgelegd"])]),
      ]));
    });
    return element("article", { class: "kb-vergelijk__kolom", "data-id": record.id, "aria-labelledby": "kolom-" + record.id }, [
      element("h2", { id: "kolom-" + record.id }, [element("a", { href: base + record.url }, [record.titel])]),
      list,
    ]);
  }

  function fillPicker(index, chosen) {
    form.querySelectorAll("select").forEach(function (select, number) {
      index.forEach(function (item) {
        var option = element("option", { value: item.id }, [item.titel + " (" + item.plaats + ")"]);
        if (chosen[number] === item.id) {
          option.selected = true;
        }
        select.append(option);
      });
    });
    form.hidden = false;
  }

  function start() {
    var ids = requested();
    var extra = ids.length > MAX ? ids.slice(MAX) : [];
    ids = ids.slice(0, MAX);
    var index = [];
    getJson(dataUrl + "index.json").then(function (found) {
      index = found || [];
      var known = new Set(index.map(function (item) { return item.id; }));
      return Promise.all(ids.map(function (id) { return load(id, known); }));
    }).then(function (records) {
      var known = records.filter(Boolean);
      var unknown = ids.filter(function (id, i) { return !records[i]; });
      var notes = [];
      if (unknown.length) {
        notes.push((unknown.length === 1 ? "Onbekende interventie: " : "Onbekende interventies: ")
          + unknown.map(function (id) { return "\u201c" + id + "\u201d"; }).join(", ")
          + ". Controleer het adres, of kies hieronder.");
      }
      if (extra.length) {
        notes.push("U kunt ten hoogste " + MAX + " interventies tegelijk vergelijken; de eerste " + MAX + " staan hieronder.");
      }
      if (known.length < 2) {
        notes.push(known.length === 1
          ? "Kies ten minste nog één interventie om met \u201c" + known[0].titel + "\u201d te vergelijken."
          : "Kies ten minste twee interventies om te vergelijken.");
      } else {
        notes.push(known.length + " interventies naast elkaar: " + known.map(function (r) { return r.titel; }).join(", ") + ".");
        columns.setAttribute("data-aantal", String(known.length));
        columns.replaceChildren.apply(columns, known.map(column));
      }
      message.textContent = notes.join(" ");
      message.classList.toggle("kb-vergelijk__melding--fout", unknown.length > 0 || known.length < 2);
      fillPicker(index, known.map(function (r) { return r.id; }));
    });
  }

  start();
})();
