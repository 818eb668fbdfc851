// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { satteri } from '@astrojs/markdown-satteri';
import { katexPlugin } from './src/markdown/katex.ts';
import { codeCellsPlugin } from './src/markdown/codeCells.ts';
import { baseLinksPlugin } from './src/markdown/baseLinks.ts';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// The site can be served from a sub-path (e.g. GitHub Pages serves https://user.github.io/reslab/):
// RESLAB_BASE=/reslab/ npm run build. Every internal link and asset goes through this base.
const base = process.env.RESLAB_BASE ?? '/';

// In the browser build, `@tensorflow/tfjs` is src/cells/tfjs.ts: the same API without the backends the
// union package bundles eagerly, so a page fetches only the backend it runs on (src/lib/backend.ts loads
// it). Build-time rendering (SSR) keeps the union package, whose CPU backend draws the figures.
const browserTfjs = {
  name: 'reslab:browser-tfjs',
  enforce: /** @type {const} */ ('pre'),
  /** @param {string} id @param {string | undefined} _importer @param {{ ssr?: boolean } | undefined} options */
  resolveId(id, _importer, options) {
    const environment = /** @type {{ environment?: { name: string } }} */ (/** @type {unknown} */ (this))
      .environment;
    const isClient = environment ? environment.name === 'client' : !options?.ssr;
    if (id === '@tensorflow/tfjs' && isClient)
      return fileURLToPath(new URL('./src/cells/tfjs.ts', import.meta.url));
    return null;
  },
};

/** Runs git in the project; null where there is no git or no repository. */
function git(/** @type {string[]} */ args) {
  try {
    const cwd = fileURLToPath(new URL('.', import.meta.url));
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

// What a page's "Export to PyTorch" writes into experiment.json as the library it came from: the
// package version and the commit built, read as `reslab experiment run` reads them (readLibraryVersion
// in src/cli/experiment.ts: committed results files are no change to the code; no git, "unknown").
const changes = git([
  'status',
  '--porcelain',
  '--untracked-files=no',
  '--',
  '.',
  ':(exclude)content/results',
]);
const library = {
  version: JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version,
  commit: git(['rev-parse', 'HEAD']) ?? 'unknown',
  dirty: changes === null || changes !== '',
};

export default defineConfig({
  site: process.env.RESLAB_SITE,
  base,
  trailingSlash: 'always',
  integrations: [mdx()],
  vite: { plugins: [browserTfjs], define: { __RESLAB_LIBRARY__: JSON.stringify(library) } },
  markdown: {
    shikiConfig: {
      themes: { light: 'github-light-default', dark: 'github-dark-default' },
      defaultColor: false,
    },
    processor: satteri({
      features: { math: true },
      mdastPlugins: [katexPlugin, codeCellsPlugin, baseLinksPlugin(base)],
    }),
  },
});
