import { retryMails } from '../../core/commands/retryMails.ts';
import { resendDead } from '../resendDead.ts';

export const summary = 'Resend the dead e-mails to customers (server stopped; else use the admin API)';

export function run(args: string[]): Promise<number> {
  return resendDead(
    { command: 'retry-mails', adminPath: '/api/admin/mail/retry', resend: retryMails, resentWhat: 'e-mail(s)' },
    args,
  );
}
