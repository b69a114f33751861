/**
 * Bundled in place of the `whatwg-url` package (scripts/build-server.mjs). node-fetch, which
 * grammY uses, requires it only for `Url.URL || whatwgUrl.URL`: a fallback for a Node without
 * `URL`. Loading it (and its 260 KB Unicode table, tr46) took a part of every cold start.
 */
module.exports = { URL: globalThis.URL, URLSearchParams: globalThis.URLSearchParams };
