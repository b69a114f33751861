/**
 * `npm run staff -- add --name "Anna K." --role lawyer` prints a new token once;
 * `npm run staff -- list`; `npm run staff -- revoke --id 3`.
 * Uses DATABASE_URL, or the local PGlite database (stop `npm start` first: PGlite
 * allows one process at a time).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { STAFF_ROLES, type StaffRole } from '../db/schema/index.js';
import { createStaffService } from '../staff/staff-service.js';

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, role: { type: 'string' }, id: { type: 'string' }, chat: { type: 'string' } } });
  const config = loadConfig();
  const database = await openDatabase({ url: config.DATABASE_URL, pgliteDir: config.DATABASE_URL ? undefined : config.PGLITE_DIR });
  await database.migrate();
  const staff = createStaffService({ db: database.db, clock: () => new Date() });
  try {
    if (command === 'add') {
      if (!values.name?.trim()) throw new Error('--name is required');
      if (!STAFF_ROLES.includes(values.role as StaffRole)) throw new Error(`--role must be one of ${STAFF_ROLES.join(', ')}`);
      const { member, token } = await staff.add(values.name.trim(), values.role as StaffRole);
      console.log(`Created ${member.role} #${member.id} "${member.name}". Token (shown only now, keep it secret):\n${token}`);
    } else if (command === 'list') {
      for (const s of await staff.list()) {
        console.log(`#${s.id}\t${s.role}\t${s.name}\t${s.revokedAt ? `revoked ${s.revokedAt.toISOString()}` : 'active'}`);
      }
    } else if (command === 'chat') {
      const id = Number(values.id);
      if (!Number.isSafeInteger(id) || !values.chat || !/^-?\d+$/.test(values.chat)) throw new Error('usage: npm run staff -- chat --id N --chat TELEGRAM_CHAT_ID');
      console.log((await staff.setTelegramChat(id, values.chat)) ? `Previews for #${id} go to chat ${values.chat}.` : `No account #${id}.`);
    } else if (command === 'revoke') {
      const id = Number(values.id);
      if (!Number.isSafeInteger(id)) throw new Error('--id is required');
      console.log((await staff.revoke(id)) ? `Revoked #${id}.` : `No active account #${id}.`);
    } else {
      throw new Error('usage: npm run staff -- add --name NAME --role lawyer|staff|admin | list | revoke --id N | chat --id N --chat CHAT_ID');
    }
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
