// The worker side of the generic client's protocol (./client.js): the ONE message loop that each
// ThinkTwice worker (./worker.js, ./copy-worker.js, ../app/faces-worker.js) hands its own
// requests to. It owns only the envelope: 'init' answered by what the worker's init returns (a throw
// becomes init-failed), a request by type answered {id, ok, …} (a result's `bytes`, when a Uint8Array,
// is transferred), an unknown type refused, a plain `Error` (how a Rust `JsError` arrives) told from a
// trap. It must not know any module, request or result shape, keep any state, or post anything a
// worker did not ask for; it imports nothing (scripts/single-file.mjs inlines it into classic scripts).
// Protocol:  in  {type:'init', …}     out what init(msg) returns ({type:'ready', …} | {type:'init-failed', message}),
//                                     or {type:'init-failed', message} when it throws
//            in  {type: one of messages, …}  (no id, no answer) messages[type](msg); messages.init, when
//                                     given, runs after the init answer is posted
//            in  {id, type, …}       out {id, ok: true, result} | {id, ok: false, trapped, message}
//                                     (requests[type](msg), awaited; unknown type: trapped false)
// trapped: false means the module refused with a plain reason (the instance is fine); true means
// anything else (a wasm trap...): the client then throws the worker away (the instance may be half-changed).

/**
 * Answers this worker's messages. init(msg) → the ready/init-failed message (may be async);
 * requests: {type: (msg) → result (may be async)}; messages: {type: (msg) → nothing}, no answer
 * (messages.init: after the init answer);
 * onTrap(err): called before a trapped answer is posted.
 */
export function serve({ init, requests, messages = {}, onTrap = () => {} }) {
  const own = (table, type) => (Object.prototype.hasOwnProperty.call(table, type) ? table[type] : null); // not 'toString'
  self.onmessage = async (event) => {
    const msg = event.data || {};
    if (msg.type === 'init') {
      let ready;
      try {
        ready = await init(msg);
      } catch (err) {
        ready = { type: 'init-failed', message: describe(err) };
      }
      self.postMessage(ready);
      own(messages, 'init')?.(msg); // work that starts once the page has its answer
      return;
    }
    const message = own(messages, msg.type);
    if (message) {
      message(msg);
      return;
    }
    const request = own(requests, msg.type);
    if (!request) {
      self.postMessage({ id: msg.id, ok: false, trapped: false, message: `unknown request ${msg.type}` });
      return;
    }
    try {
      const result = await request(msg);
      self.postMessage({ id: msg.id, ok: true, result }, result?.bytes instanceof Uint8Array ? [result.bytes.buffer] : []);
    } catch (err) {
      const trapped = !isRefusal(err);
      if (trapped) onTrap(err);
      self.postMessage({ id: msg.id, ok: false, trapped, message: describe(err) });
    }
  };
}

/** A plain `Error` is how a module's Rust `JsError` arrives: a refusal, the instance is fine. */
export function isRefusal(err) {
  return err instanceof Error && err.constructor === Error;
}

/** The message of anything thrown, as text. */
export function describe(err) {
  return String((err && err.message) || err);
}
