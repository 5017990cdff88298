// The Klima-Dashboard's map (Leaflet, compiled into the binary; no tile server is needed: the
// city's and districts' borders are drawn by map-base.js; a base map only when the city
// configured one). Progressive
// enhancement: every station and value is also in the page's table. Markers carry their kind
// as a shape and a text, their name and state as the accessible name; Tab reaches them, Enter
// opens their values, the arrow keys move the map.
(function () {
  "use strict";
  var holder = document.getElementById("karte");
  if (!holder || typeof L === "undefined" || !window.datenwerkMap || !window.fetch) return;
  var shapes = { "Wetterstation": "▲", "Gewässer": "◆", "Seesonde": "◆", "Baum": "♣",
    "Bodenfeuchte": "●", "Regenmesser": "▼", "Luftmessstation": "◇", "Glascontainer": "■" };
  holder.textContent = "";
  var map = datenwerkMap(holder, { keyboard: true, zoomControl: true, attributionControl: true, zoomSnap: 0.25 });
  map.setView([51.47, 7.22], 11);

  function line(parent, tag, text) {
    var el = document.createElement(tag);
    el.textContent = text;
    parent.appendChild(el);
    return el;
  }
  function popup(feature) {
    var p = feature.properties;
    var box = document.createElement("div");
    line(box, "strong", p.name);
    line(box, "p", p.art + (p.stadtbezirk ? ", " + p.stadtbezirk : "") + " – " + p.zustand +
      (p.simuliert ? " – Simulierte Daten" : "") + (p.wiedergabe ? " – Wiedergabe" : ""));
    var list = document.createElement("ul");
    p.messreihen.slice(0, 6).forEach(function (m) { line(list, "li", m.name + ": " + m.anzeige); });
    box.appendChild(list);
    var link = line(box, "a", "Alle Werte von " + p.name);
    link.href = p.url;
    return box;
  }

  fetch("/klima/sensoren.geojson").then(function (r) { return r.json(); }).then(function (fc) {
    var bounds = [];
    fc.features.forEach(function (f) {
      var c = f.geometry && f.geometry.coordinates;
      if (!c) return;
      var p = f.properties;
      var name = p.name + ", " + p.art + ", " + p.zustand;
      var icon = L.divIcon({ className: "marker marker-" + (p.zustand === "aktuell" ? "aktuell" : "alt"),
        html: "<span aria-hidden=\"true\">" + (shapes[p.art] || "✚") + "</span>", iconSize: [24, 24] });
      L.marker([c[1], c[0]], { icon: icon, title: name, keyboard: true, riseOnHover: true })
        .bindPopup(function () { return popup(f); })
        .addTo(map);
      bounds.push([c[1], c[0]]);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 });
  }).catch(function () {});
})();
