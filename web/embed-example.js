// The embedding side of web/embed-example.html: a promise-returning proxy for window.foldsight
// inside the iframe (see the 'message' listener in foldsight_api.js).
const frame = document.getElementById('viewer');
let next = 1;
const waiting = new Map();
window.addEventListener('message', (ev) => {
  if (ev.source !== frame.contentWindow || !ev.data || !waiting.has(ev.data.foldsight)) return;
  const { resolve, reject } = waiting.get(ev.data.foldsight);
  waiting.delete(ev.data.foldsight);
  if ('error' in ev.data) reject(new Error(ev.data.error)); else resolve(ev.data.result);
});
const foldsight = new Proxy({}, {
  get: (_, method) => (...args) => new Promise((resolve, reject) => {
    const id = next++;
    waiting.set(id, { resolve, reject });
    frame.contentWindow.postMessage({ foldsight: id, method, args }, '*');
  }),
});
window.embeddedFoldsight = foldsight;
document.getElementById('spin').onclick = () => foldsight.rotate(30);
document.getElementById('surface').onclick = () => foldsight.setRepresentation('surface', { selection: 'polymer' });
frame.addEventListener('load', async () => {
  const s = await foldsight.stats();
  document.getElementById('out').textContent = `${s.atoms} atoms loaded`;
});
