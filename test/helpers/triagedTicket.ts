import type { Core } from '../../core/createCore.ts';

/** A ticket the rules and defaults triaged, opened through `core`: what an agent then corrects in the inbox. Its id. */
export async function triagedTicket(core: Core, subject: string): Promise<string> {
  const t = await core.tickets.create({
    channel: 'widget',
    lang: 'en',
    email: 'dora@example.com',
    subject,
    reason: 'user',
    transcript: [],
    shown: [],
    tags: ['vpn'],
    type: 'question',
    priority: 'P4',
    team: 'desk',
    triage: { type: 'article', priority: 'default', team: 'rule', tags: 'rule' },
  });
  return t.id;
}
