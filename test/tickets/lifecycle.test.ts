import { expect } from 'chai';
import type { TicketStatus } from '../../core/contracts/api.ts';
import {
  addAgentMessage,
  addCustomerMessage,
  addSystemMessage,
  isDueToClose,
  moveTo,
  publicMessages,
  rate,
  TicketStateError,
} from '../../core/tickets/lifecycle.ts';
import { statusLabel } from '../../core/tickets/statusLabels.ts';
import type { Ticket } from '../../core/tickets/types.ts';

const OPENED = '2026-03-02T09:00:00.000Z';
/** A fake clock: minutes after the ticket was opened. */
const at = (minutes: number) => new Date(Date.parse(OPENED) + minutes * 60_000);

function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 'T-000001',
    status: 'open',
    createdAt: OPENED,
    updatedAt: OPENED,
    channel: 'widget',
    lang: 'es',
    email: 'ana@example.com',
    subject: 'No llega mi pedido',
    reason: 'user',
    transcript: [],
    shown: [],
    tags: [],
    notes: [],
    messages: [],
    ...overrides,
  };
}

describe('ticket lifecycle: statuses, messages and what they move', () => {
  describe('a public agent reply', () => {
    it('sets pending (waiting for the customer) and is the first response, timed from the opening', () => {
      const t = ticket();
      const step = addAgentMessage(t, { text: 'Lo miramos', author: 'luis' }, at(30));
      expect(t.status).to.equal('pending');
      expect(step.message).to.include({ from: 'agent', text: 'Lo miramos', internal: false, author: 'luis' });
      expect(step.message!.at).to.equal(at(30).toISOString());
      expect(step.milestones.firstResponse).to.deep.equal({ afterMs: 30 * 60_000, author: 'luis' });
      expect(t.firstResponseAt).to.equal(at(30).toISOString());
    });

    it('takes the status it is given instead of pending; solved is then a resolution', () => {
      const onHold = ticket();
      addAgentMessage(onHold, { text: 'Esperamos al transportista', status: 'on_hold' }, at(5));
      expect(onHold.status).to.equal('on_hold');
      const solved = ticket();
      const step = addAgentMessage(solved, { text: 'Hecho', status: 'solved', author: 'luis' }, at(60));
      expect(solved.status).to.equal('solved');
      expect(step.milestones.resolved).to.deep.equal({ afterMs: 60 * 60_000, author: 'luis' });
      expect(solved.solvedAt).to.equal(at(60).toISOString());
    });

    it('is the first response only once', () => {
      const t = ticket();
      addAgentMessage(t, { text: 'uno' }, at(1));
      expect(addAgentMessage(t, { text: 'dos' }, at(2)).milestones.firstResponse).to.equal(undefined);
      expect(t.firstResponseAt).to.equal(at(1).toISOString());
    });

    it('is refused on a closed ticket (409): the customer writing again opens a follow-up', () => {
      const t = ticket({ status: 'closed' });
      expect(() => addAgentMessage(t, { text: 'hola' }, at(1)))
        .to.throw(TicketStateError)
        .with.property('code', 'conflict');
      expect(t.messages).to.have.length(0);
    });
  });

  describe('neither a bot answer nor an internal note is a first response', () => {
    it('an internal note moves no status and records no first response', () => {
      const t = ticket();
      const step = addAgentMessage(t, { text: 'cliente VIP', internal: true }, at(3));
      expect(t.status).to.equal('open');
      expect(step.message!.internal).to.equal(true);
      expect(step.milestones).to.deep.equal({});
      expect(t.firstResponseAt).to.equal(undefined);
    });

    it('a system message (a bot answer) is public but not a response', () => {
      const t = ticket();
      addSystemMessage(t, 'Quizá te ayude este artículo', at(1));
      expect(t.firstResponseAt).to.equal(undefined);
      expect(addAgentMessage(t, { text: 'Hola' }, at(9)).milestones.firstResponse?.afterMs).to.equal(9 * 60_000);
    });

    it('an internal note may be added to a closed ticket; the customer never sees one', () => {
      const t = ticket({ status: 'closed' });
      addAgentMessage(t, { text: 'archivado', internal: true }, at(1));
      addSystemMessage(t, 'aviso', at(2));
      expect(publicMessages(t).map((m) => m.text)).to.deep.equal(['aviso']);
    });
  });

  describe('a customer message', () => {
    const cases: { from: TicketStatus; to: TicketStatus; reopen: boolean }[] = [
      { from: 'pending', to: 'open', reopen: true },
      { from: 'solved', to: 'open', reopen: true },
      { from: 'open', to: 'open', reopen: false },
      { from: 'on_hold', to: 'on_hold', reopen: false },
    ];
    for (const c of cases) {
      it(`on ${c.from} leaves it ${c.to}${c.reopen ? ', counted as a reopen' : ''}`, () => {
        const t = ticket({ status: c.from });
        const step = addCustomerMessage(t, 'sigue sin llegar', at(10));
        expect(t.status).to.equal(c.to);
        expect(step.message).to.include({ from: 'customer', internal: false, text: 'sigue sin llegar' });
        expect(t.reopens ?? 0).to.equal(c.reopen ? 1 : 0);
        expect(step.milestones.reopened).to.deep.equal(c.reopen ? { from: c.from } : undefined);
      });
    }

    it('on a closed ticket is refused: the command opens a follow-up ticket instead', () => {
      expect(() => addCustomerMessage(ticket({ status: 'closed' }), 'hola', at(1))).to.throw(TicketStateError);
    });

    it('counts every reopen, and each resolution after one is recorded again', () => {
      const t = ticket();
      addAgentMessage(t, { text: 'resuelto', status: 'solved' }, at(10));
      addCustomerMessage(t, 'no, sigue igual', at(20));
      const again = addAgentMessage(t, { text: 'ahora sí', status: 'solved' }, at(40));
      expect(t.reopens).to.equal(1);
      expect(again.milestones.resolved?.afterMs).to.equal(40 * 60_000);
      expect(t.solvedAt).to.equal(at(40).toISOString());
    });
  });

  describe('agents setting a status', () => {
    it('solving twice in a row is one resolution', () => {
      const t = ticket();
      expect(moveTo(t, 'solved', at(5)).milestones.resolved).to.not.equal(undefined);
      expect(moveTo(t, 'solved', at(6)).milestones.resolved).to.equal(undefined);
    });

    it('closed is final: it cannot be reopened by an agent', () => {
      const t = ticket();
      moveTo(t, 'closed', at(5));
      expect(t.closedAt).to.equal(at(5).toISOString());
      expect(() => moveTo(t, 'open', at(6))).to.throw(TicketStateError);
    });
  });

  describe('rating', () => {
    it('is refused before the ticket is solved and after it is closed', () => {
      for (const status of ['open', 'pending', 'on_hold', 'closed'] as const)
        expect(() => rate(ticket({ status }), { score: 'good' }, at(1)), status).to.throw(TicketStateError);
    });

    it('is given once solved and may be changed until closed', () => {
      const t = ticket({ status: 'solved' });
      expect(rate(t, { score: 'bad', comment: 'lento' }, at(1)).changed).to.equal(false);
      expect(rate(t, { score: 'good' }, at(2)).changed).to.equal(true);
      expect(t.rating).to.deep.equal({ score: 'good', at: at(2).toISOString() });
    });
  });

  describe('closing', () => {
    it('is due once the ticket has been solved and untouched for the configured days', () => {
      const solved = ticket({ status: 'solved', updatedAt: at(0).toISOString() });
      const fourDays = 4 * 24 * 60;
      expect(isDueToClose(solved, at(fourDays - 1), 4)).to.equal(false);
      expect(isDueToClose(solved, at(fourDays), 4)).to.equal(true);
      expect(isDueToClose({ ...solved, status: 'pending' }, at(fourDays * 10), 4)).to.equal(false);
    });
  });

  it('every status has a customer-facing label in Spanish and English', () => {
    for (const status of ['open', 'pending', 'on_hold', 'solved', 'closed'] as const) {
      expect(statusLabel(status, 'es')).to.be.a('string').and.not.equal(statusLabel(status, 'en'));
    }
    expect(statusLabel('pending', 'es')).to.equal('Esperando tu respuesta');
    expect(statusLabel('pending', 'en')).to.equal('Waiting for your reply');
  });
});
