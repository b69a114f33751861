/**
 * Loads all content of `flows/`: the situation model (facts and rules) first, then the
 * flows, checked against it. One entry point for the bot, the reload and the tools.
 */
import { FlowDefinitionError } from '../flow-engine/errors.js';
import { type FlowSet, loadFlows } from '../flow-engine/loader.js';
import { checkFlowDocuments, type DocumentSet, loadDocuments } from '../documents/documents.js';
import { checkFlowsAgainstModel, externalFacts, loadModel, type SituationModel } from './model.js';

export interface Content {
  flows: FlowSet;
  model: SituationModel;
  /** Russian document templates (`flows/documents/`), checked against the model's facts. */
  documents: DocumentSet;
}

export async function loadContent(dir: string): Promise<Content> {
  const model = await loadModel(dir);
  const flows = await loadFlows(dir, externalFacts(model));
  const documents = await loadDocuments(dir, model);
  const problems = [...checkFlowsAgainstModel(model, flows.list), ...checkFlowDocuments(flows.list, documents)];
  if (problems.length) throw new FlowDefinitionError(dir, problems);
  return { flows, model, documents };
}
