/**
 * The WebRTC scenarios the capture script plays inside a real browser.
 *
 * `runScenarioInPage` is serialised (Function.prototype.toString) and evaluated
 * in the page, so it must be self-contained: no imports, no closures, only
 * browser globals. It returns every SDP the browser produced, in order, so a
 * test can replay the same transcript through a stub RTCPeerConnection.
 */

export type ScenarioName =
  | 'caps-sendonly'
  | 'caps-recvonly'
  | 'audio'
  | 'video'
  | 'audio-video'
  | 'simulcast'
  | 'svc-vp9-l3t3'
  | 'datachannel'
  | 'recv-answer';

export type ScenarioInput = {
  name: ScenarioName;
  /** For 'recv-answer': the remote offer (built by our RemoteSdp) to answer. */
  remoteOffer?: string;
};

export type ScenarioOutput = {
  name: ScenarioName;
  /** Local offer (send scenarios) or local answer (recv-answer). */
  localSdp: string;
  localType: 'offer' | 'answer';
  /** Extra facts read from the page (sender parameters, mids...). */
  notes: Record<string, unknown>;
};

/** Runs in the page. Keep browser-only and self-contained. */
export async function runScenarioInPage(input: ScenarioInput): Promise<ScenarioOutput> {
  const pc = new RTCPeerConnection({
    iceServers: [],
    bundlePolicy: 'max-bundle',
    rtcpMuxPolicy: 'require',
  });
  const notes: Record<string, unknown> = {};
  const getTrack = async (kind: 'audio' | 'video'): Promise<MediaStreamTrack> => {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: kind === 'audio',
      video: kind === 'video' ? { width: 640, height: 480 } : false,
    });
    const track = stream.getTracks()[0];
    if (!track) throw new Error(`no ${kind} track from getUserMedia`);
    return track;
  };
  const stream = new MediaStream();
  try {
    switch (input.name) {
      case 'caps-sendonly':
      case 'caps-recvonly': {
        const direction = input.name === 'caps-sendonly' ? 'sendonly' : 'recvonly';
        pc.addTransceiver('audio', { direction });
        // An L3T3 encoding makes Chromium offer the dependency descriptor extension.
        try {
          pc.addTransceiver('video', { direction, sendEncodings: [{ scalabilityMode: 'L3T3' }] });
        } catch {
          pc.addTransceiver('video', { direction });
        }
        const offer = await pc.createOffer();
        return { name: input.name, localSdp: offer.sdp ?? '', localType: 'offer', notes };
      }
      case 'audio':
      case 'video':
      case 'audio-video': {
        const kinds: Array<'audio' | 'video'> =
          input.name === 'audio-video' ? ['audio', 'video'] : [input.name];
        for (const kind of kinds) {
          const track = await getTrack(kind);
          pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
          notes[`${kind}TrackId`] = track.id;
        }
        notes.streamId = stream.id;
        const offer = await pc.createOffer();
        await pc.setLocalDescription(offer);
        const out: ScenarioOutput = {
          name: input.name,
          localSdp: pc.localDescription?.sdp ?? '',
          localType: 'offer',
          notes,
        };
        return out;
      }
      case 'simulcast': {
        const track = await getTrack('video');
        const transceiver = pc.addTransceiver(track, {
          direction: 'sendonly',
          streams: [stream],
          sendEncodings: [
            { rid: 'r0', maxBitrate: 100000, scaleResolutionDownBy: 4 },
            { rid: 'r1', maxBitrate: 300000, scaleResolutionDownBy: 2 },
            { rid: 'r2', maxBitrate: 900000 },
          ],
        });
        const offer = await pc.createOffer();
        await pc.setLocalDescription(offer);
        notes.senderEncodings = transceiver.sender.getParameters().encodings;
        const out: ScenarioOutput = {
          name: input.name,
          localSdp: pc.localDescription?.sdp ?? '',
          localType: 'offer',
          notes,
        };
        return out;
      }
      case 'svc-vp9-l3t3': {
        const track = await getTrack('video');
        const transceiver = pc.addTransceiver(track, {
          direction: 'sendonly',
          streams: [stream],
          sendEncodings: [{ scalabilityMode: 'L3T3' }],
        });
        const caps = RTCRtpSender.getCapabilities('video');
        if (caps && typeof transceiver.setCodecPreferences === 'function') {
          const vp9 = caps.codecs.filter((c) => c.mimeType.toLowerCase() === 'video/vp9');
          const rest = caps.codecs.filter((c) => c.mimeType.toLowerCase() !== 'video/vp9');
          transceiver.setCodecPreferences([...vp9, ...rest]);
        }
        const offer = await pc.createOffer();
        await pc.setLocalDescription(offer);
        notes.senderEncodings = transceiver.sender.getParameters().encodings;
        const out: ScenarioOutput = {
          name: input.name,
          localSdp: pc.localDescription?.sdp ?? '',
          localType: 'offer',
          notes,
        };
        return out;
      }
      case 'datachannel': {
        pc.createDataChannel('chat', { negotiated: true, id: 0, ordered: true });
        const offer = await pc.createOffer();
        await pc.setLocalDescription(offer);
        const out: ScenarioOutput = {
          name: input.name,
          localSdp: pc.localDescription?.sdp ?? '',
          localType: 'offer',
          notes,
        };
        return out;
      }
      case 'recv-answer': {
        if (!input.remoteOffer) throw new Error('recv-answer needs remoteOffer');
        await pc.setRemoteDescription({ type: 'offer', sdp: input.remoteOffer });
        const answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
        notes.mids = pc.getTransceivers().map((t) => t.mid);
        return {
          name: input.name,
          localSdp: pc.localDescription?.sdp ?? '',
          localType: 'answer',
          notes,
        };
      }
    }
  } finally {
    if (input.name.startsWith('caps-') || input.name === 'recv-answer') pc.close();
    else (globalThis as { __capturePc?: RTCPeerConnection }).__capturePc = pc;
  }
}

/** Runs in the page after a send scenario: applies our remote answer, then closes. */
export async function applyAnswerInPage(
  sdp: string,
): Promise<{ error?: string; senderEncodings: unknown[] }> {
  const holder = globalThis as { __capturePc?: RTCPeerConnection };
  const pc = holder.__capturePc;
  if (!pc) throw new Error('no pending RTCPeerConnection');
  holder.__capturePc = undefined;
  try {
    await pc.setRemoteDescription({ type: 'answer', sdp });
    const sender = pc.getSenders().find((s) => s.track?.kind === 'video');
    return { senderEncodings: sender ? sender.getParameters().encodings : [] };
  } catch (error) {
    return { error: String(error), senderEncodings: [] };
  } finally {
    pc.close();
  }
}
