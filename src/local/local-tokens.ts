/**
 * Local mode only: ready-made staff accounts so a newcomer can try the admin API
 * (and the console) at once. Their tokens are kept in a file beside the local
 * database, since the database itself stores only hashes. Never used with a token.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StaffRole } from '../db/schema/index.js';
import type { StaffService } from '../staff/staff-service.js';

export interface LocalToken {
  name: string;
  role: StaffRole;
  token: string;
  /** The local chat previews go to (open it in the browser chat's user switcher). */
  chatId?: number;
}

/** Local staff accounts' chats: ids far from simulated migrants (100001…). */
export const LOCAL_STAFF_CHAT_BASE = 900_000;

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
    const { member, token } = await staff.add(a.name, a.role);
    // In local mode, previews go to a chat of its own that the browser chat can open.
    await staff.setTelegramChat(member.id, String(LOCAL_STAFF_CHAT_BASE + member.id));
    created.push({ ...a, token, chatId: LOCAL_STAFF_CHAT_BASE + member.id });
  }
  // On PostgreSQL nothing else creates the data folder.
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}
