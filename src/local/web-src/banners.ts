import { TOAST_MS, dom } from './page.js';
import { state } from './state.js';

// ---------------------------------------------------------------------------
// Error banner, toast, alert, connection status
// ---------------------------------------------------------------------------

export let errorSource: string | null = null;

export function showError(message, source = 'request') {
  errorSource = source;
  dom.errorText.textContent = message;
  dom.errorBanner.hidden = false;
}

export function clearError(source?: string) {
  if (source && errorSource !== source) return;
  errorSource = null;
  dom.errorBanner.hidden = true;
  dom.errorText.textContent = '';
}

export let toastTimer: ReturnType<typeof setTimeout> | undefined;
export function showToast(text) {
  clearTimeout(toastTimer);
  dom.toast.textContent = text;
  dom.toast.classList.add('toast--visible');
  toastTimer = setTimeout(() => {
    dom.toast.classList.remove('toast--visible');
    toastTimer = setTimeout(() => {
      dom.toast.textContent = '';
    }, 300);
  }, TOAST_MS);
}

export function showAlert(text) {
  const d = dom.alertDialog;
  if (typeof d.showModal !== 'function') {
    window.alert(text);
    return;
  }
  dom.alertTitle.textContent = botDisplayName();
  dom.alertText.textContent = text;
  if (d.open) d.close();
  d.showModal();
}

export function setConnected(ok) {
  if (state.connected === ok) return;
  state.connected = ok;
  updateStatusLine();
}

export function updateStatusLine() {
  let text: string;
  let st: string;
  if (state.connected === false) {
    text = 'reconnecting…';
    st = 'offline';
  } else if (state.inflight > 0) {
    text = 'processing…';
    st = 'busy';
  } else if (state.connected === true) {
    text = 'local';
    st = 'online';
  } else {
    text = 'connecting…';
    st = 'connecting';
  }
  if (dom.conn.textContent !== text) dom.conn.textContent = text;
  dom.conn.dataset.state = st;
}

export function botDisplayName() {
  return state.bot.first_name || 'Pravo';
}
