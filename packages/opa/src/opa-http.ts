import type { RequestScope } from '@sark/core/internal';

/** The most of an OPA answer that is read; a decision is a few hundred bytes. */
export const MAX_OPA_RESPONSE_BYTES = 1024 * 1024;

/** An answer from OPA, body read (at most {@link MAX_OPA_RESPONSE_BYTES}). */
export interface OpaHttpResponse {
  readonly status: number;
  readonly body: string;
  /** The body went on past {@link MAX_OPA_RESPONSE_BYTES}; the rest was not read. */
  readonly truncated: boolean;
}

/** The little HTTP OPA needs: undici under Node, fetch elsewhere (chosen by the package's export conditions). */
export interface OpaHttp {
  request(method: 'GET' | 'POST', path: string, headers: Readonly<Record<string, string>>, body: string | undefined, scope: RequestScope): Promise<OpaHttpResponse>;
  close(): Promise<void>;
}
