import express, { Router } from 'express';
import type { Config } from '../../core/config/index.ts';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../../core/errors.ts';
import { log } from '../../core/logger.ts';
import type { CoreServices } from '../../core/services.ts';
import { sameSecret, SIGNATURE_HEADER, validSignature } from '../../whatsapp/signature.ts';
import { WhatsAppChannel } from '../../whatsapp/whatsAppChannel.ts';

/**
 * WhatsApp Cloud API webhook, only when WHATSAPP_* is configured. It parses
 * its own body, raw: the signature is over the exact bytes Meta sent, so it
 * is mounted before the /api JSON parser. Meta is answered 200 as soon as
 * the signature holds, and the messages are handled after (Meta retries
 * deliveries that take long; the channel ignores the duplicates).
 */
export function whatsappRoutes(core: CoreServices, config: Config, channel?: WhatsAppChannel): Router {
  const router = Router();
  const wa = config.whatsapp;
  if (!wa) return router;
  const handler = channel ?? new WhatsAppChannel(core, { config: wa, publicUrl: config.publicUrl });

  // Meta's subscription check: echo the challenge to the one who knows the verify token.
  router.get('/api/whatsapp', (req, res) => {
    const q = req.query as Record<string, unknown>;
    const [mode, token, challenge] = [q['hub.mode'], q['hub.verify_token'], q['hub.challenge']];
    if (
      mode !== 'subscribe' ||
      typeof token !== 'string' ||
      !sameSecret(token, wa.verifyToken) ||
      typeof challenge !== 'string' ||
      !/^[\w.-]{1,200}$/.test(challenge)
    )
      throw new ForbiddenError('The verify token does not match');
    res.type('text/plain').send(challenge);
  });

  router.post('/api/whatsapp', express.raw({ type: () => true, limit: wa.maxBodyBytes }), (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!validSignature(raw, req.get(SIGNATURE_HEADER), wa.appSecret))
      throw new UnauthorizedError('The X-Hub-Signature-256 signature does not match');
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new ValidationError('The request body is not valid JSON', undefined, 'invalid_json');
    }
    res.status(200).end();
    handler.receive(body).catch((error: Error) => log.error('whatsapp', 'webhook not handled', { error }));
  });
  return router;
}
