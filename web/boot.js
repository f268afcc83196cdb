// Start-up: registers the service worker (web/sw.js) that keeps the app usable offline, and
// publishes the deployed version as <html data-version=…> (the worker knows it; see sw.js).
(function () {
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
  function askVersion(worker) {
    if (worker) worker.postMessage({ type: 'version' });
  }
  navigator.serviceWorker.addEventListener('message', function (ev) {
    if (ev.data && ev.data.type === 'version') document.documentElement.dataset.version = ev.data.version;
  });
  navigator.serviceWorker.addEventListener('controllerchange', function () { askVersion(navigator.serviceWorker.controller); });
  window.addEventListener('load', function () {
    navigator.serviceWorker.register('sw.js').then(function () {
      askVersion(navigator.serviceWorker.controller);
    }, function (e) { console.warn('offline support unavailable: ' + e.message); });
  });
})();
