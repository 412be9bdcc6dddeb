import { generateRandomNumber } from '../clone.js';

/**
 * A MediaStreamTrack without media, for FakeHandler and for apps testing in
 * Node. Like a real track, stop() does not fire 'ended'; `remoteStop()`
 * plays the source going away (device unplugged, remote end closed), which
 * does fire it.
 */
export class FakeMediaStreamTrack extends EventTarget {
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  enabled: boolean;
  readonly muted = false;
  contentHint = '';
  private _readyState: MediaStreamTrackState = 'live';
  onended: ((this: FakeMediaStreamTrack, event: Event) => void) | null = null;

  constructor({
    kind,
    id,
    label,
    enabled = true,
  }: { kind: 'audio' | 'video'; id?: string; label?: string; enabled?: boolean }) {
    super();
    this.kind = kind;
    this.id = id ?? `fake-${kind}-${generateRandomNumber()}`;
    this.label = label ?? `fake ${kind} track`;
    this.enabled = enabled;
  }

  get readyState(): MediaStreamTrackState {
    return this._readyState;
  }

  stop(): void {
    this._readyState = 'ended';
  }

  /** The source ended: the track ends and fires 'ended'. */
  remoteStop(): void {
    if (this._readyState === 'ended') return;
    this._readyState = 'ended';
    const event = new Event('ended');
    this.dispatchEvent(event);
    this.onended?.call(this, event);
  }

  clone(): FakeMediaStreamTrack {
    return new FakeMediaStreamTrack({
      kind: this.kind as 'audio' | 'video',
      label: this.label,
      enabled: this.enabled,
    });
  }

  getSettings(): MediaTrackSettings {
    return {};
  }

  getConstraints(): MediaTrackConstraints {
    return {};
  }

  getCapabilities(): MediaTrackCapabilities {
    return {};
  }

  async applyConstraints(): Promise<void> {}

  /** This object typed as the DOM interface it stands in for. */
  asTrack(): MediaStreamTrack {
    return this as unknown as MediaStreamTrack;
  }
}
