import type { Consumer } from './Consumer.js';
import type { HandlerInterface } from './handlers/HandlerInterface.js';
import { Logger } from './Logger.js';
import { TaskBatcher } from './TaskBatcher.js';

const logger = new Logger('Transport');

/**
 * Consumer pause, resume and close calls of one task reach the handler as
 * one pauseReceiving / resumeReceiving / stopReceiving call each (one SDP
 * renegotiation instead of one per consumer).
 */
export class ConsumerStateBatches {
  private readonly pauses: TaskBatcher<Consumer>;
  private readonly resumes: TaskBatcher<Consumer>;
  private readonly closes: TaskBatcher<Consumer>;

  constructor(
    handler: HandlerInterface,
    enqueue: (task: () => Promise<void>, name: string) => Promise<void>,
  ) {
    const batcher = (
      name: string,
      method: 'pauseReceiving' | 'resumeReceiving' | 'stopReceiving',
      skipClosed = true,
    ) =>
      new TaskBatcher<Consumer>({
        name,
        enqueue,
        flush: async (consumers) => {
          const localIds = consumers.filter((c) => !(skipClosed && c.closed)).map((c) => c.localId);
          if (localIds.length > 0) await handler[method](localIds);
        },
        onError: (error) => logger.error('%s failed: %o', name, error),
      });
    this.pauses = batcher('consumer.pause()', 'pauseReceiving');
    this.resumes = batcher('consumer.resume()', 'resumeReceiving');
    this.closes = batcher('consumer.close()', 'stopReceiving', false);
  }

  /** The latest of pause and resume in one task wins. */
  pause(consumer: Consumer): void {
    this.resumes.delete(consumer.id);
    this.pauses.add(consumer.id, consumer);
  }

  resume(consumer: Consumer): void {
    this.pauses.delete(consumer.id);
    this.resumes.add(consumer.id, consumer);
  }

  close(consumer: Consumer, { transportClosed }: { transportClosed: boolean }): void {
    this.pauses.delete(consumer.id);
    this.resumes.delete(consumer.id);
    // A closed transport closed its handler: nothing to stop.
    if (!transportClosed) this.closes.add(consumer.id, consumer);
  }
}
