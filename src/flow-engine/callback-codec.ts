/**
 * Compact callback data for flow buttons. Telegram allows 64 bytes; we send ids and an
 * option index, never a label (a Cyrillic label would take two bytes a letter).
 * The flow version is inside, so a button from an older version is recognised as stale.
 */

export interface FlowChoiceData {
  flowId: string;
  version: number;
  node: string;
  option: number;
}

export function encodeFlowChoice(flowId: string, version: number, node: string, option: number): string {
  return `q:${flowId}:${version}:${node}:${option}`;
}

export function decodeFlowChoice(data: string): FlowChoiceData | undefined {
  const m = /^q:([a-z0-9-]+):(\d+):([a-z0-9-]+):(\d+)$/.exec(data);
  if (!m) return undefined;
  return { flowId: m[1]!, version: Number(m[2]), node: m[3]!, option: Number(m[4]) };
}
