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

  error(error: unknown): void {
    this.show(describe(error));
    console.error(error);
  }

  hide(): void {
    clearTimeout(this.#timer);
    this.#element.hidden = true;
  }
}

/** A message for people: the room's errors already say what to do. */
export function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
