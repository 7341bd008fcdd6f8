import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { tempDir } from '../helpers/tempDir.ts';

/** What a person gets from `npm start` on a fresh clone: no index, no data, no key. */
describe('npm start on a fresh data directory', function () {
  this.timeout(60_000);
  let child: ChildProcess;
  let tmp: ReturnType<typeof tempDir>;
  afterEach(() => {
    child?.kill('SIGTERM');
    tmp?.cleanup();
  });

  it('builds the index, serves /healthz and answers /api/ask within seconds', async () => {
    tmp = tempDir();
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: tmp.dir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = out.match(/ready on (http:\/\/\S+)/);
        if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const health = await (await fetch(`${url}/healthz`)).json();
    expect(health.status).to.equal('ok');
    const ask = await fetch(`${url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'how do I set up the VPN?' }),
    });
    expect((await ask.json()).answer.articleId).to.equal('vpn-setup-en');
  });

  it('exits non-zero and lists every problem when the configuration is bad', async () => {
    tmp = tempDir();
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: 'abc', DEFAULT_LANG: 'fr', DATA_DIR: tmp.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).to.equal(2);
    expect(err)
      .to.match(/PORT/)
      .and.to.match(/DEFAULT_LANG/);
  });
});
