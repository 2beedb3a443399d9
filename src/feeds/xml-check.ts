// A small XML well-formedness check and reader for tests (no XML parser is a dependency): balanced tags, legal
// characters and entities, CDATA handled; returns the elements so a test can count and read them.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (entities decoded, CDATA unwrapped), children's text not included. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// eslint-disable-next-line no-control-regex
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function decode(text: string, where: number): string {
  if (text.includes('<')) throw new Error(`a raw "<" in text near ${where}`);
  return text.replace(/&([^;\s]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new Error(`an unterminated entity near ${where}: ${whole}`);
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const value = ENTITIES[name];
    if (value === undefined) throw new Error(`an unknown entity &${name}; near ${where}`);
    return value;
  });
}

/** Parses the document or throws saying what is wrong and where. */
export function parseXml(xml: string): XmlElement {
  if (ILLEGAL.test(xml)) throw new Error('a character XML 1.0 does not allow');
  let i = 0;
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const top = () => stack[stack.length - 1] ?? root;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? xml.length : lt;
    if (textEnd > i) {
      const text = xml.slice(i, textEnd);
      if (stack.length === 1 && text.trim() !== '') throw new Error(`text outside the root element near ${i}`);
      top().text += decode(text, i);
    }
    if (lt === -1) break;
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt);
      if (end === -1) throw new Error(`an unterminated CDATA section at ${lt}`);
      top().text += xml.slice(lt + 9, end);
      i = end + 3;
    } else if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt);
      if (end === -1) throw new Error(`an unterminated declaration at ${lt}`);
      i = end + 2;
    } else if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      if (end === -1) throw new Error(`an unterminated comment at ${lt}`);
      i = end + 3;
    } else {
      const end = xml.indexOf('>', lt);
      if (end === -1) throw new Error(`an unterminated tag at ${lt}`);
      const tag = xml.slice(lt + 1, end);
      i = end + 1;
      if (tag.startsWith('/')) {
        const name = tag.slice(1).trim();
        const open = stack.pop();
        if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}> near ${lt}`);
        continue;
      }
      const selfClosing = tag.endsWith('/');
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const nameMatch = /^([A-Za-z_][\w.:-]*)/.exec(body);
      if (!nameMatch?.[1]) throw new Error(`a malformed tag near ${lt}: <${tag}>`);
      const attributes: Record<string, string> = {};
      const rest = body.slice(nameMatch[1].length);
      const attr = /\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/gy;
      let consumed = 0;
      for (let m = attr.exec(rest); m; m = attr.exec(rest)) {
        const name = m[1] ?? '';
        if (name in attributes) throw new Error(`a repeated attribute ${name} near ${lt}`);
        attributes[name] = decode(m[3] ?? m[4] ?? '', lt);
        consumed = attr.lastIndex;
      }
      if (rest.slice(consumed).trim() !== '') throw new Error(`a malformed attribute near ${lt}: <${tag}>`);
      const element: XmlElement = { name: nameMatch[1], attributes, children: [], text: '' };
      if (stack.length === 1 && root.children.length > 0) throw new Error('a second root element');
      top().children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  if (stack.length !== 1) throw new Error(`<${top().name}> is never closed`);
  const first = root.children[0];
  if (!first) throw new Error('no root element');
  return first;
}

/** Every descendant element with the name, in document order. */
export function elements(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const child of e.children) {
      if (child.name === name) found.push(child);
      walk(child);
    }
  };
  walk(element);
  return found;
}

export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((c) => c.name === name)?.text;
}
