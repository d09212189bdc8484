/** Minimal XML writer for the query protocols (EC2, IAM, STS). */

export class XmlList {
  constructor(
    readonly itemName: string,
    readonly items: XmlValue[],
  ) {}
}
export type XmlValue = string | number | boolean | Date | null | undefined | XmlList | { [key: string]: XmlValue };

/** EC2-style list: <xxxSet><item>…</item></xxxSet>. */
export const items = (xs: XmlValue[]): XmlList => new XmlList('item', xs);
/** IAM/STS-style list: <Roles><member>…</member></Roles>. */
export const members = (xs: XmlValue[]): XmlList => new XmlList('member', xs);

const SPECIAL = /[&<>"']/;

export function escapeXml(s: string): string {
  if (!SPECIAL.test(s)) return s;
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** Timestamps in query protocols are ISO-8601 (date-time). */
export function isoTimestamp(d: Date | string): string {
  return (typeof d === 'string' ? new Date(d) : d).toISOString();
}

// Loops and concatenation rather than map and join: a DescribeInstances page of 1,000 instances
// is some 40,000 elements, and the fake shares the benchmark machine with the CLI it serves.
function renderChildren(value: XmlValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof XmlList) {
    let out = '';
    for (const v of value.items) out += renderElement(value.itemName, v);
    return out;
  }
  if (value instanceof Date) return isoTimestamp(value);
  if (typeof value === 'object') {
    let out = '';
    for (const k in value) out += renderElement(k, value[k]);
    return out;
  }
  return escapeXml(String(value));
}

/** Render <name>value</name>; undefined/null values are omitted entirely (as AWS omits absent members). */
export function renderElement(name: string, value: XmlValue): string {
  if (value === null || value === undefined) return '';
  const inner = renderChildren(value);
  return inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`;
}

export function xmlDocument(root: string, xmlns: string | undefined, body: string): string {
  const ns = xmlns ? ` xmlns="${xmlns}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${body}</${root}>`;
}
