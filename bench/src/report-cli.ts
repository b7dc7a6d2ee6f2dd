import { writeResults } from './results.ts';

/** `pnpm --filter @tagging/bench report`: rewrites RESULTS.md from the last run and ANALYSIS.md. */
writeResults();
