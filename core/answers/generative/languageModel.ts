/** A message to a chat model: our fixed instructions, or the data-bearing user turn. */
export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/**
 * The port to a generative model. Adapters stream text pieces; they throw
 * UnavailableError when the model cannot be reached, and stop when `signal`
 * aborts.
 */
export interface LanguageModel {
  readonly id: string;
  stream(messages: ChatMessage[], options: { signal: AbortSignal; maxTokens: number }): AsyncIterable<string>;
}
