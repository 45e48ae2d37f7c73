// The API key panel in the header: the key is typed once, kept in this browser's localStorage and sent as X-Api-Key.
import { keyNeededEvent, saveKey, savedKey } from './api.js';

export function setUpKeyPanel() {
  const panel = document.getElementById('key-panel');
  const form = document.getElementById('key-form');
  const input = document.getElementById('api-key');
  const status = document.getElementById('key-status');

  const describe = (message) => {
    status.textContent = message ?? (savedKey()
      ? 'A key is saved in this browser and sent with every request.'
      : 'No key saved: reading works unless the service requires keys for reads; submitting, cancelling and audits need a key.');
  };

  input.value = savedKey();
  describe();
  // A read refused for want of a key left the page empty: saving a key reloads it. A refused submission is not
  // reloaded, so the form keeps what was typed and can simply be sent again.
  let readRefused = false;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    saveKey(input.value.trim());
    if (readRefused && input.value.trim()) {
      location.reload();
      return;
    }
    describe(input.value.trim() ? 'Key saved; it is sent with every request from now on.' : undefined);
  });
  document.getElementById('key-forget').addEventListener('click', () => {
    input.value = '';
    saveKey('');
    describe();
  });

  window.addEventListener(keyNeededEvent, (event) => {
    if (event.detail.method === 'GET') readRefused = true;
    panel.open = true;
    const reason = event.detail.status === 403
      ? 'This key lacks the scope for that request (submitting needs "submit", the job dashboard "admin").'
      : 'The service wants an API key for that request. Paste it here and save.';
    describe(`${reason} (${event.detail.message})`);
    input.focus();
  });
}
