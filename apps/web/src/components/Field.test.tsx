import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Field } from './Field';

const describedBy = (element: HTMLElement) =>
  (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent);

describe('Field', () => {
  it('names the control by its label and describes it by its hint, status and error, in order', () => {
    render(
      <Field
        label="Subdomain"
        hint="Lower-case letters"
        status={{ message: 'acme is taken', tone: 'bad', testId: 'availability' }}
        error="Pick another"
      >
        {(control) => <input {...control} />}
      </Field>,
    );
    const input = screen.getByLabelText('Subdomain');
    expect(describedBy(input)).toEqual(['Lower-case letters', 'acme is taken', 'Pick another']);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toBe('Pick another');
    expect(screen.getByTestId('availability').getAttribute('role')).toBe('status');
  });

  it('is valid and undescribed without a hint or error, and keeps a given id', () => {
    render(
      <Field id="org-name" label="Organisation name">
        {(control) => <input {...control} />}
      </Field>,
    );
    const input = screen.getByLabelText('Organisation name');
    expect(input.id).toBe('org-name');
    expect(input.hasAttribute('aria-invalid')).toBe(false);
    expect(input.hasAttribute('aria-describedby')).toBe(false);
  });

  it('leaves the announcing to the form when asked, and can be invalid without a message', () => {
    render(
      <>
        <Field label="Code" error="Too short" errorAlert={false}>
          {(control) => <input {...control} />}
        </Field>
        <Field label="Slug" invalid>
          {(control) => <input {...control} />}
        </Field>
      </>,
    );
    expect(screen.queryByRole('alert')).toBeNull();
    expect(describedBy(screen.getByLabelText('Code'))).toEqual(['Too short']);
    expect(screen.getByLabelText('Slug').getAttribute('aria-invalid')).toBe('true');
  });

  it('puts a checkbox before its label, and gives the wizard its compact look', () => {
    const { container } = render(
      <>
        <Field label="Active" labelAfter>
          {(control) => <input type="checkbox" {...control} />}
        </Field>
        <Field label="Region" compact>
          {(control) => <select {...control} />}
        </Field>
      </>,
    );
    const [checkbox, region] = [...container.children] as HTMLElement[];
    expect(checkbox?.firstElementChild?.tagName).toBe('INPUT');
    expect(checkbox?.className).toBe('field');
    expect(region?.className).toBe('field-compact');
    expect(screen.getByLabelText('Region').tagName).toBe('SELECT');
  });
});
