import { type CanActivate, Injectable } from '@nestjs/common';
import { DeploymentsService } from './deployments.service.js';

/**
 * Refuses a provision request on a Sovereign before any other work: it runs after the session and
 * role checks and before the body is parsed, so a Sovereign answers 403 `not_on_a_sovereign` to any body.
 */
@Injectable()
export class ProvisioningOfferedGuard implements CanActivate {
  constructor(private readonly deployments: DeploymentsService) {}

  canActivate(): boolean {
    this.deployments.assertProvisioningOffered();
    return true;
  }
}
