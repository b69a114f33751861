/**
 * "Temporarily unavailable" at most once per chat per outage. An outage starts
 * with the first update that fails for an infrastructure reason and ends with the
 * first update handled in full; while it lasts Telegram keeps redelivering the
 * failed updates, and the user must not get the apology again for each of them.
 */
export interface OutageNotices {
  /** True the first time a chat asks during this outage (and remembers it). */
  firstInOutage(chatId: number): boolean;
  /** True once per update id (the SOS card is answered once per /sos, not per redelivery). */
  firstForUpdate(updateId: number): boolean;
  /** An update went through: the outage, if any, is over. */
  over(): void;
  readonly active: boolean;
}

/** Caps memory while a long outage meets many chats (beyond it, a chat may be told twice). */
const MAX_REMEMBERED = 100_000;

export function createOutageNotices(): OutageNotices {
  const told = new Set<number>();
  const sosAnswered = new Set<number>();
  let active = false;
  return {
    firstInOutage(chatId) {
      active = true;
      if (told.has(chatId) || told.size >= MAX_REMEMBERED) return false;
      told.add(chatId);
      return true;
    },
    firstForUpdate(updateId) {
      active = true;
      if (sosAnswered.has(updateId) || sosAnswered.size >= MAX_REMEMBERED) return false;
      sosAnswered.add(updateId);
      return true;
    },
    over() {
      if (!active) return;
      active = false;
      told.clear();
      sosAnswered.clear();
    },
    get active() {
      return active;
    },
  };
}
