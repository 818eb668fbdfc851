import { describe, expect, test } from 'vitest';
import { createYield, FRAME_INTERVAL_MS } from '../../../src/lib/train/yieldToEventLoop.ts';

/** A fake clock with frames and timers that the test fires by hand. */
function fakes() {
  let time = 0;
  const frames: (() => void)[] = [];
  const timers: (() => void)[] = [];
  let yields = 0;
  return {
    advance: (ms: number) => void (time += ms),
    frames,
    timers,
    yields: () => yields,
    effects: {
      now: () => time,
      requestFrame: (callback: () => void) => frames.push(callback),
      yieldNow: async () => void yields++,
      setTimer: (callback: () => void) => timers.push(callback),
    },
  };
}

const settled = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => (done = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
};

describe('createYield', () => {
  test('yields at once between steps, and waits for a frame once a frame interval has passed', async () => {
    const f = fakes();
    const pause = createYield(f.effects);
    expect(await settled(pause())).toBe(true);
    expect(f.frames).toHaveLength(0);
    f.advance(FRAME_INTERVAL_MS);
    const waiting = pause();
    expect(await settled(waiting)).toBe(false);
    expect(f.frames).toHaveLength(1);
    f.frames[0]();
    expect(await settled(waiting)).toBe(false); // painted; now behind the queued tasks
    f.timers[1]();
    expect(await settled(waiting)).toBe(true);
    // The frame resets the interval: the next pauses are immediate again.
    expect(await settled(pause())).toBe(true);
    expect(f.frames).toHaveLength(1);
  });

  test('goes on without a frame when none comes (a hidden tab)', async () => {
    const f = fakes();
    const pause = createYield(f.effects);
    f.advance(FRAME_INTERVAL_MS + 1);
    const waiting = pause();
    expect(await settled(waiting)).toBe(false);
    f.timers[0]();
    expect(await settled(waiting)).toBe(true);
  });

  test('never waits for frames where there are none (Node)', async () => {
    const f = fakes();
    const pause = createYield({ ...f.effects, requestFrame: null });
    f.advance(10 * FRAME_INTERVAL_MS);
    expect(await settled(pause())).toBe(true);
    expect(f.yields()).toBe(1);
  });
});
