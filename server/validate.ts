import type { z } from 'zod';
import { ValidationError } from '../core/errors.ts';

/** Parse input with a schema, or throw a ValidationError that lists each problem by field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  throw new ValidationError(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
}
