/**
 * The web app's service worker: keeps the app (page, script, styles, texts with the
 * rights cards) so it opens with no connection, and shows Web Push notices.
 * Files come from the network first (so an update shows at once); with no
 * connection, or one slower than SLOW_MS, from the cache. The API is never cached here: the app keeps its own offline data.
 */
/// <reference lib="webworker" />
const sw = self as unknown as ServiceWorkerGlobalScope;
declare const BUILD_ID: string;

const CACHE = `pravo-app-${BUILD_ID}`;
/** How long the network may take before the cached app is shown instead. */
const SLOW_MS = 4_000;
const SHELL = ['/app/', '/app/app.js', '/app/app.css', '/app/strings.json', '/app/manifest.webmanifest', '/app/icon.svg', '/app/icon-192.png'];

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(SHELL))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('pravo-app-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => sw.clients.claim()),
  );
});

sw.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== sw.location.origin || !url.pathname.startsWith('/app/') || url.pathname.startsWith('/app/api/')) return;
  const key = req.mode === 'navigate' ? '/app/' : url.pathname;
  const network = fetch(req).then(async (res) => {
    if (res.ok && SHELL.includes(key)) {
      const copy = res.clone();
      await caches.open(CACHE).then((c) => c.put(key, copy));
    }
    return res;
  });
  // Keep refreshing the cache even when the cached copy answered first.
  event.waitUntil(network.catch(() => undefined));
  event.respondWith(
    new Promise<Response>((resolve) => {
      let done = false;
      const finish = (r: Response) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(r);
      };
      // On a slow or throttled connection, the copy on the phone after SLOW_MS.
      const timer = setTimeout(async () => {
        const cached = await caches.match(key);
        if (cached) finish(cached);
      }, SLOW_MS);
      network.then(finish, async () => finish((await caches.match(key)) ?? Response.error()));
    }),
  );
});

sw.addEventListener('push', (event) => {
  let data: { title?: string; body?: string; url?: string } = {};
  try {
    data = event.data?.json() ?? {};
  } catch {
    // A notice we cannot read still says that something came.
  }
  event.waitUntil(sw.registration.showNotification(data.title ?? 'Pravo', { body: data.body ?? '', icon: '/app/icon-192.png', tag: 'pravo', data: { url: data.url ?? '/app/' } }));
});

sw.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    sw.clients.matchAll({ type: 'window' }).then((wins) => {
      const open = wins.find((w) => new URL(w.url).pathname.startsWith('/app/'));
      return open ? open.focus() : sw.clients.openWindow('/app/');
    }),
  );
});

export type {};
