/** A DPoP key (RFC 9449): a P-256 key pair made for this client, whose private half never leaves Web Crypto. */
export interface DPoPKey {
  readonly keyPair: CryptoKeyPair;
  /** The public key as a JWK, for the proof header. */
  readonly jwk: JsonWebKey;
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const encoder = new TextEncoder();
const jsonPart = (value: unknown): string => base64url(encoder.encode(JSON.stringify(value)));

/** A new ES256 key for DPoP proofs. */
export async function createDPoPKey(): Promise<DPoPKey> {
  const keyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const { kty = 'EC', crv = 'P-256', x = '', y = '' } = await crypto.subtle.exportKey('jwk', keyPair.publicKey);
  return { keyPair, jwk: { kty, crv, x, y } };
}

/**
 * A DPoP proof for one request to a resource server (RFC 9449 §4.2, §7.1): fresh `jti`, `htm`, `htu` (without query
 * and fragment), `iat`, `ath` (the access token's hash) and the server's `nonce` when it gave one.
 */
export async function dpopProof(
  key: DPoPKey,
  request: { method: string; url: URL; accessToken: string; nonce: string | undefined },
): Promise<string> {
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk };
  const ath = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(request.accessToken))));
  const payload: Record<string, unknown> = {
    jti: base64url(crypto.getRandomValues(new Uint8Array(16))),
    htm: request.method,
    htu: `${request.url.origin}${request.url.pathname}`,
    iat: Math.floor(Date.now() / 1000),
    ath,
  };
  if (request.nonce !== undefined) payload['nonce'] = request.nonce;
  const input = `${jsonPart(header)}.${jsonPart(payload)}`;
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    key.keyPair.privateKey,
    encoder.encode(input),
  );
  return `${input}.${base64url(new Uint8Array(signature))}`;
}
