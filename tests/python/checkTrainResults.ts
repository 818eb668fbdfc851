// Checks results files written by the exported train.py (src/lib/export/python/train.py) as the site
// reads them: the schema, the definition hash against hashCanonical, and the committed layout.
// usage: npx node tests/python/checkTrainResults.ts FILE...
import { readFileSync } from 'node:fs';
import { hashCanonical } from '../../src/lib/experiments/canonical.ts';
import { experimentResultsToJSON, parseExperimentResults } from '../../src/lib/experiments/resultsFile.ts';

let failed = false;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  try {
    const results = parseExperimentResults(text, file);
    const hash = await hashCanonical(results.definition);
    if (hash !== results.definitionHash)
      throw new Error(`definitionHash ${results.definitionHash}, hashCanonical ${hash}`);
    if (experimentResultsToJSON(results) !== text) throw new Error('not laid out as experimentResultsToJSON');
    console.log(
      `valid ${file}: ${results.runs.length} runs, hash ${hash.slice(0, 12)}…, layout as experimentResultsToJSON`,
    );
  } catch (error) {
    console.log(`INVALID ${file}: ${(error as Error).message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
