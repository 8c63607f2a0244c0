// What the page keeps in the browser: the sealed key file (IndexedDB, never a clear key), the
// registration flag, the jobs published from here (localStorage) and the operator token
// (sessionStorage: gone with the tab).
import { get, set, del } from 'idb-keyval';

const KEY_FILE = 'raregen.keyfile';
const REGISTERED = 'raregen.registered';
const JOBS = 'raregen.jobs';
const TOKEN = 'raregen.operatorToken';

export const keyStore = {
  load: () => get(KEY_FILE),
  save: (doc) => set(KEY_FILE, doc),
  remove: async () => {
    await del(KEY_FILE);
    await del(REGISTERED);
  },
  registered: () => get(REGISTERED),
  markRegistered: (pubkey) => set(REGISTERED, pubkey),
};

export const recentJobs = {
  list() {
    try {
      return JSON.parse(localStorage.getItem(JOBS) || '[]');
    } catch {
      return [];
    }
  },
  add(entry) {
    const list = [entry, ...this.list().filter((j) => j.jobId !== entry.jobId)].slice(0, 50);
    localStorage.setItem(JOBS, JSON.stringify(list));
  },
};

export const operatorToken = {
  get: () => sessionStorage.getItem(TOKEN),
  set: (t) => sessionStorage.setItem(TOKEN, t),
  clear: () => sessionStorage.removeItem(TOKEN),
};

// The signed-in account's session ({token, email, accountId}): kept across tabs and restarts like a
// site's login, until signed out or refused by the API.
const SESSION = 'raregen.session';
export const accountSession = {
  get: () => {
    try {
      return JSON.parse(localStorage.getItem(SESSION)) || null;
    } catch {
      return null;
    }
  },
  set: (s) => localStorage.setItem(SESSION, JSON.stringify(s)),
  clear: () => localStorage.removeItem(SESSION),
};
