import type { DialogButton, DialogReply } from '../core/dialog/types.ts';
import type { GraphMessage } from '../core/whatsapp/graphClient.ts';
import { ARTICLE_ROW } from './webhookPayload.ts';

/**
 * WhatsApp's limits on interactive messages: a body of 1,024 characters, at
 * most 3 reply buttons with titles of 20, a list of at most 10 rows with
 * titles of 24 and descriptions of 72, and a list button of 20.
 */
const BODY = 1024;
const TEXT = 4096;
const BUTTONS = 3;
const BUTTON_TITLE = 20;
const ROWS = 10;
const ROW_TITLE = 24;
const ROW_DESCRIPTION = 72;
const ROW_ID = 200;

/** At most `max` characters, cut at a word when one ends close enough, with an ellipsis when cut. */
export function fit(text: string, max: number): string {
  const chars = [...text.trim()];
  if (chars.length <= max) return chars.join('');
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/** One reply of the conversation as the WhatsApp messages that show it, in order. */
export function messagesOf(reply: DialogReply, to: string, publicUrl: string): GraphMessage[] {
  switch (reply.kind) {
    case 'answer': {
      // The canned answer as text (with the article's link when it has a public page), then "Did this help?" as buttons.
      const { answer } = reply;
      const link = answer.url ? `\n\n${publicUrl}${answer.url}` : '';
      const notice = reply.notice ? `${reply.notice}\n\n` : '';
      const body = `${notice}*${answer.title}*\n\n${answer.text}`;
      return [
        { to, type: 'text', text: { body: fit(body, TEXT - link.length) + link, preview_url: false } },
        buttonsMessage(to, reply.question, reply.buttons),
      ];
    }
    case 'choices': {
      // Clarify as a list message: one row per article (its id behind the row), and "None of these".
      const rows = [
        ...reply.options.slice(0, ROWS - 1).map((o) => ({
          id: `${ARTICLE_ROW}${o.articleId}`.slice(0, ROW_ID),
          title: fit(o.title, ROW_TITLE),
          ...([...o.title].length > ROW_TITLE ? { description: fit(o.title, ROW_DESCRIPTION) } : {}),
        })),
        { id: reply.none, title: fit(reply.none, ROW_TITLE) },
      ];
      return [
        {
          to,
          type: 'interactive',
          interactive: {
            type: 'list',
            body: { text: fit(reply.prompt, BODY) },
            action: { button: fit(reply.open, BUTTON_TITLE), sections: [{ rows }] },
          },
        },
      ];
    }
    case 'text':
      if (!reply.buttons.length || [...reply.text].length > BODY)
        return [
          { to, type: 'text', text: { body: fit(reply.text, TEXT) } },
          ...(reply.buttons.length ? [buttonsMessage(to, '…', reply.buttons)] : []),
        ];
      return [buttonsMessage(to, reply.text, reply.buttons)];
  }
}

/** Reply buttons: the id is the full label (what the conversation reads back), the title a short one that fits. */
function buttonsMessage(to: string, body: string, buttons: DialogButton[]): GraphMessage {
  return {
    to,
    type: 'interactive',
    interactive: {
      type: 'button',
      body: { text: fit(body, BODY) },
      action: {
        buttons: buttons.slice(0, BUTTONS).map((b) => ({
          type: 'reply',
          reply: { id: b.label, title: fit(b.short ?? b.label, BUTTON_TITLE) },
        })),
      },
    },
  };
}
