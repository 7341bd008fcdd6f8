import type { UserIdentity } from '../../../core/contracts/api.ts';
import { adoptStyles, deepActiveElement, icon, icons } from '../shared/dom.ts';
import { readStored, storageKey } from '../shared/storage.ts';
import { trustedPolicy } from '../shared/trusted.ts';
import type { AppHandle, WidgetEvent, WidgetOptions } from '../shared/types.ts';
import css from './launcher.css';
import { loadApp } from './loadApp.ts';
import { resolveConfig } from './options.ts';
import { themeCss } from './theme.ts';

declare const __APP_VERSION__: string;

export interface WidgetInstance {
  open(focus: boolean): void;
  close(): void;
  toggle(): void;
  ask(text: string): void;
  setUser(user: UserIdentity | undefined): void;
  destroy(): void;
}

/**
 * Puts the launcher on the page inside a shadow root and loads the
 * conversation UI the first time it is needed.
 */
export function createWidget(options: WidgetOptions, emit: (e: WidgetEvent, d?: unknown) => void): WidgetInstance {
  const config = resolveConfig(options);
  const strings = config.launcher;
  const host = document.createElement('deflect-widget');
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, themeCss(options.color) + css);

  const wrap = div('d-root d-' + config.position);
  wrap.lang = config.lang;
  const container = div('d-slot');
  const status = div('d-status');
  status.setAttribute('role', 'status');
  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'd-launcher';
  launcher.setAttribute('aria-controls', 'deflect-panel');
  const label = document.createElement('span');
  label.className = 'd-label';
  label.textContent = config.label;
  const chat = icon(icons.chat);
  chat.classList.add('d-i-chat');
  const cross = icon(icons.close);
  cross.classList.add('d-i-close');
  launcher.append(chat, cross, label);
  wrap.append(container, status, launcher);
  root.appendChild(wrap);
  document.body.appendChild(host);

  let app: AppHandle | undefined;
  let isOpen = false;
  let destroyed = false;
  let user = options.user;
  let returnTo: Element | null = null;
  const queue: Array<(app: AppHandle) => void> = [];

  const render = () => {
    wrap.classList.toggle('d-open', isOpen);
    launcher.setAttribute('aria-expanded', String(isOpen));
    launcher.setAttribute('aria-label', isOpen ? strings.closeChat : strings.openChat);
  };

  const withApp = (fn: (app: AppHandle) => void) => {
    if (app) return fn(app);
    queue.push(fn);
    if (queue.length > 1) return;
    launcher.setAttribute('aria-busy', 'true');
    status.textContent = '';
    loadApp(`${config.base}/widget/widget-app.js?v=${__APP_VERSION__}`).then(
      (mount) => {
        launcher.removeAttribute('aria-busy');
        if (destroyed) return;
        app = mount({ config, root, container, user, policy: trustedPolicy(), emit, onClosed: () => instance.close() });
        for (const next of queue.splice(0)) next(app);
      },
      (error: Error) => {
        launcher.removeAttribute('aria-busy');
        queue.length = 0;
        isOpen = false;
        render();
        status.textContent = strings.loadError;
        emit('error', { code: 'load_failed', message: error.message });
      },
    );
  };

  const instance: WidgetInstance = {
    open(focus) {
      if (destroyed) return;
      if (!isOpen) {
        const active = deepActiveElement();
        returnTo = active && !root.contains(active) ? active : null;
        emit('open');
      }
      isOpen = true;
      render();
      withApp((a) => isOpen && a.open(focus));
    },
    close() {
      if (!isOpen || destroyed) return;
      // Focus goes back where it was before the panel opened, if the panel held it.
      const active = deepActiveElement();
      isOpen = false;
      render();
      app?.close();
      emit('close');
      if (active && active !== launcher && root.contains(active)) {
        const target = returnTo instanceof HTMLElement && returnTo.isConnected ? returnTo : launcher;
        target.focus();
      }
    },
    toggle() {
      if (isOpen) instance.close();
      else instance.open(true);
    },
    ask(text) {
      instance.open(true);
      withApp((a) => a.ask(text));
    },
    setUser(next) {
      user = next;
      app?.setUser(next);
    },
    destroy() {
      destroyed = true;
      app?.destroy();
      host.remove();
    },
  };

  launcher.addEventListener('click', () => {
    status.textContent = '';
    instance.toggle();
  });
  launcher.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && isOpen) instance.close();
  });
  render();
  // After a page navigation the conversation comes back the way the user left it.
  const saved = readStored<{ open?: boolean }>(storageKey(config.base));
  if (saved && saved.open) instance.open(false);
  return instance;
}

function div(className: string): HTMLDivElement {
  const el = document.createElement('div');
  el.className = className;
  return el;
}
