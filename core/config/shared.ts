import { z } from 'zod';

/** Rules shared by the config concerns. */
export const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));
export const num = (def: number, min: number, max: number) => z.coerce.number().min(min).max(max).default(def);
