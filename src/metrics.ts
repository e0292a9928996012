import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one app instance (its own registry: no module-level state). */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'intake_http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'intake_http_request_duration_seconds',
    help: 'Time to answer HTTP requests',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly mediaStored = new Counter({
    name: 'intake_media_stored_total',
    help: 'Media rows created, by how they arrived',
    labelNames: ['via'] as const,
    registers: [this.registry],
  });
  readonly importSkipped = new Counter({
    name: 'intake_import_skipped_total',
    help: 'URLs or items of an import that produced nothing, by skip code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly resolverResults = new Counter({
    name: 'intake_resolver_results_total',
    help: 'URLs a site resolver handled, by resolver and result (ok, or the skip code): a site that changed shows here first',
    labelNames: ['resolver', 'result'] as const,
    registers: [this.registry],
  });
  readonly bytesStored = new Counter({
    name: 'intake_media_bytes_total',
    help: 'Bytes of media rows created (deduplicated bytes count once per row)',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'intake_' });
  }
}
