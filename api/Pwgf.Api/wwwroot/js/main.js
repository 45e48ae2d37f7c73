// Entry point: every dashboard route serves the same page, and the path decides which view fills <main>.
import { h, replaceChildren } from './dom.js';
import { setUpKeyPanel } from './key-panel.js';
import { renderComparisonList } from './views/comparison-list.js';
import { renderComparison } from './views/comparison.js';
import { renderDiagnostics } from './views/diagnostics.js';

const routes = [
  { pattern: /^\/$/, render: (view) => renderComparisonList(view) },
  { pattern: /^\/comparisons\/([0-9a-f-]{36})\/?$/i, render: (view, match) => renderComparison(view, match[1]) },
  { pattern: /^\/diagnostics\/?$/, render: (view) => renderDiagnostics(view) },
];

function start() {
  setUpKeyPanel();
  const view = document.getElementById('view');
  markCurrentLink(location.pathname);
  const route = routes.find((r) => r.pattern.test(location.pathname));
  if (!route) {
    replaceChildren(view, h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '/' }, 'Back to the comparisons')));
    return;
  }
  if (typeof window.Chart !== 'function') {
    replaceChildren(view, h('p', { class: 'error', role: 'alert' }, 'The chart library did not load (/vendor/chart.umd.min.js); rebuild the API.'));
    return;
  }
  // A view that fails outright (the service unreachable, a refused key) says so instead of leaving "Loading…".
  Promise.resolve(route.render(view, location.pathname.match(route.pattern))).catch((error) => {
    view.append(h('p', { class: 'error', role: 'alert' }, `The page could not be loaded: ${error.message}`));
  });
}

function markCurrentLink(path) {
  for (const link of document.querySelectorAll('.site-header nav a')) {
    const target = link.getAttribute('href');
    const current = target === '/' ? path === '/' || path.startsWith('/comparisons/') : path.startsWith(target);
    if (current) link.setAttribute('aria-current', 'page');
  }
}

start();
