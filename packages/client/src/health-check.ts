import type { PolicyEvaluator } from '@sark/opa';
import type { CircuitBreaker } from '@sark/resilience';
import type { ClientTransports } from './client-transports';
import type { GatewayApi } from './gateway-api';
import { breakerSnapshot } from './metrics-projection';
import type { HealthReport } from './reports';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What one health check looks at. */
export interface HealthSources {
  readonly transports: ClientTransports;
  readonly checkGateway: boolean;
  readonly policy: PolicyEvaluator | undefined;
  /** The client's breaker; null with error handling off. */
  readonly breaker: CircuitBreaker | null;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

/**
 * Really checks what is configured — `GET /health` on the gateway (bounded by `timeoutMs`, bypassing breaker and
 * cache), the SSE streams' state, each local server's process and an MCP ping, OPA's `/health` — and never rejects
 * for a down dependency. `status` is unhealthy when the gateway is down, degraded when another part is (or the
 * breaker is open), else healthy.
 */
export async function checkHealth(sources: HealthSources): Promise<HealthReport> {
  const { transports, policy, timeoutMs, signal } = sources;
  const report: Mutable<HealthReport> = { status: 'healthy' };
  const checks: Promise<void>[] = [];
  if (sources.checkGateway) {
    checks.push(
      (async () => {
        const started = performance.now();
        let http: GatewayApi;
        try {
          http = await transports.api();
        } catch (error) {
          // 'auto', and the gateway could not be asked which API it speaks.
          const message = error instanceof Error ? error.message : String(error);
          const latencyMs = Math.round((performance.now() - started) * 100) / 100;
          report.http = { status: 'unhealthy', latencyMs, cacheHitRate: 0, error: message };
          return;
        }
        const probe = await http.health({ signal, timeoutMs });
        report.http = {
          status: probe.healthy ? 'healthy' : 'unhealthy',
          latencyMs: Math.round(probe.latencyMs * 100) / 100,
          cacheHitRate: http.getMetrics().cacheHitRate,
        };
        if (probe.error !== undefined) report.http = { ...report.http, error: probe.error };
      })(),
    );
  }
  const { sse, stdio, remote } = transports.active;
  if (remote && remote.size > 0) {
    checks.push(
      remote.health(timeoutMs).then((servers) => {
        report.remote = servers;
      }),
    );
  }
  if (sse) report.sse = sse.health();
  if (stdio && stdio.size > 0) {
    checks.push(
      stdio.health({ ping: true, timeoutMs }).then((servers) => {
        report.stdio = Object.fromEntries(
          Object.entries(servers).map(([id, h]) => [id, { status: h.status, pid: h.pid, responsive: h.responsive }]),
        );
      }),
    );
  }
  if (policy?.health) {
    checks.push(
      policy.health({ signal }).then((probe) => {
        report.opa = { status: probe.healthy ? 'healthy' : 'unhealthy', latencyMs: probe.latencyMs };
        if (probe.error !== undefined) report.opa = { ...report.opa, error: probe.error };
      }),
    );
  }
  await Promise.all(checks);
  const breaker = sources.breaker?.getMetrics();
  if (breaker) report.errorHandler = { circuitBreaker: breakerSnapshot(breaker) };
  report.status = overallStatus(report, breaker?.state === 'open');
  return report;
}

function overallStatus(report: HealthReport, breakerOpen: boolean): HealthReport['status'] {
  if (report.http?.status === 'unhealthy') return 'unhealthy';
  const remoteDown = Object.values(report.remote ?? {}).some((server) => !server.responsive);
  const stdioDown = Object.values(report.stdio ?? {}).some(
    (server) => server.status !== 'running' || server.responsive === false,
  );
  const degraded =
    report.sse?.status === 'degraded' || report.opa?.status === 'unhealthy' || stdioDown || remoteDown || breakerOpen;
  return degraded ? 'degraded' : 'healthy';
}
