/** Internal types shared by the loader and the lazily loaded app (types only). */
import type { Lang, UserIdentity } from '../../../core/contracts/api.ts';
import type { LauncherStrings } from '../i18n/strings.ts';
import type { TrustedPolicy } from './trusted.ts';

export type Position = 'right' | 'left';

/** What a host page may pass, through data-* attributes or Deflect.init(). */
export interface WidgetOptions {
  /** Server root, e.g. https://help.example.com (data-deflect-url). */
  url?: string;
  lang?: string;
  color?: string;
  position?: Position;
  label?: string;
  title?: string;
  greeting?: string;
  logo?: string;
  user?: UserIdentity;
}

/** Options after defaults, language and strings are resolved. */
export interface WidgetConfig {
  base: string;
  lang: Lang;
  /** The launcher's strings; the panel looks its own up with stringsFor(lang). */
  launcher: LauncherStrings;
  position: Position;
  /** Panel title and greeting when the site overrides the defaults. */
  title?: string;
  greeting?: string;
  label: string;
  logo?: string;
}

export type WidgetEvent =
  'ready' | 'open' | 'close' | 'message' | 'answer' | 'feedback' | 'ticket' | 'error' | 'restart';

/** What the loader hands to the app when it mounts. */
export interface MountContext {
  config: WidgetConfig;
  root: ShadowRoot;
  /** The element the panel is placed in (already styled and positioned). */
  container: HTMLElement;
  user: UserIdentity | undefined;
  /** The page's Trusted Types policy for the widget, when the site requires one. */
  policy: TrustedPolicy | null;
  emit(event: WidgetEvent, detail?: unknown): void;
  /** Called by the app when the panel closes itself (close button, Escape). */
  onClosed(): void;
}

/** What the app gives back to the loader. */
export interface AppHandle {
  open(focus: boolean): void;
  close(): void;
  ask(text: string): void;
  setUser(user: UserIdentity | undefined): void;
  destroy(): void;
}

export type MountApp = (ctx: MountContext) => AppHandle;
