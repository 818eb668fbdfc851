import katex from 'katex';

/** Renders TeX to KaTeX HTML + MathML at build time; a TeX error fails the build with the formula. */
export function renderMath(tex: string, displayMode: boolean): string {
  try {
    const html = katex.renderToString(tex, {
      displayMode,
      throwOnError: true,
      output: 'htmlAndMathml',
      strict: 'error',
    });
    // The MathML copy is for screen readers; keep it out of the search index so text is not indexed twice.
    return html.replace('<span class="katex-mathml">', '<span class="katex-mathml" data-pagefind-ignore>');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`invalid math: ${JSON.stringify(tex)} (${message})`, { cause: error });
  }
}

/** Sätteri mdast plugin: replaces `$…$` and `$$…$$` nodes with KaTeX markup (no runtime JS). */
export const katexPlugin = {
  name: 'reslab-katex',
  math: (node: { value: string }) => ({ raw: renderMath(node.value, true), mdxExpressions: false }),
  // A word joiner after inline math: the browser may otherwise break the line between the formula (an
  // inline-block) and the comma or full stop after it.
  inlineMath: (node: { value: string }) => ({
    raw: `${renderMath(node.value, false)}\u2060`,
    mdxExpressions: false,
  }),
};
