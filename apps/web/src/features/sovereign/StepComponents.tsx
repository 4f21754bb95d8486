import {
  type CatalogComponent,
  defaultSelection,
  type FamilyId,
  fallbackLogoSurface,
  families,
  findComponent,
} from '@catalyst/contracts';
import { useMemo, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyOr } from '../../components/EmptyOr';
import { CapacityNote, NODES_STEP } from './CapacityCheck';
import {
  allComponents,
  deselectWithDependents,
  matchesSearch,
  selectedDependents,
  selectWithDependencies,
} from './componentSelection';
import { StepTitle, useStepUpdate } from './fields';
import { useWizard } from './store';

const familyById = new Map(families.map((f) => [f.id, f]));
const familyLabel = (id: FamilyId) => {
  const family = familyById.get(id);
  return family ? `${family.name} ${family.subtitle}` : id;
};
const nameOf = (id: string) => findComponent(id)?.name ?? id;

export function StepComponents() {
  const { state, update } = useWizard();
  const set = useStepUpdate();
  const [query, setQuery] = useState('');
  const [family, setFamily] = useState<FamilyId | 'all'>('all');
  const [pending, setPending] = useState<{ id: string; dependents: string[] } | null>(null);
  const selected = useMemo(() => new Set(state.components), [state.components]);

  const visible = useMemo(
    () =>
      allComponents
        .filter((c) => family === 'all' || c.family === family)
        .filter((c) => matchesSearch(c, query, familyLabel(c.family)))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [family, query],
  );

  const toggle = (component: CatalogComponent) => {
    if (component.mandatory) return;
    if (!selected.has(component.id)) {
      set((s) => ({ ...s, components: selectWithDependencies(s.components, component.id) }));
      return;
    }
    const dependents = selectedDependents(state.components, component.id);
    if (dependents.length > 0) {
      setPending({ id: component.id, dependents });
      return;
    }
    set((s) => ({ ...s, components: deselectWithDependents(s.components, component.id) }));
  };

  return (
    <div className="sov-step">
      <StepTitle title="Pick your platform components">
        Mandatory components are always installed. Selecting a component adds what it needs.
      </StepTitle>
      <div className="sov-comp-toolbar">
        <input
          className="sov-input sov-comp-search"
          type="search"
          placeholder="Search components"
          aria-label="Search components"
          data-testid="component-search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <span className="sov-comp-counter" data-testid="selected-counter">
          Selected ({state.components.length}) of {allComponents.length}
        </span>
        <button
          type="button"
          className="button button--secondary button--small"
          data-testid="reset-defaults"
          onClick={() => set((s) => ({ ...s, components: defaultSelection() }))}
        >
          Reset to defaults
        </button>
      </div>
      <CapacityNote state={state} onChooseNodes={() => update((s) => ({ ...s, step: NODES_STEP }))} />
      <div className="sov-chips">
        <button
          type="button"
          className="sov-chip"
          data-testid="category-chip-all"
          aria-pressed={family === 'all'}
          onClick={() => setFamily('all')}
        >
          All
        </button>
        {families.map((f) => (
          <button
            key={f.id}
            type="button"
            className="sov-chip"
            data-testid={`category-chip-${f.id}`}
            aria-pressed={family === f.id}
            title={f.subtitle}
            onClick={() => setFamily(f.id)}
          >
            {f.name}
          </button>
        ))}
      </div>
      <EmptyOr items={visible} emptyTestId="empty-state" empty={`No component matches “${query}”.`}>
        {(shown) => (
          <ul className="sov-comp-grid" data-testid="component-grid">
            {shown.map((component) => (
              <li key={component.id}>
                <ComponentCard
                  component={component}
                  selected={selected.has(component.id)}
                  onToggle={() => toggle(component)}
                />
              </li>
            ))}
          </ul>
        )}
      </EmptyOr>
      {pending && (
        <CascadeDialog
          name={nameOf(pending.id)}
          dependents={pending.dependents}
          onCancel={() => setPending(null)}
          onConfirm={() => {
            const id = pending.id;
            setPending(null);
            set((s) => ({ ...s, components: deselectWithDependents(s.components, id) }));
          }}
        />
      )}
    </div>
  );
}

function tierPill(component: CatalogComponent): { text: string; tone: string } {
  if (component.mandatory) return { text: 'MANDATORY', tone: 'success' };
  if (component.recommended) return { text: 'RECOMMENDED', tone: 'accent' };
  return { text: 'OPTIONAL', tone: 'optional' };
}

export function ComponentCard({
  component,
  selected,
  onToggle,
}: {
  component: CatalogComponent;
  selected: boolean;
  onToggle: () => void;
}) {
  const pill = tierPill(component);
  const family = familyById.get(component.family);
  const deps = component.dependencies.length;
  return (
    <button
      type="button"
      className={`corp-comp-card ${selected ? 'in-cart' : ''} ${component.mandatory ? 'is-locked' : ''}`}
      data-testid={`component-card-${component.id}`}
      aria-pressed={selected}
      aria-disabled={component.mandatory || undefined}
      title={component.mandatory ? `${component.name} is always installed` : undefined}
      onClick={onToggle}
    >
      <LogoTile component={component} />
      <span className="corp-comp-body">
        <span className="corp-comp-top">
          <span className="corp-comp-name">{component.name}</span>
          <span className="corp-comp-family" data-testid={`family-chip-${component.id}`}>
            {family?.name ?? component.family}
          </span>
          <span
            className={`corp-comp-toggle ${selected ? 'is-on' : ''}`}
            data-testid={`toggle-${component.id}`}
            aria-hidden="true"
          >
            {component.mandatory ? <LockIcon /> : selected ? '✓' : '+'}
          </span>
        </span>
        <span className="corp-comp-desc">{component.description}</span>
        <span className="corp-comp-chips">
          {selected && (
            <span className="corp-pill corp-pill--success" data-testid={`selected-${component.id}`}>
              SELECTED
            </span>
          )}
          <span className={`corp-pill corp-pill--${pill.tone}`}>{pill.text}</span>
          {deps > 0 && (
            <span
              className="corp-pill corp-pill--muted"
              data-testid={`includes-${component.id}`}
              title={`Needs ${component.dependencies.map(nameOf).join(', ')}`}
            >
              + {deps} dep{deps === 1 ? '' : 's'}
            </span>
          )}
        </span>
      </span>
    </button>
  );
}

/** The brand mark on the brand's own surface; a letter-mark when there is no logo or it fails to load. */
export function LogoTile({ component }: { component: CatalogComponent }) {
  const [failed, setFailed] = useState(false);
  const surface = component.logoSurface.background ? component.logoSurface : fallbackLogoSurface;
  const showImage = component.logo && !failed;
  return (
    <span
      className="corp-comp-logo"
      style={{ background: surface.background, color: surface.text }}
      data-testid={`logo-tile-${component.id}`}
    >
      {showImage ? (
        <img
          src={component.logo ?? undefined}
          alt=""
          data-testid={`logo-${component.id}`}
          loading="lazy"
          onError={() => setFailed(true)}
        />
      ) : (
        <span className="corp-comp-lettermark" data-testid={`logo-${component.id}`} aria-hidden="true">
          {component.name.charAt(0).toUpperCase()}
        </span>
      )}
    </span>
  );
}

/** Removing a component others need takes them too: asks first, naming them. */
function CascadeDialog({
  name,
  dependents,
  onCancel,
  onConfirm,
}: {
  name: string;
  dependents: string[];
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <ConfirmDialog
      open
      title={`Remove ${name}?`}
      confirmLabel={`Remove ${dependents.length + 1}`}
      cancelLabel="Keep them"
      testId="cascade-dialog"
      cancelTestId="cascade-cancel"
      confirmTestId="cascade-confirm"
      onCancel={onCancel}
      onConfirm={onConfirm}
    >
      <p>These selected components need {name} and will be removed too:</p>
      <ul data-testid="cascade-dependents">
        {dependents.map((id) => (
          <li key={id}>{nameOf(id)}</li>
        ))}
      </ul>
    </ConfirmDialog>
  );
}

function LockIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M4 7V5a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 13.5v-5A1.5 1.5 0 0 1 3.5 7H4Zm2 0h4V5a2 2 0 1 0-4 0v2Z"
      />
    </svg>
  );
}
