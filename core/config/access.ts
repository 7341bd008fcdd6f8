import { z } from 'zod';

export type Role = 'agent' | 'lead' | 'admin';

/** API keys for agents, leads and admins: "lead=KEY1,agent=KEY2,admin=KEY3". */
export const accessEnv = z.object({
  DEFLECT_API_KEYS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const keys: { role: Role; key: string }[] = [];
      for (const part of (value ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const [role, key] = part.split('=', 2).map((s) => s?.trim());
        if (role !== 'agent' && role !== 'lead' && role !== 'admin')
          ctx.addIssue({ code: 'custom', message: `unknown role '${role}' (agent, lead, admin)` });
        else if (!key || key.length < 12)
          ctx.addIssue({ code: 'custom', message: `the ${role} key must be at least 12 characters` });
        else keys.push({ role, key });
      }
      return keys;
    }),
});

export interface AccessConfig {
  apiKeys: { role: Role; key: string }[];
}

export function accessConfig(env: z.infer<typeof accessEnv>): AccessConfig {
  return { apiKeys: env.DEFLECT_API_KEYS };
}
