import { ActionTypes, CardFactory, MessageFactory, type Activity, type CardAction } from 'botbuilder';
import type { AnswerCard, Suggestion } from '../core/contracts/api.ts';
import type { BotStrings } from './strings.ts';

/**
 * Replies as Bot Framework activities. Hero cards render in Teams, Web Chat
 * and the Emulator alike; every button posts its label back as text (imBack),
 * the one kind Teams supports in suggested actions.
 */

const reply = (title: string): CardAction => ({ type: ActionTypes.ImBack, title, value: title });

/** The canned answer: title, answer, a link to the article (public ones have a page), and "did it help?". */
export function answerReply(
  answer: AnswerCard,
  s: BotStrings,
  publicUrl: string,
  otherLanguage: boolean,
): Partial<Activity> {
  const open = answer.url
    ? [{ type: ActionTypes.OpenUrl, title: s.openArticle, value: `${publicUrl}${answer.url}` }]
    : [];
  const card = CardFactory.heroCard(answer.title, answer.text, undefined, open);
  const activity = MessageFactory.attachment(card, otherLanguage ? s.otherLanguage : undefined);
  activity.suggestedActions = { to: [], actions: [reply(s.solved), reply(s.notSolved)] };
  return activity;
}

/** Articles to choose from (clarify, or the next ones after a "No"); a button posts the article's title back. */
export function choicesReply(prompt: string, suggestions: Suggestion[], s: BotStrings): Partial<Activity> {
  const card = CardFactory.heroCard('', prompt, undefined, [
    ...suggestions.map((x) => reply(x.title)),
    reply(s.noneOfThese),
  ]);
  return MessageFactory.attachment(card);
}

/** A sentence with quick replies. */
export function promptReply(text: string, buttons: string[] = []): Partial<Activity> {
  return buttons.length ? MessageFactory.suggestedActions(buttons.map(reply), text) : MessageFactory.text(text);
}
