export type ChatMessage = {
  from: string;
  text: string;
  /** Sender's clock, ms since the epoch. */
  at: number;
  mine: boolean;
};

export type ChatElements = {
  log: HTMLOListElement;
  form: HTMLFormElement;
  input: HTMLInputElement;
  send: HTMLButtonElement;
};

/** Keeps the log from growing without bound in a long meeting. */
const MAX_MESSAGES = 500;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * The chat panel: `#chat-log` gets one `li[data-from=<display name>]` per
 * message (ours too, added once the room accepted it); the form sends
 * through the callback it is given.
 */
export class ChatPanel {
  readonly #elements: ChatElements;

  constructor(
    elements: ChatElements,
    send: (text: string) => Promise<void>,
    onError: (error: unknown) => void,
  ) {
    this.#elements = elements;
    elements.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = elements.input.value.trim();
      if (!text) return;
      elements.input.value = '';
      send(text).catch((error: unknown) => {
        // Give the text back so nothing typed is lost.
        if (!elements.input.value) elements.input.value = text;
        onError(error);
      });
    });
  }

  add(message: ChatMessage): void {
    const { log } = this.#elements;
    const item = document.createElement('li');
    item.dataset.from = message.from;
    if (message.mine) item.classList.add('mine');
    const from = document.createElement('span');
    from.className = 'from';
    from.textContent = message.mine ? 'You' : message.from;
    const time = document.createElement('time');
    time.dateTime = new Date(message.at).toISOString();
    time.textContent = timeFormat.format(message.at);
    const text = document.createElement('p');
    text.className = 'text';
    // textContent, never innerHTML: messages are untrusted.
    text.textContent = message.text;
    item.append(from, time, text);

    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    log.append(item);
    while (log.children.length > MAX_MESSAGES) log.firstElementChild?.remove();
    // Follow new messages unless the reader scrolled up to read older ones.
    if (atBottom || message.mine) log.scrollTop = log.scrollHeight;
  }

  setEnabled(enabled: boolean): void {
    this.#elements.input.disabled = !enabled;
    this.#elements.send.disabled = !enabled;
  }

  clear(): void {
    this.#elements.log.replaceChildren();
  }
}
