/**
 * `npm run flows:check`: every flow file valid, every node reachable, no dead ends
 * or loops, every outcome sourced and dated, every text in every language.
 * `--sync` rewrites locales/ru/flows.json from the flow files first.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FlowDefinitionError } from '../flow-engine/errors.js';
import { isFlowFile, parseFlow } from '../flow-engine/loader.js';
import { checkLocales, expectedRussianFlowTexts } from '../flow-engine/locale-check.js';
import type { Flow } from '../flow-engine/schema.js';
import { readLocales } from '../i18n/i18n.js';

const FLOWS_DIR = process.env.FLOWS_DIR ?? 'flows';
const LOCALES_DIR = process.env.LOCALES_DIR ?? 'locales';

async function main() {
  const sync = process.argv.includes('--sync');
  const problems: string[] = [];
  const flows: Flow[] = [];
  for (const name of (await readdir(FLOWS_DIR)).filter(isFlowFile).sort()) {
    try {
      flows.push(parseFlow(name, await readFile(join(FLOWS_DIR, name), 'utf8')));
    } catch (err) {
      if (!(err instanceof FlowDefinitionError)) throw err;
      problems.push(`flows/${err.message}`);
    }
  }
  if (sync && !problems.length) {
    const file = join(LOCALES_DIR, 'ru', 'flows.json');
    await writeFile(file, `${JSON.stringify(expectedRussianFlowTexts(flows), null, 2)}\n`);
    console.log(`wrote ${file}`);
  }
  if (!problems.length) problems.push(...checkLocales(flows, await readLocales(LOCALES_DIR)));
  if (problems.length) {
    console.error(`flows:check found ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  const nodes = flows.reduce((n, f) => n + Object.keys(f.nodes).length, 0);
  console.log(`flows:check ok: ${flows.length} flows, ${nodes} nodes, all locales complete`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
