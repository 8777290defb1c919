// Progressive enhancements only: every page works without this file.
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  // "Copy" buttons: copy the value of data-copy-value and say so in the button's status element.
  document.querySelectorAll('button[data-copy-value]').forEach((button) => {
    button.hidden = false;
    const status = document.getElementById(button.getAttribute('aria-describedby'));
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copyValue);
        if (status) {
          status.textContent = button.dataset.copiedText;
        }
      } catch (e) {
        if (status) {
          status.textContent = button.dataset.copyFailedText;
        }
      }
    });
  });

  // "Print" buttons.
  document.querySelectorAll('button[data-print]').forEach((button) => {
    button.hidden = false;
    button.addEventListener('click', () => window.print());
  });

  // Show-password toggles next to new-password fields.
  document.querySelectorAll('button[data-toggle-password]').forEach((button) => {
    const input = document.getElementById(button.dataset.togglePassword);
    if (!input) {
      return;
    }
    button.hidden = false;
    button.addEventListener('click', () => {
      const show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      button.textContent = show ? button.dataset.hideText : button.dataset.showText;
      button.setAttribute('aria-pressed', String(show));
    });
  });

  // Password strength, as the server's own rules see it (nothing leaves this site).
  document.querySelectorAll('input[data-strength-url]').forEach((input) => {
    const output = document.getElementById(input.dataset.strengthOutput);
    const form = input.form;
    let timer;
    form.addEventListener('submit', () => clearTimeout(timer));
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        if (!input.value) {
          output.textContent = '';
          return;
        }
        const body = new URLSearchParams();
        body.set('password', input.value);
        const username = form.querySelector('[name=username]');
        if (username) {
          body.set('username', username.value);
        }
        try {
          const response = await fetch(input.dataset.strengthUrl, { method: 'POST', body, credentials: 'same-origin' });
          if (response.ok) {
            const answer = await response.json();
            output.textContent = answer.message;
            output.classList.toggle('text-success', answer.acceptable);
            output.classList.toggle('text-danger', !answer.acceptable);
          }
        } catch (e) {
          output.textContent = '';
        }
      }, 400);
    });
  });

  // Setting up on a phone: lead with open-in-app and the key; the QR code waits behind its disclosure.
  if (window.matchMedia('(max-width: 767.98px)').matches) {
    const qr = document.getElementById('qr-details');
    const key = document.getElementById('key-details');
    if (qr) {
      qr.open = false;
    }
    if (key) {
      key.open = true;
    }
  }

  // A field's error no longer applies once the person changes what is in it: no longer red, no longer announced.
  document.querySelectorAll('.is-invalid').forEach((field) => {
    field.addEventListener('input', () => {
      field.classList.remove('is-invalid');
      const error = document.getElementById(field.id + '-error');
      if (error) {
        error.hidden = true;
        const describedBy = (field.getAttribute('aria-describedby') || '').split(' ')
          .filter((id) => id && id !== error.id).join(' ');
        if (describedBy) {
          field.setAttribute('aria-describedby', describedBy);
        } else {
          field.removeAttribute('aria-describedby');
        }
      }
    }, { once: true });
  });

});

// After a failed form: the first field with an error gets the focus, in view. On load, after the browser has gone to
// the page's #section (which would otherwise take the focus back).
window.addEventListener('load', () => setTimeout(() => {
  const invalid = document.querySelector('input.is-invalid');
  if (invalid) {
    invalid.focus({ preventScroll: true });
    invalid.scrollIntoView({ block: 'center', behavior: 'instant' });
  }
}, 0));
