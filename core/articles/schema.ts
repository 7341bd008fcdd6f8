import { z } from 'zod';
import { SUPPORTED_LANGS } from '../text/analyze.ts';
import { checkPriorityWay, teamName, triageLevel } from '../triage/routingRules.ts';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'is not a real calendar date');

const lang = z.string().refine((v) => (SUPPORTED_LANGS as readonly string[]).includes(v), {
  error: (issue) => `unknown language '${String(issue.input)}' (supported: ${SUPPORTED_LANGS.join(', ')})`,
});

const stringList = z.union([
  z.string().transform((s) => [s]),
  z.array(z.string().trim().min(1, 'must not contain empty entries')),
]);

/**
 * Front matter of an article. Unknown fields are kept but ignored, so a team
 * can add its own metadata (source, product…) without breaking the index.
 */
const frontMatterFields = z.looseObject({
  id: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(
      /^[^\s/\\#%\p{C}][^\s\\#%\p{C}]*$/u,
      'must not contain spaces, "\\", "#", "%" or control characters, nor start with "/"',
    )
    .refine(
      (v) => !v.split('/').some((seg) => seg === '..' || seg === '.' || seg === ''),
      'must not contain ".", ".." or empty path segments',
    )
    .optional(),
  title: z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(300),
  lang: lang.optional(),
  tags: stringList.default([]),
  category: z.string().trim().min(1).optional(),
  questions: stringList.default([]),
  answer: z
    .string()
    .trim()
    .min(1, 'is empty: write the canned answer or remove the field to use the first section')
    .optional(),
  status: z.enum(['published', 'draft', 'archived']).default('published'),
  audience: z.enum(['public', 'internal']).default('public'),
  owner: z.string().trim().min(1).optional(),
  review_by: isoDate.optional(),
  translations: z.record(lang, z.string().trim().min(1)).default({}),
  /** Triage of a ticket this article could not prevent (issue 18): its type, priority (or impact and urgency) and owning team. */
  ticket_type: z.enum(['incident', 'service_request', 'question']).optional(),
  priority: z.enum(['P1', 'P2', 'P3', 'P4'], { error: 'must be P1, P2, P3 or P4' }).optional(),
  impact: triageLevel.optional(),
  urgency: triageLevel.optional(),
  team: teamName.optional(),
});

/** The fields, and a priority given one way only (as such, or as impact and urgency). */
export const frontMatterSchema = frontMatterFields.superRefine(checkPriorityWay);

export type FrontMatterData = z.infer<typeof frontMatterSchema>;
