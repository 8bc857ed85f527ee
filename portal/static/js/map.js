// A map of places (progressive enhancement; templates/_map.html): Leaflet draws each feature
// of a GeoJSON FeatureCollection (projects' points and lines, the tour's sights) over the tile
// server the municipality set (none: the shapes alone). A feature's properties: title, url,
// lines (words under the link) and style (a CSS class for its colour). The map stays hidden
// until this runs, so without JavaScript the list and its words stand on their own.
(function () {
  "use strict";

  function ensureStyles(url) {
    if (!url || document.querySelector('link[href="' + url + '"]')) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    document.head.appendChild(link);
  }

  // Leaflet writes strings as HTML: words from the portal go in as text only.
  function asText(words) {
    var holder = document.createElement("span");
    holder.textContent = words || "";
    return holder;
  }

  function popup(properties) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.title;
    box.appendChild(link);
    (properties.lines || []).forEach(function (words) {
      if (!words) return;
      var line = document.createElement("p");
      line.textContent = words;
      box.appendChild(line);
    });
    return box;
  }

  function draw(holder, collection) {
    var labels = JSON.parse(holder.getAttribute("data-labels") || "{}");
    holder.hidden = false;
    var map = L.map(holder, { scrollWheelZoom: false, zoomControl: false });
    L.control.zoom({ zoomInTitle: labels.zoom_in, zoomOutTitle: labels.zoom_out }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    var tiles = holder.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: asText(holder.getAttribute("data-attribution")).innerHTML }).addTo(map);
    } else {
      holder.classList.add("no-tiles");
    }
    var layer = L.geoJSON(collection, {
      style: function (feature) {
        return { className: "map-shape " + (feature.properties.style || ""), weight: 6 };
      },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 9, className: "map-shape " + (feature.properties.style || "") });
      },
      onEachFeature: function (feature, shape) {
        shape.bindPopup(popup(feature.properties));
        shape.bindTooltip(asText(feature.properties.title));
      }
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
    } else {
      map.setView([42.15, 41.67], 12);
    }
    holder.setAttribute("data-drawn", String(collection.features.length));
  }

  function start() {
    if (typeof L === "undefined") return;
    document.querySelectorAll("[data-map]:not([data-started])").forEach(function (holder) {
      holder.setAttribute("data-started", "");
      ensureStyles(holder.getAttribute("data-leaflet-css"));
      var inline = holder.getAttribute("data-geojson");
      if (inline) {
        draw(holder, JSON.parse(inline));
        return;
      }
      fetch(holder.getAttribute("data-geojson-url"), { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (collection) { if (collection) draw(holder, collection); })
        .catch(function () { /* the list below says it all */ });
    });
  }

  start();
  document.addEventListener("htmx:afterSettle", start);
})();
