import type { Config } from '../core/config/index.ts';
import type { CoreServices } from '../core/services.ts';
import type { EmailChannel } from './emailChannel.ts';
import type { ImapMailbox } from './imapMailbox.ts';

/**
 * The e-mail channel reading the support mailbox, when IMAP_URL is set: started now, stopped by the caller.
 * Its modules (imapflow, postal-mime) are loaded only then: a server without a mailbox never loads them.
 */
export async function startEmailChannel(
  core: CoreServices,
  config: Pick<Config, 'email' | 'publicUrl' | 'mail'>,
): Promise<{ channel: EmailChannel; mailbox: ImapMailbox } | undefined> {
  if (!config.email) return undefined;
  const [{ EmailChannel }, { ImapMailbox }] = await Promise.all([
    import('./emailChannel.ts'),
    import('./imapMailbox.ts'),
  ]);
  const channel = new EmailChannel(core, {
    config: config.email,
    publicUrl: config.publicUrl,
    fromAddress: config.mail.fromAddress,
  });
  const mailbox = new ImapMailbox({
    config: config.email,
    state: () => core.channelState(),
    onMessage: (raw) => channel.receive(raw),
  });
  mailbox.start();
  return { channel, mailbox };
}
