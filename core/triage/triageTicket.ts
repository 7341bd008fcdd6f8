import type { Channel, Lang } from '../contracts/api.ts';
import { stem, words } from '../text/analyze.ts';
import type { Ticket, TicketPriority, TicketType, TriageLevel } from '../tickets/types.ts';
import { priorityFrom } from './priorityMatrix.ts';
import type { RoutingPolicy, RoutingRule } from './routingRules.ts';

/** What the failed question's best article says about tickets it could not settle. */
export interface ArticleTriage {
  id: string;
  ticketType?: TicketType;
  /** The priority as such, or as impact and urgency (never both: the schema refuses it). */
  priority?: TicketPriority;
  impact?: TriageLevel;
  urgency?: TriageLevel;
  team?: string;
  category?: string;
  tags: string[];
}

/** What the rules may look at. `attributes` only ever come from a verified identity. */
export interface TriageFacts {
  question: string;
  channel: Channel;
  lang: Lang;
  tags?: string[];
  attributes?: Record<string, string>;
}

export type TriageFields = Pick<
  Ticket,
  'type' | 'priority' | 'impact' | 'urgency' | 'category' | 'team' | 'tags' | 'triage'
>;

export interface TriageOutcome {
  fields: TriageFields & { type: TicketType; priority: TicketPriority; tags: string[] };
  /** The rule that matched (first match wins), by name and 1-based position. */
  rule?: { name: string; position: number };
  /** Why, step by step, for `npm run kb -- route` and for the agent. */
  steps: string[];
}

/** When nothing else decides: a question of ordinary priority, owned by no team. */
export const BUILT_IN_DEFAULTS = { type: 'question', priority: 'P3' } as const;

/**
 * Triage a new ticket, field by field: the failed question's best article
 * first (its author knows the subject), then the first routing rule whose
 * conditions hold (it sees the article's fields and may replace team,
 * priority and type, and adds tags), then the routing file's defaults, then
 * the built-in ones. Each field records where it came from.
 */
export function triageTicket(input: {
  article?: ArticleTriage;
  routing: RoutingPolicy;
  facts: TriageFacts;
}): TriageOutcome {
  const { article, routing, facts } = input;
  const steps: string[] = [];
  const triage: NonNullable<Ticket['triage']> = {};
  let type: TicketType | undefined;
  let priority: Decided | undefined;
  let team: string | undefined;
  let category: string | undefined;
  const tags = new Set((facts.tags ?? []).map(normalTag));

  if (article) {
    const took: string[] = [];
    if (article.ticketType) [type, triage.type] = [article.ticketType, 'article'];
    const p = decidePriority(article);
    if (p) [priority, triage.priority] = [p, 'article'];
    if (article.team) [team, triage.team] = [article.team, 'article'];
    if (article.category) [category, triage.category] = [article.category, 'article'];
    if (type) took.push(`type ${type}`);
    if (priority) took.push(`priority ${describePriority(priority)}`);
    if (team) took.push(`team ${team}`);
    if (category) took.push(`category ${category}`);
    steps.push(`best article ${article.id}: ${took.length ? took.join(', ') : 'sets nothing'}`);
  } else {
    steps.push('no article came close to the question');
  }

  const seen = { ...facts, type, category, tags: [...tags, ...(article?.tags ?? []).map(normalTag)] };
  let matched: TriageOutcome['rule'];
  for (const [i, rule] of routing.rules.entries()) {
    const miss = firstMiss(rule, seen);
    if (miss) {
      steps.push(`rule ${i + 1} "${rule.name}": no (${miss})`);
      continue;
    }
    matched = { name: rule.name, position: i + 1 };
    const s = rule.set;
    if (s.type) [type, triage.type] = [s.type, 'rule'];
    const p = decidePriority(s);
    if (p) [priority, triage.priority] = [p, 'rule'];
    if (s.team) [team, triage.team] = [s.team, 'rule'];
    if (s.tags?.length) {
      for (const t of s.tags) tags.add(normalTag(t));
      triage.tags = 'rule';
    }
    steps.push(`rule ${i + 1} "${rule.name}": matches; sets ${describeSet(s)}`);
    break;
  }
  if (!matched && routing.rules.length) steps.push('no rule matched');

  const filled: string[] = [];
  if (!type) {
    type = routing.defaults.type ?? BUILT_IN_DEFAULTS.type;
    triage.type = 'default';
    filled.push(`type ${type}`);
  }
  if (!priority) {
    priority = decidePriority(routing.defaults) ?? { priority: BUILT_IN_DEFAULTS.priority };
    triage.priority = 'default';
    filled.push(`priority ${describePriority(priority)}`);
  }
  if (!team && routing.defaults.team) {
    team = routing.defaults.team;
    triage.team = 'default';
    filled.push(`team ${team}`);
  }
  if (filled.length) steps.push(`defaults: ${filled.join(', ')}`);

  const fields = {
    type,
    ...priority,
    tags: [...tags],
    triage,
    ...(team ? { team } : {}),
    ...(category ? { category } : {}),
  };
  return { fields, rule: matched, steps };
}

/** Why a rule does not apply: the first condition that fails, or undefined when all hold. */
function firstMiss(
  rule: RoutingRule,
  t: TriageFacts & { type?: TicketType; category?: string; tags: string[] },
): string | undefined {
  const w = rule.when;
  const folded = (s: string) => words(s).join(' ');
  if (w.category && !(t.category && w.category.some((c) => folded(c) === folded(t.category!))))
    return `category is ${t.category ?? 'unknown'}, not ${w.category.join(' or ')}`;
  if (w.tags && !w.tags.some((x) => t.tags.includes(normalTag(x)))) return `no tag ${w.tags.join(' or ')}`;
  if (w.channel && !w.channel.includes(t.channel)) return `channel is ${t.channel}`;
  if (w.lang && !w.lang.includes(t.lang)) return `language is ${t.lang}`;
  if (w.type && !(t.type && w.type.includes(t.type))) return `type is ${t.type ?? 'undecided'}`;
  if (w.words && !w.words.some((x) => containsPhrase(t.question, x, t.lang)))
    return `none of ${w.words.map((x) => `"${x}"`).join(', ')} in the question`;
  for (const [key, allowed] of Object.entries(w.attributes ?? {})) {
    const value = t.attributes?.[key];
    if (value === undefined || !allowed.some((a) => String(a) === value))
      return value === undefined ? `the user has no verified ${key}` : `${key} is ${value}`;
  }
  return undefined;
}

/** Is the phrase in the text, word for word, ignoring accents, case and word endings (one stemmer per language)? */
export function containsPhrase(text: string, phrase: string, lang: Lang): boolean {
  const hay = words(text).map((x) => stem(x, lang));
  const needle = words(phrase).map((x) => stem(x, lang));
  if (!needle.length) return false;
  for (let i = 0; i + needle.length <= hay.length; i++) if (needle.every((n, j) => hay[i + j] === n)) return true;
  return false;
}

/** A priority and, when the matrix gave it, the impact and urgency it came from (kept on the ticket, as an agent's are). */
type Decided = { priority: TicketPriority; impact?: TriageLevel; urgency?: TriageLevel };

/**
 * What one source (article, rule, defaults) says of the priority: as such,
 * or through the matrix. The later source replaces the earlier whole, so a
 * rule's P1 does not keep an article's impact and urgency beside it.
 */
function decidePriority(s: {
  priority?: TicketPriority;
  impact?: TriageLevel;
  urgency?: TriageLevel;
}): Decided | undefined {
  if (s.impact && s.urgency)
    return { priority: priorityFrom(s.impact, s.urgency), impact: s.impact, urgency: s.urgency };
  return s.priority ? { priority: s.priority } : undefined;
}

function describePriority(d: Decided): string {
  return d.impact ? `${d.priority} (impact ${d.impact} × urgency ${d.urgency})` : d.priority;
}

function normalTag(tag: string): string {
  return tag.trim().toLowerCase();
}

function describeSet(s: RoutingRule['set']): string {
  return [
    s.team && `team ${s.team}`,
    decidePriority(s) && `priority ${describePriority(decidePriority(s)!)}`,
    s.type && `type ${s.type}`,
    s.tags?.length && `tags ${s.tags.join(', ')}`,
  ]
    .filter(Boolean)
    .join(', ');
}
