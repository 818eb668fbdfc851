import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileFetch } from '../../../src/cli/experiment.ts';
import { initBackend } from '../../../src/lib/backend.ts';
import {
  compareCurves,
  createExperimentResults,
  EXPERIMENT_NAMES,
  experimentResultsToJSON,
  getExperiment,
  hashCanonical,
  loadExperimentData,
  parseExperimentResults,
  REPLAY_TOLERANCE,
  replayRun,
  type ExperimentResults,
} from '../../../src/lib/experiments/index.ts';
import { makeTempDir, prepareData, root } from './helpers.ts';

// The committed results (content/results/<experiment>.json) are written only by
// `reslab experiment run <experiment>` at the reference budget. These tests fail when one no longer
// matches its experiment's definition (a model, the data or a budget changed), naming what to rerun.
const resultsDir = join(root, 'content/results');
const listJson = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
const committed = listJson(resultsDir);
const temp = makeTempDir('reslab-committed-');
afterAll(() => temp.remove());

/**
 * Reads every results file of a folder and says which are stale, misnamed or invalid (problems), and
 * which are still incomplete: references are trained over several sittings and committed run by run,
 * so an incomplete file is a state, shown as such on its lesson page, not an error.
 */
async function checkResultsFolder(dir: string): Promise<{ problems: string[]; incomplete: string[] }> {
  const problems: string[] = [];
  const incomplete: string[] = [];
  for (const file of listJson(dir)) {
    const name = basename(file, '.json');
    const where = `${basename(dir)}/${file}`;
    if (!(EXPERIMENT_NAMES as readonly string[]).includes(name)) {
      problems.push(
        `${where}: no experiment is called ${JSON.stringify(name)} (expected one of ${EXPERIMENT_NAMES.join(', ')})`,
      );
      continue;
    }
    const results = parseExperimentResults(readFileSync(join(dir, file), 'utf8'), where);
    const experiment = getExperiment(name);
    const rerun = `regenerate it with \`reslab experiment run ${name}\` (after moving the old file away)`;
    if (results.experiment !== name || results.budget !== 'reference') {
      problems.push(
        `${where}: holds ${results.experiment} at budget ${results.budget}, expected ${name} at reference`,
      );
    } else if (results.definitionHash !== (await experiment.definitionHash('reference'))) {
      problems.push(`${where}: stale, trained with another definition of ${name}; ${rerun}`);
    } else if ((await hashCanonical(results.definition)) !== results.definitionHash) {
      problems.push(`${where}: its definition was edited by hand; ${rerun}`);
    }
    const missing = experiment.seeds.flatMap((seed) =>
      experiment
        .variantSpecs('reference')
        .filter((v) => !results.runs.some((r) => r.seed === seed && r.variant === v.name))
        .map((v) => `${v.name}@${seed}`),
    );
    if (missing.length > 0)
      incomplete.push(
        `${where}: incomplete, missing ${missing.join(', ')}; resume with \`reslab experiment run ${name}\``,
      );
  }
  return { problems, incomplete };
}

describe('committed results', () => {
  it('are all <experiment>.json, current and valid (else names the experiments to regenerate)', async () => {
    const stray = existsSync(resultsDir) ? readdirSync(resultsDir).filter((f) => !f.endsWith('.json')) : [];
    expect(stray, 'content/results holds only <experiment>.json files').toEqual([]);
    const { problems, incomplete } = await checkResultsFolder(resultsDir);
    if (incomplete.length > 0)
      console.log(`Reference results still being trained:\n${incomplete.join('\n')}`);
    expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
  });

  it('are checked for real: a stale, a misnamed and an incomplete file are each named', async () => {
    const dir = join(temp.dir, 'results');
    const experiment = getExperiment('vgg-blocks');
    const fresh = await createExperimentResults(experiment, 'reference');
    const write = (file: string, results: ExperimentResults) =>
      writeFileSync(join(dir, file), experimentResultsToJSON(results));
    mkdirSync(dir, { recursive: true });
    write('vgg-blocks.json', fresh);
    write('plain-vs-residual.json', {
      ...(await createExperimentResults(getExperiment('plain-vs-residual'), 'reference')),
      definitionHash: 'a'.repeat(64),
    });
    write('resnet-1001.json', fresh);
    const { problems, incomplete } = await checkResultsFolder(dir);
    expect(problems).toEqual([
      expect.stringMatching(
        /^results\/plain-vs-residual\.json: stale, .*reslab experiment run plain-vs-residual/,
      ),
      expect.stringMatching(/^results\/resnet-1001\.json: no experiment is called "resnet-1001"/),
    ]);
    expect(incomplete).toEqual([
      expect.stringMatching(/^results\/plain-vs-residual\.json: incomplete, missing plain-8@0, resnet-8@0/),
      expect.stringMatching(
        /^results\/vgg-blocks\.json: incomplete, missing vgg11-small@0, vgg11-small@1, vgg11-small@2/,
      ),
    ]);
  });

  // Re-trains the first curve point (curveEvery steps) of each file's first run on wasm, at the reference
  // budget and at one-epoch, which the page offers as the reference's first epoch.
  describe.skipIf(committed.length === 0)('replay', () => {
    it.each(committed)(
      '%s: the first steps of its first run reproduce the recorded loss, at reference and at one-epoch',
      async (file) => {
        const results = parseExperimentResults(readFileSync(join(resultsDir, file), 'utf8'), file);
        const experiment = getExperiment(results.experiment);
        const run = results.runs[0];
        expect((await initBackend({ preference: 'wasm' })).name).toBe(run.provenance.backend.name);
        const dataDir = join(temp.dir, 'data');
        if (!existsSync(join(dataDir, 'manifest.json')))
          await prepareData(dataDir, results.definition.data.subset === 'full');
        const { data } = await loadExperimentData(experiment, 'reference', {
          baseUrl: `${pathToFileURL(dataDir).href}/`,
          fetch: readFileFetch,
        });
        try {
          for (const budget of ['reference', 'one-epoch'] as const) {
            const replayed = await replayRun(experiment, budget, run, data, { points: 1 });
            expect(compareCurves(run.curve, replayed, REPLAY_TOLERANCE), budget).toEqual([]);
          }
        } finally {
          data.dispose();
        }
      },
      120_000,
    );
  });
});
