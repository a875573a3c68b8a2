/* The board: polls the JSON every few seconds and redraws the calls and the map without a reload.
   Server data only ever goes into the page as text (textContent), never as HTML. */
(function () {
  "use strict";
  var root = document.getElementById("board");
  if (!root || !window.fetch) return;
  var text = root.dataset;
  var seen = "";

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined && content !== null) node.textContent = String(content);
    return node;
  }

  function cell(row, content, className) {
    var td = el("td", className, content);
    row.appendChild(td);
    return td;
  }

  function callRow(c) {
    var tr = el("tr", "st-" + c.status + (c.emergency ? " emergency" : "") + (c.red ? " red" : ""));
    tr.dataset.ref = c.ref;
    var link = el("a", null, "#" + c.ref);
    link.href = c.url;
    cell(tr, null, "ref").appendChild(link);
    cell(tr).appendChild(el("span", "badge st-" + c.status, c.status_label));
    cell(tr, c.age, "age").title = c.created;
    var category = cell(tr, c.category_label);
    if (c.subcategory_label) category.appendChild(el("small", null, c.subcategory_label));
    var where = cell(tr, c.place);
    var caller = where.appendChild(el("small", null, c.caller));
    if (c.red) caller.appendChild(el("span", "badge risk-red", text.textRed));
    cell(tr, c.holder);
    var last = cell(tr, c.last_message ? null : "—");
    if (c.last_message) {
      last.appendChild(el("span", "dl dl-" + c.last_message.status, c.last_message.label));
      last.appendChild(el("small", null, c.last_message.what + " " + c.last_message.at));
    }
    cell(tr, c.trouble, "trouble");
    tr.addEventListener("click", function (event) { if (event.target.tagName !== "A") window.location = c.url; });
    return tr;
  }

  function renderCalls(data) {
    var body = document.getElementById("calls");
    body.replaceChildren();
    if (!data.calls.length) {
      var empty = el("tr", "empty");
      var td = cell(empty, text.textNone);
      td.colSpan = 8;
      body.appendChild(empty);
    }
    data.calls.forEach(function (c) { body.appendChild(callRow(c)); });
    document.getElementById("count").textContent = data.count;
  }

  /* The map: place outlines always; tiles only when a tile URL is configured. */
  var map = null, layer = null;
  function setUpMap(initial) {
    if (!window.L) return;
    var box = document.getElementById("map");
    map = L.map(box, {zoomControl: true, attributionControl: !!box.dataset.tiles});
    if (box.dataset.tiles) L.tileLayer(box.dataset.tiles, {maxZoom: 18}).addTo(map);
    var bounds = L.latLngBounds([]);
    initial.outlines.forEach(function (p) {
      if (!p.outline.length) return;
      var shape = L.polygon(p.outline, {color: "#5f6e69", weight: 1, fillColor: "#dfe8e4", fillOpacity: 0.5});
      shape.bindTooltip(el("span", null, p.name), {permanent: true, direction: "center", className: "place-label"}).addTo(map);
      bounds.extend(shape.getBounds());
    });
    layer = L.layerGroup().addTo(map);
    drawPoints(initial);
    layer.eachLayer(function (m) { bounds.extend(m.getLatLng()); });
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.05)); else map.setView([38.0, 108.0], 8);
  }

  function drawPoints(data) {
    if (!layer) return;
    layer.clearLayers();
    data.teams.forEach(function (t) {
      if (t.lat === null || t.lon === null) return;
      L.circleMarker([t.lat, t.lon], {radius: 6, color: "#1f5f4a", fillColor: t.busy ? "#f0b429" : "#2e7d32",
                                      fillOpacity: 0.9, weight: 1})
        .bindTooltip(el("span", null, t.name + (t.vehicle ? " · " + t.vehicle : "") + (t.busy ? " · " + text.textBusy : "")))
        .addTo(layer);
    });
    data.calls.forEach(function (c) {
      if (c.lat === null || c.lon === null) return;
      L.circleMarker([c.lat, c.lon], {radius: c.status === "escalated" ? 10 : 8, color: "#7f1d1d",
                                      fillColor: c.status === "escalated" ? "#b3261e" : "#e4572e", fillOpacity: 0.9,
                                      weight: 2})
        .bindTooltip(el("span", null, "#" + c.ref + " " + c.category_label + " · " + c.status_label + " · " + c.age))
        .on("click", function () { window.location = c.url; })
        .addTo(layer);
    });
  }

  function live(ok, message) {
    var badge = document.getElementById("live");
    badge.classList.toggle("down", !ok);
    if (!ok) badge.textContent = message;
  }

  function refresh() {
    return fetch(text.api, {headers: {Accept: "application/json"}, cache: "no-store", credentials: "same-origin"})
      .then(function (response) {
        if (response.status === 401) { live(false, text.textLogin); window.location = text.login; return null; }
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        if (!data) return;
        var badge = document.getElementById("live");
        badge.classList.remove("down");
        badge.replaceChildren(document.createTextNode(text.textLive + " "), el("time", null, data.at));
        var modem = document.getElementById("modem");  // the modem route: its state, live
        if (modem && data.modem) {
          modem.className = "flash " + (data.modem.alert ? "error" : "notice");
          modem.replaceChildren(document.createTextNode(data.modem.text + " "), el("small", null, data.modem.voice));
        }
        var snapshot = JSON.stringify([data.calls, data.teams]);
        if (snapshot === seen) return;
        seen = snapshot;
        renderCalls(data);
        drawPoints(data);
      })
      .catch(function () { live(false, text.textOffline); });
  }

  var initial = JSON.parse(document.getElementById("map-data").textContent);
  seen = JSON.stringify([initial.calls, initial.teams]);
  document.querySelectorAll("#calls tr[data-ref]").forEach(function (tr) {
    var link = tr.querySelector("a");
    tr.addEventListener("click", function (event) { if (event.target.tagName !== "A") window.location = link.href; });
  });
  try { setUpMap(initial); } catch (error) { /* the list works without the map */ }
  setInterval(function () { if (!document.hidden) refresh(); }, Number(text.poll) || 2500);
})();
