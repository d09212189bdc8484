import type { Verdict } from './verdicts.js';

/** Text or attribute value from AWS: the five HTML specials escaped, C0 controls (but tab/LF/CR) replaced. */
export function h(value: string | number | boolean | null | undefined): string {
  return String(value ?? '')
    .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\uFFFD'); // eslint-disable-line no-control-regex
}

/** JSON for a `<script type="application/json">`: no `<` (so no `</script>`), `>` or `&` survives as such. */
export const jsonIsland = (value: unknown) =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export const badge = (v: Verdict) => `<span class="badge v-${h(v)}">${h(v)}</span>`;
