import type { AddressInfo } from 'node:net';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** The envelope's recipients. */
  rcptTo: string[];
  raw: string;
  parsed: Awaited<ReturnType<typeof PostalMime.parse>>;
  /** A header's raw value by lower-case name (the first one). */
  header(name: string): string | undefined;
}

/**
 * A real SMTP server (npm smtp-server) on a loopback port that keeps what it
 * accepts. `refuse(n, code)` makes it answer the next n messages' DATA with
 * that code, as a full mailbox (452) or a server being restarted (421) would.
 */
export async function startSmtpReceiver() {
  const received: ReceivedMail[] = [];
  let refusals = 0;
  let refusalCode = 451;
  let refused = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refusals > 0) {
          refusals--;
          refused++;
          const error = Object.assign(new Error('try again later'), { responseCode: refusalCode });
          return callback(error);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        void PostalMime.parse(raw).then((parsed) => {
          received.push({
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            raw,
            parsed,
            header: (name) => parsed.headers.find((h) => h.key === name.toLowerCase())?.value,
          });
          callback();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    get refused() {
      return refused;
    },
    refuse(n: number, code = 451) {
      refusals = n;
      refusalCode = code;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
