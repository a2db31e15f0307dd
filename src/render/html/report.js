
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
  // The text each row is searched by, made on the first search (a large page loads sooner).
  var texts = null;
  function textOf(row) {
    if (!texts) {
      texts = new Map();
      rows.forEach(function (r) {
        var detail = detailOf(r);
        var text = r.textContent + " " + r.id;
        var resource = r.querySelector("td.resource");
        if (resource) { text += " " + resource.getAttribute("title"); }
        if (detail) {
          // The finding's own details, not a guide copied into it by an earlier opening.
          var slot = detail.querySelector(".guide-slot");
          text += " " + (slot ? detail.textContent.replace(slot.textContent, "") : detail.textContent);
        }
        texts.set(r, text.toLowerCase());
      });
    }
    return texts.get(row);
  }

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
    if (q && textOf(row).indexOf(q) < 0) { return false; }
    return true;
  }

  // A large table shows its first PAGE matching rows (and a button for more): the browser then
  // lays out a thousand rows, not every one, after each sort or filter.
  var PAGE = 1000;
  var limit = PAGE;
  var more = field("show-more");
  function apply() {
    var matching = 0;
    var shown = 0;
    rows.forEach(function (row) {
      var ok = matches(row);
      if (ok) { matching += 1; }
      var visible = ok && matching <= limit;
      row.hidden = !visible;
      var detail = detailOf(row);
      if (detail) { detail.hidden = !visible; }
      if (visible) { shown += 1; }
    });
    if (counter) { counter.textContent = String(shown); }
    if (more) {
      more.hidden = matching <= limit;
      more.textContent = "Show " + Math.min(PAGE, matching - shown) + " more (" +
        (matching - shown) + " matching rows not shown)";
    }
  }
  function refilter() { limit = PAGE; apply(); }
  if (more) { more.addEventListener("click", function () { limit += PAGE; apply(); }); }

  Object.keys(filters).forEach(function (k) {
    var el = filters[k];
    if (el) { el.addEventListener(k === "text" ? "input" : "change", refilter); }
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
        // Reordered off the page, then put back once: one layout, not one per row.
        var parent = body.parentNode;
        var next = body.nextSibling;
        parent.removeChild(body);
        order.forEach(function (o) {
          var detail = detailOf(o.row);
          body.appendChild(o.row);
          if (detail) { body.appendChild(detail); }
        });
        parent.insertBefore(body, next);
        rows = order.map(function (o) { return o.row; });
        refilter();
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  }

  // A finding's details show its check's guide (written once per check, further down).
  // One listener for all of them: "toggle" does not bubble, so it is caught on its way down.
  document.addEventListener("toggle", function (e) {
    var box = e.target;
    if (!box.classList || !box.classList.contains("evidence") || !box.open) { return; }
    var slot = box.querySelector(".guide-slot");
    if (!slot || slot.dataset.filled) { return; }
    var guide = document.getElementById("fix-" + slot.dataset.guide);
    var body = guide && guide.querySelector(".remediation");
    if (!body) { return; }
    slot.dataset.filled = "true";
    slot.appendChild(body.cloneNode(true));
  }, true);

  function openTarget() {
    var id;
    try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (err) { return; }
    if (!id) { return; }
    var row = document.getElementById(id);
    if (row && row.classList.contains("guide")) { row.open = true; return; }
    if (!row || !row.classList.contains("finding")) { return; }
    if (row.hidden) {
      if (!matches(row)) {
        Object.keys(filters).forEach(function (k) { if (filters[k]) { filters[k].value = ""; } });
      }
      limit = rows.length;
      apply();
    }
    rows.forEach(function (r) { r.classList.remove("targeted"); });
    row.classList.add("targeted");
    var detail = detailOf(row);
    var box = detail && detail.querySelector("details.evidence");
    if (box) { box.open = true; }
    row.scrollIntoView({ block: "start" });
  }
  if (rows.length > PAGE) { apply(); }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  Array.prototype.forEach.call(document.querySelectorAll("a.account-filter"), function (a) {
    a.addEventListener("click", function () {
      if (filters.account) { filters.account.value = a.dataset.account; refilter(); }
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
        var name = (t.dataset.name || t.textContent).toLowerCase();
        var hit = q !== "" && name.indexOf(q) >= 0;
        t.classList.toggle("match", hit);
        if (hit) {
          var region = t.closest("details.network-region");
          if (region) { region.open = true; }
        }
      });
    });
  }
})();
