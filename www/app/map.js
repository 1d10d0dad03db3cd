// Tiny offline maps: inline SVGs (equirectangular) with a rough hand-simplified
// coastline, a grid and a dot. The world map has no text inside (the caption
// around it carries the words); the zoomed region map labels the dot with the
// nearest place name (set as SVG text, never markup). No tiles, no network.

const SVG_NS = 'http://www.w3.org/2000/svg';

// Very rough outlines as [lon, lat] rings: enough to tell continents apart.
const LAND = [
  // North America
  [[-168, 66], [-162, 70], [-140, 70], [-125, 70], [-95, 72], [-80, 73], [-65, 62], [-60, 55], [-56, 52],
    [-66, 45], [-70, 42], [-76, 35], [-81, 31], [-80, 25], [-82, 27], [-84, 30], [-90, 29], [-97, 27],
    [-97, 22], [-92, 18], [-87, 21], [-88, 16], [-83, 10], [-78, 8], [-80, 8], [-86, 12], [-92, 14],
    [-105, 20], [-110, 24], [-115, 30], [-117, 33], [-121, 35], [-124, 41], [-124, 48], [-130, 55],
    [-140, 60], [-150, 60], [-158, 57], [-165, 60]],
  // Greenland
  [[-73, 78], [-60, 82], [-30, 83], [-20, 80], [-20, 70], [-43, 60], [-50, 64], [-55, 70]],
  // South America
  [[-78, 8], [-72, 12], [-62, 11], [-52, 5], [-50, 0], [-35, -5], [-39, -13], [-41, -22], [-48, -26],
    [-53, -34], [-58, -38], [-65, -42], [-68, -50], [-70, -55], [-74, -50], [-73, -40], [-71, -30],
    [-70, -18], [-76, -14], [-81, -5], [-80, 0], [-77, 7]],
  // Europe and Asia
  [[-10, 36], [-9, 43], [-2, 44], [-5, 48], [2, 51], [8, 54], [8, 57], [5, 62], [15, 69], [25, 71],
    [40, 67], [60, 70], [70, 73], [80, 73], [100, 78], [115, 74], [140, 72], [160, 70], [180, 69],
    [180, 65], [165, 60], [157, 51], [143, 59], [135, 55], [140, 48], [132, 43], [129, 35], [126, 38],
    [125, 40], [121, 39], [118, 38], [122, 31], [121, 28], [117, 23], [110, 21], [106, 20], [109, 12],
    [105, 9], [100, 14], [100, 7], [103, 1], [98, 8], [98, 16], [94, 17], [92, 22], [88, 22], [80, 15],
    [78, 8], [73, 18], [72, 22], [67, 25], [61, 25], [57, 26], [50, 30], [48, 29], [52, 24], [56, 26],
    [59, 22], [52, 16], [43, 12], [39, 21], [35, 28], [34, 31], [36, 36], [27, 37], [22, 37], [19, 42],
    [13, 45], [16, 41], [9, 44], [3, 43], [-1, 37], [-6, 36]],
  // Africa
  [[-17, 21], [-17, 15], [-12, 7], [-7, 4], [2, 6], [9, 4], [10, -2], [13, -10], [12, -17], [15, -27],
    [18, -34], [25, -34], [32, -29], [36, -20], [40, -15], [40, -10], [39, -4], [43, 2], [51, 12],
    [43, 12], [37, 20], [32, 31], [20, 32], [10, 37], [0, 36], [-6, 35], [-10, 30]],
  // Australia
  [[114, -22], [114, -34], [117, -35], [124, -34], [131, -31], [138, -35], [141, -38], [147, -38],
    [150, -37], [153, -28], [153, -25], [146, -19], [142, -11], [141, -17], [136, -12], [131, -11],
    [126, -14], [122, -18]],
  // Great Britain, Japan, Madagascar, New Zealand, Borneo, Sumatra
  [[-5, 50], [2, 51], [0, 53], [-2, 56], [-5, 58], [-6, 56], [-3, 54]],
  [[130, 31], [136, 34], [141, 36], [142, 43], [145, 44], [140, 41], [136, 37], [130, 34]],
  [[44, -25], [50, -15], [49, -12], [44, -17]],
  [[172, -34], [178, -38], [174, -41], [167, -46], [172, -41]],
  [[109, 2], [117, 7], [119, 5], [116, -4], [110, -3]],
  [[95, 5], [98, 4], [106, -6], [102, -4]],
  // Antarctica
  [[-180, -70], [-60, -64], [0, -70], [90, -66], [180, -70], [180, -90], [-180, -90]],
];

function el(name, attrs) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** An <svg> world map with a dot at (lat, lon); `label` becomes its accessible name. */
export function worldMap(lat, lon, label) {
  const svg = el('svg', { viewBox: '-180 -90 360 180', class: 'world-map', role: 'img', 'aria-label': label });
  svg.append(el('rect', { x: -180, y: -90, width: 360, height: 180, class: 'map-sea' }));
  for (let x = -150; x <= 150; x += 30) svg.append(el('line', { x1: x, y1: -90, x2: x, y2: 90, class: 'map-grid' }));
  for (let y = -60; y <= 60; y += 30) svg.append(el('line', { x1: -180, y1: y, x2: 180, y2: y, class: 'map-grid' }));
  const d = LAND.map((ring) => 'M' + ring.map(([x, y]) => `${x} ${-y}`).join('L') + 'Z').join('');
  svg.append(el('path', { d, class: 'map-land' }));
  const x = Math.max(-180, Math.min(180, lon));
  const y = -Math.max(-90, Math.min(90, lat));
  svg.append(el('circle', { cx: x, cy: y, r: 9, class: 'map-ring' }));
  svg.append(el('circle', { cx: x, cy: y, r: 3.5, class: 'map-dot' }));
  return svg;
}

/** Half the width/height of the region map, in degrees. */
const REGION_DEGREES = 2;
/** Length of the region map's scale bar. */
export const SCALE_KM = 50;

/**
 * A zoomed map of the ±2° box around (lat, lon): the same rough coastline, a 1°
 * grid, the dot and, when given, the place name beside it. Longitudes are
 * squeezed by cos(lat) so the region keeps its real shape.
 */
export function regionMap(lat, lon, placeName, label, scaleLabel = '') {
  const k = Math.max(0.2, Math.cos((lat * Math.PI) / 180));
  const px = (x) => x * k;
  const left = px(lon - REGION_DEGREES);
  const top = -(lat + REGION_DEGREES);
  const width = px(2 * REGION_DEGREES);
  const height = 2 * REGION_DEGREES;
  const svg = el('svg', { viewBox: `${left} ${top} ${width} ${height}`, class: 'region-map', role: 'img', 'aria-label': label });
  svg.append(el('rect', { x: left, y: top, width, height, class: 'map-sea' }));
  const d = LAND.map((ring) => 'M' + ring.map(([x, y]) => `${px(x)} ${-y}`).join('L') + 'Z').join('');
  svg.append(el('path', { d, class: 'map-land' }));
  for (let g = Math.ceil(lon - REGION_DEGREES); g <= lon + REGION_DEGREES; g++) {
    svg.append(el('line', { x1: px(g), y1: top, x2: px(g), y2: top + height, class: 'map-grid' }));
  }
  for (let g = Math.ceil(lat - REGION_DEGREES); g <= lat + REGION_DEGREES; g++) {
    svg.append(el('line', { x1: left, y1: -g, x2: left + width, y2: -g, class: 'map-grid' }));
  }
  const x = px(lon);
  const y = -lat;
  svg.append(el('circle', { cx: x, cy: y, r: 0.18, class: 'map-ring' }));
  svg.append(el('circle', { cx: x, cy: y, r: 0.07, class: 'map-dot' }));
  if (scaleLabel) {
    // A 50 km bar in the lower left corner: one projected unit is one degree of latitude, ~111.32 km.
    const len = SCALE_KM / 111.32;
    const x0 = left + width * 0.06;
    const y0 = top + height * 0.93;
    svg.append(el('path', { d: `M${x0} ${y0 - 0.08}V${y0}H${x0 + len}V${y0 - 0.08}`, class: 'map-scale' }));
    const text = el('text', { x: x0, y: y0 - 0.14, class: 'map-scale-label' });
    text.textContent = scaleLabel;
    svg.append(text);
  }
  if (placeName) {
    // Label on the side with more room, so it stays inside the box.
    const right = x < left + width * 0.6;
    const text = el('text', { x: right ? x + 0.25 : x - 0.25, y: y - 0.2, class: 'map-label', 'text-anchor': right ? 'start' : 'end' });
    text.textContent = placeName;
    svg.append(text);
  }
  return svg;
}
