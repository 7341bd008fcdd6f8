// The triage form's values as its controls hold them, and what a redraw
// does to an edit in progress. The ticket is drawn again after a reply, a
// status change, a language switch or opening it again, each time as the
// server has it now: a field the agent has not touched follows the server;
// one the agent changed keeps the agent's value; one both changed, to
// different values, is a conflict to show, never decided silently. No DOM.
import type { AgentTicketDetail } from '../../core/contracts/agent.ts';

export interface TriageValues {
  type: string;
  impact: string;
  urgency: string;
  priority: string;
  category: string;
  team: string;
  tags: string;
}

export type TriageField = 'type' | 'priority' | 'category' | 'team' | 'tags';

/** Impact, urgency and priority are one field: the priority and how it was given, kept or taken together. */
const CONTROLS: Record<TriageField, Array<keyof TriageValues>> = {
  type: ['type'],
  priority: ['impact', 'urgency', 'priority'],
  category: ['category'],
  team: ['team'],
  tags: ['tags'],
};
export const TRIAGE_FIELDS = Object.keys(CONTROLS) as TriageField[];

export function valuesOf(t: AgentTicketDetail): TriageValues {
  return {
    type: t.type ?? '',
    impact: t.impact ?? '',
    urgency: t.urgency ?? '',
    priority: t.priority ?? '',
    category: t.category ?? '',
    team: t.team ?? '',
    tags: t.tags.join(', '),
  };
}

/** Tags as the API stores them: trimmed, lower case, once each. */
export function tagList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

/** Equal as the server would store them, so retyping a value or a tag's case is no edit. */
export function sameField(field: TriageField, a: TriageValues, b: TriageValues): boolean {
  const norm = (k: keyof TriageValues, v: string) => (k === 'tags' ? tagList(v).join(',') : v.trim());
  return CONTROLS[field].every((k) => norm(k, a[k]) === norm(k, b[k]));
}

/**
 * The form after a redraw: `base` is what it was filled from, `current` what
 * it holds, `fresh` the ticket as the server has it now. Returns the values
 * to show and the fields changed on both sides to different values (the
 * agent's value is kept in those, and the form says so).
 */
export function mergeRedraw(
  base: TriageValues,
  current: TriageValues,
  fresh: TriageValues,
): { values: TriageValues; conflicts: TriageField[] } {
  const values = { ...fresh };
  const conflicts: TriageField[] = [];
  for (const field of TRIAGE_FIELDS) {
    if (sameField(field, current, base) || sameField(field, current, fresh)) continue;
    for (const k of CONTROLS[field]) values[k] = current[k];
    if (!sameField(field, fresh, base)) conflicts.push(field);
  }
  return { values, conflicts };
}
