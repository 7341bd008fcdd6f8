import type pg from 'pg';
import { TICKET_FACTS_VERSION, ticketFacts, type TicketFacts } from '../../reports/ticketFacts.ts';
import { copy, TicketColumns } from '../../reports/ticketColumns.ts';
import { SOLVED } from '../../sla/computeSla.ts';
import type { Ticket } from '../../tickets/types.ts';
import { UnavailableError } from '../../errors.ts';
import { log } from '../../logger.ts';
import { lastMs, storeTicketFacts, type PackedFacts } from './packedTicketFacts.ts';
import { transaction } from './transaction.ts';

/** Facts (re)made per statement: one round trip each. */
const BATCH = 1000;
/** More facts missing than this: fetched with the period's own condition, not by id (an id list that long costs the database more than the scan). */
const BY_PERIOD = 5000;
/** Slices of the period fetched one after another, two at a time: the database makes the next while this process decodes one. */
const SLICES = 8;
/** What a PostgreSQL-backed server decodes in the background at start: the dashboard's widest period. */
export const WARM_DAYS = 180;
const DAY = 86_400_000;
/**
 * The facts of a slice as a few JSON texts of [version, last_ms, facts,
 * version, …], one per day of creation: one JSON.parse per few hundred
 * tickets. Rows (a value per column per ticket) cost this process twice the
 * CPU, and one json_agg of the whole period costs the database seconds to
 * build a single text of ~50 MB.
 */
const CHUNKS = `SELECT '[' || string_agg('"' || row_version || '",' || last_ms || ',' || facts::text, ',') || ']' AS chunk
                  FROM ticket_facts WHERE %WHERE% GROUP BY floor(created_ms / ${DAY})`;

/** What receives each ticket's facts fetched: the row version they were made from, and their last_ms. */
type Take = (version: string, stored: Stored, lastMs: number) => void;
/** A ticket's facts as a row holds them: packed (migration 0017), or keyed as an older instance may still write. */
type Stored = PackedFacts | TicketFacts;
const idOf = (s: Stored) => (Array.isArray(s) ? s[0] : s.id);

/**
 * The tickets report's facts of the tickets a period can count (migrations
 * 0011 and 0015), for one instance. Before each read, the facts of the
 * tickets written since (queued by a trigger in ticket_facts_due, whichever
 * instance or path wrote them) are made again from their documents. Then
 * the period's ticket ids and row versions are listed, and only facts this
 * process has not decoded at that version are fetched: decoded facts stay
 * in memory, as the embedded store keeps them per ticket, so a report
 * reads a few bytes per unchanged ticket instead of parsing its facts again.
 * A process's first read, or one missing many facts, fetches the period's
 * facts in slices instead, two in flight, as day-sized JSON texts (CHUNKS);
 * a server warms the last WARM_DAYS in the background at start (warm()).
 * The rule that derives facts stays in one place (ticketFacts), in this process.
 */
export class PgTicketFacts {
  /**
   * The facts this process decoded, as columns (one slot per ticket, slotOf
   * its id), and per slot the ticket row version (xmin) they were made from,
   * their last_ms and the read that last listed them (what tells a deleted
   * ticket's facts from a period's others): no object per ticket to keep.
   */
  private readonly table = new TicketColumns();
  private readonly slotOf = new Map<string, number>();
  private readonly free: number[] = [];
  /** Slots swept while another read may still hold them: freed once no read is in flight. */
  private released: number[] = [];
  /** Reads in flight (a warm-up's included). */
  private active = 0;
  private version = new Float64Array(1024);
  private lastMs = new Float64Array(1024);
  private seen = new Uint32Array(1024);
  private reads = 0;
  /** Whether this process has queued the facts another code version made (TICKET_FACTS_VERSION differs). */
  private versionChecked = false;
  /** The warm-up in flight, if any: a read waits for it rather than fetching the same facts again. */
  private warming?: Promise<void>;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    /** More facts missing than this: fetched with the period's own condition (BY_PERIOD; lower in specs). */
    private readonly byPeriodOver = BY_PERIOD,
  ) {}

  /**
   * Decode the facts of the last WARM_DAYS in the background, so a server's
   * first report does not pay for them. Never throws: a failure is logged,
   * and the next report fetches what is missing.
   */
  warm(now = Date.now()): void {
    if (this.warming || this.closed) return;
    const from = new Date(now - WARM_DAYS * DAY).toISOString();
    const to = new Date(now + DAY).toISOString();
    const started = performance.now();
    this.warming = (async () => {
      // After the caller's own work (a server starts listening first).
      await new Promise((resolve) => setImmediate(resolve));
      if (this.closed) return;
      const facts = await this.readNow(from, to);
      if (!this.closed)
        log.info('reports', 'tickets report facts decoded in the background', {
          tickets: facts.size,
          ms: Math.round(performance.now() - started),
        });
    })()
      .catch((error: unknown) => {
        if (!this.closed) log.warn('reports', 'could not decode the tickets report facts in the background', { error });
      })
      .finally(() => (this.warming = undefined));
  }

  /** Stop a warm-up between two slices and wait for it: the pool can then be ended. */
  async close(): Promise<void> {
    this.closed = true;
    await this.warming;
  }

  /** The facts of every ticket created before `to` and active since `from` or still unsolved. */
  async read(from: string, to: string): Promise<TicketColumns> {
    await this.warming;
    return this.readNow(from, to);
  }

  private async readNow(from: string, to: string): Promise<TicketColumns> {
    this.active++;
    try {
      return await this.readNowInner(from, to);
    } finally {
      this.active--;
    }
  }

  private async readNowInner(from: string, to: string): Promise<TicketColumns> {
    await this.refresh();
    const fromMs = Date.parse(from);
    const toMs = Date.parse(to);
    const read = ++this.reads;
    // Nothing decoded yet (a new process): the period's facts in one pass, without listing its ids first.
    if (!this.slotOf.size) {
      const out: number[] = [];
      await this.fetchPeriod(fromMs, toMs, (version, facts, last) => out.push(this.keep(version, facts, read, last)));
      return this.handOut(out);
    }
    // Two JSON arrays in one text value: 140,000 ids and versions parse in milliseconds, any id spelling.
    const { rows } = await this.pool.query<{ list: string }>(
      `SELECT json_build_object('ids', coalesce(json_agg(id), '[]'), 'versions', coalesce(json_agg(row_version), '[]'))::text AS list
         FROM ticket_facts WHERE created_ms < $2 AND (last_ms >= $1 OR unsolved)`,
      [fromMs, toMs],
    );
    const { ids, versions } = JSON.parse(rows[0]!.list) as { ids: string[]; versions: string[] };
    const out: number[] = [];
    const missing: string[] = [];
    // Marked and swept with no await between, so two reports at once never sweep each other's.
    for (let i = 0; i < ids.length; i++) {
      const slot = this.slotOf.get(ids[i]!);
      if (slot !== undefined) this.seen[slot] = read;
      if (slot !== undefined && this.version[slot] === Number(versions[i])) out.push(slot);
      else missing.push(ids[i]!);
    }
    this.sweep(read, fromMs, toMs);
    await this.fetchMissing(missing, fromMs, toMs, (version, facts, last) =>
      out.push(this.keep(version, facts, read, last)),
    );
    return this.handOut(out);
  }

  /**
   * The given slots as a table of the report's own: a later read rewriting
   * a slot (or compacting the history) never changes a table handed out.
   */
  private handOut(slots: number[]): TicketColumns {
    const out = this.table.select(slots);
    // Another read in flight may hold slots this one swept, or rows whose changes compact() would move.
    if (this.active === 1) {
      for (const slot of this.released) this.free.push(slot);
      this.released = [];
      if (this.table.histWasted > this.table.histUsed / 2) this.table.compact();
    }
    return out;
  }

  /** Make the facts of every queued ticket; resolves with how many were made. */
  async refresh(): Promise<number> {
    if (!this.versionChecked) {
      await this.pool.query(
        `INSERT INTO ticket_facts_due (id) SELECT id FROM ticket_facts WHERE facts_version <> $1 ORDER BY id
         ON CONFLICT (id) DO UPDATE SET n = ticket_facts_due.n + 1`,
        [TICKET_FACTS_VERSION],
      );
      this.versionChecked = true;
    }
    let made = 0;
    // In id order, from where the last batch stopped: a ticket another instance holds is left for the next report.
    let after = '';
    for (;;) {
      const batch = await transaction(this.pool, (client) => this.remake(client, after));
      if (!batch.taken) return made;
      after = batch.last;
      made += batch.made;
      if (batch.taken < BATCH) return made;
    }
  }

  /**
   * One batch of queued tickets, in one transaction holding their queue rows:
   * a write to one of them cannot commit before this does (its trigger waits
   * for the queue row, then queues it again), and another instance skips
   * them, so the facts stored are those of the ticket as it stands. The ticket
   * rows are held for key share too (what the facts' foreign key takes), so a
   * deletion waits, or is waited for, never both.
   */
  private async remake(client: pg.PoolClient, after: string): Promise<{ taken: number; made: number; last: string }> {
    // A queued ticket whose facts already match its row is only taken off the queue.
    const { rows } = await client.query<{ id: string; v: string; doc: Ticket | null }>(
      `SELECT d.id, t.xmin::text AS v,
              CASE WHEN f.row_version = t.xmin::text AND f.facts_version = $1 THEN NULL ELSE t.doc END AS doc
         FROM ticket_facts_due d JOIN tickets t ON t.id = d.id LEFT JOIN ticket_facts f ON f.id = d.id
        WHERE d.id > $2 ORDER BY d.id LIMIT ${BATCH}
          FOR UPDATE OF d SKIP LOCKED FOR KEY SHARE OF t SKIP LOCKED`,
      [TICKET_FACTS_VERSION, after],
    );
    if (!rows.length) return { taken: 0, made: 0, last: after };
    const stale = rows.filter((r) => r.doc);
    const facts = stale.map((r) => ticketFacts(r.doc!));
    const versions = stale.map((r) => r.v);
    if (facts.length) await storeTicketFacts(client, facts, versions);
    await client.query('DELETE FROM ticket_facts_due WHERE id = ANY($1)', [rows.map((r) => r.id)]);
    // Facts just made are this process's too: no need to read back what it wrote.
    facts.forEach((f, i) => this.keep(versions[i]!, f, this.reads, lastMs(f)));
    return { taken: rows.length, made: facts.length, last: rows[rows.length - 1]!.id };
  }

  /** Hand `take` the stored facts of the given tickets of the period (a ticket deleted meanwhile is absent). */
  private async fetchMissing(ids: string[], fromMs: number, toMs: number, take: Take): Promise<void> {
    if (!ids.length) return;
    if (ids.length <= this.byPeriodOver) return this.chunks('id = ANY($1)', [ids], take);
    // A listed ticket stays in the period until it is deleted: last_ms only grows, and it grows when a ticket is solved.
    const wanted = new Set(ids);
    await this.fetchPeriod(fromMs, toMs, (version, facts, last) => {
      if (wanted.has(idOf(facts))) take(version, facts, last);
    });
  }

  /**
   * Hand `take` the facts of every ticket of the period, in slices of
   * creation time (the tickets created before the period and still counted
   * in it, then equal parts of the period up to now), two queries in flight
   * at a time. A close() stops it between two slices.
   */
  private async fetchPeriod(fromMs: number, toMs: number, take: Take): Promise<void> {
    const end = Math.max(fromMs, Math.min(toMs, Date.now() + DAY));
    const cuts = [-Infinity, ...Array.from({ length: SLICES }, (_, i) => fromMs + ((end - fromMs) * i) / SLICES), toMs];
    const slice = (i: number) =>
      this.pool.query<[string]>({
        text: CHUNKS.replace(
          '%WHERE%',
          'created_ms >= $1 AND created_ms < $2 AND created_ms < $4 AND (last_ms >= $3 OR unsolved)',
        ),
        values: [cuts[i], cuts[i + 1], fromMs, toMs],
        rowMode: 'array',
      });
    let next = slice(0);
    for (let i = 0; i < cuts.length - 1; i++) {
      const current = next;
      if (i + 1 < cuts.length - 1 && !this.closed) {
        next = slice(i + 1);
        // Awaited on the next turn: if this slice fails first, that one's failure is not an unhandled rejection.
        next.catch(() => undefined);
      }
      decode((await current).rows, take);
      if (this.closed) throw new UnavailableError('the tickets store was closed during a read of its report facts');
    }
  }

  /** Hand `take` the facts WHERE `where` holds. */
  private async chunks(where: string, values: unknown[], take: Take): Promise<void> {
    const { rows } = await this.pool.query<[string]>({
      text: CHUNKS.replace('%WHERE%', where),
      values,
      rowMode: 'array',
    });
    decode(rows, take);
  }

  /** Keep one ticket's facts; returns its slot. */
  private keep(version: string, facts: Stored, seen: number, last: number): number {
    const id = idOf(facts);
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.table.size;
      this.slotOf.set(id, slot);
    }
    // Packed facts go straight into the columns: no TicketFacts object made to be copied and dropped.
    if (Array.isArray(facts)) this.table.setPacked(slot, facts);
    else this.table.set(slot, facts);
    if (slot >= this.version.length) {
      const grown = Math.max(slot + 1, this.version.length * 2);
      this.version = copy(new Float64Array(grown), this.version);
      this.lastMs = copy(new Float64Array(grown), this.lastMs);
      this.seen = copy(new Uint32Array(grown), this.seen);
    }
    // xmin as text is a 32-bit transaction id: a number compares without keeping a string per ticket.
    this.version[slot] = Number(version);
    this.lastMs[slot] = last;
    this.seen[slot] = seen;
    return slot;
  }

  /**
   * Forget the facts the period's listing should have held but did not: their
   * ticket was deleted (or changed beyond the period, and is fetched anew when
   * a period holds it again). The same test as the listing's WHERE.
   */
  private sweep(read: number, fromMs: number, toMs: number): void {
    const { createdMs, status } = this.table;
    for (const [id, slot] of this.slotOf)
      if (
        this.seen[slot] !== read &&
        createdMs[slot]! < toMs &&
        (this.lastMs[slot]! >= fromMs || status[slot]! < SOLVED)
      ) {
        this.slotOf.delete(id);
        this.table.clear(slot);
        this.released.push(slot);
      }
  }
}

/** Hand each ticket of CHUNKS' rows to `take`. */
function decode(rows: Array<[string]>, take: Take): void {
  for (const [chunk] of rows) {
    const triples = JSON.parse(chunk) as unknown[];
    for (let i = 0; i < triples.length; i += 3)
      take(triples[i] as string, triples[i + 2] as Stored, triples[i + 1] as number);
  }
}
