// Sample photos for teachers, drawn by this page itself: no real person, no
// download. Each sample is painted on a canvas, saved as a JPEG by the browser
// and, for the selfie, given the kind of metadata a phone writes (camera, time
// and the GPS position of a made-up home). Codes are real, scannable QR codes:
// their modules were made once with `cargo run --example qr_matrix -- TEXT`
// and are kept here as text ('#' dark). Owns only the drawings; it must not
// check anything (the samples go through the same check as any photo).

/** 'WIFI:T:WPA;S:Sharma Home;P:mango1234;;' (tests/e2e/codes.test.mjs draws it too). */
export const WIFI_QR = `
#######...#.###..####.#######
#.....#.#.#..#.#....#.#.....#
#.###.#.....#.###..##.#.###.#
#.###.#.###.##.###.#..#.###.#
#.###.#..#...##...###.#.###.#
#.....#.##.###.##.....#.....#
#######.#.#.#.#.#.#.#.#######
.........###..#..............
#####.####.#...#####.#.#.#.#.
#..#...#..#.##...#..#.#.#.##.
......##..#..###.##..###.#...
.#.#...##...##.......##.#..##
..#.###.###.#.###......####..
#...#..#.#.........#...##.##.
.#.##.##..###..##.#.##.#..#..
#...##.##.##..##..#...#..#...
..#...#.##.#...####....#.#.##
#...#.....#.###..#.####.##.#.
#.#..####.#..######.#####....
#..##..###..##..#.#.##..#...#
#...#.#.....#.#..#.########..
........#.#.....###.#...#.#..
#######.#..##..##..##.#.#.#..
#.....#..###..#.#..##...##.##
#.###.#.####...#.#..######...
#.###.#.##..###.#.#.#...##.##
#.###.#.###..###..#..#######.
#.....#.###.##..#..###..##.#.
#######.###.#.#..#.#....##...`;

/** A boarding pass (IATA BCBP) of a made-up traveller: 'M1EXAMPLE/ASHA        EXYZ123 DELBOMXX 0101 123Y012A0042 1'. */
const BOARDING_QR = `
#######.#.#.#..#.#.#..#######
#.....#..####.#....#..#.....#
#.###.#.###..#..###...#.###.#
#.###.#.###.#......#..#.###.#
#.###.#.#..##.#.#..##.#.###.#
#.....#...##.####..##.#.....#
#######.#.#.#.#.#.#.#.#######
..........#.##...............
####..#.#.###........#..###.#
#..#...#..#.#.##.#.#.#...#..#
#..##.#.######...######.#..#.
#..###..###..#..#.#...##.#...
####.##..##.#.##.#....#...#.#
.#.#.#..##.##.....##.##...#.#
..#.#.##.###.#####..#.#...#.#
#.##.......#..####..#..#.##..
...#.###.##.#.#.#...#.#.####.
..###..##.........##.##..#.#.
#..##.#.#....###.##.#.##..#.#
..........##.##.#.....#.#..#.
.#.#.##..##..###.#..########.
........###.......###...#...#
#######...#...##.#..#.#.###..
#.....#..######.#..##...##.##
#.###.#..###...#.##.#######.#
#.###.#.####.#.#...........#.
#.###.#.#.#.#.#.#.#.###...#.#
#.....#.#.#.##.....##...#####
#######.#.##...#.#......#.#..`;

/** A made-up home in Bhopal (a residential area), as a phone would save it. */
const HOME = { lat: 23.23361, lon: 77.43430 };

/** The samples a teacher can show, in the order they are offered. */
export const SAMPLES = [
  { id: 'selfie', file: 'sample-selfie.jpg', draw: drawSelfie, exif: { make: 'SamplePhone', model: 'Demo 5G', time: '2025:11:14 18:42:07', gps: HOME } },
  { id: 'wifi', file: 'sample-wifi-sticker.jpg', draw: drawWifi },
  { id: 'boarding', file: 'sample-boarding-pass.jpg', draw: drawBoardingPass },
  { id: 'group', file: 'sample-group-photo.jpg', draw: drawGroup },
  // A phone with its owner's name set in the camera writes it into every photo, even of an ID card.
  { id: 'id', file: 'sample-id-card.jpg', draw: drawIdCard, exif: { make: 'SamplePhone', model: 'Demo 5G', time: '2025:06:02 08:15:40', artist: 'Asha Example' } },
];

const W = 800;
const H = 600;

/** The sample as a File, ready to be checked like any photo the user chose. */
export async function sampleFile(sample) {
  const canvas = drawSample(sample);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
  let bytes = new Uint8Array(await blob.arrayBuffer());
  if (sample.exif) bytes = withExif(bytes, sample.exif);
  return new File([bytes], sample.file, { type: 'image/jpeg', lastModified: 0 });
}

/** The sample painted on a new canvas (also used as its preview). */
export function drawSample(sample) {
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  sample.draw(canvas.getContext('2d'));
  return canvas;
}

// ---------------------------------------------------------------- drawing helpers

function qrModules(text) {
  return text.trim().split('\n').map((row) => [...row].map((c) => c === '#'));
}

/** A QR code with its quiet zone (4 modules of white), `size` pixels wide, top left at x, y. */
function drawQr(g, modules, x, y, size) {
  const n = modules.length + 8;
  const m = size / n;
  g.fillStyle = '#fff';
  g.fillRect(x, y, size, size);
  g.fillStyle = '#000';
  modules.forEach((row, r) => row.forEach((dark, c) => {
    if (dark) g.fillRect(Math.floor(x + (c + 4) * m), Math.floor(y + (r + 4) * m), Math.ceil(m), Math.ceil(m));
  }));
}

/**
 * A drawn face, shaded like a photo so a face finder sees eyes, nose and mouth.
 * (x, y) is the centre, r the half-width; `skin` and `hair` are colours.
 */
function drawFace(g, x, y, r, skin, hair) {
  g.save();
  // Soft edges, like a camera's: a face finder learnt from photos, not from line drawings.
  g.filter = `blur(${Math.max(1, r / 45)}px)`;
  // Neck and shoulders.
  g.fillStyle = shade(skin, -18);
  g.fillRect(x - r * 0.38, y + r * 0.9, r * 0.76, r * 0.7);
  g.fillStyle = '#3b5ba5';
  g.beginPath();
  g.ellipse(x, y + r * 2.1, r * 1.6, r * 0.75, 0, Math.PI, 0);
  g.fill();
  // Hair behind the head.
  g.fillStyle = hair;
  g.beginPath();
  g.ellipse(x, y - r * 0.2, r * 1.12, r * 1.25, 0, 0, Math.PI * 2);
  g.fill();
  // Head with soft light from the upper left.
  const light = g.createRadialGradient(x - r * 0.3, y - r * 0.35, r * 0.1, x, y, r * 1.2);
  light.addColorStop(0, shade(skin, 22));
  light.addColorStop(1, shade(skin, -28));
  g.fillStyle = light;
  g.beginPath();
  g.ellipse(x, y + r * 0.05, r * 0.86, r * 1.08, 0, 0, Math.PI * 2);
  g.fill();
  // Fringe.
  g.fillStyle = hair;
  g.beginPath();
  g.ellipse(x, y - r * 0.82, r * 0.88, r * 0.38, 0, Math.PI, 0);
  g.fill();
  // Shadowed eye sockets, then eyebrows, eyes (white, iris, pupil, light), nose shadow, mouth.
  g.fillStyle = shade(skin, -40);
  for (const side of [-1, 1]) {
    g.beginPath();
    g.ellipse(x + side * r * 0.36, y - r * 0.17, r * 0.26, r * 0.17, 0, 0, Math.PI * 2);
    g.fill();
  }
  g.strokeStyle = shade(hair, -10);
  g.lineWidth = r * 0.08;
  g.lineCap = 'round';
  for (const side of [-1, 1]) {
    g.beginPath();
    g.moveTo(x + side * r * 0.18, y - r * 0.36);
    g.quadraticCurveTo(x + side * r * 0.38, y - r * 0.46, x + side * r * 0.56, y - r * 0.34);
    g.stroke();
    const ex = x + side * r * 0.36;
    const ey = y - r * 0.16;
    g.fillStyle = '#d9cfc4';
    g.beginPath();
    g.ellipse(ex, ey, r * 0.13, r * 0.07, 0, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = '#2b1a0f';
    g.beginPath();
    g.arc(ex, ey, r * 0.07, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = '#0b0b0b';
    g.beginPath();
    g.arc(ex, ey, r * 0.04, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = '#fff';
    g.beginPath();
    g.arc(ex - r * 0.03, ey - r * 0.03, r * 0.018, 0, Math.PI * 2);
    g.fill();
  }
  g.strokeStyle = shade(skin, -45);
  g.lineWidth = r * 0.05;
  g.beginPath();
  g.moveTo(x, y - r * 0.08);
  g.quadraticCurveTo(x - r * 0.1, y + r * 0.22, x + r * 0.06, y + r * 0.26);
  g.stroke();
  g.fillStyle = '#a8434b';
  g.beginPath();
  g.moveTo(x - r * 0.3, y + r * 0.46);
  g.quadraticCurveTo(x, y + r * 0.7, x + r * 0.3, y + r * 0.46);
  g.quadraticCurveTo(x, y + r * 0.54, x - r * 0.3, y + r * 0.46);
  g.fill();
  g.restore();
}

/** A colour lighter (amount > 0) or darker, from '#rrggbb'. */
function shade(hex, amount) {
  const n = parseInt(hex.slice(1), 16);
  const c = [n >> 16, (n >> 8) & 255, n & 255].map((v) => Math.max(0, Math.min(255, v + amount)));
  return `rgb(${c.join(',')})`;
}

function stamp(g, text) {
  g.save();
  g.font = 'bold 26px sans-serif';
  g.fillStyle = 'rgba(180, 35, 24, 0.85)';
  g.fillText(text, 18, H - 18);
  g.restore();
}

// ---------------------------------------------------------------- the samples

function drawSelfie(g) {
  const wall = g.createLinearGradient(0, 0, 0, H);
  wall.addColorStop(0, '#f4e7d3');
  wall.addColorStop(1, '#e0cdb0');
  g.fillStyle = wall;
  g.fillRect(0, 0, W, H);
  g.fillStyle = '#9cc3e6'; // a window behind
  g.fillRect(520, 70, 210, 170);
  g.strokeStyle = '#fff';
  g.lineWidth = 10;
  g.strokeRect(520, 70, 210, 170);
  g.beginPath(); g.moveTo(625, 70); g.lineTo(625, 240); g.stroke();
  drawFace(g, 340, 290, 150, '#c68a5e', '#231815');
  stamp(g, 'SAMPLE');
}

function drawWifi(g) {
  g.fillStyle = '#d9d4cc';
  g.fillRect(0, 0, W, H);
  g.fillStyle = '#fff';
  g.fillRect(170, 40, 460, 520);
  g.strokeStyle = '#175cd3';
  g.lineWidth = 8;
  g.strokeRect(170, 40, 460, 520);
  g.fillStyle = '#101828';
  g.font = 'bold 40px sans-serif';
  g.textAlign = 'center';
  g.fillText('Free Wi-Fi', 400, 100);
  g.font = '26px sans-serif';
  g.fillText('Scan to join', 400, 140);
  drawQr(g, qrModules(WIFI_QR), 240, 170, 320);
  g.textAlign = 'left';
  stamp(g, 'SAMPLE');
}

function drawBoardingPass(g) {
  g.fillStyle = '#5b6b7c';
  g.fillRect(0, 0, W, H);
  g.fillStyle = '#fff';
  g.fillRect(40, 90, 720, 420);
  g.fillStyle = '#175cd3';
  g.fillRect(40, 90, 720, 64);
  g.fillStyle = '#fff';
  g.font = 'bold 34px sans-serif';
  g.fillText('BOARDING PASS', 64, 136);
  g.fillStyle = '#101828';
  g.font = '22px sans-serif';
  g.fillText('Passenger', 64, 196);
  g.fillText('Flight', 64, 276);
  g.fillText('From → To', 64, 356);
  g.font = 'bold 30px sans-serif';
  g.fillText('EXAMPLE / ASHA', 64, 232);
  g.fillText('XX 101   Seat 12A', 64, 312);
  g.fillText('DEL → BOM', 64, 392);
  drawQr(g, qrModules(BOARDING_QR), 470, 190, 270);
  stamp(g, 'SAMPLE');
}

function drawGroup(g) {
  const sky = g.createLinearGradient(0, 0, 0, H);
  sky.addColorStop(0, '#8ec5ff');
  sky.addColorStop(0.6, '#dff0ff');
  sky.addColorStop(0.6, '#7bbf6a');
  sky.addColorStop(1, '#4f8f45');
  g.fillStyle = sky;
  g.fillRect(0, 0, W, H);
  const people = [[150, 260, '#e0ac84', '#3b2314'], [400, 245, '#8d5a3b', '#120c08'], [650, 260, '#c68a5e', '#5a3a22']];
  for (const [x, y, skin, hair] of people) drawFace(g, x, y, 100, skin, hair);
  stamp(g, 'SAMPLE');
}

function drawIdCard(g) {
  g.fillStyle = '#3d4a5c';
  g.fillRect(0, 0, W, H);
  g.fillStyle = '#fdfcf7';
  g.fillRect(60, 80, 680, 440);
  g.fillStyle = '#067647';
  g.fillRect(60, 80, 680, 70);
  g.fillStyle = '#fff';
  g.font = 'bold 30px sans-serif';
  g.fillText('SAMPLE SCHOOL — STUDENT ID', 84, 126);
  g.save();
  g.beginPath();
  g.rect(84, 180, 190, 240);
  g.clip();
  g.fillStyle = '#dfe7f1';
  g.fillRect(84, 180, 190, 240);
  drawFace(g, 179, 285, 62, '#c68a5e', '#231815');
  g.restore();
  g.fillStyle = '#101828';
  g.font = '22px sans-serif';
  g.fillText('Name', 300, 200);
  g.fillText('Class', 300, 270);
  g.fillText('ID number', 300, 340);
  g.font = 'bold 28px sans-serif';
  g.fillText('Asha Example', 300, 234);
  g.fillText('8 B', 300, 304);
  g.fillText('0000 1111 2222', 300, 374);
  g.font = 'bold 22px sans-serif';
  g.fillStyle = '#b42318';
  g.fillText('NOT A REAL CARD', 300, 470);
  stamp(g, 'SAMPLE');
}

// ---------------------------------------------------------------- metadata like a phone writes

/**
 * Puts an EXIF block (APP1) right after the JPEG's start: camera make and model,
 * date and time, and a GPS position. Little-endian TIFF, one IFD0, one Exif IFD
 * and one GPS IFD; values that do not fit in 4 bytes follow each IFD.
 */
export function withExif(jpeg, { make, model, time, gps = null, artist = null }) {
  const enc = new TextEncoder();
  const ascii = (s) => [...enc.encode(s), 0];
  const rationals = (v) => {
    const a = Math.abs(v);
    const d = Math.floor(a);
    const m = Math.floor((a - d) * 60);
    const s = Math.round(((a - d) * 60 - m) * 60 * 1000);
    return [[d, 1], [m, 1], [s, 1000]];
  };
  // Each IFD: [tag, type, count, bytes]; type 1 BYTE, 2 ASCII, 4 LONG, 5 RATIONAL.
  // Entries in tag order, as the TIFF format asks.
  const ifd0 = [[0x010f, 2, ascii(make)], [0x0110, 2, ascii(model)], [0x0132, 2, ascii(time)]];
  if (artist) ifd0.push([0x013b, 2, ascii(artist)]);
  const exifPointer = [0x8769, 4, 0];
  const gpsPointer = [0x8825, 4, 0];
  ifd0.push(exifPointer);
  if (gps) ifd0.push(gpsPointer);
  const exif = [[0x9003, 2, ascii(time)]];
  const gpsIfd = gps ? [
    [0x0000, 1, [2, 3, 0, 0]],
    [0x0001, 2, ascii(gps.lat >= 0 ? 'N' : 'S')], [0x0002, 5, rationals(gps.lat)],
    [0x0003, 2, ascii(gps.lon >= 0 ? 'E' : 'W')], [0x0004, 5, rationals(gps.lon)],
  ] : [];
  const size = (list) => 2 + list.length * 12 + 4 + list.reduce((n, [, type, v]) => n + extraBytes(type, v), 0);
  const ifd0At = 8;
  const exifAt = ifd0At + size(ifd0);
  const gpsAt = exifAt + size(exif);
  const tiff = new DataView(new ArrayBuffer(gpsAt + (gps ? size(gpsIfd) : 0)));
  tiff.setUint16(0, 0x4949);
  tiff.setUint16(2, 42, true);
  tiff.setUint32(4, ifd0At, true);
  exifPointer[2] = exifAt;
  gpsPointer[2] = gpsAt;
  writeIfd(tiff, ifd0At, ifd0);
  writeIfd(tiff, exifAt, exif);
  if (gps) writeIfd(tiff, gpsAt, gpsIfd);
  const body = new Uint8Array(tiff.buffer);
  const length = 2 + 6 + body.length;
  const app1 = new Uint8Array([0xff, 0xe1, length >> 8, length & 255, ...enc.encode('Exif'), 0, 0, ...body]);
  const out = new Uint8Array(jpeg.length + app1.length);
  out.set(jpeg.subarray(0, 2), 0);
  out.set(app1, 2);
  out.set(jpeg.subarray(2), 2 + app1.length);
  return out;
}

function valueBytes(type, v) {
  if (type === 5) return v.length * 8;
  if (type === 4) return 4;
  return v.length;
}

function extraBytes(type, v) {
  const n = valueBytes(type, v);
  return n > 4 ? n + (n & 1) : 0;
}

function writeIfd(view, at, entries) {
  view.setUint16(at, entries.length, true);
  let extra = at + 2 + entries.length * 12 + 4;
  entries.forEach(([tag, type, v], i) => {
    const e = at + 2 + i * 12;
    view.setUint16(e, tag, true);
    view.setUint16(e + 2, type, true);
    view.setUint32(e + 4, type === 4 ? 1 : v.length, true);
    if (type === 4) { view.setUint32(e + 8, v, true); return; }
    const n = valueBytes(type, v);
    const put = (offset) => {
      if (type === 5) v.forEach(([num, den], k) => { view.setUint32(offset + k * 8, num, true); view.setUint32(offset + k * 8 + 4, den, true); });
      else v.forEach((b, k) => view.setUint8(offset + k, b));
    };
    if (n <= 4) { put(e + 8); return; }
    view.setUint32(e + 8, extra, true);
    put(extra);
    extra += n + (n & 1);
  });
  view.setUint32(at + 2 + entries.length * 12, 0, true);
}
