import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { OutboxRelay } from '../events/outbox.relay.js';

/** Prometheus metrics of this process, on a registry of its own (never the global default). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'catalyst_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'catalyst_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(relay: OutboxRelay) {
    collectDefaultMetrics({ register: this.registry, prefix: 'catalyst_' });
    new Gauge({
      name: 'catalyst_event_relay_lag_seconds',
      help: 'Age of the oldest event not yet relayed, by target (local listeners, nats)',
      labelNames: ['target'],
      registers: [this.registry],
      async collect() {
        this.set({ target: 'local' }, await relay.lagSeconds('local'));
        if (relay.natsEnabled) this.set({ target: 'nats' }, await relay.lagSeconds('nats'));
      },
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.latency.observe(labels, seconds);
  }
}
