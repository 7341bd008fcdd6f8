import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

export const CHANNEL_ISSUER = 'https://api.botframework.com';
const KEY_ID = 'deflect-test-signing-key';

/**
 * Plays the Bot Framework's token service on 127.0.0.1: an OpenID metadata
 * document and its signing keys (set BOT_OPENID_METADATA_URL to `metadataUrl`),
 * and a signer for tokens, so authentication is tested without the internet.
 */
export async function startFakeTokenIssuer() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration')
      res.end(JSON.stringify({ issuer: CHANNEL_ISSUER, jwks_uri: `${base}/v1/keys` }));
    else
      res.end(
        JSON.stringify({
          keys: [
            {
              kty: 'RSA',
              use: 'sig',
              kid: KEY_ID,
              n: jwk.n,
              e: jwk.e,
              endorsements: ['msteams', 'emulator', 'webchat'],
            },
          ],
        }),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    metadataUrl: `http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`,
    /** How many times botbuilder asked for metadata or keys. */
    requests: () => requests,
    /** A token signed with the issuer's key (or `key`, to forge one). */
    sign(claims: Record<string, unknown>, options: { key?: KeyObject; header?: Record<string, unknown> } = {}): string {
      return signJwt({ alg: 'RS256', typ: 'JWT', kid: KEY_ID, ...options.header }, claims, options.key ?? privateKey);
    },
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The claims of a token the Bot Framework channel service sends to a bot. */
export function channelClaims(
  appId: string,
  serviceUrl: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: CHANNEL_ISSUER,
    aud: appId,
    serviceurl: serviceUrl,
    nbf: now - 60,
    iat: now - 60,
    exp: now + 3600,
    ...overrides,
  };
}

export function signJwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const data = `${b64(header)}.${b64(claims)}`;
  return `${data}.${createSign('RSA-SHA256').update(data).sign(key).toString('base64url')}`;
}

/** A key nobody trusts. */
export function attackerKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}
