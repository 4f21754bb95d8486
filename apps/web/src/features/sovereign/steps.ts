/** The steps of the provisioning wizard, in order. */
export const wizardSteps = [
  'Organisation',
  'Topology',
  'Provider',
  'Credentials',
  'Components',
  'Domain',
  'Review',
] as const;

export type WizardStep = (typeof wizardSteps)[number];
