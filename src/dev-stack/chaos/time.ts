/** Waiting that a stop request cuts short, so a run ends at once when the release is over or on Ctrl-C. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Sleeps until `atMs` on the run's clock (`elapsedMs`); at once when that moment has passed. */
export function sleepUntil(atMs: number, elapsedMs: () => number, signal?: AbortSignal): Promise<void> {
  return sleep(Math.max(0, atMs - elapsedMs()), signal);
}
