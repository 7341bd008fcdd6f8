import { expect } from 'chai';
import type { Activity, HeroCard } from 'botbuilder';
import { requireTokenShape } from '../../bot/auth.ts';
import { conversationIdOf } from '../../bot/channel.ts';
import { loadConfig, ConfigError } from '../../core/config/index.ts';
import { postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { activity } from './fakeChannel.ts';
import { attackerKey, channelClaims, signJwt, startFakeTokenIssuer } from './fakeTokenIssuer.ts';
import { captureLogs } from './logs.ts';

const APP_ID = '00000000-0000-4000-8000-0000000000a1';
const TENANT_ID = '00000000-0000-4000-8000-0000000000b2';
const APP_PASSWORD = 'test-secret-never-logged';
// Replies come back in the response (expectReplies): nothing is sent here, and it is this machine anyway.
const SERVICE_URL = 'http://127.0.0.1:9/';

describe('Bot authentication (MICROSOFT_APP_ID set)', function () {
  this.timeout(60_000);
  let issuer: Awaited<ReturnType<typeof startFakeTokenIssuer>>;
  let s: TestServer;
  before(async () => {
    issuer = await startFakeTokenIssuer();
    // The default app type, SingleTenant (Azure's only choice for new bots with a secret).
    s = await startTestServer({
      env: {
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: APP_PASSWORD,
        MICROSOFT_APP_TENANT_ID: TENANT_ID,
        BOT_OPENID_METADATA_URL: issuer.metadataUrl,
      },
    });
  });
  after(async () => {
    await s?.close();
    await issuer?.close();
  });

  let n = 0;
  /** Ask a question as Teams would, with this Authorization header; returns the response and whether the bot ran. */
  async function ask(authorization: string | undefined) {
    const conversation = { id: `auth-${++n}` };
    const body = activity({
      channelId: 'msteams',
      serviceUrl: SERVICE_URL,
      deliveryMode: 'expectReplies',
      conversation,
      text: 'How do I reset my password?',
    });
    const res = await postJson(`${s.url}/api/messages`, body, authorization ? { Authorization: authorization } : {});
    const botRan =
      (await s.core.conversations.get(conversationIdOf({ channelId: 'msteams', conversation }))) !== undefined;
    return { ...res, botRan };
  }

  it('rejects a request without an Authorization header with 401, and the bot does not run', async () => {
    const res = await ask(undefined);
    expect(res.status).to.equal(401);
    expect(res.body.error.code).to.equal('unauthorized');
    expect(res.botRan).to.equal(false);
  });

  const now = Math.floor(Date.now() / 1000);
  const forged: { description: string; token: () => string }[] = [
    {
      description: 'signed with a key that is not the Bot Framework key',
      token: () =>
        signJwt(
          { alg: 'RS256', typ: 'JWT', kid: 'deflect-test-signing-key' },
          channelClaims(APP_ID, SERVICE_URL),
          attackerKey(),
        ),
    },
    {
      description: 'unsigned (alg "none")',
      token: () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(channelClaims(APP_ID, SERVICE_URL))}.`,
    },
    {
      description: 'with its signature swapped from another token',
      token: () =>
        swapSignature(
          issuer.sign(channelClaims(APP_ID, SERVICE_URL, { aud: 'another-bot' })),
          issuer.sign(channelClaims(APP_ID, SERVICE_URL)),
        ),
    },
    { description: 'issued for another bot', token: () => issuer.sign(channelClaims('another-bot', SERVICE_URL)) },
    {
      description: 'from an issuer that is not the Bot Framework',
      token: () => issuer.sign(channelClaims(APP_ID, SERVICE_URL, { iss: 'https://attacker.example' })),
    },
    {
      description: 'for another serviceUrl',
      token: () => issuer.sign(channelClaims(APP_ID, 'https://attacker.example/')),
    },
    {
      description: 'expired',
      token: () =>
        issuer.sign(channelClaims(APP_ID, SERVICE_URL, { iat: now - 7200, nbf: now - 7200, exp: now - 3600 })),
    },
    { description: 'that is not a JWT at all', token: () => 'not-a-token' },
  ];
  for (const { description, token } of forged) {
    it(`rejects a forged token ${description} with 401`, async () => {
      const res = await ask(`Bearer ${token()}`);
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal('unauthorized');
      expect(res.botRan).to.equal(false);
    });
  }

  it('accepts a token signed with the Bot Framework key and answers (so the 401s above are about the tokens)', async () => {
    const res = await ask(`Bearer ${issuer.sign(channelClaims(APP_ID, SERVICE_URL))}`);
    expect(res.status).to.equal(200);
    const replies: Partial<Activity>[] = res.body.activities;
    expect((replies[0]?.attachments?.[0]?.content as HeroCard).title).to.equal('Reset your password');
    expect(res.botRan).to.equal(true);
  });

  it('never writes the app password to the logs', async () => {
    const { logs } = await captureLogs(async () => {
      await ask(`Bearer ${issuer.sign(channelClaims('another-bot', SERVICE_URL))}`);
      await ask(undefined);
    });
    expect(
      logs.some((l) => l.category === 'bot' && l.level === 'warn'),
      'a rejected token is logged',
    ).to.equal(true);
    expect(JSON.stringify(logs)).to.not.include(APP_PASSWORD);
  });
});

describe('Bot token pre-check (before botbuilder fetches signing keys)', () => {
  const key = attackerKey();
  const claims = channelClaims(APP_ID, SERVICE_URL);
  const cases: { description: string; header: string | undefined; accepted: boolean }[] = [
    {
      description: 'a well-formed RS256 token with a key id',
      header: `Bearer ${signJwt({ alg: 'RS256', kid: 'k' }, claims, key)}`,
      accepted: true,
    },
    { description: 'no header', header: undefined, accepted: false },
    {
      description: 'another scheme',
      header: `Basic ${signJwt({ alg: 'RS256', kid: 'k' }, claims, key)}`,
      accepted: false,
    },
    { description: 'alg none', header: `Bearer ${b64({ alg: 'none', kid: 'k' })}.${b64(claims)}.`, accepted: false },
    {
      description: 'HS256 (a shared-secret algorithm Bot Framework never uses)',
      header: `Bearer ${b64({ alg: 'HS256', kid: 'k' })}.${b64(claims)}.c2ln`,
      accepted: false,
    },
    { description: 'no key id', header: `Bearer ${signJwt({ alg: 'RS256' }, claims, key)}`, accepted: false },
    {
      description: 'no issuer',
      header: `Bearer ${signJwt({ alg: 'RS256', kid: 'k' }, { ...claims, iss: undefined }, key)}`,
      accepted: false,
    },
    {
      description: 'expired an hour ago',
      header: `Bearer ${signJwt({ alg: 'RS256', kid: 'k' }, { ...claims, exp: Math.floor(Date.now() / 1000) - 3600 }, key)}`,
      accepted: false,
    },
    { description: 'segments that are not JSON', header: 'Bearer aaaa.bbbb.cccc', accepted: false },
  ];
  for (const { description, header, accepted } of cases) {
    it(`${accepted ? 'passes' : 'refuses'} ${description}`, () => {
      const check = () => requireTokenShape(header);
      if (accepted) expect(check).to.not.throw();
      else expect(check).to.throw('A valid Bot Framework token is required');
    });
  }
});

describe('Bot settings', () => {
  const SECRET = 'pw-7Zq81xKd';
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };
  const cases: { env: Record<string, string>; problem?: RegExp }[] = [
    { env: {} },
    { env: { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: SECRET, MICROSOFT_APP_TENANT_ID: 'tenant' } },
    { env: { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'MultiTenant', MICROSOFT_APP_PASSWORD: SECRET } },
    {
      env: { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: SECRET },
      problem:
        /^MICROSOFT_APP_TENANT_ID: is required for SingleTenant \(the default type; a bot registered as multi-tenant before August 2025 sets MICROSOFT_APP_TYPE=MultiTenant\)/,
    },
    {
      env: {
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_TYPE: 'SingleTenant',
        MICROSOFT_APP_PASSWORD: SECRET,
        MICROSOFT_APP_TENANT_ID: 'tenant',
      },
    },
    { env: { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_TENANT_ID: 'tenant' } },
    { env: { MICROSOFT_APP_PASSWORD: SECRET }, problem: /^MICROSOFT_APP_ID: is required when MICROSOFT_APP_PASSWORD/ },
    { env: { MICROSOFT_APP_ID: APP_ID }, problem: /^MICROSOFT_APP_PASSWORD: is required for SingleTenant/ },
    {
      env: { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'MultiTenant' },
      problem: /^MICROSOFT_APP_PASSWORD: is required for MultiTenant/,
    },
    {
      env: { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_PASSWORD: SECRET },
      problem: /^MICROSOFT_APP_TENANT_ID: is required for SingleTenant/,
    },
    {
      env: {
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_TYPE: 'UserAssignedMSI',
        MICROSOFT_APP_TENANT_ID: 't',
        MICROSOFT_APP_PASSWORD: SECRET,
      },
      problem: /^MICROSOFT_APP_PASSWORD: must not be set for UserAssignedMSI/,
    },
    {
      env: {
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: SECRET,
        MICROSOFT_APP_TENANT_ID: 'tenant',
        BOT_INTERNAL_TENANTS: '72F988BF-86F1-41AF-91AB-2D7CD011DB47, 0b1c2d3e-0000-4000-8000-000000000001',
      },
    },
    {
      env: { BOT_INTERNAL_TENANTS: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
      problem: /^BOT_INTERNAL_TENANTS: needs MICROSOFT_APP_ID/,
    },
    {
      env: {
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: SECRET,
        MICROSOFT_APP_TENANT_ID: 'tenant',
        BOT_INTERNAL_TENANTS: 'northwind.example',
      },
      problem: /^BOT_INTERNAL_TENANTS.*must be tenant ids/,
    },
  ];
  for (const { env, problem } of cases) {
    it(`${JSON.stringify(env)} → ${problem ? problem.source : 'valid'}`, () => {
      const found = problems(env);
      if (problem)
        expect(
          found.some((p) => problem.test(p)),
          found.join('; '),
        ).to.equal(true);
      else expect(found).to.deep.equal([]);
      expect(found.join(' '), 'secrets are not echoed').to.not.include(SECRET);
    });
  }

  it('keeps internal tenants as lower-case ids', () => {
    const c = loadConfig({
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: SECRET,
      MICROSOFT_APP_TENANT_ID: 'tenant',
      BOT_INTERNAL_TENANTS: '72F988BF-86F1-41AF-91AB-2D7CD011DB47, 0b1c2d3e-0000-4000-8000-000000000001,',
    });
    expect(c.bot.internalTenants).to.deep.equal([
      '72f988bf-86f1-41af-91ab-2d7cd011db47',
      '0b1c2d3e-0000-4000-8000-000000000001',
    ]);
  });
});

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function swapSignature(token: string, signed: string): string {
  return `${token.split('.').slice(0, 2).join('.')}.${signed.split('.')[2]}`;
}
