import type { TicketPriority, TriageLevel } from '../tickets/types.ts';

/**
 * Priority from impact × urgency, the usual service-desk matrix: how many
 * it hurts (impact) against how soon it must be fixed (urgency). Both high
 * is P1; one step down on either is P2; P3 and P4 below. One table, so the
 * agent's choice and the docs (docs/triage.md) never disagree.
 */
const MATRIX: Record<TriageLevel, Record<TriageLevel, TicketPriority>> = {
  high: { high: 'P1', medium: 'P2', low: 'P3' },
  medium: { high: 'P2', medium: 'P3', low: 'P4' },
  low: { high: 'P3', medium: 'P4', low: 'P4' },
};

/** The priority a ticket of this impact and urgency gets. */
export function priorityFrom(impact: TriageLevel, urgency: TriageLevel): TicketPriority {
  return MATRIX[impact][urgency];
}
