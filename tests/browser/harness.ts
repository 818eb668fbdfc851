import { chromium, type Browser, type Page } from 'playwright-core';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serveStatic, type StaticServer } from './server.ts';

/** The base path the browser suite builds and serves the site under, so sub-path hosting is always tested. */
export const base = '/reslab/';
export const distDir = resolve(import.meta.dirname, '../../dist');

// Flags that work in this sandbox (see README "Browser tests"); --enable-unsafe-webgpu gives WebGPU on
// SwiftShader for pages served from 127.0.0.1.
const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

export interface Site {
  browser: Browser;
  server: StaticServer;
  /** Absolute URL of a site path ("lessons/01-vgg-blocks/"). */
  url(path?: string): string;
  /** Opens a fresh page; page errors and failed requests are collected in `problems`. */
  open(path?: string): Promise<{ page: Page; problems: string[] }>;
  close(): Promise<void>;
}

/** Serves dist/ on 127.0.0.1 and launches Debian's Chromium (never a downloaded browser). */
export async function openSite(): Promise<Site> {
  const server = await serveStatic(distDir, base);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
  });
  const url = (path = '') => new URL(path, server.url).href;
  return {
    browser,
    server,
    url,
    async open(path = '') {
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('requestfailed', (request) => {
        // The browser fetches the favicon on its own and a navigation cancels it; a missing one is a 404 below.
        if (/\/favicon\.svg$/.test(request.url()) && request.failure()?.errorText === 'net::ERR_ABORTED')
          return;
        problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`);
      });
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
      });
      await page.goto(url(path));
      return { page, problems };
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core on the page as it is now; returns its serious and critical violations, one line each. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    type Violation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}
