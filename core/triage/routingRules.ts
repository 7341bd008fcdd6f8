import { z } from 'zod';

/** The routing file at the KB's root, loaded like `_synonyms.yml`. */
export const ROUTING_FILE = '_routing.yml';

const TICKET_TYPES = ['incident', 'service_request', 'question'] as const;
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
const LEVELS = ['high', 'medium', 'low'] as const;
const CHANNELS = ['widget', 'msteams', 'emulator', 'webchat', 'api', 'email', 'whatsapp'] as const;

/** One value or a list of them: a condition holds when the ticket's value is any of them. */
const anyOf = <T extends z.ZodType>(item: T) => z.union([item.transform((v) => [v]), z.array(item).min(1)]);
const word = z.string().trim().min(1).max(100);
/** A team's id, as articles, rules and the ticket name it. */
export const teamName = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, 'must be a team id: lower-case letters, digits, "-" or "_", up to 60');

/** What a rule looks at; every condition given must hold (an empty `when` matches every ticket). */
const conditions = z.strictObject({
  category: anyOf(word).optional(),
  /** Any of these tags is on the ticket (or its best article). */
  tags: anyOf(word).optional(),
  channel: anyOf(z.enum(CHANNELS)).optional(),
  lang: anyOf(z.enum(['es', 'en'])).optional(),
  /** The type decided so far (from the article). */
  type: anyOf(z.enum(TICKET_TYPES)).optional(),
  /** Any of these words or phrases is in the question (accents and word endings ignored). */
  words: anyOf(word).optional(),
  /** Attributes of the verified user (a signed identity): each key must have one of the values. */
  attributes: z.record(z.string().trim().min(1).max(60), anyOf(z.union([word, z.number(), z.boolean()]))).optional(),
});

/** Impact and urgency (high, medium, low): the priority matrix's two sides (core/triage/priorityMatrix.ts). */
export const triageLevel = z.enum(LEVELS, { error: 'must be high, medium or low' });

/**
 * A priority is given one way: as such (`priority`), or as `impact` and
 * `urgency` together, which the matrix turns into one. Both ways at once
 * would say the same thing twice and could disagree; one side alone is no
 * priority. Each problem is put on a key that is there, so the line points
 * at it (articles' front matter and the routing file alike).
 */
export function checkPriorityWay(
  v: { priority?: unknown; impact?: unknown; urgency?: unknown },
  ctx: z.RefinementCtx,
): void {
  const given = (['impact', 'urgency'] as const).filter((k) => v[k] !== undefined);
  if (v.priority !== undefined && given.length)
    ctx.addIssue({
      code: 'custom',
      path: ['priority'],
      message: `is given beside ${given.join(' and ')}: give priority, or impact and urgency, not both`,
    });
  else if (given.length === 1) {
    const [has, lacks] = given[0] === 'impact' ? ['impact', 'urgency'] : ['urgency', 'impact'];
    ctx.addIssue({ code: 'custom', path: [has], message: `needs ${lacks} too: the priority matrix takes both` });
  }
}

/** What a matching rule sets: team, priority (or impact and urgency) and type replace the article's; tags are added. */
const actions = z
  .strictObject({
    team: teamName.optional(),
    priority: z.enum(PRIORITIES).optional(),
    impact: triageLevel.optional(),
    urgency: triageLevel.optional(),
    type: z.enum(TICKET_TYPES).optional(),
    tags: anyOf(word).optional(),
  })
  .superRefine(checkPriorityWay)
  .refine((a) => Object.keys(a).length > 0, 'must set at least one of team, priority, impact and urgency, type, tags');

const rule = z.strictObject({
  /** How the rule is named when it decides (route, the ticket's triage). */
  name: z.string().trim().min(1).max(120),
  when: conditions.default({}),
  set: actions,
});

/** A team's queue order: by priority, then due time, then age; or first come, first served. */
const teamSettings = z.strictObject({ queue: z.enum(['priority', 'fifo']).default('priority') });

export const routingSchema = z.strictObject({
  /** Applied to whatever neither the article nor a rule decided. */
  defaults: z
    .strictObject({
      team: teamName.optional(),
      priority: z.enum(PRIORITIES).optional(),
      impact: triageLevel.optional(),
      urgency: triageLevel.optional(),
      type: z.enum(TICKET_TYPES).optional(),
    })
    .superRefine(checkPriorityWay)
    .default({}),
  teams: z.record(teamName, teamSettings).default({}),
  /** In order: the first rule whose conditions all hold wins. */
  rules: z.array(rule).default([]),
});

export type RoutingPolicy = z.infer<typeof routingSchema>;
export type RoutingRule = RoutingPolicy['rules'][number];

/** No routing file: no rules, and the built-in defaults (core/triage/triageTicket.ts). */
export const NO_ROUTING: RoutingPolicy = { defaults: {}, teams: {}, rules: [] };
