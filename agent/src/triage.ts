// The ticket's triage (issue 18), which an agent may change: type, priority
// (given directly, or as impact × urgency), category, team and tags, each
// beside who decided it. Saving sends only what changed, with an internal
// note that records the change in the thread; the API records each field
// changed as the agent's. Drawing the same ticket again keeps an unsaved
// edit, and says when the server changed the same field (triageDraft.ts).
// Saving names the version drawn: a ticket changed since is refused by the
// server, and drawn again from the refusal, the edit kept, to save again.
import type { AgentTicketDetail, TriageSource } from '../../core/contracts/agent.ts';
// The matrix itself, not a copy: the preview must be what the server will decide (a pure table, no I/O).
import { priorityFrom } from '../../core/triage/priorityMatrix.ts';
import type { TriageLevel } from '../../core/tickets/types.ts';
import { ApiError, changedMeanwhile, type AgentApi, type TicketChange } from './api.ts';
import { byId, el, setOptions } from './dom.ts';
import type { Locale, StringKey } from './i18n/index.ts';
import {
  mergeRedraw,
  sameField,
  tagList,
  TRIAGE_FIELDS,
  valuesOf,
  type TriageField,
  type TriageValues,
} from './triageDraft.ts';

const TYPES = ['incident', 'service_request', 'question'];
const LEVELS: TriageLevel[] = ['high', 'medium', 'low'];
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'];
const LABELS: Record<TriageField, StringKey> = {
  type: 'triageType',
  priority: 'triagePriority',
  category: 'triageCategory',
  team: 'triageTeam',
  tags: 'colTags',
};

export interface TriageWiring {
  api: () => AgentApi;
  locale: () => Locale;
  /** The agent's name, who signs the change; empty for the key's role. */
  author: () => string;
  /** Teams seen in the queue: suggestions, since the API does not list the routing policy's teams. */
  teams: () => Iterable<string>;
  /** The ticket as the API returned it, after the change or with its refusal (it had changed): shown again, and its queue row refreshed. */
  saved: (t: AgentTicketDetail) => void;
  /** A failure that is not the request's fault (the key was refused). */
  failed: (error: unknown) => void;
}

/** Wires the triage form; returns what fills it with a ticket. */
export function wireTriage(w: TriageWiring): (t: AgentTicketDetail) => void {
  const form = byId('triage', HTMLFormElement);
  const type = byId('tr-type', HTMLSelectElement);
  const impact = byId('tr-impact', HTMLSelectElement);
  const urgency = byId('tr-urgency', HTMLSelectElement);
  const priority = byId('tr-priority', HTMLSelectElement);
  const category = byId('tr-category', HTMLInputElement);
  const team = byId('tr-team', HTMLInputElement);
  const tags = byId('tr-tags', HTMLInputElement);
  const status = byId('triage-status');
  const error = byId('triage-error');
  const conflict = byId('triage-conflict');
  /** The ticket as the server last gave it: what the form was filled from, and what saving compares with. */
  let ticket: AgentTicketDetail | undefined;
  /** Fields the server changed while the agent was changing them too, to other values. */
  let conflicts = new Set<TriageField>();

  const read = (): TriageValues => ({
    type: type.value,
    impact: impact.value,
    urgency: urgency.value,
    priority: priority.value,
    category: category.value,
    team: team.value,
    tags: tags.value,
  });

  const matrix = (): string | undefined =>
    impact.value && urgency.value ? priorityFrom(impact.value as TriageLevel, urgency.value as TriageLevel) : undefined;
  const showMatrix = () => {
    const p = matrix();
    byId('tr-matrix').textContent = p ? w.locale().t('fromMatrix', { priority: p }) : '';
    if (p) priority.value = p;
  };
  impact.addEventListener('change', showMatrix);
  urgency.addEventListener('change', showMatrix);
  // A priority chosen as such no longer follows impact and urgency (core/commands/updateTicket.ts).
  priority.addEventListener('change', () => {
    impact.value = urgency.value = '';
    showMatrix();
  });

  function show(t: AgentTicketDetail): void {
    const L = w.locale();
    let v = valuesOf(t);
    if (t.id !== ticket?.id) {
      status.textContent = error.textContent = '';
      conflicts = new Set();
    } else {
      const merged = mergeRedraw(valuesOf(ticket), read(), v);
      v = merged.values;
      for (const f of merged.conflicts) conflicts.add(f);
    }
    ticket = t;
    const unset = (v: string | undefined): Array<[string, string]> => (v ? [] : [['', L.t('notSet')]]);
    // A type or priority cannot be taken away once set, so "not set" is offered only while it is.
    setOptions(
      type,
      [...unset(t.type), ...TYPES.map((v): [string, string] => [v, L.t(`type_${v}` as StringKey)])],
      v.type,
    );
    const levels: Array<[string, string]> = [
      ['', L.t('notSet')],
      ...LEVELS.map((v): [string, string] => [v, L.t(`level_${v}`)]),
    ];
    setOptions(impact, levels, v.impact);
    setOptions(urgency, levels, v.urgency);
    setOptions(priority, [...unset(t.priority), ...PRIORITIES.map((p): [string, string] => [p, p])], v.priority);
    category.value = v.category;
    team.value = v.team;
    tags.value = v.tags;
    byId('tr-teams').replaceChildren(...[...new Set([...w.teams()])].sort().map((name) => el('option', name)));
    for (const f of ['type', 'priority', 'category', 'team', 'tags'] as const) {
      const by = byId(`tr-${f}-by`);
      const source: TriageSource | undefined = t.triage?.[f];
      by.textContent = source ? L.t('decidedBy', { source: L.t(`source_${source}`) }) : '';
      if (source) by.dataset.source = source;
      else delete by.dataset.source;
    }
    showMatrix();
    drawConflicts();
  }

  /** Says which fields the server changed under the agent's edit, while the edit still differs from it. */
  function drawConflicts(): void {
    const L = w.locale();
    const mine = read();
    const theirs = ticket && valuesOf(ticket);
    conflicts = new Set([...conflicts].filter((f) => theirs && !sameField(f, mine, theirs)));
    conflict.hidden = !theirs || !conflicts.size;
    if (!theirs || !conflicts.size) return;
    byId('triage-conflict-text').textContent = L.t('triageConflict', {
      changes: [...conflicts]
        .map((f) =>
          L.t('conflictItem', { field: L.t(LABELS[f]), theirs: fieldText(L, f, theirs), yours: fieldText(L, f, mine) }),
        )
        .join('; '),
    });
  }
  // Setting a field back to the server's value settles its conflict.
  form.addEventListener('input', drawConflicts);
  form.addEventListener('change', drawConflicts);
  byId('triage-discard').addEventListener('click', () => {
    const t = ticket;
    ticket = undefined;
    if (t) show(t);
  });

  /** What differs from the ticket, as PATCH takes it, and the same in words for the note. */
  function changes(t: AgentTicketDetail): { change: TicketChange; words: string[] } {
    const L = w.locale();
    const change: TicketChange = {};
    const words: string[] = [];
    const said = (key: StringKey, from: string | undefined, to: string) =>
      words.push(`${L.t(key)}: ${from || '—'} → ${to || '—'}`);
    const typeName = (v: string | undefined) => (v ? L.t(`type_${v}` as StringKey) : undefined);
    if (type.value && type.value !== t.type) {
      change.type = type.value;
      said('triageType', typeName(t.type), typeName(type.value)!);
    }
    const matrixChanged = (impact.value || undefined) !== t.impact || (urgency.value || undefined) !== t.urgency;
    if (matrixChanged && impact.value && urgency.value) {
      if (impact.value !== t.impact) change.impact = impact.value;
      if (urgency.value !== t.urgency) change.urgency = urgency.value;
      const by = `${L.t('impact')} ${L.t(`level_${impact.value as TriageLevel}`)} × ${L.t('urgency')} ${L.t(`level_${urgency.value as TriageLevel}`)}`;
      said('triagePriority', t.priority, `${matrix()} (${by})`);
    } else if (priority.value && priority.value !== t.priority) {
      change.priority = priority.value;
      said('triagePriority', t.priority, priority.value);
    }
    for (const [input, field, key] of [
      [category, 'category', 'triageCategory'],
      [team, 'team', 'triageTeam'],
    ] as const) {
      const value = input.value.trim();
      if (value === (t[field] ?? '')) continue;
      change[field] = value || null;
      said(key, t[field], value);
    }
    // Compared as the API stores them (trimmed, lower case, once each), so retyping the same tags is no change.
    const list = tagList(tags.value);
    if (list.join(',') !== t.tags.join(',')) {
      change.tags = list;
      said('colTags', t.tags.join(', '), list.join(', '));
    }
    return { change, words };
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const t = ticket;
    if (!t) return;
    const L = w.locale();
    const { change, words } = changes(t);
    error.textContent = '';
    if (!words.length) return void (status.textContent = L.t('noChange'));
    const author = w.author();
    const body = { ...change, note: L.t('triageNote', { changes: words.join('; ') }), ...(author ? { author } : {}) };
    status.textContent = L.t('loading');
    w.api()
      .update(t.id, body, t.version)
      .then((updated) => {
        // Saved: the form is filled from the server's answer again, with nothing left unsaved.
        ticket = undefined;
        w.saved(updated);
        status.textContent = L.t('saved');
      })
      .catch((e: unknown) => {
        status.textContent = '';
        const now = changedMeanwhile(e, t.id);
        if (now) return refusedAsChanged(t, now);
        if (!(e instanceof ApiError)) return w.failed(e);
        error.textContent = L.t('saveFailed', { error: refusal(e) });
      });
  });

  /**
   * The ticket changed after it was drawn, so nothing was saved: it is drawn
   * from the refusal (the edit kept, fields the agent left following the
   * server, a field both changed named in the conflict box), and the refusal
   * says which triage fields changed, from what to what, before a save again.
   */
  function refusedAsChanged(drawn: AgentTicketDetail, now: AgentTicketDetail): void {
    const L = w.locale();
    const was = valuesOf(drawn);
    const is = valuesOf(now);
    const changed = TRIAGE_FIELDS.filter((f) => !sameField(f, was, is)).map(
      (f) => `${L.t(LABELS[f])}: ${fieldText(L, f, was)} → ${fieldText(L, f, is)}`,
    );
    w.saved(now);
    error.textContent = L.t('ticketChanged', { changes: changed.length ? ` (${changed.join('; ')})` : '' });
  }

  return show;
}

/** A triage field's value in words: the type's name, a priority with the impact × urgency it came from. */
function fieldText(L: Locale, f: TriageField, v: TriageValues): string {
  if (f === 'type') return v.type ? L.t(`type_${v.type}` as StringKey) : L.t('notSet');
  if (f === 'priority' && v.priority && v.impact && v.urgency)
    return `${v.priority} (${L.t('impact')} ${L.t(`level_${v.impact as TriageLevel}`)} × ${L.t('urgency')} ${L.t(`level_${v.urgency as TriageLevel}`)})`;
  return v[f].trim() || L.t('notSet');
}

/** The refusal in the page's language, followed by the server's reasons, which say what a valid value is. */
function refusal(e: ApiError): string {
  const details = e.server?.code === 'invalid_request' ? e.server.details : undefined;
  if (!Array.isArray(details)) return e.message;
  const reasons = details.flatMap((d: unknown) => {
    const { field, message } = (d ?? {}) as { field?: unknown; message?: unknown };
    return typeof field === 'string' && typeof message === 'string' ? [`${field}: ${message}`] : [];
  });
  return reasons.length ? `${e.message} (${reasons.join('; ')})` : e.message;
}
