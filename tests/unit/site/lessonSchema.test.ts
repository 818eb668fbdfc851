import { describe, expect, test } from 'vitest';
import { lessonSchema } from '../../../src/lessonSchema.ts';

const valid = {
  title: 'VGG blocks',
  order: 1,
  summary: 'Why networks are built from repeated blocks.',
  minutes: 25,
  papers: [
    { cite: 'Simonyan & Zisserman 2014', title: 'Very Deep Convolutional Networks', arxiv: '1409.1556' },
  ],
};

describe('lesson frontmatter', () => {
  test('accepts a complete lesson and defaults papers to none', () => {
    expect(lessonSchema.parse(valid).papers).toHaveLength(1);
    const { papers: _papers, ...withoutPapers } = valid;
    expect(lessonSchema.parse(withoutPapers).papers).toEqual([]);
  });

  test.each([
    [{ order: 1.5 }, 'order'],
    [{ order: undefined }, 'order'],
    [{ summary: 'Too short' }, 'summary'],
    [{ minutes: 0 }, 'minutes'],
    [{ papers: [{ cite: 'He et al. 2016', title: 'Identity Mappings', arxiv: 'abc' }] }, 'papers.0.arxiv'],
  ])('rejects %o, naming the field %s', (change, field) => {
    const result = lessonSchema.safeParse({ ...valid, ...change });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});
