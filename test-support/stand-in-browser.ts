import { fileURLToPath } from 'node:url';

/**
 * A directory to put first on PATH: its `xdg-open` plays the person at the browser for command-line sign-ins in
 * tests — it follows the sign-in URL (cookies kept, redirects followed) to the loopback driver's page. The
 * authorization server (the dev gateway's oidc-provider) approves every sign-in at once; nothing else is simulated.
 */
export const standInBrowserDir: string = fileURLToPath(new URL('./stand-in-browser', import.meta.url));
