import { describe, expect, it } from 'vitest';
import { controlCharacterIssues } from './control-characters.js';

describe('controlCharacterIssues', () => {
  it('lets tab, line feed and carriage return through (multi-line text)', () => {
    expect(controlCharacterIssues({ notes: 'line one\r\n\tline two', list: ['a\nb'] })).toEqual([]);
  });

  it('names every string holding a C0 control or DEL by its dotted path', () => {
    const issues = controlCharacterIssues(
      { org: { name: 'a\u0000' }, components: ['ok', 'b\u001f'], tag: 'c\u007f', n: 1, none: null },
      undefined,
    );
    expect(issues.map((i) => i.path)).toEqual(['org.name', 'components.1', 'tag']);
  });

  it('names a path parameter after the parameter', () => {
    expect(controlCharacterIssues('ab\u0000', 'slug').map((i) => i.path)).toEqual(['slug']);
  });

  it('walks a very deeply nested body without overflowing the stack', () => {
    let body: unknown = 'deep\u0000';
    for (let i = 0; i < 200_000; i++) body = [body];
    const issues = controlCharacterIssues(body);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path.split('.')).toHaveLength(200_000);
  });
});
