/** WhatsApp's customer-service window: free-form messages may be sent for 24 hours after the customer's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * May a free-form message go to the customer now? Only inside the window
 * opened by their last message; outside it (or when that message is not
 * known) only an approved template may be sent. A minute is kept in hand so a
 * message sent at the edge is not refused by WhatsApp on arrival.
 */
export function insideServiceWindow(lastInboundAt: string | undefined, now: number): boolean {
  if (!lastInboundAt) return false;
  const since = now - Date.parse(lastInboundAt);
  return since >= -60_000 && since < SERVICE_WINDOW_MS - 60_000;
}
