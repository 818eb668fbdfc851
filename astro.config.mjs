// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { satteri } from '@astrojs/markdown-satteri';
import { katexPlugin } from './src/markdown/katex.ts';
import { codeCellsPlugin } from './src/markdown/codeCells.ts';
import { baseLinksPlugin } from './src/markdown/baseLinks.ts';
import { fileURLToPath } from 'node:url';
import { readLibraryVersion } from './src/cli/libraryVersion.ts';

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

// What a page's "Export to PyTorch" writes into experiment.json as the library it came from, read as
// `reslab experiment run` reads it.
const library = readLibraryVersion();

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
