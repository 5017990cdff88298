// The place of a new report chosen on a map: a click (or a tap) puts the marker there and writes
// its position into the latitude and longitude fields, with a decimal comma; the fields stay the
// way for the keyboard and without JavaScript. "Meinen Standort verwenden" asks the device.
(function () {
  "use strict";
  var holder = document.getElementById("ortwahl");
  var lat = document.getElementById("feld-breite");
  var lon = document.getElementById("feld-laenge");
  if (!holder || !lat || !lon || typeof L === "undefined" || !window.datenwerkMap) return;
  var map = datenwerkMap(holder, { keyboard: true });
  var marker = null;
  function read(field) {
    var v = parseFloat(field.value.replace(",", "."));
    return isFinite(v) ? v : null;
  }
  function put(latlng, fill) {
    if (!marker) {
      marker = L.marker(latlng, { keyboard: false, title: "Gewählter Ort", icon: L.divIcon({ className: "report-point",
        iconSize: [26, 26], html: '<span aria-hidden="true">✚</span>' }) }).addTo(map);
    }
    marker.setLatLng(latlng);
    if (fill) {
      lat.value = latlng.lat.toFixed(6).replace(".", ",");
      lon.value = latlng.lng.toFixed(6).replace(".", ",");
    }
  }
  var given = [read(lat), read(lon)];
  if (given[0] !== null && given[1] !== null) {
    map.setView(given, 16);
    put(L.latLng(given[0], given[1]), false);
  } else {
    map.setView([51.47, 7.22], 11);
  }
  map.on("click", function (e) { put(e.latlng, true); });
  [lat, lon].forEach(function (field) {
    field.addEventListener("change", function () {
      var a = read(lat), b = read(lon);
      if (a !== null && b !== null) { put(L.latLng(a, b), false); map.panTo([a, b]); }
    });
  });
  // Addresses the city imported, suggested while typing; choosing one sets the position.
  var address = document.getElementById("feld-adresse");
  var choices = document.getElementById("adressen");
  var known = {};
  var timer = null;
  if (address && choices && window.fetch) {
    address.addEventListener("input", function () {
      var hit = known[address.value];
      if (hit) {
        put(L.latLng(hit.lat, hit.lon), true);
        map.setView([hit.lat, hit.lon], 17);
        return;
      }
      clearTimeout(timer);
      var q = address.value;
      if (q.length < 3) return;
      timer = setTimeout(function () {
        fetch("/buergerecho/adressen.json?q=" + encodeURIComponent(q)).then(function (r) {
          return r.ok ? r.json() : [];
        }).then(function (list) {
          choices.textContent = "";
          list.forEach(function (a) {
            known[a.label] = a;
            var option = document.createElement("option");
            option.value = a.label;
            choices.appendChild(option);
          });
        }).catch(function () {});
      }, 200);
    });
  }
  if (navigator.geolocation) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = "Meinen Standort verwenden";
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (p) {
        var here = L.latLng(p.coords.latitude, p.coords.longitude);
        put(here, true);
        map.setView(here, 17);
      }, function () {
        button.textContent = "Standort nicht verfügbar – bitte auf der Karte wählen";
      }, { enableHighAccuracy: true, timeout: 10000 });
    });
    holder.parentNode.insertBefore(button, holder.nextSibling);
  }
})();
