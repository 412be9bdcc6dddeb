import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoomError } from '@vroom/client/room';
import { captureMessage, describeFailure, PlainMessage } from './messages.js';

// The room wraps the browser's DOMException in a MEDIA_FAILED RoomError:
// the page reads the DOMException's name, never the message text.
const refused = (name: string) =>
  RoomError.mediaFailed('camera', new DOMException('browser text', name));

describe('captureMessage (what the page says when a device could not start)', () => {
  it('a blocked camera: where to allow it', () => {
    assert.equal(
      captureMessage(new Map([['camera', refused('NotAllowedError')]])),
      "Camera blocked: allow it in the browser's site settings (the icon left of the address), then try again.",
    );
  });

  it('both blocked: one sentence; different reasons: one sentence each', () => {
    assert.match(
      captureMessage(
        new Map([
          ['camera', refused('NotAllowedError')],
          ['microphone', refused('NotAllowedError')],
        ]),
      ),
      /^Camera and microphone blocked: allow them/,
    );
    assert.equal(
      captureMessage(
        new Map([
          ['camera', refused('NotReadableError')],
          ['microphone', refused('NotFoundError')],
        ]),
      ),
      'Camera in use by another app or tab: close it there, then try again. No microphone found: plug one in, then try again.',
    );
  });

  it('never shows the room client’s advice to developers', () => {
    const error = refused('NotAllowedError');
    assert.match(error.message, /pass \{ track \}/, 'the developer text this replaces');
    assert.doesNotMatch(captureMessage(new Map([['camera', error]])), /track|join\(\)/);
  });
});

describe('describeFailure', () => {
  it('a server that is not there, in plain words', () => {
    const error = RoomError.serverUnreachable('ws://example.test/ws', new Error('code 1006'));
    assert.equal(
      describeFailure(error),
      'Cannot reach the server: is it running? Reload the page once it is.',
    );
  });

  it('the page’s own messages as they are; anything unknown without its developer text', () => {
    assert.equal(describeFailure(new PlainMessage('The room closed.')), 'The room closed.');
    assert.equal(
      describeFailure(new TypeError('displayName must be a string')),
      'Something went wrong. Reload the page to try again.',
    );
  });
});
