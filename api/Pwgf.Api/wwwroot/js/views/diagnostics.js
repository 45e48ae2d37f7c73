// Gradient audit: the user types a parameter point and an objective, the service draws many per-sample gradients of
// each chosen estimator (POST /api/v1/diagnostics), and the page draws their bias and variance as bar charts.
import { ApiError, apiFetch, getEstimators } from '../api.js';
import { focusView, formatNumber, h, replaceChildren } from '../dom.js';
import {
  FieldErrors, checkbox, field, numberInput, numberValue, parseNumberList, select, textInput,
} from '../forms.js';
import { createBarChart } from '../charts.js';

// A worked example per family, so the form can be submitted as it stands.
const examples = {
  bernoulli: { logits: '0.3\n-0.5\n1', target: 0.45 },
  categorical: { logits: '0, 0.5, -0.5, 1\n2, 0, 0, 0', target: 1.5 },
  poisson: { logits: '0.53', target: 2.3 },
};
const suggested = ['st', 'pwgf', 'reinforce-loo', 'exact-diff'];
// Beyond this many coordinates the charts show one summary bar per estimator instead of one bar per coordinate.
const maxCoordinateBars = 8;

export async function renderDiagnostics(view) {
  const intro = h('p', {}, 'Audit estimators at one parameter point without training: each draws many per-sample ',
    'gradients of E[f(z)], and the service compares their mean with the exact gradient.');
  const formArea = h('section', { class: 'panel', 'aria-labelledby': 'audit-form-heading' },
    h('h2', { id: 'audit-form-heading' }, 'Problem'), h('p', { class: 'loading' }, 'Loading the estimators…'));
  const resultsArea = h('section', { 'aria-labelledby': 'audit-results-heading', 'aria-live': 'polite' },
    h('h2', { id: 'audit-results-heading' }, 'Bias and variance'), h('p', { class: 'hint' }, 'Run an audit to see its results here.'));
  replaceChildren(view, h('h1', {}, 'Gradient audit'), intro, h('div', { class: 'audit-grid' }, formArea, resultsArea));
  focusView(view);

  let estimators;
  try {
    estimators = await getEstimators();
  } catch (error) {
    replaceChildren(formArea, h('p', { class: 'error', role: 'alert' }, `Could not load the estimators: ${error.message}`));
    return;
  }
  replaceChildren(formArea, formArea.firstChild, auditForm(estimators, resultsArea));
}

function auditForm(estimators, resultsArea) {
  const summary = h('div', { class: 'form-errors', role: 'alert', hidden: true });
  const errors = new FieldErrors(summary);
  const distribution = field('Distribution', select(Object.keys(examples), 'poisson', 'distribution'));
  const logits = field('Logits', h('textarea', { name: 'logits', rows: 4, spellcheck: 'false' }),
    'One dimension per line: a logit (Bernoulli) or log-rate (Poisson); for categorical, that dimension\'s class logits separated by commas.');
  const kind = field('Objective', select([
    { value: 'power', text: 'power: sum |v(z_i) − t|^q' },
    { value: 'linear-square', text: 'linear-square: (sum w_i v(z_i) − t)^2' },
  ], 'power', 'kind'));
  const target = field('Target t', numberInput({ name: 'target' }));
  const power = field('Power q', numberInput({ value: 2, min: 1, name: 'power' }));
  const weights = field('Weights w', textInput({ name: 'weights', placeholder: 'one per dimension, e.g. 1, 2' }), 'One weight per dimension, separated by commas.');
  const samples = field('Samples per estimator', numberInput({ value: 10000, min: 2, integer: true, name: 'samples' }));
  const seed = field('Seed', numberInput({ value: 0, min: 0, integer: true, name: 'seed' }));
  const estimatorsArea = h('fieldset', { class: 'estimators' }, h('legend', {}, 'Estimators'));
  const submit = h('button', { type: 'submit' }, 'Run audit');

  const fieldsByName = {
    distribution, logits, 'objective.kind': kind, 'objective.target': target, 'objective.power': power,
    'objective.weights': weights, objective: kind, samples, seed,
  };
  for (const [name, entry] of Object.entries(fieldsByName)) errors.register(name, entry);

  let ticks = [];
  const showDistribution = () => {
    const chosen = distribution.control.value;
    logits.control.value = examples[chosen].logits;
    target.control.value = String(examples[chosen].target);
    // An estimator that needs a model's importance weights (vimco) has nothing to audit at a bare parameter point.
    const applicable = estimators.filter((e) => e.distributions.includes(chosen) && !e.needsImportanceWeights);
    ticks = applicable.map((e) => ({ name: e.name, ...field(e.name, checkbox({ checked: suggested.includes(e.name), name: 'estimator', value: e.name }), e.summary) }));
    const groupError = h('p', { class: 'field-error', hidden: true });
    errors.register('estimators', { control: ticks[0]?.control ?? estimatorsArea, error: groupError });
    replaceChildren(estimatorsArea, h('legend', {}, 'Estimators'), groupError,
      h('div', { class: 'estimator-list' }, ticks.map((t) => t.wrapper)));
  };
  const showObjective = () => {
    power.wrapper.hidden = kind.control.value !== 'power';
    weights.wrapper.hidden = kind.control.value !== 'linear-square';
  };
  distribution.control.addEventListener('change', showDistribution);
  kind.control.addEventListener('change', showObjective);
  showDistribution();
  showObjective();

  const form = h('form', { class: 'audit-form', novalidate: true },
    summary, distribution.wrapper, logits.wrapper,
    h('fieldset', {}, h('legend', {}, 'Objective f'), kind.wrapper, target.wrapper, power.wrapper, weights.wrapper),
    estimatorsArea, samples.wrapper, seed.wrapper,
    h('div', { class: 'buttons' }, submit));

  let drawn = [];
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    const chosen = ticks.filter((t) => t.control.checked);
    chosen.forEach((t, index) => errors.register(`estimators[${index}]`, t));
    const request = readAudit({ distribution, logits, kind, target, power, weights, samples, seed }, chosen, errors);
    if (!request) return;
    submit.disabled = true;
    submit.textContent = 'Auditing…';
    try {
      const response = await apiFetch('/api/v1/diagnostics', { method: 'POST', body: request });
      drawn.forEach((chart) => chart.destroy());
      drawn = showResults(resultsArea, request, response);
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.fieldErrors).length > 0) errors.show(error.fieldErrors, error.problem.title);
      else errors.showMessage(error instanceof ApiError ? `${error.problem.title ?? 'Refused'} ${error.message}` : `Could not reach the service: ${error.message}`);
    } finally {
      submit.disabled = false;
      submit.textContent = 'Run audit';
    }
  });
  return form;
}

function readAudit(controls, chosen, errors) {
  const local = {};
  const distribution = controls.distribution.control.value;
  const lines = controls.logits.control.value.split(/\n|;/).map((line) => line.trim()).filter(Boolean);
  let logits;
  if (distribution === 'categorical') {
    logits = lines.map((line) => parseNumberList(line));
    if (logits.length === 0 || logits.some((row) => row === null)) local.logits = ['Give one line of comma-separated class logits per dimension.'];
  } else {
    logits = parseNumberList(lines.join(','));
    if (!logits || logits.length === 0) local.logits = ['Give one number per dimension.'];
  }
  const objective = { kind: controls.kind.control.value, target: numberValue(controls.target.control) };
  if (objective.kind === 'power') objective.power = numberValue(controls.power.control);
  if (objective.kind === 'linear-square') {
    objective.weights = parseNumberList(controls.weights.control.value);
    if (!objective.weights) local['objective.weights'] = ['Give numbers separated by commas.'];
  }
  if (chosen.length === 0) local.estimators = ['Tick at least one estimator.'];
  if (Object.keys(local).length > 0) {
    errors.show(local, 'Please correct the marked fields.');
    return null;
  }
  return {
    distribution,
    logits,
    objective,
    estimators: chosen.map((t) => t.name),
    samples: numberValue(controls.samples.control),
    seed: numberValue(controls.seed.control),
  };
}

/** Draws the audit; returns the charts so the next audit can dispose of them. */
function showResults(area, request, response) {
  const coordinates = response.exact.length;
  const perCoordinate = coordinates <= maxCoordinateBars;
  const classes = request.distribution === 'categorical' ? request.logits[0].length : 1;
  const coordinateName = (i) => (classes > 1 ? `dim ${Math.floor(i / classes)}, class ${i % classes}` : `coordinate ${i}`);
  const labels = response.results.map((r) => r.estimator);
  const norm = (values) => Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));
  const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;

  const biasGroups = perCoordinate
    ? response.exact.map((_, i) => ({ label: coordinateName(i), values: response.results.map((r) => r.bias[i]) }))
    : [{ label: '‖bias‖', values: response.results.map((r) => norm(r.bias)) }];
  const varianceGroups = perCoordinate
    ? response.exact.map((_, i) => ({ label: coordinateName(i), values: response.results.map((r) => r.variance[i]) }))
    : [{ label: 'mean variance', values: response.results.map((r) => mean(r.variance)) }];

  const biasCanvas = h('canvas', { role: 'img', 'aria-label': 'Bias per estimator' });
  const varianceCanvas = h('canvas', { role: 'img', 'aria-label': 'Variance per estimator, log axis' });
  const figure = (title, note, canvas, metric, count) => h('figure', { class: 'chart', dataset: { metric, points: String(count) } },
    h('figcaption', {}, h('h3', {}, title), h('p', { class: 'hint' }, note)), h('div', { class: 'chart-box' }, canvas));

  replaceChildren(area,
    h('h2', { id: 'audit-results-heading' }, 'Bias and variance'),
    h('p', {}, `Exact gradient: [${response.exact.map((v) => formatNumber(v)).join(', ')}] (${request.samples ?? 10000} samples per estimator).`),
    h('div', { class: 'charts' },
      figure('Bias', perCoordinate ? 'Mean estimate − exact gradient, per coordinate.' : `L2 norm of the bias over ${coordinates} coordinates.`,
        biasCanvas, 'bias', biasGroups.length * labels.length),
      figure('Variance', `${perCoordinate ? 'Per-sample variance per coordinate' : `Mean per-sample variance over ${coordinates} coordinates`}; `
        + 'log axis, so a zero variance (a deterministic estimator) has no bar.', varianceCanvas, 'variance', varianceGroups.length * labels.length)),
    auditTable(response));

  return [
    createBarChart(biasCanvas, { labels, groups: biasGroups, yTitle: 'bias', logarithmic: false }),
    createBarChart(varianceCanvas, { labels, groups: varianceGroups, yTitle: 'variance (log axis)', logarithmic: true }),
  ];
}

function auditTable(response) {
  // Bias figures are noise-corrected, with their 95 % upper bound and the p-value of the test of zero bias
  // (docs/reading-results.md); the variance is also given per evaluation of f, the cost that makes estimators comparable.
  const cosine = (r) => (r.cosineSimilarity === null || r.cosineSimilarity === undefined
    ? `– (${(r.cosineSimilarityUnavailable ?? 'unavailable').replaceAll('-', ' ')})` : formatNumber(r.cosineSimilarity));
  return h('div', { class: 'table-scroll' }, h('table', {},
    h('caption', {}, 'Per estimator'),
    h('thead', {}, h('tr', {},
      ['Estimator', 'Evaluations of f', 'Relative bias (noise-corrected)', 'Upper 95 %', 'Bias test p', 'Cosine to exact',
        'Mean variance', 'Variance × evaluations'].map((name) => h('th', { scope: 'col' }, name)))),
    h('tbody', {}, response.results.map((r) => h('tr', {},
      h('th', { scope: 'row' }, r.estimator),
      h('td', { class: 'number' }, r.evaluations),
      h('td', { class: 'number' }, formatNumber(r.relativeBiasCorrected)),
      h('td', { class: 'number' }, formatNumber(r.relativeBiasUpper95)),
      h('td', { class: 'number' }, formatNumber(r.biasTest?.pValue)),
      h('td', { class: 'number' }, cosine(r)),
      h('td', { class: 'number' }, formatNumber(r.variance.reduce((sum, v) => sum + v, 0) / r.variance.length)),
      h('td', { class: 'number' }, formatNumber(r.workNormalizedVariance)))))));
}
