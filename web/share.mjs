// Share links: the loaded structures and the view, gzip-compressed into the URL fragment, which
// browsers never send to a server. Optionally encrypted with a passphrase, so the link itself
// reveals nothing of the structure.
//
//   #s=<base64url(gzip(json))>                       plain
//   #e=<base64url(header | AES-GCM(gzip(json)))>     encrypted
//      header = version (1 byte) | PBKDF2 iterations (uint32 BE) | salt (16) | iv (12);
//      key = PBKDF2-SHA256(passphrase, salt, iterations) -> AES-GCM 256; the header is the
//      additional authenticated data, so it cannot be altered without the tag failing.
//   json = {app:'foldsight', v:1, structures:[{name, format, text}], view:[16 numbers]}
//
// The module's pure functions (encodeState, decodeFragment, ...) run under Node too; the
// page part (window.foldsight.share / openLink, the passphrase dialog) only runs in a document.

export const FORMAT_VERSION = 1;
export const PBKDF2_ITERATIONS = 600000;   // OWASP 2023 figure for PBKDF2-HMAC-SHA256
const MAX_ITERATIONS = 10000000;           // a crafted link must not hang the tab
export const MAX_LINK_CHARS = 2000000;   // Chromium's URL limit is 2 MB; larger views go to a .foldsight file
const SALT_BYTES = 16, IV_BYTES = 12, HEADER_BYTES = 1 + 4 + SALT_BYTES + IV_BYTES;

// Errors a user can act on; `code` lets callers tell a wrong passphrase from a damaged link.
export class ShareError extends Error {
  constructor(code, message) { super(message); this.name = 'ShareError'; this.code = code; }
}

export function toBase64Url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareError('damaged', 'The link is damaged (unexpected characters).');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - text.length % 4) % 4);
  let bin;
  try { bin = atob(b64); } catch (e) { throw new ShareError('damaged', 'The link is damaged (bad encoding).'); }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; ++i) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}
export const gzip = (bytes) => pipe(bytes, new CompressionStream('gzip'));
export async function gunzip(bytes) {
  try { return await pipe(bytes, new DecompressionStream('gzip')); }
  catch (e) { throw new ShareError('damaged', 'The link is damaged (its data does not decompress).'); }
}

async function deriveKey(passphrase, salt, iterations) {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base,
    { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

export async function encrypt(plain, passphrase, iterations = PBKDF2_ITERATIONS) {
  const header = new Uint8Array(HEADER_BYTES);
  header[0] = FORMAT_VERSION;
  new DataView(header.buffer).setUint32(1, iterations);
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  header.set(salt, 5);
  header.set(iv, 5 + SALT_BYTES);
  const key = await deriveKey(passphrase, salt, iterations);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: header }, key, plain));
  const out = new Uint8Array(HEADER_BYTES + sealed.length);
  out.set(header);
  out.set(sealed, HEADER_BYTES);
  return out;
}

export async function decrypt(bytes, passphrase) {
  if (bytes.length < HEADER_BYTES + 16 || bytes[0] !== FORMAT_VERSION)
    throw new ShareError('damaged', 'The link is damaged or from a newer version of Foldsight.');
  const header = bytes.subarray(0, HEADER_BYTES);
  const iterations = new DataView(bytes.buffer, bytes.byteOffset).getUint32(1);
  if (iterations < 1 || iterations > MAX_ITERATIONS) throw new ShareError('damaged', 'The link is damaged (key parameters).');
  const salt = bytes.slice(5, 5 + SALT_BYTES), iv = bytes.slice(5 + SALT_BYTES, HEADER_BYTES);
  const key = await deriveKey(passphrase, salt, iterations);
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: header }, key, bytes.subarray(HEADER_BYTES)));
  } catch (e) {
    // AES-GCM cannot tell a wrong key from altered data: both fail the tag.
    throw new ShareError('passphrase', 'Wrong passphrase (or a damaged link). Nothing was loaded.');
  }
}

// state -> fragment ('#s=…' or '#e=…').
export async function encodeState(state, passphrase) {
  const packed = await gzip(new TextEncoder().encode(JSON.stringify(state)));
  if (!passphrase) return '#s=' + toBase64Url(packed);
  return '#e=' + toBase64Url(await encrypt(packed, passphrase));
}

// What kind of share fragment this is: 's', 'e' or null.
export function fragmentKind(hash) {
  const m = /^#([se])=/.exec(hash || '');
  return m ? m[1] : null;
}

// fragment -> state. Throws ShareError('passphrase') when a passphrase is needed or wrong.
export async function decodeFragment(hash, passphrase) {
  const kind = fragmentKind(hash);
  if (!kind) throw new ShareError('damaged', 'Not a Foldsight share link.');
  let bytes = fromBase64Url(hash.slice(3));
  if (kind === 'e') {
    if (!passphrase) throw new ShareError('passphrase', 'This link is encrypted: enter its passphrase.');
    bytes = await decrypt(bytes, passphrase);
  }
  let state;
  try { state = JSON.parse(new TextDecoder().decode(await gunzip(bytes))); }
  catch (e) { throw e instanceof ShareError ? e : new ShareError('damaged', 'The link is damaged (its data is not readable).'); }
  validateState(state);
  return state;
}

// .foldsight session files: the same state, for views too large for a link.
//   plain:     gzip(json)                     (a gzip stream: 1f 8b)
//   encrypted: "FSE1" | header | AES-GCM(gzip(json))
const SESSION_MAGIC = [0x46, 0x53, 0x45, 0x31];
export async function encodeSession(state, passphrase) {
  const packed = await gzip(new TextEncoder().encode(JSON.stringify(state)));
  if (!passphrase) return packed;
  const sealed = await encrypt(packed, passphrase);
  const out = new Uint8Array(4 + sealed.length);
  out.set(SESSION_MAGIC);
  out.set(sealed, 4);
  return out;
}
export function sessionIsEncrypted(bytes) { return SESSION_MAGIC.every((b, i) => bytes[i] === b); }
export async function decodeSession(bytes, passphrase) {
  if (sessionIsEncrypted(bytes)) {
    if (!passphrase) throw new ShareError('passphrase', 'This session file is encrypted: enter its passphrase.');
    bytes = await decrypt(bytes.subarray(4), passphrase);
  } else if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new ShareError('damaged', 'Not a Foldsight session file.');
  }
  let state;
  try { state = JSON.parse(new TextDecoder().decode(await gunzip(bytes))); }
  catch (e) { throw e instanceof ShareError ? e : new ShareError('damaged', 'The session file is damaged.'); }
  validateState(state);
  return state;
}

// Representations, selection and measurements (fs.sessionExtras()): checked before anything is
// cleared, so a damaged or hostile link cannot half-apply or reach the app with odd shapes.
function validExtra(x) {
  const str = (v) => typeof v === 'string' && v.length < 4096;
  const int = (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 31;
  const list = (v, max) => v == null || (Array.isArray(v) && v.length <= max);
  if (typeof x !== 'object' || Array.isArray(x) || !list(x.reps, 10000) || !list(x.selection, 1e6) || !list(x.measurements, 10000)) return false;
  return (x.reps || []).every((reps) => Array.isArray(reps) && reps.length <= 64 &&
      reps.every((r) => r && str(r.kind) && str(r.selection) && str(r.color) && typeof r.visible === 'boolean' &&
        (r.opacity === undefined || (typeof r.opacity === 'number' && r.opacity >= 0 && r.opacity <= 1)))) &&
    (x.selection || []).every((p) => Array.isArray(p) && p.length === 2 && int(p[0]) && int(p[1])) &&
    (x.measurements || []).every((m) => m && Array.isArray(m.atoms) && m.atoms.length >= 2 && m.atoms.length <= 4 &&
      m.atoms.every((a) => Array.isArray(a) && a.length === 2 && int(a[0]) && int(a[1])));
}

export function validateState(state) {
  const ok = state && state.app === 'foldsight' && Array.isArray(state.structures) &&
    state.structures.every((s) => s && typeof s.text === 'string' && (s.format === 'pdb' || s.format === 'mmcif')) &&
    (state.view == null || (Array.isArray(state.view) && state.view.length === 16 && state.view.every(Number.isFinite)));
  if (!ok || (state.extra != null && !validExtra(state.extra))) throw new ShareError('damaged', 'The link does not describe a Foldsight view.');
  if (state.v > FORMAT_VERSION) throw new ShareError('damaged', 'The link is from a newer version of Foldsight.');
}

// ---- Page part ------------------------------------------------------------------------------

// The current view of `fs` (window.foldsight) as a share state.
export function captureState(fs) {
  const n = fs.stats().structures, structures = [];
  for (let i = 0; i < n; ++i) {
    let format = 'pdb', text;
    // PDB is the compact choice; mmCIF holds what PDB cannot (>99,999 atoms, long names).
    try { text = fs.exportStructure(i, 'pdb'); } catch (e) { format = 'mmcif'; text = fs.exportStructure(i, 'mmcif'); }
    structures.push({ name: `structure-${i + 1}.${format === 'pdb' ? 'pdb' : 'cif'}`, format, text });
  }
  const state = { app: 'foldsight', v: FORMAT_VERSION, structures, view: fs.viewState() };
  if (fs.sessionExtras) state.extra = fs.sessionExtras();   // representations, selection, measurements
  return state;
}

// Replaces what is shown by `state`. Everything was decoded before, so a bad link never
// clears the view.
export async function applyState(fs, state) {
  fs.clear();
  for (const s of state.structures)
    await fs.load(new TextEncoder().encode(s.text), { format: s.format, name: s.name || 'shared.' + (s.format === 'pdb' ? 'pdb' : 'cif') });
  if (state.view) fs.setViewState(state.view);
  if (state.extra && fs.applySessionExtras) fs.applySessionExtras(state.extra);
  return { structures: state.structures.length };
}

// The passphrase dialog, built with the DOM (the CSP allows no inline markup handlers or styles).
function passphraseDialog() {
  let dlg = document.getElementById('share-passphrase');
  if (dlg) return dlg;
  dlg = document.createElement('dialog');
  dlg.id = 'share-passphrase';
  const form = document.createElement('form');
  form.method = 'dialog';
  const title = document.createElement('p');
  title.textContent = 'This Foldsight link (or session file) is encrypted. Enter its passphrase to open it.';
  const label = document.createElement('label');
  label.textContent = 'Passphrase ';
  const input = document.createElement('input');
  input.type = 'password'; input.name = 'passphrase'; input.autocomplete = 'off'; input.required = true;
  label.appendChild(input);
  const error = document.createElement('p');
  error.className = 'share-error'; error.setAttribute('role', 'alert');
  const open = document.createElement('button');
  open.type = 'submit'; open.value = 'open'; open.textContent = 'Open';
  const cancel = document.createElement('button');
  cancel.type = 'button'; cancel.value = 'cancel'; cancel.textContent = 'Cancel';
  form.append(title, label, error, open, cancel);
  dlg.appendChild(form);
  document.body.appendChild(dlg);
  return dlg;
}

// Asks for the passphrase until the link opens or the user cancels. Resolves true when opened.
function askPassphrase(fs, decode) {
  const dlg = passphraseDialog();
  const form = dlg.querySelector('form'), input = dlg.querySelector('input');
  const error = dlg.querySelector('.share-error'), cancel = dlg.querySelector('button[value=cancel]');
  return new Promise((resolve) => {
    let busy = false;
    function finish(opened) {
      form.removeEventListener('submit', onSubmit);
      cancel.removeEventListener('click', onCancel);
      dlg.removeEventListener('cancel', onCancel);
      dlg.close();
      resolve(opened);
    }
    async function onSubmit(ev) {
      ev.preventDefault();   // keep the dialog open until the passphrase is right
      if (busy) return;
      busy = true;
      error.textContent = 'Opening…';
      document.documentElement.dataset.share = 'decrypting';
      try {
        const state = await decode(input.value);
        await applyState(fs, state);
        finish(true);
      } catch (e) {
        error.textContent = e.message;
        document.documentElement.dataset.share = 'passphrase-error';
        input.select();
      } finally { busy = false; }
    }
    function onCancel(ev) { ev.preventDefault(); finish(false); }
    form.addEventListener('submit', onSubmit);
    cancel.addEventListener('click', onCancel);
    dlg.addEventListener('cancel', onCancel);
    error.textContent = '';
    input.value = '';
    dlg.showModal();
    input.focus();
  });
}

// Opens the share fragment of the current location (if any). Sets <html data-share=…> to
// 'none' | 'passphrase' | 'opened' | 'cancelled' | 'error' so tests and embedders can follow.
async function openFromLocation(fs) {
  const root = document.documentElement, hash = location.hash;
  const kind = fragmentKind(hash);
  if (!kind) { root.dataset.share = 'none'; return { opened: false }; }
  try {
    if (kind === 'e') {
      root.dataset.share = 'passphrase';
      const opened = await askPassphrase(fs, (p) => decodeFragment(hash, p));
      root.dataset.share = opened ? 'opened' : 'cancelled';
      return { opened };
    }
    root.dataset.share = 'opening';
    await applyState(fs, await decodeFragment(hash));
    root.dataset.share = 'opened';
    return { opened: true };
  } catch (e) {
    root.dataset.share = 'error';
    console.warn('share link: ' + e.message);
    showLinkError(e.message);
    return { opened: false, error: e.message };
  }
}

// A damaged plain link: say so in the page (decoding fails before anything is loaded, so the
// C++ error panel has not seen it).
function showLinkError(message) {
  const dlg = document.createElement('dialog');
  dlg.id = 'share-link-error';
  const title = document.createElement('p');
  title.textContent = 'Could not open this Foldsight link: ' + message;
  title.setAttribute('role', 'alert');
  const form = document.createElement('form');
  form.method = 'dialog';
  const close = document.createElement('button');
  close.textContent = 'Close';
  form.appendChild(close);
  dlg.append(title, form);
  document.body.appendChild(dlg);
  dlg.showModal();
}

// The share link, shown in a dialog with a Copy button.
function showLink(url) {
  const dlg = document.createElement('dialog');
  dlg.id = 'share-link';
  const title = document.createElement('p');
  title.textContent = 'Link to this view (the structure travels in the link, not through any server):';
  const field = document.createElement('input');
  field.type = 'text'; field.readOnly = true; field.value = url;
  const form = document.createElement('form');
  form.method = 'dialog';
  const copy = document.createElement('button');
  copy.type = 'button'; copy.textContent = 'Copy';
  copy.addEventListener('click', () => { field.select(); navigator.clipboard?.writeText(url).then(() => { copy.textContent = 'Copied'; }, () => {}); });
  const close = document.createElement('button');
  close.textContent = 'Close';
  form.append(copy, close);
  dlg.append(title, field, form);
  dlg.addEventListener('close', () => dlg.remove());
  document.body.appendChild(dlg);
  dlg.showModal();
  field.select();
  return url;
}

function install(fs) {
  // share({passphrase}) -> full URL of this page with the view in its fragment.
  fs.share = async (opts = {}) => {
    const base = location.origin + location.pathname;   // not ?url=…: the link carries the structures
    const url = base + await encodeState(captureState(fs), opts.passphrase || '');
    if (url.length > MAX_LINK_CHARS)
      throw new ShareError('too-large', `This view needs a ${(url.length / 1e6).toFixed(1)} MB link, more than browsers accept: save it as a .foldsight file instead.`);
    return url;
  };
  // saveSession({passphrase}) -> Blob of a .foldsight file; openSession(File|bytes, {passphrase}).
  fs.saveSession = async (opts = {}) =>
    new Blob([await encodeSession(captureState(fs), opts.passphrase || '')], { type: 'application/octet-stream' });
  fs.openSession = async (source, opts = {}) => {
    const bytes = source instanceof Blob ? new Uint8Array(await source.arrayBuffer()) : new Uint8Array(source.buffer || source);
    return applyState(fs, await decodeSession(bytes, opts.passphrase || ''));
  };
  // Dropped .foldsight files are sessions, not structures: handled here, before the API's
  // window drop handler (capture listeners on the target run first).
  window.addEventListener('drop', (e) => {
    const files = e.dataTransfer ? Array.from(e.dataTransfer.files) : [];
    if (!files.length || !files.every((f) => /\.foldsight$/i.test(f.name))) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    files[0].arrayBuffer().then(async (buf) => {
      const bytes = new Uint8Array(buf);
      if (sessionIsEncrypted(bytes)) await askPassphrase(fs, (p) => decodeSession(bytes, p));
      else await applyState(fs, await decodeSession(bytes));
    }).catch((err) => showLinkError(err.message));
  }, true);
  // The app's "Share" button (C++ -> JS, when wired): shows the link, ready to copy.
  if (window.Module) window.Module.onShareRequest = (passphrase) => fs.share({ passphrase: passphrase || '' }).then(showLink, (e) => showLinkError(e.message));
  // openLink(urlOrFragment, {passphrase}) -> {structures}; throws ShareError with a readable message.
  fs.openLink = async (link, opts = {}) => {
    const hash = link.slice(link.indexOf('#'));
    return applyState(fs, await decodeFragment(hash, opts.passphrase || ''));
  };
  fs.linkOpened = fs.ready.then(() => openFromLocation(fs));
  window.addEventListener('hashchange', () => { fs.linkOpened = openFromLocation(fs); });
}

if (typeof window !== 'undefined' && window.foldsight) install(window.foldsight);
