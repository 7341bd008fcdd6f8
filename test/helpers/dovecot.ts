import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

const DOVECOT = '/usr/sbin/dovecot';
const DOVEADM = '/usr/bin/doveadm';
/** Under root, Dovecot refuses to run logins or mail as root: Debian's own users, and `nobody` owning the mail. */
const ROOT_USERS = { login: 'dovenull', internal: 'dovecot', mailUid: 65534, mailGid: 65534 };

export interface Dovecot {
  /** IMAP_URL for the support mailbox (user `support@help.example.com`). */
  url: string;
  user: string;
  /** Deliver one raw message into the mailbox's INBOX, as the MTA would (`doveadm save`). */
  deliver(raw: string): void;
  /** Run a doveadm command against this server (`flags remove …`). */
  run(args: string[]): void;
  /** Where Dovecot logs (read it when a spec fails). */
  logFile: string;
  stop(): Promise<void>;
}

/** Why Debian's dovecot-imapd cannot be used here, or null (the spec then skips with the reason). */
export function dovecotMissing(): string | null {
  if (!existsSync(DOVECOT) || !existsSync(DOVEADM))
    return `Dovecot is not installed (${DOVECOT}): apt-get install dovecot-imapd, or run npm test, whose pretest installs it when allowed`;
  return null;
}

/**
 * Debian's Dovecot on a free loopback port, from a config in a temporary
 * folder: a passwd-file user, a Maildir in the same folder, plain-text
 * login without TLS (loopback only), logs to a file. Stopped, and its folder
 * removed, by stop().
 */
export async function startDovecot(user = 'support@help.example.com'): Promise<Dovecot> {
  const dir = mkdtempSync(path.join(tmpdir(), 'deflect-dovecot-'));
  const root = process.getuid?.() === 0;
  const me = userInfo();
  chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'mail', 'home']) mkdirSync(path.join(dir, sub));
  const uid = root ? ROOT_USERS.mailUid : me.uid;
  const gid = root ? ROOT_USERS.mailGid : me.gid;
  if (root) for (const sub of ['mail', 'home']) chownSync(path.join(dir, sub), uid, gid);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const logFile = path.join(dir, 'dovecot.log');
  const conf = path.join(dir, 'dovecot.conf');
  writeFileSync(path.join(dir, 'users'), `${user}:{PLAIN}${password}::::::\n`);
  writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${logFile}
info_log_path = ${logFile}
ssl = no
disable_plaintext_auth = no
listen = 127.0.0.1
protocols = imap
default_login_user = ${root ? ROOT_USERS.login : me.username}
default_internal_user = ${root ? ROOT_USERS.internal : me.username}
default_internal_group = ${root ? ROOT_USERS.internal : groupName(gid)}
mail_location = maildir:${dir}/mail/%u
mail_uid = ${uid}
mail_gid = ${gid}
first_valid_uid = ${root ? 1 : uid}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/users
  default_fields = uid=${uid} gid=${gid} home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
`,
  );
  // -F: in the foreground, so this process owns it and stop() ends exactly it.
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', conf], { stdio: 'ignore' });
  await waitForPort(port, child, logFile);
  return {
    url: `imap://${encodeURIComponent(user)}:${password}@127.0.0.1:${port}`,
    user,
    logFile,
    deliver(raw: string) {
      const r = spawnSync(DOVEADM, ['-c', conf, 'save', '-u', user], { input: raw.replace(/\r?\n/g, '\r\n') });
      if (r.status !== 0) throw new Error(`doveadm save failed: ${r.stderr.toString()}`);
    },
    run(args: string[]) {
      const r = spawnSync(DOVEADM, ['-c', conf, ...args]);
      if (r.status !== 0) throw new Error(`doveadm ${args[0]} failed: ${r.stderr.toString()}`);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function groupName(gid: number): string {
  const r = spawnSync('getent', ['group', String(gid)]);
  return r.stdout.toString().split(':')[0] || String(gid);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`dovecot exited (${child.exitCode}); see ${logFile}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`dovecot did not listen on ${port} within 15 s; see ${logFile}`);
}
