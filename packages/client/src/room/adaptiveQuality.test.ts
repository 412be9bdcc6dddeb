import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EnhancedEventEmitter } from '../enhancedEvents.js';
import { classifyQuality, watchConnectionQuality } from './connectionQuality.js';
import type { RoomClientEvents } from './events.js';
import { layerForSize, topLayerHeight } from './layerForSize.js';
import { RemotePeer } from './RemotePeer.js';

describe('layerForSize: the simulcast layer for the size a video is shown at', () => {
  const threeLayers = { layerCount: 3, topHeight: 720 }; // 180, 360, 720

  it('a small tile gets the smallest layer that still fills it', () => {
    assert.equal(layerForSize({ ...threeLayers, renderedHeight: 120 }), 0);
    assert.equal(layerForSize({ ...threeLayers, renderedHeight: 180 }), 0);
    assert.equal(layerForSize({ ...threeLayers, renderedHeight: 195 }), 0, '10 % slack');
    assert.equal(layerForSize({ ...threeLayers, renderedHeight: 240 }), 1);
    assert.equal(layerForSize({ ...threeLayers, renderedHeight: 420 }), 2);
    assert.equal(layerForSize({ ...threeLayers, renderedHeight: 2160 }), 2, 'never past the top');
  });

  it('one layer, or a size not known yet, is the top layer', () => {
    assert.equal(layerForSize({ layerCount: 1, topHeight: 720, renderedHeight: 50 }), 0);
    assert.equal(layerForSize({ ...threeLayers, renderedHeight: 0 }), 2);
    assert.equal(layerForSize({ ...threeLayers, renderedHeight: Number.NaN }), 2);
  });

  it('learns the top height from the frame received on the current layer', () => {
    assert.equal(topLayerHeight(180, 0, 3), 720);
    assert.equal(topLayerHeight(360, 1, 3), 720);
    assert.equal(topLayerHeight(540, 2, 3), 540);
    assert.equal(topLayerHeight(0, 0, 3), undefined, 'no frame yet');
    assert.equal(topLayerHeight(180, null, 3), undefined, 'layer not known yet');
  });
});

describe('classifyQuality: good / fair / poor from score, loss and RTT', () => {
  it('takes the worst of what it knows', () => {
    assert.equal(classifyQuality({ score: 10, lossRate: 0, rttMs: 40 }), 'good');
    assert.equal(classifyQuality({ score: 7 }), 'fair');
    assert.equal(classifyQuality({ score: 4 }), 'poor');
    assert.equal(classifyQuality({ score: 10, lossRate: 0.05 }), 'fair');
    assert.equal(classifyQuality({ score: 10, lossRate: 0.2 }), 'poor');
    assert.equal(classifyQuality({ score: 10, rttMs: 250 }), 'fair');
    assert.equal(classifyQuality({ score: 9, lossRate: 0.01, rttMs: 500 }), 'poor');
  });

  it('nothing known (or junk) is no sign of trouble', () => {
    assert.equal(classifyQuality({}), 'good');
    assert.equal(classifyQuality({ score: Number.NaN, rttMs: Number.POSITIVE_INFINITY }), 'good');
  });
});

describe('watchConnectionQuality: the connectionquality event', () => {
  function room() {
    const emitter = new EnhancedEventEmitter<RoomClientEvents>();
    const seen: { peerId: string; quality: string }[] = [];
    emitter.on('connectionquality', ({ peerId, quality }) => seen.push({ peerId, quality }));
    watchConnectionQuality(
      (event, listener) => emitter.on(event, listener),
      (event, ...args) => emitter.safeEmit(event, ...args),
    );
    return { emitter, seen };
  }
  const ada = new RemotePeer({ peerId: 'ada', displayName: 'Ada', device: { name: 'test' } });
  const consumerScore = (score: number, producerScore: number) => ({
    type: 'consumer' as const,
    peer: ada,
    consumerId: 'c1',
    score,
    producerScore,
    producerScores: [producerScore],
  });

  it('per peer, from the worse of its uplink and our downlink, on change only; lost while reconnecting', () => {
    const { emitter, seen } = room();
    emitter.safeEmit('score', consumerScore(10, 10));
    emitter.safeEmit('score', consumerScore(10, 9));
    emitter.safeEmit('score', consumerScore(10, 6));
    emitter.safeEmit('peerconnectionstatechange', { peer: ada, state: 'reconnecting' });
    emitter.safeEmit('peerconnectionstatechange', { peer: ada, state: 'connected' });
    emitter.safeEmit('score', consumerScore(3, 10));
    assert.deepEqual(
      seen.map((s) => s.quality),
      ['good', 'fair', 'lost', 'fair', 'poor'],
    );
    assert.ok(seen.every((s) => s.peerId === 'ada'));
  });

  it('ours from the best layer of each of our producers', () => {
    const { emitter, seen } = room();
    emitter.safeEmit('score', {
      type: 'producer',
      source: 'camera',
      producerId: 'p1',
      score: [
        { ssrc: 1, score: 10 },
        { ssrc: 2, score: 0 },
      ],
    });
    assert.deepEqual(seen, [{ peerId: '', quality: 'good' }]);
  });
});
