// Times the face detector in WebAssembly (node, single thread) on one RGBA bitmap.
// Build: CARGO_PROFILE_RELEASE_OPT_LEVEL=3 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128" \
//          cargo build --release --lib --target wasm32-unknown-unknown
//        wasm-bindgen --target nodejs --out-dir /tmp/tt-wasm target/wasm32-unknown-unknown/release/thinktwice.wasm
// Input: THINKTWICE_FACE_WRITE_RGBA=/tmp/face640.rgba cargo test --release --test pixels -- --ignored faces_speed::
// Run:   node bench/faces/wasm-bench.mjs /tmp/tt-wasm/thinktwice.js www/models/centerface.ttfw /tmp/face640.rgba 640 480
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const [js, modelPath, rgbaPath, w, h] = process.argv.slice(2);
const tt = createRequire(import.meta.url)(js);
const model = readFileSync(modelPath);
const rgba = readFileSync(rgbaPath);
let t = performance.now();
const det = new tt.FaceDetector(model);
console.log(`model load ${(performance.now() - t).toFixed(0)} ms`);
const times = [];
let faces = [];
for (let i = 0; i < 5; i++) {
  t = performance.now();
  faces = JSON.parse(det.detectRgba(rgba, Number(w), Number(h)));
  times.push(performance.now() - t);
}
console.log(`detect ${w}x${h}: first ${times[0].toFixed(0)} ms, best ${Math.min(...times).toFixed(0)} ms, ${faces.length} faces`);
