/** What {@link createYield} uses; tests pass fakes. */
export interface YieldEffects {
  /** Milliseconds. Default `performance.now`. */
  now?: () => number;
  /** The browser's `requestAnimationFrame`, or null where there are no frames (Node). */
  requestFrame?: ((callback: () => void) => unknown) | null;
  /** A zero-delay yield that is not clamped. Default `scheduler.yield`, `setImmediate` or a MessageChannel. */
  yieldNow?: () => Promise<void>;
  /** `setTimeout`. */
  setTimer?: (callback: () => void, ms: number) => unknown;
}

/** How long steps may run back to back before the page is given a frame to paint and take input. */
export const FRAME_INTERVAL_MS = 100;
/** How long to wait for a frame that may never come (a hidden tab draws none). */
const FRAME_WAIT_MS = 100;

function yieldNowDefault(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  if (typeof globalThis.setImmediate === 'function')
    return new Promise((resolve) => globalThis.setImmediate(resolve));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Makes the pause `train()` takes between steps. Usually a zero-delay yield, so input and an abort are
 * handled; but at least every {@link FRAME_INTERVAL_MS} it waits for the next animation frame and then
 * for every task already queued.
 * Without that, a backend that computes on the main thread (wasm, the CPU) trains step after step with
 * no frame in between: the page neither repaints (no progress, no live chart) nor handles input, which
 * Chromium delivers with frames, until training ends. A GPU backend's awaits leave room for frames.
 */
export function createYield(effects: YieldEffects = {}): () => Promise<void> {
  const now = effects.now ?? (() => performance.now());
  const requestFrame =
    effects.requestFrame !== undefined
      ? effects.requestFrame
      : typeof globalThis.requestAnimationFrame === 'function'
        ? (callback: () => void) => globalThis.requestAnimationFrame(callback)
        : null;
  const yieldNow = effects.yieldNow ?? yieldNowDefault;
  const setTimer = effects.setTimer ?? ((callback: () => void, ms: number) => setTimeout(callback, ms));
  let lastFrame = now();
  return () => {
    if (!requestFrame || now() - lastFrame < FRAME_INTERVAL_MS) return yieldNow();
    return new Promise<void>((resolve) => {
      let settled = false;
      const done = () => {
        if (settled) return;
        settled = true;
        lastFrame = now();
        resolve();
      };
      // The frame's callback runs before it paints; a plain timer after it, once it has, and behind every
      // task already queued (scheduler.yield's continuation would jump that queue, so a loop of them
      // starves timers, network callbacks and messages of their turn).
      requestFrame(() => setTimer(done, 0));
      setTimer(done, FRAME_WAIT_MS);
    });
  };
}

/** The default pause between training steps (see {@link createYield}). */
export const yieldToEventLoop: () => Promise<void> = createYield();
