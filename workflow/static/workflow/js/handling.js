// The request page's handling panel (templates/workflow/handling/panel.html): the time elapsed on work under way,
// counted every second from the server's clock, and a form's buttons held once it is sent (no second start from a
// double click). Everything works without this script; it only adds to the page.
(() => {
  const pad = (number) => String(number).padStart(2, '0');

  const start = () => {
    const panel = document.getElementById('handling');
    if (!panel) return;
    const serverNow = Date.parse(panel.dataset.serverNow);
    const skew = Number.isNaN(serverNow) ? 0 : serverNow - Date.now();
    const timers = [...panel.querySelectorAll('[data-running-since]')]
      .map((element) => ({
        since: Date.parse(element.dataset.runningSince),
        output: element.querySelector('[data-elapsed]'),
      }))
      .filter((timer) => !Number.isNaN(timer.since) && timer.output);
    const tick = () => {
      const now = Date.now() + skew;
      timers.forEach((timer) => {
        const seconds = Math.max(0, Math.floor((now - timer.since) / 1000));
        const hours = Math.floor(seconds / 3600);
        timer.output.textContent = `${hours}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
      });
    };
    if (timers.length) {
      tick();
      window.setInterval(tick, 1000);
    }
  };

  const buttonsOf = (form) => document.querySelectorAll(`button[form="${CSS.escape(form.id)}"]`);

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.closest('[data-handling-forms]')) return;
    // After the submit event the browser has not read the buttons yet; they carry no value, so none is lost.
    window.setTimeout(() => buttonsOf(form).forEach((button) => { button.disabled = true; }), 0);
  });
  // Back to the page from the browser's cache: the buttons work again.
  window.addEventListener('pageshow', () => {
    document.querySelectorAll('[data-handling-forms] form').forEach((form) => {
      buttonsOf(form).forEach((button) => { button.disabled = false; });
    });
  });

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
