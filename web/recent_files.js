// Recent files: the structures the user opened (dropped, picked or by URL) are kept in this
// browser's IndexedDB so they reopen with one click — never uploaded anywhere. At most
// MAX_FILES entries and MAX_BYTES in all; the oldest go first. window.foldsightRecent is used by
// foldsight_api.js; every call resolves (storage may be unavailable: private mode, quota).
(function () {
  var DB = 'foldsight-recent', STORE = 'files', MAX_FILES = 12, MAX_BYTES = 200 * 1024 * 1024, MAX_FILE = 64 * 1024 * 1024;
  var dbPromise = null;
  function open() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve) {
      if (!window.indexedDB) { resolve(null); return; }
      var req;
      try { req = indexedDB.open(DB, 1); } catch (e) { resolve(null); return; }
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { resolve(null); };
    });
    return dbPromise;
  }
  function run(mode, fn) {
    return open().then(function (db) {
      if (!db) return null;
      return new Promise(function (resolve) {
        var tx, result = null;
        try { tx = db.transaction(STORE, mode); } catch (e) { resolve(null); return; }
        var store = tx.objectStore(STORE);
        fn(store, function (r) { result = r; });
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { resolve(null); };
      });
    });
  }
  function all(store, done) {
    var req = store.getAll();
    req.onsuccess = function () { done(req.result || []); };
  }
  // Entries without their bytes, newest first: {id, name, size, opened}.
  function list() {
    return run('readonly', function (store, done) {
      all(store, function (rows) {
        done(rows.map(function (r) { return { id: r.id, name: r.name, size: r.size, opened: r.opened }; })
          .sort(function (a, b) { return b.opened - a.opened; }));
      });
    }).then(function (r) { return r || []; });
  }
  // Remembers a file (the same name and size replaces the older entry).
  function add(name, bytes) {
    if (!bytes || bytes.length > MAX_FILE) return Promise.resolve(false);
    var copy = bytes.slice();
    return run('readwrite', function (store, done) {
      all(store, function (rows) {
        rows.forEach(function (r) { if (r.name === name && r.size === copy.length) store.delete(r.id); });
        rows = rows.filter(function (r) { return !(r.name === name && r.size === copy.length); })
          .sort(function (a, b) { return b.opened - a.opened; });
        var total = copy.length;
        rows.forEach(function (r, k) {
          total += r.size;
          if (k + 1 >= MAX_FILES || total > MAX_BYTES) store.delete(r.id);
        });
        store.add({ name: name, size: copy.length, opened: Date.now(), bytes: copy });
        done(true);
      });
    }).then(function (r) { return !!r; });
  }
  function get(id) {
    return run('readonly', function (store, done) {
      var req = store.get(id);
      req.onsuccess = function () { done(req.result || null); };
    });
  }
  function forget(id) { return run('readwrite', function (store, done) { store.delete(id); done(true); }); }
  function clear() { return run('readwrite', function (store, done) { store.clear(); done(true); }); }
  window.foldsightRecent = { list: list, add: add, get: get, forget: forget, clear: clear };
})();
