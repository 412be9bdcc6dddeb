// Media in and out of rooms: server-side participants, RTP ingest, SRTP
// endpoints, data from Node. A separate entry point (`@vroom/server-adapter/media-io`)
// so an app that needs none of it loads none of it; it imports the core, never the reverse.
export {
  ParticipantClosedError,
  type ParticipantCloseReason,
  type ParticipantProduceOptions,
  ServerParticipant,
  type ServerParticipantEvents,
  type ServerParticipantOptions,
} from './participants/ServerParticipant.js';
