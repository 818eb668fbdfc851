import { describe, expect, test } from 'vitest';
import { mentionsEvery, searchTerms } from '../../../src/search.ts';

describe('search terms and matches', () => {
  test('single letters are not searched for; words are', () => {
    expect(searchTerms('x')).toEqual([]);
    expect(searchTerms('a b c')).toEqual([]);
    expect(searchTerms('Bottleneck, x 1x1')).toEqual(['bottleneck', '1x1']);
    expect(searchTerms('pre-activation')).toEqual(['pre-activation']);
  });

  test('a page matches only when each term starts a word in it', () => {
    const text = 'A residual block adds its input to the output of two 3×3 convolutions.';
    expect(mentionsEvery(text, ['residual', 'blocks'])).toBe(true);
    expect(mentionsEvery(text, ['convolution'])).toBe(true);
    // Pagefind shortens "xqzvw" to "x" when nothing matches: the page has no word starting "xqz".
    expect(mentionsEvery(`${text} x_l and x`, ['xqzvw'])).toBe(false);
    // Inside a word is not a match.
    expect(mentionsEvery(text, ['sid'])).toBe(false);
    expect(mentionsEvery(text, ['(.*'])).toBe(false);
  });
});
