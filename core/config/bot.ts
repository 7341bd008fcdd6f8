import { z } from 'zod';

/** Bot Framework channel (Teams, Web Chat, Emulator). Empty app id = local/emulator mode, unauthenticated. */
export const botEnv = z.object({
  /** Azure Bot registration's app id; unset runs the bot unauthenticated for the Emulator only. */
  MICROSOFT_APP_ID: z.string().optional(),
  /** Client secret of the app registration. */
  MICROSOFT_APP_PASSWORD: z.string().optional(),
  /** MultiTenant | SingleTenant | UserAssignedMSI. */
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  /** Tenant id, for SingleTenant and UserAssignedMSI. */
  MICROSOFT_APP_TENANT_ID: z.string().optional(),
});

export interface BotConfig {
  appId?: string;
  appPassword?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string;
}

export function botConfig(env: z.infer<typeof botEnv>): BotConfig {
  return { appId: env.MICROSOFT_APP_ID, appPassword: env.MICROSOFT_APP_PASSWORD, appType: env.MICROSOFT_APP_TYPE, tenantId: env.MICROSOFT_APP_TENANT_ID };
}
