// The only place the dashboard fetches metric points. It polls the per-run series endpoint with an afterStep cursor per
// run and metric, so each poll transfers only the points recorded since the previous one. Switching to a
// comparison-wide endpoint later means rewriting fetchNewPoints below; the rest of the page reads from the feed.
import { apiFetch } from './api.js';
import { isFinal } from './dom.js';

const maxConcurrentRequests = 6;

export class MetricsFeed {
  /** @param {string[]} metricNames the series to keep for every run */
  constructor(metricNames) {
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
    const requests = pending.flatMap((run) => this.metricNames.map((name) => ({ run, name })));
    const counts = await runLimited(requests, ({ run, name }) => this.fetchNewPoints(run.id, name));
    for (const run of pending) {
      if (isFinal(run.status)) this.complete.add(run.id);
    }
    return counts.reduce((sum, n) => sum + n, 0);
  }

  async fetchNewPoints(runId, name) {
    const series = this.series(runId, name);
    const cursor = series.length > 0 ? series[series.length - 1].step : null;
    const query = new URLSearchParams({ name });
    if (cursor !== null) query.set('afterStep', String(cursor));
    const response = await apiFetch(`/api/v1/runs/${runId}/metrics?${query}`);
    series.push(...response.points);
    return response.points.length;
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
