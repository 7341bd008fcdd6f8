import type { DeflectEvent } from '../events/types.ts';
import type { CsatFigures, EventStore, TicketRepository } from '../storage/ports.ts';
import { countCsat, type CountedCsat, type CsatQuery } from './csat.ts';

/**
 * The CSAT counts of the embedded stores: the period's questions and
 * feedback streamed from the log, every ticket read, counted in process
 * (countCsat). PostgreSQL counts the same in SQL (PgReportFigures.csat).
 */
export class ScannedCsat implements CsatFigures {
  constructor(private readonly stores: { tickets: TicketRepository; events: EventStore }) {}

  async csat(query: CsatQuery): Promise<CountedCsat> {
    const events: DeflectEvent[] = [];
    for await (const e of this.stores.events.read(query.period.from, query.period.to))
      if (e.type === 'question' || e.type === 'feedback') events.push(e);
    return countCsat(await this.stores.tickets.all(), events, query);
  }
}
