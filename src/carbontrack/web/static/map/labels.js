// City names on the map once it is zoomed in: Natural Earth's 1:110m populated places (243
// cities and capitals, public domain), served by the app at /map/places.geojson. The labels
// are a visual aid only (hidden from screen readers, which get the cities from the facts).

export const LABEL_MIN_ZOOM = 5; // about a 1,000 km wide view on a desktop screen

/** Load the places and show their names whenever the map is zoomed in to LABEL_MIN_ZOOM. */
export async function addCityLabels(L, map) {
  const response = await fetch("/map/places.geojson");
  if (!response.ok) throw new Error(`${response.status}`);
  const places = await response.json();
  map.createPane("labels");
  const layer = L.layerGroup();
  for (const place of places.features) {
    const [lon, lat] = place.geometry.coordinates;
    const label = document.createElement("span");
    label.textContent = place.properties.name;
    const icon = L.divIcon({ html: label, className: "city-label", iconSize: null });
    L.marker([lat, lon], { icon, pane: "labels", interactive: false, keyboard: false }).addTo(
      layer,
    );
  }
  const update = () => {
    const zoomedIn = map.getZoom() >= LABEL_MIN_ZOOM;
    if (zoomedIn && !map.hasLayer(layer)) layer.addTo(map);
    if (!zoomedIn && map.hasLayer(layer)) layer.remove();
  };
  map.on("zoomend", update);
  update();
  map.getPane("labels").setAttribute("aria-hidden", "true");
}
