// The browser app (bundled for Chromium, served from another origin than the gateway's): its outcome goes to
// window.sarkResult for the driver to read.
import * as sark from '@sark/gateway';
import { exercise } from './exercise.mjs';

const params = new URLSearchParams(location.search);
exercise(sark, params.get('gateway'), params.get('key')).then(
  (summary) => (window.sarkResult = { ok: true, summary }),
  (error) => (window.sarkResult = { ok: false, summary: String(error?.stack ?? error) }),
);
