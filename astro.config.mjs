// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { satteri } from '@astrojs/markdown-satteri';
import { katexPlugin } from './src/markdown/katex.ts';
import { codeCellsPlugin } from './src/markdown/codeCells.ts';
import { baseLinksPlugin } from './src/markdown/baseLinks.ts';

// The site can be served from a sub-path (e.g. GitHub Pages serves https://user.github.io/reslab/):
// RESLAB_BASE=/reslab/ npm run build. Every internal link and asset goes through this base.
const base = process.env.RESLAB_BASE ?? '/';

export default defineConfig({
  site: process.env.RESLAB_SITE,
  base,
  trailingSlash: 'always',
  integrations: [mdx()],
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
