import { retryWhatsAppReplies } from '../../core/commands/retryWhatsAppReplies.ts';
import { resendDead } from '../resendDead.ts';

export const summary = 'Resend the dead WhatsApp replies to customers (server stopped; else use the admin API)';

export function run(args: string[]): Promise<number> {
  return resendDead(
    {
      command: 'retry-whatsapp',
      adminPath: '/api/admin/whatsapp/retry',
      resend: retryWhatsAppReplies,
      resentWhat: 'WhatsApp repl(ies)',
    },
    args,
  );
}
