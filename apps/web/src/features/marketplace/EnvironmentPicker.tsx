import { createEnvironmentSchema, type Environment } from '@catalyst/contracts';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Field } from '../../components/Field';
import { describeError, fieldErrorsFromApi } from '../../lib/forms';
import { isApiError } from '../../lib/http';
import { useCreateEnvironment } from './queries';

/** Choose the environment apps go into, or (an owner or org-admin) create one. */
export function EnvironmentPicker({
  org,
  environments,
  selected,
  onSelect,
  canCreate = true,
}: {
  org: string;
  environments: Environment[];
  selected: string | undefined;
  onSelect: (name: string) => void;
  /** False for a member: they use the environments, others create them. */
  canCreate?: boolean;
}) {
  const create = useCreateEnvironment(org);
  const [creating, setCreating] = useState(canCreate && environments.length === 0);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (creating && environments.length > 0) nameRef.current?.focus();
  }, [creating, environments.length]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    const parsed = createEnvironmentSchema.safeParse({ name });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Not a valid name');
      nameRef.current?.focus();
      return;
    }
    create.mutate(parsed.data.name, {
      onSuccess: (environment) => {
        setName('');
        setCreating(false);
        onSelect(environment.name);
      },
      onError: (failure) => {
        if (isApiError(failure, 'environment_exists')) {
          setError(`There is already an environment called ${parsed.data.name}.`);
        } else {
          setError(fieldErrorsFromApi(failure).name ?? describeError(failure));
        }
        nameRef.current?.focus();
      },
    });
  };

  return (
    <div className="env-picker">
      {environments.length > 0 ? (
        <Field className="env-picker__select" label="Environment">
          {(control) => (
            <select {...control} value={selected ?? ''} onChange={(event) => onSelect(event.target.value)}>
              {environments.map((environment) => (
                <option key={environment.name} value={environment.name}>
                  {environment.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : canCreate ? (
        <p className="muted">Create an environment (such as production or staging) to install apps into.</p>
      ) : (
        <p className="muted">No environments yet: an owner or org-admin creates them.</p>
      )}
      {creating ? (
        <form className="env-picker__form" onSubmit={submit} noValidate aria-busy={create.isPending}>
          <Field label="Environment name" error={error} errorAlert={false}>
            {(control) => (
              <input
                ref={nameRef}
                {...control}
                name="name"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                placeholder="production"
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
            )}
          </Field>
          <div className="env-picker__buttons">
            <button type="submit" className="button" disabled={create.isPending}>
              {create.isPending && <span className="spinner spinner--inline" aria-hidden="true" />}
              Create
            </button>
            {environments.length > 0 && (
              <button
                type="button"
                className="button button--secondary"
                onClick={() => {
                  setCreating(false);
                  setError(null);
                }}
              >
                Cancel
              </button>
            )}
          </div>
        </form>
      ) : (
        canCreate && (
          <button type="button" className="button button--secondary" onClick={() => setCreating(true)}>
            New environment
          </button>
        )
      )}
    </div>
  );
}
