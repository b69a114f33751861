/** A flow file that cannot be run. The message names the file, node and problem. */
export class FlowDefinitionError extends Error {
  override readonly name = 'FlowDefinitionError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}:\n  - ${problems.join('\n  - ')}`);
  }
}
