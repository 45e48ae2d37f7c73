// The only place the dashboard fetches chart data. Each poll makes one request per metric for the whole comparison
// (GET /api/v1/comparisons/{id}/bands): the server's means over seeds with their standard errors, per estimator and
// step, in the axis units of the metric's definition. The page computes no statistics of its own. The browser's HTTP
// cache sends the ETag back (the API answers with Cache-Control: no-cache), so a poll that finds nothing new costs a
// 304 and hands back the same body.
import { apiFetch } from './api.js';

const maxConcurrentRequests = 6;
// Each run is thinned onto at most this many shared steps before the bands are taken: plenty for a chart's width.
const maxPoints = 500;

export class BandsFeed {
  /** @param {string[]} metricNames the metrics to keep bands of */
  constructor(comparisonId, metricNames) {
    this.comparisonId = comparisonId;
    this.metricNames = metricNames;
    this.latest = new Map(); // metric -> the last answer of the bands route
  }

  /**
   * Reads every metric's bands again.
   * @returns {Promise<boolean>} whether any of them changed since the previous read
   */
  async update() {
    const changed = await runLimited(this.metricNames, async (metric) => {
      const query = new URLSearchParams({ metric, maxPoints: String(maxPoints) });
      const bands = await apiFetch(`/api/v1/comparisons/${this.comparisonId}/bands?${query}`);
      const before = this.latest.get(metric);
      this.latest.set(metric, bands);
      return !before || JSON.stringify(before.estimators) !== JSON.stringify(bands.estimators);
    });
    return changed.some(Boolean);
  }

  /** The last answer for one metric: {metric, axis, estimators: [{estimator, seeds, points: [{step, mean, standardError, seeds}]}]}. */
  bands(metric) {
    return this.latest.get(metric);
  }
}

/** Runs `work` over `items` with at most a few requests in flight, keeping the results in order. */
async function runLimited(items, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxConcurrentRequests, items.length) }, worker));
  return results;
}
