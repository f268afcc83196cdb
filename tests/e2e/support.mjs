// Shared pieces of the browser tests: a local server for dist/, Chromium with the flags that
// give headless WebGPU a visible canvas (shared notes "toolchain-recipe" §1), a PNG decoder.
import { spawn } from 'node:child_process';
import { inflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROME_ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu', '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader', '--ignore-gpu-blocklist', '--enable-features=Vulkan', '--use-vulkan=swiftshader'];

// Serves `root` (default dist/) with scripts/serve. The interpreter itself, not a
// version-manager shim, so that close() really stops the server.
export async function startServer(port, root = path.join(ROOT, 'dist')) {
  const proc = spawn('/usr/bin/python3', [path.join(ROOT, 'scripts/serve'), root, String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => { if (String(d).includes('serving')) resolve(); });
    proc.on('exit', (code) => reject(new Error('server exited ' + code)));
  });
  return { url: `http://127.0.0.1:${port}/`, close: () => proc.kill() };
}

export async function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROME_ARGS });
}

// Opens the app and collects console errors and failed requests.
export async function openApp(browser, url, { width = 1280, height = 720 } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.evaluate(() => window.foldsight.ready.then(() => true));
  return { page, errors };
}

// Minimal PNG decoder (8-bit RGBA/RGB, non-interlaced): enough for capture() and screenshots.
export function decodePng(buf) {
  let pos = 8, width = 0, height = 0, colorType = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos); const type = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') { width = data.readUInt32BE(0); height = data.readUInt32BE(4); colorType = data[9]; if (data[8] !== 8 || data[12] !== 0) throw new Error('unsupported PNG'); }
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : (() => { throw new Error('unsupported PNG colour type ' + colorType); })();
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp, out = Buffer.alloc(width * height * 4), prev = Buffer.alloc(stride), cur = Buffer.alloc(stride);
  for (let y = 0; y < height; ++y) {
    const f = raw[y * (stride + 1)]; const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; ++i) {
      const a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      let v = line[i];
      if (f === 1) v += a; else if (f === 2) v += b; else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) { const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c); v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      cur[i] = v & 255;
    }
    for (let x = 0; x < width; ++x) {
      out[(y * width + x) * 4] = cur[x * bpp]; out[(y * width + x) * 4 + 1] = cur[x * bpp + 1];
      out[(y * width + x) * 4 + 2] = cur[x * bpp + 2]; out[(y * width + x) * 4 + 3] = bpp === 4 ? cur[x * bpp + 3] : 255;
    }
    cur.copy(prev);
  }
  return { width, height, data: out };
}

export function dataUrlToPng(url) { return decodePng(Buffer.from(url.split(',')[1], 'base64')); }

// Fraction of pixels that differ from the background colour by more than `tol` per channel.
export function nonBackgroundFraction(img, bg, tol = 8) {
  let n = 0;
  for (let i = 0; i < img.data.length; i += 4)
    if (Math.abs(img.data[i] - bg[0]) > tol || Math.abs(img.data[i + 1] - bg[1]) > tol || Math.abs(img.data[i + 2] - bg[2]) > tol) ++n;
  return n / (img.width * img.height);
}

// Waits until the app has drawn n more frames (its own frame counter).
export async function waitFrames(page, n) {
  const start = await page.evaluate(() => window.foldsight.stats().frames);
  await page.waitForFunction((s) => window.foldsight.stats().frames >= s, start + n, { timeout: 20000 });
}

// Clicks the ImGui item labelled `label` (window.foldsight.uiItemRect), holding the button across
// `hold` frames: ImGui sees input once per frame, and frames are slow on a software rasteriser.
// Returns the item's rectangle, or null (and clicks nothing) when it is not on screen.
export async function clickUiItem(page, label, { hold = 2 } = {}) {
  const r = await page.evaluate((l) => window.foldsight.uiItemRect(l), label);
  if (!r) return null;
  await page.mouse.move(r.x + 6, r.y + r.h / 2);
  await waitFrames(page, 2);
  await page.mouse.down();
  await waitFrames(page, hold);
  await page.mouse.up();
  await waitFrames(page, 3);
  return r;
}
