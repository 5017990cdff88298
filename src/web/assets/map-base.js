// What every public map of Datenwerk shares (Leaflet, compiled into the binary): a map in its
// holder, the city's and districts' borders from
// /klima/grenzen.geojson (OpenStreetMap, ODbL), and the base map when the city configured one
// (--basemap: the holder's data-tiles and data-tiles-attribution). Leaflet takes attributions as
// HTML; the configured one is plain text and shown as such. Loaded after leaflet.js.
(function () {
  "use strict";
  window.datenwerkMap = function (holder, options) {
    holder.classList.add("map-live");
    var map = L.map(holder, options);
    map.attributionControl.setPrefix("");
    map.attributionControl.addAttribution("Grenzen: © OpenStreetMap contributors, ODbL 1.0");
    var tiles = holder.getAttribute("data-tiles");
    if (tiles) {
      var text = document.createElement("span");
      text.textContent = holder.getAttribute("data-tiles-attribution") || "";
      L.tileLayer(tiles, { attribution: text.innerHTML, maxZoom: 19 }).addTo(map);
    }
    fetch("/klima/grenzen.geojson").then(function (r) { return r.ok ? r.json() : null; }).then(function (borders) {
      if (borders) L.geoJSON(borders, { interactive: false, style: { color: "#004b87", weight: 2, fill: false } }).addTo(map);
    }).catch(function () {});
    return map;
  };
})();
