import { expect } from 'chai';
import { countTickets } from '../../core/commands/countTickets.ts';
import type { TicketDraft } from '../../core/storage/ports.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';

const draft = (over: Partial<TicketDraft> = {}): TicketDraft => ({
  channel: 'widget',
  lang: 'en',
  email: 'ana@example.com',
  subject: 'My card was not delivered',
  reason: 'user',
  transcript: [],
  shown: [],
  ...over,
});

/** The agent inbox's filters: by assignee (someone, no one), by words, and counts per status under them. */
describeStorageContract('TicketRepository: the inbox filters', (pair) => {
  it('filters by assignee exactly, or by no assignee at all (null), on either instance', async () => {
    const { a, b } = pair();
    const marta = await a.tickets.create(draft());
    const luis = await a.tickets.create(draft());
    const nobody = await a.tickets.create(draft());
    const unassigned = await a.tickets.create(draft());
    await a.tickets.update(marta.id, (t) => void (t.assignee = 'Marta'));
    await b.tickets.update(luis.id, (t) => void (t.assignee = 'Luis'));
    // Assigned, then unassigned again: counts as no one's.
    await a.tickets.update(unassigned.id, (t) => void (t.assignee = 'Luis'));
    await b.tickets.update(unassigned.id, (t) => void (t.assignee = undefined));
    const ids = async (q: Parameters<typeof a.tickets.list>[0]) => (await b.tickets.list(q)).tickets.map((t) => t.id);
    expect(await ids({ assignee: 'Marta' })).to.deep.equal([marta.id]);
    expect(await ids({ assignee: 'marta' }), 'a name is matched as written').to.deep.equal([]);
    expect(await ids({ assignee: null }))
      .to.have.members([unassigned.id, nobody.id])
      .and.have.length(2);
    expect((await a.tickets.list({ assignee: 'Luis' })).total).to.equal(1);
  });

  it('finds words in the id, subject, description, failed question, e-mail and name, ignoring case and accents', async () => {
    const { a, b } = pair();
    const password = await a.tickets.create(draft({ lang: 'es', subject: 'No recuerdo la CONTRASEÑA' }));
    const invoice = await a.tickets.create(draft({ description: 'The invoice for March is missing' }));
    const failed = await a.tickets.create(draft({ failedQuestion: '¿dónde aparco la bici?' }));
    const person = await a.tickets.create(draft({ email: 'jose.nunez@example.com', name: 'José Núñez' }));
    await a.tickets.create(draft({ subject: 'Something else' }));
    const cases: Array<{ text: string; expects: string[] }> = [
      { text: 'contrasena', expects: [password.id] },
      { text: 'Contraseña', expects: [password.id] },
      { text: 'INVOICE  for', expects: [invoice.id] },
      { text: 'donde aparco', expects: [failed.id] },
      { text: 'núñez', expects: [person.id] },
      { text: 'jose.nunez@', expects: [person.id] },
      { text: invoice.id.toLowerCase(), expects: [invoice.id] },
      // Characters LIKE would read as wildcards are plain text here.
      { text: '%', expects: [] },
      { text: 'card_was', expects: [] },
    ];
    for (const { text, expects } of cases)
      expect(
        (await b.tickets.list({ text })).tickets.map((t) => t.id),
        text,
      ).to.deep.equal(expects);
  });

  it('a changed field is searched as it is now: an e-mail blanked by an erasure no longer finds the ticket', async () => {
    const { a, b } = pair();
    const t = await a.tickets.create(draft({ email: 'erase.me@example.com' }));
    expect((await b.tickets.list({ text: 'erase.me' })).total).to.equal(1);
    await b.tickets.update(t.id, (x) => void (x.email = ''));
    expect((await a.tickets.list({ text: 'erase.me' })).total).to.equal(0);
  });

  it('the thread is not searched: a word only a reply holds finds nothing', async () => {
    const t = await pair().a.tickets.create(draft());
    await pair().a.tickets.update(t.id, (x) => {
      x.messages.push({ id: 'm1', from: 'agent', text: 'zanahoria', internal: false, at: x.createdAt });
    });
    expect((await pair().b.tickets.list({ text: 'zanahoria' })).total).to.equal(0);
  });

  it('counts per status under the other filters (countTickets)', async () => {
    const { a, b } = pair();
    const made = [];
    for (const subject of ['VPN down', 'VPN slow', 'VPN again', 'Printer jam'])
      made.push(await a.tickets.create(draft({ subject })));
    await a.tickets.update(made[1]!.id, (t) => void (t.status = 'pending'));
    await a.tickets.update(made[2]!.id, (t) => void ((t.status = 'solved'), (t.assignee = 'Marta')));
    await a.tickets.update(made[3]!.id, (t) => void (t.status = 'solved'));
    expect(await countTickets({ tickets: b.tickets }, { text: 'vpn' })).to.deep.equal({
      counts: { open: 1, pending: 1, on_hold: 0, solved: 1, closed: 0 },
      total: 3,
    });
    expect(await countTickets({ tickets: b.tickets }, { assignee: null })).to.deep.equal({
      counts: { open: 1, pending: 1, on_hold: 0, solved: 1, closed: 0 },
      total: 3,
    });
    expect((await countTickets({ tickets: b.tickets }, {})).counts.solved).to.equal(2);
  });
});
