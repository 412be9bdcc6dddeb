import type { RoomClient, RoomClientEvents } from '@vroom/client/room';

type EventName = keyof RoomClientEvents & string;

/**
 * The first `event` of `room` whose arguments pass `match`. The bound only
 * turns a hang into a readable failure (it is not a timing assertion): on
 * this shared machine everything it waits for takes well under a second.
 */
export function waitForEvent<K extends EventName>(
  room: RoomClient,
  event: K,
  match: (...args: RoomClientEvents[K]) => boolean = () => true,
  limitMs = 15_000,
): Promise<RoomClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      room.off(event, listener);
      reject(new Error(`${room.displayName}: no matching "${event}" event within ${limitMs} ms`));
    }, limitMs);
    const listener = (...args: RoomClientEvents[K]) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      room.off(event, listener);
      resolve(args);
    };
    room.on(event, listener);
  });
}

/** Polls `check` until it holds (server-side state that emits no event). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  limitMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`still not true after ${limitMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
