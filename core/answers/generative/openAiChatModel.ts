import type { ChatOpenAI } from '@langchain/openai';
import type { BaseMessage } from '@langchain/core/messages';
import type { GenerativeConfig } from '../../config/search.ts';
import { UnavailableError } from '../../errors.ts';
import { classify, OPENAI_URL } from '../../search/openAiEmbedder.ts';
import type { ChatMessage, LanguageModel } from './languageModel.ts';

/**
 * The LanguageModel port over any OpenAI-compatible chat server, through
 * @langchain/openai. Only `.stream()` is used: the library's non-streaming
 * path with streaming on counts tokens with tiktoken, which downloads its
 * rank files; this path never does.
 */
export class OpenAiChatModel implements LanguageModel {
  readonly id: string;
  private client: Promise<{ chat: ChatOpenAI; toMessage: (m: ChatMessage) => BaseMessage }> | undefined;

  constructor(
    private readonly config: Pick<GenerativeConfig, 'baseUrl' | 'model' | 'apiKey' | 'timeoutMs' | 'maxTokens'>,
  ) {
    this.id = `openai-chat:${config.model}`;
  }

  /** The library is loaded with the first question, not at start: it is most of a second of CPU. */
  private loaded() {
    return (this.client ??= this.open());
  }

  private async open() {
    const [{ ChatOpenAI }, { HumanMessage, SystemMessage }] = await Promise.all([
      import('@langchain/openai'),
      import('@langchain/core/messages'),
    ]);
    const config = this.config;
    const chat = new ChatOpenAI({
      model: config.model,
      apiKey: config.apiKey ?? 'no-key',
      configuration: { baseURL: config.baseUrl ?? OPENAI_URL, organization: null },
      temperature: 0.1,
      maxTokens: config.maxTokens,
      timeout: config.timeoutMs,
      maxRetries: 1,
      // Compatible servers do not all accept stream_options; we do not need usage figures.
      streamUsage: false,
      useResponsesApi: false,
    });
    const toMessage = (m: ChatMessage): BaseMessage =>
      m.role === 'system' ? new SystemMessage(m.content) : new HumanMessage(m.content);
    return { chat, toMessage };
  }

  async *stream(messages: ChatMessage[], options: { signal: AbortSignal; maxTokens: number }): AsyncIterable<string> {
    const { chat, toMessage } = await this.loaded();
    let stream: AsyncIterable<{ content: unknown }>;
    try {
      stream = await chat.stream(messages.map(toMessage), { signal: options.signal });
      for await (const chunk of stream) {
        if (typeof chunk.content === 'string' && chunk.content) yield chunk.content;
      }
    } catch (error) {
      if (options.signal.aborted)
        throw new UnavailableError('the answer took too long or the client left', { cause: error });
      throw new UnavailableError(`the language model failed: ${classify(error).reason}`, { cause: error });
    }
  }
}
