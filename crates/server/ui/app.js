// Chronicle web UI: a single-page app over the JSON API of the same server.
//
// Pages are hash routes (#/article/ID?event=v3, #/timeline?actor=RUS, ...), so every view
// is a link an analyst can share. Third-party libraries are vendored and loaded on demand
// from /ui/vendor/ (nothing comes from the internet). All offsets in records are Unicode
// code point offsets into `text`; JS strings are UTF-16, so the text is split into code
// points (Array.from) before any span is cut.
'use strict';

const VENDOR = {
  leafletJs: '/ui/vendor/leaflet-1.9.4/leaflet.js',
  leafletCss: '/ui/vendor/leaflet-1.9.4/leaflet.css',
  cytoscape: '/ui/vendor/cytoscape-3.35.0/cytoscape.min.js',
  vis: '/ui/vendor/vis-timeline-8.5.4/vis-timeline-graph2d.min.js',
  topojson: '/ui/vendor/topojson-client-3.1.0/topojson-client.min.js',
  countries: '/ui/vendor/world-atlas-2.0.2/countries-110m.json',
  cameo: '/ui/cameo.tsv',
};

/** GDELT QuadClass: names and colours (Okabe-Ito, readable by colour-blind readers). */
const QUADS = {
  1: { name: 'Verbal cooperation', color: '#56B4E9' },
  2: { name: 'Material cooperation', color: '#0072B2' },
  3: { name: 'Verbal conflict', color: '#E69F00' },
  4: { name: 'Material conflict', color: '#D55E00' },
};
const ENTITY_TYPES = {
  PER: 'Person',
  ORG: 'Organisation',
  LOC: 'Place',
  MISC: 'Other',
};
const PLOVER_TYPES = ['AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID', 'RETREAT', 'REQUEST',
  'ACCUSE', 'REJECT', 'THREATEN', 'PROTEST', 'SANCTION', 'MOBILIZE', 'COERCE', 'ASSAULT'];
const MODALITIES = ['asserted', 'reported', 'claimed', 'denied', 'negated', 'future', 'hypothetical', 'historical'];

// ---------------------------------------------------------------------------------------
// Small helpers

/** Creates an element; `attrs` keys starting with "on" are listeners; children may be
 * strings (always inserted as text, never as HTML), nodes, arrays or null. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** An SVG element (text only through text nodes, like `h`). */
function svg(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    el.setAttribute(k, String(v));
  }
  return append(el, children);
}

/**
 * A sentence's dependency parse drawn displaCy-style: the words in a row with their UPOS
 * under them, one arc per non-root word from its head, labelled with the relation, the
 * arrow at the dependent; nested arcs are drawn higher than the arcs they span. `tokens`
 * is the `tokens` array of `GET /api/articles/{id}/sentences/{n}/parse`.
 */
function dependencyTree(tokens) {
  const charW = 7.2;
  const gap = 18;
  const widths = tokens.map((t) => Math.max(String(t.text).length, String(t.upos).length, 3) * charW + gap);
  const xs = [];
  let x = 8;
  for (const w of widths) {
    xs.push(x + w / 2);
    x += w;
  }
  const arcs = tokens
    .map((t, i) => ({ dep: i, head: Number(t.head) - 1, rel: String(t.rel) }))
    .filter((a) => a.head >= 0 && a.head < tokens.length && a.head !== a.dep)
    .map((a) => ({ ...a, lo: Math.min(a.dep, a.head), hi: Math.max(a.dep, a.head) }))
    .sort((a, b) => (a.hi - a.lo) - (b.hi - b.lo));
  // An arc sits one level above the highest arc within its span.
  for (const a of arcs) {
    a.level = 1 + Math.max(0, ...arcs.filter((b) => b !== a && b.level && b.lo >= a.lo && b.hi <= a.hi).map((b) => b.level));
  }
  // Levels 22 px apart, squeezed for a deeply nested sentence so the drawing stays under
  // about 200 px tall.
  const levels = Math.max(1, ...arcs.map((a) => a.level));
  const step = Math.max(9, Math.min(22, 190 / levels));
  const top = 16 + step * levels;
  const height = top + 40;
  const el = svg('svg', { class: 'dep-svg', width: Math.ceil(x + 8), height, viewBox: `0 0 ${Math.ceil(x + 8)} ${height}`, role: 'img', 'aria-label': 'Dependency parse of the evidence sentence' });
  for (const a of arcs) {
    const [x1, x2] = [xs[a.lo], xs[a.hi]];
    const h = a.level * step;
    const xd = xs[a.dep];
    el.append(svg('g', { class: 'dep-arc', 'data-rel': a.rel, 'data-dep': a.dep + 1, 'data-head': a.head + 1 },
      svg('path', { class: 'dep-line', d: `M ${x1} ${top} C ${x1} ${top - h}, ${x2} ${top - h}, ${x2} ${top}` }),
      svg('path', { class: 'dep-arrow', d: `M ${xd - 4} ${top - 7} L ${xd + 4} ${top - 7} L ${xd} ${top} Z` }),
      svg('text', { class: 'dep-label', x: (x1 + x2) / 2, y: top - 0.75 * h - 3, 'text-anchor': 'middle' }, a.rel)));
  }
  tokens.forEach((t, i) => {
    el.append(svg('g', { class: Number(t.head) === 0 ? 'dep-word dep-root' : 'dep-word', 'data-id': i + 1 },
      svg('text', { class: 'dep-form', x: xs[i], y: top + 16, 'text-anchor': 'middle' }, String(t.text)),
      svg('text', { class: 'dep-upos', x: xs[i], y: top + 32, 'text-anchor': 'middle' }, String(t.upos))));
  });
  return el;
}

/** `url` when it is an http(s) address, else null: an article's URL comes from its input,
 * and a `javascript:` or `data:` link would run in this page when clicked. */
function webLink(url) {
  try {
    const u = new URL(String(url));
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch (_) {
    return null;
  }
}

function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** GET an API path with query parameters (empty ones left out); throws the API's error. */
async function api(path, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '' && v !== false) qs.set(k, String(v));
  }
  const url = qs.toString() ? `${path}?${qs}` : path;
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  let body = null;
  try {
    body = await res.json();
  } catch (_) {
    body = null;
  }
  if (!res.ok) {
    const err = new Error((body && body.error) || `${res.status} ${res.statusText}`);
    err.status = res.status;
    throw err;
  }
  return body;
}

const loaded = new Map();
/** Loads a vendored script once (pages that need a library wait for it). */
function loadScript(src) {
  if (!loaded.has(src)) {
    loaded.set(src, new Promise((resolve, reject) => {
      const s = h('script', { src });
      s.onload = resolve;
      s.onerror = () => reject(new Error(`cannot load ${src}`));
      document.head.append(s);
    }));
  }
  return loaded.get(src);
}

function loadCss(href) {
  if (!loaded.has(href)) {
    loaded.set(href, new Promise((resolve, reject) => {
      const l = h('link', { rel: 'stylesheet', href });
      l.onload = resolve;
      l.onerror = () => reject(new Error(`cannot load ${href}`));
      document.head.append(l);
    }));
  }
  return loaded.get(href);
}

/** CAMEO code -> name, from the events crate's codebook (loaded once). */
let cameoNames = null;
async function cameoTable() {
  if (!cameoNames) {
    cameoNames = fetch(VENDOR.cameo)
      .then((r) => (r.ok ? r.text() : ''))
      .then((tsv) => {
        const m = new Map();
        for (const line of tsv.split('\n')) {
          if (!line || line.startsWith('#')) continue;
          const f = line.split('\t');
          if (f.length >= 6) m.set(f[0], f[5]);
        }
        return m;
      })
      .catch(() => new Map());
  }
  return cameoNames;
}

function cameoName(names, code) {
  if (!names || !code) return '';
  const n = names.get(code);
  if (!n) return '';
  // Root names are in capitals in the codebook; show them like the others.
  return n === n.toUpperCase() ? n.charAt(0) + n.slice(1).toLowerCase() : n;
}

function quadChip(q) {
  const quad = QUADS[q];
  if (!quad) return h('span', { class: 'chip' }, `quad ${q}`);
  return h('span', { class: `chip quad-chip q${q}`, title: `QuadClass ${q}` }, quad.name);
}

function articleHref(id, params) {
  const qs = new URLSearchParams(params || {}).toString();
  return `#/article/${encodeURIComponent(id)}${qs ? `?${qs}` : ''}`;
}

function actorLabel(code, text) {
  if (code && text) return `${text} (${code})`;
  return code || text || '—';
}

function fmtNumber(n) {
  return typeof n === 'number' ? n.toLocaleString('en-GB') : '—';
}

/** Dominant quad class of [n1, n2, n3, n4] counts (conflict wins ties: it matters more). */
function dominantQuad(quads) {
  let best = 1;
  for (let q = 1; q <= 4; q++) if ((quads[q - 1] || 0) >= (quads[best - 1] || 0)) best = q;
  return best;
}

function errorBox(err) {
  return h('div', { class: 'error', role: 'alert' }, String(err && err.message ? err.message : err));
}

// ---------------------------------------------------------------------------------------
// Routing

const main = () => document.getElementById('main');
let renderSeq = 0;
let cleanup = null;
let current = { page: null };

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const qi = raw.indexOf('?');
  const path = qi >= 0 ? raw.slice(0, qi) : raw;
  const params = Object.fromEntries(new URLSearchParams(qi >= 0 ? raw.slice(qi + 1) : ''));
  const parts = path.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch (_) {
      return p;
    }
  });
  return { page: parts[0] || 'home', arg: parts.slice(1).join('/'), params };
}

/** Sets the hash's query without re-rendering (the page already shows the change). */
function replaceParams(params) {
  const { page, arg } = parseHash();
  const base = page === 'home' ? '#/' : `#/${page}${arg ? `/${encodeURIComponent(arg)}` : ''}`;
  const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v)).toString();
  history.replaceState(null, '', qs ? `${base}?${qs}` : base);
}

const PAGES = {
  home: pageHome,
  article: pageArticle,
  timeline: pageTimeline,
  network: pageNetwork,
  map: pageMap,
  search: pageSearch,
  watchlists: pageWatchlists,
};

async function route() {
  const r = parseHash();
  document.querySelectorAll('.nav a').forEach((a) => {
    a.classList.toggle('active', a.dataset.page === r.page);
  });
  // Same article, other selection: no reload, just select.
  if (r.page === 'article' && current.page === 'article' && current.arg === r.arg && current.select) {
    current.select(r.params);
    return;
  }
  const seq = ++renderSeq;
  if (cleanup) {
    try {
      cleanup();
    } catch (_) {
      /* a library that failed to start has nothing to tear down */
    }
    cleanup = null;
  }
  current = { page: r.page, arg: r.arg };
  const el = clear(main());
  el.className = `page-${r.page}`;
  el.dataset.ready = 'false';
  const page = PAGES[r.page];
  if (!page) {
    el.append(h('h1', {}, 'Not found'), h('p', {}, 'No such page. ', h('a', { href: '#/' }, 'Back to the articles')));
    el.dataset.ready = 'true';
    return;
  }
  try {
    await page(el, r, () => seq === renderSeq);
  } catch (err) {
    console.error(err);
    if (seq === renderSeq) el.append(errorBox(err));
  }
  if (seq === renderSeq) el.dataset.ready = 'true';
}

// ---------------------------------------------------------------------------------------
// Home: store counts, articles, actors

async function pageHome(el, r, live) {
  document.title = 'Articles — Chronicle';
  const limit = 50;
  const offset = Math.max(0, parseInt(r.params.offset || '0', 10) || 0);
  const [stats, list, actors] = await Promise.all([
    api('/api/stats'),
    api('/api/articles', { limit, offset }),
    api('/api/actors', { limit: 15 }),
  ]);
  if (!live()) return;
  el.append(
    h('div', { class: 'page-head' },
      h('h1', {}, 'Articles'),
      h('p', { class: 'muted' }, 'Every stored article with what was extracted from it. Open one to read it with its entities, quotes and events marked.')),
    h('div', { class: 'stats' },
      ['articles', 'entities', 'quotes', 'events'].map((k) =>
        h('div', { class: 'stat', 'data-stat': k }, h('span', { class: 'stat-n' }, fmtNumber(stats[k])), h('span', { class: 'stat-k' }, k)))),
  );
  const rows = list.articles.map((a) =>
    h('tr', { class: 'article-row', 'data-article-id': a.id },
      h('td', { class: 'title-cell' },
        // Without a title the first sentence stands in, set apart (not as a title followed
        // by "(untitled)", which read as a broken title).
        a.title ? h('a', { href: articleHref(a.id) }, a.title)
          : h('a', { href: articleHref(a.id), class: 'lead-title', title: 'The article has no title: its first sentence' }, leadTitle(a.lead) || a.id),
        h('div', { class: 'muted small mono' }, a.id)),
      h('td', { class: 'nowrap' }, a.published || '—'),
      h('td', {}, a.source || '—'),
      h('td', { class: 'num' }, fmtNumber(a.entities)),
      h('td', { class: 'num' }, fmtNumber(a.quotes)),
      h('td', { class: 'num' }, fmtNumber(a.events))));
  const pager = h('div', { class: 'pager' },
    offset > 0 ? h('a', { class: 'button', href: `#/?offset=${Math.max(0, offset - limit)}` }, '← Previous') : null,
    h('span', { class: 'muted' }, list.count ? `${offset + 1}–${offset + list.count} of ${fmtNumber(stats.articles)}` : 'No articles'),
    offset + list.count < stats.articles ? h('a', { class: 'button', href: `#/?offset=${offset + limit}` }, 'Next →') : null);
  el.append(
    h('div', { class: 'two-col' },
      h('section', { class: 'card' },
        list.count === 0
          ? h('p', { class: 'empty' }, 'The store holds no articles yet: run chronicle ingest --db FILE ARTICLES.jsonl.')
          : h('table', { class: 'table', id: 'articles' },
            h('thead', {}, h('tr', {}, h('th', {}, 'Title'), h('th', {}, 'Published'), h('th', {}, 'Source'),
              h('th', { class: 'num' }, 'Entities'), h('th', { class: 'num' }, 'Quotes'), h('th', { class: 'num' }, 'Events'))),
            h('tbody', {}, rows)),
        pager),
      h('aside', { class: 'card' },
        h('h2', {}, 'Most mentioned actors'),
        actors.actors.length === 0 ? h('p', { class: 'empty' }, 'No coded actors yet.') : h('ol', { class: 'actor-list' },
          actors.actors.map((a) => h('li', {},
            h('a', { href: `#/timeline?actor=${encodeURIComponent(a.code || a.name)}` }, a.name),
            a.code ? h('span', { class: 'code' }, a.code) : null,
            h('span', { class: 'muted small' }, ` ${fmtNumber(a.mentions)} mentions in ${fmtNumber(a.articles)} article${a.articles === 1 ? '' : 's'}`)))))));
}

function leadTitle(lead) {
  if (!lead) return '';
  const first = lead.split(/(?<=[.!?])\s/)[0];
  return first.length > 120 ? `${first.slice(0, 117)}…` : first;
}

// ---------------------------------------------------------------------------------------
// Article page: the text with entities, quotes and events marked

/**
 * Nests annotations into a tree over code point ranges. Annotations are inserted outermost
 * layer first (paragraph, sentence, quote, entity, trigger); one that crosses the boundary of
 * an element already placed is split into pieces, so the HTML stays well nested however
 * the spans overlap (a quote often runs over several sentences).
 */
function insertSpan(node, s, e, ann) {
  if (s >= e) return;
  for (const k of node.kids) {
    if (k.s <= s && k.e >= e) {
      insertSpan(k, s, e, ann);
      return;
    }
  }
  let pieces = [[s, e]];
  for (const k of node.kids) {
    if (k.e <= s || k.s >= e) continue;
    if (k.s >= s && k.e <= e) continue; // inside: adopted below
    const is = Math.max(s, k.s);
    const ie = Math.min(e, k.e);
    insertSpan(k, is, ie, ann);
    pieces = pieces.flatMap(([ps, pe]) => [[ps, Math.min(pe, is)], [Math.max(ps, ie), pe]]).filter(([ps, pe]) => ps < pe);
  }
  for (const [ps, pe] of pieces) {
    const n = { s: ps, e: pe, ann, kids: [] };
    const keep = [];
    for (const k of node.kids) (k.s >= ps && k.e <= pe ? n.kids : keep).push(k);
    keep.push(n);
    keep.sort((a, b) => a.s - b.s);
    node.kids = keep;
  }
}

function annotations(rec, chars) {
  const anns = [];
  // Paragraphs: the text's lines.
  let start = 0;
  for (let i = 0; i <= chars.length; i++) {
    if (i === chars.length || chars[i] === '\n') {
      if (i > start) anns.push({ layer: 0, kind: 'para', s: start, e: i });
      start = i + 1;
    }
  }
  const sentKeys = new Set();
  const addSentence = (span) => {
    if (!Array.isArray(span)) return;
    const key = `${span[0]}-${span[1]}`;
    if (sentKeys.has(key)) return;
    sentKeys.add(key);
    anns.push({ layer: 1, kind: 'sent', s: span[0], e: span[1], key });
  };
  (rec.sentences || []).forEach(addSentence);
  for (const ev of rec.events || []) {
    addSentence(ev.sentence);
    (ev.evidence || []).forEach(addSentence);
  }
  for (const q of rec.quotes || []) anns.push({ layer: 2, kind: 'quote', s: q.start, e: q.end, quote: q });
  for (const ent of rec.entities || []) {
    for (const m of ent.mentions || []) anns.push({ layer: 3, kind: 'ent', s: m[0], e: m[1], ent });
  }
  // Events sharing a trigger ("Canada, Germany and Poland are supporting ...") share one mark.
  const triggers = new Map();
  for (const ev of rec.events || []) {
    if (!Array.isArray(ev.trigger)) continue;
    const key = ev.trigger.join('-');
    if (!triggers.has(key)) triggers.set(key, { layer: 4, kind: 'trigger', s: ev.trigger[0], e: ev.trigger[1], events: [] });
    triggers.get(key).events.push(ev);
  }
  anns.push(...triggers.values());
  return anns
    .filter((a) => Number.isInteger(a.s) && Number.isInteger(a.e) && a.s >= 0 && a.e <= chars.length && a.s < a.e)
    .sort((a, b) => a.layer - b.layer || a.s - b.s || b.e - a.e);
}

/** Renders the annotation tree; records each text node's code point offset in `textNodes`. */
function renderTree(node, chars, textNodes) {
  const frag = document.createDocumentFragment();
  let pos = node.s;
  const text = (s, e) => {
    if (s >= e) return;
    const t = document.createTextNode(chars.slice(s, e).join(''));
    textNodes.push({ node: t, start: s, end: e });
    frag.append(t);
  };
  for (const k of node.kids) {
    text(pos, k.s);
    frag.append(renderTree(k, chars, textNodes));
    pos = k.e;
  }
  text(pos, node.e);
  const a = node.ann;
  if (!a) return frag;
  let el;
  switch (a.kind) {
    case 'para':
      el = h('p', { class: 'para' });
      break;
    case 'sent':
      el = h('span', { class: 'sent', 'data-sent': a.key });
      break;
    case 'quote': {
      const q = a.quote;
      el = h('span', {
        class: `quote quote-${q.kind}`,
        'data-quote-id': q.id,
        title: `${q.kind} quote${q.speaker_text ? ` — ${q.speaker_text}` : ''}${q.cue ? ` (${q.cue})` : ''}`,
      });
      break;
    }
    case 'ent': {
      const ent = a.ent;
      const code = ent.actor && ent.actor.code;
      el = h('mark', {
        class: `ent ent-${ent.type}`,
        'data-entity-id': ent.id,
        'data-type': ent.type,
        title: `${ent.name} · ${ENTITY_TYPES[ent.type] || ent.type}${code ? ` · ${code}` : ''}`,
      });
      // The label goes after the mention's last piece, as in displaCy.
      if (node.e === a.e) el.dataset.label = ent.type;
      break;
    }
    case 'trigger': {
      const evs = a.events;
      const q = evs[0].quad;
      el = h('span', {
        class: `trigger q${q}`,
        'data-event-id': evs[0].id,
        'data-event-ids': evs.map((v) => v.id).join(' '),
        title: evs.map((v) => `${v.plover && v.plover.type ? v.plover.type : ''} (CAMEO ${v.cameo}) ${v.modality}`).join('\n'),
        role: 'button',
        tabindex: '0',
      });
      break;
    }
    default:
      el = h('span', {});
  }
  el.append(frag);
  return el;
}

/** DOM Ranges over the rendered text for a code point span (for CSS highlights). */
function rangesFor(textNodes, s, e, chars) {
  const ranges = [];
  for (const t of textNodes) {
    if (t.end <= s || t.start >= e) continue;
    const from = Math.max(s, t.start);
    const to = Math.min(e, t.end);
    const u16 = (a, b) => chars.slice(a, b).join('').length;
    const r = document.createRange();
    r.setStart(t.node, u16(t.start, from));
    r.setEnd(t.node, u16(t.start, to));
    ranges.push(r);
  }
  return ranges;
}

const HIGHLIGHTS = typeof Highlight === 'function' && typeof CSS !== 'undefined' && CSS.highlights;

async function pageArticle(el, r, live) {
  const id = r.arg;
  const [rec, names] = await Promise.all([api(`/api/articles/${encodeURIComponent(id)}`), cameoTable()]);
  if (!live()) return;
  const chars = Array.from(rec.text || '');
  const slice = (span) => (Array.isArray(span) ? chars.slice(span[0], span[1]).join('') : '');
  const title = rec.title || leadTitle(rec.text) || rec.id;
  document.title = `${title} — Chronicle`;
  const entities = new Map((rec.entities || []).map((e) => [e.id, e]));
  const events = new Map((rec.events || []).map((v) => [v.id, v]));
  const quotes = new Map((rec.quotes || []).map((q) => [q.id, q]));

  // The text.
  const root = { s: 0, e: chars.length, ann: null, kids: [] };
  for (const a of annotations(rec, chars)) insertSpan(root, a.s, a.e, a);
  const textNodes = [];
  const textEl = h('div', { class: 'article-text', id: 'article-text', 'data-article-id': rec.id });
  textEl.append(renderTree(root, chars, textNodes));

  const meta = rec.meta || {};
  const head = h('div', { class: 'page-head article-head' },
    h('div', { class: 'crumbs' }, h('a', { href: '#/' }, 'Articles'), ' / ', h('span', { class: 'mono' }, rec.id)),
    h('h1', { id: 'article-title', class: rec.title ? null : 'lead-title', title: rec.title ? null : 'The article has no title: its first sentence' }, title),
    h('div', { class: 'meta' },
      rec.published ? h('span', {}, rec.published) : null,
      rec.source ? h('span', {}, rec.source) : null,
      webLink(rec.url) ? h('a', { href: webLink(rec.url), rel: 'noopener noreferrer', target: '_blank' }, 'original ↗') : null,
      h('span', {}, `${(rec.entities || []).length} entities · ${(rec.quotes || []).length} quotes · ${(rec.events || []).length} events`),
      meta.author ? h('span', {}, String(meta.author)) : null));

  // The side panel: toggles and legend, the selection's details, lists.
  const toggles = h('div', { class: 'toggles' },
    [['ents', 'Entities'], ['quotes', 'Quotes'], ['events', 'Events']].map(([k, label]) =>
      h('label', { class: `toggle toggle-${k}` },
        h('input', {
          type: 'checkbox', checked: true, 'data-layer': k,
          onchange: (ev) => textEl.classList.toggle(`hide-${k}`, !ev.target.checked),
        }), ` ${label}`)));
  const legend = h('div', { class: 'legend' },
    Object.entries(ENTITY_TYPES).map(([t, n]) => h('span', { class: `legend-item` }, h('mark', { class: `ent ent-${t} swatch` }, t), ` ${n}`)),
    h('span', { class: 'legend-item' }, h('span', { class: 'quote swatch-quote' }, '“quote”')),
    Object.entries(QUADS).map(([q, v]) => h('span', { class: 'legend-item' }, h('span', { class: `trigger q${q} swatch-trigger` }, 'event'), ` ${v.name}`)));
  const detail = h('div', { class: 'detail', id: 'detail' },
    h('p', { class: 'muted' }, 'Click an event, a quote or a name in the text (or in the lists below) for its details.'));

  const eventList = h('ol', { class: 'item-list', id: 'event-list' },
    (rec.events || []).map((v) => h('li', {
      class: `event-item q${v.quad}`, 'data-event-id': v.id, tabindex: '0',
      onclick: () => select({ event: v.id }, true),
      onkeydown: (e) => { if (e.key === 'Enter') select({ event: v.id }, true); },
    },
    h('div', { class: 'item-top' },
      h('span', { class: 'ptype' }, (v.plover && v.plover.type) || `CAMEO ${v.cameo}`),
      h('span', { class: 'muted small' }, v.date || 'undated'),
      h('span', { class: `chip modality m-${v.modality}` }, v.modality),
      confidenceChip(v.confidence)),
    h('div', { class: 'dyad' },
      v.source ? actorLabel(v.source.code, v.source.text) : '—', ' → ', v.target ? actorLabel(v.target.code, v.target.text) : '—'),
    h('div', { class: 'muted small' }, `“${slice(v.trigger)}” · CAMEO ${v.cameo} ${cameoName(names, v.cameo)}`))));
  if (!rec.events || rec.events.length === 0) eventList.append(h('li', { class: 'empty' }, 'No events coded in this article.'));

  const speakerButton = (q) => {
    const label = q.speaker_text || (q.speaker && entities.get(q.speaker) ? entities.get(q.speaker).name : null);
    if (!label) return h('span', { class: 'muted' }, 'unattributed');
    return h('a', {
      class: 'speaker-link', href: q.speaker ? articleHref(rec.id, { entity: q.speaker }) : articleHref(rec.id, { quote: q.id }),
      'data-entity-id': q.speaker || null, 'data-quote-id': q.id,
      title: q.speaker ? 'Show this speaker’s mentions in the text' : 'The speaker is not a named entity',
      onclick: (e) => {
        e.preventDefault();
        e.stopPropagation();
        if (q.speaker) select({ entity: q.speaker, speakerOf: q.id }, true);
        else select({ quote: q.id }, true);
      },
    }, label);
  };
  const quoteList = h('ol', { class: 'item-list', id: 'quote-list' },
    (rec.quotes || []).map((q) => h('li', {
      class: 'quote-item', 'data-quote-id': q.id, tabindex: '0',
      onclick: () => select({ quote: q.id }, true),
      onkeydown: (e) => { if (e.key === 'Enter') select({ quote: q.id }, true); },
    },
    h('div', { class: 'item-top' }, speakerButton(q), q.cue ? h('span', { class: 'muted small' }, q.cue) : null,
      h('span', { class: 'chip' }, q.kind)),
    h('div', { class: 'quote-content' }, truncate(q.content, 220)))));
  if (!rec.quotes || rec.quotes.length === 0) quoteList.append(h('li', { class: 'empty' }, 'No quotes found.'));

  const byType = [...entities.values()].sort((a, b) => (b.mentions || []).length - (a.mentions || []).length || a.name.localeCompare(b.name));
  const entityList = h('ol', { class: 'item-list entity-list', id: 'entity-list' },
    byType.map((ent) => h('li', {
      class: 'entity-item', 'data-entity-id': ent.id, tabindex: '0',
      onclick: () => select({ entity: ent.id }, true),
      onkeydown: (e) => { if (e.key === 'Enter') select({ entity: ent.id }, true); },
    },
    h('mark', { class: `ent ent-${ent.type} swatch` }, ent.type), ' ', h('strong', {}, ent.name),
    ent.actor && ent.actor.code ? h('span', { class: 'code' }, ent.actor.code) : null,
    h('span', { class: 'muted small' }, ` ×${(ent.mentions || []).length}`))));

  const tabs = [['events', `Events (${events.size})`, eventList], ['quotes', `Quotes (${quotes.size})`, quoteList],
    ['entities', `Entities (${entities.size})`, entityList]];
  const tabBar = h('div', { class: 'tabs', role: 'tablist' });
  const tabBody = h('div', { class: 'tab-body' });
  const showTab = (key) => {
    for (const [k, , list] of tabs) list.hidden = k !== key;
    tabBar.querySelectorAll('button').forEach((b) => b.classList.toggle('active', b.dataset.tab === key));
  };
  for (const [k, label, list] of tabs) {
    tabBar.append(h('button', { type: 'button', role: 'tab', 'data-tab': k, onclick: () => showTab(k) }, label));
    tabBody.append(list);
  }
  showTab('events');

  const panel = h('aside', { class: 'panel', id: 'panel' }, toggles, legend, detail, tabBar, tabBody);
  el.append(head, h('div', { class: 'article-layout' }, h('article', { class: 'card text-card' }, textEl), panel));

  // Selection ------------------------------------------------------------------------
  const clearMarks = () => {
    el.querySelectorAll('.evidence, .evidence-main, .selected, .focus').forEach((x) => x.classList.remove('evidence', 'evidence-main', 'selected', 'focus'));
    if (HIGHLIGHTS) ['role-source', 'role-target', 'role-reporter', 'speaker-span'].forEach((n) => CSS.highlights.delete(n));
  };
  const highlight = (name, spans) => {
    if (!HIGHLIGHTS) return;
    const ranges = spans.filter(Array.isArray).flatMap(([s, e]) => rangesFor(textNodes, s, e, chars));
    if (ranges.length) CSS.highlights.set(name, new Highlight(...ranges));
  };
  const reveal = (node) => {
    if (node) node.scrollIntoView({ block: 'center', inline: 'nearest' });
  };
  const focusEntity = (entId) => {
    const marks = textEl.querySelectorAll(`.ent[data-entity-id="${CSS.escape(entId)}"]`);
    marks.forEach((m) => m.classList.add('focus'));
    return marks;
  };
  const entityButton = (p) => {
    if (!p) return h('span', { class: 'muted' }, 'none coded');
    const label = actorLabel(p.code, p.text);
    if (!p.entity || !entities.has(p.entity)) return h('span', {}, label);
    return h('a', {
      href: articleHref(rec.id, { entity: p.entity }),
      class: 'entity-link', 'data-entity-id': p.entity,
      onclick: (e) => {
        e.preventDefault();
        select({ entity: p.entity }, true);
      },
    }, label);
  };

  const showEvent = (v) => {
    const sentence = slice(v.sentence);
    const trig = slice(v.trigger);
    // The evidence sentence with its trigger in bold.
    const ev = h('blockquote', { class: 'evidence-text' });
    if (Array.isArray(v.trigger) && Array.isArray(v.sentence) && v.trigger[0] >= v.sentence[0] && v.trigger[1] <= v.sentence[1]) {
      ev.append(chars.slice(v.sentence[0], v.trigger[0]).join(''), h('strong', {}, trig), chars.slice(v.trigger[1], v.sentence[1]).join(''));
    } else {
      ev.append(sentence);
    }
    const loc = v.location;
    const rows = [
      ['Event', [h('strong', {}, (v.plover && v.plover.type) || '—'), v.plover && v.plover.mode ? ` (${v.plover.mode})` : '',
        v.plover && v.plover.context && v.plover.context.length ? h('span', { class: 'muted' }, ` · ${v.plover.context.join(', ')}`) : null]],
      ['CAMEO', [h('span', { class: 'mono' }, v.cameo), ` ${cameoName(names, v.cameo)}`,
        v.root && v.root !== v.cameo ? h('span', { class: 'muted' }, ` · root ${v.root} ${cameoName(names, v.root)}`) : null]],
      ['Class', [quadChip(v.quad), h('span', { class: 'muted' }, ` Goldstein ${typeof v.goldstein === 'number' ? v.goldstein.toFixed(1) : '—'}`)]],
      ['Who', [entityButton(v.source), ' → ', entityButton(v.target)]],
      // A reported or claimed event's reporter (the speech verb's subject), kept apart from
      // the dyad: "Kyiv said Russia attacked Odesa" is Russia → Odesa, reported by Kyiv.
      ['Modality', [h('span', { class: `chip modality m-${v.modality}` }, v.modality),
        v.reporter ? h('span', { class: 'reporter', id: 'event-reporter' }, ' reported by ', entityButton(v.reporter)) : null]],
      ['Confidence', typeof v.confidence === 'number'
        ? [confidenceChip(v.confidence), h('span', { class: 'muted' }, ' · from the participants, literal force cues, the article’s topic, modality and parse')]
        : h('span', { class: 'muted' }, 'not scored')],
      ['Date', v.date ? [v.date, v.date_text ? ` (“${v.date_text}”)` : '', v.date_basis ? h('span', { class: 'muted' }, ` · from the ${v.date_basis === 'expression' ? 'time expression' : v.date_basis}`) : null] : h('span', { class: 'muted' }, 'undated')],
      ['Place', loc ? [h('a', { href: `#/map?place=${encodeURIComponent(loc.name)}` }, loc.name),
        [loc.admin1, loc.country].filter(Boolean).length ? `, ${[loc.admin1, loc.country].filter(Boolean).join(', ')}` : '',
        h('span', { class: 'muted' }, ` · ${Number(loc.lat).toFixed(2)}, ${Number(loc.lon).toFixed(2)}${loc.precision ? ` · ${loc.precision}` : ''}${loc.basis ? ` (${loc.basis})` : ''}`)] : h('span', { class: 'muted' }, 'no place')],
      ['Killed', v.killed === null || v.killed === undefined ? h('span', { class: 'muted' }, '—') : String(v.killed)],
      ['Wounded', v.wounded === null || v.wounded === undefined ? h('span', { class: 'muted' }, '—') : String(v.wounded)],
    ];
    const parseBox = h('div', { class: 'dep-parse', id: 'dep-parse' });
    clear(detail).append(
      h('div', { class: `detail-card event-detail q${v.quad}`, id: 'event-detail', 'data-event-id': v.id },
        h('div', { class: 'detail-head' }, h('span', { class: 'muted small mono' }, v.id), h('span', { class: 'detail-kind' }, 'Event'),
          h('button', { type: 'button', class: 'close', title: 'Clear the selection', onclick: () => select({}, true) }, '×')),
        h('dl', { class: 'facts' }, rows.map(([k, v2]) => [h('dt', {}, k), h('dd', {}, v2)])),
        h('div', { class: 'muted small' }, 'Evidence'),
        ev,
        parseBox));
    // The evidence sentence's dependency parse, computed by the server from the stored text.
    const sentNo = (rec.sentences || []).findIndex((s) => Array.isArray(v.sentence) && s[0] === v.sentence[0] && s[1] === v.sentence[1]) + 1;
    if (sentNo > 0) {
      api(`/api/articles/${encodeURIComponent(rec.id)}/sentences/${sentNo}/parse`).then((p) => {
        if (!parseBox.isConnected) return;
        clear(parseBox).append(h('div', { class: 'muted small' }, 'Dependency parse'),
          h('div', { class: 'dep-scroll' }, dependencyTree(p.tokens || [])));
      }).catch((e) => {
        if (parseBox.isConnected) clear(parseBox).append(h('div', { class: 'muted small' }, `No parse: ${e.message}`));
      });
    }
    // In the text: the evidence sentence(s), the trigger, the two actors.
    const spans = [v.sentence, ...(v.evidence || [])].filter(Array.isArray);
    for (const span of spans) {
      textEl.querySelectorAll(`.sent[data-sent="${span[0]}-${span[1]}"]`).forEach((s) => {
        s.classList.add('evidence');
        if (span === v.sentence) s.classList.add('evidence-main');
      });
    }
    const trigEls = [...textEl.querySelectorAll('.trigger')].filter((t) => t.dataset.eventIds.split(' ').includes(v.id));
    trigEls.forEach((t) => t.classList.add('selected'));
    highlight('role-source', v.source ? [v.source.span] : []);
    highlight('role-target', v.target ? [v.target.span] : []);
    highlight('role-reporter', v.reporter ? [v.reporter.span] : []);
    reveal(trigEls[0] || textEl.querySelector('.evidence'));
  };

  const showQuote = (q) => {
    const speaker = q.speaker ? entities.get(q.speaker) : null;
    clear(detail).append(
      h('div', { class: 'detail-card quote-detail', id: 'quote-detail', 'data-quote-id': q.id },
        h('div', { class: 'detail-head' }, h('span', { class: 'muted small mono' }, q.id), h('span', { class: 'detail-kind' }, `${q.kind} quote`),
          h('button', { type: 'button', class: 'close', title: 'Clear the selection', onclick: () => select({}, true) }, '×')),
        h('dl', { class: 'facts' },
          h('dt', {}, 'Speaker'), h('dd', {}, speakerButton(q), speaker && speaker.actor && speaker.actor.code ? h('span', { class: 'code' }, speaker.actor.code) : null),
          h('dt', {}, 'Cue'), h('dd', {}, q.cue || h('span', { class: 'muted' }, '—'))),
        h('blockquote', { class: 'quote-text' }, q.content)));
    textEl.querySelectorAll(`.quote[data-quote-id="${CSS.escape(q.id)}"]`).forEach((x) => x.classList.add('selected'));
    highlight('speaker-span', [q.speaker_span]);
    if (q.speaker) focusEntity(q.speaker);
    reveal(textEl.querySelector('.quote.selected'));
  };

  const showEntity = (ent, fromQuote) => {
    const g = ent.geo;
    const involved = (rec.events || []).filter((v) => (v.source && v.source.entity === ent.id) || (v.target && v.target.entity === ent.id));
    const said = (rec.quotes || []).filter((q) => q.speaker === ent.id);
    const a = ent.actor;
    clear(detail).append(
      h('div', { class: 'detail-card entity-detail', id: 'entity-detail', 'data-entity-id': ent.id },
        h('div', { class: 'detail-head' }, h('span', { class: 'muted small mono' }, ent.id), h('span', { class: 'detail-kind' }, ENTITY_TYPES[ent.type] || ent.type),
          h('button', { type: 'button', class: 'close', title: 'Clear the selection', onclick: () => select({}, true) }, '×')),
        h('h3', {}, h('mark', { class: `ent ent-${ent.type} swatch` }, ent.type), ' ', ent.name),
        h('dl', { class: 'facts' },
          h('dt', {}, 'Actor'), h('dd', {}, a && a.code ? [h('span', { class: 'code' }, a.code), ` ${[a.country, a.sector].filter(Boolean).join(' · ')}`] : h('span', { class: 'muted' }, 'not an actor')),
          ent.title ? [h('dt', {}, 'Title'), h('dd', {}, ent.title)] : null,
          g ? [h('dt', {}, 'Place'), h('dd', {}, [g.name, g.admin1, g.country].filter(Boolean).join(', '), h('span', { class: 'muted' }, ` · ${Number(g.lat).toFixed(2)}, ${Number(g.lon).toFixed(2)}${g.feature ? ` · ${g.feature}` : ''}`))] : null,
          h('dt', {}, 'Mentions'), h('dd', {}, String((ent.mentions || []).length)),
          h('dt', {}, 'Events'), h('dd', {}, involved.length ? involved.map((v, i) => [i ? ', ' : '', h('a', { href: articleHref(rec.id, { event: v.id }), onclick: (e) => { e.preventDefault(); select({ event: v.id }, true); } }, `${(v.plover && v.plover.type) || v.cameo}`)]) : h('span', { class: 'muted' }, 'none')),
          h('dt', {}, 'Quotes'), h('dd', {}, said.length ? said.map((q, i) => [i ? ', ' : '', h('a', { href: articleHref(rec.id, { quote: q.id }), onclick: (e) => { e.preventDefault(); select({ quote: q.id }, true); } }, q.id)]) : h('span', { class: 'muted' }, 'none'))),
        fromQuote ? h('p', { class: 'muted small' }, `Speaker of ${fromQuote}; every mention is highlighted in the text.`) : null));
    const marks = focusEntity(ent.id);
    if (fromQuote) textEl.querySelectorAll(`.quote[data-quote-id="${CSS.escape(fromQuote)}"]`).forEach((x) => x.classList.add('selected'));
    reveal(marks[0]);
  };

  /** Selects an event, quote or entity (from the URL or a click); `push` records it in the URL. */
  const select = (params, push) => {
    clearMarks();
    el.querySelectorAll('.item-list .active').forEach((x) => x.classList.remove('active'));
    let key = {};
    if (params.event && events.has(params.event)) {
      showEvent(events.get(params.event));
      key = { event: params.event };
      showTab('events');
    } else if (params.quote && quotes.has(params.quote)) {
      showQuote(quotes.get(params.quote));
      key = { quote: params.quote };
      showTab('quotes');
    } else if (params.entity && entities.has(params.entity)) {
      showEntity(entities.get(params.entity), params.speakerOf);
      key = { entity: params.entity };
    } else {
      clear(detail).append(h('p', { class: 'muted' }, 'Click an event, a quote or a name in the text (or in the lists below) for its details.'));
    }
    const [k, v] = Object.entries(key)[0] || [];
    if (k) {
      const item = el.querySelector(`.item-list [data-${k}-id="${CSS.escape(v)}"]`);
      if (item) {
        item.classList.add('active');
        item.scrollIntoView({ block: 'nearest' });
      }
    }
    if (push) replaceParams(key);
  };
  current.select = (params) => select(params, false);

  textEl.addEventListener('click', (e) => {
    const t = e.target.closest('.trigger');
    if (t && !textEl.classList.contains('hide-events')) {
      // Several events on one trigger: each click shows the next.
      const ids = t.dataset.eventIds.split(' ');
      const now = parseHash().params.event;
      const i = ids.indexOf(now);
      select({ event: ids[(i + 1) % ids.length] }, true);
      return;
    }
    const m = e.target.closest('.ent');
    if (m && !textEl.classList.contains('hide-ents')) {
      select({ entity: m.dataset.entityId }, true);
      return;
    }
    const q = e.target.closest('.quote');
    if (q && !textEl.classList.contains('hide-quotes')) select({ quote: q.dataset.quoteId }, true);
  });
  textEl.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target.classList.contains('trigger')) e.target.click();
  });
  cleanup = () => {
    if (HIGHLIGHTS) ['role-source', 'role-target', 'role-reporter', 'speaker-span'].forEach((n) => CSS.highlights.delete(n));
  };
  select(r.params, false);
}

function truncate(s, n) {
  const cp = Array.from(s || '');
  return cp.length > n ? `${cp.slice(0, n - 1).join('')}…` : cp.join('');
}

// ---------------------------------------------------------------------------------------
// Event filters shared by the timeline, the network and the map

const FILTER_KEYS = ['actor', 'cameo', 'plover', 'modality', 'since', 'until', 'place', 'min_confidence', 'clustered', 'article'];

/** An event's confidence (0-1) as a percent chip; nothing for an unscored event. */
function confidenceChip(c) {
  if (typeof c !== 'number') return null;
  const level = c >= 0.7 ? 'high' : c >= 0.5 ? 'mid' : 'low';
  return h('span', { class: `chip confidence c-${level}`, title: 'Confidence (0-100)' }, `${Math.round(c * 100)}%`);
}

function filterParams(params) {
  const out = {};
  for (const k of FILTER_KEYS) if (params[k]) out[k] = params[k];
  return out;
}

function filterBar(page, params, extra) {
  const input = (name, label, attrs) => h('label', { class: 'field' }, h('span', {}, label),
    h('input', Object.assign({ name, value: params[name] || '' }, attrs || {})));
  const select = (name, label, options) => h('label', { class: 'field' }, h('span', {}, label),
    h('select', { name }, h('option', { value: '' }, 'any'),
      options.map((o) => h('option', { value: o, selected: params[name] === o }, o))));
  const form = h('form', { class: 'filters card', id: 'filters' },
    input('actor', 'Actor', { placeholder: 'RUS, USAGOV, Putin', size: 14 }),
    input('cameo', 'CAMEO', { placeholder: '19, 190', size: 6 }),
    select('plover', 'PLOVER', PLOVER_TYPES),
    select('modality', 'Modality', MODALITIES),
    input('since', 'Since', { type: 'date' }),
    input('until', 'Until', { type: 'date' }),
    input('place', 'Place', { placeholder: 'Kyiv, UKR', size: 10 }),
    input('min_confidence', 'Min. confidence', { type: 'number', min: 0, max: 1, step: 0.05, placeholder: '0.5', size: 5 }),
    h('label', { class: 'field check' }, h('input', { type: 'checkbox', name: 'clustered', value: 'true', checked: params.clustered === 'true' }),
      h('span', {}, 'one per cluster')),
    params.article ? h('div', { class: 'field' }, h('span', {}, 'Article'),
      h('span', { class: 'chip article-chip' }, h('input', { type: 'hidden', name: 'article', value: params.article }), params.article,
        ' ', h('a', { href: `#/${page}?${new URLSearchParams(Object.entries(filterParams(params)).filter(([k]) => k !== 'article'))}`, title: 'All articles' }, '×'))) : null,
    extra || null,
    h('div', { class: 'field buttons' }, h('button', { type: 'submit', class: 'button primary' }, 'Apply'),
      h('a', { class: 'button', href: `#/${page}` }, 'Reset')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const qs = new URLSearchParams();
    for (const [k, v] of new FormData(form).entries()) if (v) qs.set(k, String(v));
    location.hash = `#/${page}${qs.toString() ? `?${qs}` : ''}`;
  });
  return form;
}

function quadLegend() {
  return h('div', { class: 'quad-legend', id: 'quad-legend' },
    Object.entries(QUADS).map(([q, v]) => h('span', { class: 'legend-item' }, h('span', { class: 'swatch-line', style: { background: v.color } }), ` ${q} ${v.name}`)));
}

/** An event date as a time range: a day, an ISO week, a month or a year (UTC). */
function dateRange(d) {
  if (!d) return null;
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d);
  if (m) return { start: new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])), point: true };
  m = /^(\d{4})-W(\d{2})$/.exec(d);
  if (m) {
    const jan4 = new Date(Date.UTC(+m[1], 0, 4));
    const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 864e5 + (+m[2] - 1) * 7 * 864e5);
    return { start: monday, end: new Date(monday.getTime() + 7 * 864e5) };
  }
  m = /^(\d{4})-(\d{2})$/.exec(d);
  if (m) return { start: new Date(Date.UTC(+m[1], +m[2] - 1, 1)), end: new Date(Date.UTC(+m[1], +m[2], 1)) };
  m = /^(\d{4})$/.exec(d);
  if (m) return { start: new Date(Date.UTC(+m[1], 0, 1)), end: new Date(Date.UTC(+m[1] + 1, 0, 1)) };
  return null;
}

/** "Nov 2025", "week 49 of 2025", "2025": the period of a date less precise than a day. */
function periodLabel(d) {
  let m = /^(\d{4})-W(\d{2})$/.exec(d || '');
  if (m) return `week ${+m[2]} of ${m[1]}`;
  m = /^(\d{4})-(\d{2})$/.exec(d || '');
  if (m) return new Date(Date.UTC(+m[1], +m[2] - 1, 1)).toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
  return d || '';
}

function eventSummary(e) {
  return `${e.source_code || e.source_text || '—'} → ${e.target_code || e.target_text || '—'}`;
}

function eventTable(rows, names) {
  return h('table', { class: 'table events-table', id: 'events-table' },
    h('thead', {}, h('tr', {}, ['Date', 'Source', 'Event', 'Target', 'Modality', 'Confidence', 'Place', 'Evidence'].map((c) => h('th', {}, c)))),
    h('tbody', {}, rows.map((e) => h('tr', { 'data-event-id': e.event_id, 'data-article-id': e.article_id },
      h('td', { class: 'nowrap' }, e.date || h('span', { class: 'muted' }, 'undated')),
      h('td', {}, actorLabel(e.source_code, e.source_text)),
      h('td', {}, h('span', { class: `quad-dot q${e.quad}`, title: QUADS[e.quad] ? QUADS[e.quad].name : '' }), ' ', h('strong', {}, e.plover || ''),
        h('div', { class: 'muted small' }, `${e.cameo} ${cameoName(names, e.cameo)}`)),
      h('td', {}, actorLabel(e.target_code, e.target_text)),
      h('td', {}, h('span', { class: `chip modality m-${e.modality}` }, e.modality)),
      h('td', {}, confidenceChip(e.confidence) || h('span', { class: 'muted' }, '—')),
      h('td', {}, e.location || h('span', { class: 'muted' }, '—')),
      h('td', { class: 'evidence-cell' }, h('a', { href: articleHref(e.article_id, { event: e.event_id }) }, truncate(e.sentence, 160)))))));
}

// ---------------------------------------------------------------------------------------
// Timeline

async function pageTimeline(el, r, live) {
  document.title = 'Timeline — Chronicle';
  const filters = filterParams(r.params);
  el.append(h('div', { class: 'page-head' }, h('h1', {}, 'Timeline of events'),
    h('p', { class: 'muted' }, 'Events by date, one lane per QuadClass. Drag to pan, scroll to zoom, click an event for its evidence. An event dated only to a week, month or year is drawn at the period’s start, over a faint band for the period.')),
  filterBar('timeline', r.params));
  const [data, names] = await Promise.all([api('/api/events', Object.assign({ limit: 1000 }, filters)), cameoTable(), loadScript(VENDOR.vis)]);
  if (!live()) return;
  const dated = [];
  let undated = 0;
  for (const e of data.events) {
    const range = dateRange(e.date);
    if (!range) {
      undated += 1;
      continue;
    }
    // A week, month or year is a point at its start with the period in its label, over a
    // faint band for the period: a bar a month wide on a years-long axis is a few pixels,
    // too narrow for any label ("C", "A").
    const content = h('span', {}, h('strong', {}, e.plover || e.cameo), ` ${eventSummary(e)}`,
      range.end ? h('span', { class: 'period' }, ` · ${periodLabel(e.date)}`) : null);
    dated.push({
      id: `${e.article_id}\u0000${e.event_id}`,
      group: QUADS[e.quad] ? e.quad : 3,
      start: range.start,
      end: range.end,
      type: 'point',
      content,
      // An element, not a string: vis-timeline puts a string title into the tooltip as
      // HTML, and actor texts come from articles.
      title: h('span', {}, `${e.date} · ${e.plover} (CAMEO ${e.cameo}) · ${actorLabel(e.source_code, e.source_text)} → ${actorLabel(e.target_code, e.target_text)}`),
      className: `q${e.quad}`,
      event: e,
    });
  }
  const summary = h('p', { class: 'muted', id: 'timeline-summary' },
    `${fmtNumber(dated.length)} dated event${dated.length === 1 ? '' : 's'}`,
    undated ? `, ${fmtNumber(undated)} without a date (listed below only)` : '',
    data.count >= data.limit ? ` — the first ${fmtNumber(data.limit)} matches; narrow the filters to see others` : '');
  const box = h('div', { class: 'card timeline-card' }, quadLegend(), h('div', { id: 'timeline', class: 'timeline' }));
  const detail = h('div', { id: 'timeline-detail', class: 'card detail' }, h('p', { class: 'muted' }, 'Select an event on the timeline.'));
  el.append(summary, box, detail, h('section', { class: 'card' }, h('h2', {}, `Events (${fmtNumber(data.count)})`),
    data.events.length ? h('div', { class: 'table-scroll' }, eventTable(data.events, names)) : h('p', { class: 'empty' }, 'No events match.')));
  if (!dated.length) {
    clear(box.querySelector('#timeline')).append(h('p', { class: 'empty' }, 'No dated events match these filters.'));
    return;
  }
  const groups = Object.entries(QUADS).map(([q, v]) => ({ id: +q, content: h('span', { class: 'group-label' }, h('span', { class: 'swatch-line', style: { background: v.color } }), v.name), className: `q${q}` }));
  const vis = window.vis;
  const bands = dated.filter((d) => d.end).map((d) => ({
    id: `band:${d.id}`, group: d.group, start: d.start, end: d.end, type: 'background', className: `period-band q${d.event.quad}`,
  }));
  const items = new vis.DataSet([...dated.map(({ event, end, ...item }) => item), ...bands]);
  const starts = dated.map((d) => d.start.getTime());
  const ends = dated.map((d) => (d.end || d.start).getTime());
  const min = Math.min(...starts);
  const max = Math.max(...ends);
  const span = Math.max(864e5, max - min);
  const timelineEl = box.querySelector('#timeline');
  // The first view holds every event: a margin on the left, and on the right room for the
  // labels, which run rightwards from their point (about 260 px of the axis's width).
  const axisPx = Math.max(400, timelineEl.clientWidth - 170);
  const rightShare = Math.min(0.6, 260 / axisPx);
  const start = min - span * 0.04;
  const end = max + ((max - start) * rightShare) / (1 - rightShare);
  const timeline = new vis.Timeline(timelineEl, items, new vis.DataSet(groups), {
    stack: true,
    orientation: 'top',
    start: new Date(start),
    end: new Date(end),
    zoomMin: 36e5 * 6,
    maxHeight: 720,
    // Zoomed out, nearby events of one lane fold into a cluster; zooming in opens it.
    cluster: { maxItems: 3, titleTemplate: '{count} events: zoom in (or double-click) to see them', showStipes: true, fitOnDoubleClick: true },
    margin: { item: 6 },
    moment: (date) => vis.moment(date).utc(),
    tooltip: { followMouse: true },
  });
  const byId = new Map(dated.map((d) => [d.id, d.event]));
  timeline.on('select', ({ items: sel }) => {
    const e = byId.get(sel[0]);
    if (!e) return;
    clear(detail).append(h('div', { class: `detail-card event-detail q${e.quad}`, 'data-event-id': e.event_id },
      h('div', { class: 'detail-head' }, h('span', { class: 'detail-kind' }, `${e.plover} · CAMEO ${e.cameo} ${cameoName(names, e.cameo)}`), quadChip(e.quad)),
      h('p', {}, h('strong', {}, actorLabel(e.source_code, e.source_text)), ' → ', h('strong', {}, actorLabel(e.target_code, e.target_text)),
        ` · ${e.date} · ${e.modality}${e.location ? ` · ${e.location}` : ''}`),
      h('blockquote', { class: 'evidence-text' }, e.sentence),
      h('a', { class: 'button', href: articleHref(e.article_id, { event: e.event_id }) }, 'Open in the article →')));
  });
  cleanup = () => timeline.destroy();
  el.dataset.items = String(dated.length);
  // The shown window, for the browser test (it checks the first view holds every event).
  const showWindow = () => {
    const w = timeline.getWindow();
    timelineEl.dataset.windowStart = new Date(w.start).toISOString();
    timelineEl.dataset.windowEnd = new Date(w.end).toISOString();
  };
  showWindow();
  timeline.on('rangechanged', showWindow);
}

// ---------------------------------------------------------------------------------------
// Actor network

/**
 * Moves nodes apart until no two of their boxes (node and label, plus a small gap) overlap:
 * each overlapping pair is pushed apart along the axis of least overlap, half each.
 */
function separateLabels(cy) {
  const gap = 4 / Math.min(1, cy.zoom());
  const nodes = cy.nodes().toArray();
  for (let iter = 0; iter < 200; iter++) {
    const boxes = nodes.map((n) => n.boundingBox({ includeLabels: true, includeOverlays: false }));
    let moved = false;
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        const ox = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + gap;
        const oy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + gap;
        if (ox <= 0 || oy <= 0) continue;
        const pa = nodes[i].position();
        const pb = nodes[j].position();
        // Along the axis that needs the shorter move; ties (same spot) go sideways.
        const dx = ox < oy ? (pa.x <= pb.x ? -ox / 2 : ox / 2) : 0;
        const dy = ox < oy ? 0 : (pa.y <= pb.y ? -oy / 2 : oy / 2);
        nodes[i].position({ x: pa.x + dx, y: pa.y + dy });
        nodes[j].position({ x: pb.x - dx, y: pb.y - dy });
        for (const [k, sx, sy] of [[i, dx, dy], [j, -dx, -dy]]) {
          boxes[k] = { x1: boxes[k].x1 + sx, x2: boxes[k].x2 + sx, y1: boxes[k].y1 + sy, y2: boxes[k].y2 + sy };
        }
        moved = true;
      }
    }
    if (!moved) return;
  }
}

async function pageNetwork(el, r, live) {
  document.title = 'Actor network — Chronicle';
  const filters = filterParams(r.params);
  const limit = Math.min(1000, Math.max(1, parseInt(r.params.limit || '300', 10) || 300));
  el.append(h('div', { class: 'page-head' }, h('h1', {}, 'Actor network'),
    h('p', { class: 'muted' }, 'Who did what to whom: an arrow per actor pair and QuadClass, thicker for more events. Actors are CAMEO codes (or their names when uncoded). Click an actor or an arrow for its events.')),
  filterBar('network', r.params));
  const [data] = await Promise.all([api('/api/network', Object.assign({ limit }, filters)), loadScript(VENDOR.cytoscape)]);
  if (!live()) return;
  const graph = h('div', { id: 'network', class: 'network' });
  const side = h('div', { class: 'card detail network-detail', id: 'network-detail' });
  const nodeName = new Map(data.nodes.map((n) => [n.id, n.name]));
  const overview = () => clear(side).append(h('h2', {}, 'Busiest pairs'),
    h('p', { class: 'muted small' }, 'Select an actor or an arrow for its events.'),
    h('table', { class: 'table compact' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Source → target'), h('th', {}, 'By class'))),
      h('tbody', {}, data.edges.slice(0, 15).map((e) => h('tr', {},
        h('td', {}, h('strong', {}, e.source), ' → ', h('strong', {}, e.target),
          h('div', { class: 'muted small' }, `${truncate(nodeName.get(e.source) || '', 22)} → ${truncate(nodeName.get(e.target) || '', 22)}`)),
        h('td', { class: 'nowrap' }, e.quads.map((c, i) => (c ? h('span', { class: `quad-count q${i + 1}`, title: QUADS[i + 1].name }, String(c)) : null))))))));
  overview();
  el.append(
    h('p', { class: 'muted', id: 'network-summary' }, `${fmtNumber(data.nodes.length)} actors, ${fmtNumber(data.count)} actor pairs`,
      data.total > data.count ? ` (the ${fmtNumber(data.count)} busiest of ${fmtNumber(data.total)}; narrow the filters to see others)` : ''),
    h('div', { class: 'network-layout' }, h('div', { class: 'card graph-card' }, quadLegend(), graph), side));
  if (!data.edges.length) {
    graph.append(h('p', { class: 'empty' }, 'No events with both a source and a target match these filters.'));
    graph.dataset.nodes = '0';
    return;
  }
  const elements = [];
  for (const n of data.nodes) {
    const weight = n.as_source + n.as_target;
    const label = n.coded && n.name && n.name !== n.id ? `${n.id}\n${truncate(n.name, 24)}` : truncate(n.name || n.id, 28);
    // Start on a circle (busiest first) so the layout comes out the same on every load.
    const k = elements.length;
    const a = (2 * Math.PI * k) / data.nodes.length;
    elements.push({
      data: { id: `n:${n.id}`, key: n.id, label, weight, size: 18 + 9 * Math.sqrt(weight), node: n },
      position: { x: 400 + 300 * Math.cos(a), y: 300 + 300 * Math.sin(a) },
    });
  }
  for (const e of data.edges) {
    e.quads.forEach((count, i) => {
      if (!count) return;
      const q = i + 1;
      elements.push({ data: { id: `e:${e.source}\u0000${e.target}\u0000${q}`, source: `n:${e.source}`, target: `n:${e.target}`, quad: q, count, color: QUADS[q].color, width: 1.5 + 2.2 * Math.sqrt(count), edge: e } });
    });
  }
  // Lay the graph out in the box it is shown in, so it uses the width as well as the height.
  const box = { x1: 0, y1: 0, w: Math.max(400, graph.clientWidth), h: Math.max(300, graph.clientHeight) };
  const layout = Object.assign({ name: 'cose', animate: false, randomize: false, nodeRepulsion: () => 4500, idealEdgeLength: () => 60, componentSpacing: 30, padding: 24, nodeDimensionsIncludeLabels: true, boundingBox: box });
  const LAYOUT_PASSES = 2;
  const cy = window.cytoscape({
    container: graph,
    elements,
    wheelSensitivity: 0.3,
    minZoom: 0.2,
    maxZoom: 3,
    style: [
      { selector: 'node', style: {
        'background-color': '#3b4a6b', width: 'data(size)', height: 'data(size)', label: 'data(label)',
        'text-wrap': 'wrap', 'font-size': 12, 'font-family': 'system-ui, sans-serif', color: '#1b2233',
        'text-valign': 'bottom', 'text-margin-y': 4, 'text-background-color': '#ffffff', 'text-background-opacity': 0.85,
        'text-background-padding': 2, 'text-background-shape': 'roundrectangle', 'border-width': 2, 'border-color': '#ffffff',
      } },
      { selector: 'edge', style: {
        width: 'data(width)', 'line-color': 'data(color)', 'target-arrow-color': 'data(color)', 'target-arrow-shape': 'triangle',
        'arrow-scale': 0.9, 'curve-style': 'bezier', opacity: 0.85,
      } },
      { selector: 'node:selected', style: { 'background-color': '#f2c14e', 'border-color': '#1b2233' } },
      { selector: 'edge:selected', style: { opacity: 1, 'underlay-color': '#1b2233', 'underlay-opacity': 0.25, 'underlay-padding': 3 } },
      { selector: '.faded', style: { opacity: 0.12 } },
    ],
    layout,
  });
  // Labels at least 11px on screen however far the fit zoomed out. The layout makes room
  // for labels at the size they have when it runs, so it runs again with the labels grown
  // to the size the fit will show them at (twice: each pass zooms out a little more).
  const fitLabels = () => {
    const z = Math.min(1, cy.zoom());
    cy.style().selector('node').style({ 'font-size': 11 / z, 'text-background-padding': 2 / z, 'text-margin-y': 4 / z }).update();
  };
  for (let pass = 0; pass < LAYOUT_PASSES; pass++) {
    fitLabels();
    cy.layout(Object.assign({}, layout, { randomize: false })).run();
  }
  // The force layout still lets labels overlap in a dense centre; push overlapping nodes
  // apart (with their labels) until none do, then fit and grow the labels to the new zoom.
  for (let pass = 0; pass < 3; pass++) {
    fitLabels();
    separateLabels(cy);
    cy.fit(undefined, 24);
  }
  fitLabels();
  graph.dataset.nodes = String(cy.nodes().length);
  graph.cy = cy; // for the browser test, which measures where the labels fell
  graph.dataset.edges = String(cy.edges().length);
  const edgeEvents = async (s, t, quad) => {
    const res = await api('/api/events', Object.assign({}, filters, { source: s, target: t, limit: 1000 }));
    const keyOf = (code, text) => (code ? code : (text || '').trim());
    return res.events.filter((e) => keyOf(e.source_code, e.source_text) === s && keyOf(e.target_code, e.target_text) === t && (!quad || e.quad === quad));
  };
  const names = await cameoTable();
  cy.on('tap', 'node', (evt) => {
    const n = evt.target.data('node');
    cy.elements().removeClass('faded');
    cy.elements().not(evt.target.closedNeighborhood()).addClass('faded');
    const out = data.edges.filter((e) => e.source === n.id);
    const inc = data.edges.filter((e) => e.target === n.id);
    const line = (e, other) => h('li', {}, h('a', { href: `#/timeline?actor=${encodeURIComponent(other)}` }, other), ' ',
      e.quads.map((c, i) => (c ? h('span', { class: `quad-count q${i + 1}`, title: QUADS[i + 1].name }, String(c)) : null)));
    clear(side).append(h('div', { class: 'detail-card', 'data-node': n.id },
      h('h3', {}, n.name), n.coded ? h('div', {}, h('span', { class: 'code' }, n.id)) : null,
      h('p', { class: 'muted' }, `${n.as_source} events as source, ${n.as_target} as target`),
      out.length ? [h('h4', {}, 'Acts on'), h('ul', { class: 'plain' }, out.map((e) => line(e, e.target)))] : null,
      inc.length ? [h('h4', {}, 'Acted on by'), h('ul', { class: 'plain' }, inc.map((e) => line(e, e.source)))] : null,
      h('a', { class: 'button', href: `#/timeline?${new URLSearchParams(Object.assign({}, filters, { actor: n.id }))}` }, 'Timeline of this actor →')));
  });
  cy.on('tap', 'edge', async (evt) => {
    const d = evt.target.data();
    const e = d.edge;
    cy.elements().removeClass('faded');
    clear(side).append(h('div', { class: 'detail-card' }, h('h3', {}, `${e.source} → ${e.target}`), quadChip(d.quad),
      h('p', { class: 'muted' }, `${d.count} event${d.count === 1 ? '' : 's'} in this class; ${e.events} in all, in ${e.articles} article${e.articles === 1 ? '' : 's'}; mean Goldstein ${e.goldstein.toFixed(1)}`),
      h('p', { class: 'muted' }, 'Loading events…')));
    try {
      const evs = await edgeEvents(e.source, e.target, d.quad);
      const card = side.querySelector('.detail-card');
      if (!card) return;
      card.lastChild.remove();
      card.append(h('ul', { class: 'plain event-links' }, evs.map((v) => h('li', {},
        h('a', { href: articleHref(v.article_id, { event: v.event_id }) }, `${v.date || 'undated'} · ${v.plover} ${cameoName(names, v.cameo)}`),
        h('div', { class: 'muted small' }, truncate(v.sentence, 180))))));
    } catch (err) {
      side.append(errorBox(err));
    }
  });
  cy.on('tap', (evt) => {
    if (evt.target === cy) {
      cy.elements().removeClass('faded');
      overview();
    }
  });
  cleanup = () => cy.destroy();
}

// ---------------------------------------------------------------------------------------
// Map

/**
 * Natural Earth rings as world-atlas ships them cross the antimeridian (Russia, Fiji) or
 * circle the South Pole (Antarctica): made for spherical renderers, they jump from 180° to
 * -180° in one step, which a flat map draws as a stroke and a fill band across the whole
 * world. Each ring is unwrapped into continuous longitudes, a ring around a pole is closed
 * along it, and whatever lies beyond ±180° is cut off and moved to the other edge.
 */
function splitAntimeridian(fc) {
  const unwrap = (ring) => {
    const out = [];
    let shift = 0;
    for (let i = 0; i < ring.length; i++) {
      if (i > 0) {
        const d = ring[i][0] - ring[i - 1][0];
        if (d > 180) shift -= 360;
        else if (d < -180) shift += 360;
      }
      out.push([ring[i][0] + shift, ring[i][1]]);
    }
    const first = out[0];
    const last = out[out.length - 1];
    if (Math.abs(last[0] - first[0]) > 180) {
      // Around a pole: close the ring along it (Web Mercator shows ±85°; Leaflet clamps).
      const pole = out.reduce((s, p) => s + p[1], 0) < 0 ? -90 : 90;
      const step = (first[0] - last[0]) / 12;
      for (let k = 0; k <= 12; k++) out.push([last[0] + k * step, pole]);
      out.push(first);
    }
    return out;
  };
  // Sutherland-Hodgman against one vertical line: keeps the side where sign*(x - x0) <= 0.
  const clip = (ring, x0, sign) => {
    const inside = (p) => sign * (p[0] - x0) <= 0;
    const cut = (a, b) => [x0, a[1] + ((b[1] - a[1]) * (x0 - a[0])) / (b[0] - a[0])];
    const out = [];
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = ring[i];
      const b = ring[i + 1];
      if (inside(a)) {
        out.push(a);
        if (!inside(b)) out.push(cut(a, b));
      } else if (inside(b)) {
        out.push(cut(a, b));
      }
    }
    if (out.length) out.push(out[0]);
    return out.length >= 4 ? out : null;
  };
  const polygon = (rings) => {
    const un = rings.map(unwrap);
    const xs = un.flat().map((p) => p[0]);
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    if (lo >= -180 && hi <= 180) return [un];
    const pieces = [];
    for (const dx of [-360, 0, 360]) {
      if (hi + dx <= -180 || lo + dx >= 180) continue;
      const moved = un.map((r) => r.map(([x, y]) => [x + dx, y]));
      const cutRings = moved.map((r) => {
        const left = clip(r, 180, 1);
        return left && clip(left, -180, -1);
      });
      if (cutRings[0]) pieces.push([cutRings[0], ...cutRings.slice(1).filter(Boolean)]);
    }
    return pieces;
  };
  for (const f of fc.features) {
    const g = f.geometry;
    if (!g) continue;
    if (g.type === 'Polygon') {
      const p = polygon(g.coordinates);
      f.geometry = p.length === 1 ? { type: 'Polygon', coordinates: p[0] } : { type: 'MultiPolygon', coordinates: p };
    } else if (g.type === 'MultiPolygon') {
      f.geometry = { type: 'MultiPolygon', coordinates: g.coordinates.flatMap(polygon) };
    }
  }
  return fc;
}

async function pageMap(el, r, live) {
  document.title = 'Map — Chronicle';
  const filters = filterParams(r.params);
  el.append(h('div', { class: 'page-head' }, h('h1', {}, 'Map of events'),
    h('p', { class: 'muted' }, 'Events with coordinates, one circle per place (larger for more events, coloured by the most frequent QuadClass). The basemap is Natural Earth’s 1:110m country outlines, built in: nothing is fetched from the internet.')),
  filterBar('map', r.params));
  const [places, world] = await Promise.all([
    api('/api/places', Object.assign({ limit: 1000 }, filters)),
    fetch(VENDOR.countries).then((res) => {
      if (!res.ok) throw new Error(`basemap: ${res.status}`);
      return res.json();
    }),
    loadCss(VENDOR.leafletCss), loadScript(VENDOR.leafletJs), loadScript(VENDOR.topojson),
  ]);
  if (!live()) return;
  const mapEl = h('div', { id: 'map', class: 'map' });
  const list = h('div', { class: 'card place-list', id: 'place-list' });
  el.append(h('p', { class: 'muted', id: 'map-summary' }, `${fmtNumber(places.count)} place${places.count === 1 ? '' : 's'}`,
    places.total > places.count ? ` (the ${fmtNumber(places.count)} busiest of ${fmtNumber(places.total)})` : ''),
  h('div', { class: 'map-layout' }, h('div', { class: 'card map-card' }, mapEl), list));
  const L = window.L;
  const map = L.map(mapEl, { zoomAnimation: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.25, worldCopyJump: false, maxBounds: [[-85, -200], [85, 200]], maxBoundsViscosity: 0.8 });
  // A view first: layers added to a map without one have nowhere to draw.
  const bounds = places.places.map((p) => [p.lat, p.lon]);
  if (bounds.length) map.fitBounds(L.latLngBounds(bounds).pad(0.35), { maxZoom: 5 });
  else map.setView([25, 10], 1.5);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Basemap: Natural Earth (public domain)');
  const countries = splitAntimeridian(window.topojson.feature(world, world.objects.countries));
  L.geoJSON(countries, {
    interactive: false,
    style: { className: 'country', color: '#aab2bd', weight: 0.7, fillColor: '#f5f2ea', fillOpacity: 1 },
  }).addTo(map);
  const legend = L.control({ position: 'bottomleft' });
  legend.onAdd = () => quadLegend();
  legend.addTo(map);
  const markers = [];
  for (const p of places.places) {
    const q = dominantQuad(p.quads);
    const popup = h('div', { class: 'place-popup' },
      h('strong', {}, p.name || 'unnamed place'), h('div', { class: 'muted small' }, [p.admin1, p.country].filter(Boolean).join(', ')),
      h('div', {}, `${p.events} event${p.events === 1 ? '' : 's'}`, p.first ? ` · ${p.first}${p.last && p.last !== p.first ? ` – ${p.last}` : ''}` : ''),
      h('div', { class: 'quad-counts' }, p.quads.map((c, i) => (c ? h('span', { class: `quad-count q${i + 1}`, title: QUADS[i + 1].name }, String(c)) : null))),
      p.killed || p.wounded ? h('div', {}, `Killed ${p.killed}, wounded ${p.wounded}`) : null,
      h('ul', { class: 'plain' }, p.articles.map((a) => h('li', {}, h('a', { class: 'popup-article', href: articleHref(a.id), 'data-article-id': a.id }, a.title || a.id)))),
      p.articles_total > p.articles.length ? h('div', { class: 'muted small' }, `and ${p.articles_total - p.articles.length} more articles`) : null,
      p.name ? h('a', { href: `#/timeline?${new URLSearchParams(Object.assign({}, filters, { place: p.name }))}` }, 'These events on the timeline →') : null);
    const m = L.circleMarker([p.lat, p.lon], {
      radius: 5 + 3.2 * Math.sqrt(p.events), color: '#ffffff', weight: 1.5, fillColor: QUADS[q].color, fillOpacity: 0.88, className: 'event-marker',
    }).bindPopup(popup, { maxWidth: 320 })
      // An element, not a string: Leaflet parses a string tooltip as HTML, and a place's
      // name comes from article text.
      .bindTooltip(h('span', {}, `${p.name || ''} · ${p.events}`), { direction: 'top' });
    m.addTo(map);
    markers.push(m);
  }
  clear(list).append(h('h2', {}, 'Places'),
    places.places.length === 0 ? h('p', { class: 'empty' }, 'No events with coordinates match these filters.') : h('table', { class: 'table compact' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Place'), h('th', { class: 'num' }, 'Events'), h('th', { class: 'num' }, 'Killed'))),
      h('tbody', {}, places.places.map((p, i) => h('tr', {
        class: 'place-row', tabindex: '0',
        onclick: () => {
          map.setView([p.lat, p.lon], Math.max(map.getZoom(), 5), { animate: false });
          markers[i].openPopup();
        },
      },
      h('td', {}, h('span', { class: `quad-dot q${dominantQuad(p.quads)}` }), ' ', p.name || '—', h('div', { class: 'muted small' }, [p.admin1, p.country].filter(Boolean).join(', '))),
      h('td', { class: 'num' }, String(p.events)),
      h('td', { class: 'num' }, p.killed ? String(p.killed) : '—'))))));
  // If the page was opened for one place (from an event), open its popup.
  if (r.params.place) {
    const i = places.places.findIndex((p) => p.name === r.params.place);
    if (i >= 0) markers[i].openPopup();
  }
  mapEl.dataset.markers = String(markers.length);
  cleanup = () => {
    map.stop();
    map.remove();
  };
}

// ---------------------------------------------------------------------------------------
// Search

/** FTS5 snippet with [matched] words as text plus <mark>s (never as HTML). */
function snippet(s) {
  const out = [];
  const re = /\[([^\]]*)\]/g;
  let last = 0;
  let m;
  while ((m = re.exec(s))) {
    out.push(s.slice(last, m.index), h('mark', { class: 'hit' }, m[1]));
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  return out;
}

async function pageSearch(el, r, live) {
  const q = (r.params.q || '').trim();
  document.title = q ? `${q} — Search — Chronicle` : 'Search — Chronicle';
  const form = h('form', { class: 'search-form card', id: 'search-form', role: 'search' },
    h('input', { type: 'search', name: 'q', value: q, placeholder: 'Words in the articles, or a speaker or words in a quote', 'aria-label': 'Search', autofocus: true }),
    h('button', { type: 'submit', class: 'button primary' }, 'Search'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = new FormData(form).get('q');
    location.hash = `#/search?q=${encodeURIComponent(String(v || '').trim())}`;
  });
  el.append(h('div', { class: 'page-head' }, h('h1', {}, 'Search'),
    h('p', { class: 'muted' }, 'Full-text search over article titles and text (SQLite FTS5: several words must all appear, "a phrase" in quotes, prefix*), and over quotes by speaker or quoted words.')),
  form);
  if (!q) return;
  let articles;
  let note = null;
  try {
    articles = await api('/api/articles', { q, limit: 50 });
  } catch (err) {
    if (err.status !== 400) throw err;
    // Not valid FTS5 syntax (a stray quote or operator): search the words as plain terms.
    const plain = q.split(/\s+/).filter(Boolean).map((w) => `"${w.replace(/"/g, '""')}"`).join(' ');
    articles = await api('/api/articles', { q: plain, limit: 50 });
    note = 'The query is not valid FTS5 syntax; its words were searched as plain terms.';
  }
  const [bySpeaker, byText] = await Promise.all([api('/api/quotes', { speaker: q, limit: 100 }), api('/api/quotes', { text: q, limit: 100 })]);
  if (!live()) return;
  const seen = new Set();
  const quotes = [...bySpeaker.quotes, ...byText.quotes].filter((x) => {
    const k = `${x.article_id}\u0000${x.quote_id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  el.append(h('div', { class: 'two-col search-results' },
    h('section', { class: 'card', id: 'article-results' }, h('h2', {}, `Articles (${articles.count})`), note ? h('p', { class: 'muted small' }, note) : null,
      articles.count === 0 ? h('p', { class: 'empty' }, 'No article matches.') : h('ol', { class: 'results' },
        articles.articles.map((a) => h('li', { class: 'result-article', 'data-article-id': a.id },
          a.title ? h('a', { href: articleHref(a.id) }, a.title)
            : h('a', { href: articleHref(a.id), class: 'lead-title', title: 'The article has no title' }, a.id),
          h('div', { class: 'snippet' }, snippet(a.snippet || '')))))),
    h('section', { class: 'card', id: 'quote-results' }, h('h2', {}, `Quotes (${quotes.length})`),
      quotes.length === 0 ? h('p', { class: 'empty' }, 'No quote by or containing that.') : h('ol', { class: 'results' },
        quotes.map((x) => h('li', { class: 'result-quote', 'data-article-id': x.article_id, 'data-quote-id': x.quote_id },
          h('div', { class: 'item-top' }, h('strong', {}, x.speaker || 'unattributed'), x.cue ? h('span', { class: 'muted small' }, x.cue) : null,
            h('span', { class: 'chip' }, x.kind), h('span', { class: 'muted small' }, x.published || '')),
          h('a', { href: articleHref(x.article_id, { quote: x.quote_id }), class: 'quote-content' }, truncate(x.content, 300))))))));
}

// ---------------------------------------------------------------------------------------
// Watchlists: what is new since you last looked, live

/** New events listed per watchlist: the oldest first up to this many ("mark as seen" then
 * moves past them, and the next ones show). */
const WATCH_LIMIT = 200;
/** Markers kept here when the browser refuses localStorage (they last as long as the tab). */
const seenFallback = new Map();

/**
 * The report number (an event's `global_id`) up to which this browser has seen watchlist
 * `w`'s events. It is kept in localStorage per watchlist with the watchlist's creation
 * time, so a watchlist removed and made again under the same name starts afresh; until the
 * user marks anything it is the watchlist's cursor (what `chronicle watch` has matched so
 * far). A marker past the store's newest event (`last`: another store now served at this
 * address) counts as none.
 */
function seenMarker(w, last) {
  const key = `chronicle.seen.${w.name}`;
  let m = seenFallback.get(key);
  try {
    const stored = localStorage.getItem(key);
    if (stored) m = JSON.parse(stored);
  } catch (_) {
    /* storage refused or a hand-edited value: the fallback stands */
  }
  if (m && m.created === w.created && Number.isSafeInteger(m.id) && m.id >= 0 && m.id <= last) return m.id;
  return w.cursor;
}

function setSeen(w, id) {
  const key = `chronicle.seen.${w.name}`;
  const m = { created: w.created, id };
  seenFallback.set(key, m);
  try {
    localStorage.setItem(key, JSON.stringify(m));
  } catch (_) {
    /* kept in seenFallback for this tab */
  }
}

/** The new events of one watchlist, newest first: date, who did what to whom, where, and
 * the evidence sentence linking to the event in its article. */
function watchEvents(rows, names) {
  return h('table', { class: 'table compact watch-events' },
    h('thead', {}, h('tr', {}, ['Date', 'Source → target', 'Event', 'Place', 'Evidence'].map((c) => h('th', {}, c)))),
    h('tbody', {}, rows.map((e) => h('tr', { class: 'watch-event', 'data-global-id': e.global_id, 'data-event-id': e.event_id, 'data-article-id': e.article_id },
      h('td', { class: 'nowrap' }, e.date || h('span', { class: 'muted' }, 'undated')),
      h('td', {}, h('strong', {}, actorLabel(e.source_code, e.source_text)), ' → ', h('strong', {}, actorLabel(e.target_code, e.target_text))),
      h('td', {}, h('span', { class: `quad-dot q${e.quad}`, title: QUADS[e.quad] ? QUADS[e.quad].name : '' }), ' ', h('span', { class: 'code' }, e.cameo),
        h('div', { class: 'muted small' }, cameoName(names, e.cameo) || e.plover)),
      h('td', {}, e.location || h('span', { class: 'muted' }, '—')),
      h('td', { class: 'evidence-cell' }, h('a', { href: articleHref(e.article_id, { event: e.event_id }) }, truncate(e.sentence, 200)),
        h('div', { class: 'muted small' }, e.source || e.article_id))))));
}

/** A watchlist's deliveries, one line per channel: where to and how far along. */
function deliveryLines(w) {
  const where = { jsonl: w.jsonl, webhook: w.webhook };
  const channels = ['jsonl', 'webhook'].filter((c) => where[c]);
  if (!channels.length) return h('p', { class: 'muted small' }, 'Delivers nowhere (listed here only).');
  return h('ul', { class: 'plain small deliveries' }, channels.map((c) => {
    const d = (w.deliveries || []).find((x) => x.channel === c) || { delivered: 0, pending: 0, failing: 0 };
    return h('li', { 'data-channel': c },
      h('span', { class: 'chip' }, c === 'jsonl' ? 'JSONL' : 'webhook'), ' ', h('span', { class: 'mono' }, where[c]),
      ` · ${fmtNumber(d.delivered)} delivered, ${fmtNumber(d.pending)} pending`,
      d.failing ? h('span', { class: 'failing' }, ` · ${fmtNumber(d.failing)} failing${d.last_error ? `: ${d.last_error}` : ''}`) : null);
  }));
}

/** `#/timeline` over a watchlist's filter, when the timeline's filters can say all of it. */
function watchTimelineHref(w) {
  const keys = Object.keys(w.filter || {});
  if (!keys.every((k) => FILTER_KEYS.includes(k))) return null;
  const qs = new URLSearchParams(keys.map((k) => [k, w.filter[k]])).toString();
  return `#/timeline${qs ? `?${qs}` : ''}`;
}

/** Fills `card` with watchlist `w` and the events matching it stored after the user's
 * marker (`/api/events` with its filter and `after`). */
async function renderWatchlist(card, w, last, names) {
  const seen = seenMarker(w, last);
  let data = null;
  let failed = null;
  if (w.filter_error) failed = new Error(`its filter does not read: ${w.filter_error}`);
  else {
    try {
      data = await api('/api/events', Object.assign({}, w.filter, { after: seen, limit: WATCH_LIMIT, offset: null }));
    } catch (err) {
      failed = err;
    }
  }
  const rows = data ? [...data.events].sort((a, b) => b.global_id - a.global_id) : [];
  const more = data ? data.count >= data.limit : false;
  const newest = rows.length ? rows[0].global_id : null;
  const count = h('span', { class: `new-count${rows.length ? ' has-new' : ''}`, 'data-new': data ? rows.length : '', 'data-more': more ? 'true' : 'false' },
    data ? `${fmtNumber(rows.length)}${more ? '+' : ''} new` : '?');
  const mark = h('button', { type: 'button', class: 'button mark-seen', disabled: newest === null,
    title: newest === null ? 'Nothing new' : `Mark everything listed (up to report ${newest}) as seen` }, 'Mark as seen');
  mark.addEventListener('click', () => {
    if (newest === null) return;
    setSeen(w, newest);
    renderWatchlist(card, w, last, names).catch((err) => card.append(errorBox(err)));
  });
  const timeline = watchTimelineHref(w);
  const filterChips = Object.entries(w.filter || {}).map(([k, v]) => h('span', { class: 'chip filter-chip' }, `${k}=${v}`));
  card.dataset.seen = String(seen);
  clear(card).append(
    h('div', { class: 'watch-head' },
      h('h2', {}, w.name), count,
      h('div', { class: 'watch-actions' }, timeline ? h('a', { class: 'button', href: timeline }, 'Timeline') : null, mark)),
    h('div', { class: 'watch-filter' }, filterChips.length ? filterChips : h('span', { class: 'muted small' }, 'every event')),
    deliveryLines(w),
    h('p', { class: 'muted small' },
      seen === w.cursor ? `New since report ${fmtNumber(seen)}, where the watchlist stood${w.created ? ` (created ${w.created})` : ''}.`
        : `New since report ${fmtNumber(seen)}, which you marked as seen in this browser.`,
      more ? ` The oldest ${fmtNumber(WATCH_LIMIT)} are listed; mark them as seen for the next.` : ''),
    failed ? errorBox(failed)
      : rows.length ? h('div', { class: 'table-scroll' }, watchEvents(rows, names))
        : h('p', { class: 'empty' }, 'Nothing new since you last looked.'));
}

async function pageWatchlists(el, r, live) {
  document.title = 'Watchlists — Chronicle';
  const status = h('span', { class: 'live-status', id: 'live-status', 'data-state': 'connecting' }, 'Connecting…');
  el.append(h('div', { class: 'page-head' }, h('h1', {}, 'Watchlists'),
    h('p', { class: 'muted' }, 'Saved event filters that chronicle watch delivers. Under each, the events stored since you last looked (remembered in this browser); the counts follow new articles live.'),
    status));
  const list = h('div', { id: 'watchlists' });
  el.append(list);
  let last = null;
  let busy = null;
  let again = false;
  // Lists the watchlists afresh (new ones appear, removed ones go); each card keeps its
  // place by name so the page does not jump.
  const refresh = async () => {
    const [data, names] = await Promise.all([api('/api/watchlists'), cameoTable()]);
    if (!live()) return;
    last = data.last_event_id;
    list.dataset.lastEventId = String(last);
    if (!data.count) {
      clear(list).append(h('section', { class: 'card' }, h('p', { class: 'empty' },
        'No watchlists yet: add one with chronicle watchlist (a name, event filters such as --place UKR, and a JSONL file or webhook to deliver to).')));
      return;
    }
    const cards = new Map([...list.querySelectorAll('section.watchlist')].map((c) => [c.dataset.watchlist, c]));
    const ordered = data.watchlists.map((w) => cards.get(w.name) || h('section', { class: 'card watchlist', 'data-watchlist': w.name }));
    clear(list).append(...ordered);
    await Promise.all(data.watchlists.map((w, i) => renderWatchlist(ordered[i], w, last, names)));
  };
  // One refresh at a time; an update during one runs another after it.
  const update = () => {
    if (busy) {
      again = true;
      return busy;
    }
    busy = refresh()
      .catch((err) => {
        if (live()) list.prepend(errorBox(err));
      })
      .finally(() => {
        busy = null;
        if (again && live()) {
          again = false;
          update();
        }
      });
    return busy;
  };
  await refresh();
  if (!live()) return;
  // Live: the server says when the newest event changes; the lists are then asked again.
  const source = new EventSource('/api/live');
  source.addEventListener('update', (msg) => {
    let u;
    try {
      u = JSON.parse(msg.data);
    } catch (_) {
      return;
    }
    status.dataset.state = 'live';
    status.dataset.lastEventId = String(u.last_event_id);
    clear(status).append(h('span', { class: 'live-dot' }), ` Live · ${fmtNumber(u.articles)} articles, ${fmtNumber(u.events)} events`);
    if (u.last_event_id !== last) update();
  });
  source.addEventListener('error', () => {
    // EventSource reconnects by itself unless the server refused the stream.
    const closed = source.readyState === EventSource.CLOSED;
    status.dataset.state = closed ? 'closed' : 'reconnecting';
    clear(status).append(closed ? 'Live updates unavailable; reload to see new events' : 'Reconnecting…');
  });
  cleanup = () => source.close();
}

// ---------------------------------------------------------------------------------------

window.addEventListener('hashchange', route);
document.addEventListener('DOMContentLoaded', () => {
  const quick = document.getElementById('quick-search');
  quick.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = String(new FormData(quick).get('q') || '').trim();
    location.hash = `#/search?q=${encodeURIComponent(v)}`;
  });
  route();
});
