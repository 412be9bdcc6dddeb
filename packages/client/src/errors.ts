/**
 * Thrown when the device, browser or remote side lacks something the call
 * needs (a media kind the router cannot receive, a transport without SCTP...).
 * Retrying will not help: the app should fall back or tell the user.
 */
export class UnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedError';
  }
}

/**
 * Thrown when a method is called while its object is in the wrong state
 * (device not loaded, transport or producer closed...). The app should check
 * `loaded` / `closed` first, or create a new object.
 */
export class InvalidStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidStateError';
  }
}
