// The only place the dashboard fetches metric points. Each poll makes one request per metric for the whole comparison
// (GET /api/v1/comparisons/{id}/metrics) with an afterStep cursor: the smallest last step any unfinished run has, so
// only points recorded since the previous poll travel. The browser's HTTP cache sends the ETag back (the API answers
// with Cache-Control: no-cache), so a poll that finds nothing new costs a 304.
import { apiFetch } from './api.js';
import { isFinal } from './dom.js';

const maxConcurrentRequests = 6;

export class MetricsFeed {
  /** @param {string[]} metricNames the series to keep for every run */
  constructor(comparisonId, metricNames) {
    this.comparisonId = comparisonId;
    this.metricNames = metricNames;
    this.points = new Map(); // run id -> metric -> [{step, value}]
    this.complete = new Set(); // runs whose final points have been read
  }

  /**
   * Fetches what is new for every run that can still have new points. `runs` come from a comparison read made just
   * before this call: a run that was final then has written everything, so after this fetch it is complete.
   * @returns {Promise<number>} how many points arrived
   */
  async update(runs) {
    const pending = runs.filter((run) => !this.complete.has(run.id) && run.status !== 'Queued');
    if (pending.length === 0) return 0;
    const counts = await runLimited(this.metricNames, (name) => this.fetchNewPoints(pending, name));
    for (const run of pending) {
      if (isFinal(run.status)) this.complete.add(run.id);
    }
    return counts.reduce((sum, n) => sum + n, 0);
  }

  async fetchNewPoints(pending, name) {
    const lastSteps = pending.map((run) => {
      const series = this.series(run.id, name);
      return series.length > 0 ? series[series.length - 1].step : -1;
    });
    const cursor = Math.min(...lastSteps);
    const query = new URLSearchParams({ name });
    if (cursor >= 0) query.set('afterStep', String(cursor));
    const response = await apiFetch(`/api/v1/comparisons/${this.comparisonId}/metrics?${query}`);
    const wanted = new Set(pending.map((run) => run.id));
    let arrived = 0;
    for (const run of response.runs) {
      if (!wanted.has(run.runId)) continue;
      const series = this.series(run.runId, name);
      const last = series.length > 0 ? series[series.length - 1].step : -1;
      const fresh = run.points.filter((point) => point.step > last);
      series.push(...fresh);
      arrived += fresh.length;
    }
    return arrived;
  }

  /** The points of one run and metric, in step order (the array is live: it grows as points arrive). */
  series(runId, name) {
    let byName = this.points.get(runId);
    if (!byName) this.points.set(runId, (byName = new Map()));
    let series = byName.get(name);
    if (!series) byName.set(name, (series = []));
    return series;
  }

  /** True once the final points of every one of these runs have been read. */
  hasAllOf(runs) {
    return runs.every((run) => this.complete.has(run.id));
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
