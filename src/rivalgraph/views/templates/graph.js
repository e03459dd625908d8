/* rivalgraph graph view: search, type and source filters, details, and a small API for tests. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("rg-data").textContent);
  var large = data.large;
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });

  function style(group) { return data.groups[group] || data.groups.other; }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var st = style(n.group);
    var item = {
      id: n.id, label: n.label, title: n.title, shape: st.shape, size: n.size,
      color: { background: st.color, border: "#333333", highlight: { background: st.color, border: "#000000" } },
      font: { size: 14, face: "system-ui, Noto Sans CJK SC, sans-serif" }
    };
    if (n.x !== undefined) { item.x = n.x; item.y = n.y; }
    if (n.id === data.focus) { item.borderWidth = 4; item.font = { size: 18, face: item.font.face, bold: true }; }
    return item;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return { id: e.id, from: e.from, to: e.to, label: e.label, title: e.title };
  }));

  var options = {
    autoResize: true,
    layout: { improvedLayout: data.nodes.length <= 100, randomSeed: 7 },
    nodes: { borderWidth: 1, scaling: { label: { drawThreshold: 6 } } },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.45 } },
      color: { color: "#9aa5b1", highlight: "#1d2733", hover: "#1d2733" },
      font: { size: 10, color: "#4b5563", strokeWidth: 3, align: "middle" },
      smooth: large || data.edges.length > 600 ? false : { type: "continuous" },
      width: 1
    },
    interaction: { hover: !large, tooltipDelay: 150, hideEdgesOnDrag: large, hideEdgesOnZoom: large },
    physics: data.physics ? {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 110, springConstant: 0.06, avoidOverlap: 0.4 },
      stabilization: { enabled: true, iterations: data.nodes.length > 400 ? 150 : 250, updateInterval: 50, fit: true },
      minVelocity: 1
    } : { enabled: false }
  };

  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  var state = { stable: false, stableAt: null };
  function markStable() {
    if (state.stable) { return; }
    state.stable = true;
    state.stableAt = performance.now();
    var loading = document.getElementById("loading");
    if (loading && data.nodes.length) { loading.remove(); }
    document.body.setAttribute("data-stable", "1");
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit({ animation: false });
      network.once("afterDrawing", markStable);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markStable);
  }

  // -- details ---------------------------------------------------------------
  var details = document.getElementById("details-text");
  function showDetails(text) { details.textContent = text; details.classList.remove("muted"); }
  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(byId[params.nodes[0]].title); }
    else if (params.edges.length) { showDetails(edges.get(params.edges[0]).title); }
  });

  network.on("doubleClick", function (params) {
    var n = params.nodes.length ? byId[params.nodes[0]] : null;
    if (n && n.href && /^[A-Za-z0-9._-]+\.html$/.test(n.href)) { window.location.href = n.href; }
  });

  // -- filters ---------------------------------------------------------------
  var hiddenGroups = {};
  var hiddenSources = {};
  var visibleNodes = {};
  var visibleEdges = {};
  function sourcesHidden(list) {
    if (!list.length) { return false; }
    for (var i = 0; i < list.length; i++) { if (!hiddenSources[list[i]]) { return false; } }
    return true;
  }
  function applyFilters() {
    var nodeUpdates = [], edgeUpdates = [], nv = 0, ev = 0;
    data.nodes.forEach(function (n) {  // only what changes goes to vis-network
      var v = !hiddenGroups[n.group] && !sourcesHidden(n.sources);
      if (v !== visibleNodes[n.id]) { nodeUpdates.push({ id: n.id, hidden: !v }); }
      visibleNodes[n.id] = v;
      if (v) { nv++; }
    });
    data.edges.forEach(function (e) {
      var v = visibleNodes[e.from] && visibleNodes[e.to] && !sourcesHidden(e.sources);
      if (v !== visibleEdges[e.id]) { edgeUpdates.push({ id: e.id, hidden: !v }); }
      visibleEdges[e.id] = v;
      if (v) { ev++; }
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    state.visibleNodes = nv;
    state.visibleEdges = ev;
    document.getElementById("counts").textContent =
      "Showing " + nv + " of " + data.nodes.length + " nodes and " + ev + " of " + data.edges.length + " edges.";
  }
  function bindFilter(selector, attribute, hidden) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (box) {
      box.addEventListener("change", function () {
        hidden[box.getAttribute(attribute)] = !box.checked;
        applyFilters();
      });
    });
  }
  bindFilter("#type-filter input[data-group]", "data-group", hiddenGroups);
  bindFilter("#source-filter input[data-source]", "data-source", hiddenSources);
  var groupCounts = {};
  data.nodes.forEach(function (n) { groupCounts[n.group] = (groupCounts[n.group] || 0) + 1; });
  Array.prototype.forEach.call(document.querySelectorAll("[data-count-group]"), function (el) {
    el.textContent = "(" + (groupCounts[el.getAttribute("data-count-group")] || 0) + ")";
  });
  data.nodes.forEach(function (n) { visibleNodes[n.id] = true; });
  data.edges.forEach(function (e) { visibleEdges[e.id] = true; });
  state.visibleNodes = data.nodes.length;
  state.visibleEdges = data.edges.length;
  document.getElementById("counts").textContent = data.nodes.length + " nodes, " + data.edges.length + " edges.";

  // -- search ----------------------------------------------------------------
  var index = data.nodes.map(function (n) {
    return { id: n.id, names: n.names.map(function (s) { return s.toLowerCase(); }) };
  });
  if (data.nodes.length <= 3000) {
    var list = document.getElementById("names");
    var seen = {};
    data.nodes.forEach(function (n) {
      n.names.forEach(function (name) {
        if (seen[name]) { return; }
        seen[name] = true;
        var opt = document.createElement("option");
        opt.value = name;
        list.appendChild(opt);
      });
    });
  }
  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) { return null; }
    var tests = [
      function (s) { return s === q; },
      function (s) { return s.indexOf(q) === 0; },
      function (s) { return s.indexOf(q) >= 0; }
    ];
    for (var t = 0; t < tests.length; t++) {
      for (var i = 0; i < index.length; i++) {
        if (index[i].names.some(tests[t])) { return index[i].id; }
      }
    }
    return null;
  }
  var status = document.getElementById("search-status");
  function focusNode(id) {
    var n = byId[id];
    if (!visibleNodes[id]) {
      hiddenGroups[n.group] = false;
      var box = document.querySelector('#type-filter input[data-group="' + n.group + '"]');
      if (box) { box.checked = true; }
      applyFilters();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: large ? 1.0 : 1.4, animation: false });
    showDetails(n.title);
    status.textContent = "Found: " + n.label.replace("\n", " / ");
  }
  function search(query) {
    var id = find(query);
    if (id === null) { status.textContent = "No entity is called \u201c" + query + "\u201d."; return null; }
    focusNode(id);
    return id;
  }
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    search(document.getElementById("search").value);
  });
  if (data.focus && byId[data.focus]) {
    network.selectNodes([data.focus]);
  }

  // -- a small API for tests and for the curious --------------------------------
  window.rivalgraphView = {
    network: network,
    nodeCount: function () { return nodes.length; },
    edgeCount: function () { return edges.length; },
    renderedNodeCount: function () { return network.body.nodeIndices.length; },
    renderedEdgeCount: function () { return network.body.edgeIndices.length; },
    visibleNodeCount: function () { return state.visibleNodes; },
    visibleEdgeCount: function () { return state.visibleEdges; },
    isHidden: function (id) { return !visibleNodes[id]; },
    groupOf: function (id) { return byId[id] ? byId[id].group : null; },
    search: search,
    selected: function () { return network.getSelectedNodes(); },
    setGroupVisible: function (group, visible) {
      var box = document.querySelector('#type-filter input[data-group="' + group + '"]');
      if (box) { box.checked = visible; }
      hiddenGroups[group] = !visible;
      applyFilters();
    },
    setSourceVisible: function (source, visible) {
      var box = document.querySelector('#source-filter input[data-source="' + source + '"]');
      if (box) { box.checked = visible; }
      hiddenSources[source] = !visible;
      applyFilters();
    },
    isStable: function () { return state.stable; },
    stableAt: function () { return state.stableAt; },
    viewCenter: function () { return network.getViewPosition(); },
    nodePosition: function (id) { return network.getPositions([id])[id]; }
  };
})();
