import {
  findProvider,
  type NodeSize,
  nodeSizes,
  type ProviderId,
  providers,
  recommendedNodeSize,
} from '@catalyst/contracts';
import { Field, type FieldControl } from '../../components/Field';
import { euro, StepTitle, useStepUpdate } from './fields';
import { freeRegion, type RegionDraft, useWizard } from './store';
import { fieldError } from './validation';

/** `4 vCPU · 8 GB RAM · 160 GB · €0.0232/h · €14.49/mo` */
export function sizeSublabel(size: NodeSize): string {
  return `${size.vcpu} vCPU · ${size.ramGb} GB RAM · ${size.diskLabel} · ${euro(size.priceHourEur, 4)}/h · ${euro(size.priceMonthEur)}/mo`;
}

export function sizeOptionLabel(size: NodeSize): string {
  return `${size.label} — ${sizeSublabel(size)}${size.recommended ? ' · recommended' : ''}`;
}

/** The node sizes a region may use: only its own provider's. */
export function sizesFor(provider: string): NodeSize[] {
  return (nodeSizes as Record<string, NodeSize[] | undefined>)[provider] ?? [];
}

export function StepProvider() {
  const { state } = useWizard();
  const set = useStepUpdate();
  const setRegion = (index: number, patch: Partial<RegionDraft>) =>
    set((s) => ({ ...s, regions: s.regions.map((r, i) => (i === index ? { ...r, ...patch } : r)) }));

  return (
    <div className="sov-step">
      <StepTitle title="Cloud, region and sizing">
        Choose where each region runs and how big its nodes are. Catalyst provisions on Hetzner Cloud today.
      </StepTitle>
      <div className="sov-region-grid">
        {state.regions.map((region, index) => (
          <RegionCard
            // biome-ignore lint/suspicious/noArrayIndexKey: regions are positional
            key={index}
            index={index}
            region={region}
            onChange={(patch) => setRegion(index, patch)}
          />
        ))}
      </div>
    </div>
  );
}

function RegionCard({
  index,
  region,
  onChange,
}: {
  index: number;
  region: RegionDraft;
  onChange: (patch: Partial<RegionDraft>) => void;
}) {
  const { state } = useWizard();
  const provider = findProvider(region.provider);
  const sizes = sizesFor(region.provider);
  const err = (field: string) => fieldError(state, 2, `topology.regions.${index}.${field}`);
  /** Each region once: the region card that already uses a location, by its number. */
  const usedBy = (cloudRegion: string) => {
    const other = state.regions.findIndex((r, i) => i !== index && r.cloudRegion === cloudRegion);
    return other === -1 ? null : other + 1;
  };
  /** The other providers' regions are shown, but cannot be chosen until the provider is available. */
  const unavailable = providers.filter((p) => !p.available && p.id !== region.provider);
  const chooseProvider = (id: ProviderId) => {
    const next = findProvider(id);
    const size = recommendedNodeSize(id).id;
    const others = state.regions.filter((_, i) => i !== index);
    onChange({
      provider: id,
      cloudRegion: freeRegion(id, others) || (next?.regions[0]?.id ?? ''),
      controlPlaneSize: size,
      workerSize: size,
      workerCount: 0,
    });
  };
  const setCount = (value: number) =>
    onChange({ workerCount: Number.isFinite(value) ? Math.min(50, Math.max(0, Math.round(value))) : 0 });

  return (
    <section className="sov-region-card card" data-testid={`region-card-${index}`}>
      <h3>Region {index + 1}</h3>
      <Field compact label="Provider" error={err('provider')}>
        {(control) => (
          <select
            {...control}
            data-testid={`provider-select-${index}`}
            value={region.provider}
            onChange={(e) => chooseProvider(e.target.value as ProviderId)}
          >
            {providers.map((p) => (
              <option key={p.id} value={p.id} disabled={!p.available}>
                {p.available ? p.name : `${p.name} — not yet available`}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field compact label="Region" error={err('cloudRegion')}>
        {(control) => (
          <select
            {...control}
            data-testid={`cloud-region-select-${index}`}
            value={region.cloudRegion}
            onChange={(e) => onChange({ cloudRegion: e.target.value })}
          >
            {!provider?.regions.some((r) => r.id === region.cloudRegion) && <option value="">Choose…</option>}
            {provider?.regions.map((r) => {
              const taken = usedBy(r.id);
              return (
                <option key={r.id} value={r.id} disabled={taken !== null && r.id !== region.cloudRegion}>
                  {r.name} ({r.id}){taken !== null ? ` — already region ${taken}` : ''}
                </option>
              );
            })}
            {unavailable.map((p) => (
              <optgroup key={p.id} label={`${p.name} — not yet available`}>
                {p.regions.map((r) => (
                  <option key={r.id} value={`${p.id}:${r.id}`} disabled>
                    {r.name} ({r.id})
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        )}
      </Field>
      <Field
        compact
        label="Control-plane size"
        hint={sizes.find((s) => s.id === region.controlPlaneSize)?.category}
        error={err('controlPlaneSize')}
      >
        {(control) => (
          <SizeSelect
            control={control}
            testId={`cp-size-select-${index}`}
            sizes={sizes}
            value={region.controlPlaneSize}
            onChange={(controlPlaneSize) => onChange({ controlPlaneSize })}
          />
        )}
      </Field>
      <Field
        compact
        label="Worker nodes"
        hint={region.workerCount === 0 ? '0 = the control plane also runs workloads' : 'Between 0 and 50'}
        error={err('workerCount')}
      >
        {(control) => (
          <div className="sov-stepper">
            <button
              type="button"
              className="button button--secondary button--small"
              aria-label="Fewer workers"
              disabled={region.workerCount <= 0}
              onClick={() => setCount(region.workerCount - 1)}
            >
              −
            </button>
            <input
              {...control}
              data-testid={`worker-count-${index}`}
              type="number"
              min={0}
              max={50}
              step={1}
              inputMode="numeric"
              value={region.workerCount}
              onChange={(e) => setCount(e.target.valueAsNumber)}
            />
            <button
              type="button"
              className="button button--secondary button--small"
              aria-label="More workers"
              disabled={region.workerCount >= 50}
              onClick={() => setCount(region.workerCount + 1)}
            >
              +
            </button>
          </div>
        )}
      </Field>
      {region.workerCount > 0 && (
        <Field compact label="Worker size" error={err('workerSize')}>
          {(control) => (
            <SizeSelect
              control={control}
              testId={`worker-size-select-${index}`}
              sizes={sizes}
              value={region.workerSize}
              onChange={(workerSize) => onChange({ workerSize })}
            />
          )}
        </Field>
      )}
    </section>
  );
}

/** A server-type select for one region: the provider's sizes, with a placeholder until one is chosen. */
function SizeSelect(props: {
  control: FieldControl;
  testId: string;
  sizes: NodeSize[];
  value: string;
  onChange: (size: string) => void;
}) {
  const { control, sizes, value } = props;
  return (
    <select
      {...control}
      data-testid={props.testId}
      value={value}
      onChange={(e) => props.onChange(e.target.value)}
    >
      {!sizes.some((s) => s.id === value) && <option value="">Choose…</option>}
      {sizes.map((size) => (
        <option key={size.id} value={size.id}>
          {sizeOptionLabel(size)}
        </option>
      ))}
    </select>
  );
}
