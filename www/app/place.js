// The "where" part of a result card: the position in words ("Taken about
// 1.2 km from Bhopal, Madhya Pradesh, India"), how exact it is, height and
// direction, sources that disagree, the world map and a zoomed region map;
// or, when the location tags were blanked out, why that happens.
// Reads report.location (see src/report.rs `Location`); decides nothing about
// risk. Every text from a file goes in through textContent (via h()).

import { t, formatNumber, language } from './i18n.js';
import { worldMap, regionMap, SCALE_KM } from './map.js';
import { h } from './dom.js';

const COMPASS = ['n', 'ne', 'e', 'se', 's', 'sw', 'w', 'nw'];

/** "23.25990° N, 77.41260° E" in the page language. */
export function formatCoords(lat, lon) {
  const part = (v, pos, neg) => `${formatNumber(Math.abs(v), { minimumFractionDigits: 5, maximumFractionDigits: 5 })}° ${t(v >= 0 ? pos : neg)}`;
  return `${part(lat, 'location.north', 'location.south')}, ${part(lon, 'location.east', 'location.west')}`;
}

/** The location section for a report with a position. */
export function locationBlock(location) {
  const coords = formatCoords(location.lat, location.lon);
  const placeText = location.place ? placeWords(location.place) : null;
  const block = h('section', { class: 'block location' }, h('h4', { text: t('location.heading') }));
  if (placeText) block.append(h('p', { class: 'place-words', text: placeSentence(location.place, placeText) }));
  block.append(h('p', { class: 'coords', text: coords }));
  const facts = [precisionLine(location), altitudeLine(location), directionLine(location), ...otherLines(location)].filter(Boolean);
  if (facts.length) block.append(h('ul', { class: 'location-facts' }, facts.map((text) => h('li', { text }))));
  block.append(h('p', { text: t('location.note') }));
  const label = t('location.region_label', { place: location.place ? location.place.name : coords });
  block.append(h('figure', { class: 'map' },
    h('div', { class: 'maps' },
      worldMap(location.lat, location.lon, t('location.map_label', { coords })),
      regionMap(location.lat, location.lon, location.place ? location.place.name : '', label, distance(SCALE_KM))),
    h('figcaption', { text: t('location.map_note') })));
  return block;
}

/** For a gps-hidden finding without a real position: what "blanked out" means. */
export function hiddenLocationBlock() {
  return h('section', { class: 'block location-hidden' },
    h('h4', { text: t('location.hidden_heading') }),
    h('p', { text: t('location.hidden') }));
}

/** "Bhopal, Madhya Pradesh, India": the country named in the page language. */
export function placeWords(place) {
  const parts = [place.name];
  if (place.admin1 && place.admin1 !== place.name) parts.push(place.admin1);
  const country = countryName(place.country_code);
  if (country) parts.push(country);
  return parts.join(', ');
}

// "In or near" versus "about N km from" is decided in the core (geo::is_in_or_near); follow it.
function placeSentence(place, words) {
  if (place.in_or_near) return t('location.place_in', { place: words });
  return t('location.place_near', { km: distance(place.distance_km), place: words });
}

function countryName(code) {
  if (!code) return '';
  try {
    return new Intl.DisplayNames([language()], { type: 'region' }).of(code) || code;
  } catch {
    return code; // an unknown code, or a browser without Intl.DisplayNames
  }
}

function distance(km) {
  return formatNumber(km, { style: 'unit', unit: 'kilometer', unitDisplay: 'short', maximumFractionDigits: km < 10 ? 1 : 0 });
}

function metres(m) {
  return formatNumber(Math.round(m), { style: 'unit', unit: 'meter', unitDisplay: 'short' });
}

function precisionLine(location) {
  if (!location.precision) return null;
  const line = t(`location.precision.${location.precision}`);
  if (!(location.accuracy_m > 0)) return line;
  return `${line} ${t('location.accuracy', { m: metres(location.accuracy_m) })}`;
}

function altitudeLine(location) {
  const alt = location.altitude_m;
  if (typeof alt !== 'number' || !Number.isFinite(alt)) return null;
  return t(alt < 0 ? 'location.altitude_below' : 'location.altitude', { m: metres(Math.abs(alt)) });
}

function directionLine(location) {
  const deg = location.direction_deg;
  if (typeof deg !== 'number' || !Number.isFinite(deg)) return null;
  const norm = ((deg % 360) + 360) % 360;
  const compass = t(`location.compass.${COMPASS[Math.round(norm / 45) % 8]}`);
  return t('location.direction', { compass, deg: formatNumber(Math.round(norm)) });
}

/** One line per other source that gives a different position. */
function otherLines(location) {
  return (location.other_sources || []).map((p) => t('location.other', {
    km: distance(kmBetween(location, p)), coords: formatCoords(p.lat, p.lon), source: p.source,
  }));
}

function kmBetween(a, b) {
  const rad = Math.PI / 180;
  const s = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2
    + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(s)));
}
