import type { ConsumerOptions } from './Consumer.js';
import { Consumer } from './Consumer.js';
import { InvalidStateError } from './errors.js';
import type {
  HandlerInterface,
  HandlerReceiveOptions,
  HandlerSendOptions,
  HandlerSendResult,
} from './handlers/HandlerInterface.js';
import { Logger } from './Logger.js';
import * as ortc from './ortc/index.js';
import { Producer } from './Producer.js';
import type { MediaKind, RtpParameters } from './RtpParameters.js';
import type { Deferred } from './TaskBatcher.js';
import type { AppData } from './types.js';

// The batched halves of transport.produce() and transport.consume(): one
// handler call (one SDP renegotiation) for all requests made in one task,
// with each request settled exactly as if it had been made alone.

const logger = new Logger('Transport');

export type ProduceRequest = {
  deferred: Deferred<never>;
  track: MediaStreamTrack;
  options: {
    send: HandlerSendOptions;
    stopTracks: boolean;
    disableTrackOnPause: boolean;
    zeroRtpOnPause: boolean;
    appData: AppData;
  };
};

export type ConsumeRequest = {
  deferred: Deferred<never>;
  options: ConsumerOptions;
  /** Validated copy of options.rtpParameters. */
  rtpParameters: RtpParameters;
};

function settle<T>(deferred: Deferred<never>, value: T): void {
  (deferred as unknown as Deferred<T>).resolve(value);
}

/** Sends each track alone; a failure is that request's result, not the batch's. */
async function sendOneByOne(handler: HandlerInterface, requests: ProduceRequest[]) {
  const results: (HandlerSendResult | Error)[] = [];
  for (const request of requests) {
    try {
      results.push(await handler.send(request.options.send));
    } catch (error) {
      results.push(error instanceof Error ? error : new Error(String(error)));
    }
  }
  return results;
}

async function sendBatch(handler: HandlerInterface, requests: ProduceRequest[]) {
  if (requests.length > 1 && handler.sendMany) {
    try {
      const results = await handler.sendMany(requests.map((request) => request.options.send));
      if (results.length === requests.length) return results;
      throw new Error(
        `sendMany() returned ${results.length} results for ${requests.length} tracks`,
      );
    } catch (error) {
      // All-or-nothing failed: retry alone so each error lands on its producer.
      logger.warn('sendMany() failed, sending one by one: %o', error);
    }
  }
  return sendOneByOne(handler, requests);
}

export async function flushProduceRequests(
  requests: ProduceRequest[],
  context: {
    handler: HandlerInterface;
    isClosed: () => boolean;
    emitProduce: (data: {
      kind: MediaKind;
      rtpParameters: RtpParameters;
      appData: AppData;
    }) => Promise<{
      id: string;
    }>;
    addProducer: (producer: Producer) => void;
  },
): Promise<void> {
  const { handler, isClosed } = context;
  const sent = await sendBatch(handler, requests);
  // Every 'produce' event goes out before any answer is awaited, so the app
  // can signal them together.
  const answers = requests.map(async (request, index) => {
    const result = sent[index] as HandlerSendResult | Error;
    if (result instanceof Error) throw result;
    if (isClosed()) throw new InvalidStateError('transport closed while produce() was pending');
    ortc.validateAndNormalizeRtpParameters(result.rtpParameters);
    return context.emitProduce({
      kind: request.track.kind as MediaKind,
      rtpParameters: result.rtpParameters,
      appData: request.options.appData,
    });
  });
  const settled = await Promise.allSettled(answers);
  // Producers are created in call order, as they would be one by one.
  for (const [index, request] of requests.entries()) {
    const result = sent[index] as HandlerSendResult | Error;
    const answer = settled[index] as PromiseSettledResult<{ id: string }>;
    if (answer.status === 'fulfilled' && !isClosed() && !(result instanceof Error)) {
      const producer = new Producer({
        ...request.options,
        ...result,
        id: answer.value.id,
        track: request.track,
      });
      context.addProducer(producer);
      settle(request.deferred, producer);
      continue;
    }
    if (!(result instanceof Error) && !isClosed()) {
      await handler.stopSending(result.localId).catch(() => undefined);
    }
    request.deferred.reject(
      answer.status === 'rejected'
        ? answer.reason
        : new InvalidStateError('transport closed while produce() was pending'),
    );
  }
}

export async function flushConsumeRequests(
  requests: ConsumeRequest[],
  context: {
    handler: HandlerInterface;
    isClosed: () => boolean;
    needsProbator: () => boolean;
    addConsumer: (consumer: Consumer, info: { probator: boolean }) => void;
  },
): Promise<void> {
  const optionsList: HandlerReceiveOptions[] = requests.map(({ options, rtpParameters }) => ({
    trackId: options.id,
    kind: options.kind,
    rtpParameters,
    ...(options.streamId !== undefined && { streamId: options.streamId }),
    ...(options.onRtpReceiver && { onRtpReceiver: options.onRtpReceiver }),
  }));
  // mediasoup probes bandwidth with RTP on a fixed SSRC; the first video
  // consumer brings a receiver for it.
  const firstVideo = requests.find((request) => request.options.kind === 'video');
  const withProbator = firstVideo !== undefined && context.needsProbator();
  if (withProbator) {
    try {
      optionsList.push({
        trackId: 'probator',
        kind: 'video',
        rtpParameters: ortc.generateProbatorRtpParameters(firstVideo.rtpParameters),
      });
    } catch (error) {
      logger.warn('cannot create the probator: %o', error);
    }
  }
  let results: Awaited<ReturnType<HandlerInterface['receive']>>;
  try {
    results = await context.handler.receive(optionsList);
  } catch (error) {
    for (const request of requests) request.deferred.reject(error);
    return;
  }
  for (const [index, request] of requests.entries()) {
    const result = results[index];
    if (context.isClosed() || !result) {
      request.deferred.reject(
        new InvalidStateError('transport closed while consume() was pending'),
      );
      continue;
    }
    const consumer = new Consumer({
      ...request.options,
      ...result,
      rtpParameters: request.rtpParameters,
    });
    context.addConsumer(consumer, { probator: false });
    settle(request.deferred, consumer);
  }
  const probatorResult = results[requests.length];
  if (withProbator && probatorResult && !context.isClosed()) {
    const probator = new Consumer({
      ...probatorResult,
      id: 'probator',
      producerId: 'probator',
      rtpParameters: optionsList[requests.length]?.rtpParameters as RtpParameters,
    });
    context.addConsumer(probator, { probator: true });
  }
}
