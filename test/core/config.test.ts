import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../core/config/index.ts';

describe('loadConfig', () => {
  it('runs on built-in defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c).to.include({
      port: 3000,
      kbDir: 'kb-content',
      dataDir: 'data',
      defaultLang: 'en',
      answerThreshold: 'auto',
      deflectionWindowDays: 7,
    });
    expect(c.corsOrigins).to.equal('*');
    expect(Object.isFrozen(c)).to.equal(true);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', KB_DIR: ' ' }).port).to.equal(3000);
  });

  it('lists every problem at once', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'abc', DEFAULT_LANG: 'fr', ANSWER_THRESHOLD: '2' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).to.be.instanceOf(ConfigError);
    expect(error!.problems.map((p) => p.split(':')[0])).to.have.members(['PORT', 'DEFAULT_LANG', 'ANSWER_THRESHOLD']);
  });

  it('parses API keys by role and never echoes a key in an error', () => {
    expect(
      loadConfig({ DEFLECT_API_KEYS: 'lead=lead-key-123456, agent=agent-key-123456' }).access.apiKeys,
    ).to.deep.equal([
      { role: 'lead', key: 'lead-key-123456' },
      { role: 'agent', key: 'agent-key-123456' },
    ]);
    try {
      loadConfig({ DEFLECT_API_KEYS: 'lead=lead-key-123456,boss=short' });
      expect.fail('should throw');
    } catch (e) {
      expect((e as Error).message).to.match(/unknown role 'boss'/);
      expect((e as Error).message).to.not.include('lead-key-123456');
    }
  });

  it('reads DATABASE_URL and REDIS_URL, unset by default, and never echoes them (they may hold a password)', () => {
    expect(loadConfig({}).storage).to.deep.equal({
      databaseUrl: undefined,
      redisUrl: undefined,
      redisKeyPrefix: 'deflect:',
    });
    expect(
      loadConfig({
        DATABASE_URL: 'postgres://deflect:pw@db/deflect',
        REDIS_URL: 'redis://cache:6379',
        REDIS_KEY_PREFIX: 'desk1:',
      }).storage,
    ).to.deep.equal({
      databaseUrl: 'postgres://deflect:pw@db/deflect',
      redisUrl: 'redis://cache:6379',
      redisKeyPrefix: 'desk1:',
    });
    try {
      loadConfig({ DATABASE_URL: 'mysql://deflect:hunter22@db/deflect', REDIS_URL: 'http://:hunter33@cache' });
      expect.fail('should throw');
    } catch (e) {
      expect((e as Error).message)
        .to.match(/DATABASE_URL: must be a postgres/)
        .and.match(/REDIS_URL: must be a redis/);
      expect((e as Error).message).to.not.include('hunter');
    }
  });

  it('splits the CORS allow-list', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).to.deep.equal([
      'https://a.example',
      'https://b.example',
    ]);
  });
});
