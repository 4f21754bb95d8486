import { Injectable } from '@nestjs/common';
import { BillingRepository, type OrderRow } from './billing.repository.js';

export type { OrderRow };

/** Orders as other features read them (the BSS): the latest first. */
@Injectable()
export class OrdersService {
  constructor(private readonly repo: BillingRepository) {}

  recent(limit = 200): Promise<OrderRow[]> {
    return this.repo.listOrders(limit);
  }
}
