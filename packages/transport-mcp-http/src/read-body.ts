import { GatewayProtocolError } from '@sark/core';
import { readBodyPrefix, utf8Text } from '@sark/core/internal';

/** A whole body as text, refusing (and cancelling) one longer than `maxBytes`. */
export async function readBodyText(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  const { bytes, truncated } = await readBodyPrefix(body, maxBytes);
  if (truncated) {
    throw new GatewayProtocolError({
      message: `An MCP answer of more than ${maxBytes} bytes (maxMessageBytes); download stopped`,
    });
  }
  return utf8Text(bytes);
}
