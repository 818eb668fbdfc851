import { expect, test } from 'vitest';
import { checkAnswer } from '../../../src/lib/exercise.ts';

test('a right answer is confirmed with its value', () => {
  expect(checkAnswer('VGG-16 parameters', 138357544, 138357544)).toEqual({
    correct: true,
    message: '✓ VGG-16 parameters: 138357544. Correct.',
  });
  expect(checkAnswer('output shape', [4, 3, 3, 6], [4, 3, 3, 6]).correct).toBe(true);
});

test('a wrong answer says what was expected, what was given, and the hint', () => {
  const result = checkAnswer('output shape', [4, 6, 6, 3], [4, 3, 3, 6], 'stride 2 halves height and width');
  expect(result.correct).toBe(false);
  expect(result.message).toBe(
    '✗ output shape: expected [4,3,3,6], got [4,6,6,3]. Hint: stride 2 halves height and width',
  );
});
