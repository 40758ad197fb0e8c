// Script injection test of the Chronicle web UI in headless Chromium (playwright-core).
//
//   node xss.mjs URL OUTDIR ARTICLE_ID
//
// URL is a running `chronicle serve` over a store holding ARTICLE_ID, an article whose
// title, source, URL, author, text, entities, quotes and events carry script payloads
// that set `window.__pwned` (written by crates/cli/tests/ui.rs). Every page that shows
// that article's data is opened and hovered; the test fails if any payload ran, if the
// page's Content-Security-Policy had to block one (that would mean the UI put article text
// into the page as HTML, and only the policy saved it), or if the text is not shown
// literally. Exits 0 when every check passes, 1 with the failures listed.

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base0, outDir, articleId] = process.argv.slice(2);
if (!base0 || !outDir || !articleId) {
  console.error('usage: node xss.mjs URL OUTDIR ARTICLE_ID');
  process.exit(2);
}
const base = base0.endsWith('/') ? base0 : `${base0}/`;
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
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
page.setDefaultTimeout(15000);
const ran = [];
page.on('dialog', async (d) => {
  ran.push(`a dialog opened: ${d.message()}`);
  await d.dismiss();
});
// Counts what the page's policy refused: a refusal means markup from the data reached the
// DOM as HTML.
await page.addInitScript(() => {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push(`${e.violatedDirective}: ${e.blockedURI || ''} ${e.sample || ''}`);
  });
});

async function verdict(where) {
  const { pwned, violations } = await page.evaluate(() => ({ pwned: window.__pwned, violations: window.__violations || [] }));
  check(pwned === undefined, `${where}: no payload ran${pwned === undefined ? '' : ` (it set __pwned = ${pwned})`}`);
  check(violations.length === 0, `${where}: nothing for the security policy to block${violations.length ? ` (${violations.join('; ')})` : ''}`);
}

async function open(hash) {
  await page.goto(`${base}${hash}`);
  await page.waitForSelector('main[data-ready="true"]');
}

/** Hovers each element matching `sel` (tooltips and titles are rendered on hover). */
async function hoverAll(sel, most = 40) {
  const els = (await page.$$(sel)).slice(0, most);
  for (const e of els) {
    try {
      await e.hover({ timeout: 2000 });
      await page.waitForTimeout(30);
    } catch (_) {
      /* off screen or covered: the next one */
    }
  }
  return els.length;
}

try {
  const rec = await (await page.request.get(new URL(`api/articles/${encodeURIComponent(articleId)}`, base).toString())).json();
  check(rec.title.includes('<script>') && rec.text.includes('onerror'), 'the stored article carries the payloads');

  await open('#/');
  check((await page.$eval(`.article-row[data-article-id="${articleId}"] a`, (a) => a.textContent)) === rec.title,
    'home: the title is shown as text, markup and all');
  await hoverAll('.article-row a');
  await verdict('home');

  await open(`#/article/${encodeURIComponent(articleId)}`);
  check((await page.$eval('#article-title', (e) => e.textContent)) === rec.title, 'article: the title is text');
  check((await page.$eval('#article-text', (e) => e.textContent)) === rec.text, 'article: the text is shown whole, as text');
  const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
  check(!links.some((h) => /^\s*(javascript|data|vbscript):/i.test(h)), 'article: no javascript:/data: link (the article URL is one)');
  check(rec.entities.length + rec.quotes.length + rec.events.length > 0, `article: the payload text was extracted (${rec.entities.length} entities, ${rec.quotes.length} quotes, ${rec.events.length} events)`);
  await hoverAll('#article-text .ent, #article-text .quote, #article-text .trigger');
  for (const t of (await page.$$('#article-text .trigger')).slice(0, 10)) {
    await t.click();
    await page.waitForTimeout(50);
  }
  // An event's reporter (its name a payload) is shown in the event detail as text.
  const reported = rec.events.find((v) => v.reporter);
  check(Boolean(reported), 'article: an event carries a reporter');
  if (reported) {
    await page.click(`#article-text .trigger[data-event-ids~="${reported.id}"]`);
    const shown = await page.$eval('#event-reporter', (e) => e.textContent);
    check(shown === ` reported by ${reported.reporter.text} (${reported.reporter.code})`,
      `article: the reporter is shown as text ("${shown}")`);
  }
  await page.click('.tabs button[data-tab="quotes"]').catch(() => {});
  for (const q of (await page.$$('#quote-list .quote-item')).slice(0, 10)) {
    await q.click().catch(() => {});
  }
  await page.screenshot({ path: join(outDir, 'xss-article.png'), fullPage: true });
  await verdict('article');

  await open(`#/timeline?article=${encodeURIComponent(articleId)}`);
  await page.waitForSelector('#timeline .vis-item, #timeline .empty');
  await hoverAll('#timeline .vis-item');
  await page.waitForTimeout(600); // vis-timeline shows its tooltip after a delay
  await hoverAll('#events-table tbody tr td');
  const first = await page.$('#timeline .vis-item .vis-item-content');
  if (first) await first.click();
  await verdict('timeline');

  await open(`#/network?article=${encodeURIComponent(articleId)}`);
  await page.waitForTimeout(500);
  await verdict('network');

  await open(`#/map?article=${encodeURIComponent(articleId)}`);
  await hoverAll('#map path.event-marker');
  const row = await page.$('#place-list .place-row');
  if (row) {
    await row.click();
    await page.waitForTimeout(400);
  }
  await verdict('map');

  // The query itself is a payload: it is shown back in the page.
  const q = '<img src=x onerror="window.__pwned=\'search\'"> Kremlin';
  await open(`#/search?q=${encodeURIComponent(q)}`);
  await page.waitForTimeout(300);
  await verdict('search');
  const word = rec.text.split(/\s+/).find((w) => /^[A-Za-z]{5,}$/.test(w)) || 'Kremlin';
  await open(`#/search?q=${encodeURIComponent(word)}`);
  await hoverAll('#article-results a, #quote-results a');
  await verdict('search results');
} catch (err) {
  failures.push(`unexpected: ${err && err.stack ? err.stack : err}`);
}

for (const r of ran) failures.push(r);
await browser.close();
console.log(`${checks} checks, ${failures.length} failure(s)`);
for (const f of failures) console.log(`FAIL: ${f}`);
process.exit(failures.length ? 1 : 0);
