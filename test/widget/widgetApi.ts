/**
 * The API server the browser tests talk to. Until the real server's test
 * helper exists this is the fake; see startWidgetApi.
 */
import { startFakeApi } from './fakeApi.ts';

export interface WidgetApi {
  url: string;
  close(): Promise<void>;
}

/** Starts the server the widget flows run against. */
export async function startWidgetApi(): Promise<WidgetApi> {
  return startFakeApi();
}
