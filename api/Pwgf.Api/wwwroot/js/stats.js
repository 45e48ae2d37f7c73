// Aggregation over seeds: at each step, the mean of the runs that recorded the metric there and its standard error
// (sample standard deviation / sqrt(n); zero width with a single run).

/**
 * @param {Array<Array<{step:number,value:number}>>} seriesPerRun one point list per run (seed) of one estimator
 * @param {(value:number) => number|null} transform applied to every value first (null drops the point)
 * @returns {Array<{step:number, mean:number, standardError:number, n:number}>} sorted by step
 */
export function meanOverSeeds(seriesPerRun, transform = (v) => v) {
  const byStep = new Map();
  for (const series of seriesPerRun) {
    for (const point of series) {
      const value = transform(toNumber(point.value));
      if (value === null || !Number.isFinite(value)) continue;
      let values = byStep.get(point.step);
      if (!values) byStep.set(point.step, (values = []));
      values.push(value);
    }
  }
  return [...byStep.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([step, values]) => {
      const n = values.length;
      const mean = values.reduce((sum, v) => sum + v, 0) / n;
      const variance = n > 1 ? values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1) : 0;
      return { step, mean, standardError: Math.sqrt(variance / n), n };
    });
}

/** The API sends a diverged run's NaN or infinity as a string; everything else is a JSON number. */
export function toNumber(value) {
  return typeof value === 'number' ? value : Number(value);
}

/** Natural log of a positive value; null for zero or negatives, which a log axis cannot show. */
export const logOfPositive = (value) => (value > 0 ? Math.log(value) : null);
