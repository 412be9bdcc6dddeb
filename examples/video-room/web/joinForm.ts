import { MAX_DISPLAY_NAME_LENGTH, MAX_ROOM_ID_LENGTH } from '@vroom/protocol';

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
 * What is wrong with a room or name, in words for the form; undefined when
 * the server will take it. The limits are the protocol's own.
 */
export function roomProblem(room: string): string | undefined {
  if (room.length > MAX_ROOM_ID_LENGTH) {
    return `The room name is ${room.length} characters long: at most ${MAX_ROOM_ID_LENGTH}, please shorten it.`;
  }
  return undefined;
}

export function nameProblem(name: string): string | undefined {
  if (!name) return 'Type the name the others will see.';
  if (name.length > MAX_DISPLAY_NAME_LENGTH) {
    return `Your name is ${name.length} characters long: at most ${MAX_DISPLAY_NAME_LENGTH}, please shorten it.`;
  }
  return undefined;
}

/** Shows (or clears) the message under an input, tied to it for screen readers. */
function mark(input: HTMLInputElement, problem: string | undefined): boolean {
  const message = document.getElementById(`${input.id}-problem`);
  if (message) {
    message.textContent = problem ?? '';
    message.hidden = problem === undefined;
  }
  if (problem === undefined) input.removeAttribute('aria-invalid');
  else input.setAttribute('aria-invalid', 'true');
  return problem === undefined;
}

/**
 * The room and name to join. With a valid `?name=` in the URL (tests,
 * shared links with a name) there is nothing to ask; otherwise the small
 * form (`#join-form`) asks, saying what is wrong with what the URL gave
 * (`#room-input-problem`, `#name-input-problem`), and the URL is updated so
 * a reload joins the same room.
 */
export function askJoinTarget(form: HTMLFormElement): Promise<JoinTarget> {
  const params = new URLSearchParams(location.search);
  const roomId = params.get('room')?.trim() || DEFAULT_ROOM;
  const name = params.get('name')?.trim();
  if (name && !roomProblem(roomId) && !nameProblem(name)) {
    return Promise.resolve({ roomId, displayName: name });
  }

  const nameInput = form.querySelector<HTMLInputElement>('#name-input')!;
  const roomInput = form.querySelector<HTMLInputElement>('#room-input')!;
  // Typing stops at the limit; a longer value from the URL stays, marked, to be shortened.
  nameInput.maxLength = MAX_DISPLAY_NAME_LENGTH;
  roomInput.maxLength = MAX_ROOM_ID_LENGTH;
  nameInput.value = name || storedName();
  roomInput.value = roomId;
  const roomOk = mark(roomInput, roomProblem(roomId));
  const nameOk = mark(nameInput, name ? nameProblem(name) : undefined);
  form.hidden = false;
  const first = !nameOk
    ? nameInput
    : !roomOk
      ? roomInput
      : !nameInput.value
        ? nameInput
        : roomInput;
  first.focus();
  for (const input of [nameInput, roomInput]) {
    input.addEventListener('input', () => mark(input, undefined));
  }
  return new Promise((resolve) => {
    form.addEventListener('submit', function onSubmit(event) {
      event.preventDefault();
      const displayName = nameInput.value.trim();
      const room = roomInput.value.trim() || DEFAULT_ROOM;
      const nameValid = mark(nameInput, nameProblem(displayName));
      const roomValid = mark(roomInput, roomProblem(room));
      if (!nameValid || !roomValid) {
        (nameValid ? roomInput : nameInput).focus();
        return;
      }
      form.removeEventListener('submit', onSubmit);
      form.hidden = true;
      remember(displayName);
      // The name stays out of the URL: the link is the room, to share as is.
      const url = new URL(location.href);
      url.searchParams.set('room', room);
      url.searchParams.delete('name');
      history.replaceState(null, '', url);
      resolve({ roomId: room, displayName });
    });
  });
}
