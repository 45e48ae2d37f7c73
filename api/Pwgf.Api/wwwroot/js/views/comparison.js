// One comparison, live: status and progress, charts of its metrics (mean over seeds with a standard-error band per
// estimator, as the API computes them), the ranked summary, every run, cancel and export. Polls every 2 s until every
// run is final and its last points are in. Which charts exist, their titles, axes and help text come from the task's
// metric definitions (GET /api/v1/tasks); this page keeps no list of metrics.
import { ApiError, apiFetch, getTasks } from '../api.js';
import {
  focusView, formatNumber, formatTime, h, isFinal, progressBar, replaceChildren, statusBadge,
} from '../dom.js';
import { download, metricRows, toCsv, toJson } from '../export.js';
import { colourOf, createLineChart, setLines } from '../charts.js';
import { BandsFeed } from '../bands-feed.js';

const pollMilliseconds = 2000;

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
  const definitions = tasks.find((t) => t.name === comparison.task)?.metricDefinitions ?? [];
  const feed = new BandsFeed(id, definitions.map((d) => d.name));
  const noPoints = h('p', { class: 'hint' }, 'No points yet: charts appear as the runs train.');
  chartsArea.append(noPoints);
  const charts = definitions.map((definition) => addChart(chartsArea, definition));

  const actions = actionBar(comparison, definitions, () => comparison);
  replaceChildren(heading, h('h1', {}, `${comparison.task} comparison`), actions.element);
  replaceChildren(specificationArea, specificationList(comparison));

  let drawn = false;
  let complete = false;
  const tick = async () => {
    try {
      comparison = await apiFetch(`/api/v1/comparisons/${id}`);
      replaceChildren(problem);
      renderOverview(overview, comparison);
      actions.update(comparison);
      replaceChildren(summaryArea, summaryTable(comparison, definitions));
      replaceChildren(runsArea, runsTable(comparison));
      const changed = await feed.update();
      if (changed || !drawn) noPoints.hidden = drawCharts(charts, feed) > 0;
      drawn = true;
      // Every run was final before the bands were read, so they hold every point.
      complete = isFinal(comparison.status);
    } catch (error) {
      replaceChildren(problem, h('p', { class: 'error', role: 'alert' }, `Update failed, retrying: ${error.message}`));
    }
    if (!complete) {
      setTimeout(tick, pollMilliseconds);
    } else {
      // Every point is in: exports are complete from here on (and tests wait for this).
      view.dataset.state = 'complete';
    }
  };
  view.dataset.state = 'live';
  tick();
}

// A chart for one metric definition, hidden until the metric has points (not every run records every metric).
function addChart(area, definition) {
  const logarithmic = definition.scale !== 'linear';
  const unit = definition.unit ? ` (${definition.unit})` : '';
  const direction = definition.lowerIsBetter === true ? 'lower is better' : definition.lowerIsBetter === false ? 'higher is better' : null;
  const canvas = h('canvas', { role: 'img', 'aria-label': `${definition.title} against step, one line per estimator` });
  const figure = h('figure', { class: 'chart', hidden: true, dataset: { metric: definition.name, points: '0' } },
    h('figcaption', {},
      h('h3', { title: definition.description }, definition.title, direction ? h('small', { class: 'direction' }, ` · ${direction}`) : null),
      h('p', { class: 'hint' }, definition.description)),
    h('div', { class: 'chart-box' }, canvas));
  area.append(figure);
  const yTitle = `${definition.title}${unit}${logarithmic ? ', log axis' : ''}`;
  return { definition, figure, canvas, yTitle, logarithmic, chart: null };
}

/** Draws the latest bands of every chart; returns how many charts have points. */
function drawCharts(charts, feed) {
  let shown = 0;
  for (const entry of charts) {
    const bands = feed.bands(entry.definition.name);
    const estimators = bands?.estimators ?? [];
    // How many stored values the bands rest on (a point's seeds), for tests and the curious.
    const received = estimators.reduce((sum, band) => sum + band.points.reduce((n, p) => n + p.seeds, 0), 0);
    entry.figure.dataset.points = String(received);
    if (received === 0) continue;
    shown += 1;
    entry.figure.hidden = false;
    // Created once visible, so that Chart.js measures the box it draws in.
    entry.chart ??= createLineChart(entry.canvas, { yTitle: entry.yTitle, logarithmic: entry.logarithmic });
    // log10 axis units: the band is 10^(mean ± 1 s.e.) around the geometric mean 10^mean.
    const display = bands.axis === 'log10' ? (y) => 10 ** y : undefined;
    const lines = estimators.map((band, index) => ({ estimator: band.estimator, colour: colourOf(index), points: band.points }));
    setLines(entry.chart, lines, display);
  }
  return shown;
}

function estimatorLabels(comparison) {
  const labels = comparison.specification?.estimators?.map((e) => e.label) ?? [];
  for (const run of comparison.runs) if (!labels.includes(run.estimator)) labels.push(run.estimator);
  return labels;
}

function actionBar(initial, definitions, latest) {
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
  const metricNames = definitions.map((d) => d.name);
  const exportAs = (button, write) => button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const comparison = latest();
      write(comparison, await metricRows(comparison, metricNames));
    } catch (error) {
      status.textContent = `Export failed: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
  exportAs(exportCsv, (comparison, rows) => download(`comparison-${comparison.id}.csv`, 'text/csv', toCsv(rows)));
  exportAs(exportJson, (comparison, rows) => download(`comparison-${comparison.id}.json`, 'application/json', toJson(comparison, rows)));
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

function summaryTable(comparison, definitions) {
  const rows = [...comparison.summary].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
  if (rows.length === 0) return h('p', {}, 'No summary yet.');
  const score = definitions.find((d) => d.name === rows[0].metric)?.title ?? rows[0].metric;
  const withValidation = rows.some((row) => row.bestByValidation);
  const plusMinus = (mean, se) => (mean === null || mean === undefined ? '–' : se === null || se === undefined
    ? formatNumber(mean) : `${formatNumber(mean)} ± ${formatNumber(se, 2)}`);
  return h('div', { class: 'table-scroll' }, h('table', { class: 'summary' },
    h('caption', {}, `Ranked by the final ${score} (${rows[0].metric}; lower is better), mean ± standard error over succeeded seeds. `
      + 'A rank group such as 1–2 means the tests (Welch, Holm-adjusted, 5 %) cannot order those estimators.'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Rank'), h('th', { scope: 'col' }, 'Estimator'), h('th', { scope: 'col' }, `Final ${score}`),
      h('th', { scope: 'col' }, 'Not resolved from'), h('th', { scope: 'col' }, 'Seeds to resolve'),
      h('th', { scope: 'col' }, 'Succeeded'),
      withValidation ? [h('th', { scope: 'col' }, 'At best validation step'), h('th', { scope: 'col' }, 'Mean best step')] : null)),
    h('tbody', {}, rows.map((row) => h('tr', {},
      h('td', { class: 'rank-group' }, rankGroupText(row)),
      h('th', { scope: 'row' }, row.estimator, sameEstimatorNote(row)),
      h('td', { class: 'number' }, plusMinus(row.finalScoreMean, row.finalScoreStandardError)),
      h('td', {}, row.indistinguishableFrom?.length ? row.indistinguishableFrom.join(', ') : '–'),
      h('td', { class: 'number' }, row.seedsToResolve ?? '–'),
      h('td', {}, `${row.succeeded} / ${row.runs}`),
      withValidation ? [
        h('td', { class: 'number' }, row.bestByValidation ? plusMinus(row.bestByValidation.scoreMean, row.bestByValidation.scoreStandardError) : '–'),
        h('td', { class: 'number' }, row.bestByValidation ? formatNumber(row.bestByValidation.stepMean) : '–'),
      ] : null)))));
}

// Two names for one estimator (st and pwgf with the mean projection) share a rank; the note says why.
function sameEstimatorNote(row) {
  if (!row.sameEstimatorAs?.length) return null;
  return h('small', { class: 'same-estimator', title: row.sameEstimatorReason ?? '' },
    ` same estimator as ${row.sameEstimatorAs.join(', ')}`);
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
