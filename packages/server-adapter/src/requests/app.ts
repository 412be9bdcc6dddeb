import type { Handler } from './types.js';

/** An application request: answered by the app's handler (`serveAppMessages`). */
const appRequest: Handler<'appRequest'> = async (peer, data, server) => {
  peer.requireRoom();
  return { data: await server.appRequest(peer, data.method, data.data) };
};

export const appHandlers = { appRequest };
