// End-to-end test of the Chronicle web UI in headless Chromium (playwright-core).
//
//   node run.mjs URL OUTDIR [ARTICLE_ID]
//
// URL is a running `chronicle serve` over a store holding the seed article
// (crates/cli/fixtures/seed-peace-talks.jsonl); OUTDIR receives a PNG screenshot of every
// page. Expected values come from the API, never from strings written here, so the test
// follows the extractor. Exits 0 when every check passes, 1 with the failures listed.
// Run by crates/cli/tests/ui.rs; CHROMIUM overrides the browser (default /usr/bin/chromium).

import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [base0, outDir, articleId = 'seed-peace-talks'] = process.argv.slice(2);
if (!base0 || !outDir) {
  console.error('usage: node run.mjs URL OUTDIR [ARTICLE_ID]');
  process.exit(2);
}
const base = base0.endsWith('/') ? base0 : `${base0}/`;
const origin = new URL(base).origin;
mkdirSync(outDir, { recursive: true });

const failures = [];
let checks = 0;
function check(ok, what) {
  checks += 1;
  if (ok) console.log(`  ok   ${what}`);
  else {
    console.log(`  FAIL ${what}`);
    failures.push(what);
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
const page = await context.newPage();
page.setDefaultTimeout(15000);

// Nothing may come from another origin (the UI is offline by design), and the page must not
// throw or log errors.
const problems = [];
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.on('console', (m) => {
  if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
});
page.on('request', (req) => {
  const u = req.url();
  if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`request to another origin: ${u}`);
});
page.on('response', (res) => {
  if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
});

async function api(path) {
  const res = await page.request.get(new URL(path, base).toString());
  if (!res.ok()) throw new Error(`${path}: HTTP ${res.status()}`);
  return res.json();
}

/** Opens a hash route and waits until the page says it has rendered. */
async function open(hash) {
  await page.goto(`${base}${hash}`);
  await page.waitForSelector('main[data-ready="true"]');
  const err = await page.$('main .error');
  if (err) failures.push(`${hash}: the page shows an error: ${await err.textContent()}`);
}

async function shot(name) {
  // From the top, so the sticky bar sits at the top of the full-page image.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(0, 0); // no hover tooltip in the picture
  await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
  console.log(`  saved ${join(outDir, `${name}.png`)}`);
}

const cp = (s) => Array.from(s);
const slice = (chars, [s, e]) => chars.slice(s, e).join('');

try {
  // Home -------------------------------------------------------------------------------
  console.log('home');
  const list = await api('api/articles');
  await open('#/');
  const rows = await page.$$eval('.article-row', (rs) => rs.map((r) => r.dataset.articleId));
  check(rows.length === list.count && rows.includes(articleId), `home lists the ${list.count} stored articles, the seed among them`);
  // A row shows its title, or (untitled) the first sentence in place of one: never a
  // title-like line followed by "(untitled)".
  const rowTexts = await page.$$eval('.article-row .title-cell a', (as) => as.map((a) => a.textContent));
  check(!(await page.$eval('main', (m) => m.textContent)).includes('(untitled)'), 'no article is shown as "(untitled)"');
  check(list.articles.every((a, i) => !a.title || rowTexts[i] === a.title), 'articles with a title show it');
  await shot('home');

  // Article page -------------------------------------------------------------------------
  console.log('article');
  const rec = await api(`api/articles/${encodeURIComponent(articleId)}`);
  const chars = cp(rec.text);
  await open(`#/article/${encodeURIComponent(articleId)}`);
  const textContent = await page.$eval('#article-text', (el) => el.textContent);
  check(textContent === rec.text, 'the article text is shown whole and unchanged');

  const entIds = new Set(await page.$$eval('#article-text .ent[data-entity-id]', (els) => els.map((e) => e.dataset.entityId)));
  const withMentions = rec.entities.filter((e) => e.mentions.length);
  check(withMentions.length > 0 && withMentions.every((e) => entIds.has(e.id)), `all ${withMentions.length} entities with mentions are marked`);
  for (const t of ['PER', 'ORG', 'LOC', 'MISC']) {
    if (!rec.entities.some((e) => e.type === t && e.mentions.length)) continue;
    const bg = await page.$eval(`#article-text .ent-${t}`, (el) => getComputedStyle(el).backgroundColor);
    check(bg && bg !== 'rgba(0, 0, 0, 0)', `${t} entities are coloured (${bg})`);
  }
  // Every mention's marked text is its span of the text (code point offsets, curly quotes).
  let mentionsOk = 0;
  let mentionsAll = 0;
  for (const e of rec.entities) {
    const shown = await page.$$eval(`#article-text .ent[data-entity-id="${e.id}"]`, (els) => els.map((x) => x.textContent));
    for (const m of e.mentions) {
      mentionsAll += 1;
      if (shown.includes(slice(chars, m))) mentionsOk += 1;
    }
  }
  check(mentionsOk === mentionsAll, `every entity mention shows its own text (${mentionsOk}/${mentionsAll})`);
  const label = await page.$eval('#article-text .ent[data-label]', (el) => getComputedStyle(el, '::after').content);
  check(/PER|ORG|LOC|MISC/.test(label), `entity mentions carry a type label (${label})`);

  const quoteIds = new Set(await page.$$eval('#article-text .quote[data-quote-id]', (els) => els.map((e) => e.dataset.quoteId)));
  check(rec.quotes.length > 0 && rec.quotes.every((q) => quoteIds.has(q.id)), `all ${rec.quotes.length} quotes are marked`);
  const firstQuote = rec.quotes[0];
  const quoteText = (await page.$$eval(`#article-text .quote[data-quote-id="${firstQuote.id}"]`, (els) => els.map((e) => e.textContent))).join('');
  check(quoteText === slice(chars, [firstQuote.start, firstQuote.end]), `quote ${firstQuote.id} covers exactly its span`);

  const trigEvents = new Set((await page.$$eval('#article-text .trigger', (els) => els.map((e) => e.dataset.eventIds))).flatMap((s) => s.split(' ')));
  check(rec.events.length > 0 && rec.events.every((v) => trigEvents.has(v.id)), `all ${rec.events.length} event triggers are marked`);
  await shot('article');

  // The speaker of a quote: clicking it highlights the speaker entity's mentions.
  const spoken = rec.quotes.find((q) => q.speaker && rec.entities.some((e) => e.id === q.speaker));
  if (spoken) {
    await page.click('.tabs button[data-tab="quotes"]');
    await page.click(`#quote-list .quote-item[data-quote-id="${spoken.id}"] .speaker-link`);
    const speaker = rec.entities.find((e) => e.id === spoken.speaker);
    const focused = await page.$$eval('#article-text .ent.focus', (els) => els.map((e) => e.dataset.entityId));
    check(focused.length >= speaker.mentions.length && focused.every((id) => id === speaker.id),
      `clicking the speaker of ${spoken.id} highlights the ${speaker.mentions.length} mention(s) of ${speaker.name}`);
    check(await page.$(`#entity-detail[data-entity-id="${speaker.id}"]`) !== null, 'the speaker\'s details are shown');
    check(page.url().includes(`entity=${speaker.id}`), 'the selection is in the URL');
    await shot('article-speaker');
  } else {
    check(false, 'the seed has a quote attributed to a named speaker');
  }

  // An event: prefer one with both actors and a place, to show every detail.
  const ev = rec.events.find((v) => v.source && v.target && v.location) || rec.events.find((v) => v.source && v.target) || rec.events[0];
  const trigText = slice(chars, ev.trigger);
  const sentText = slice(chars, ev.sentence);
  await page.click(`#article-text .trigger[data-event-id="${ev.id}"]`);
  await page.waitForSelector(`#event-detail[data-event-id="${ev.id}"]`);
  const evidence = (await page.$$eval('#article-text .sent.evidence-main', (els) => els.map((e) => e.textContent))).join('');
  check(evidence === sentText, `clicking event ${ev.id} highlights its evidence sentence`);
  check(evidence.includes(trigText), `the evidence sentence contains the trigger “${trigText}”`);
  const selectedTrig = await page.$$eval('#article-text .trigger.selected', (els) => els.map((e) => e.textContent).join(''));
  check(selectedTrig === trigText, 'the event\'s trigger is marked as selected');
  const detail = await page.$eval('#event-detail', (el) => el.textContent);
  check(detail.includes(ev.cameo) && detail.includes(ev.plover.type), `the details name CAMEO ${ev.cameo} and PLOVER ${ev.plover.type}`);
  check(detail.includes(ev.modality), `the details give the modality (${ev.modality})`);
  if (ev.source) check(detail.includes(ev.source.text), `the details name the source (${ev.source.text})`);
  if (ev.target) check(detail.includes(ev.target.text), `the details name the target (${ev.target.text})`);
  if (ev.location) check(detail.includes(ev.location.name), `the details name the place (${ev.location.name})`);
  if (ev.date) check(detail.includes(ev.date), `the details give the date (${ev.date})`);
  // The evidence sentence's dependency parse, drawn from the API's parse of that sentence.
  const sentNo = rec.sentences.findIndex((s) => s[0] === ev.sentence[0] && s[1] === ev.sentence[1]) + 1;
  check(sentNo > 0, `the evidence sentence of ${ev.id} is one of the record's sentences`);
  if (sentNo > 0) {
    const parse = await api(`api/articles/${encodeURIComponent(articleId)}/sentences/${sentNo}/parse`);
    await page.waitForSelector('#event-detail svg.dep-svg');
    const drawn = await page.$eval('#event-detail svg.dep-svg', (el) => ({
      arcs: el.querySelectorAll('g.dep-arc path.dep-line').length,
      labels: [...el.querySelectorAll('g.dep-arc text.dep-label')].map((t) => t.textContent),
      words: [...el.querySelectorAll('g.dep-word text.dep-form')].map((t) => t.textContent),
      upos: [...el.querySelectorAll('g.dep-word text.dep-upos')].map((t) => t.textContent),
      wide: el.getBoundingClientRect().width,
    }));
    const nonRoot = parse.tokens.filter((t) => t.head !== 0);
    check(parse.tokens.length > 0 && parse.tokens.filter((t) => t.head === 0).length === 1, `the parse of sentence ${sentNo} has one root`);
    check(drawn.arcs === nonRoot.length, `the evidence sentence is drawn with one arc per non-root token (${drawn.arcs} of ${nonRoot.length})`);
    const want = nonRoot.map((t) => t.rel).sort();
    check(JSON.stringify([...drawn.labels].sort()) === JSON.stringify(want), 'each arc is labelled with its relation');
    check(JSON.stringify(drawn.words) === JSON.stringify(parse.tokens.map((t) => t.text)), 'the words are drawn in order');
    check(JSON.stringify(drawn.upos) === JSON.stringify(parse.tokens.map((t) => t.upos)), 'each word has its UPOS under it');
    check(parse.tokens.every((t) => t.text === slice(chars, [t.start, t.end])), 'each token of the parse is the text at its offsets');
    check(drawn.wide > 0, 'the parse is visible');
    const box = await page.$('#event-detail .dep-parse');
    await box.screenshot({ path: join(outDir, 'article-event-parse.png') });
    console.log(`  saved ${join(outDir, 'article-event-parse.png')}`);
  }
  await shot('article-event');

  // The event list beside the text selects too, and the URL opens straight on an event.
  const other = rec.events.find((v) => v.id !== ev.id && v.trigger.join() !== ev.trigger.join()) || ev;
  await page.click('.tabs button[data-tab="events"]');
  await page.click(`#event-list .event-item[data-event-id="${other.id}"]`);
  await page.waitForSelector(`#event-detail[data-event-id="${other.id}"]`);
  const ev2 = (await page.$$eval('#article-text .sent.evidence-main', (els) => els.map((e) => e.textContent))).join('');
  check(ev2 === slice(chars, other.sentence), `the event list selects ${other.id} and its evidence`);
  await open(`#/article/${encodeURIComponent(articleId)}?event=${ev.id}`);
  check(await page.$(`#event-detail[data-event-id="${ev.id}"]`) !== null, 'an ?event= link opens with that event selected');

  // Timeline ---------------------------------------------------------------------------
  console.log('timeline');
  await open('#/timeline');
  const events = await api('api/events?limit=1000');
  const dated = events.events.filter((e) => /^\d{4}(-\d{2}(-\d{2})?|-W\d{2})?/.test(e.date || '')).length;
  await page.waitForSelector('#timeline .vis-item');
  const items = await page.$$eval('#timeline .vis-item', (els) => els.length);
  check(items > 0, `the timeline draws events (${items} visible of ${dated} dated)`);
  const tableRows = await page.$$eval('#events-table tbody tr', (els) => els.length);
  check(tableRows === events.count, `the event table lists all ${events.count} events`);
  // The first view holds every dated event, the oldest and the newest with their labels.
  const dates = events.events.map((e) => e.date || '').filter((d) => /^\d{4}/.test(d)).sort();
  const win = await page.$eval('#timeline', (el) => [el.dataset.windowStart, el.dataset.windowEnd]);
  check(win[0] && win[0].slice(0, 10) <= dates[0].slice(0, 10) && win[1].slice(0, 10) > dates[dates.length - 1].slice(0, 10),
    `the first view (${win[0]} – ${win[1]}) spans the oldest (${dates[0]}) and newest (${dates[dates.length - 1]}) event`);
  const clipped = await page.evaluate(() => {
    const panel = document.querySelector('#timeline .vis-panel.vis-center').getBoundingClientRect();
    const out = [];
    for (const it of document.querySelectorAll('#timeline .vis-item:not(.vis-background)')) {
      const r = it.getBoundingClientRect();
      const c = it.querySelector('.vis-item-content');
      if (r.left < panel.left - 1 || r.right > panel.right + 1) out.push(`${it.textContent} runs off the view`);
      else if (c && c.scrollWidth > c.clientWidth + 1) out.push(`${it.textContent} is cut to ${c.clientWidth}px`);
    }
    return out;
  });
  check(clipped.length === 0, `every timeline label is whole and inside the view${clipped.length ? `: ${clipped.slice(0, 3).join('; ')}` : ''}`);
  await page.click('#timeline .vis-item.vis-point .vis-item-content');
  await page.waitForSelector('#timeline-detail .event-detail');
  check(true, 'selecting a timeline item shows its evidence');
  await shot('timeline');
  // Filters narrow it (by the seed's own events).
  await open(`#/timeline?article=${encodeURIComponent(articleId)}&plover=${encodeURIComponent(ev.plover.type)}`);
  const filtered = await api(`api/events?article=${encodeURIComponent(articleId)}&plover=${encodeURIComponent(ev.plover.type)}`);
  const fRows = await page.$$eval('#events-table tbody tr', (els) => els.length);
  check(fRows === filtered.count, `the timeline filters by PLOVER type (${fRows} = ${filtered.count})`);

  // Network ----------------------------------------------------------------------------
  console.log('network');
  const net = await api('api/network?limit=300');
  await open('#/network');
  const nodes = Number(await page.$eval('#network', (el) => el.dataset.nodes || '0'));
  check(nodes > 0 && nodes === net.nodes.length, `the network draws ${net.nodes.length} actors as nodes (${nodes})`);
  check(await page.$('#network canvas') !== null, 'the network is drawn on a canvas');
  const legend = await page.$$eval('#quad-legend .legend-item', (els) => els.map((e) => e.textContent));
  check(legend.length === 4, `the network has a QuadClass legend (${legend.join('; ')})`);
  // Labels readable: on screen at least 10 px high and no two overlapping.
  const labels = await page.$eval('#network', (el) => {
    const cy = el.cy;
    const boxes = cy.nodes().map((n) => n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false }));
    let pairs = 0;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        if (Math.min(a.x2, b.x2) > Math.max(a.x1, b.x1) && Math.min(a.y2, b.y2) > Math.max(a.y1, b.y1)) pairs += 1;
      }
    }
    const font = parseFloat(cy.nodes()[0].style('font-size')) * cy.zoom();
    return { pairs, font };
  });
  check(labels.pairs === 0, `no two actor labels overlap (${labels.pairs} overlapping pairs)`);
  check(labels.font >= 10, `actor labels are ${labels.font.toFixed(1)} px on screen`);
  await shot('network');

  // Map --------------------------------------------------------------------------------
  console.log('map');
  const places = await api('api/places?limit=1000');
  await open('#/map');
  await page.waitForSelector('#map path.country', { state: 'attached' });
  const countries = await page.$$eval('#map path.country', (els) => els.length);
  check(countries > 100, `the basemap draws country outlines (${countries} paths)`);
  const markers = await page.$$eval('#map path.event-marker', (els) => els.length);
  check(places.count > 0 && markers === places.count, `the map has a marker per place (${markers} of ${places.count})`);
  await page.click('#place-list .place-row');
  await page.waitForSelector('.leaflet-popup .popup-article');
  await page.waitForTimeout(400); // the popup's pan into view
  const href = await page.$eval('.leaflet-popup .popup-article', (a) => a.getAttribute('href'));
  check(href.startsWith('#/article/'), `a marker's popup links to its article (${href})`);
  await shot('map');
  // Regions are named in English where the gazetteer has an English name (its admin1.tsv
  // `english` column), and a place is named as the article writes it.
  const here = dirname(fileURLToPath(import.meta.url));
  const english = new Map();
  for (const line of readFileSync(join(here, '../../gazetteer/data/admin1.tsv'), 'utf8').split('\n')) {
    const f = line.split('\t');
    if (!line.startsWith('#') && f[9]) english.set(f[2], f[9]);
  }
  const shownPlaces = await page.$$eval('#place-list .place-row', (rs) => rs.map((r) => r.querySelector('td').textContent));
  const localNamed = places.places.filter((p) => p.admin1 && english.has(p.admin1));
  check(localNamed.length === 0, `no place's region is given by its local name (${localNamed.map((p) => `${p.name}: ${p.admin1}`).join(', ') || 'none'})`);
  const mentions = new Set(rec.entities.flatMap((e) => e.mentions.map((m) => slice(chars, m))));
  const asWritten = places.places.filter((p, i) => mentions.has(p.name) && shownPlaces[i].trim().startsWith(p.name));
  check(asWritten.length > 0, `places are named as the article writes them (${asWritten.map((p) => p.name).join(', ')})`);
  const withRegion = places.places.find((p) => p.admin1 && [...english.values()].includes(p.admin1));
  if (withRegion) {
    const i = places.places.indexOf(withRegion);
    check(shownPlaces[i].includes(withRegion.admin1), `${withRegion.name} is shown in ${withRegion.admin1}`);
  }
  // No country outline jumps across the world at the antimeridian: zoomed out to the whole
  // world, no path segment spans more than half the world's width, except along its top
  // or bottom edge (Antarctica's ring closed along the pole).
  for (let i = 0; i < 8; i++) {
    const out = await page.$('.leaflet-control-zoom-out:not(.leaflet-disabled)');
    if (!out) break;
    await out.click();
    await page.waitForTimeout(400);
  }
  const stripes = await page.$$eval('#map path.country', (paths) => {
    const rings = paths.flatMap((p) => (p.getAttribute('d') || '').split(/[Mm]/).filter((r) => r.trim()).map((r) => {
      const nums = r.replace(/[LlZz]/g, ' ').trim().split(/[\s,]+/).map(Number);
      const pts = [];
      for (let k = 0; k + 1 < nums.length; k += 2) pts.push([nums[k], nums[k + 1]]);
      return pts;
    }));
    const all = rings.flat();
    const xs = all.map((p) => p[0]);
    const ys = all.map((p) => p[1]);
    const width = Math.max(...xs) - Math.min(...xs);
    const top = Math.min(...ys);
    const bottom = Math.max(...ys);
    const edge = (y) => Math.abs(y - top) < 1 || Math.abs(y - bottom) < 1;
    let n = 0;
    for (const pts of rings) {
      for (let k = 0; k < pts.length; k++) {
        const a = pts[k];
        const b = pts[(k + 1) % pts.length];
        if (Math.abs(a[0] - b[0]) > width / 2 && !(edge(a[1]) && edge(b[1]))) n += 1;
      }
    }
    return { n, width };
  });
  check(stripes.n === 0, `no country outline crosses the whole map (${stripes.n} segments wider than half the ${stripes.width.toFixed(0)} px world)`);
  await shot('map-world');

  // Search -----------------------------------------------------------------------------
  console.log('search');
  await open('#/search?q=Kremlin');
  const found = await page.$$eval('#article-results .result-article', (els) => els.map((e) => e.dataset.articleId));
  check(found.includes(articleId), `searching “Kremlin” finds the seed article (${found.length} results)`);
  const speaker = (rec.quotes.find((q) => q.speaker_text) || {}).speaker_text;
  if (speaker) {
    const surname = speaker.split(/\s+/).pop();
    await open(`#/search?q=${encodeURIComponent(surname)}`);
    const qs = await page.$$eval('#quote-results .result-quote', (els) => els.map((e) => e.dataset.articleId));
    check(qs.includes(articleId), `searching “${surname}” finds quotes of the seed (${qs.length})`);
    await shot('search');
    await page.click(`#quote-results .result-quote[data-article-id="${articleId}"] a`);
    await page.waitForSelector('#quote-detail');
    check(page.url().includes(`/article/${articleId}`), 'a quote result opens its article on the quote');
  }
  await open('#/search?q=Kremlin');
  await shot('search-articles');
} catch (err) {
  failures.push(`unexpected: ${err && err.stack ? err.stack : err}`);
  try {
    await shot('failure');
  } catch (_) {
    /* the browser is gone */
  }
}

for (const p of problems) failures.push(p);
await browser.close();
console.log(`${checks} checks, ${failures.length} failure(s)`);
for (const f of failures) console.log(`FAIL: ${f}`);
process.exit(failures.length ? 1 : 0);
