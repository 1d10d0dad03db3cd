// ThinkTwice checker: the page-side handle on worker.js. Owns the worker's
// life (start, restart after a trap) and matches answers to calls. Pages use
//   const checker = createChecker();  await checker.ready;
//   const report = await checker.check(file);   // File or Blob; rejects with a plain Error
// It never reads the file itself: the File handle goes to the worker as is.

export function createChecker({ workerUrl = new URL('./worker.js', import.meta.url) } = {}) {
  let worker = null;
  let nextId = 1;
  const pending = new Map(); // id -> { resolve, reject }

  function failAll(message) {
    for (const { reject } of pending.values()) reject(new Error(message));
    pending.clear();
  }

  function start() {
    let answered = false; // a worker that never answers cannot load: don't loop restarting it
    worker = new Worker(workerUrl, { type: 'module' });
    worker.onmessage = ({ data }) => {
      answered = true;
      const call = pending.get(data.id);
      pending.delete(data.id);
      if (data.restart) restart();
      if (!call) return;
      if (data.ok) call.resolve(data.result);
      else call.reject(new Error(data.error));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (answered) restart();
      else failAll('ThinkTwice could not start in this browser.');
    };
  }

  // A fresh worker (and so a fresh wasm instance) before the next call.
  // Calls still waiting on the old worker will never be answered: fail them.
  function restart() {
    if (worker) worker.terminate();
    failAll('ThinkTwice stopped unexpectedly. Please try again.');
    start();
  }

  function call(type, extra = {}) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, type, ...extra });
    });
  }

  start();
  const checker = {
    check: (file) => call('check', { file }),
    version: () => call('version'),
    /** Tests only: makes the wasm instance trap, to prove recovery. */
    trapForTests: () => call('trap'),
    close: () => { if (worker) worker.terminate(); worker = null; failAll('closed'); },
  };
  checker.ready = checker.version();
  return checker;
}
