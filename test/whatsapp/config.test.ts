import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../core/config/index.ts';
import { APP_SECRET, PHONE_NUMBER_ID, TOKEN, VERIFY_TOKEN, whatsappEnv } from './payloads.ts';

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('WhatsApp configuration', () => {
  it('is off unless configured', () => {
    expect(loadConfig({}).whatsapp).to.equal(undefined);
  });

  it('is on with the four credentials, on the public Graph API by default', () => {
    const env = whatsappEnv('x');
    delete env.WHATSAPP_GRAPH_URL;
    expect(loadConfig(env).whatsapp).to.deep.equal({
      appSecret: APP_SECRET,
      verifyToken: VERIFY_TOKEN,
      token: TOKEN,
      phoneNumberId: PHONE_NUMBER_ID,
      graphUrl: 'https://graph.facebook.com/v21.0',
      maxBodyBytes: 262_144,
      maxAttempts: 8,
      backoffMs: 5000,
      timeoutMs: 10_000,
    });
  });

  it('reads how agents’ replies are retried', () => {
    const env = {
      ...whatsappEnv('http://127.0.0.1:9/v21.0'),
      WHATSAPP_MAX_ATTEMPTS: '3',
      WHATSAPP_BACKOFF_MS: '250',
      WHATSAPP_TIMEOUT_MS: '2000',
    };
    expect(loadConfig(env).whatsapp).to.deep.include({ maxAttempts: 3, backoffMs: 250, timeoutMs: 2000 });
  });

  it('reads the reply template, with or without a language code', () => {
    const base = whatsappEnv('http://127.0.0.1:9/v21.0/');
    expect(loadConfig({ ...base, WHATSAPP_REPLY_TEMPLATE: 'ticket_reply' }).whatsapp).to.deep.include({
      graphUrl: 'http://127.0.0.1:9/v21.0',
      replyTemplate: { name: 'ticket_reply' },
    });
    expect(
      loadConfig({ ...base, WHATSAPP_REPLY_TEMPLATE: 'ticket_reply:es_ES' }).whatsapp?.replyTemplate,
    ).to.deep.equal({ name: 'ticket_reply', lang: 'es_ES' });
  });

  it('refuses some credentials without the others, naming each missing one and echoing no secret', () => {
    const found = problems({ WHATSAPP_TOKEN: TOKEN, WHATSAPP_APP_SECRET: APP_SECRET });
    expect(found.some((p) => p.startsWith('WHATSAPP_VERIFY_TOKEN: is required'))).to.equal(true);
    expect(found.some((p) => p.startsWith('WHATSAPP_PHONE_NUMBER_ID: is required'))).to.equal(true);
    const short = problems({ ...whatsappEnv('http://127.0.0.1:9'), WHATSAPP_TOKEN: 'short' });
    expect(short.join('\n')).to.match(/WHATSAPP_TOKEN: .*at least 8/);
    expect(short.join('\n')).to.not.include('short"');
  });

  it('refuses a phone number id that is not digits, and a bad template name', () => {
    const found = problems({
      ...whatsappEnv('http://127.0.0.1:9'),
      WHATSAPP_PHONE_NUMBER_ID: '+34 600 111 222',
      WHATSAPP_REPLY_TEMPLATE: 'Ticket Reply',
    });
    expect(found.some((p) => p.startsWith('WHATSAPP_PHONE_NUMBER_ID: must be the phone number id'))).to.equal(true);
    expect(found.some((p) => p.startsWith('WHATSAPP_REPLY_TEMPLATE: must be a template name'))).to.equal(true);
  });
});
