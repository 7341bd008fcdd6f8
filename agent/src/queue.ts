// The queue: status buttons with their counts, and the table of tickets. The
// triage columns (issue 18) appear only when some ticket carries them.
import type { TicketStatus } from '../../core/contracts/api.ts';
import type { AgentTicketSummary, TicketCountsResponse } from '../../core/contracts/agent.ts';
import { el } from './dom.ts';
import type { Locale, StringKey } from './i18n/index.ts';

export const STATUSES: readonly TicketStatus[] = ['open', 'pending', 'on_hold', 'solved', 'closed'];

/** A status in the agents' words. */
export function statusName(L: Locale, s: TicketStatus): string {
  return L.t(`status_${s}` as StringKey);
}

/** The triage fields some ticket in the list carries, in the order of their columns. */
export function triageFields(tickets: AgentTicketSummary[]): Array<'type' | 'priority' | 'category' | 'team' | 'due'> {
  const fields = ['type', 'priority', 'category', 'team', 'due'] as const;
  return fields.filter((f) => tickets.some((t) => !!(f === 'due' ? nextDue(t) : t[f])));
}

/** "All" and one button per status, each with its count; the pressed one is the status filter. */
export function renderStatuses(
  box: HTMLElement,
  counts: TicketCountsResponse | undefined,
  active: TicketStatus | undefined,
  L: Locale,
  pick: (status: TicketStatus | undefined) => void,
): void {
  const button = (status: TicketStatus | undefined, label: string, n: number | undefined) => {
    const b = el('button', n === undefined ? label : L.t('countLabel', { status: label, n }));
    b.type = 'button';
    b.dataset.status = status ?? '';
    b.setAttribute('aria-pressed', String(status === active));
    b.addEventListener('click', () => pick(status));
    return b;
  };
  box.replaceChildren(
    button(undefined, L.t('all'), counts?.total),
    ...STATUSES.map((s) => button(s, statusName(L, s), counts?.counts[s])),
  );
}

const COLUMN: Record<ReturnType<typeof triageFields>[number], StringKey> = {
  type: 'colType',
  priority: 'colPriority',
  category: 'colCategory',
  team: 'colTeam',
  due: 'colDue',
};

/** The table of tickets; each subject is a button that opens the ticket. Returns the rows, in order. */
export function renderQueue(
  table: HTMLTableElement,
  tickets: AgentTicketSummary[],
  L: Locale,
  current: string | undefined,
  open: (id: string) => void,
): HTMLTableRowElement[] {
  const triage = triageFields(tickets);
  const head = el('tr');
  for (const key of [
    'colId',
    'colSubject',
    'colStatus',
    ...triage.map((f) => COLUMN[f]),
    'colAssignee',
    'colChannel',
    'colTags',
    'colUpdated',
  ] as StringKey[]) {
    const th = el('th', L.t(key));
    th.scope = 'col';
    head.append(th);
  }
  table.tHead!.replaceChildren(head);
  const now = Date.now();
  const rows = tickets.map((t) => {
    const row = el('tr');
    row.dataset.id = t.id;
    if (t.id === current) row.setAttribute('aria-current', 'true');
    const openButton = el('button', t.subject, 'open-ticket');
    openButton.type = 'button';
    openButton.addEventListener('click', () => open(t.id));
    const cell = (content: string | Node | null | undefined, cls?: string) => {
      const td = el('td', undefined, cls);
      if (content !== null && content !== undefined) td.append(content);
      return td;
    };
    row.append(cell(t.id), cell(openButton), cell(el('span', statusName(L, t.status), `st st-${t.status}`)));
    for (const f of triage) {
      const value = f === 'due' ? nextDue(t) : t[f];
      if (f === 'due' && typeof value === 'string') {
        const late =
          t.sla === 'breached' || (Date.parse(value) < now && t.status !== 'solved' && t.status !== 'closed');
        row.append(cell(late ? `${L.when(value)} (${L.t('overdue')})` : L.when(value), late ? 'overdue' : undefined));
      } else row.append(cell(typeof value === 'string' ? value : ''));
    }
    const tags = el('td');
    for (const tag of t.tags) tags.append(el('span', tag, 'tag'));
    row.append(cell(t.assignee ?? ''), cell(t.channel), tags, cell(L.when(t.updatedAt)));
    return row;
  });
  table.tBodies[0]!.replaceChildren(...rows);
  return rows;
}

/** The next SLA time the agent must meet: the first response while it is awaited, then the resolution. */
export function nextDue(t: Pick<AgentTicketSummary, 'due'>): string | undefined {
  return t.due?.firstResponseAt ?? t.due?.resolutionAt;
}
