// A map of places (progressive enhancement; templates/_map.html): Leaflet draws each feature
// of a GeoJSON FeatureCollection (projects' points and lines, the tour's sights) over the tile
// server the municipality set (none: the shapes alone). A feature's properties: title, url,
// lines (words under the link) and style (a CSS class for its colour). Without JavaScript the
// map stays hidden and the list and its words stand on their own.
//
// Leaflet (42 kB compressed) is not part of the page's load: it is fetched when the visitor
// brings the map into view (an IntersectionObserver, watching from the first scroll on, so a
// map already on screen at load waits too) or presses the map's button. Once it is here, maps
// that htmx swaps in are drawn straight away.
(function () {
  "use strict";

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

  var leaflet = null; // the promise of Leaflet's script and styles, once asked for

  function loadFile(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement(tag);
      Object.keys(attrs).forEach(function (name) { element[name] = attrs[name]; });
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  function loadLeaflet(holder) {
    if (typeof L !== "undefined") return Promise.resolve();
    if (!leaflet) {
      var css = holder.getAttribute("data-leaflet-css");
      leaflet = Promise.all([
        document.querySelector('link[href="' + css + '"]') ? null : loadFile("link", { rel: "stylesheet", href: css }),
        loadFile("script", { src: holder.getAttribute("data-leaflet-js") })
      ]).catch(function () { leaflet = null; throw new Error("Leaflet did not load"); });
    }
    return leaflet;
  }

  function collectionOf(holder) {
    var inline = holder.getAttribute("data-geojson");
    if (inline) return Promise.resolve(JSON.parse(inline));
    return fetch(holder.getAttribute("data-geojson-url"), { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.ok ? response.json() : null; });
  }

  function openMap(holder) {
    if (holder.hasAttribute("data-opening")) return;
    holder.setAttribute("data-opening", "");
    if (observer) observer.unobserve(holder);
    Promise.all([loadLeaflet(holder), collectionOf(holder)])
      .then(function (done) {
        if (!done[1] || !holder.isConnected) return;
        var placeholder = holder.querySelector(".map-placeholder");
        var hadFocus = placeholder && placeholder.contains(document.activeElement);
        if (placeholder) placeholder.remove();
        draw(holder, done[1]);
        if (hadFocus) holder.focus(); // the button is gone: keyboard users land on the map
      })
      .catch(function () { holder.removeAttribute("data-opening"); /* the list says it all */ });
  }

  // Maps come into view only after the visitor has scrolled: one on screen at load keeps its
  // button, and the page's load stays Leaflet-free.
  var scrolled = false;
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    if (!scrolled) return;
    entries.forEach(function (entry) { if (entry.isIntersecting) openMap(entry.target); });
  }, { rootMargin: "100px 0px" }) : null;

  function onFirstScroll() {
    scrolled = true;
    window.removeEventListener("scroll", onFirstScroll);
    if (!observer) return;
    // Observing again reports each map's current state, so one already on screen opens now.
    document.querySelectorAll("[data-map][data-started]:not([data-opening])").forEach(function (holder) {
      observer.unobserve(holder);
      observer.observe(holder);
    });
  }
  window.addEventListener("scroll", onFirstScroll, { passive: true });

  function start() {
    document.querySelectorAll("[data-map]:not([data-started])").forEach(function (holder) {
      holder.setAttribute("data-started", "");
      holder.hidden = false;
      var button = holder.querySelector("[data-map-load]");
      if (button) button.addEventListener("click", function () { openMap(holder); });
      if (typeof L !== "undefined") {
        openMap(holder);
      } else if (observer) {
        observer.observe(holder);
      }
    });
  }

  start();
  document.addEventListener("htmx:afterSettle", start);
})();
