/** Where the page joins: from the URL (`?room=NAME&name=ME`), else asked for. */
export type JoinTarget = { roomId: string; displayName: string };

const NAME_KEY = 'vroom:displayName';
const DEFAULT_ROOM = 'lobby';

function storedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return ''; // storage disabled (private mode, sandboxed frame)
  }
}

function remember(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // Not remembered: asked again next time.
  }
}

/**
 * The room and name to join. With `?name=` in the URL (tests, shared links
 * with a name) there is nothing to ask; otherwise the small form
 * (`#join-form`) asks, and the URL is updated so a reload joins the same room.
 */
export function askJoinTarget(form: HTMLFormElement): Promise<JoinTarget> {
  const params = new URLSearchParams(location.search);
  const roomId = params.get('room')?.trim() || DEFAULT_ROOM;
  const name = params.get('name')?.trim();
  if (name) return Promise.resolve({ roomId, displayName: name });

  const nameInput = form.querySelector<HTMLInputElement>('#name-input')!;
  const roomInput = form.querySelector<HTMLInputElement>('#room-input')!;
  nameInput.value = storedName();
  roomInput.value = roomId;
  form.hidden = false;
  (nameInput.value ? roomInput : nameInput).focus();
  return new Promise((resolve) => {
    form.addEventListener('submit', function onSubmit(event) {
      event.preventDefault();
      const displayName = nameInput.value.trim();
      const room = roomInput.value.trim() || DEFAULT_ROOM;
      if (!displayName) {
        nameInput.focus();
        return;
      }
      form.removeEventListener('submit', onSubmit);
      form.hidden = true;
      remember(displayName);
      // The name stays out of the URL: the link is the room, to share as is.
      const url = new URL(location.href);
      url.searchParams.set('room', room);
      history.replaceState(null, '', url);
      resolve({ roomId: room, displayName });
    });
  });
}
