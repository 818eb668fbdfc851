/** What {@link raceAbort} resolves to when the signal fired first. */
export const ABORTED: unique symbol = Symbol('aborted');

/**
 * Resolves with `promise`'s value, or with {@link ABORTED} as soon as `signal` aborts. A GPU read-back
 * can take a whole step (seconds on a software GPU) and may never settle if the cell that was stopped
 * has its tensors freed meanwhile, so the training loop must not wait for it once the reader pressed
 * Stop. The abandoned promise's rejection is swallowed.
 */
export function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T | typeof ABORTED> {
  if (!signal) return promise;
  promise.catch(() => {});
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
