import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const NODE = 'node_modules/.bin/node';
const CLI = 'src/cli/reslab.ts';

function reslab(...args: string[]) {
  const result = spawnSync(NODE, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('reslab CLI', () => {
  it('trace resnet50 --json prints the trace with the torchvision figures', () => {
    const { code, stdout } = reslab(
      'trace',
      'resnet50',
      '--input',
      '224,224,3',
      '--classes',
      '1000',
      '--json',
    );
    expect(code).toBe(0);
    const trace = JSON.parse(stdout);
    expect(trace.model).toBe('resnet50');
    expect(trace.input).toEqual([1, 224, 224, 3]);
    expect(trace.params).toEqual({ trainable: 25_557_032, nonTrainable: 53_120, total: 25_610_152 });
    expect(trace.macs).toBe(4_089_184_256);
    expect(trace.blocks.find((b: { name: string }) => b.name === 'conv5_3').outputShapeTorch).toEqual([
      1, 2048, 7, 7,
    ]);
    expect(trace.layers.length).toBeGreaterThan(100);
  });

  it('applies variants, width and classes', () => {
    const paper = JSON.parse(
      reslab('trace', 'resnet50', '--variant', 'stridePlacement=paper', '--json').stdout,
    );
    expect(paper.macs).toBe(3_857_973_248);
    const small = JSON.parse(
      reslab(
        'trace',
        'cifar-resnet20',
        '--variant',
        'exclusiveGating',
        '--width',
        '0.5',
        '--classes',
        '100',
        '--json',
      ).stdout,
    );
    expect(small.variants).toEqual({ shortcut: 'exclusiveGating' });
    expect(small.layers.at(-1).outputShape).toEqual([1, 100]);
    expect(small.layers.some((l: { type: string }) => l.type === 'GateCombine')).toBe(true);
  });

  it('prints an aligned table, in PyTorch order on request', () => {
    const { code, stdout } = reslab('trace', 'd2l-resnet18', '--shapes', 'torch');
    expect(code).toBe(0);
    expect(stdout).toMatch(/conv5_2\s+\d+\s+1×512×7×7\s/);
    expect(stdout).toContain('11,186,186 total, 11,178,378 trainable, 7,808 non-trainable');
  });

  it('lists the models', () => {
    const { code, stdout } = reslab('list');
    expect(code).toBe(0);
    for (const name of [
      'vgg16',
      'd2l-vgg11-small',
      'resnet152',
      'cifar-plain56',
      'preact-resnet1001',
      'resnet50v2',
    ]) {
      expect(stdout).toMatch(new RegExp(`^${name}\\s`, 'm'));
    }
  });

  it('exits non-zero with the allowed values on bad input', () => {
    const bad = reslab('trace', 'resnet51');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('invalid model: "resnet51" (expected one of vgg11,');
    expect(bad.stderr).toContain('resnet50v2');
    const badVariant = reslab('trace', 'resnet50', '--variant', 'stridePlacement=v1');
    expect(badVariant.code).not.toBe(0);
    expect(badVariant.stderr).toContain('invalid stridePlacement: "v1" (expected one of paper, torchvision)');
    const badInput = reslab('trace', 'resnet18', '--input', '224,224');
    expect(badInput.code).not.toBe(0);
    expect(badInput.stderr).toContain('invalid --input: "224,224"');
    const badOption = reslab('trace', 'resnet18', '--colour');
    expect(badOption.code).not.toBe(0);
    expect(badOption.stderr).toContain('--variant');
    expect(reslab('frobnicate').code).not.toBe(0);
  });
});
