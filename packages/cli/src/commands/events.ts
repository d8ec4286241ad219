import { gatewayClient } from '../clients';
import { start } from '../context';
import type { ActionContext } from '../main';
import { UsageError } from '../usage-error';

/**
 * The gateway's events, one per line (`-o json`: one JSON object per line, for `jq`). Without `--follow` it stops
 * after `--count` events or `--wait` ms without one; with it, at Ctrl-C.
 */
export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context);
  const { type, server, follow } = context.options as { type?: string[]; server?: string; follow?: boolean };
  const count = positive(context.options['count'], '--count');
  const waitMs = positive(context.options['wait'], '--wait');
  const client = await gatewayClient(settings);
  const stop = new AbortController();
  const interrupted = () => stop.abort();
  process.once('SIGINT', interrupted);
  let idle: NodeJS.Timeout | undefined;
  const rearm = () => {
    clearTimeout(idle);
    if (!follow) idle = setTimeout(() => stop.abort(), waitMs);
  };
  try {
    rearm();
    const events = client.streamEvents({
      signal: stop.signal,
      ...(type ? { eventTypes: type } : {}),
      ...(server ? { endpoint: `/api/v1/servers/${encodeURIComponent(server)}/stream` } : {}),
    });
    let seen = 0;
    for await (const event of events) {
      rearm();
      let data: unknown = event.data;
      try {
        data = event.json();
      } catch {
        // not JSON: shown as its text
      }
      const row = { id: event.eventId, type: event.eventType, data };
      if (output.format === 'json' || output.format === 'yaml') output.line(row);
      else output.list([row], ['id', 'type', 'data']);
      if (!follow && ++seen >= count) break;
    }
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  } finally {
    clearTimeout(idle);
    process.off('SIGINT', interrupted);
    await client.close();
  }
}

function positive(value: unknown, flag: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1) throw new UsageError(`${flag} must be a whole number ≥ 1`);
  return number;
}
