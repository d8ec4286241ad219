// The browser sign-in (bundled for Chromium, served from another origin than the gateway's): the page goes to the dev
// gateway's authorization server and comes back here with the code; the pending sign-in and the tokens live in
// sessionStorage. Its outcome goes to window.sarkResult for the driver to read.
import { OAuthClient, browserRedirect } from '@sark/oauth';
import { RemoteServer } from '@sark/transport-mcp-http';

const store = {
  get: (key) => JSON.parse(sessionStorage.getItem(key) ?? 'null') ?? undefined,
  set: (key, value) => sessionStorage.setItem(key, JSON.stringify(value)),
  delete: (key) => sessionStorage.removeItem(key),
};
const here = new URL(location.href);
if (here.searchParams.has('gateway')) sessionStorage.setItem('gateway', here.searchParams.get('gateway'));
const gateway = sessionStorage.getItem('gateway');
const auth = new OAuthClient({
  ...browserRedirect({ redirectUri: `${location.origin}/oauth.html` }),
  store,
  clientName: 'browser consumer',
});

async function signedInCall() {
  const returned = here.searchParams.has('code') || here.searchParams.has('error');
  if (returned) await auth.finishAuthorization(here);
  const server = await RemoteServer.connect({ url: `${gateway}/mcp/crashy`, auth });
  try {
    const tools = await server.listTools();
    const result = await server.callTool('ok', {});
    const call = result.isError ? 'error' : 'ok';
    return `back from the authorization server: ${returned}, tools ${tools.length}, call ${call}`;
  } finally {
    await server.close();
  }
}

signedInCall().then(
  (summary) => (window.sarkResult = { ok: true, summary }),
  (error) => (window.sarkResult = { ok: false, summary: String(error?.stack ?? error) }),
);
