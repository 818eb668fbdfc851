import { describe, expect, it } from 'vitest';
import { explainUndefined } from '../../../src/cells/display/error.ts';

describe('explainUndefined', () => {
  it('says when no cell declares the name', () => {
    expect(explainUndefined('x is not defined', () => null)).toBe(
      'x is not defined — no earlier cell declares it',
    );
  });

  it('points at a later cell, or at an earlier one that has not run successfully', () => {
    expect(explainUndefined('model is not defined', () => ({ cellId: 'build', isLater: true }))).toBe(
      'model is not defined — only cell “build”, further down, declares it; a cell can use variables from the cells above it',
    );
    expect(explainUndefined('$data is not defined', () => ({ cellId: 'load', isLater: false }))).toBe(
      '$data is not defined — cell “load” declares it but has not run successfully',
    );
  });

  it('leaves other messages alone', () => {
    expect(explainUndefined('Cannot access x before initialization', () => null)).toBe(
      'Cannot access x before initialization',
    );
    expect(explainUndefined('a.b is not defined', () => null)).toBe('a.b is not defined');
  });
});
