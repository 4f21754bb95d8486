import { EmptyOr } from './EmptyOr';

/** Configured values (domains, nameservers) as a plain list of code, or "None". */
export function ValueList({ items }: { items: readonly string[] }) {
  return (
    <EmptyOr items={items} empty="None" inline>
      {(values) => (
        <ul className="plain-list">
          {values.map((item) => (
            <li key={item}>
              <code>{item}</code>
            </li>
          ))}
        </ul>
      )}
    </EmptyOr>
  );
}
