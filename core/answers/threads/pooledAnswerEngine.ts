import { AnswerEngine, type EngineIndex, type EngineQuery, type EngineResult } from '../pipeline/answerEngine.ts';
import type { Thresholds } from '../pipeline/decide.ts';
import type { Lang } from '../../contracts/api.ts';
import type { EngineThreads } from './engineThreads.ts';
import { fromWire } from './wire.ts';

/**
 * The answer engine with worker threads beside it (EngineThreads): a question
 * goes to a thread that holds the served index and has room, and is answered
 * here otherwise — the same answer either way, since both run this engine on
 * the same index. The time it answers here is what starts the threads.
 */
export class PooledAnswerEngine extends AnswerEngine {
  constructor(
    getIndex: () => EngineIndex,
    options: { thresholds?: Thresholds; defaultLang: Lang },
    readonly threads: EngineThreads,
  ) {
    super(getIndex, options);
  }

  override async answer(q: EngineQuery): Promise<EngineResult> {
    const asked = this.threads.ask(q);
    if (asked) {
      const wire = await asked;
      // Made on the index served now (EngineThreads checks its generation): its articles are these.
      const result = wire && fromWire(wire, this.getIndex().articles);
      if (result) return result;
    }
    const started = performance.now();
    const result = await super.answer(q);
    this.threads.noteBusy(performance.now() - started);
    return result;
  }
}
