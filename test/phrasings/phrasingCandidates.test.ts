import { expect } from 'chai';
import type { Article } from '../../core/articles/types.ts';
import type { DeflectEvent, NewEvent } from '../../core/events/types.ts';
import { phrasingCandidates } from '../../core/phrasings/phrasingCandidates.ts';
import { reportPhrasings } from '../../core/commands/reportPhrasings.ts';
import { articleMap, asked, judged, logWith, plus } from '../reports/builders.ts';

const T0 = '2026-11-02T09:00:00.000Z';
const at = (minutes: number) => plus(T0, 0, minutes * 60_000);

/** Events with ids, oldest first, as the log gives them. */
function log(list: NewEvent[]): DeflectEvent[] {
  return list.map((e, i) => ({ id: `e${i}`, ...e }) as DeflectEvent);
}

function solved(atTime: string, overrides: Partial<Extract<DeflectEvent, { type: 'solved' }>> = {}): NewEvent {
  return {
    type: 'solved',
    at: atTime,
    conversationId: 'c-t',
    channel: 'widget',
    lang: 'en',
    ticketId: 'T-000001',
    articleId: 'vpn-setup-en',
    questions: ['the tunnel will not come up'],
    ...overrides,
  } as NewEvent;
}

function candidatesOf(list: NewEvent[], articles: Map<string, Article> = articleMap()) {
  const r = phrasingCandidates(log(list), articles);
  return Object.fromEntries(
    r.articles.map((a) => [
      a.articleId,
      a.candidates.map((c) => ({ text: c.text, count: c.count, sources: c.sources })),
    ]),
  );
}

describe('phrasing candidates: the questions an article resolved', () => {
  it('an answer the user said helped makes its question a candidate of that article', () => {
    const got = candidatesOf([asked(at(0), { question: 'cannot sign in anymore' }), judged(at(1), true)]);
    expect(got).to.deep.equal({
      'reset-password-en': [
        { text: 'cannot sign in anymore', count: 1, sources: { helpful: 1, picked: 0, ticket: 0 } },
      ],
    });
  });

  it('a pick from a clarify, then a "Yes", makes the original question (not the title) a candidate', () => {
    const got = candidatesOf([
      asked(at(0), { question: 'vpn broken', action: 'clarify' }),
      asked(at(1), {
        question: 'vpn-setup-en',
        selected: true,
        action: 'answer',
        articleId: 'vpn-setup-en',
        shown: [{ articleId: 'vpn-setup-en', confidence: 0.8 }],
      }),
      judged(at(2), true, { articleId: 'vpn-setup-en' }),
    ]);
    expect(got).to.deep.equal({
      'vpn-setup-en': [{ text: 'vpn broken', count: 1, sources: { helpful: 0, picked: 1, ticket: 0 } }],
    });
  });

  it('a "No", then a "Yes" on a suggestion, credits the suggestion only', () => {
    const got = candidatesOf([
      asked(at(0), {
        question: 'my vpn drops',
        articleId: 'vpn-setup-en',
        shown: [{ articleId: 'vpn-setup-en', confidence: 0.9 }],
      }),
      judged(at(1), false, {
        articleId: 'vpn-setup-en',
        next: 'suggestions',
        shown: [{ articleId: 'vpn-not-connecting-en', confidence: 0.6 }],
      }),
      asked(at(2), {
        question: 'vpn-not-connecting-en',
        selected: true,
        articleId: 'vpn-not-connecting-en',
        shown: [{ articleId: 'vpn-not-connecting-en', confidence: 0.6 }],
      }),
      judged(at(3), true, { articleId: 'vpn-not-connecting-en' }),
    ]);
    expect(got).to.deep.equal({
      'vpn-not-connecting-en': [{ text: 'my vpn drops', count: 1, sources: { helpful: 0, picked: 1, ticket: 0 } }],
    });
  });

  const notCandidates: { description: string; events: NewEvent[] }[] = [
    { description: 'a "No"', events: [asked(at(0), { question: 'cannot sign in anymore' }), judged(at(1), false)] },
    { description: 'an answer without feedback', events: [asked(at(0), { question: 'cannot sign in anymore' })] },
    {
      description: 'a "Yes" then a "No" on the same article (the last verdict counts)',
      events: [asked(at(0), { question: 'cannot sign in anymore' }), judged(at(1), true), judged(at(2), false)],
    },
    {
      description: 'a "Yes" on an article shown for an earlier question',
      events: [
        asked(at(0), { question: 'reset it' }),
        asked(at(1), {
          question: 'and the printer?',
          articleId: 'vpn-setup-en',
          shown: [{ articleId: 'vpn-setup-en', confidence: 0.9 }],
        }),
        judged(at(2), true, { articleId: 'reset-password-en' }),
      ],
    },
    {
      description: 'a "Yes" in another conversation',
      events: [asked(at(0), { question: 'cannot sign in anymore' }), judged(at(1), true, { conversationId: 'c-2' })],
    },
    {
      description: 'a question the article already lists, however it is written',
      events: [asked(at(0), { question: 'I FORGOT my password!' }), judged(at(1), true)],
    },
  ];
  for (const c of notCandidates) {
    it(`${c.description} makes no candidate`, () => {
      const articles = articleMap();
      articles.get('reset-password-en')!.questions = ['I forgot my password'];
      expect(candidatesOf(c.events, articles)).to.deep.equal({});
    });
  }

  it("a ticket solved with an article makes the ticket's failed questions candidates (the last naming counts)", () => {
    const got = candidatesOf([
      solved(at(0), { articleId: 'reset-password-en' }),
      solved(at(5), { articleId: 'vpn-setup-en', questions: ['the tunnel will not come up', 'vpn error 809'] }),
    ]);
    expect(got).to.deep.equal({
      'vpn-setup-en': [
        { text: 'the tunnel will not come up', count: 1, sources: { helpful: 0, picked: 0, ticket: 1 } },
        { text: 'vpn error 809', count: 1, sources: { helpful: 0, picked: 0, ticket: 1 } },
      ],
    });
  });

  it("a question in the other language goes to the article's translation in that language, when there is one", () => {
    const articles = articleMap();
    const es = {
      ...articles.get('reset-password-en')!,
      id: 'restablecer-contrasena',
      file: 'restablecer-contrasena.md',
      lang: 'es' as const,
      translations: { en: 'reset-password-en' },
    };
    articles.set(es.id, es);
    articles.get('reset-password-en')!.translations = { es: es.id };
    const got = candidatesOf(
      [
        asked(at(0), { question: 'no puedo entrar a mi cuenta' }),
        judged(at(1), true),
        asked(at(2), {
          question: 'la VPN no conecta desde casa',
          conversationId: 'b',
          articleId: 'vpn-setup-en',
          shown: [{ articleId: 'vpn-setup-en', confidence: 0.9 }],
        }),
        judged(at(3), true, { conversationId: 'b', articleId: 'vpn-setup-en' }),
      ],
      articles,
    );
    expect(Object.fromEntries(Object.entries(got).map(([id, list]) => [id, list.map((c) => c.text)]))).to.deep.equal({
      'restablecer-contrasena': ['no puedo entrar a mi cuenta'],
      'vpn-setup-en': ['la VPN no conecta desde casa'],
    });
  });

  it('groups wordings that differ only in case, accents and punctuation, counting each source', () => {
    const got = candidatesOf([
      asked(at(0), { question: 'Cannot sign in anymore', conversationId: 'a' }),
      judged(at(1), true, { conversationId: 'a' }),
      asked(at(2), { question: 'cannot sign in anymore?', conversationId: 'b' }),
      judged(at(3), true, { conversationId: 'b' }),
      solved(at(4), { articleId: 'reset-password-en', questions: ['cannot sign-in anymore'] }),
    ]);
    expect(got['reset-password-en']).to.have.length(1);
    expect(got['reset-password-en']![0]!.count).to.equal(3);
    expect(got['reset-password-en']![0]!.sources).to.deep.equal({ helpful: 2, picked: 0, ticket: 1 });
  });

  it('strips personal data, and drops a question made only of it', () => {
    const r = phrasingCandidates(
      log([
        asked(at(0), {
          question: 'Maria here, my email is maria@example.com and I cannot sign in',
          user: { id: 'u1', name: 'María Pérez' },
        }),
        judged(at(1), true),
        solved(at(2), { articleId: 'reset-password-en', questions: ['+34 600 123 456'] }),
      ]),
      articleMap(),
    );
    expect(r.articles.map((a) => a.candidates.map((c) => c.text))).to.deep.equal([['here, and I cannot sign in']]);
    expect(r.droppedPersonal).to.equal(1);
    expect(JSON.stringify(r)).not.to.match(/maria|600/i);
  });

  it('offers only wordings resolved at least --min-count times, and forgets articles no longer in the KB', () => {
    const list = [
      asked(at(0), { question: 'cannot sign in anymore' }),
      judged(at(1), true),
      asked(at(2), { question: 'login fails', conversationId: 'b' }),
      judged(at(3), true, { conversationId: 'b' }),
      asked(at(4), { question: 'login fails', conversationId: 'c' }),
      judged(at(5), true, { conversationId: 'c' }),
      solved(at(6), { articleId: 'gone-article' }),
    ];
    const r = phrasingCandidates(log(list), articleMap(), { minCount: 2 });
    expect(r.articles.map((a) => [a.articleId, a.candidates.map((c) => [c.text, c.count])])).to.deep.equal([
      ['reset-password-en', [['login fails', 2]]],
    ]);
  });

  it('reads a period of the event log', async () => {
    const fx = await logWith(
      [
        asked(at(0), { question: 'cannot sign in anymore' }),
        judged(at(1), true),
        asked(plus(T0, 3), { question: 'login fails', conversationId: 'b' }),
        judged(plus(T0, 3, 1000), true, { conversationId: 'b' }),
      ],
      { now: plus(T0, 5) },
    );
    try {
      const articles = articleMap();
      const r = await reportPhrasings(
        { events: fx.events, index: { get: () => ({ articles }) } },
        { from: '2026-11-04', to: '2026-11-06', now: Date.parse(plus(T0, 5)) },
      );
      expect(r.articles.flatMap((a) => a.candidates.map((c) => c.text))).to.deep.equal(['login fails']);
      expect(r.from).to.equal('2026-11-04T00:00:00.000Z');
    } finally {
      fx.cleanup();
    }
  });
});
