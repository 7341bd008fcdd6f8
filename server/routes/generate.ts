import { Router, type Response } from 'express';
import { z } from 'zod';
import type { CoreServices } from '../../core/services.ts';
import type { GenerationEvent } from '../../core/answers/generative/generateAnswer.ts';
import { streamGeneratedAnswer } from '../../core/commands/streamGeneratedAnswer.ts';
import { validate } from '../validate.ts';
import { conversationId } from './fields.ts';

const generateSchema = z.strictObject({ conversationId });

/**
 * POST /api/generate {conversationId}: the generative fallback for the
 * conversation's last question, streamed as Server-Sent Events (sources,
 * delta…, done | none | error). Mounted only when GENERATIVE_FALLBACK is on.
 * Problems found before the stream starts are ordinary JSON errors.
 */
export function generateRoutes(core: CoreServices): Router {
  const router = Router();
  router.post('/api/generate', async (req, res) => {
    const body = validate(generateSchema, req.body);
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const events = streamGeneratedAnswer(core, { conversationId: body.conversationId, signal: controller.signal });
    const first = await events.next();
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    if (!first.done) send(res, first.value);
    for await (const event of events) {
      if (controller.signal.aborted) break;
      send(res, event);
    }
    res.end();
  });
  return router;
}

function send(res: Response, event: GenerationEvent): void {
  const { type, ...data } = event;
  res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}
