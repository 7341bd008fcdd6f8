// The demo page's "try one of these" buttons use the widget's public API.
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-ask]') : null;
  if (button && window.Deflect) window.Deflect.ask(button.getAttribute('data-ask'));
});
