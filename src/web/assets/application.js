// Progressive enhancement only: every page works without this file.
/* global document, window, fetch, URLSearchParams, AbortController */
import { initAll } from '/assets/govuk-frontend.min.js';
initAll();

// The question form's "Similar questions already answered" panel: while the member types a title or text, ask
// for answered questions like it and list them (the no-JavaScript button does the same through the form).
for (const panel of document.querySelectorAll('[data-module="app-similar-questions"]')) {
  const form = panel.closest('form');
  const results = panel.querySelector('[data-similar-results]');
  const title = form?.querySelector('#title');
  const body = form?.querySelector('#body');
  const url = panel.getAttribute('data-similar-url');
  if (!form || !results || !title || !body || !url) continue;
  let timer;
  let inFlight;
  let lastQuery = '';

  const paragraph = (text) => {
    const p = document.createElement('p');
    p.className = 'govuk-body-s';
    p.textContent = text;
    return p;
  };

  const show = (items) => {
    const nodes = [];
    if (items.length === 0) {
      nodes.push(paragraph('No answered questions like yours were found.'));
    } else {
      nodes.push(paragraph(`${items.length} answered ${items.length === 1 ? 'question' : 'questions'} like yours. Check them before you table yours.`));
      const list = document.createElement('ul');
      list.className = 'govuk-list app-similar__list';
      for (const item of items) {
        const li = document.createElement('li');
        const link = document.createElement('a');
        link.className = 'govuk-link';
        link.href = item.path;
        link.textContent = `${item.reference}: ${item.title}`;
        const meta = document.createElement('span');
        meta.className = 'govuk-body-s app-meta';
        const answered = new Date(`${item.answeredOn}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
        meta.textContent = `Answered ${answered}`;
        li.append(link, document.createElement('br'), meta);
        list.append(li);
      }
      nodes.push(list);
    }
    results.replaceChildren(...nodes);
  };

  const search = async () => {
    // The start of the text says what a question is about, and keeps the address short.
    const query = new URLSearchParams({ title: title.value.slice(0, 300), body: body.value.slice(0, 1000) }).toString();
    if (query === lastQuery) return;
    lastQuery = query;
    inFlight?.abort();
    inFlight = new AbortController();
    try {
      const response = await fetch(`${url}?${query}`, { headers: { accept: 'application/json' }, credentials: 'same-origin', signal: inFlight.signal });
      if (!response.ok) return;
      const data = await response.json();
      if (Array.isArray(data.items)) show(data.items);
    } catch {
      // Aborted by newer typing, or offline: the button still works.
    }
  };

  const typed = () => {
    window.clearTimeout(timer);
    if (`${title.value}${body.value}`.trim().length < 3) return;
    timer = window.setTimeout(search, 600);
  };
  title.addEventListener('input', typed);
  body.addEventListener('input', typed);
}

// Wide tables scroll sideways inside their own region on narrow screens, so the page never does (WCAG 1.4.10).
// While a table scrolls, its region is named and takes focus, so it can be scrolled from the keyboard.
for (const table of document.querySelectorAll('main table')) {
  if (table.parentElement?.classList.contains('app-table-scroll')) continue;
  const wrapper = document.createElement('div');
  wrapper.className = 'app-table-scroll';
  table.before(wrapper);
  wrapper.append(table);
  const name = table.caption?.textContent.trim() || 'Table';
  const update = () => {
    if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
      wrapper.setAttribute('tabindex', '0');
      wrapper.setAttribute('role', 'region');
      wrapper.setAttribute('aria-label', `${name} (scrolls sideways)`);
    } else {
      wrapper.removeAttribute('tabindex');
      wrapper.removeAttribute('role');
      wrapper.removeAttribute('aria-label');
    }
  };
  update();
  if ('ResizeObserver' in window) new window.ResizeObserver(update).observe(wrapper);
}
