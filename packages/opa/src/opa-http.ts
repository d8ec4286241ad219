import type { RequestScope } from '@sark/core';

/** An answer from OPA, body read. */
export interface OpaHttpResponse {
  readonly status: number;
  readonly body: string;
}

/** The little HTTP OPA needs: undici under Node, fetch elsewhere (chosen by the package's export conditions). */
export interface OpaHttp {
  request(method: 'GET' | 'POST', path: string, headers: Readonly<Record<string, string>>, body: string | undefined, scope: RequestScope): Promise<OpaHttpResponse>;
  close(): Promise<void>;
}
