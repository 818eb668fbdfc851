import { isValidCellId, parseFenceMeta } from './fenceMeta.ts';

interface CodeNode {
  lang?: string | null;
  meta?: string | null;
  value: string;
}

const attribute = (name: string, value: string) => ({ type: 'mdxJsxAttribute', name, value });

/**
 * Sätteri mdast plugin factory: turns ```` ```ts cell ```` fences of an MDX lesson into `<CodeCell>`
 * elements (ids are given or numbered `cell-1`, `cell-2`, …); plain fences are left to Shiki.
 */
export function codeCellsPlugin(context: { sourceFormat: string; fileURL?: URL }) {
  if (context.sourceFormat !== 'mdx') return null;
  const seen = new Set<string>();
  const where = context.fileURL ? ` in ${context.fileURL.pathname}` : '';
  return {
    name: 'reslab-code-cells',
    code(node: CodeNode) {
      const meta = parseFenceMeta(node.meta);
      if (!meta.isCell) return undefined;
      if (node.lang !== 'ts') {
        throw new Error(`invalid cell language: ${JSON.stringify(node.lang)}${where} (expected ts)`);
      }
      const id = meta.attributes.id ?? `cell-${seen.size + 1}`;
      if (!isValidCellId(id)) {
        throw new Error(
          `invalid cell id: ${JSON.stringify(id)}${where} (expected lower-case letters, digits, -)`,
        );
      }
      if (seen.has(id)) throw new Error(`invalid cell id: ${JSON.stringify(id)}${where} (used twice)`);
      seen.add(id);
      const { id: _id, ...rest } = meta.attributes;
      return {
        type: 'mdxJsxFlowElement',
        name: 'CodeCell',
        attributes: [
          attribute('id', id),
          attribute('code', node.value),
          attribute('meta', JSON.stringify({ ...rest, flags: meta.flags })),
        ],
        children: [],
      };
    },
  };
}
