// A CommonJS TypeScript file under node16: the require entry's declarations.
import sark = require('@sark/gateway');

const client: InstanceType<typeof sark.GatewayClient> = new sark.GatewayClient({ gatewayUrl: 'http://127.0.0.1:8080' });
export const servers = client.listServers();
