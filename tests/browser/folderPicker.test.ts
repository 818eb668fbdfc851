import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '../../src/cli/examples.ts';
import { openSite, seriousAxeViolations, type Site } from './harness.ts';

// Lesson 7's folder picker: a reader picks a folder (one sub-folder per class) and the next cell loads it.
// The folder is a real one on disk, handed to the webkitdirectory input as a reader's pick would be.
let site: Site;
let folder: string;
before(async () => {
  site = await openSite();
  folder = join(mkdtempSync(join(tmpdir(), 'reslab-picker-')), 'pets');
  for (const [name, shade] of [
    ['cat', 40],
    ['dog', 200],
  ] as const) {
    mkdirSync(join(folder, name), { recursive: true });
    for (const i of [1, 2, 3])
      writeFileSync(join(folder, name, `${i}.png`), encodePng(new Uint8Array(8 * 8).fill(shade + i), 8, 8));
  }
  writeFileSync(join(folder, 'cat', 'notes.txt'), 'not an image');
});
after(async () => {
  await site?.close();
  rmSync(join(folder, '..'), { recursive: true, force: true });
});

const settled = (id: string) =>
  `code-cell[data-cell-id="${id}"][data-state="done"], code-cell[data-cell-id="${id}"][data-state="error"]`;

test('a picked folder replaces the example images in the next cell', { timeout: 180_000 }, async () => {
  const { page, problems } = await site.open('lessons/07-your-own-images/');
  await page.locator('[data-budget]').selectOption('quick');
  const picker = page.locator('code-cell[data-cell-id="picker"]');
  await picker.locator('[data-action="run"]').click();
  await page.waitForSelector(settled('picker'), { timeout: 120_000 });
  assert.equal(await picker.getAttribute('data-state'), 'done');
  const status = picker.locator('.image-picker-status');
  assert.match(
    (await status.textContent()) ?? '',
    /use the example images \(60 files in 3 folders \(bag, sandal, trouser\)\)/,
  );

  // Only the picker's own elements are this test's business (the a11y suite covers the rest of the page).
  const pickerViolations = (await seriousAxeViolations(page)).filter((v) => v.includes('image-picker'));
  assert.deepEqual(pickerViolations, [], 'the picker adds no serious axe violations');

  // The file input is named by its label (the group around it carries the same name).
  const input = picker.getByLabel(/Choose a folder of images/).and(picker.locator('input[type="file"]'));
  await input.setInputFiles(folder);
  await page.waitForFunction(
    () =>
      /Chose 7 files/.test(
        document.querySelector('code-cell[data-cell-id="picker"] .image-picker-status')?.textContent ?? '',
      ),
    undefined,
    { timeout: 10_000 },
  );
  assert.equal(
    await status.textContent(),
    'Chose 7 files in 2 folders (cat, dog). Run the next cell to load them.',
  );

  const load = page.locator('code-cell[data-cell-id="load-folder"]');
  await load.locator('[data-action="run"]').click();
  await page.waitForSelector(settled('load-folder'), { timeout: 60_000 });
  assert.equal(await load.getAttribute('data-state'), 'done');
  assert.match(
    (await load.locator('.cell-output').textContent()) ?? '',
    /Loaded 6 images in 2 classes \(cat 3, dog 3\): 4 for training, 2 for testing; skipped 1 file: 1 not an image\./,
  );
  assert.deepEqual(problems, []);
});
