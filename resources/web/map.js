/* The duty hall map page: draws what Python sends over the QWebChannel bridge.
 *
 * Python -> JS: bridge.sig_to_js(text), text = JSON list of {op, ...} messages.
 * JS -> Python: bridge.post(text), text = JSON {type, ...}.
 * Data never arrives as code: everything is JSON parsed here.
 */
(function () {
  "use strict";

  var LAYERS = ["district", "street", "resp_grid", "committee", "micro_grid"];
  var STATES = ["on_time", "warning", "overdue", "suspended"];
  var STATE_RANK = { on_time: 0, suspended: 1, warning: 2, overdue: 3 };
  var MICRO_COLOURS = {
    residential: "#4e79a7", enterprise: "#f28e2b", office: "#76b7b2", commercial: "#e15759",
    public_institution: "#59a14f", school: "#edc948", scenic: "#2ca02c", culture_sports: "#b07aa1",
    medical: "#ff9da7", elderly_care: "#9c755f", construction: "#8c564b", public_area: "#bab0ac",
    other: "#7f7f7f"
  };
  var LAYER_STYLE = {
    district: { color: "#1f2d4d", weight: 3, fill: false, dashArray: "8 4" },
    street: { color: "#3853a4", weight: 2.5, fill: false },
    resp_grid: { color: "#d9480f", weight: 2, fill: false, dashArray: "5 3" },
    committee: { color: "#2b8a3e", weight: 1.5, fillOpacity: 0.04, fillColor: "#2b8a3e" },
    micro_grid: { color: "#555", weight: 1, fillOpacity: 0.35 }
  };
  /* Zoom ranges where a layer's labels are shown (CSS classes on the container). */
  var LABEL_ZOOMS = {
    district: [0, 12], street: [12, 14], resp_grid: [14, 15], committee: [15, 17], micro_grid: [17, 30]
  };
  var DEFAULT_ON = { district: true, street: true, resp_grid: true, committee: false, micro_grid: false };

  var map, bridge;
  var T = {};
  var grids = {}, gridCounts = {}, gridSkipped = 0;
  var overlays = {};
  var tickets, ticketIndex = {}, ticketIcons = {}, ticketsLoaded = false, hoveredTicket = null;
  var cameras, cameraIndex = {};
  var sensors, sensorIndex = {}, alarms, alarmIndex = {}, iot = null;
  var overlaysBefore = null;
  var resources = null, resourceCount = 0;  /* 应急物资 (squares) and 应急力量 (triangles) */  /* overlay visibility before an emergency's plan switched it */
  var heat = null, heatPoints = [];
  var tileLayer = null, blankLayer = null, layerControl = null, legend = null;
  var noticeBox = null, notices = {};
  var emergency = null, locatePin = null;
  var selecting = false, ctrlSelecting = false, selectStart = null, selectRect = null, selectButton = null;
  var lassoing = false, altLassoing = false, lassoPts = null, lassoLine = null, lassoButton = null;
  var pickId = null, pickBanner = null;
  var stats = { messages: 0, errors: 0, lastError: "", tilesLoaded: 0 };

  function post(msg) {
    if (bridge) { bridge.post(JSON.stringify(msg)); }
  }

  function reportError(where, err) {
    stats.errors += 1;
    stats.lastError = where + ": " + (err && err.message ? err.message : String(err));
    post({ type: "error", message: stats.lastError });
  }

  window.addEventListener("error", function (ev) { reportError("page", ev.error || ev.message); });

  /* --- icons -------------------------------------------------------------- */
  function ticketIcon(code) {
    var st = STATES[code] || "on_time";
    if (!ticketIcons[st]) {
      ticketIcons[st] = L.divIcon({ className: "tk tk-" + st, iconSize: [14, 14], iconAnchor: [7, 7] });
    }
    return ticketIcons[st];
  }

  function cameraIcon(online) {
    return L.divIcon({ className: "cam " + (online ? "cam-online" : "cam-offline"),
                       html: "<span></span>", iconSize: [20, 20], iconAnchor: [10, 10] });
  }

  function sensorIcon(status) {
    return L.divIcon({ className: "sen sen-" + status, html: "<span></span>", iconSize: [16, 16],
                       iconAnchor: [8, 8] });
  }

  function clusterIcon(cluster) {
    var worst = "on_time", rank = -1;
    var children = cluster.getAllChildMarkers();
    for (var i = 0; i < children.length; i++) {
      var st = children[i].options.st;
      if (STATE_RANK[st] > rank) { rank = STATE_RANK[st]; worst = st; if (rank === 3) { break; } }
    }
    var n = cluster.getChildCount();
    var size = n < 100 ? 32 : n < 1000 ? 38 : 46;
    return L.divIcon({ html: "<div><span>" + n + "</span></div>",
                       className: "marker-cluster tkc tkc-" + worst, iconSize: [size, size] });
  }

  /* --- setup ---------------------------------------------------------------- */
  function setup(msg) {
    T = msg.i18n || {};
    map.attributionControl.setPrefix("Leaflet");  /* no outbound link in a console */
    map.setMaxZoom(msg.maxZoom || 19);
    if (msg.center) { map.setView(msg.center, msg.zoom || 15); }
    blankLayer = L.layerGroup();
    var bases = {};
    if (msg.tiles && msg.tiles.url) {
      tileLayer = L.tileLayer(msg.tiles.url, {
        maxZoom: msg.maxZoom || 19, maxNativeZoom: msg.tiles.maxNativeZoom || 18,
        minZoom: msg.tiles.minZoom || 0, attribution: msg.tiles.attribution || ""
      });
      tileLayer.on("tileerror", function () { post({ type: "tile_error" }); });
      tileLayer.on("tileload", function () { stats.tilesLoaded += 1; });
      bases[T.basemap] = tileLayer;
      bases[T.blank] = blankLayer;
      tileLayer.addTo(map);
    } else {
      blankLayer.addTo(map);
    }
    LAYERS.forEach(function (layer) {
      grids[layer] = L.geoJSON(null, {
        style: function (f) { return gridStyle(layer, f); },
        onEachFeature: function (f, lyr) { bindGrid(layer, f, lyr); }
      });
      overlays[layer] = grids[layer];
      if (DEFAULT_ON[layer]) { grids[layer].addTo(map); }
    });
    tickets = L.markerClusterGroup({
      chunkedLoading: true, chunkInterval: 150, chunkDelay: 20,
      maxClusterRadius: 50, disableClusteringAtZoom: 18, showCoverageOnHover: false,
      spiderfyOnMaxZoom: true, iconCreateFunction: clusterIcon,
      chunkProgress: function (done, total) {
        if (done === total && ticketsLoaded) {
          post({ type: "tickets_drawn", n: Object.keys(ticketIndex).length });
        }
      }
    }).addTo(map);
    cameras = L.layerGroup().addTo(map);
    sensors = L.layerGroup().addTo(map);
    alarms = L.layerGroup().addTo(map);
    iot = L.layerGroup([sensors, alarms]).addTo(map);
    heat = L.heatLayer([], { radius: 22, blur: 18, maxZoom: 17, minOpacity: 0.3 });
    resources = L.layerGroup();  /* off until the officer or an emergency plan turns it on */

    var named = {};
    LAYERS.forEach(function (layer) { named[(T.layers || {})[layer] || layer] = grids[layer]; });
    named[T.tickets] = tickets;
    named[T.cameras] = cameras;
    named[T.sensors] = iot;
    named[T.heat] = heat;
    named[T.resources || "resources"] = resources;
    layerControl = L.control.layers(bases, named, { collapsed: false, position: "topright" }).addTo(map);
    buildLegend();
    noticeBox = L.control({ position: "topleft" });
    noticeBox.onAdd = function () {
      var div = L.DomUtil.create("div", "notice-box");
      div.style.display = "none";
      return div;
    };
    noticeBox.addTo(map);
    buildSelectButton();
    buildPickBanner();
    map.on("zoomend", zoomClasses);
    /* the micro-grid colour key only matters while that layer is shown */
    map.on("overlayadd overlayremove", microLegend);
    /* the heat map is read from the store only when someone looks at it */
    map.on("overlayadd", function (ev) { if (ev.layer === heat) { post({ type: "heat_wanted" }); } });
    microLegend();
    zoomClasses();
  }

  function gridStyle(layer, f) {
    var style = L.extend({}, LAYER_STYLE[layer]);
    if (layer === "micro_grid") {
      var c = MICRO_COLOURS[f.properties.micro_type] || MICRO_COLOURS.other;
      style.fillColor = c;
      style.color = c;
    }
    return style;
  }

  function bindGrid(layer, f, lyr) {
    var name = f.properties.name || f.properties.id;
    lyr.bindTooltip(name, { permanent: true, direction: "center", className: "lbl lbl-" + layer,
                            interactive: false });
    lyr.on("click", function (ev) {
      L.DomEvent.stopPropagation(ev);
      post({ type: "grid", id: String(f.properties.id) });
    });
  }

  function microLegend() {
    var on = map.hasLayer(grids.micro_grid);
    L.DomUtil[on ? "addClass" : "removeClass"](map.getContainer(), "micro-on");
  }

  function zoomClasses() {
    var z = map.getZoom(), el = map.getContainer();
    LAYERS.forEach(function (layer) {
      var r = LABEL_ZOOMS[layer];
      if (z >= r[0] && z < r[1]) { L.DomUtil.addClass(el, "zl-" + layer); }
      else { L.DomUtil.removeClass(el, "zl-" + layer); }
    });
  }

  function buildLegend() {
    legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "legend");
      /* two columns, and a title that folds it away on a small map */
      var html = "<div class='legend-head'>" + esc(T.legend || "") + "</div><div class='legend-body'>";
      html += "<b>" + esc(T.legend_tickets || "") + "</b><div class='legend-grid'>";
      STATES.forEach(function (st) {
        html += "<div><i class='sw tk tk-" + st + "'></i>" + esc((T.states || {})[st] || st) + "</div>";
      });
      html += "</div><b>" + esc(T.legend_symbols || "") + "</b><div class='legend-grid'>";
      [["cam cam-online", "<span></span>", T.legend_camera_online],
       ["cam cam-offline", "<span></span>", T.legend_camera_offline],
       ["sen sen-normal", "<span></span>", T.legend_sensor],
       ["sen sen-alarm", "<span></span>", T.legend_sensor_alarm],
       ["sen sen-offline", "<span></span>", T.legend_sensor_offline],
       ["alarm", "", T.legend_alarm],
       ["tkc-key", "<span>9</span>", T.legend_cluster]].forEach(function (row) {
        html += "<div class='legend-sym" + (row[0] === "tkc-key" ? " wide" : "") + "'><i class='sym " +
                row[0] + "'>" + row[1] + "</i>" + esc(row[2] || "") + "</div>";
      });
      html += "</div><div class='legend-micro'><b>" + esc(T.legend_micro || "") + "</b>";
      Object.keys(MICRO_COLOURS).forEach(function (k) {
        html += "<div><i class='sw' style='background:" + MICRO_COLOURS[k] + "'></i>" +
                esc((T.micro || {})[k] || k) + "</div>";
      });
      div.innerHTML = html + "</div></div>";
      div.firstChild.addEventListener("click", function () { L.DomUtil[
        L.DomUtil.hasClass(div, "folded") ? "removeClass" : "addClass"](div, "folded"); });
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    legend.addTo(map);
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  /* a short answer at the spot the officer clicked (e.g. no camera near this sensor) */
  var sayPopup = null;
  function sayAt(msg) {
    if (sayPopup) { map.closePopup(sayPopup); }
    sayPopup = L.popup({ className: "say-at", autoPan: false, closeButton: true })
      .setLatLng([msg.lat, msg.lon]).setContent(esc(msg.text)).openOn(map);
    sayPopup.on("remove", function () { sayPopup = null; });
  }

  /* --- notices ------------------------------------------------------------- */
  function notice(msg) {
    if (msg.text) { notices[msg.key] = msg.text; } else { delete notices[msg.key]; }
    var el = noticeBox.getContainer();
    var keys = Object.keys(notices).sort();
    el.innerHTML = keys.map(function (k) { return "<div>" + esc(notices[k]) + "</div>"; }).join("");
    el.style.display = keys.length ? "block" : "none";
  }

  /* --- grids ---------------------------------------------------------------- */
  function setGrids(msg) {
    gridSkipped = 0;
    LAYERS.forEach(function (layer) {
      var g = grids[layer];
      g.clearLayers();
      gridCounts[layer] = 0;
      var fc = (msg.layers || {})[layer];
      if (!fc) { return; }
      fc.features.forEach(function (f) {
        try { g.addData(f); gridCounts[layer] += 1; }
        catch (e) { gridSkipped += 1; }
      });
    });
    post({ type: "grids_drawn", counts: gridCounts, skipped: gridSkipped });
    if (msg.fit) { fitGrids(); }
  }

  function fitGrids() {
    for (var i = 0; i < LAYERS.length; i++) {
      var g = grids[LAYERS[i]];
      if (gridCounts[LAYERS[i]] > 0 && LAYERS[i] !== "district") {
        var b = g.getBounds();
        if (b.isValid()) { map.fitBounds(b, { padding: [10, 10] }); return; }
      }
    }
  }

  /* --- tickets -------------------------------------------------------------- */
  function makeTicket(id, lat, lon, code) {
    var m = L.marker([lat, lon], { icon: ticketIcon(code), st: STATES[code] || "on_time", tid: id,
                                   keyboard: false });
    m.on("click", onTicketClick);
    m.on("mouseover", onTicketHover);
    m.on("mouseout", function () { hoveredTicket = null; });
    return m;
  }

  function onTicketClick(ev) { post({ type: "ticket", id: ev.target.options.tid }); }

  /* Tooltips are fetched on first hover: 50k tooltips up front would be megabytes. */
  function onTicketHover(ev) {
    var m = ev.target;
    hoveredTicket = m.options.tid;
    if (!m.getTooltip()) { post({ type: "ticket_hover", id: m.options.tid }); }
  }

  function ticketTip(msg) {
    var m = ticketIndex[msg.id];
    if (!m) { return; }
    m.bindTooltip(msg.lines.map(esc).join("<br>"), { direction: "top", offset: [0, -8] });
    if (hoveredTicket === msg.id && map.hasLayer(m)) { m.openTooltip(); }
  }

  function setTickets(msg) {
    ticketsLoaded = true;
    tickets.clearLayers();
    ticketIndex = {};
    addTickets(msg);
  }

  function addTickets(cols) {
    var list = [];
    for (var i = 0; i < cols.ids.length; i++) {
      var m = makeTicket(cols.ids[i], cols.lat[i], cols.lon[i], cols.st[i]);
      ticketIndex[cols.ids[i]] = m;
      list.push(m);
    }
    tickets.addLayers(list);
  }

  function updateTickets(msg) {
    var gone = [];
    var ids = (msg.remove || []).concat(msg.upsert ? msg.upsert.ids : []);
    ids.forEach(function (id) {
      var m = ticketIndex[id];
      if (m) { gone.push(m); delete ticketIndex[id]; }
    });
    if (gone.length) { tickets.removeLayers(gone); }
    if (msg.upsert) { addTickets(msg.upsert); }
  }

  /* --- cameras, sensors, alarms ---------------------------------------------- */
  function updatePoints(group, index, msg, make) {
    if (msg.replace) { group.clearLayers(); for (var k in index) { delete index[k]; } }
    (msg.remove || []).forEach(function (id) {
      if (index[id]) { group.removeLayer(index[id]); delete index[id]; }
    });
    (msg.upsert || []).forEach(function (p) {
      if (index[p.id]) { group.removeLayer(index[p.id]); }
      var m = make(p);
      index[p.id] = m;
      group.addLayer(m);
    });
  }

  function makeCamera(p) {
    var m = L.marker([p.lat, p.lon], { icon: cameraIcon(p.online), cid: p.id, keyboard: false });
    m.bindTooltip(esc(p.name) + (p.online ? "" : " (" + esc(T.offline || "") + ")"));
    m.on("click", function () { post({ type: "camera", id: p.id }); });
    return m;
  }

  function makeSensor(p) {
    var m = L.marker([p.lat, p.lon], { icon: sensorIcon(p.status), sid: p.id, keyboard: false });
    m.bindTooltip(esc(p.name) + " · " + esc((T.sensor_status || {})[p.status] || p.status));
    m.on("click", function () { post({ type: "sensor", id: p.id }); });
    return m;
  }

  function makeAlarm(p) {
    var m = L.marker([p.lat, p.lon], {
      icon: L.divIcon({ className: "alarm", iconSize: [26, 26], iconAnchor: [13, 13] }),
      keyboard: false, zIndexOffset: 1000
    });
    m.bindTooltip(esc(T.alarm || "") + " " + esc(p.type));
    return m;
  }

  function setHeat(msg) {
    var pts = [], flat = msg.points || [];
    for (var i = 0; i + 1 < flat.length; i += 2) { pts.push([flat[i], flat[i + 1]]); }
    heatPoints = pts;
    heat.setLatLngs(pts);
  }

  /* --- view --------------------------------------------------------------------- */
  function locate(msg) {
    if (locatePin) { map.removeLayer(locatePin); }
    locatePin = L.circleMarker([msg.lat, msg.lon], { radius: 18, color: "#1c7ed6", weight: 3,
                                                     fill: false, className: "locate-pin" }).addTo(map);
    /* At zoom 18 clustering is off, so the ticket's own marker shows under the ring.
       (markercluster's zoomToShowLayer would leave a moveend callback behind that
       pans back to the ticket after a later move.) */
    map.setView([msg.lat, msg.lon], 18);
  }

  function fit(msg) {
    var b = msg.bbox;
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: [20, 20], maxZoom: 18 });
  }

  function overlayLayers() {
    return { tickets: tickets, cameras: cameras, sensors: iot, heat: heat, resources: resources };
  }

  function overlayState() {
    var out = {}, all = overlayLayers();
    Object.keys(all).forEach(function (k) { out[k] = !!all[k] && map.hasLayer(all[k]); });
    return out;
  }

  function setOverlays(state) {
    var all = overlayLayers();
    Object.keys(all).forEach(function (k) {
      if (!all[k] || !(k in state)) { return; }
      if (state[k] && !map.hasLayer(all[k])) { all[k].addTo(map); }
      if (!state[k] && map.hasLayer(all[k])) { map.removeLayer(all[k]); }
    });
  }

  function setResources(msg) {
    resources.clearLayers();
    resourceCount = 0;
    (msg.points || []).forEach(function (p) {
      var cls = p.category === "supply" ? "resource-supply" : "resource-force";
      L.marker([p.lat, p.lon], { icon: L.divIcon({ className: cls, iconSize: [14, 14], iconAnchor: [7, 7] }),
                                 keyboard: false })
        .bindTooltip(esc(p.tip || ""), { direction: "top" }).addTo(resources);
      resourceCount += 1;
    });
  }

  function startEmergency(msg) {
    endEmergency();
    if (msg.layers) {  /* the plan's overlays; the officer's own choice comes back at the end */
      overlaysBefore = overlayState();
      var want = {};
      Object.keys(overlayLayers()).forEach(function (k) { want[k] = msg.layers.indexOf(k) >= 0; });
      setOverlays(want);
    }
    emergency = L.layerGroup();
    (msg.rings || [100, 300, 500]).forEach(function (r, i) {
      L.circle([msg.lat, msg.lon], { radius: r, color: "#e03131", weight: 2, fillOpacity: 0.06 - i * 0.015,
                                     dashArray: i ? "6 4" : null, interactive: false })
        .addTo(emergency);
      /* the label sits on the ring's northern edge (1 degree of latitude ~ 111,320 m) */
      L.marker([msg.lat + r / 111320, msg.lon], {
        icon: L.divIcon({ className: "ring-label", html: r + " m", iconSize: [60, 16], iconAnchor: [30, 16] }),
        interactive: false, keyboard: false
      }).addTo(emergency);
    });
    L.marker([msg.lat, msg.lon], {
      icon: L.divIcon({ className: "incident", iconSize: [28, 28], iconAnchor: [14, 14] }), zIndexOffset: 2000
    }).bindTooltip(esc(msg.title || ""), { permanent: true, direction: "right", className: "incident-label" })
      .addTo(emergency);
    emergency.addTo(map);
    map.setView([msg.lat, msg.lon], 16);
  }

  function endEmergency() {
    if (emergency) { map.removeLayer(emergency); emergency = null; }
    if (overlaysBefore) { setOverlays(overlaysBefore); overlaysBefore = null; }
  }

  /* --- box and lasso selection --------------------------------------------------- */
  function modeButton(bar, cls, text, hint, onClick) {
    var a = L.DomUtil.create("a", cls, bar);
    a.href = "#";
    a.title = hint || "";
    a.textContent = text || "";
    L.DomEvent.on(a, "click", function (ev) { L.DomEvent.stop(ev); onClick(); });
    return a;
  }

  function buildSelectButton() {
    var ctl = L.control({ position: "topleft" });
    ctl.onAdd = function () {
      var bar = L.DomUtil.create("div", "select-bar leaflet-bar");
      selectButton = modeButton(bar, "select-btn box-btn", T.select, T.select_hint,
                                function () { setSelecting(!selecting); });
      lassoButton = modeButton(bar, "select-btn lasso-btn", T.lasso, T.lasso_hint,
                               function () { setLasso(!lassoing); });
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    };
    ctl.addTo(map);
    /* Ctrl held = box mode, Alt held = lasso mode, for as long as the key is held
       (panning would fight the drawing); Esc leaves pick mode or a selection mode. */
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") {
        if (pickId !== null) { ev.preventDefault(); cancelPick(); return; }
        if (selecting) { setSelecting(false); }
        if (lassoing) { setLasso(false); }
        return;
      }
      if (pickId !== null) { return; }
      if (ev.key === "Control" && !selecting && !lassoing) { setSelecting(true, true); }
      if (ev.key === "Alt" && !lassoing && !selecting) { ev.preventDefault(); setLasso(true, true); }
    });
    document.addEventListener("keyup", function (ev) {
      if (ev.key === "Control" && ctrlSelecting) { setSelecting(false); }
      if (ev.key === "Alt" && altLassoing) { setLasso(false); }
    });
    map.on("mousedown", function (ev) {
      if (pickId !== null) { return; }
      var oe = ev.originalEvent || {};
      if (lassoing || oe.altKey) {
        map.dragging.disable();
        lassoPts = [ev.latlng];
        lassoLine = L.polyline([ev.latlng], { color: "#1c7ed6", weight: 2, dashArray: "4 3",
                                              interactive: false }).addTo(map);
        return;
      }
      if (!(selecting || oe.ctrlKey)) { return; }
      map.dragging.disable();
      selectStart = ev.latlng;
      selectRect = L.rectangle([selectStart, selectStart], { color: "#1c7ed6", weight: 1, dashArray: "4 3",
                                                              interactive: false }).addTo(map);
    });
    map.on("mousemove", function (ev) {
      if (selectStart) { selectRect.setBounds([selectStart, ev.latlng]); }
      if (lassoPts) {
        var last = map.latLngToContainerPoint(lassoPts[lassoPts.length - 1]);
        if (last.distanceTo(map.latLngToContainerPoint(ev.latlng)) >= 3) {
          lassoPts.push(ev.latlng);
          lassoLine.addLatLng(ev.latlng);
        }
      }
    });
    map.on("mouseup", function (ev) {
      if (lassoPts) {
        var pts = lassoPts;
        if (!ev.latlng.equals(pts[pts.length - 1])) { pts.push(ev.latlng); }
        map.removeLayer(lassoLine);
        lassoPts = null;
        lassoLine = null;
        if (!lassoing && !selecting) { map.dragging.enable(); }
        selectPolygon(pts);
        return;
      }
      if (!selectStart) { return; }
      var b = L.latLngBounds(selectStart, ev.latlng);
      map.removeLayer(selectRect);
      selectStart = null;
      selectRect = null;
      if (!selecting && !lassoing) { map.dragging.enable(); }
      if (!b.getSouthWest().equals(b.getNorthEast())) { selectBox(b); }
    });
  }

  function modeClasses() {
    if (selectButton) { L.DomUtil[selecting ? "addClass" : "removeClass"](selectButton, "active"); }
    if (lassoButton) { L.DomUtil[lassoing ? "addClass" : "removeClass"](lassoButton, "active"); }
    L.DomUtil[selecting || lassoing ? "addClass" : "removeClass"](map.getContainer(), "selecting");
  }

  function setSelecting(on, byCtrl) {
    if (on && lassoing) { lassoing = false; altLassoing = false; }
    selecting = on;
    ctrlSelecting = !!(on && byCtrl);
    if (on) { map.dragging.disable(); } else if (!selectStart && !lassoPts && !lassoing) { map.dragging.enable(); }
    modeClasses();
  }

  function setLasso(on, byAlt) {
    if (on && selecting) { selecting = false; ctrlSelecting = false; }
    lassoing = on;
    altLassoing = !!(on && byAlt);
    if (on) { map.dragging.disable(); } else if (!selectStart && !lassoPts && !selecting) { map.dragging.enable(); }
    modeClasses();
  }

  function selectBox(b) {
    post({ type: "area", bbox: [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()] });
  }

  /* A lasso: simplified on screen (1.5 px) so a long stroke is not thousands of points. */
  function selectPolygon(latlngs) {
    var pts = latlngs.map(function (ll) { return map.latLngToContainerPoint(ll); });
    var simple = pts.length > 3 ? L.LineUtil.simplify(pts, 1.5) : pts;
    /* simplify keeps a subset of the very point objects: send their exact lat/lon */
    var poly = [];
    simple.forEach(function (p) {
      var i = pts.indexOf(p);
      if (i >= 0) { poly.push([latlngs[i].lat, latlngs[i].lng]); }
    });
    if (poly.length < 3) { poly = latlngs.map(function (ll) { return [ll.lat, ll.lng]; }); }
    if (poly.length >= 3) { post({ type: "lasso", polygon: poly }); }
  }

  /* --- picking a point (new ticket from a phone call) -------------------------------- */
  function buildPickBanner() {
    pickBanner = L.DomUtil.create("div", "pick-banner", map.getContainer());
    pickBanner.style.display = "none";
    L.DomEvent.disableClickPropagation(pickBanner);
    L.DomEvent.disableScrollPropagation(pickBanner);
    map.on("click", onMapClick);
  }

  function startPick(msg) {
    setSelecting(false);
    setLasso(false);
    pickId = String(msg.id);
    pickBanner.innerHTML = "";
    var text = L.DomUtil.create("span", "pick-text", pickBanner);
    text.textContent = msg.text || T.pick_banner || "";
    var cancel = L.DomUtil.create("a", "pick-cancel", pickBanner);
    cancel.href = "#";
    cancel.textContent = T.cancel || "×";
    L.DomEvent.on(cancel, "click", function (ev) { L.DomEvent.stop(ev); cancelPick(); });
    pickBanner.style.display = "block";
    L.DomUtil.addClass(map.getContainer(), "picking");
  }

  function endPick() {
    pickId = null;
    if (pickBanner) { pickBanner.style.display = "none"; }
    L.DomUtil.removeClass(map.getContainer(), "picking");
  }

  function cancelPick() {
    var id = pickId;
    endPick();
    if (id !== null) { post({ type: "pick_cancel", id: id }); }
  }

  function onMapClick(ev) {
    if (pickId === null || !ev.latlng) { return; }
    var id = pickId;
    endPick();
    post({ type: "picked", id: id, lat: ev.latlng.lat, lon: ev.latlng.lng });
  }

  /* --- dispatch ------------------------------------------------------------------------ */
  var OPS = {
    setup: setup,
    notice: notice,
    say_at: sayAt,
    grids: setGrids,
    tickets_all: setTickets,
    tickets: updateTickets,
    ticket_tip: ticketTip,
    cameras: function (m) { updatePoints(cameras, cameraIndex, m, makeCamera); },
    sensors: function (m) { updatePoints(sensors, sensorIndex, m, makeSensor); },
    alarms: function (m) { updatePoints(alarms, alarmIndex, m, makeAlarm); },
    heat: setHeat,
    resources: setResources,
    locate: locate,
    fit: fit,
    fit_grids: fitGrids,
    emergency: startEmergency,
    emergency_end: endEmergency,
    pick: startPick,
    pick_end: endPick
  };

  function receive(text) {
    var batch;
    try { batch = JSON.parse(text); } catch (e) { reportError("parse", e); return; }
    batch.forEach(function (msg) {
      stats.messages += 1;
      var fn = OPS[msg.op];
      if (!fn) { reportError("op", "unknown op " + msg.op); return; }
      try { fn(msg); } catch (e) { reportError(msg.op, e); }
    });
    post({ type: "applied", n: batch.length });
  }

  /* --- introspection for tests and the snapshot ------------------------------------------ */
  function className(m) { return m ? m.options.icon.options.className : null; }

  window.DutyMap = {
    init: function (leafletMap) {
      map = leafletMap;
      new QWebChannel(qt.webChannelTransport, function (channel) {
        bridge = channel.objects.bridge;
        bridge.sig_to_js.connect(receive);
        post({ type: "ready" });
      });
    },
    stats: function () {
      var visible = {};
      LAYERS.forEach(function (l) { visible[l] = map.hasLayer(grids[l]); });
      return JSON.stringify({
        grids: gridCounts, gridSkipped: gridSkipped, gridVisible: visible,
        tickets: Object.keys(ticketIndex).length, cameras: Object.keys(cameraIndex).length,
        sensors: Object.keys(sensorIndex).length, alarms: Object.keys(alarmIndex).length,
        heat: heatPoints.length, notices: notices, emergency: !!emergency, overlays: overlayState(), resources: resourceCount,
        rings: emergency ? emergency.getLayers().filter(function (l) { return l instanceof L.Circle; })
          .map(function (c) { return [c.getLatLng().lat, c.getLatLng().lng, c.getRadius()]; }) : [],
        sayAt: sayPopup && map.hasLayer(sayPopup) ? sayPopup.getContent() : "",
        legend: legend ? legend.getContainer().textContent : "",
        picking: pickId, pickBanner: pickBanner && pickBanner.style.display !== "none" ? pickBanner.textContent : "",
        selecting: selecting, lassoing: lassoing, lassoPoints: lassoPts ? lassoPts.length : 0,
        zoom: map.getZoom(), center: [map.getCenter().lat, map.getCenter().lng],
        tiles: !!tileLayer, tilesLoaded: stats.tilesLoaded, tilesLoading: !!(tileLayer && tileLayer.isLoading()), messages: stats.messages, errors: stats.errors, lastError: stats.lastError
      });
    },
    ticketClass: function (id) { return className(ticketIndex[id]); },
    hover: function (id) { var m = ticketIndex[id]; if (m) { m.fire("mouseover"); } return !!m; },
    ticketTip: function (id) {
      var t = ticketIndex[id] && ticketIndex[id].getTooltip();
      return t ? String(t.getContent()) : null;
    },
    position: function (kind, id) {
      var m = ({ ticket: ticketIndex, camera: cameraIndex, sensor: sensorIndex })[kind][id];
      return m ? JSON.stringify([m.getLatLng().lat, m.getLatLng().lng]) : null;
    },
    cameraClass: function (id) { return className(cameraIndex[id]); },
    sensorClass: function (id) { return className(sensorIndex[id]); },
    click: function (kind, id) {
      var index = { ticket: ticketIndex, camera: cameraIndex, sensor: sensorIndex }[kind];
      if (kind === "grid") {
        for (var i = 0; i < LAYERS.length; i++) {
          var found = null;
          grids[LAYERS[i]].eachLayer(function (l) { if (String(l.feature.properties.id) === id) { found = l; } });
          if (found) { found.fire("click"); return true; }
        }
        return false;
      }
      var m = index && index[id];
      if (!m) { return false; }
      m.fire("click");
      return true;
    },
    selectBox: function (s, w, n, e) { selectBox(L.latLngBounds([s, w], [n, e])); },
    /* a lasso through these [lat, lon] points, as if drawn with the mouse */
    selectPolygon: function (pts) { selectPolygon(pts.map(function (p) { return L.latLng(p[0], p[1]); })); },
    /* a click on the map at this point (the map's own click event, as the mouse sends it) */
    mapClick: function (lat, lon) {
      var ll = L.latLng(lat, lon);
      map.fire("click", { latlng: ll, layerPoint: map.latLngToLayerPoint(ll),
                          containerPoint: map.latLngToContainerPoint(ll) });
      return true;
    },
    pointOf: function (lat, lon) { var p = map.latLngToContainerPoint([lat, lon]); return JSON.stringify([p.x, p.y]); },
    latLngAt: function (x, y) { var ll = map.containerPointToLatLng([x, y]); return JSON.stringify([ll.lat, ll.lng]); },
    showHeat: function () { heat.addTo(map); map.fire("overlayadd", { layer: heat }); return true; }
  };
}());
