/**
 * Local mode only: ready-made staff accounts so a newcomer can try the admin API
 * (and the console) at once. Their tokens are kept in a file beside the local
 * database, since the database itself stores only hashes. Never used with a token.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StaffRole } from '../db/schema/index.js';
import type { StaffService } from '../staff/staff-service.js';

export interface LocalToken {
  name: string;
  role: StaffRole;
  token: string;
}

const ACCOUNTS: { name: string; role: StaffRole }[] = [
  { name: 'Local lawyer', role: 'lawyer' },
  { name: 'Local lawyer 2', role: 'lawyer' },
  { name: 'Local staff', role: 'staff' },
  { name: 'Local admin', role: 'admin' },
];

export function localTokensFile(pgliteDir: string): string {
  return join(dirname(pgliteDir), 'local-tokens.json');
}

export async function ensureLocalTokens(staff: StaffService, file: string): Promise<LocalToken[]> {
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as LocalToken[];
    const valid = await Promise.all(saved.map((t) => staff.authenticate(t.token)));
    if (valid.every(Boolean)) return saved;
  }
  const created: LocalToken[] = [];
  for (const a of ACCOUNTS) {
    const { token } = await staff.add(a.name, a.role);
    created.push({ ...a, token });
  }
  writeFileSync(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}
