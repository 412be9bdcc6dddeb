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
  private readonly pauses = new Map<string, Consumer>();
  private readonly resumes = new Map<string, Consumer>();
  private readonly closes = new Map<string, string>();
  private readonly pauseBatcher: TaskBatcher;
  private readonly resumeBatcher: TaskBatcher;
  private readonly closeBatcher: TaskBatcher;

  constructor(
    private readonly handler: HandlerInterface,
    enqueue: (task: () => Promise<void>, name: string) => Promise<void>,
  ) {
    const batcher = (name: string, flush: () => Promise<void>) =>
      new TaskBatcher({
        name,
        enqueue,
        flush,
        onError: (error) => logger.error('%s failed: %o', name, error),
      });
    this.pauseBatcher = batcher('consumer.pause()', () => this.flushPauses());
    this.resumeBatcher = batcher('consumer.resume()', () => this.flushResumes());
    this.closeBatcher = batcher('consumer.close()', () => this.flushCloses());
  }

  /** The latest of pause and resume in one task wins. */
  pause(consumer: Consumer): void {
    this.resumes.delete(consumer.id);
    this.pauses.set(consumer.id, consumer);
    this.pauseBatcher.schedule();
  }

  resume(consumer: Consumer): void {
    this.pauses.delete(consumer.id);
    this.resumes.set(consumer.id, consumer);
    this.resumeBatcher.schedule();
  }

  close(consumer: Consumer, { transportClosed }: { transportClosed: boolean }): void {
    this.pauses.delete(consumer.id);
    this.resumes.delete(consumer.id);
    // A closed transport closed its handler: nothing to stop.
    if (transportClosed) return;
    this.closes.set(consumer.id, consumer.localId);
    this.closeBatcher.schedule();
  }

  private async flushPauses(): Promise<void> {
    const consumers = [...this.pauses.values()].filter((c) => !c.closed);
    this.pauses.clear();
    if (consumers.length > 0) await this.handler.pauseReceiving(consumers.map((c) => c.localId));
  }

  private async flushResumes(): Promise<void> {
    const consumers = [...this.resumes.values()].filter((c) => !c.closed);
    this.resumes.clear();
    if (consumers.length > 0) await this.handler.resumeReceiving(consumers.map((c) => c.localId));
  }

  private async flushCloses(): Promise<void> {
    const localIds = [...this.closes.values()];
    this.closes.clear();
    if (localIds.length > 0) await this.handler.stopReceiving(localIds);
  }
}
