import { GatewayConfigError } from '@sark/core';

/** The Web Crypto import parameters of the JWS algorithms `private_key_jwt` is used with. */
const ALGORITHMS: Record<string, EcKeyImportParams | RsaHashedImportParams | Algorithm> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  ES384: { name: 'ECDSA', namedCurve: 'P-384' },
  ES512: { name: 'ECDSA', namedCurve: 'P-521' },
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  PS256: { name: 'RSA-PSS', hash: 'SHA-256' },
  EdDSA: { name: 'Ed25519' },
  Ed25519: { name: 'Ed25519' },
};

function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const PEM = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----/;

/**
 * A PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`) as a non-extractable signing `CryptoKey`. Its shape and
 * the algorithm are checked at once (a `GatewayConfigError` thrown, not returned); the import itself is asynchronous.
 */
export function importPrivateKey(pem: string, algorithm: string): Promise<CryptoKey> {
  const params = ALGORITHMS[algorithm];
  if (params === undefined) {
    throw new GatewayConfigError({
      option: 'signingAlgorithm',
      message: `must be one of ${Object.keys(ALGORITHMS).join(', ')}`,
    });
  }
  const match = PEM.exec(pem);
  if (!match) {
    throw new GatewayConfigError({ option: 'privateKey', message: 'must be a PKCS#8 PEM key (BEGIN PRIVATE KEY)' });
  }
  return importDer(match, params, algorithm);
}

async function importDer(
  match: RegExpExecArray,
  params: EcKeyImportParams | RsaHashedImportParams | Algorithm,
  algorithm: string,
): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey(
      'pkcs8',
      base64Bytes((match[1] as string).replace(/\s+/g, '')),
      params,
      false,
      ['sign'],
    );
  } catch {
    throw new GatewayConfigError({ option: 'privateKey', message: `is not a ${algorithm} PKCS#8 private key` });
  }
}
