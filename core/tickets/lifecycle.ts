import { randomUUID } from 'node:crypto';
import type { TicketScore, TicketStatus } from '../contracts/api.ts';
import { DeflectError } from '../errors.ts';
import type { Ticket, TicketMessage } from './types.ts';

/**
 * The ticket's life, as pure rules over a ticket and a clock: who may write
 * what in which status, and what each step moves. Commands run these inside
 * TicketRepository.update (so two instances never interleave) and record the
 * returned milestones as events.
 */

/** A step the customer or the agent cannot take in the ticket's status (HTTP 409). */
export class TicketStateError extends DeflectError {
  override name = 'TicketStateError';
  constructor(message: string, details?: unknown) {
    super('conflict', message, details);
  }
}

/** What a step changed that reports measure: each at most once per step. */
export interface Milestones {
  /** The first public agent reply, this many ms after the ticket was opened. */
  firstResponse?: { afterMs: number; author?: string };
  /** The ticket became solved, this many ms after it was opened. */
  resolved?: { afterMs: number; author?: string };
  /** A customer message took it from pending or solved back to open. */
  reopened?: { from: TicketStatus };
}

export interface StepResult {
  message?: TicketMessage;
  milestones: Milestones;
}

/** An agent writes: a public reply sets pending unless another status is given; an internal note moves nothing. */
export function addAgentMessage(
  t: Ticket,
  input: { text: string; internal?: boolean; status?: TicketStatus; author?: string },
  now: Date,
): StepResult {
  if (t.status === 'closed' && !input.internal)
    throw new TicketStateError('the ticket is closed: the customer writing again opens a follow-up ticket', {
      status: t.status,
    });
  const message = push(t, { from: 'agent', text: input.text, internal: !!input.internal, author: input.author }, now);
  const milestones: Milestones = {};
  if (!message.internal && !t.firstResponseAt) {
    t.firstResponseAt = message.at;
    milestones.firstResponse = { afterMs: elapsed(t, now), author: input.author };
  }
  const next = input.status ?? (message.internal ? undefined : 'pending');
  if (next) Object.assign(milestones, moveTo(t, next, now, input.author).milestones);
  return { message, milestones };
}

/**
 * The customer writes: on pending or solved the ticket opens again (a reopen);
 * on open or on hold it stays. A closed ticket takes no message: the caller
 * opens a follow-up ticket (followUpDraft) instead.
 */
export function addCustomerMessage(t: Ticket, text: string, now: Date): StepResult {
  if (t.status === 'closed') throw new TicketStateError('the ticket is closed', { status: t.status });
  const message = push(t, { from: 'customer', text, internal: false }, now);
  const milestones: Milestones = {};
  if (t.status === 'pending' || t.status === 'solved') {
    milestones.reopened = { from: t.status };
    t.reopens = (t.reopens ?? 0) + 1;
    enter(t, 'open', now);
  }
  return { message, milestones };
}

/** A message from Deflect itself (a bot answer, a notice): shown to the customer, never a first response. */
export function addSystemMessage(t: Ticket, text: string, now: Date): TicketMessage {
  return push(t, { from: 'system', text, internal: false }, now);
}

/** An agent sets the status; becoming solved is a resolution, closing is final. */
export function moveTo(t: Ticket, status: TicketStatus, now: Date, author?: string): StepResult {
  if (t.status === 'closed' && status !== 'closed')
    throw new TicketStateError('a closed ticket stays closed: the customer writing again opens a follow-up ticket', {
      status: t.status,
    });
  const milestones: Milestones = {};
  if (status === 'solved' && t.status !== 'solved') {
    t.solvedAt = now.toISOString();
    milestones.resolved = { afterMs: elapsed(t, now), author };
  }
  if (status === 'closed' && t.status !== 'closed') t.closedAt = now.toISOString();
  enter(t, status, now);
  return { milestones };
}

/** Change the status and keep when: SLA clocks (core/sla) are computed from this history, never from stored timers. */
function enter(t: Ticket, status: TicketStatus, now: Date): void {
  if (t.status !== status) (t.statusHistory ??= []).push({ at: now.toISOString(), status });
  t.status = status;
}

/** The customer rates the ticket: once solved, changeable until it is closed. */
export function rate(t: Ticket, input: { score: TicketScore; comment?: string }, now: Date): { changed: boolean } {
  if (t.status !== 'solved')
    throw new TicketStateError(
      t.status === 'closed' ? 'the ticket is closed: its rating can no longer change' : 'the ticket is not solved yet',
      { status: t.status },
    );
  const changed = !!t.rating;
  t.rating = { score: input.score, ...(input.comment ? { comment: input.comment } : {}), at: now.toISOString() };
  return { changed };
}

/** Solved and untouched for `closeDays`: the close job closes it. */
export function isDueToClose(t: Pick<Ticket, 'status' | 'updatedAt'>, now: Date, closeDays: number): boolean {
  return t.status === 'solved' && Date.parse(t.updatedAt) <= now.getTime() - closeDays * 86_400_000;
}

/** When the close job stops looking: tickets last changed before this are due. */
export function closeCutoff(now: Date, closeDays: number): string {
  return new Date(now.getTime() - closeDays * 86_400_000 + 1).toISOString();
}

/** The messages a customer may see: never an internal note. */
export function publicMessages(t: Pick<Ticket, 'messages'>): TicketMessage[] {
  return (t.messages ?? []).filter((m) => !m.internal);
}

function push(t: Ticket, m: Omit<TicketMessage, 'id' | 'at'>, now: Date): TicketMessage {
  const message: TicketMessage = { id: randomUUID(), ...m, at: now.toISOString() };
  if (!message.author) delete message.author;
  (t.messages ??= []).push(message);
  return message;
}

function elapsed(t: Pick<Ticket, 'createdAt'>, now: Date): number {
  return Math.max(0, now.getTime() - Date.parse(t.createdAt));
}
