type Listenable = {
  addEventListener?: (type: string, listener: () => void) => void;
  removeEventListener?: (type: string, listener: () => void) => void;
};

/**
 * Calls `onChange` when the device comes back online (`online` on the
 * global, in browsers) or its network changes (`navigator.connection`
 * 'change', where the Network Information API exists): the moments when
 * the old ICE path is likely dead and waiting for ICE to notice costs
 * seconds. Returns the unsubscribe function; in Node it watches nothing.
 */
export function watchNetwork(onChange: (why: string) => void): () => void {
  const global = globalThis as Listenable & { navigator?: { connection?: Listenable } };
  const connection = global.navigator?.connection;
  const onOnline = () => onChange('back online');
  const onNetwork = () => onChange('network changed');
  const watchesGlobal = typeof global.addEventListener === 'function';
  const watchesConnection = typeof connection?.addEventListener === 'function';
  if (watchesGlobal) global.addEventListener?.('online', onOnline);
  if (watchesConnection) connection?.addEventListener?.('change', onNetwork);
  return () => {
    if (watchesGlobal) global.removeEventListener?.('online', onOnline);
    if (watchesConnection) connection?.removeEventListener?.('change', onNetwork);
  };
}
