type Listenable = {
  addEventListener?: (type: string, listener: () => void) => void;
  removeEventListener?: (type: string, listener: () => void) => void;
};

/**
 * Calls `onChange` when the device goes offline or comes back online
 * (`offline` / `online` on the global, in browsers) or its network changes
 * (`navigator.connection` 'change', where the Network Information API
 * exists): the moments when the signaling socket or the ICE path may be
 * dead, and waiting for timeouts to notice costs seconds. Returns the
 * unsubscribe function; in Node it watches nothing.
 */
export function watchNetwork(onChange: (why: string) => void): () => void {
  const global = globalThis as Listenable & { navigator?: { connection?: Listenable } };
  const connection = global.navigator?.connection;
  const onOnline = () => onChange('back online');
  const onOffline = () => onChange('went offline');
  const onNetwork = () => onChange('network changed');
  const watchesGlobal = typeof global.addEventListener === 'function';
  const watchesConnection = typeof connection?.addEventListener === 'function';
  if (watchesGlobal) {
    global.addEventListener?.('online', onOnline);
    global.addEventListener?.('offline', onOffline);
  }
  if (watchesConnection) connection?.addEventListener?.('change', onNetwork);
  return () => {
    if (watchesGlobal) {
      global.removeEventListener?.('online', onOnline);
      global.removeEventListener?.('offline', onOffline);
    }
    if (watchesConnection) connection?.removeEventListener?.('change', onNetwork);
  };
}
