import { retryWebhooks } from '../../core/commands/retryWebhooks.ts';
import { resendDead } from '../resendDead.ts';

export const summary = 'Resend the dead webhook deliveries (server stopped; else use the admin API)';

export function run(args: string[]): Promise<number> {
  return resendDead(
    {
      command: 'retry-webhooks',
      adminPath: '/api/admin/webhooks/retry',
      unavailable: (config) =>
        config.tickets.webhook ? undefined : 'No webhook is configured: set WEBHOOK_URL and WEBHOOK_SECRET',
      resend: retryWebhooks,
      resentWhat: 'ticket(s)',
    },
    args,
  );
}
