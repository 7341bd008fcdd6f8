import { z } from 'zod';
import { num } from './shared.ts';

/** Bot Framework channel (Teams, Web Chat, Emulator). Empty app id = local/emulator mode, unauthenticated. */
export const botEnv = z.object({
  /** Azure Bot registration's app id; unset runs the bot unauthenticated for the Emulator only. */
  MICROSOFT_APP_ID: z.string().optional(),
  /** Client secret of the app registration (MultiTenant, SingleTenant). */
  MICROSOFT_APP_PASSWORD: z.string().optional(),
  /** SingleTenant | UserAssignedMSI | MultiTenant. Azure creates no multi-tenant bots since August 2025, so that one must be asked for. */
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('SingleTenant'),
  /** Tenant id, for SingleTenant and UserAssignedMSI. */
  MICROSOFT_APP_TENANT_ID: z.string().optional(),
  /** OpenID metadata document that signs channel tokens; default: the Bot Framework public cloud. For private clouds and offline tests. */
  BOT_OPENID_METADATA_URL: z.url().optional(),
  /** Largest activity accepted on /api/messages, in bytes (Teams activities carry more than widget requests). */
  BOT_MAX_BODY_BYTES: num(262_144, 1024, 10_000_000),
  /** Days an idle bot conversation's state (such as a half-finished ticket) is kept. */
  BOT_STATE_TTL_DAYS: num(30, 1, 3650),
  /** Microsoft Entra tenant ids (comma-separated) whose Teams members (not guests) also see internal articles. */
  BOT_INTERNAL_TENANTS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
            'must be tenant ids (GUIDs), comma-separated',
          ),
      ),
    ),
});

type BotEnv = z.infer<typeof botEnv>;

/**
 * Rules that span several bot settings. Applied to the whole config schema,
 * because zod drops refinements of a schema merged by shape. A password
 * without an app id matters most: it would silently run the bot unauthenticated.
 */
export function checkBotEnv(env: BotEnv, ctx: z.RefinementCtx): void {
  const problem = (path: keyof BotEnv, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (!env.MICROSOFT_APP_ID) {
    if (env.MICROSOFT_APP_PASSWORD || env.MICROSOFT_APP_TENANT_ID)
      problem(
        'MICROSOFT_APP_ID',
        'is required when MICROSOFT_APP_PASSWORD or MICROSOFT_APP_TENANT_ID is set (without it the bot would accept unauthenticated requests)',
      );
    // Unauthenticated requests can claim any tenant: internal articles would be open to anyone.
    if (env.BOT_INTERNAL_TENANTS.length)
      problem(
        'BOT_INTERNAL_TENANTS',
        'needs MICROSOFT_APP_ID: without it requests are not authenticated and anyone could claim the tenant',
      );
    return;
  }
  if (env.MICROSOFT_APP_TYPE === 'UserAssignedMSI') {
    if (env.MICROSOFT_APP_PASSWORD)
      problem('MICROSOFT_APP_PASSWORD', 'must not be set for UserAssignedMSI (the managed identity has no secret)');
  } else if (!env.MICROSOFT_APP_PASSWORD) {
    problem('MICROSOFT_APP_PASSWORD', `is required for ${env.MICROSOFT_APP_TYPE} when MICROSOFT_APP_ID is set`);
  }
  if (env.MICROSOFT_APP_TYPE !== 'MultiTenant' && !env.MICROSOFT_APP_TENANT_ID) {
    const hint =
      env.MICROSOFT_APP_TYPE === 'SingleTenant'
        ? ' (the default type; a bot registered as multi-tenant before August 2025 sets MICROSOFT_APP_TYPE=MultiTenant)'
        : '';
    problem('MICROSOFT_APP_TENANT_ID', `is required for ${env.MICROSOFT_APP_TYPE}${hint}`);
  }
}

export interface BotConfig {
  appId?: string;
  appPassword?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string;
  openIdMetadataUrl?: string;
  maxBodyBytes: number;
  stateTtlDays: number;
  /** Lower-case tenant ids whose Teams members may read internal articles. */
  internalTenants: string[];
}

export function botConfig(env: BotEnv): BotConfig {
  return {
    appId: env.MICROSOFT_APP_ID,
    appPassword: env.MICROSOFT_APP_PASSWORD,
    appType: env.MICROSOFT_APP_TYPE,
    tenantId: env.MICROSOFT_APP_TENANT_ID,
    openIdMetadataUrl: env.BOT_OPENID_METADATA_URL,
    maxBodyBytes: env.BOT_MAX_BODY_BYTES,
    stateTtlDays: env.BOT_STATE_TTL_DAYS,
    internalTenants: env.BOT_INTERNAL_TENANTS,
  };
}
