import { GatewayProtocolError } from '@sark/core';
import { ERROR_BODY_READ_BYTES } from '@sark/core/internal';
import { Pool, type Dispatcher } from 'undici';
import { networkError, tooLarge, type HttpClient, type HttpRequest, type HttpResponse } from './http-client';
import type { RequestScope } from '@sark/core/internal';

/** Options of the undici client. */
export interface UndiciClientOptions {
  maxConnections: number;
}

/** The Node client: one undici `Pool` for the gateway's origin, `request` (not fetch) on every call. */
export function createUndiciClient(origin: string, options: UndiciClientOptions): HttpClient {
  const pool = new Pool(origin, { connections: options.maxConnections, pipelining: 1, keepAliveTimeout: 30_000 });
  return {
    async send(request, scope) {
      let response: Dispatcher.ResponseData;
      try {
        response = await pool.request({
          method: request.method,
          path: request.path,
          headers: request.headers,
          body: request.body ?? null,
          signal: scope,
        });
      } catch (error) {
        throw scope.aborted ? scope.reason : networkError(request, error);
      }
      const { statusCode, headers, body } = response;
      const header = (name: string): string | undefined => {
        const value = headers[name];
        return Array.isArray(value) ? value.join(', ') : value;
      };
      if (statusCode < 200 || statusCode >= 300) {
        // An error answer: only an excerpt is read, however much the peer sends.
        const { text, truncated } = await readExcerpt(body, scope);
        return { status: statusCode, header, body: text, bodyTruncated: truncated };
      }
      const declared = Number(header('content-length'));
      if (declared > request.maxResponseBytes) {
        body.destroy();
        throw tooLarge(request, declared);
      }
      let text: string;
      try {
        // With a declared length within the limit undici's own text() is the fastest read; otherwise count as we go.
        text =
          declared >= 0 && headers['content-length'] !== undefined
            ? await body.text()
            : await readLimited(body, request, scope);
      } catch (error) {
        if (scope.aborted) throw scope.reason;
        if (error instanceof GatewayProtocolError) throw error;
        throw networkError(request, error);
      }
      const result: HttpResponse = { status: statusCode, header, body: text };
      return result;
    },
    async close() {
      await pool.destroy();
    },
  };
}

/**
 * The body as UTF-8 text, destroying the stream as soon as it passes `maxResponseBytes`. Data events rather than
 * async iteration: this is the hot path, and the iterator costs several µs per response.
 */
function readLimited(
  body: Dispatcher.ResponseData['body'],
  request: HttpRequest,
  scope: RequestScope,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    body.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > request.maxResponseBytes) {
        body.destroy();
        reject(tooLarge(request, total));
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () =>
      resolve(
        chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks, total).toString('utf8'),
      ),
    );
    body.once('error', (error) => reject(scope.aborted ? scope.reason : error));
  });
}

/** The first {@link ERROR_BODY_READ_BYTES} of an error answer's body; the rest is discarded unread. */
function readExcerpt(
  body: Dispatcher.ResponseData['body'],
  scope: RequestScope,
): Promise<{ text: string; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (truncated: boolean): void => {
      const all = Buffer.concat(chunks, Math.min(total, ERROR_BODY_READ_BYTES));
      resolve({ text: all.subarray(0, ERROR_BODY_READ_BYTES).toString('utf8'), truncated });
    };
    body.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total > ERROR_BODY_READ_BYTES) {
        body.destroy();
        finish(true);
      }
    });
    body.once('end', () => finish(false));
    body.once('error', (error) => (scope.aborted ? reject(scope.reason) : finish(false)));
  });
}
