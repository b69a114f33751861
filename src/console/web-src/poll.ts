import { loadAlerts } from './alerts.js';
import { refreshCase } from './case-view.js';
import { POLL_MS } from './constants.js';
import { canWork } from './helpers.js';
import { loadQueue } from './queue.js';
import { state } from './state.js';
import { loadStats } from './stats.js';

// ---------------------------------------------------------------------------
// Live updates
// ---------------------------------------------------------------------------

export function schedulePoll() {
  clearTimeout(state.pollTimer);
  if (!state.me || document.hidden) return;
  state.pollTimer = setTimeout(pollTick, POLL_MS);
}

export async function pollTick() {
  clearTimeout(state.pollTimer);
  if (!state.me || document.hidden || state.polling) return;
  state.polling = true;
  try {
    const jobs: Promise<unknown>[] = [];
    if (canWork()) jobs.push(loadQueue('poll'));
    if (state.current && state.route.page === 'queue') jobs.push(refreshCase({ poll: true }));
    if (state.route.page === 'stats') jobs.push(loadStats({ quiet: true }));
    if (state.route.page === 'alerts') jobs.push(loadAlerts({ quiet: true }));
    await Promise.all(jobs);
  } finally {
    state.polling = false;
    schedulePoll();
  }
}
