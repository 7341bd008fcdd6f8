import { expect } from 'chai';
import type { TeamsChannelAccount } from 'botbuilder';
import { chat, heroOf, openCore, type ChatOptions } from './chat.ts';

/** BOT_INTERNAL_TENANTS: Teams is where staff ask, and IT's internal articles are for them. */
describe('Bot: internal articles for members of the organisation in Teams', function () {
  this.timeout(60_000);
  let h: Awaited<ReturnType<typeof openCore>>;
  before(async () => (h = await openCore()));
  after(async () => h?.close());

  const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const from = { id: '29:1marta', name: 'Marta Gil', aadObjectId: '5e0b4c7a-0000-4000-8000-00000000beef' };
  const INTERNAL_TITLE = 'Remotely lock or wipe a device (IT staff)';
  /** The Teams member list as the connector would answer it, counting the lookups. */
  const memberList = (userRole: string | undefined) => {
    const lookup = async () => {
      lookup.calls++;
      return userRole ? ({ id: from.id, name: from.name, userRole } as TeamsChannelAccount) : undefined;
    };
    lookup.calls = 0;
    return lookup;
  };
  const teams = (options: ChatOptions = {}) =>
    chat(h.core, {
      channelId: 'msteams',
      from,
      authenticated: true,
      internalTenants: [TENANT],
      members: memberList('user'),
      ...options,
    });
  const ask = async (c: ReturnType<typeof chat>, tenant = TENANT) =>
    heroOf(
      (
        await c.say({
          type: 'message',
          text: 'how do I remotely wipe a laptop',
          channelData: { tenant: { id: tenant } },
        })
      )[0],
    );

  it('answers a member of an internal tenant with the internal article, without an "Open article" link (it has no public page)', async () => {
    const card = await ask(teams());
    expect(card?.title).to.equal(INTERNAL_TITLE);
    expect(card?.text).to.match(/mdm\.northwind\.example/);
    expect(card?.buttons ?? []).to.deep.equal([]);
  });

  it('matches the tenant id whatever its case', async () => {
    expect((await ask(teams(), TENANT.toUpperCase()))?.title).to.equal(INTERNAL_TITLE);
  });

  for (const { who, options, tenant } of [
    { who: 'a guest of the tenant', options: { members: memberList('guest') } },
    { who: 'an anonymous meeting participant', options: { members: memberList('anonymous') } },
    { who: 'a member whose role cannot be looked up', options: { members: memberList(undefined) } },
    { who: 'a member of another tenant', options: {}, tenant: '00000000-1111-4222-8333-444444444444' },
    { who: 'anyone, when no tenant is configured', options: { internalTenants: [] } },
    { who: 'anyone, over unauthenticated requests (which can claim any tenant)', options: { authenticated: false } },
    { who: 'a Web Chat user', options: { channelId: 'webchat' } },
  ] as { who: string; options: ChatOptions; tenant?: string }[]) {
    it(`shows public articles only to ${who}`, async () => {
      expect((await ask(teams(options), tenant))?.title).to.not.equal(INTERNAL_TITLE);
    });
  }

  it('looks the role up again after a day: a member made a guest loses internal articles', async () => {
    let role = 'user';
    let lookups = 0;
    const members = async () => (lookups++, { id: from.id, userRole: role } as TeamsChannelAccount);
    let now = Date.parse('2026-12-01T09:00:00Z');
    const c = teams({
      members,
      now: () => now,
      from: { ...from, id: '29:1demoted', aadObjectId: '5e0b4c7a-0000-4000-8000-0000000000dd' },
    });
    expect((await ask(c))?.title).to.equal(INTERNAL_TITLE);
    role = 'guest';
    now += 23 * 3600_000;
    expect((await ask(c))?.title, 'within the day, the role is remembered').to.equal(INTERNAL_TITLE);
    expect(lookups).to.equal(1);
    now += 2 * 3600_000;
    expect((await ask(c))?.title).to.not.equal(INTERNAL_TITLE);
    expect(lookups).to.equal(2);
  });

  it('looks the role up once per user, and again after a lookup that failed', async () => {
    const members = memberList('user');
    const c = teams({ members });
    await ask(c);
    await ask(c);
    expect(members.calls).to.equal(1);

    let calls = 0;
    const flaky = async () => (++calls === 1 ? undefined : ({ id: from.id, userRole: 'user' } as TeamsChannelAccount));
    const d = teams({
      members: flaky,
      from: { ...from, id: '29:1other', aadObjectId: '5e0b4c7a-0000-4000-8000-00000000cafe' },
    });
    expect((await ask(d))?.title, 'while the role is unknown').to.not.equal(INTERNAL_TITLE);
    expect((await ask(d))?.title).to.equal(INTERNAL_TITLE);
    expect(calls).to.equal(2);
  });
});
