import type { Locator, Page } from 'playwright-core';

// Helpers that drive notebook cells as a reader would, shared by the browser tests and the benchmark.

export const about = 'lessons/00-about-this-site/';

export const cell = (page: Page, id: string) => page.locator(`code-cell[data-cell-id="${id}"]`);

/** Waits until a cell settles in one of `states` (TF.js and WebGPU on SwiftShader are slow to start). */
export async function waitForState(target: Locator, states: string | string[], timeout = 90_000) {
  const list = Array.isArray(states) ? states : [states];
  const test = list.map((state) => `@data-state="${state}"`).join(' or ');
  await target.locator(`xpath=self::*[${test}]`).waitFor({ timeout });
}

/** Replaces a cell's code through its editor, as a reader would. */
export async function typeInto(page: Page, target: Locator, source: string): Promise<void> {
  await target.locator('.cell-code').click();
  const editor = target.locator('.cm-content');
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(source);
}

/** Clicks a cell's Run and waits, inside the page, for that run's end (so an earlier "done" cannot count). */
export async function runCell(target: Locator, timeout = 120_000): Promise<string> {
  return target.evaluate(
    (element: HTMLElement, limit: number) =>
      new Promise<string>((resolve, reject) => {
        const started = Date.now();
        element.querySelector<HTMLButtonElement>('[data-action="run"]')!.click();
        const check = () => {
          const state = element.dataset.state ?? '';
          if (state === 'done' || state === 'error' || state === 'stopped') resolve(state);
          else if (Date.now() - started > limit) reject(new Error(`cell still ${state} after ${limit} ms`));
          else setTimeout(check, 25);
        };
        setTimeout(check, 0);
      }),
    timeout,
  );
}

export interface Memory {
  numTensors: number;
  numBytes: number;
  numBytesInGPU?: number;
}

/** Returns TF.js's `tf.memory()` through the runtime's test hook (null before TF.js loaded). */
export const memory = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { __reslab?: { memory(): Memory | null } }).__reslab?.memory() ?? null,
  );

export const outputOf = async (target: Locator) => (await target.locator('.cell-output').textContent()) ?? '';

/** A tiny classification task built in the cell (4×4 images, 2 classes): no download, fast on SwiftShader. */
export const tinyData = `const images = new Uint8Array(64 * 16);
for (let i = 0; i < images.length; i++) images[i] = (i * 37) % 256;
const labels = new Uint8Array(64).map((_, i) => i % 2);
const data = { train: createImageSet(images, labels, { height: 4, width: 4, channels: 1 }) };`;
