// What the bot receives from the others, counted per peer: decoded video
// frames (RTCVideoSink hands over every picture libwebrtc decoded) and
// 10 ms audio chunks (RTCAudioSink).
import wrtc from '@roamhq/wrtc';
import type { TrackEvent } from '@vroom/client/room';

export interface PeerReception {
  peerId: string;
  displayName: string;
  videoFrames: number;
  /** Size of the last decoded picture, e.g. '640x360'; '' before the first. */
  videoSize: string;
  audioChunks: number;
}

interface Sink {
  stop(): void;
}

export class ReceivedMedia {
  readonly #peers = new Map<string, PeerReception>();
  readonly #sinks = new Map<string, Sink>();

  /** Starts counting a track the room announced (`trackadded`). */
  add({ peer, track, kind, consumerId }: TrackEvent): void {
    const reception = this.#reception(peer.id, peer.displayName);
    if (kind === 'video') {
      const sink = new wrtc.nonstandard.RTCVideoSink(track);
      sink.onframe = ({ frame }: { frame: { width: number; height: number } }) => {
        reception.videoFrames++;
        reception.videoSize = `${frame.width}x${frame.height}`;
      };
      this.#sinks.set(consumerId, sink);
    } else {
      const sink = new wrtc.nonstandard.RTCAudioSink(track);
      sink.ondata = () => {
        reception.audioChunks++;
      };
      this.#sinks.set(consumerId, sink);
    }
  }

  /** Stops counting a track that went away (`trackremoved`); its totals stay. */
  remove({ consumerId }: TrackEvent): void {
    this.#sinks.get(consumerId)?.stop();
    this.#sinks.delete(consumerId);
  }

  /** Totals so far, one entry per peer that ever sent us a track. */
  snapshot(): PeerReception[] {
    return [...this.#peers.values()].map((reception) => ({ ...reception }));
  }

  /** Stops every sink (libwebrtc's threads keep Node busy until they stop). */
  stop(): void {
    for (const sink of this.#sinks.values()) sink.stop();
    this.#sinks.clear();
  }

  #reception(peerId: string, displayName: string): PeerReception {
    let reception = this.#peers.get(peerId);
    if (!reception) {
      reception = { peerId, displayName, videoFrames: 0, videoSize: '', audioChunks: 0 };
      this.#peers.set(peerId, reception);
    }
    return reception;
  }
}
