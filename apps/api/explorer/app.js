/**
 * The saga explorer's entry: a router over two pages, `/admin/sagas` (the list) and `/admin/sagas/:id` (one
 * saga), with history.pushState, so that every page has a URL to share and the back button works.
 */
import { alertBox } from './components.js';
import { replace } from './dom.js';
import { listPage } from './list-page.js';
import { sagaPage } from './saga-page.js';

/** `/admin/sagas`, from this file's URL (`/admin/sagas/assets/app.js`), keeping any prefix a proxy adds. */
const BASE = new URL('../', import.meta.url).pathname.replace(/\/$/, '');

const root = document.getElementById('app');
let current;

/** Shows the page at `url`; `replace` stands for the current entry of the browser's history (a refresh). */
function navigate(url, state = {}, { replace = false } = {}) {
  if (replace) history.replaceState(state, '', url);
  else history.pushState(state, '', url);
  route();
  if (!replace) window.scrollTo({ top: 0 });
}

function route() {
  current?.abort();
  current = new AbortController();
  const context = { base: BASE, navigate, signal: current.signal };
  const rest = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : null;
  let page;
  if (rest === '' || rest === '/') {
    page = listPage(root, context);
  } else if (rest !== null && /^\/[^/]+$/.test(rest)) {
    page = sagaPage(root, decodeURIComponent(rest.slice(1)), context);
  } else {
    replace(root, alertBox(`The explorer has no page at ${location.pathname}.`));
    return;
  }
  page.catch((error) => {
    if (error?.name !== 'AbortError') replace(root, alertBox(`The page failed: ${error?.message ?? error}`));
  });
}

// Links marked data-nav are followed without reloading; a modified click (new tab, …) is left to the browser.
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-nav]') : null;
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const url = new URL(link.href);
  if (url.origin !== location.origin) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', route);

route();
