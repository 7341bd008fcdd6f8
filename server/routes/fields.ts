import { z } from 'zod';
import { cleanText } from '../../core/text/clean.ts';

/** Free text from users: cleaned (control characters, bidi overrides, lone surrogates), then trimmed and bounded. */
export const userText = (max: number) =>
  z
    .string()
    .transform(cleanText)
    .pipe(z.string().trim().max(max, `must be at most ${max} characters`));

/** Field rules shared by several routes. */
export const conversationId = z.string().regex(/^[A-Za-z0-9_:.-]{8,100}$/, 'must be the id returned by /api/ask');
export const langField = z
  .string()
  .regex(/^[a-zA-Z]{2}([-_][a-zA-Z0-9]{2,8})?$/, 'must be a language code such as es or en-GB');
export const emailField = z.email('must be an e-mail address').max(254);
export const userField = z.strictObject({
  id: z.string().max(200).optional(),
  email: emailField.optional(),
  name: z.string().max(200).optional(),
  hash: z.string().max(200).optional(),
  attributes: z
    .record(z.string().regex(/^[A-Za-z0-9_.-]{1,60}$/, 'must be a short attribute name'), z.string().max(200))
    .refine((a) => Object.keys(a).length <= 20, 'at most 20 attributes')
    .optional(),
  attributesHash: z.string().max(200).optional(),
});
