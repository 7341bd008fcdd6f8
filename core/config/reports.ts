import { z } from 'zod';
import { num } from './shared.ts';

/** Reports, retention and drafts made from gaps. */
export const reportsEnv = z.object({
  /** Days of events kept; older day files are deleted (with their report caches). 0 keeps everything. */
  EVENT_RETENTION_DAYS: num(400, 0, 36_500),
  /** Days a solved ticket is kept after its last change; then it is deleted (open and pending tickets are always kept). 0 keeps every ticket. */
  TICKET_RETENTION_DAYS: num(0, 0, 36_500),
  /** Folder where draft articles made from gaps are written. Defaults to KB_DIR/drafts. */
  DRAFTS_DIR: z.string().min(1).optional(),
});

export interface ReportsConfig {
  retentionDays: number;
  ticketRetentionDays: number;
  draftsDir: string;
}

export function reportsConfig(env: z.infer<typeof reportsEnv> & { KB_DIR: string }): ReportsConfig {
  return {
    retentionDays: env.EVENT_RETENTION_DAYS,
    ticketRetentionDays: env.TICKET_RETENTION_DAYS,
    draftsDir: env.DRAFTS_DIR ?? `${env.KB_DIR.replace(/\/$/, '')}/drafts`,
  };
}
