/** The two Trusted Types sinks the widget uses: DOMParser input and a script URL. */
export interface TrustedPolicy {
  createHTML(input: string): unknown;
  createScriptURL(input: string): unknown;
}

let policy: TrustedPolicy | null | undefined;

/**
 * A Trusted Types policy named `deflect`, for sites whose CSP requires them
 * (`require-trusted-types-for 'script'; trusted-types deflect`). Pass-through
 * is sound here: HTML only goes to an inert DOMParser document whose
 * allow-listed copy reaches the page, and script URLs are built by the loader
 * from the widget's own server URL. Null when the browser has no Trusted Types
 * or the site does not allow the policy.
 */
export function trustedPolicy(): TrustedPolicy | null {
  if (policy !== undefined) return policy;
  const tt = (
    window as unknown as { trustedTypes?: { createPolicy(name: string, rules: TrustedPolicy): TrustedPolicy } }
  ).trustedTypes;
  try {
    policy = tt ? tt.createPolicy('deflect', { createHTML: (s) => s, createScriptURL: (s) => s }) : null;
  } catch {
    policy = null;
  }
  return policy;
}
