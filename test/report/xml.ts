/**
 * A small, strict XML 1.0 reader for the documents our reporters write (declaration, elements,
 * attributes, text, character and predefined entity references; no DTD, comments or CDATA).
 * It throws on anything not well-formed, so a test that parses a report proves it is XML.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, references resolved (children's text not included). */
  text: string;
}

const NOT_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NAME = /[A-Za-z_:][-A-Za-z0-9._:]*/y;
const SPACE = /[ \t\r\n]*/y;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(source: string): XmlElement {
  const bad = NOT_CHAR.exec(source);
  if (bad) throw new Error(`character U+${bad[0].codePointAt(0)!.toString(16)} is not allowed in XML 1.0 (at ${bad.index})`);
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at ${at}: ${JSON.stringify(source.slice(at, at + 40))}`);
  };
  const match = (re: RegExp) => {
    re.lastIndex = at;
    const m = re.exec(source);
    if (!m) return null;
    at = re.lastIndex;
    return m[0];
  };
  const expect = (s: string) => (source.startsWith(s, at) ? (at += s.length) : fail(`expected ${JSON.stringify(s)}`));
  const name = () => match(NAME) || fail('expected a name');

  /** Characters up to `stop`, with references resolved; `<` is never allowed raw. */
  const chars = (stop: string, attribute: boolean) => {
    let out = '';
    while (at < source.length && !stop.includes(source[at]!)) {
      const c = source[at]!;
      if (c === '<') fail('raw < in character data');
      if (c === '&') {
        const end = source.indexOf(';', at);
        if (end < 0) fail('unterminated reference');
        const ref = source.slice(at + 1, end);
        const code = /^#x[0-9a-fA-F]+$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]+$/.test(ref) ? parseInt(ref.slice(1), 10) : undefined;
        const resolved = code === undefined ? PREDEFINED[ref] : code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
        if (resolved === undefined || NOT_CHAR.test(resolved)) fail(`bad reference &${ref};`);
        out += resolved;
        at = end + 1;
      } else {
        if (!attribute && source.startsWith(']]>', at)) fail(']]> in character data');
        // Attribute-value normalisation: a literal tab, CR or LF reads as a space.
        out += attribute && /[\t\r\n]/.test(c) ? ' ' : c;
        at++;
      }
    }
    return out;
  };

  const element = (): XmlElement => {
    expect('<');
    const el: XmlElement = { name: name(), attributes: {}, children: [], text: '' };
    for (;;) {
      const space = match(SPACE);
      if (source.startsWith('/>', at)) {
        at += 2;
        return el;
      }
      if (source[at] === '>') break;
      if (!space) fail('expected space before an attribute');
      const key = name();
      if (key in el.attributes) fail(`duplicate attribute ${key}`);
      match(SPACE);
      expect('=');
      match(SPACE);
      const quote = source[at];
      if (quote !== '"' && quote !== "'") fail('expected a quoted value');
      at++;
      el.attributes[key] = chars(quote!, true);
      expect(quote!);
    }
    at++;
    for (;;) {
      el.text += chars('<', false);
      if (at >= source.length) fail(`unclosed <${el.name}>`);
      if (source.startsWith('</', at)) {
        at += 2;
        if (name() !== el.name) fail(`mismatched end tag for <${el.name}>`);
        match(SPACE);
        expect('>');
        return el;
      }
      el.children.push(element());
    }
  };

  if (source.startsWith('<?xml', at)) {
    const end = source.indexOf('?>', at);
    if (end < 0) fail('unterminated declaration');
    at = end + 2;
  }
  match(SPACE);
  const root = element();
  match(SPACE);
  if (at !== source.length) fail('content after the root element');
  return root;
}
