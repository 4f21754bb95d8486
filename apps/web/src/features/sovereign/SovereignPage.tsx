import { PageHeader } from '../../components/PageHeader';
import { wizardSteps } from './steps';

export function SovereignPage() {
  return (
    <section className="page">
      <PageHeader eyebrow="Sovereign" title="Provision a Sovereign">
        <p>
          The seven-step wizard arrives here: {wizardSteps.join(' → ')}. It will take an organisation from an
          empty account to a running sovereign cloud.
        </p>
      </PageHeader>
      <div className="card">
        <h2 className="card__title">Wizard steps</h2>
        <ol className="steps" aria-label="Wizard steps">
          {wizardSteps.map((step, index) => (
            <li key={step} className="steps__item">
              <span className="steps__number" aria-hidden="true">
                {index + 1}
              </span>
              <span>{step}</span>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
