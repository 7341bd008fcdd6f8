import type { Strings } from '../i18n/strings.ts';
import type { WidgetConfig } from '../shared/types.ts';
import { icon, icons } from '../shared/dom.ts';
import { button, h } from './dom.ts';

export interface PanelParts {
  panel: HTMLElement;
  log: HTMLElement;
  chatView: HTMLElement;
  ticketView: HTMLElement;
  footer: HTMLElement;
  restart: HTMLButtonElement;
  human: HTMLButtonElement;
  /** "My requests": the customer's tickets (app/myRequests.ts). */
  mineView: HTMLElement;
  mine: HTMLButtonElement;
}

/** The panel's fixed frame: header, conversation log, slot for the composer, ticket view, footer. */
export function renderPanel(
  config: WidgetConfig,
  strings: Strings,
  on: { close(): void; restart(): void; human(): void; mine(): void },
): PanelParts {
  const logo = config.logo
    ? h('img', { class: 'd-logo', src: config.logo, alt: '' })
    : h('span', { class: 'd-logo d-logo-default' }, icon(icons.chat));
  const restart = button(icon(icons.restart), on.restart, {
    class: 'd-icon-btn',
    'aria-label': strings.restart,
    title: strings.restart,
  });
  const header = h(
    'header',
    { class: 'd-head' },
    logo,
    h(
      'div',
      { class: 'd-head-text' },
      h('h2', { id: 'deflect-title', class: 'd-title' }, config.title || strings.title),
      h('p', { class: 'd-subtitle' }, strings.subtitle),
    ),
    restart,
    button(icon(icons.close), on.close, { class: 'd-icon-btn', 'aria-label': strings.close, title: strings.close }),
  );
  const log = h('div', {
    class: 'd-log',
    role: 'log',
    'aria-live': 'polite',
    'aria-labelledby': 'deflect-title',
    tabindex: '0',
  });
  const chatView = h('div', { class: 'd-view d-chat' }, log);
  const ticketView = h(
    'div',
    { class: 'd-view d-ticket', hidden: true },
    h('h3', { class: 'd-view-title' }, strings.ticketTitle),
  );
  const human = button([icon(icons.person), strings.talkToPerson], on.human, { class: 'd-human' });
  const mineView = h('div', { class: 'd-view d-mine', hidden: true });
  const mine = button(strings.myRequests, on.mine, { class: 'd-mine-btn', hidden: true });
  const footer = h('footer', { class: 'd-foot' }, human, mine, h('span', { class: 'd-brand' }, strings.poweredBy));
  const panel = h(
    'section',
    {
      class: 'd-panel',
      id: 'deflect-panel',
      role: 'dialog',
      'aria-modal': 'true',
      'aria-labelledby': 'deflect-title',
      hidden: true,
    },
    header,
    chatView,
    ticketView,
    mineView,
    footer,
  );
  return { panel, log, chatView, ticketView, footer, restart, human, mineView, mine };
}
