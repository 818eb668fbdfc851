import { describe, expect, test } from 'vitest';
import { parseFenceMeta } from '../../../src/markdown/fenceMeta.ts';
import { codeCellsPlugin } from '../../../src/markdown/codeCells.ts';
import { baseLinksPlugin, withBasePath } from '../../../src/markdown/baseLinks.ts';
import { katexPlugin, renderMath } from '../../../src/markdown/katex.ts';

describe('parseFenceMeta', () => {
  test('recognises cells, flags and quoted attributes', () => {
    expect(parseFenceMeta('cell id=train title="Train the model" hidden')).toEqual({
      isCell: true,
      flags: ['hidden'],
      attributes: { id: 'train', title: 'Train the model' },
    });
  });
  test('a plain fence is not a cell', () => {
    expect(parseFenceMeta(undefined).isCell).toBe(false);
    expect(parseFenceMeta('title="cell"').isCell).toBe(false);
  });
});

describe('codeCellsPlugin', () => {
  const plugin = () => codeCellsPlugin({ sourceFormat: 'mdx', fileURL: new URL('file:///lesson.mdx') })!;

  test('turns a ts cell fence into a CodeCell element with its source and metadata', () => {
    const node = plugin().code({ lang: 'ts', meta: 'cell id=shapes title="Shapes"', value: 'const x = 1;' });
    expect(node).toEqual({
      type: 'mdxJsxFlowElement',
      name: 'CodeCell',
      attributes: [
        { type: 'mdxJsxAttribute', name: 'id', value: 'shapes' },
        { type: 'mdxJsxAttribute', name: 'code', value: 'const x = 1;' },
        { type: 'mdxJsxAttribute', name: 'meta', value: '{"title":"Shapes","flags":[]}' },
      ],
      children: [],
    });
  });

  test('leaves plain fences to the highlighter and numbers cells without an id', () => {
    const cells = plugin();
    expect(cells.code({ lang: 'ts', meta: null, value: 'x' })).toBeUndefined();
    expect(cells.code({ lang: 'ts', meta: 'cell', value: 'x' })?.attributes[0].value).toBe('cell-1');
    expect(cells.code({ lang: 'ts', meta: 'cell', value: 'y' })?.attributes[0].value).toBe('cell-2');
  });

  test('rejects duplicate ids, bad ids and non-TypeScript cells with the file named', () => {
    const cells = plugin();
    cells.code({ lang: 'ts', meta: 'cell id=a', value: '' });
    expect(() => cells.code({ lang: 'ts', meta: 'cell id=a', value: '' })).toThrow(
      'invalid cell id: "a" in /lesson.mdx (used twice)',
    );
    expect(() => cells.code({ lang: 'ts', meta: 'cell id=Bad_Id', value: '' })).toThrow(
      /invalid cell id: "Bad_Id"/,
    );
    expect(() => cells.code({ lang: 'py', meta: 'cell', value: '' })).toThrow('invalid cell language: "py"');
  });

  test('is off for plain Markdown, which cannot hold components', () => {
    expect(codeCellsPlugin({ sourceFormat: 'md' })).toBeNull();
  });
});

describe('base path links', () => {
  test('prefixes root-relative links once and leaves others alone', () => {
    expect(withBasePath('/lessons/01-vgg-blocks/', '/reslab/')).toBe('/reslab/lessons/01-vgg-blocks/');
    expect(withBasePath('/reslab/lessons/', '/reslab/')).toBe('/reslab/lessons/');
    expect(withBasePath('/lessons/', '/')).toBe('/lessons/');
    expect(withBasePath('https://arxiv.org/abs/1512.03385', '/reslab/')).toBe(
      'https://arxiv.org/abs/1512.03385',
    );
    expect(withBasePath('#section', '/reslab/')).toBe('#section');
    expect(withBasePath('//cdn.example/x.js', '/reslab/')).toBe('//cdn.example/x.js');
  });
  test('the plugin rewrites link nodes', () => {
    expect(baseLinksPlugin('/reslab/').link({ url: '/search/' })).toEqual({ url: '/reslab/search/' });
    expect(baseLinksPlugin('/reslab/').link({ url: 'https://x.org/' })).toBeUndefined();
  });
});

describe('KaTeX at build time', () => {
  test('renders inline and display math as HTML plus MathML, the MathML kept out of search', () => {
    const inline = katexPlugin.inlineMath({ value: '18c^2' }).raw;
    expect(inline).toContain('<span class="katex">');
    expect(inline).toContain('<span class="katex-mathml" data-pagefind-ignore>');
    expect(inline).toContain('<annotation encoding="application/x-tex">18c^2</annotation>');
    expect(katexPlugin.math({ value: 'y = x + F(x)' }).raw).toContain('katex-display');
  });
  test('a TeX error fails with the formula rather than shipping red text', () => {
    expect(() => renderMath('\\frac{1}{', false)).toThrow(/^invalid math: "\\\\frac\{1\}\{"/);
  });
});
