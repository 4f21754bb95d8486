const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const DEL = 0x7f;
const MAX_ISSUES = 20;
const MESSAGE =
  'Must not contain control characters (U+0000–U+001F, U+007F) other than tab, line feed and carriage return';

/** C0 controls and DEL, except tab, line feed and carriage return (legitimate in multi-line text). */
function isControl(code: number): boolean {
  return (code < 0x20 && code !== TAB && code !== LINE_FEED && code !== CARRIAGE_RETURN) || code === DEL;
}

function hasControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (isControl(value.charCodeAt(i))) return true;
  return false;
}

/**
 * Every string (value or field name) in a parsed request part that holds a control character, as
 * field issues with dotted paths. Postgres refuses U+0000 in text and jsonb, so such a value would
 * otherwise fail half-way through a request, after earlier writes. The walk is iterative so a deeply
 * nested body cannot overflow the stack.
 */
export function controlCharacterIssues(input: unknown, prefix?: string): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  // Each entry points at its parent instead of copying the path: a deep body stays linear in size.
  const root: Step | undefined = prefix === undefined ? undefined : { key: prefix };
  const pending: { value: unknown; at: Step | undefined }[] = [{ value: input, at: root }];
  while (pending.length > 0 && issues.length < MAX_ISSUES) {
    const { value, at } = pending.pop() as { value: unknown; at: Step | undefined };
    if (typeof value === 'string') {
      if (hasControlCharacters(value)) issues.push({ path: pathOf(at), message: MESSAGE });
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        pending.push({ value: value[i], at: { key: String(i), parent: at } });
      }
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value).reverse()) {
        if (hasControlCharacters(key)) {
          issues.push({
            path: pathOf({ key: escapeControls(key), parent: at }),
            message: `Field name: ${MESSAGE}`,
          });
        } else {
          pending.push({ value: child, at: { key, parent: at } });
        }
      }
    }
  }
  return issues;
}

interface Step {
  key: string;
  parent?: Step;
}

function pathOf(step: Step | undefined): string {
  const keys: string[] = [];
  for (let s = step; s; s = s.parent) keys.push(s.key);
  return keys.reverse().join('.');
}

/** A field name with its control characters spelled out, so the path in the answer is printable. */
function escapeControls(key: string): string {
  return [...key]
    .map((c) => (isControl(c.charCodeAt(0)) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c))
    .join('');
}
