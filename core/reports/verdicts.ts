import { CONFIRMED, NOT_HELPFUL } from './outcomes.ts';

/**
 * What the user's verdicts on a question's articles mean, in one place
 * (docs/reports.md). `flags` are a question's outcome flags.
 */

/** "Not helpful": the user said an article did not help ("No"), whatever came after. A question can be both not helpful and confirmed. */
export function notHelpful(flags: number): boolean {
  return (flags & NOT_HELPFUL) !== 0;
}

/** Confirmed: the user said an article helped ("Yes, solved"). */
export function confirmed(flags: number): boolean {
  return (flags & CONFIRMED) !== 0;
}

/** Left unsettled by its verdicts: a "No" that no "Yes" followed. The gaps report counts these; a "No" then a "Yes" on a suggestion was settled. */
export function leftNotHelpful(flags: number): boolean {
  return notHelpful(flags) && !confirmed(flags);
}
