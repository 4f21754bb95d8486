/*
 * A renderer for the subset of OpenTofu's template language the cloud-init templates use (no tofu binary
 * in the test environment): ${…} interpolations of variables, string/number/bool literals, object
 * constructors, the conditional operator and the functions jsonencode, tostring, join, replace and
 * plantimestamp; %{ if } / %{ else } / %{ endif } directives, nested, with the strip marker "~" (line
 * scoped, as hclsyntax applies it: "~}" drops the whitespace up to and including the next newline).
 * Anything else throws, so a template that uses more than this fails its test instead of rendering wrong.
 */

type Value = unknown;
type Vars = Record<string, Value>;

type Token = { kind: 'str' | 'num' | 'id' | 'punct'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"') {
      let j = i + 1;
      let text = '';
      while (j < source.length && source[j] !== '"') {
        if (source[j] === '\\') {
          const next = source[j + 1];
          text += next === 'n' ? '\n' : next === 't' ? '\t' : (next ?? '');
          j += 2;
        } else {
          if (source.startsWith('${', j)) throw new Error(`string templates are not supported: ${source}`);
          text += source[j];
          j++;
        }
      }
      tokens.push({ kind: 'str', text });
      i = j + 1;
    } else if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(source.slice(i))?.[0] ?? ch;
      tokens.push({ kind: 'num', text: m });
      i += m.length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))?.[0] ?? ch;
      tokens.push({ kind: 'id', text: m });
      i += m.length;
    } else if ('(){}[],=?:'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch });
      i++;
    } else {
      throw new Error(`unsupported character ${ch} in ${source}`);
    }
  }
  return tokens;
}

/** jsonencode: object keys sorted (cty objects and maps encode that way), HTML characters escaped as Go does. */
function jsonencode(value: Value): string {
  const sorted = (v: Value): Value =>
    Array.isArray(v)
      ? v.map(sorted)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sorted((v as Record<string, Value>)[k])]),
          )
        : v;
  return JSON.stringify(sorted(value))
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026');
}

const functions: Record<string, (...args: Value[]) => Value> = {
  jsonencode: (v) => jsonencode(v),
  tostring: (v) => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new Error(`tostring(${JSON.stringify(v)})`);
  },
  join: (sep, list) => (list as string[]).join(sep as string),
  replace: (s, pattern, with_) => {
    const p = pattern as string;
    const regex = /^\/(.*)\/$/.exec(p);
    return regex?.[1] !== undefined
      ? (s as string).replace(new RegExp(regex[1], 'g'), with_ as string)
      : (s as string).replaceAll(p, with_ as string);
  },
  plantimestamp: () => '2025-01-01T00:00:00Z',
};

export function evaluate(source: string, vars: Vars): Value {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (text?: string) => {
    const token = tokens[pos++];
    if (!token || (text !== undefined && token.text !== text))
      throw new Error(`expected ${text ?? 'a token'} in ${source}, got ${token?.text}`);
    return token;
  };
  const primary = (): Value => {
    const token = take();
    if (token.kind === 'str') return token.text;
    if (token.kind === 'num') return Number(token.text);
    if (token.kind === 'punct' && token.text === '{') {
      const object: Record<string, Value> = {};
      while (peek()?.text !== '}') {
        const key = take();
        if (key.kind !== 'id' && key.kind !== 'str') throw new Error(`object key ${key.text} in ${source}`);
        take('=');
        object[key.text] = expression();
        if (peek()?.text === ',') pos++;
      }
      take('}');
      return object;
    }
    if (token.kind === 'id') {
      if (token.text === 'true' || token.text === 'false') return token.text === 'true';
      if (peek()?.text === '(') {
        pos++;
        const args: Value[] = [];
        while (peek()?.text !== ')') {
          args.push(expression());
          if (peek()?.text === ',') pos++;
        }
        take(')');
        const fn = functions[token.text];
        if (!fn) throw new Error(`unsupported function ${token.text}`);
        return fn(...args);
      }
      if (!(token.text in vars)) throw new Error(`unknown variable ${token.text}`);
      return vars[token.text];
    }
    throw new Error(`unexpected ${token.text} in ${source}`);
  };
  const expression = (): Value => {
    const condition = primary();
    if (peek()?.text !== '?') return condition;
    pos++;
    const whenTrue = expression();
    take(':');
    const whenFalse = expression();
    if (typeof condition !== 'boolean') throw new Error(`condition of ${source} is not a bool`);
    return condition ? whenTrue : whenFalse;
  };
  const value = expression();
  if (pos !== tokens.length) throw new Error(`trailing tokens in ${source}`);
  return value;
}

function interpolate(value: Value, source: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`\${${source}} is not a string (${JSON.stringify(value)})`);
}

/** The closing brace of the sequence whose "{" is at `open`, honouring nested braces and strings. */
function sequenceEnd(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let j = open; j < text.length; j++) {
    const c = text[j];
    if (inString) {
      if (c === '\\') j++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return j;
  }
  throw new Error(`unterminated sequence at ${open}`);
}

type Part = { kind: 'text'; text: string } | { kind: 'directive'; text: string };

/** Renders a .tftpl as templatefile() would, for the constructs this module's templates use. */
export function renderTemplate(text: string, vars: Vars): string {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  let trimNext = false;
  const pushLiteral = () => {
    if (literal) parts.push({ kind: 'text', text: literal });
    literal = '';
  };
  while (i < text.length) {
    if (trimNext) {
      // "~}": the rest of this line's whitespace and its newline.
      const m = /^[ \t]*\r?\n?/.exec(text.slice(i))?.[0] ?? '';
      i += m.length;
      trimNext = false;
      continue;
    }
    const ch = text[i];
    const opens = (ch === '$' || ch === '%') && text[i + 1] === '{';
    if (opens && text[i - 1] === ch) {
      // "$${" / "%%{": an escaped, literal "${" / "%{".
      literal = `${literal.slice(0, -1)}${ch}{`;
      i += 2;
      continue;
    }
    if (!opens) {
      literal += ch;
      i++;
      continue;
    }
    const end = sequenceEnd(text, i + 1);
    let inner = text.slice(i + 2, end);
    if (inner.startsWith('~')) throw new Error('"{~" is not supported');
    if (inner.endsWith('~')) {
      inner = inner.slice(0, -1);
      trimNext = true;
    }
    if (ch === '$') {
      literal += interpolate(evaluate(inner, vars), inner.trim());
    } else {
      pushLiteral();
      parts.push({ kind: 'directive', text: inner.trim() });
    }
    i = end + 1;
  }
  pushLiteral();

  let out = '';
  // A stack of [this branch renders, some branch of this if already rendered].
  const stack: { on: boolean; taken: boolean; outer: boolean }[] = [];
  const active = () => stack.every((s) => s.on);
  for (const part of parts) {
    if (part.kind === 'text') {
      if (active()) out += part.text;
      continue;
    }
    const m = /^if\s+([\s\S]+)$/.exec(part.text);
    if (m?.[1]) {
      const outer = active();
      const condition = outer ? evaluate(m[1], vars) : false;
      if (outer && typeof condition !== 'boolean') throw new Error(`%{ if ${m[1]} } is not a bool`);
      stack.push({ on: condition === true, taken: condition === true, outer });
    } else if (part.text === 'else') {
      const top = stack[stack.length - 1];
      if (!top) throw new Error('%{ else } without if');
      top.on = !top.taken;
    } else if (part.text === 'endif') {
      if (!stack.pop()) throw new Error('%{ endif } without if');
    } else {
      throw new Error(`unsupported directive %{ ${part.text} }`);
    }
  }
  if (stack.length) throw new Error('unterminated %{ if }');
  return out;
}
