/**
 * The AWS query protocols (EC2 `ec2Query`, IAM/STS `awsQuery`): form-encoded
 * requests, XML responses and XML error envelopes.
 */
import type { Service } from './errors.js';
import { escapeXml, renderElement, xmlDocument, type XmlValue } from './xml.js';

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const QUERY_XMLNS: Record<string, string> = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
};

type Tree = { [key: string]: Tree | string };

/**
 * Turn flattened query parameters into a nested object:
 * `Filter.1.Name=a&Filter.1.Value.1=b&InstanceId.1=i-1` →
 * `{ Filter: [{ Name: 'a', Value: ['b'] }], InstanceId: ['i-1'] }`.
 * awsQuery's `X.member.N` lists become arrays too. Values stay strings.
 */
export function unflatten(flat: Iterable<[string, string]>): Record<string, unknown> {
  const root: Tree = {};
  for (const [key, value] of flat) {
    const parts = key.split('.').filter((p) => p !== 'member' && p !== 'entry');
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        node[part] = value;
        return;
      }
      const next = node[part];
      if (typeof next === 'object') node = next;
      else node = node[part] = {};
    });
  }
  return arrayify(root) as Record<string, unknown>;
}

function arrayify(node: Tree | string): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => arrayify(node[k] as Tree | string));
  }
  return Object.fromEntries(keys.map((k) => [k, arrayify(node[k] as Tree | string)]));
}

export function str(params: Record<string, unknown>, key: string): string | undefined {
  const v = params[key];
  return typeof v === 'string' ? v : undefined;
}

export function strList(params: Record<string, unknown>, key: string): string[] {
  const v = params[key];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

export function objList(params: Record<string, unknown>, key: string): Array<Record<string, unknown>> {
  const v = params[key];
  const arr = Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : [];
  return arr.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
}

export function bool(params: Record<string, unknown>, key: string): boolean {
  return params[key] === 'true';
}

/** Successful response body. */
export function queryResponse(service: Service, action: string, requestId: string, body: XmlValue): string {
  if (service === 'ec2') {
    return xmlDocument(`${action}Response`, EC2_XMLNS, renderElement('requestId', requestId) + renderBody(body));
  }
  const result = `<${action}Result>${renderBody(body)}</${action}Result>`;
  const meta = `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>`;
  return xmlDocument(`${action}Response`, QUERY_XMLNS[service], result + meta);
}

function renderBody(body: XmlValue): string {
  if (body === null || body === undefined) return '';
  if (typeof body !== 'object' || body instanceof Date) throw new Error('query response body must be an object');
  return Object.entries(body)
    .map(([k, v]) => renderElement(k, v))
    .join('');
}

/** Error envelope: EC2's <Response><Errors>…, or awsQuery's <ErrorResponse>…. */
export function queryError(service: string, code: string, message: string, status: number, requestId: string): string {
  const c = escapeXml(code);
  const m = escapeXml(message);
  const id = escapeXml(requestId);
  if (service === 'ec2') {
    return xmlDocument('Response', undefined, `<Errors><Error><Code>${c}</Code><Message>${m}</Message></Error></Errors><RequestID>${id}</RequestID>`);
  }
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return xmlDocument(
    'ErrorResponse',
    QUERY_XMLNS[service],
    `<Error><Type>${type}</Type><Code>${c}</Code><Message>${m}</Message></Error><RequestId>${id}</RequestId>`,
  );
}
