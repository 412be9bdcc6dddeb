import type { RoomClient, TrackEvent } from '@vroom/client/room';
import type { ChatPanel } from './chat.js';
import { localState } from './controls.js';
import { PlainMessage } from './messages.js';
import { LOCAL, type MediaState, type TileGrid } from './tiles.js';

export type RoomViewParts = {
  grid: TileGrid;
  chat: ChatPanel;
  status: HTMLElement;
  onError: (error: unknown) => void;
  /** The room ended: left, lost, closed by the server, or failed. */
  onEnded: (state: 'disconnected' | 'failed') => void;
};

/**
 * Mirrors the room on the page: its events become tiles, track states,
 * the speaker highlight, meter levels, chat lines and the status line.
 * Returns `showLocal`, to call after our own media changed.
 */
export function bindRoomView(room: RoomClient, parts: RoomViewParts): { showLocal: () => void } {
  const { grid, chat, status } = parts;
  const tileId = (peerId: string | null) =>
    peerId !== null && peerId === room.peerId ? LOCAL : peerId;

  const showLocal = () => {
    const tile = grid.add(LOCAL, room.displayName);
    tile.setVideo(room.localTrack('camera')?.track ?? null, localState(room, 'camera'));
    tile.setAudio(null, localState(room, 'microphone'));
    const screen = room.localTrack('screen')?.track;
    if (screen) grid.showScreen(LOCAL, room.displayName, screen);
    else grid.hideScreen(LOCAL);
  };

  const showTrack = ({ peer, track, source, remoteTrack }: TrackEvent, state: MediaState) => {
    const tile = grid.add(peer.id, peer.displayName);
    if (source === 'camera' || (source === undefined && track.kind === 'video')) {
      tile.setVideo(state === 'off' ? null : track, state);
      if (state !== 'off') tile.adapt(remoteTrack);
    } else if (source === 'microphone' || (source === undefined && track.kind === 'audio')) {
      tile.setAudio(state === 'off' ? null : track, state);
    } else if (source === 'screen') {
      if (state === 'off') grid.hideScreen(peer.id);
      else grid.showScreen(peer.id, peer.displayName, remoteTrack.track);
    }
    // screenAudio: this page never asks for it (enableScreenShare without audio).
  };

  room.on('connectionstatechange', (state) => {
    status.textContent = state;
    status.dataset.state = state;
    if (state === 'disconnected' || state === 'failed') {
      // The room sends no peerleft per peer when it ends: clear the view here.
      for (const tile of grid.tiles) if (tile.peerId !== LOCAL) grid.remove(tile.peerId);
      grid.setSpeaker(null);
      chat.setEnabled(false);
      parts.onEnded(state);
    }
    if (state === 'connected') chat.setEnabled(true);
  });
  room.on('peerjoined', (peer) => grid.add(peer.id, peer.displayName));
  room.on('peerleft', (peer) => grid.remove(peer.id));
  room.on('peerconnectionstatechange', ({ peer, state }) =>
    grid.add(peer.id, peer.displayName).setPresence(state),
  );
  room.on('connectionquality', ({ peer, quality }) =>
    grid.add(peer?.id ?? LOCAL, peer?.displayName ?? room.displayName).setQuality(quality),
  );
  room.on('trackadded', (event) =>
    showTrack(event, event.remoteTrack.producerPaused ? 'paused' : 'live'),
  );
  room.on('trackremoved', (event) => showTrack(event, 'off'));
  room.on('trackpaused', (event) => showTrack(event, 'paused'));
  room.on('trackresumed', (event) => showTrack(event, 'live'));
  room.on('localtrackpublished', showLocal);
  room.on('localtrackunpublished', showLocal);
  room.on('activespeaker', (peerId) => grid.setSpeaker(tileId(peerId)));
  room.on('audiolevels', (levels) => {
    grid.setVolumes(new Map(levels.map((level) => [tileId(level.peerId) ?? '', level.volume])));
  });
  room.on('chat', ({ peer, text, at }) =>
    chat.add({ from: peer.displayName, text, at, mine: false }),
  );
  room.on('roomclosed', ({ reason }) =>
    parts.onError(
      new PlainMessage(
        reason === 'workerDied' ? 'The media server restarted.' : 'The room closed.',
      ),
    ),
  );
  // Lost signaling and the like; the state change that may follow ends the view.
  room.on('error', (error) => parts.onError(error));
  return { showLocal };
}
