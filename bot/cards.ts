import { ActionTypes, CardFactory, MessageFactory, type Activity, type CardAction } from 'botbuilder';
import type { DialogReply } from '../core/dialog/types.ts';
import type { DialogStrings } from '../core/dialog/strings.ts';

/**
 * Replies as Bot Framework activities. Hero cards render in Teams, Web Chat
 * and the Emulator alike; every button posts its label back as text (imBack),
 * the one kind Teams supports in suggested actions.
 */

const reply = (title: string): CardAction => ({ type: ActionTypes.ImBack, title, value: title });

/** One reply of the conversation (core/commands/converse.ts) as an activity. */
export function activityOf(r: DialogReply, s: DialogStrings, publicUrl: string): Partial<Activity> {
  switch (r.kind) {
    case 'answer': {
      // The answer card: title, answer, a link to the article (public ones have a page), and "did it help?" as buttons.
      const open = r.answer.url
        ? [{ type: ActionTypes.OpenUrl, title: s.openArticle, value: `${publicUrl}${r.answer.url}` }]
        : [];
      const card = CardFactory.heroCard(r.answer.title, r.answer.text, undefined, open);
      const activity = MessageFactory.attachment(card, r.notice);
      activity.suggestedActions = { to: [], actions: r.buttons.map((b) => reply(b.label)) };
      return activity;
    }
    case 'choices': {
      // Articles to choose from (clarify, or the next ones after a "No"); a button posts the article's title back.
      const card = CardFactory.heroCard('', r.prompt, undefined, [
        ...r.options.map((x) => reply(x.title)),
        reply(r.none),
      ]);
      return MessageFactory.attachment(card);
    }
    case 'text':
      return promptReply(
        r.text,
        r.buttons.map((b) => b.label),
      );
  }
}

/** A sentence with quick replies. */
export function promptReply(text: string, buttons: string[] = []): Partial<Activity> {
  return buttons.length ? MessageFactory.suggestedActions(buttons.map(reply), text) : MessageFactory.text(text);
}
