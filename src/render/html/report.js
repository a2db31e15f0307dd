
"use strict";
(function () {
  var table = document.getElementById("findings-table");
  var body = table ? table.tBodies[0] : null;
  var rows = body ? Array.prototype.slice.call(body.querySelectorAll("tr.finding")) : [];
  // Each finding row is followed by its detail row; remember the pairs, since sorting moves rows.
  var details = new Map();
  rows.forEach(function (row) {
    var next = row.nextElementSibling;
    details.set(row, next && next.classList.contains("detail") ? next : null);
  });
  var detailOf = function (row) { return details.get(row) || null; };
  var texts = new Map();
  rows.forEach(function (row) {
    var detail = detailOf(row);
    var text = row.textContent + " " + (row.getAttribute("title") || "") + " " + row.id;
    var resource = row.querySelector("td.resource");
    if (resource) { text += " " + resource.getAttribute("title"); }
    if (detail) { text += " " + detail.textContent; }
    texts.set(row, text.toLowerCase());
  });

  var field = function (id) { return document.getElementById(id); };
  var filters = {
    severity: field("filter-severity"),
    status: field("filter-status"),
    check: field("filter-check"),
    account: field("filter-account"),
    region: field("filter-region"),
    text: field("filter-text")
  };
  var counter = field("visible-count");

  function matches(row) {
    var d = row.dataset;
    var sev = filters.severity && filters.severity.value;
    if (sev && d.severity !== sev) { return false; }
    var st = filters.status && filters.status.value;
    if (st === "suppressed") { if (d.suppressed !== "true") { return false; } }
    else if (st && d.status !== st) { return false; }
    if (filters.check && filters.check.value && d.check !== filters.check.value) { return false; }
    if (filters.account && filters.account.value && d.account !== filters.account.value) { return false; }
    if (filters.region && filters.region.value && d.region !== filters.region.value) { return false; }
    var q = filters.text && filters.text.value.trim().toLowerCase();
    if (q && texts.get(row).indexOf(q) < 0) { return false; }
    return true;
  }

  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var ok = matches(row);
      row.hidden = !ok;
      var detail = detailOf(row);
      if (detail) { detail.hidden = !ok; }
      if (ok) { shown += 1; }
    });
    if (counter) { counter.textContent = String(shown); }
  }

  Object.keys(filters).forEach(function (k) {
    var el = filters[k];
    if (el) { el.addEventListener(k === "text" ? "input" : "change", apply); }
  });
  var form = field("filters");
  if (form) { form.addEventListener("submit", function (e) { e.preventDefault(); }); }

  var keys = {
    severity: function (r) { return [Number(r.dataset.severityRank), r.dataset.check]; },
    status: function (r) { return [Number(r.dataset.statusRank), Number(r.dataset.severityRank)]; },
    check: function (r) { return [r.dataset.check, r.dataset.account]; },
    account: function (r) { return [r.dataset.account, r.dataset.region]; },
    region: function (r) { return [r.dataset.region, r.dataset.account]; },
    resource: function (r) { return [r.dataset.resource, r.dataset.check]; }
  };
  function compare(a, b) {
    for (var i = 0; i < a.length; i += 1) {
      if (a[i] < b[i]) { return -1; }
      if (a[i] > b[i]) { return 1; }
    }
    return 0;
  }
  if (table) {
    Array.prototype.forEach.call(table.querySelectorAll("th[data-sort]"), function (th) {
      th.tabIndex = 0;
      var sort = function () {
        var key = keys[th.dataset.sort];
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        Array.prototype.forEach.call(table.querySelectorAll("th[data-sort]"), function (o) {
          o.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var order = rows.map(function (r, i) { return { row: r, key: key(r), i: i }; });
        order.sort(function (a, b) { return dir * compare(a.key, b.key) || a.i - b.i; });
        var frag = document.createDocumentFragment();
        order.forEach(function (o) {
          var detail = detailOf(o.row);
          frag.appendChild(o.row);
          if (detail) { frag.appendChild(detail); }
        });
        body.appendChild(frag);
        rows = order.map(function (o) { return o.row; });
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
    });
  }

  // A finding's details show its check's guide (written once per check, further down).
  Array.prototype.forEach.call(document.querySelectorAll("details.evidence"), function (box) {
    box.addEventListener("toggle", function () {
      var slot = box.querySelector(".guide-slot");
      if (!box.open || !slot || slot.dataset.filled) { return; }
      var guide = document.getElementById("fix-" + slot.dataset.guide);
      var body = guide && guide.querySelector(".remediation");
      if (!body) { return; }
      slot.dataset.filled = "true";
      slot.appendChild(body.cloneNode(true));
    });
  });

  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) { return; }
    var row = document.getElementById(id);
    if (row && row.classList.contains("guide")) { row.open = true; return; }
    if (!row || !row.classList.contains("finding")) { return; }
    if (row.hidden) {
      Object.keys(filters).forEach(function (k) { if (filters[k]) { filters[k].value = ""; } });
      apply();
    }
    rows.forEach(function (r) { r.classList.remove("targeted"); });
    row.classList.add("targeted");
    var detail = detailOf(row);
    var box = detail && detail.querySelector("details.evidence");
    if (box) { box.open = true; }
    row.scrollIntoView({ block: "start" });
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  Array.prototype.forEach.call(document.querySelectorAll("a.account-filter"), function (a) {
    a.addEventListener("click", function () {
      if (filters.account) { filters.account.value = a.dataset.account; apply(); }
    });
  });

  var netFilter = field("network-filter");
  if (netFilter) {
    var items = Array.prototype.slice.call(document.querySelectorAll("li.netfn"));
    var labels = Array.prototype.slice.call(document.querySelectorAll("svg.vpc text.line"));
    netFilter.addEventListener("input", function () {
      var q = netFilter.value.trim().toLowerCase();
      items.forEach(function (li) {
        var hit = q !== "" && li.dataset.name.toLowerCase().indexOf(q) >= 0;
        li.classList.toggle("match", hit);
        if (hit) {
          var region = li.closest("details.network-region");
          if (region) { region.open = true; }
          var list = li.closest("details.subnet-list, details.outside");
          if (list) { list.open = true; }
        }
      });
      labels.forEach(function (t) {
        t.classList.toggle("match", q !== "" && t.textContent.toLowerCase().indexOf(q) >= 0);
      });
    });
  }
})();
