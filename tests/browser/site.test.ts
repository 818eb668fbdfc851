import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, base, type Site } from './harness.ts';

let site: Site;
before(async () => {
  site = await openSite();
});
after(async () => {
  await site?.close();
});

describe('lesson index', () => {
  test('lists every lesson in course order with working links', async () => {
    const { page, problems } = await site.open('');
    const titles = await page.locator('.lesson-list-title').allTextContents();
    assert.deepEqual(titles.slice(0, 2), ['About this site', 'VGG blocks']);
    await page.locator('.lesson-list a', { hasText: 'VGG blocks' }).click();
    await page.waitForURL(/lessons\/01-vgg-blocks\/$/);
    assert.equal(await page.locator('h1').textContent(), 'VGG blocks');
    assert.deepEqual(problems, []);
  });
});

describe('lesson page', () => {
  test('renders KaTeX and Shiki at build time and turns ts cell fences into cell placeholders', async () => {
    const { page, problems } = await site.open('lessons/01-vgg-blocks/');
    assert.ok((await page.locator('.katex').count()) >= 5, 'inline and display math rendered');
    assert.ok((await page.locator('.katex-display').count()) >= 2, 'display math rendered');
    assert.ok((await page.locator('.katex math').count()) >= 5, 'MathML for screen readers');
    // The KaTeX stylesheet matches the markup: a fraction's parts are laid out, not stacked as text.
    const katexFont = await page
      .locator('.katex')
      .first()
      .evaluate((el) => getComputedStyle(el).fontFamily);
    assert.match(katexFont, /KaTeX_Main/);
    const cell = page.locator('code-cell[data-cell-id="vgg-block"]');
    assert.equal(await cell.count(), 1);
    const source = JSON.parse((await cell.locator('script[data-cell-source]').textContent()) ?? '');
    assert.match(
      source,
      /^function sequentialVggBlock\(numConvs: number, channels: number\): tf\.Sequential/,
    );
    assert.ok(
      (await cell.locator('pre.astro-code span[style*="--shiki-dark"]').count()) > 10,
      'cell is highlighted',
    );
    // No script is needed for math or highlighting: the page has no inline KaTeX/Shiki runtime.
    const scripts = await page
      .locator('script[src]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('src')));
    assert.ok(
      scripts.every((src) => !/katex|shiki/i.test(src ?? '')),
      `unexpected scripts: ${scripts}`,
    );
    assert.deepEqual(problems, []);
  });

  test('has contents and previous/next navigation', async () => {
    const { page } = await site.open('lessons/00-about-this-site/');
    const toc = await page.locator('.toc a').allTextContents();
    assert.ok(toc.includes('What runs where'), `contents: ${toc}`);
    assert.equal(await page.locator('.pager-previous').count(), 0);
    await page.locator('.pager-next').click();
    await page.waitForURL(/01-vgg-blocks/);
    assert.equal(
      await page.locator('.pager-previous').getAttribute('href'),
      `${base}lessons/00-about-this-site/`,
    );
  });
});

describe('theme', () => {
  test('the toggle switches theme, code colours follow, and the choice survives a reload', async () => {
    const { page } = await site.open('lessons/01-vgg-blocks/');
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const codeColour = () =>
      page
        .locator('pre.astro-code')
        .first()
        .evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(await theme(), 'light');
    const lightBg = await codeColour();
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    assert.equal(await theme(), 'dark');
    assert.notEqual(await codeColour(), lightBg);
    await page.reload();
    assert.equal(await theme(), 'dark');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    await page.reload();
    assert.equal(await theme(), 'light');
  });

  test('follows the system preference when nothing is stored', async () => {
    const context = await site.browser.newContext({ colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(site.url(''));
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await context.close();
  });
});

describe('lesson layout', () => {
  test('the contents are folded on a phone and open beside the lesson on a desktop', async () => {
    for (const [width, open] of [
      [390, false],
      [1280, true],
    ] as const) {
      const context = await site.browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      await page.goto(site.url('lessons/04-pre-activation/'));
      assert.equal(await page.locator('.toc ol').isVisible(), open, `contents list at ${width} px`);
      // On a phone the lesson's title is on the first screen.
      if (!open) assert.ok((await page.locator('h1').boundingBox())!.y < 800);
      await context.close();
    }
  });

  test('inline math keeps the punctuation after it on its line', async () => {
    const context = await site.browser.newContext({ viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    await page.goto(site.url('lessons/04-pre-activation/'));
    const split = await page.evaluate(() => {
      const broken: string[] = [];
      for (const math of document.querySelectorAll('.prose p > .katex')) {
        let next = math.nextSibling;
        if (next?.nodeType === Node.TEXT_NODE && next.textContent?.startsWith('\u2060'))
          next = next.textContent.length > 1 ? next : next.nextSibling;
        if (next?.nodeType !== Node.TEXT_NODE || !/^\u2060?[,.;:]/.test(next.textContent ?? '')) continue;
        const range = document.createRange();
        const offset = next.textContent!.startsWith('\u2060') ? 1 : 0;
        range.setStart(next, offset);
        range.setEnd(next, offset + 1);
        const mark = range.getBoundingClientRect();
        const box = math.getBoundingClientRect();
        if (mark.top >= box.bottom - 1) broken.push(math.textContent ?? '');
      }
      return broken;
    });
    await context.close();
    assert.deepEqual(split, []);
  });
});

describe('search', () => {
  test('finds a lesson by a word that appears only in its body', async () => {
    const { page, problems } = await site.open('search/?q=receptive');
    const first = page.locator('.search-results li a').first();
    await first.waitFor();
    assert.equal(await first.textContent(), 'VGG blocks');
    assert.equal(await first.getAttribute('href'), `${base}lessons/01-vgg-blocks/`);
    const marked = await page.locator('.search-results li').first().locator('mark').allTextContents();
    assert.ok(
      marked.some((word) => /receptive/i.test(word)),
      `highlighted: ${marked}`,
    );
    assert.deepEqual(problems, []);
  });

  test('a nonsense word finds nothing, a single letter asks for a word, and excerpts are prose', async () => {
    const { page, problems } = await site.open('search/?q=xqzvw');
    await page.locator('.search-status', { hasText: 'No lesson mentions' }).waitFor();
    assert.equal(await page.locator('.search-results li').count(), 0);
    await page.goto(site.url('search/?q=x'));
    await page.locator('.search-status', { hasText: 'two letters or more' }).waitFor();
    await page.goto(site.url('search/?q=shortcut'));
    await page.locator('.search-results li').first().waitFor();
    const excerpts = await page.locator('.search-results li p').allTextContents();
    // Code and math are left out of the index: no excerpt reads like code (`=>`, `const`, braces).
    assert.ok(
      excerpts.every((text) => !/=>|\bconst\b|[{}]/.test(text)),
      excerpts.join('\n'),
    );
    assert.deepEqual(problems, []);
  });

  test('the header search box leads to results', async () => {
    const { page } = await site.open('');
    await page.getByLabel('Search lessons').fill('notebook');
    await page.getByLabel('Search lessons').press('Enter');
    await page.locator('.search-results li a').first().waitFor();
    assert.match((await page.locator('.search-status').textContent()) ?? '', /result/);
  });
});

describe('static hosting under a base path', () => {
  test(`every page, internal link and asset resolves under ${base}`, async () => {
    const seen = new Set<string>();
    const queue = [site.url('')];
    const failures: string[] = [];
    const { page } = await site.open('');
    const origin = new URL(site.url()).origin;
    // Nothing is fetched from third-party hosts: fonts, scripts and data are all self-hosted.
    page.on('request', (request) => {
      if (new URL(request.url()).origin !== origin) failures.push(`third-party request: ${request.url()}`);
    });
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const response = await page.goto(url);
      if (!response || response.status() !== 200) failures.push(`${response?.status()} ${url}`);
      const links = await page
        .locator('a[href], link[href], script[src], img[src]')
        .evaluateAll((els) =>
          els.map((el) => (el as HTMLAnchorElement).href || (el as HTMLScriptElement).src),
        );
      for (const link of links) {
        const target = new URL(link);
        target.hash = '';
        if (target.origin !== origin) continue;
        if (!target.pathname.startsWith(base)) failures.push(`outside base: ${target.href} (on ${url})`);
        else if (target.pathname.endsWith('/')) queue.push(target.href);
        else {
          const asset = await page.request.get(target.href);
          if (asset.status() !== 200) failures.push(`${asset.status()} ${target.href}`);
        }
      }
    }
    assert.deepEqual(failures, []);
    await page.goto(site.url(''));
    const lessons = await page
      .locator('.lesson-list a')
      .evaluateAll((els) => els.map((a) => (a as HTMLAnchorElement).href));
    assert.ok(lessons.length >= 2 && lessons.every((lesson) => seen.has(lesson)), `crawled ${[...seen]}`);
  });

  test('an unknown path gets the 404 page with a link home', async () => {
    const { page } = await site.open('no-such-page/');
    assert.equal(await page.locator('h1').textContent(), 'Page not found');
    assert.equal(await page.locator('main a').getAttribute('href'), base);
  });
});
