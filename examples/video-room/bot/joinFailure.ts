import { RoomError, RoomErrorCode } from '@vroom/client/room';

/**
 * The bot's one line when it could not join, for the person who started it:
 * a server that is not there is the usual first-run mistake, so it gets a
 * plain question rather than the room client's advice to call join() again.
 */
export function joinFailure(error: unknown, url: string): string {
  if (error instanceof RoomError && error.code === RoomErrorCode.ServerUnreachable) {
    return `cannot reach the server at ${url}: is it running? (start it with npm start)`;
  }
  return `could not join: ${error instanceof Error ? error.message : String(error)}`;
}
