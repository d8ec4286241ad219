import type { ServerInfo } from '@sark/core';
import { withGatewayClient } from '../clients';
import { start } from '../context';
import type { ActionContext } from '../main';

/** A server as a row: the columns a table shows first, then the rest for json and yaml. */
export function serverRow(server: ServerInfo): Record<string, unknown> {
  return {
    name: server.serverName,
    id: server.serverId,
    health: server.healthStatus,
    tools: server.toolsCount,
    sensitivity: server.sensitivityLevel,
    url: server.serverUrl,
    teams: server.authorizedTeams,
  };
}

export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context);
  await withGatewayClient(settings, async (client) => {
    const progress = output.progress('listing servers…');
    try {
      const search = context.options['search'];
      const servers = (await client.listAllServers()).filter(
        (server) =>
          typeof search !== 'string' || server.serverName.includes(search) || server.serverId.includes(search),
      );
      progress.stop();
      output.list(servers.map(serverRow), ['name', 'id', 'health', 'tools', 'sensitivity']);
    } finally {
      progress.stop();
    }
  });
}
