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
});
