// Shared pieces of the page: the lion mark, notices, fields, time formatting.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);

/** The lion: a mane of green, gold and red rays around a gold face, drawn in SVG. */
export function Lion({ size = 40 }) {
  const rays = [];
  const colours = ['#2bb673', '#f2c94c', '#e25c5c'];
  for (let i = 0; i < 18; i++) {
    const a = (i * 20 * Math.PI) / 180;
    const x = 50 + Math.cos(a) * 44;
    const y = 50 + Math.sin(a) * 44;
    const l = 50 + Math.cos(a - 0.2) * 27;
    const lt = 50 + Math.sin(a - 0.2) * 27;
    const r = 50 + Math.cos(a + 0.2) * 27;
    const rt = 50 + Math.sin(a + 0.2) * 27;
    rays.push(html`<path d=${`M${l.toFixed(1)} ${lt.toFixed(1)} L${x.toFixed(1)} ${y.toFixed(1)} L${r.toFixed(1)} ${rt.toFixed(1)} Z`} fill=${colours[i % 3]} />`);
  }
  return html`<svg class="lion" width=${size} height=${size} viewBox="0 0 100 100" role="img" aria-label="RareGen lion">
    ${rays}
    <circle cx="50" cy="50" r="29" fill="#7a4a12" />
    <circle cx="33" cy="31" r="7" fill="#f2c94c" /><circle cx="67" cy="31" r="7" fill="#f2c94c" />
    <circle cx="33" cy="31" r="3.5" fill="#7a4a12" /><circle cx="67" cy="31" r="3.5" fill="#7a4a12" />
    <ellipse cx="50" cy="53" rx="22" ry="24" fill="#f2c94c" />
    <ellipse cx="41" cy="47" rx="3.2" ry="4" fill="#0e1411" /><ellipse cx="59" cy="47" rx="3.2" ry="4" fill="#0e1411" />
    <circle cx="42" cy="46" r="1" fill="#fff" /><circle cx="60" cy="46" r="1" fill="#fff" />
    <ellipse cx="50" cy="64" rx="12" ry="9" fill="#fbe7a6" />
    <path d="M44 58 L56 58 L50 65 Z" fill="#5a2d0c" />
    <path d="M50 65 L50 69 M50 69 Q45 73 41 70 M50 69 Q55 73 59 70" stroke="#5a2d0c" stroke-width="1.8" fill="none" stroke-linecap="round" />
  </svg>`;
}

export function Notice({ kind = 'info', children, id }) {
  if (!children) return null;
  return html`<div class=${`notice notice-${kind}`} role=${kind === 'error' ? 'alert' : 'status'} id=${id}>${children}</div>`;
}

export function Field({ label, hint, children }) {
  return html`<label class="field"><span class="field-label">${label}</span>${children}${hint && html`<span class="field-hint">${hint}</span>`}</label>`;
}

export function Mono({ children, cls = '', id }) {
  return html`<code class=${`mono ${cls}`} id=${id}>${children}</code>`;
}

export function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function short(s, n = 10) {
  if (!s || s.length <= 2 * n + 1) return s;
  return `${s.slice(0, n)}…${s.slice(-n)}`;
}

export function download(name, text, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function StatusBadge({ status }) {
  return html`<span class=${`badge badge-${status || 'unknown'}`} data-status=${status}>${status || '…'}</span>`;
}
