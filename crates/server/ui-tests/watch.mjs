// The watchlists page of the Chronicle web UI in headless Chromium (playwright-core).
//
//   node watch.mjs URL OUTDIR TOKEN
//
// URL is a running server over a store with watchlists, at least one of them with events
// stored after it, whose write token is TOKEN and whose POST /api/articles takes a stored
// record's JSON (written by crates/server/tests/ui_watch.rs). Checks, against the API:
// each watchlist shows the number of its events new since its cursor and lists them with
// links to their article; "mark as seen" empties it and is remembered across a reload; an
// article stored while the page is open shows up through /api/live without a reload.
// Exits 0 when every check passes, 1 with the failures listed.

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base0, outDir, token] = process.argv.slice(2);
if (!base0 || !outDir || !token) {
  console.error('usage: node watch.mjs URL OUTDIR TOKEN');
  process.exit(2);
}
const base = base0.endsWith('/') ? base0 : `${base0}/`;
const origin = new URL(base).origin;
mkdirSync(outDir, { recursive: true });

const failures = [];
let checks = 0;
function check(ok, what) {
  checks += 1;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
page.setDefaultTimeout(15000);
const problems = [];
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.on('console', (m) => {
  if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
});
page.on('request', (req) => {
  const u = req.url();
  if (!u.startsWith(origin) && !u.startsWith('data:')) problems.push(`request to another origin: ${u}`);
});
page.on('response', (res) => {
  if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
});

async function api(path, params) {
  const u = new URL(path, base);
  for (const [k, v] of Object.entries(params || {})) u.searchParams.set(k, String(v));
  const res = await page.request.get(u.toString());
  if (!res.ok()) throw new Error(`${path}: HTTP ${res.status()}`);
  return res.json();
}

async function open(hash) {
  await page.goto(`${base}${hash}`);
  await page.waitForSelector('main[data-ready="true"]');
  const err = await page.$('main .error');
  if (err) failures.push(`${hash}: the page shows an error: ${await err.textContent()}`);
}

/** The card of watchlist `name` (found by comparing names: a name may be any text). */
async function card(name) {
  for (const c of await page.$$('section.watchlist')) {
    if ((await c.getAttribute('data-watchlist')) === name) return c;
  }
  return null;
}

async function shownNew(name) {
  const c = await card(name);
  return c ? c.$eval('.new-count', (el) => el.dataset.new) : null;
}

/** Waits until `f()` is true (polling), up to `ms`. */
async function until(f, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await f()) return true;
    await page.waitForTimeout(100);
  }
  return f();
}

try {
  const lists = await api('api/watchlists');
  check(lists.count > 0, `the store has watchlists (${lists.count})`);
  await open('#/watchlists');
  check(await page.$eval('.nav a.active', (a) => a.dataset.page) === 'watchlists', 'the Watchlists tab is active');
  const expected = new Map();
  for (const w of lists.watchlists) {
    const ev = await api('api/events', Object.assign({}, w.filter, { after: w.cursor, limit: 200 }));
    expected.set(w.name, ev);
    const c = await card(w.name);
    check(c !== null, `watchlist ${JSON.stringify(w.name)} has a card`);
    if (!c) continue;
    check(await c.$eval('h2', (el) => el.textContent) === w.name, `its name is shown as text (${JSON.stringify(w.name)})`);
    check(await shownNew(w.name) === String(ev.count), `${w.name}: ${ev.count} new since its cursor ${w.cursor}`);
    const rows = await c.$$eval('tr.watch-event', (rs) => rs.map((r) => ({ id: Number(r.dataset.globalId), href: r.querySelector('.evidence-cell a').getAttribute('href') })));
    check(rows.length === ev.count && rows.every((r) => r.id > w.cursor), `${w.name}: lists its ${ev.count} new events, all after ${w.cursor}`);
    check(rows.every((r) => r.href.startsWith('#/article/') && r.href.includes('event=')), `${w.name}: each links to its event in the article`);
  }
  const busy = lists.watchlists.find((w) => expected.get(w.name).count > 0);
  check(busy !== undefined, 'a watchlist has new events');
  await page.waitForSelector('#live-status[data-state="live"]');
  check(await page.$eval('#live-status', (el) => el.dataset.lastEventId) === String(lists.last_event_id),
    `the live feed reports the newest event (${lists.last_event_id})`);
  check(await page.evaluate(() => window.__pwned) === undefined, 'no markup in a watchlist name ran');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(outDir, 'watchlists.png'), fullPage: true });
  console.log(`  saved ${join(outDir, 'watchlists.png')}`);

  if (busy) {
    const newest = Math.max(...expected.get(busy.name).events.map((e) => e.global_id));
    await (await (await card(busy.name)).$('button.mark-seen')).click();
    check(await until(async () => (await shownNew(busy.name)) === '0', 5000), `${busy.name}: "mark as seen" leaves nothing new`);
    const stored = await page.evaluate((n) => localStorage.getItem(`chronicle.seen.${n}`), busy.name);
    check(stored !== null && JSON.parse(stored).id === newest, `${busy.name}: the marker is the newest shown report (${newest}): ${stored}`);
    await open('#/watchlists');
    check(await shownNew(busy.name) === '0', `${busy.name}: still nothing new after a reload`);
    await page.waitForSelector('#live-status[data-state="live"]');

    // A new article while the page is open: the count follows through /api/live.
    const first = expected.get(busy.name).events[0];
    const rec = await api(`api/articles/${encodeURIComponent(first.article_id)}`);
    rec.id = `${rec.id}-live`;
    const res = await page.request.post(new URL('api/articles', base).toString(), {
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      data: JSON.stringify(rec),
    });
    check(res.ok(), `an article is stored while the page is open (HTTP ${res.status()})`);
    const after = await api('api/watchlists');
    check(after.last_event_id > lists.last_event_id, `the store's newest event moved (${lists.last_event_id} -> ${after.last_event_id})`);
    const live = await until(async () => (await shownNew(busy.name)) === '1', 10000);
    check(live, `${busy.name}: 1 new, shown live without a reload (shows ${await shownNew(busy.name)})`);
    check(await page.$eval('#live-status', (el) => el.dataset.lastEventId) === String(after.last_event_id), 'the live status follows the newest event');
    const row = await (await card(busy.name)).$eval('tr.watch-event', (r) => r.dataset.articleId);
    check(row === rec.id, `the new event is listed (${row})`);
    await page.screenshot({ path: join(outDir, 'watchlists-live.png'), fullPage: true });
    console.log(`  saved ${join(outDir, 'watchlists-live.png')}`);
    // Its evidence opens the event in its article.
    await (await (await card(busy.name)).$('tr.watch-event .evidence-cell a')).click();
    await page.waitForSelector('#event-detail');
    check(page.url().includes(`/article/${encodeURIComponent(rec.id)}`), 'the evidence link opens the article on the event');
  }
} catch (err) {
  failures.push(`unexpected: ${err && err.stack ? err.stack : err}`);
  try {
    await page.screenshot({ path: join(outDir, 'watchlists-failure.png'), fullPage: true });
  } catch (_) {
    /* the browser is gone */
  }
}

for (const p of problems) failures.push(p);
await browser.close();
console.log(`${checks} checks, ${failures.length} failure(s)`);
for (const f of failures) console.log(`FAIL: ${f}`);
process.exit(failures.length ? 1 : 0);
