// traza web UI: draws the server's chart configurations, keeps HTMX error fragments visible,
// and the alert queue's keyboard triage. No inline scripts: charts and graphs carry their
// configuration as JSON in a data- attribute (HTMX drops <script> blocks from swapped content).
(function () {
  "use strict";

  function drawCharts(root) {
    if (!window.Chart) return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, JSON.parse(canvas.dataset.chart));
    });
  }

  // The counterparty network: node size by kg (log), edge width by kg, colours as the
  // page's legend says. Labels are the server's short names, drawn small under the node and
  // hidden when zoomed out; the full name, RUC and kg show as the box's tooltip on hover.
  function drawGraphs(root) {
    if (!window.cytoscape) return;
    root.querySelectorAll("[data-graph]").forEach(function (box) {
      if (box.dataset.drawn) return;
      box.dataset.drawn = "1";
      var spec = JSON.parse(box.dataset.graph);
      var cy = window.cytoscape({
        container: box, elements: spec.elements, wheelSensitivity: 0.3, minZoom: 0.3,
        maxZoom: 1.6, // a small network is not blown up to giant labels when fitted
        layout: { name: "concentric", concentric: function (n) { return n.data("centre") ? 2 : 1; },
                  levelWidth: function () { return 1; }, minNodeSpacing: 30, padding: 16 },
        style: [
          { selector: "node", style: { "label": "data(label)", "font-size": 11, "background-color": "#0072B2",
            "width": "mapData(kg_log, 0, 8, 12, 40)", "height": "mapData(kg_log, 0, 8, 12, 40)",
            "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "ellipsis", "text-max-width": 100,
            "min-zoomed-font-size": 7, "text-background-color": "#ffffff", "text-background-opacity": 0.8,
            "text-background-padding": 1 } },
          { selector: "node[?centre]", style: { "background-color": "#D55E00", "font-weight": "bold" } },
          { selector: "node[?unregistered]", style: { "background-color": "#999999", "shape": "diamond" } },
          { selector: "node[?inactive]", style: { "border-width": 3, "border-color": "#CC79A7" } },
          { selector: "edge", style: { "curve-style": "bezier", "target-arrow-shape": "triangle", "line-color": "#8c959f",
            "target-arrow-color": "#8c959f", "width": "mapData(kg_log, 0, 8, 1, 8)", "opacity": 0.8 } },
          { selector: "edge.hover", style: { "label": "data(label)", "font-size": 9, "line-color": "#0b5cad",
            "target-arrow-color": "#0b5cad", "text-background-color": "#ffffff", "text-background-opacity": 1 } },
          { selector: "node.hover", style: { "border-width": 2, "border-color": "#1b1f24" } }
        ]
      });
      // the page's language, not the browser's: the same 42.200 kg the server writes
      function kg(n) { return Number(n || 0).toLocaleString(document.documentElement.lang === "en" ? "en" : "es") + " kg"; }
      cy.on("mouseover", "node", function (e) {
        var d = e.target.data();
        box.title = d.name + " · RUC " + d.ruc + " · " + kg(d.kg);
        e.target.addClass("hover"); e.target.connectedEdges().addClass("hover");
      });
      cy.on("mouseout", "node", function (e) {
        box.title = ""; e.target.removeClass("hover"); e.target.connectedEdges().removeClass("hover");
      });
      cy.on("mouseover", "edge", function (e) { e.target.addClass("hover"); });
      cy.on("mouseout", "edge", function (e) { e.target.removeClass("hover"); });
      cy.on("tap", "node", function (e) {
        var ruc = e.target.data("ruc");
        if (ruc && !e.target.data("centre")) window.location.href = "/operators/" + ruc;
      });
      box.dataset.nodes = String(cy.nodes().length);
    });
  }

  function init(root) { drawCharts(root); drawGraphs(root); }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    // New content from HTMX (an outerHTML swap replaces the target, so listen for the new one).
    document.body.addEventListener("htmx:load", function (e) { init(e.detail.elt); });
    // A refused action (4xx) answers with a fragment that says why: show it.
    document.body.addEventListener("htmx:beforeSwap", function (e) {
      var s = e.detail.xhr.status;
      if (s >= 400 && s < 500) { e.detail.shouldSwap = true; e.detail.isError = false; }
    });
  });

  // Alert queue: j/k move, x selects, Enter (or o) opens, / goes to the filters.
  document.addEventListener("keydown", function (e) {
    var queue = document.getElementById("queue");
    if (!queue) return;
    var tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var rows = Array.prototype.slice.call(queue.querySelectorAll("tbody tr[data-alert]"));
    if (!rows.length) return;
    var current = queue.querySelector("tbody tr.selected") || null;
    var i = rows.indexOf(current);
    function go(j) {
      if (current) current.classList.remove("selected");
      var row = rows[Math.max(0, Math.min(rows.length - 1, j))];
      row.classList.add("selected");
      var link = row.querySelector("a.open"); if (link) link.focus();
    }
    if (e.key === "j") { go(i + 1); e.preventDefault(); }
    else if (e.key === "k") { go(i < 0 ? 0 : i - 1); e.preventDefault(); }
    else if (e.key === "x" && current) { var box = current.querySelector("input[type=checkbox]"); if (box) box.checked = !box.checked; e.preventDefault(); }
    else if ((e.key === "o" || e.key === "Enter") && current && tag !== "a") { var a = current.querySelector("a.open"); if (a) window.location.href = a.href; }
    else if (e.key === "/") { var f = document.getElementById("filter-first"); if (f) { f.focus(); e.preventDefault(); } }
  });
})();
