// CSV and JSON downloads of a comparison's metric points, generated in the browser from what the page has fetched.
// One row per run, metric and step, with the run's estimator and seed beside it.

export const csvColumns = ['comparison_id', 'run_id', 'estimator', 'seed', 'metric', 'step', 'value'];

/** @returns {Array<object>} rows in run, metric, step order */
export function metricRows(comparison, feed) {
  const rows = [];
  for (const run of comparison.runs) {
    for (const metric of feed.metricNames) {
      for (const point of feed.series(run.id, metric)) {
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
