// Small DOM and formatting helpers. Text always goes in through textContent, never innerHTML, so names and error
// messages that came from the API cannot inject markup.

/**
 * Creates an element: h('p', {class: 'hint'}, 'text', child, ...). Attributes starting with "on" become listeners;
 * null/undefined/false attributes and children are skipped.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside an element. */
export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

let idCounter = 0;
/** A document-unique id for label/input pairs built in code. */
export function uniqueId(prefix) {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

const finalStatuses = new Set(['Succeeded', 'Failed', 'Cancelled']);
export const isFinal = (status) => finalStatuses.has(status);

export function statusBadge(status) {
  return h('span', { class: `badge status-${String(status).toLowerCase()}` }, status);
}

/** A native progress bar with a readable label beside it. */
export function progressBar(done, total, label) {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  return h('span', { class: 'progress' },
    h('progress', { max: total > 0 ? total : 1, value: total > 0 ? Math.min(done, total) : 0, 'aria-label': label }),
    h('span', { class: 'progress-text' }, `${Math.round(fraction * 100)}%`));
}

/** Numbers the way a results table wants them: 4 significant digits, exponent form when very small or large. */
export function formatNumber(value, digits = 4) {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return value; // "NaN" or "Infinity" as the API sends them
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude >= 1e5 || magnitude < 1e-3 ? value.toExponential(digits - 1) : Number(value.toPrecision(digits)).toString();
}

export function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

export function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}

/** Moves keyboard and screen-reader focus to a freshly rendered view. */
export function focusView(view) {
  view.focus({ preventScroll: true });
}
