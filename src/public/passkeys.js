// Passkeys in the browser, as progressive enhancement (no inline script: the CSP allows our
// origin only). Loaded after webauthn.js (SimpleWebAuthnBrowser, v14: startRegistration and
// startAuthentication take `{ optionsJSON }`).
//  - Settings: [data-passkey-add] gets a working "Add a passkey" button.
//  - Sign-in: #passkey-signin gets a "Sign in with a passkey" button.
// Without WebAuthn (or without this script) neither appears, and nothing else changes.
(function () {
  'use strict';

  var webauthn = window.SimpleWebAuthnBrowser;
  var supported = Boolean(window.PublicKeyCredential && webauthn);

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') || '' : '';
  }

  /** POSTs JSON; resolves with the answer's JSON, or rejects with {code, message, status}. */
  async function postJson(url, body) {
    var response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-csrf-token': csrfToken(),
      },
      body: JSON.stringify(body || {}),
    });
    // An answer that is not JSON (a proxy's error page) still gets a readable message.
    var data = await response.json().catch(function () {
      return null;
    });
    if (!response.ok) {
      var problem = (data && data.error) || {};
      var error = new Error(problem.message || 'Something went wrong. Please try again.');
      error.code = problem.code || 'HTTP_' + response.status;
      error.status = response.status;
      throw error;
    }
    return data;
  }

  /** Words for what went wrong, from the browser's WebAuthn errors and our API's codes. */
  function describe(error, purpose) {
    var name = error && error.name;
    var code = error && error.code;
    if (name === 'NotAllowedError' || code === 'ERROR_CEREMONY_ABORTED') {
      return 'The passkey prompt was closed or timed out. Nothing changed.';
    }
    if (name === 'InvalidStateError' || code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') {
      return 'This device already has a passkey for your account.';
    }
    if (name === 'SecurityError') {
      return 'This browser refused: passkeys only work on the site’s own address over a secure connection.';
    }
    if (name === 'NotSupportedError') {
      return 'This device cannot make a suitable passkey. Try another device or a security key.';
    }
    if (code === 'PASSKEY_NOT_RECOGNIZED') {
      return 'That passkey is not registered for any account here. Sign in with your password and add it in settings.';
    }
    if (code === 'CHALLENGE_EXPIRED') return 'That took too long. Please try again.';
    if (code === 'RATE_LIMITED')
      return 'Too many attempts. Please wait a few minutes and try again.';
    if (error && error.status && error.message) return error.message;
    return purpose === 'add'
      ? 'The passkey could not be added. Please try again.'
      : 'Signing in with a passkey did not work. Please try again.';
  }

  function say(status, text, tone) {
    if (!status) return;
    status.textContent = text;
    status.className = 'passkey-status' + (tone ? ' passkey-status--' + tone : '');
  }

  function enhanceAdd(box) {
    var controls = box.querySelector('.passkey-add__controls');
    var button = box.querySelector('[data-passkey-add-button]');
    var nameInput = box.querySelector('[data-passkey-name]');
    var status = box.querySelector('[data-passkey-status]');
    if (!controls || !button) return;
    if (!supported) {
      say(
        status,
        'This browser cannot create passkeys. Try a current browser on your phone or computer.',
      );
      return;
    }
    controls.hidden = false;

    button.addEventListener('click', async function () {
      button.disabled = true;
      say(status, 'Follow your browser’s prompt to create the passkey…');
      try {
        var started = await postJson('/api/v1/me/passkeys/options', {});
        var response = await webauthn.startRegistration({ optionsJSON: started.options });
        var name = nameInput && nameInput.value.trim();
        var body = { challenge_id: started.challenge_id, response: response };
        if (name) body.name = name;
        await postJson('/api/v1/me/passkeys', body);
        say(status, 'Passkey added.', 'success');
        window.location.assign('/settings/security?done=passkey_added#passkeys');
      } catch (error) {
        if (error && error.code === 'REAUTH_REQUIRED' && status) {
          status.textContent = '';
          status.className = 'passkey-status passkey-status--error';
          status.append('To add a passkey, confirm your password first. ');
          var link = document.createElement('a');
          link.href = '/settings/reauth?next=' + encodeURIComponent('/settings/security#passkeys');
          link.textContent = 'Confirm your password';
          status.append(link);
        } else {
          say(status, describe(error, 'add'), 'error');
        }
        button.disabled = false;
      }
    });
  }

  /** Only same-site paths, like the server's own check of `next`. */
  function safeNext(value) {
    if (typeof value !== 'string' || value.charAt(0) !== '/') return '/';
    if (value.charAt(1) === '/' || value.charAt(1) === '\\') return '/';
    return value;
  }

  function enhanceSignIn(slot) {
    if (!supported) return;
    var form = document.querySelector('form[action="/login"]');
    var nextInput = form && form.querySelector('input[name="next"]');

    var divider = document.createElement('p');
    divider.className = 'passkey-signin__divider';
    divider.textContent = 'or';
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button--secondary passkey-signin__button';
    button.textContent = 'Sign in with a passkey';
    var status = document.createElement('p');
    status.className = 'passkey-status';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    slot.classList.add('passkey-signin');
    slot.append(divider, button, status);

    button.addEventListener('click', async function () {
      button.disabled = true;
      say(status, 'Follow your browser’s prompt to choose a passkey…');
      try {
        var started = await postJson('/api/v1/auth/passkey/options', {});
        var response = await webauthn.startAuthentication({ optionsJSON: started.options });
        await postJson('/api/v1/auth/passkey', {
          challenge_id: started.challenge_id,
          response: response,
        });
        say(status, 'Signed in. One moment…', 'success');
        window.location.assign(safeNext(nextInput ? nextInput.value : '/'));
      } catch (error) {
        say(status, describe(error, 'sign-in'), 'error');
        button.disabled = false;
      }
    });
  }

  document.querySelectorAll('[data-passkey-add]').forEach(enhanceAdd);
  var slot = document.getElementById('passkey-signin');
  if (slot) enhanceSignIn(slot);
})();
