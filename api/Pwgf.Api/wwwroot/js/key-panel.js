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

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    saveKey(input.value.trim());
    describe(input.value.trim() ? 'Key saved. Reload the page if it was waiting for a key.' : undefined);
  });
  document.getElementById('key-forget').addEventListener('click', () => {
    input.value = '';
    saveKey('');
    describe();
  });

  window.addEventListener(keyNeededEvent, (event) => {
    panel.open = true;
    const refused = event.detail.status === 403
      ? 'This key lacks the scope for that request (submitting needs "submit", the job dashboard "admin").'
      : 'The service wants an API key for that request. Paste it here and save.';
    describe(`${refused} (${event.detail.message})`);
    input.focus();
  });
}
