// Representations, colour schemes and picking checked against expectations computed from the
// structure itself (issue 4): projected van der Waals area, helix colour where helices project,
// and the atom under 1,000 random screen points found by ray casting in JS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launch, openApp, dataUrlToPng, nonBackgroundFraction } from './support.mjs';

let server, browser, page, errors;
before(async () => {
  server = await startServer(8094);
  browser = await launch();
  ({ page, errors } = await openApp(browser, server.url, { width: 960, height: 640 }));
});
after(async () => { await browser?.close(); server?.close(); });

// Column-major 4x4 times vec4.
function mul(m, v) {
  return [0, 1, 2, 3].map((r) => m[r] * v[0] + m[4 + r] * v[1] + m[8 + r] * v[2] + m[12 + r] * v[3]);
}

async function atoms() {
  return page.evaluate(() => {
    const n = window.foldsight.atomCount(), out = [];
    for (let i = 0; i < n; ++i) out.push(window.foldsight.atom(i));
    return out;
  });
}

async function captureAtCanvasSize() {
  const cam = await page.evaluate(() => window.foldsight.camera());
  const url = await page.evaluate(({ w, h }) => window.foldsight.capture({ width: w, height: h }), { w: cam.width, h: cam.height });
  return { cam, img: dataUrlToPng(url) };
}

// Projects atom centres to pixels (+ view-space depth and radius in pixels).
function project(cam, a, radius) {
  const v = mul(cam.view, [a.x, a.y, a.z, 1]);
  const c = mul(cam.proj, v);
  const f = cam.proj[5] * cam.height / 2;   // focal length in pixels
  return { px: (c[0] / c[3] + 1) / 2 * cam.width, py: (1 - c[1] / c[3]) / 2 * cam.height, depth: -v[2], rpx: radius * f / -v[2], v };
}

async function showOnly(kind, opts) {
  await page.evaluate(([k, o]) => window.foldsight.setRepresentation(k, o), [kind, opts]);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

test('spacefill silhouette matches the projected van der Waals area within 10 %', async () => {
  await showOnly('spacefill', { selection: 'not water', color: 'element' });
  const all = (await atoms()).filter((a) => a.residue !== 'HOH');
  const { cam, img } = await captureAtCanvasSize();
  const cover = new Uint8Array(cam.width * cam.height);
  for (const a of all) {
    const p = project(cam, a, a.vdw);
    const r = p.rpx, x0 = Math.max(0, Math.floor(p.px - r)), x1 = Math.min(cam.width - 1, Math.ceil(p.px + r));
    const y0 = Math.max(0, Math.floor(p.py - r)), y1 = Math.min(cam.height - 1, Math.ceil(p.py + r));
    for (let y = y0; y <= y1; ++y)
      for (let x = x0; x <= x1; ++x)
        if ((x + 0.5 - p.px) ** 2 + (y + 0.5 - p.py) ** 2 <= r * r) cover[y * cam.width + x] = 1;
  }
  const expected = cover.reduce((s, v) => s + v, 0) / cover.length;
  const got = nonBackgroundFraction(img, [255, 255, 255], 3);
  console.log(`# spacefill area: rendered ${(100 * got).toFixed(2)} %, projected vdW ${(100 * expected).toFixed(2)} % of the image`);
  assert.ok(Math.abs(got - expected) / expected <= 0.10, `rendered ${got} vs expected ${expected}`);
});

test('picking returns the ray-cast atom for >= 99 % of 1,000 random points', async () => {
  await showOnly('spacefill', { selection: 'not water', color: 'element' });
  const all = (await atoms()).map((a, i) => ({ ...a, index: i })).filter((a) => a.residue !== 'HOH');
  const cam = await page.evaluate(() => window.foldsight.camera());
  const cssW = cam.width / cam.dpr, cssH = cam.height / cam.dpr;
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const points = Array.from({ length: 1000 }, () => ({ x: rand() * cssW, y: rand() * cssH }));
  const picked = await page.evaluate((pts) => window.foldsight.pick(pts), points);
  // Ray cast in view space through the pixel centre the pick buffer sampled.
  const spheres = all.map((a) => ({ c: mul(cam.view, [a.x, a.y, a.z, 1]), r: a.vdw, a }));
  let agree = 0, hits = 0;
  for (let k = 0; k < points.length; ++k) {
    const px = Math.floor(points[k].x * cam.dpr) + 0.5, py = Math.floor(points[k].y * cam.dpr) + 0.5;
    const nx = px / cam.width * 2 - 1, ny = 1 - py / cam.height * 2;
    const dir = [nx / cam.proj[0], ny / cam.proj[5], -1];
    const len = Math.hypot(...dir); dir[0] /= len; dir[1] /= len; dir[2] /= len;
    let best = null, bestT = Infinity;
    for (const s of spheres) {
      const b = dir[0] * s.c[0] + dir[1] * s.c[1] + dir[2] * s.c[2];
      const disc = b * b - (s.c[0] ** 2 + s.c[1] ** 2 + s.c[2] ** 2) + s.r * s.r;
      if (disc < 0) continue;
      const t = b - Math.sqrt(disc);
      if (t > 0 && t < bestT) { bestT = t; best = s.a; }
    }
    const got = picked[k];
    if (best) ++hits;
    if ((!best && !got) || (best && got && got.atom === best.atom && got.structure === best.structure)) ++agree;
  }
  console.log(`# picking: ${agree}/1000 agree with ray casting (${hits} points on atoms)`);
  assert.ok(hits > 200, 'enough points land on atoms');
  assert.ok(agree >= 990, `${agree} / 1000`);
});

test('cartoon coloured by secondary structure shows the helix colour where helices project', async () => {
  await page.evaluate(() => window.foldsight.clear());
  await page.evaluate((t) => window.foldsight.load(t), readFileSync('/usr/share/pymol/data/demo/il2.pdb', 'utf8'));
  await showOnly('cartoon', { selection: 'polymer', color: 'secondary-structure' });
  const all = await atoms();
  const helixCa = all.filter((a) => a.name === 'CA' && a.ss === 'H');
  assert.ok(helixCa.length > 40, `${helixCa.length} helix residues`);
  const { cam, img } = await captureAtCanvasSize();
  // The helix colour as rendered: the most saturated hue family at helix CA pixels vs elsewhere.
  const hue = (r, g, b) => {
    const mx = Math.max(r, g, b), mn = Math.min(r, g, b);
    if (mx - mn < 20) return null;
    let h = mx === r ? (g - b) / (mx - mn) : mx === g ? 2 + (b - r) / (mx - mn) : 4 + (r - g) / (mx - mn);
    return ((h * 60) + 360) % 360;
  };
  const hues = [];
  for (const a of helixCa) {
    const p = project(cam, a, 0);
    const x = Math.round(p.px), y = Math.round(p.py);
    if (x < 0 || y < 0 || x >= cam.width || y >= cam.height) continue;
    const i = (y * cam.width + x) * 4;
    hues.push(hue(img.data[i], img.data[i + 1], img.data[i + 2]));
  }
  // Mol*-like helix colour is magenta/pink (hue ~300-340); strands yellow; coil grey/white.
  const isHelixHue = (h) => h !== null && (h >= 280 || h <= 10);
  const frac = hues.filter(isHelixHue).length / hues.length;
  console.log(`# helix CA pixels with the helix colour: ${(100 * frac).toFixed(1)} % of ${hues.length}`);
  assert.ok(frac >= 0.8, `${frac}`);
});

test('every representation and colour scheme draws something distinct', async () => {
  const kinds = ['cartoon', 'trace', 'ball-and-stick', 'lines', 'spacefill', 'surface'];
  const seen = new Map();
  for (const k of kinds) {
    await showOnly(k, { selection: 'polymer', color: 'chain' });
    const { img } = await captureAtCanvasSize();
    const f = nonBackgroundFraction(img, [255, 255, 255]);
    console.log(`# ${k}: ${(100 * f).toFixed(1)} % of the image`);
    assert.ok(f > 0.01, `${k} draws nothing`);
    seen.set(k, f);
  }
  assert.ok(seen.get('spacefill') > seen.get('ball-and-stick'), 'spacefill covers more than ball-and-stick');
  assert.ok(seen.get('ball-and-stick') > seen.get('lines'), 'ball-and-stick covers more than lines');
  const schemes = ['element', 'chain', 'secondary-structure', 'rainbow', 'b-factor', 'hydrophobicity'];
  const digests = new Set();
  for (const c of schemes) {
    // Ball-and-stick shows every atom, so element colours differ from chain colours.
    await showOnly('ball-and-stick', { selection: 'polymer', color: c });
    const { img } = await captureAtCanvasSize();
    let h = 0;
    for (let i = 0; i < img.data.length; i += 97) h = (h * 31 + img.data[i]) >>> 0;
    digests.add(h);
  }
  assert.equal(digests.size, schemes.length, 'each colour scheme gives a different picture');
  assert.deepEqual(errors, []);
});

// Pixels of a capture that differ from the white background: index -> ink (765 - r - g - b).
async function inkPixels() {
  const { img } = await captureAtCanvasSize();
  const out = new Map();
  for (let i = 0; i < img.data.length; i += 4) {
    const ink = 765 - img.data[i] - img.data[i + 1] - img.data[i + 2];
    if (ink > 9) out.set(i, ink);
  }
  return out;
}

test('opacity blends a representation over what is behind it; 0 hides it', async () => {
  // One atom (a single layer) shows the blend exactly: each covered pixel moves halfway to the
  // white background at opacity 0.5, with the same silhouette; nothing is drawn at 0.
  const one = { selection: 'resi 30 and name CA', color: 'chain' };
  await showOnly('spacefill', one);
  const opaque = await inkPixels();
  await showOnly('spacefill', { ...one, opacity: 0.5 });
  const half = await inkPixels();
  const extras = await page.evaluate(() => window.foldsight.sessionExtras());
  await showOnly('spacefill', { ...one, opacity: 0 });
  const none = await inkPixels();
  let ratio = 0, n = 0;
  for (const [i, ink] of opaque) if (ink > 100 && half.has(i)) ratio += half.get(i) / ink, n++;
  ratio /= Math.max(1, n);
  console.log(`# opacity: one atom covers ${opaque.size} / ${half.size} / ${none.size} pixels at opacity 1 / 0.5 / 0; ink at 0.5 = ${ratio.toFixed(3)} of opaque (${n} pixels)`);
  assert.ok(opaque.size > 100, 'the atom is drawn');
  assert.ok(Math.abs(half.size - opaque.size) / opaque.size < 0.1, 'same silhouette');
  assert.ok(Math.abs(ratio - 0.5) < 0.05, `blend ${ratio}`);
  assert.equal(none.size, 0, 'opacity 0 draws nothing');
  assert.equal(extras.reps[0][0].opacity, 0.5, 'the session (share links) keeps the opacity');
  const bad = await page.evaluate(() => { try { window.foldsight.setRepresentation('cartoon', { opacity: 2 }); return 'ok'; } catch (e) { return e.message; } });
  assert.match(bad, /opacity must be a number from 0 to 1/);
  await showOnly('cartoon', {});
});

test('a transparent surface shows its nearest layer only, blended once over the background', async () => {
  // Seen through itself a closed surface has two or more layers at most pixels; blending all of
  // them (in triangle order) would leave ~0.75 of the opaque ink at opacity 0.5 instead of 0.5.
  // The effects are off here so that pixels are the plain blend (occlusion would shade the two
  // captures differently).
  const quality = await page.evaluate(() => window.foldsight.imageQuality());
  await page.evaluate(() => window.foldsight.setImageQuality({ ssao: false, outlines: false, antialias: false }));
  const settled = async (opts) => {
    await showOnly('surface', opts);
    let last = -1, px = await inkPixels();
    for (let k = 0; k < 40 && px.size !== last; ++k) {   // the surface is built off the frame loop
      last = px.size;
      await page.evaluate(() => new Promise((r) => setTimeout(r, 150)));
      px = await inkPixels();
    }
    return px;
  };
  const opaque = await settled({ selection: 'polymer', color: 'chain' });
  const half = await settled({ selection: 'polymer', color: 'chain', opacity: 0.5 });
  const ratios = [];
  for (const [i, ink] of opaque) if (ink > 100 && half.has(i)) ratios.push(half.get(i) / ink);
  const mean = ratios.reduce((a, b) => a + b, 0) / Math.max(1, ratios.length);
  const layered = ratios.filter((r) => r > 0.65).length / Math.max(1, ratios.length);
  console.log(`# transparent surface: ${ratios.length} pixels, ink at opacity 0.5 = ${mean.toFixed(3)} of opaque, ${(100 * layered).toFixed(1)} % above 0.65`);
  await page.evaluate((q) => window.foldsight.setImageQuality(q), quality);
  assert.ok(ratios.length > 1000, 'the surface is drawn');
  assert.ok(Math.abs(mean - 0.5) < 0.05, `blend ${mean}`);
  assert.ok(layered < 0.05, `${layered} of the pixels blend more than one layer`);
  await showOnly('cartoon', {});
});

test('a bad selection is reported with its position and changes nothing', async () => {
  const msg = await page.evaluate(() => { try { window.foldsight.setRepresentation('cartoon', { selection: 'chain A and (resi 1-10' }); return 'ok'; } catch (e) { return e.message; } });
  assert.match(msg, /selection/);
  const msg2 = await page.evaluate(() => { try { window.foldsight.setRepresentation('blobs'); return 'ok'; } catch (e) { return e.message; } });
  assert.match(msg2, /unknown representation 'blobs'/);
});
