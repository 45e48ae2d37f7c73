// Every call to the service goes through apiFetch: it sends the saved API key and turns an error response into an
// ApiError that carries the ProblemDetails body (title, detail and, for 400, the per-field "errors" map).

const keyStorage = 'pwgf.apiKey';

export function savedKey() {
  try {
    return localStorage.getItem(keyStorage) ?? '';
  } catch {
    return ''; // storage disabled: behave as if no key was saved
  }
}

export function saveKey(key) {
  if (key) localStorage.setItem(keyStorage, key);
  else localStorage.removeItem(keyStorage);
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The service answered ${status}.`);
    this.status = status;
    this.problem = problem ?? {};
  }

  /** Field name -> messages, as in a ValidationProblem; empty for other errors. */
  get fieldErrors() {
    return this.problem.errors ?? {};
  }

  get needsKey() {
    return this.status === 401 || this.status === 403;
  }
}

/** Fired on window when a request was refused for want of a (suitable) key; the key panel listens. */
export const keyNeededEvent = 'pwgf:key-needed';

export async function apiFetch(path, { method = 'GET', body, headers = {}, signal } = {}) {
  const request = { method, headers: { Accept: 'application/json', ...headers }, signal };
  const key = savedKey();
  if (key) request.headers['X-Api-Key'] = key;
  if (body !== undefined) {
    request.headers['Content-Type'] = 'application/json';
    request.body = JSON.stringify(body);
  }

  const response = await fetch(path, request);
  const text = await response.text();
  const payload = text ? parseJson(text) : null;
  if (!response.ok) {
    const error = new ApiError(response.status, payload);
    if (error.needsKey) {
      window.dispatchEvent(new CustomEvent(keyNeededEvent, { detail: { status: response.status, method, message: error.message } }));
    }
    throw error;
  }
  return payload;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { title: text.slice(0, 200) };
  }
}

// The catalogue never changes while the API runs, so each page fetches it at most once.
let tasks;
let estimators;
// A failed fetch is forgotten, so the next call (e.g. after a key was saved) tries again.
export const getTasks = () => (tasks ??= apiFetch('/api/v1/tasks').catch((error) => { tasks = undefined; throw error; }));
export const getEstimators = () => (estimators ??= apiFetch('/api/v1/estimators').catch((error) => { estimators = undefined; throw error; }));

/** A fresh Idempotency-Key per submission, so a retried click cannot create a second comparison. */
export function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `dashboard-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
