// BürgerEcho's public map (Leaflet, compiled into the binary). The server groups the reports in
// view into cells (/buergerecho/karte.json), so the map stays readable and fast at 100,000
// reports: a circle with a number is that many reports nearby (choosing it zooms in), a ● is an
// open report and a ✓ a closed one (shape and text, not colour alone). Markers are reached with
// Tab and opened with Enter; the arrow keys move the map. Progressive enhancement: the list under
// the map has every report.
(function () {
  "use strict";
  var holder = document.getElementById("meldungskarte");
  if (!holder || typeof L === "undefined" || !window.datenwerkMap || !window.fetch) return;
  var german = new Intl.NumberFormat("de-DE");
  var filter = holder.getAttribute("data-filter") || "";
  var status = document.getElementById("karte-stand");
  holder.textContent = "";
  var map = datenwerkMap(holder, { keyboard: true, zoomControl: true, attributionControl: true });
  map.setView([51.47, 7.22], 11);

  var markers = L.layerGroup().addTo(map);
  var latest = 0;
  function clamp(v, limit) { return Math.max(-limit, Math.min(limit, v)); }
  function span(text, hidden) {
    var el = document.createElement("span");
    el.textContent = text;
    if (hidden) el.className = "visually-hidden";
    return el.outerHTML;
  }
  function cluster(c) {
    var size = c.count < 10 ? 30 : c.count < 100 ? 36 : c.count < 1000 ? 42 : 50;
    var name = german.format(c.count) + " Meldungen in der Nähe, vergrößern";
    var marker = L.marker([c.lat, c.lon], {
      keyboard: true, title: name,
      icon: L.divIcon({ className: "report-cluster", iconSize: [size, size],
        html: '<span aria-hidden="true">' + german.format(c.count) + "</span>" + span(name, true) })
    });
    marker.on("click", function () { map.setView([c.lat, c.lon], Math.min(map.getZoom() + 2, 19)); });
    return marker;
  }
  function report(r) {
    var name = "Meldung " + r.id + ": " + r.category + ", " + r.status;
    var marker = L.marker([r.lat, r.lon], {
      keyboard: true, title: name,
      icon: L.divIcon({ className: "report-point" + (r.open ? "" : " closed"), iconSize: [26, 26],
        html: '<span aria-hidden="true">' + (r.open ? "●" : "✓") + "</span>" + span(name, true) })
    });
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = "/buergerecho/meldungen/" + r.id;
    link.textContent = "Meldung " + r.id + ": " + r.category;
    box.appendChild(link);
    var state = document.createElement("p");
    state.textContent = r.status;
    box.appendChild(state);
    marker.bindPopup(box);
    return marker;
  }
  function load() {
    var b = map.getBounds();
    var bbox = [clamp(b.getWest(), 180), clamp(b.getSouth(), 85), clamp(b.getEast(), 180), clamp(b.getNorth(), 85)]
      .map(function (v) { return v.toFixed(5); }).join(",");
    var mine = ++latest;
    fetch("/buergerecho/karte.json?zoom=" + Math.round(map.getZoom()) + "&bbox=" + bbox + (filter ? "&" + filter : ""))
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || mine !== latest) return;
        markers.clearLayers();
        data.cells.forEach(function (c) { markers.addLayer(cluster(c)); });
        data.reports.forEach(function (r) { markers.addLayer(report(r)); });
        if (status) {
          status.textContent = german.format(data.total) + (data.total === 1 ? " Meldung" : " Meldungen") +
            " im Kartenausschnitt.";
        }
      }).catch(function () {});
  }
  map.on("moveend", load);
  load();
})();
