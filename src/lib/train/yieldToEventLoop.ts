/**
 * Lets the event loop run (clicks, an abort, a chart redraw) between training steps, which would
 * otherwise run back to back: TF.js only queues GPU work, so a step returns before the GPU is done.
 * Uses `scheduler.yield` (Chromium), else `setImmediate` (Node), else a MessageChannel round trip,
 * which unlike `setTimeout(0)` is not clamped to 4 ms.
 */
export function yieldToEventLoop(): Promise<void> {
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
