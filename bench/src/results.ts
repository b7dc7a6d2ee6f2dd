import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('../', import.meta.url));
const bodyFile = path.join(benchDir, '.logs', 'results-body.md');

/**
 * RESULTS.md = the measured part of the last run (kept in .logs/results-body.md) followed by
 * ANALYSIS.md, the hand-written explanations, so that the notes can be revised without a rerun.
 */
export function writeResults(body?: string): void {
  if (body !== undefined) writeFileSync(bodyFile, body);
  const measured = readFileSync(bodyFile, 'utf8');
  const analysisFile = path.join(benchDir, 'ANALYSIS.md');
  const analysis = existsSync(analysisFile) ? readFileSync(analysisFile, 'utf8') : '';
  writeFileSync(path.join(benchDir, 'RESULTS.md'), `${measured}\n${analysis}`);
}
