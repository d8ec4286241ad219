/** A short, non-reversible fingerprint of the credentials in effect (cyrb53), so cache keys never hold a secret. */
export function credentialFingerprint(apiKey: string | undefined, userToken: string | undefined): string {
  if (apiKey === undefined && userToken === undefined) return 'anonymous';
  const text = `${apiKey ?? ''}\u0000${userToken ?? ''}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
