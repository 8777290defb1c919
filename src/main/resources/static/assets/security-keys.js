// Security keys and passkeys (WebAuthn) with Spring Security's endpoints: adding one on /account (a passkey or a
// security key), using one on /verify-2fa or as fresh proof on /account and /admin/confirm, and a passkey on its own on /login (the button, and the username field's
// autofill). Progressive enhancement: without this file (or without WebAuthn) the forms do everything.
'use strict';

(() => {
  const bytesFromBase64url = (text) => {
    const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer;
  };

  const base64urlFromBytes = (buffer) => {
    let binary = '';
    new Uint8Array(buffer).forEach((b) => {
      binary += String.fromCharCode(b);
    });
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };

  // The masked CSRF token every form of the page carries, sent as the header Spring Security reads.
  const csrfHeaders = (form) => {
    const token = form.querySelector('input[name="_csrf"]');
    return token ? { 'X-XSRF-TOKEN': token.value } : {};
  };

  const postJson = async (url, form, body) => {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...csrfHeaders(form) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let json = null;
    try {
      json = await response.json();
    } catch (e) {
      json = null;
    }
    return { ok: response.ok, json };
  };

  const withIds = (list) => (list || []).map((c) => ({ ...c, id: bytesFromBase64url(c.id) }));

  const supported = () => Boolean(window.PublicKeyCredential && navigator.credentials);

  async function addKey(form, name, kind) {
    const base = form.dataset.base;
    const options = await postJson(`${base}webauthn/register/options?kind=${encodeURIComponent(kind)}`, form);
    if (!options.ok || !options.json) {
      throw new Error('no registration options');
    }
    const o = options.json;
    const credential = await navigator.credentials.create({
      publicKey: {
        ...o,
        challenge: bytesFromBase64url(o.challenge),
        user: { ...o.user, id: bytesFromBase64url(o.user.id) },
        excludeCredentials: withIds(o.excludeCredentials),
      },
    });
    const registered = await postJson(`${base}webauthn/register`, form, {
      publicKey: {
        label: name,
        credential: {
          id: credential.id,
          rawId: base64urlFromBytes(credential.rawId),
          type: credential.type,
          authenticatorAttachment: credential.authenticatorAttachment,
          clientExtensionResults: credential.getClientExtensionResults(),
          response: {
            attestationObject: base64urlFromBytes(credential.response.attestationObject),
            clientDataJSON: base64urlFromBytes(credential.response.clientDataJSON),
            transports: credential.response.getTransports ? credential.response.getTransports() : [],
          },
        },
      },
    });
    if (!registered.ok || !registered.json || !registered.json.success) {
      throw new Error('registration refused');
    }
  }

  // A key instead of the code (/verify-2fa), or a key as fresh proof (/account).
  async function useKey(base, form, rememberBrowser) {
    const options = await postJson(`${base}webauthn/authenticate/options`, form);
    if (!options.ok || !options.json) {
      return { redirectUrl: `${base}verify-2fa` };
    }
    const assertion = await navigator.credentials.get({ publicKey: requestOptions(options.json) });
    const result = await postJson(`${base}login/webauthn?rememberBrowser=${rememberBrowser}`, form, assertionBody(assertion));
    return result.json || {};
  }

  const requestOptions = (o) => ({
    ...o,
    challenge: bytesFromBase64url(o.challenge),
    allowCredentials: withIds(o.allowCredentials),
  });

  // The assertion as Spring Security's /login/webauthn reads it.
  const assertionBody = (assertion) => {
    const r = assertion.response;
    return {
      id: assertion.id,
      rawId: base64urlFromBytes(assertion.rawId),
      type: assertion.type,
      authenticatorAttachment: assertion.authenticatorAttachment,
      clientExtensionResults: assertion.getClientExtensionResults(),
      response: {
        authenticatorData: base64urlFromBytes(r.authenticatorData),
        clientDataJSON: base64urlFromBytes(r.clientDataJSON),
        signature: base64urlFromBytes(r.signature),
        userHandle: r.userHandle ? base64urlFromBytes(r.userHandle) : undefined,
      },
    };
  };

  // /login: a passkey on its own, usernameless (the options name no credential). mediation 'conditional': the
  // browser offers the passkeys in the username field's autofill and resolves once one is picked.
  async function passkeySignIn(base, form, mediation, signal) {
    const options = await postJson(`${base}webauthn/authenticate/options`, form);
    if (!options.ok || !options.json) {
      throw new Error('no request options');
    }
    const assertion = await navigator.credentials.get({ mediation, signal, publicKey: requestOptions(options.json) });
    const result = await postJson(`${base}login/webauthn`, form, assertionBody(assertion));
    return result.json || {};
  }

  const go = (redirectUrl) => {
    window.location.assign(new URL(redirectUrl, window.location.href).href);
  };

  function passkeyLogin(section) {
    const form = document.querySelector('form[action$="/login"]');
    const button = document.getElementById('use-passkey');
    const status = document.getElementById('passkey-status');
    const base = section.dataset.base;
    let autofill = null;
    const answer = (result) => {
      if (result.authenticated && result.redirectUrl) {
        go(result.redirectUrl);
        return;
      }
      status.textContent = result.reason === 'notAlone' ? section.dataset.notAlone : section.dataset.failed;
    };
    // Autofill: only where the browser offers it, and once per page (each request's challenge is kept in a session).
    const startAutofill = async () => {
      if (!PublicKeyCredential.isConditionalMediationAvailable
        || !(await PublicKeyCredential.isConditionalMediationAvailable())) {
        return;
      }
      autofill = new AbortController();
      try {
        answer(await passkeySignIn(base, form, 'conditional', autofill.signal));
      } catch (e) {
        // Aborted by the button, or no challenge (e.g. too many from this network): the form and the button remain.
      }
    };
    section.hidden = false;
    button.addEventListener('click', async () => {
      // One ceremony at a time: the autofill's waits for a pick, the button's starts now.
      if (autofill) {
        autofill.abort();
        autofill = null;
      }
      status.textContent = section.dataset.waiting;
      button.disabled = true;
      try {
        answer(await passkeySignIn(base, form, 'optional'));
      } catch (e) {
        status.textContent = section.dataset.failed;
      }
      button.disabled = false;
    });
    startAutofill();
  }

  document.addEventListener('DOMContentLoaded', () => {
    if (!supported()) {
      return;
    }

    const passkeySection = document.getElementById('passkey-sign-in');
    if (passkeySection) {
      passkeyLogin(passkeySection);
    }

    // /account: name the key, then the browser's ceremony (a passkey or a security key, the button pressed); on
    // success the form itself is posted for the message.
    const addForm = document.getElementById('add-security-key');
    if (addForm) {
      const unsupported = document.getElementById('security-key-unsupported');
      if (unsupported) {
        unsupported.hidden = true;
      }
      addForm.hidden = false;
      const nameField = document.getElementById('security-key-name');
      const error = document.getElementById('security-key-error');
      const status = addForm.querySelector('[role="status"]');
      const buttons = addForm.querySelectorAll('button[type="submit"]');
      const showError = (message) => {
        status.textContent = '';
        error.textContent = message;
        nameField.classList.add('is-invalid');
        nameField.setAttribute('aria-invalid', 'true');
      };
      addForm.addEventListener('submit', async (event) => {
        event.preventDefault();
        const kind = event.submitter && event.submitter.value === 'passkey' ? 'passkey' : 'security-key';
        const name = nameField.value.trim();
        if (!name) {
          showError(addForm.dataset.required);
          nameField.focus();
          return;
        }
        nameField.classList.remove('is-invalid');
        nameField.removeAttribute('aria-invalid');
        error.textContent = '';
        status.textContent = addForm.dataset.waiting;
        buttons.forEach((b) => {
          b.disabled = true;
        });
        try {
          await addKey(addForm, name, kind);
          HTMLFormElement.prototype.submit.call(addForm);
        } catch (e) {
          showError(addForm.dataset.failed);
          buttons.forEach((b) => {
            b.disabled = false;
          });
        }
      });
    }

    document.querySelectorAll('.security-key-ceremony').forEach((ceremony) => {
      ceremony.hidden = false;
      const form = ceremony.closest('form') || ceremony.parentElement.querySelector('form');
      const button = ceremony.querySelector('button');
      const status = ceremony.querySelector('[role="status"]');
      const remember = ceremony.dataset.remember ? document.getElementById(ceremony.dataset.remember) : null;
      button.addEventListener('click', async () => {
        status.textContent = ceremony.dataset.waiting;
        button.disabled = true;
        try {
          const result = await useKey(ceremony.dataset.base, form, Boolean(remember && remember.checked));
          // The admin console's confirmation: back to its own page, not the account page the answer names.
          if (result.authenticated && ceremony.dataset.after) {
            window.location.assign(new URL(ceremony.dataset.after, window.location.href).href);
            return;
          }
          if (result.redirectUrl) {
            const target = new URL(result.redirectUrl, window.location.href);
            window.location.assign(target.href);
            if (target.pathname === window.location.pathname) {
              window.location.reload();
            }
            return;
          }
          status.textContent = ceremony.dataset.failed;
        } catch (e) {
          status.textContent = ceremony.dataset.failed;
        }
        button.disabled = false;
      });
    });
  });
})();
