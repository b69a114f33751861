/** Domain errors of the lawyer queue; the HTTP layer maps them to 404 / 409. */
export class CaseNotFoundError extends Error {
  override readonly name = 'CaseNotFoundError';
  constructor(readonly caseId: number) {
    super(`case ${caseId} not found`);
  }
}

export class CaseConflictError extends Error {
  override readonly name = 'CaseConflictError';
}
