import { ChatOpenAI } from '@langchain/openai';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
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
  private readonly chat: ChatOpenAI;

  constructor(config: Pick<GenerativeConfig, 'baseUrl' | 'model' | 'apiKey' | 'timeoutMs' | 'maxTokens'>) {
    this.id = `openai-chat:${config.model}`;
    this.chat = new ChatOpenAI({
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
  }

  async *stream(messages: ChatMessage[], options: { signal: AbortSignal; maxTokens: number }): AsyncIterable<string> {
    const lc = messages.map((m) => (m.role === 'system' ? new SystemMessage(m.content) : new HumanMessage(m.content)));
    let stream: AsyncIterable<{ content: unknown }>;
    try {
      stream = await this.chat.stream(lc, { signal: options.signal });
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
