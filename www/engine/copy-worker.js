// The copy worker: owns the copy module (www/pkg-copy, the crate built with feature
// `web-copy`: the image codecs) and makes the safer copies that draw the picture
// again (areas covered, TIFF → PNG, a lossless WebP), which the core cannot (it has
// no image codecs). Started by ./copy.js only when such a copy is asked for, so a
// photo check never downloads it. It never touches the DOM and never fetches
// anything (the page hands it the compiled module).
// Protocol (the generic client's, ./client.js):
//   in  {type:'init', module}        out {type:'ready'} | {type:'init-failed', message}
//   in  {id, type:'clean', bytes, options}  out {id, ok: true, result} (as the core's clean: {bytes
//                                   (transferred), format, removed, kept, lossless, unreadBytes, report})
//                                   | {id, ok: false, trapped, message}
//   in  {id, type:'warm'}           one small covered copy, so the browser has compiled the copy paths
//                                   before the person's own copy; result true/false
// After a trap the client starts a fresh worker (a trapped instance may be half-changed).
// The message loop itself (init, answers, refusal or trap) is ./serve.js's, shared by every worker.

import init, { cleanRedrawn, warmUp } from '../pkg-copy/thinktwice_copy.js';
import { serve } from './serve.js';

const REQUESTS = {
  clean: (msg) => cleanRedrawn(new Uint8Array(msg.bytes), JSON.stringify(msg.options || {})),
  warm: () => warmUp(),
};

serve({
  init: async (msg) => {
    await init({ module_or_path: msg.module });
    return { type: 'ready' };
  },
  requests: REQUESTS,
});
