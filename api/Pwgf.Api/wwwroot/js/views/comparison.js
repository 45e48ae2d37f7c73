// One comparison, live: status and progress, charts of its metrics (mean over seeds with a standard-error band per
// estimator), the ranked summary, every run, cancel and export. Polls every 2 s until every run is final and its
// last points are in.
import { ApiError, apiFetch, getTasks } from '../api.js';
import {
  focusView, formatNumber, formatTime, h, isFinal, progressBar, replaceChildren, statusBadge,
} from '../dom.js';
import { download, metricRows, toCsv, toJson } from '../export.js';
import { colourOf, createLineChart, setLines } from '../charts.js';
import { MetricsFeed } from '../metrics-feed.js';
import { logOfPositive, meanOverSeeds } from '../stats.js';

const pollMilliseconds = 2000;

// Every chart the page knows; a comparison shows those whose metric its task records.
const chartSpecs = [
  { metric: 'loss', title: 'Loss', yTitle: 'E[f(z)]', note: 'The exact expected objective at the current parameters.' },
  {
    metric: 'grad_log_variance',
    title: 'Gradient variance',
    yTitle: 'variance (log axis)',
    valuesAreLogs: true,
    note: 'The run records grad_log_variance, the natural log of the mean per-coordinate variance. The line is exp of '
      + 'its mean over seeds (a geometric mean of the variances) and the band exp(mean ± 1 s.e.), on a log axis.',
  },
  {
    metric: 'grad_relative_bias',
    title: 'Relative bias',
    yTitle: 'relative bias',
    note: 'Noise-corrected: √max(0, ‖mean − exact‖² − Σ SE²) / ‖exact gradient‖ at the current parameters, so Monte Carlo '
      + 'noise in the mean of the diagnostic draws does not show as bias (docs/reading-results.md).',
  },
  {
    metric: 'grad_cosine',
    title: 'Cosine to the exact gradient',
    yTitle: 'cosine',
    note: 'Between the mean estimate and the exact gradient; 1 means the same direction. Not recorded in one dimension '
      + '(always ±1) or where the exact gradient is within 3 noise norms of zero.',
  },
  { metric: 'train_neg_elbo', title: 'Training −ELBO', yTitle: '−ELBO (nats)', note: 'Mean single-sample −ELBO of the training batches since the previous evaluation.' },
  {
    metric: 'test_neg_log_likelihood',
    title: 'Test bound',
    yTitle: '−log p(x) bound (nats)',
    note: 'Importance-sampled upper bound on the test negative log-likelihood; the summary ranks by its last value.',
  },
  {
    metric: 'encoder_grad_variance',
    title: 'Encoder gradient variance',
    yTitle: 'variance (log axis)',
    positiveLog: true,
    note: 'Mean over encoder weights of the gradient variance (EMA estimate). Averaged over seeds in log space '
      + '(a geometric mean), band exp(mean of logs ± 1 s.e.), on a log axis.',
  },
];

export async function renderComparison(view, id) {
  const heading = h('div', { class: 'comparison-heading' }, h('h1', {}, 'Comparison'));
  const problem = h('div', { 'aria-live': 'assertive' });
  const overview = h('div', { class: 'overview' });
  const chartsArea = h('div', { class: 'charts' });
  const summaryArea = h('div');
  const runsArea = h('div');
  const specificationArea = h('div');
  replaceChildren(view,
    heading, problem, overview,
    h('section', { 'aria-labelledby': 'charts-heading' }, h('h2', { id: 'charts-heading' }, 'Curves'), chartsArea),
    h('section', { 'aria-labelledby': 'summary-heading' }, h('h2', { id: 'summary-heading' }, 'Summary'), summaryArea),
    h('section', { 'aria-labelledby': 'runs-heading' }, h('h2', { id: 'runs-heading' }, 'Runs'), runsArea),
    h('section', { 'aria-labelledby': 'spec-heading' }, h('h2', { id: 'spec-heading' }, 'Specification'), specificationArea));
  focusView(view);

  let comparison;
  try {
    comparison = await apiFetch(`/api/v1/comparisons/${id}`);
  } catch (error) {
    replaceChildren(problem, h('p', { class: 'error', role: 'alert' },
      error instanceof ApiError && error.status === 404 ? `No comparison has id ${id}.` : `Could not load the comparison: ${error.message}`));
    return;
  }
  const tasks = await getTasks();
  const task = tasks.find((t) => t.name === comparison.task);
  const metricNames = task?.metrics ?? [];
  const feed = new MetricsFeed(id, metricNames);
  const charts = chartSpecs.filter((spec) => metricNames.includes(spec.metric)).map((spec) => addChart(chartsArea, spec));

  const actions = actionBar(comparison, feed, () => comparison);
  replaceChildren(heading, h('h1', {}, `${comparison.task} comparison`), actions.element);
  replaceChildren(specificationArea, specificationList(comparison));

  let drawn = false;
  const tick = async () => {
    try {
      comparison = await apiFetch(`/api/v1/comparisons/${id}`);
      replaceChildren(problem);
      renderOverview(overview, comparison);
      actions.update(comparison);
      replaceChildren(summaryArea, summaryTable(comparison));
      replaceChildren(runsArea, runsTable(comparison));
      const arrived = await feed.update(comparison.runs);
      if (arrived > 0 || !drawn) drawCharts(charts, comparison, feed);
      drawn = true;
    } catch (error) {
      replaceChildren(problem, h('p', { class: 'error', role: 'alert' }, `Update failed, retrying: ${error.message}`));
    }
    if (!isFinal(comparison.status) || !feed.hasAllOf(comparison.runs)) {
      setTimeout(tick, pollMilliseconds);
    } else {
      // Every point is in: exports are complete from here on (and tests wait for this).
      view.dataset.state = 'complete';
    }
  };
  view.dataset.state = 'live';
  tick();
}

function addChart(area, spec) {
  const canvas = h('canvas', { role: 'img', 'aria-label': `${spec.title} against step, one line per estimator` });
  const empty = h('p', { class: 'chart-empty' }, 'No points yet: they appear as the runs train.');
  const figure = h('figure', { class: 'chart', dataset: { metric: spec.metric, points: '0' } },
    h('figcaption', {}, h('h3', {}, spec.title), spec.note ? h('p', { class: 'hint' }, spec.note) : null),
    h('div', { class: 'chart-box' }, canvas, empty));
  area.append(figure);
  const logarithmic = Boolean(spec.valuesAreLogs || spec.positiveLog);
  return { spec, figure, empty, chart: createLineChart(canvas, { yTitle: spec.yTitle, logarithmic }) };
}

function drawCharts(charts, comparison, feed) {
  const estimators = estimatorLabels(comparison);
  for (const { spec, figure, empty, chart } of charts) {
    let received = 0;
    const lines = estimators.map((estimator, index) => {
      const series = comparison.runs.filter((run) => run.estimator === estimator).map((run) => feed.series(run.id, spec.metric));
      received += series.reduce((sum, s) => sum + s.length, 0);
      const transform = spec.positiveLog ? logOfPositive : undefined;
      return { estimator, colour: colourOf(index), points: meanOverSeeds(series, transform) };
    });
    setLines(chart, lines, spec.valuesAreLogs || spec.positiveLog ? Math.exp : undefined);
    // Tests and curious users can read how much data a chart holds without reaching into Chart.js.
    figure.dataset.points = String(received);
    empty.hidden = received > 0;
  }
}

function estimatorLabels(comparison) {
  const labels = comparison.specification?.estimators?.map((e) => e.label) ?? [];
  for (const run of comparison.runs) if (!labels.includes(run.estimator)) labels.push(run.estimator);
  return labels;
}

function actionBar(initial, feed, latest) {
  const cancel = h('button', { type: 'button', class: 'danger' }, 'Cancel unfinished runs');
  const status = h('span', { class: 'hint', role: 'status' });
  let armed = false;
  cancel.addEventListener('click', async () => {
    // A second click within a few seconds confirms, so a stray click cannot stop a long comparison.
    if (!armed) {
      armed = true;
      cancel.textContent = 'Click again to cancel';
      setTimeout(() => { armed = false; cancel.textContent = 'Cancel unfinished runs'; }, 4000);
      return;
    }
    cancel.disabled = true;
    try {
      await apiFetch(`/api/v1/comparisons/${initial.id}/cancel`, { method: 'POST' });
      status.textContent = 'Cancellation requested; running runs stop within a few seconds.';
    } catch (error) {
      status.textContent = `Cancel refused: ${error.message}`;
      cancel.disabled = false;
    }
  });
  const exportCsv = h('button', { type: 'button', class: 'secondary' }, 'Export CSV');
  const exportJson = h('button', { type: 'button', class: 'secondary' }, 'Export JSON');
  exportCsv.addEventListener('click', () => {
    download(`comparison-${initial.id}.csv`, 'text/csv', toCsv(metricRows(latest(), feed)));
  });
  exportJson.addEventListener('click', () => {
    download(`comparison-${initial.id}.json`, 'application/json', toJson(latest(), metricRows(latest(), feed)));
  });
  const element = h('div', { class: 'actions' },
    cancel, exportCsv, exportJson,
    h('a', { href: `/api/v1/comparisons/${initial.id}` }, 'JSON from the API'),
    h('a', { href: '/swagger' }, 'Swagger'),
    h('a', { href: '/hangfire' }, 'Hangfire jobs'),
    status);
  return {
    element,
    update(comparison) {
      cancel.hidden = isFinal(comparison.status);
    },
  };
}

function renderOverview(area, comparison) {
  const done = comparison.runs.reduce((sum, run) => sum + run.step, 0);
  const total = comparison.runs.reduce((sum, run) => sum + run.steps, 0);
  const finished = comparison.runs.filter((run) => isFinal(run.status)).length;
  replaceChildren(area,
    h('p', { class: 'overview-line' },
      statusBadge(comparison.status),
      progressBar(done, total, 'Progress over all runs'),
      h('span', {}, `${done.toLocaleString()} / ${total.toLocaleString()} steps · ${finished} / ${comparison.runs.length} runs finished`)),
    h('p', { class: 'hint' }, `Id ${comparison.id} · submitted ${formatTime(comparison.createdAt)}`));
}

function summaryTable(comparison) {
  const rows = [...comparison.summary].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
  if (rows.length === 0) return h('p', {}, 'No summary yet.');
  const withValidation = rows.some((row) => row.bestByValidation);
  const plusMinus = (mean, se) => (mean === null || mean === undefined ? '–' : se === null || se === undefined
    ? formatNumber(mean) : `${formatNumber(mean)} ± ${formatNumber(se, 2)}`);
  return h('div', { class: 'table-scroll' }, h('table', { class: 'summary' },
    h('caption', {}, `Ranked by the final ${rows[0].metric} (lower is better), mean ± standard error over succeeded seeds. `
      + 'A rank group such as 1–2 means the tests (Welch, Holm-adjusted, 5 %) cannot order those estimators.'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Rank'), h('th', { scope: 'col' }, 'Estimator'), h('th', { scope: 'col' }, `Final ${rows[0].metric}`),
      h('th', { scope: 'col' }, 'Not resolved from'), h('th', { scope: 'col' }, 'Seeds to resolve'),
      h('th', { scope: 'col' }, 'Succeeded'),
      withValidation ? [h('th', { scope: 'col' }, 'At best validation step'), h('th', { scope: 'col' }, 'Mean best step')] : null)),
    h('tbody', {}, rows.map((row) => h('tr', {},
      h('td', { class: 'rank-group' }, rankGroupText(row)),
      h('th', { scope: 'row' }, row.estimator),
      h('td', { class: 'number' }, plusMinus(row.finalScoreMean, row.finalScoreStandardError)),
      h('td', {}, row.indistinguishableFrom?.length ? row.indistinguishableFrom.join(', ') : '–'),
      h('td', { class: 'number' }, row.seedsToResolve ?? '–'),
      h('td', {}, `${row.succeeded} / ${row.runs}`),
      withValidation ? [
        h('td', { class: 'number' }, row.bestByValidation ? plusMinus(row.bestByValidation.scoreMean, row.bestByValidation.scoreStandardError) : '–'),
        h('td', { class: 'number' }, row.bestByValidation ? formatNumber(row.bestByValidation.stepMean) : '–'),
      ] : null)))));
}

// The rank as the tests read it: "2" when they fix it, "1–2, not resolved" when they allow a range.
function rankGroupText(row) {
  if (!row.rankGroup) return row.rank ?? '–';
  return row.rankGroup.includes('-') ? `${row.rankGroup.replace('-', '–')}, not resolved` : row.rankGroup;
}

function runsTable(comparison) {
  return h('div', { class: 'table-scroll' }, h('table', { class: 'runs' },
    h('thead', {}, h('tr', {},
      ['Estimator', 'Seed', 'Status', 'Progress', 'Attempts', 'Device', 'Error'].map((name) => h('th', { scope: 'col' }, name)))),
    h('tbody', {}, comparison.runs.map((run) => h('tr', { dataset: { runStatus: run.status } },
      h('th', { scope: 'row' }, h('a', { href: `/api/v1/runs/${run.id}`, title: `Run ${run.id}` }, run.estimator)),
      h('td', {}, run.seed),
      h('td', {}, statusBadge(run.status)),
      h('td', {}, progressBar(run.step, run.steps, `Progress of ${run.estimator} seed ${run.seed}`), h('small', {}, ` ${run.step} / ${run.steps}`)),
      h('td', {}, run.attempts),
      h('td', {}, run.device ?? '–'),
      h('td', { class: 'run-error' }, run.error ?? ''))))));
}

function specificationList(comparison) {
  const spec = comparison.specification;
  const options = [
    ...Object.entries(spec.taskOptions ?? {}).map(([name, value]) => `${name} = ${value}`),
    ...Object.entries(spec.taskLists ?? {}).map(([name, values]) => `${name} = [${values.join(', ')}]`),
    ...Object.entries(spec.taskChoices ?? {}).map(([name, value]) => `${name} = ${value}`),
  ];
  const estimators = spec.estimators.map((e) => {
    const parameters = Object.entries(e.parameters ?? {}).map(([name, value]) => `${name} = ${value}`);
    return parameters.length > 0 ? `${e.label} (${parameters.join(', ')})` : e.label;
  });
  const entry = (term, description) => [h('dt', {}, term), h('dd', {}, description)];
  return h('dl', { class: 'specification' },
    entry('Task', comparison.task),
    entry('Task options', options.join(' · ') || 'defaults'),
    entry('Estimators', estimators.join(', ')),
    entry('Seeds', spec.seeds.join(', ')),
    entry('Steps', `${spec.steps.toLocaleString()}, metrics every ${spec.evalEvery}`),
    entry('Optimizer', `${spec.optimizer.name}, learning rate ${spec.optimizer.learningRate}`));
}
