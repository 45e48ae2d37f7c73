// CSV and JSON downloads of a comparison's metric points, read from the API when asked for (the charts hold only
// across-seed bands). One row per run, metric and step, with the run's estimator and seed beside it.
import { apiFetch } from './api.js';

export const csvColumns = ['comparison_id', 'run_id', 'estimator', 'seed', 'metric', 'step', 'value'];

/**
 * Every stored point of these metrics, one request per metric for the whole comparison.
 * @returns {Promise<Array<object>>} rows in run, metric, step order
 */
export async function metricRows(comparison, metricNames) {
  const series = new Map(); // metric -> run id -> points
  for (const metric of metricNames) {
    const response = await apiFetch(`/api/v1/comparisons/${comparison.id}/metrics?${new URLSearchParams({ name: metric })}`);
    series.set(metric, new Map(response.runs.map((run) => [run.runId, run.points])));
  }
  const rows = [];
  for (const run of comparison.runs) {
    for (const metric of metricNames) {
      for (const point of series.get(metric).get(run.id) ?? []) {
        rows.push({
          comparison_id: comparison.id,
          run_id: run.id,
          estimator: run.estimator,
          seed: run.seed,
          metric,
          step: point.step,
          value: point.value,
        });
      }
    }
  }
  return rows;
}

export function toCsv(rows) {
  const lines = [csvColumns.join(',')];
  for (const row of rows) lines.push(csvColumns.map((column) => csvField(row[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

// String(number) gives the shortest text that reads back as the same double, so nothing is rounded.
function csvField(value) {
  const text = String(value ?? '');
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toJson(comparison, rows) {
  return JSON.stringify({ comparison: comparison.id, task: comparison.task, points: rows }, null, 2);
}

/** Hands a generated file to the browser's download machinery. */
export function download(filename, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
