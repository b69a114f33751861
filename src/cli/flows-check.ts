/**
 * `npm run flows:check`: every flow file valid, every node reachable, no dead ends
 * or loops, every outcome sourced and dated, every text in every language.
 * `--sync` rewrites locales/ru/flows.json from the flow files first.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FlowDefinitionError } from '../flow-engine/errors.js';
import { checkFlowLinks, isFlowFile, parseFlow } from '../flow-engine/loader.js';
import { existsSync } from 'node:fs';
import { acceptTranslations, checkLocales, checkTranslationFreshness, expectedRussianFlowTexts, type SourcesLock } from '../flow-engine/locale-check.js';
import type { Flow } from '../flow-engine/schema.js';
import { readLocales } from '../i18n/i18n.js';
import { checkFlowsAgainstModel, externalFacts, loadModel, type SituationModel } from '../situation/model.js';
import { checkFlowDocuments, createDocumentSet, type DocumentSet, loadDocuments } from '../documents/documents.js';

const FLOWS_DIR = process.env.FLOWS_DIR ?? 'flows';
const LOCALES_DIR = process.env.LOCALES_DIR ?? 'locales';

async function main() {
  const sync = process.argv.includes('--sync');
  const problems: string[] = [];
  const flows: Flow[] = [];
  let model: SituationModel | undefined;
  try {
    model = await loadModel(FLOWS_DIR);
  } catch (err) {
    if (!(err instanceof FlowDefinitionError)) throw err;
    problems.push(`flows/${err.message}`);
  }
  const external = model ? externalFacts(model) : undefined;
  for (const name of (await readdir(FLOWS_DIR)).filter(isFlowFile).sort()) {
    try {
      flows.push(parseFlow(name, await readFile(join(FLOWS_DIR, name), 'utf8'), external));
    } catch (err) {
      if (!(err instanceof FlowDefinitionError)) throw err;
      problems.push(`flows/${err.message}`);
    }
  }
  if (!problems.length) problems.push(...checkFlowLinks(flows).map((p) => `flows/${p.file}: ${p.problem}`));
  if (model && !problems.length) problems.push(...checkFlowsAgainstModel(model, flows).map((p) => `flows: ${p}`));
  let documents: DocumentSet = createDocumentSet([]);
  try {
    documents = await loadDocuments(FLOWS_DIR, model);
  } catch (err) {
    if (!(err instanceof FlowDefinitionError)) throw err;
    problems.push(`flows/${err.message}`);
  }
  if (!problems.length) problems.push(...checkFlowDocuments(flows, documents).map((p) => `flows: ${p}`));
  if (sync && !problems.length) {
    const file = join(LOCALES_DIR, 'ru', 'flows.json');
    await writeFile(file, `${JSON.stringify(expectedRussianFlowTexts(flows, model, documents), null, 2)}\n`);
    console.log(`wrote ${file}`);
  }
  if (!problems.length) {
    const resources = await readLocales(LOCALES_DIR);
    const lockFile = join(LOCALES_DIR, 'sources.lock.json');
    let lock: SourcesLock = existsSync(lockFile) ? JSON.parse(await readFile(lockFile, 'utf8')) : {};
    const accept = process.argv.indexOf('--accept');
    if (accept >= 0) {
      const languages = process.argv.slice(accept + 1).filter((a) => !a.startsWith('--'));
      lock = acceptTranslations(resources, lock, languages);
      await writeFile(lockFile, `${JSON.stringify(lock, null, 1)}\n`);
      console.log(`marked translations of ${languages.join(', ')} as up to date in ${lockFile}`);
    }
    problems.push(...checkLocales(flows, resources, model, documents), ...checkTranslationFreshness(resources, lock));
  }
  if (problems.length) {
    console.error(`flows:check found ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  const nodes = flows.reduce((n, f) => n + Object.keys(f.nodes).length, 0);
  const rules = model?.rules.length ?? 0;
  const facts = Object.keys(model?.facts ?? {}).length;
  console.log(`flows:check ok: ${flows.length} flows, ${nodes} nodes, ${facts} facts, ${rules} rules, ${documents.list.length} documents, all locales complete`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
