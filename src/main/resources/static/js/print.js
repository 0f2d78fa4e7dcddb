// The summary's Print button (the Content-Security-Policy allows no inline script): the browser's print dialog.
document.addEventListener('DOMContentLoaded', function () {
  var button = document.getElementById('print-button');
  if (button) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  }
});
