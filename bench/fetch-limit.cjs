// Preloaded into linkinator (NODE_OPTIONS=--require) by bench/run.sh.
//
// linkinator 7.6.1 starts every crawl before its queue grants a slot, so
// --concurrency does not bound the requests in flight (fixed upstream in
// JustinBeckwith/linkinator#847, in releases that need Node >= 22): on the
// bench district it had thousands of requests open at once and reported
// thousands of valid pages as broken (status 0, fetch failed). This shim
// makes --concurrency mean what it says: at most BENCH_FETCH_LIMIT fetch()
// calls wait for a response at any time. A slot is held until the response
// headers arrive; on loopback the small bodies arrive with them.
'use strict';
const limit = Number(process.env.BENCH_FETCH_LIMIT || 0);
if (limit > 0 && typeof globalThis.fetch === 'function') {
  const orig = globalThis.fetch;
  let active = 0;
  const waiting = [];
  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) next();
  };
  globalThis.fetch = async function limitedFetch(...args) {
    if (active >= limit) {
      await new Promise((resolve) => waiting.push(resolve));
    }
    active++;
    try {
      return await orig.apply(this, args);
    } finally {
      release();
    }
  };
}
