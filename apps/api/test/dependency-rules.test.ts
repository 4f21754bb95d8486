import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { boundaryViolations } from './helpers/module-boundaries.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

describe('module boundaries', () => {
  it('no feature imports another feature’s repository or tables, and config imports no feature', () => {
    expect(boundaryViolations(SRC)).toEqual([]);
  });
});

describe('the module-boundary checker', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'catalyst-boundaries-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reports every import that crosses into another feature’s storage, and config importing a feature', () => {
    write(
      'billing/checkout.service.ts',
      "import {\n  type OrgRow,\n  TenantsRepository,\n} from '../tenants/tenants.repository.js';\n",
    );
    write('billing/orders.report.ts', "import { organizations } from '../tenants/tenants.schema.js';\n");
    write('billing/lazy.ts', "export const load = () => import('../wallets/wallets.repository.js');\n");
    write('bss/bss.service.ts', "export { AuditRepository } from '../audit/audit.repository.js';\n");
    write('config/config.ts', "import { registrars } from '../domains/registrars/registry.js';\n");
    write(
      'database/sweeper.ts',
      "import { MailOutboxRepository } from '../mail/mail-outbox.repository.js';\n",
    );
    write('app.module.ts', "import { AuditModule } from './audit/audit.repository.js';\n");

    expect(boundaryViolations(root)).toEqual([
      "app.module.ts → audit/audit.repository.js: another feature's repository",
      "billing/checkout.service.ts → tenants/tenants.repository.js: another feature's repository",
      "billing/lazy.ts → wallets/wallets.repository.js: another feature's repository",
      "billing/orders.report.ts → tenants/tenants.schema.js: another feature's tables",
      "bss/bss.service.ts → audit/audit.repository.js: another feature's repository",
      'config/config.ts → domains/registrars/registry.js: config/ must not import a feature',
      "database/sweeper.ts → mail/mail-outbox.repository.js: another feature's repository",
    ]);
  });

  it('accepts services across features, foreign keys between schema files and the table gathering', () => {
    write(
      'billing/checkout.service.ts',
      [
        "import { AppError } from '../common/app-error.js';",
        "import type { Tx } from '../database/database.js';",
        "import { OrgsService } from '../tenants/orgs.service.js';",
        "import { BillingRepository } from './billing.repository.js';",
        "import { orders } from './billing.schema.js';",
      ].join('\n'),
    );
    write('billing/billing.schema.ts', "import { organizations } from '../tenants/tenants.schema.js';\n");
    write('database/schema.ts', "export * from '../billing/billing.schema.js';\n");
    write('config/config.ts', "import { parseList } from '../common/lists.js';\n");
    write('app.module.ts', "import { BillingModule } from './billing/billing.module.js';\n");
    write(
      'billing/billing.e2e.test.ts',
      "import { TenantsRepository } from '../tenants/tenants.repository.js';\n",
    );

    expect(boundaryViolations(root)).toEqual([]);
  });
});
