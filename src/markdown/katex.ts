import katex from 'katex';

/** Renders TeX to KaTeX HTML + MathML at build time; a TeX error fails the build with the formula. */
export function renderMath(tex: string, displayMode: boolean): string {
  try {
    return katex.renderToString(tex, { displayMode, throwOnError: true, output: 'htmlAndMathml', strict: 'error' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`invalid math: ${JSON.stringify(tex)} (${message})`);
  }
}

/** Sätteri mdast plugin: replaces `$…$` and `$$…$$` nodes with KaTeX markup (no runtime JS). */
export const katexPlugin = {
  name: 'reslab-katex',
  math: (node: { value: string }) => ({ raw: renderMath(node.value, true), mdxExpressions: false }),
  inlineMath: (node: { value: string }) => ({ raw: renderMath(node.value, false), mdxExpressions: false }),
};
