import { backoffDelay, checkBackoffOptions, type BackoffOptions } from './backoff';
import { GatewayConfigError } from './errors';
import { checkPositive, type Resolved } from './option-checks';

/** The waits between a stream's connections: the backoff vocabulary, plus a floor for what the server may ask. */
export interface ReconnectOptions extends BackoffOptions {
  /** No wait is shorter, whatever the server says. Default 100. */
  minDelayMs?: number | undefined;
}

/** {@link ReconnectOptions} checked, every default applied. */
export type ReconnectSettings = Resolved<ReconnectOptions>;

/** Checks `options` (`GatewayConfigError` naming `<prefix>.<option>`) and applies the defaults. */
export function checkReconnectOptions(options: ReconnectOptions, prefix: string): ReconnectSettings {
  const backoff = checkBackoffOptions(options, prefix);
  const minDelayMs = checkPositive(options.minDelayMs ?? 100, `${prefix}.minDelayMs`);
  if (minDelayMs > backoff.maxDelayMs)
    throw new GatewayConfigError({
      option: `${prefix}.minDelayMs`,
      message: `must not exceed ${prefix}.maxDelayMs`,
    });
  return { ...backoff, minDelayMs };
}

/** Where a stream stands when its connection ended, for {@link reconnectDelay}. */
export interface ReconnectState {
  /** Connections in a row that ended without delivering anything, from 1 (1 after one that delivered). */
  readonly attempt: number;
  /** The connection that just ended delivered events. */
  readonly delivered: boolean;
  /** The server's last `retry:`, null when it sent none. */
  readonly serverRetryMs: number | null;
  /** A wait the server asked for outright (a 429's `Retry-After`); it wins over the rest. */
  readonly requestedMs?: number | undefined;
}

/**
 * How long a stream waits before it reconnects, always within `[minDelayMs, maxDelayMs]` whatever the server
 * says. After a connection that delivered events, the server's `retry:`; after one that failed or ended with nothing
 * to show, exponential backoff with jitter (or the server's `retry:` when that is longer) — so a server answering
 * `retry: 0` and closing at once cannot make the client hammer it, and a huge `retry:` cannot park it for days.
 */
export function reconnectDelay(
  state: ReconnectState,
  settings: ReconnectSettings,
  random: () => number = Math.random,
): number {
  const server = state.serverRetryMs;
  const wanted =
    state.requestedMs ??
    (state.delivered && server !== null
      ? server
      : Math.max(backoffDelay(state.attempt - 1, settings, random), server ?? 0));
  return Math.min(Math.max(wanted, settings.minDelayMs), settings.maxDelayMs);
}
