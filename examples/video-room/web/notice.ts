import { describeFailure } from './messages.js';

/** One line at the bottom of the page for what went wrong (or needs a click), fading after a while. */
export class Notice {
  readonly #element: HTMLElement;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(element: HTMLElement) {
    this.#element = element;
    element.addEventListener('click', () => this.hide());
  }

  show(text: string, options: { sticky?: boolean; kind?: 'error' | 'info' } = {}): void {
    clearTimeout(this.#timer);
    this.#element.textContent = text;
    this.#element.dataset.kind = options.kind ?? 'error';
    this.#element.hidden = false;
    if (!options.sticky) this.#timer = setTimeout(() => this.hide(), 6000);
  }

  /** Says it for people (messages.ts); the error itself goes to the console. */
  error(error: unknown): void {
    this.show(describeFailure(error));
    console.error(error);
  }

  hide(): void {
    clearTimeout(this.#timer);
    this.#element.hidden = true;
  }
}
