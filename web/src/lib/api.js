// The RareGen HTTP API on the page's own origin. Errors come back as problem documents
// (application/problem+json) and are thrown as ApiError with their stable code.
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || `HTTP_${status}`;
  }
}

async function call(method, path, { body, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let r;
  try {
    r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', `the API cannot be reached (${e.message})`);
  }
  const text = await r.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // a non-JSON answer (a proxy's error page): reported below by status
  }
  if (!r.ok) throw new ApiError(r.status, json?.code, json?.detail || json?.title || text.slice(0, 200));
  return { status: r.status, body: json };
}

export const api = {
  // signed in, the session binds the key to the account
  register: (envelope, token) => call('POST', '/v1/identities', { body: envelope, token }),
  requestCode: (email) => call('POST', '/v1/accounts/otp', { body: { email } }),
  signIn: (email, code) => call('POST', '/v1/accounts/session', { body: { email, code } }),
  signOut: (token) => call('DELETE', '/v1/accounts/session', { token }),
  me: (token) => call('GET', '/v1/accounts/me', { token }),
  ledger: (token, limit = 200) => call('GET', `/v1/accounts/me/ledger?limit=${limit}`, { token }),
  accountJobs: (token, limit = 20) => call('GET', `/v1/accounts/me/jobs?limit=${limit}`, { token }),
  sessions: (token) => call('GET', '/v1/accounts/me/sessions', { token }),
  deposit: (token) => call('GET', '/v1/accounts/me/deposit', { token }),
  revokeSession: (token, id) => call('DELETE', `/v1/accounts/me/sessions/${encodeURIComponent(id)}`, { token }),
  identity: (pubkey) => call('GET', `/v1/identities/${encodeURIComponent(pubkey)}`),
  putBackupShare: (pubkey, envelope) => call('PUT', `/v1/identities/${encodeURIComponent(pubkey)}/backup-share`, { body: envelope }),
  getBackupShare: (pubkey) => call('GET', `/v1/identities/${encodeURIComponent(pubkey)}/backup-share`),
  publish: (envelope) => call('POST', '/v1/publish', { body: envelope }),
  job: (id) => call('GET', `/v1/jobs/${encodeURIComponent(id)}`),
  proof: (id) => call('GET', `/v1/jobs/${encodeURIComponent(id)}/proof`),
  opsSeries: (token, minutes = 1440) => call('GET', `/v1/ops/series?minutes=${minutes}`, { token }),
  opsSummary: (token) => call('GET', '/v1/ops/summary', { token }),
  opsFailedJobs: (token, limit = 50) => call('GET', `/v1/ops/failed-jobs?limit=${limit}`, { token }),
  opsRetry: (token, id) => call('POST', `/v1/ops/jobs/${encodeURIComponent(id)}/retry`, { token }),
};

/** Settings the server offers the page (GET /config.json); defaults when it has none (static hosting). */
export const DEFAULT_CONFIG = {
  headersUrl: 'https://api.whatsonchain.com/v1/bsv/main/block/hash/{hash}',
  maxPayloadBytes: 100000,
};

export async function loadConfig() {
  try {
    const r = await fetch('/config.json', { headers: { Accept: 'application/json' } });
    if (r.ok) return { ...DEFAULT_CONFIG, ...(await r.json()) };
  } catch {
    // static hosting without a config: the defaults hold
  }
  return DEFAULT_CONFIG;
}

export const ULID = /^[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$/;
