// Progressive enhancement for one-time secrets: each "Copy" button (hidden
// until this script runs, so pages without JavaScript show only the selectable
// field) copies its field's value and says so in a live region. Loaded from
// the portal's own origin: the CSP allows no inline script.
'use strict';
document.querySelectorAll('button.copy[data-copy]').forEach(function (button) {
  var field = document.getElementById(button.getAttribute('data-copy'));
  var status = document.getElementById('copy-status');
  if (!field || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener('click', function () {
    navigator.clipboard.writeText(field.value).then(function () {
      button.textContent = 'Copied';
      if (status) status.textContent = (field.getAttribute('data-label') || 'Value') + ' copied to the clipboard.';
      setTimeout(function () { button.textContent = 'Copy'; }, 2000);
    }, function () {
      field.select();
      if (status) status.textContent = 'Copying is not allowed here: the value is selected, press Ctrl+C or Cmd+C.';
    });
  });
});
