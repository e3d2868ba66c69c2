/* The device's own store (IndexedDB), shared by the pages and the service worker.
 *
 * outbox: records waiting to be sent, sent, or refused by the server, keyed by their
 *         idempotency key, so a resend after a lost answer never makes a second record.
 * drafts: what was typed into a form and not yet saved, keyed by the form's page.
 * Everything is cleared at logout (offline.js) and by the server's Clear-Site-Data answer.
 */
(function (root) {
  "use strict";
  const NAME = "eldercare-offline";
  const VERSION = 1;
  let opening = null;
  // Set at logout: a late write (a draft saved as the field loses focus) must not bring the
  // deleted database back.
  let destroyed = false;

  function open() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const req = root.indexedDB.open(NAME, VERSION);
        req.onupgradeneeded = () => {
          const db = req.result;
          db.createObjectStore("outbox", { keyPath: "key" });
          db.createObjectStore("drafts", { keyPath: "id" });
        };
        req.onsuccess = () => {
          const db = req.result;
          // Another tab deleting the database (logout) must not wait on this connection.
          db.onversionchange = () => { db.close(); opening = null; };
          resolve(db);
        };
        req.onerror = () => { opening = null; reject(req.error); };
      });
    }
    return opening;
  }

  function run(storeName, mode, work) {
    if (destroyed) return Promise.resolve(undefined);
    return open().then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction(storeName, mode);
      const result = work(tx.objectStore(storeName));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    }));
  }

  root.EldercareStore = {
    get: (store, key) => run(store, "readonly", (s) => s.get(key)),
    all: (store) => run(store, "readonly", (s) => s.getAll()).then((rows) => rows || []),
    put: (store, value) => run(store, "readwrite", (s) => s.put(value)),
    remove: (store, key) => run(store, "readwrite", (s) => s.delete(key)),
    // Logout: the whole database goes, not only this account's rows.
    destroy() {
      destroyed = true;
      return open().then((db) => {
        db.close();
        opening = null;
        return new Promise((resolve) => {
          const req = root.indexedDB.deleteDatabase(NAME);
          req.onsuccess = req.onerror = () => resolve();
          // Another tab still holding it closes on versionchange; never hold the logout long.
          req.onblocked = () => setTimeout(resolve, 2000);
        });
      }, () => undefined);
    },
  };
})(self);
