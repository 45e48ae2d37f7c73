// Chart.js set-ups for the dashboard. Chart.js (window.Chart, from npm at build time) does all the drawing; this
// module only turns aggregated series into its datasets. A standard-error band is a pair of invisible line datasets,
// the upper one filled down to the lower one.

// Okabe-Ito: distinguishable with the common kinds of colour blindness.
const palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#8C6D31', '#000000'];
export const colourOf = (index) => palette[index % palette.length];

function translucent(hex, alpha) {
  const value = parseInt(hex.slice(1), 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}

const baseOptions = () => ({
  animation: false, // live data: redraw at once instead of animating every poll
  responsive: true,
  maintainAspectRatio: false,
  normalized: true,
  interaction: { mode: 'nearest', intersect: false },
});

/**
 * A line chart of one metric against step, one line per estimator with its band.
 * @param {HTMLCanvasElement} canvas
 * @param {{yTitle: string, logarithmic: boolean}} options
 */
export function createLineChart(canvas, { yTitle, logarithmic }) {
  return new window.Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      ...baseOptions(),
      parsing: false, // points are already {x, y}, sorted by x
      scales: {
        x: { type: 'linear', title: { display: true, text: 'step' } },
        y: { type: logarithmic ? 'logarithmic' : 'linear', title: { display: true, text: yTitle } },
      },
      plugins: {
        legend: {
          labels: { filter: (item, data) => !data.datasets[item.datasetIndex].isBand },
          onClick: (event, item, legend) => toggleEstimator(legend.chart, item.datasetIndex),
        },
        tooltip: { filter: (item) => !item.dataset.isBand },
      },
    },
  });
}

/** Hiding an estimator in the legend hides its band with it. */
function toggleEstimator(chart, datasetIndex) {
  const estimator = chart.data.datasets[datasetIndex].estimator;
  const visible = chart.isDatasetVisible(datasetIndex);
  chart.data.datasets.forEach((dataset, index) => {
    if (dataset.estimator === estimator) chart.setDatasetVisibility(index, !visible);
  });
  chart.update('none');
}

/**
 * Replaces the chart's data.
 * @param {Array<{estimator: string, colour: string, points: Array<{step, mean, standardError}>}>} lines
 * @param {(y: number) => number} display maps a band value to the plotted one (10 ** y for log10 axis units)
 */
export function setLines(chart, lines, display = (y) => y) {
  const hidden = new Set(chart.data.datasets
    .filter((dataset, index) => !dataset.isBand && !chart.isDatasetVisible(index))
    .map((dataset) => dataset.estimator));
  const datasets = [];
  for (const { estimator, colour, points } of lines) {
    const common = { estimator, pointRadius: 0, hidden: hidden.has(estimator) };
    datasets.push({
      ...common,
      label: estimator,
      data: points.map((p) => ({ x: p.step, y: display(p.mean) })),
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 2,
      pointRadius: points.length < 40 ? 2 : 0,
      fill: false,
    });
    datasets.push({
      ...common,
      isBand: true,
      label: `${estimator} − 1 s.e.`,
      data: points.map((p) => ({ x: p.step, y: display(p.mean - (p.standardError ?? 0)) })),
      borderWidth: 0,
      fill: false,
    });
    datasets.push({
      ...common,
      isBand: true,
      label: `${estimator} + 1 s.e.`,
      data: points.map((p) => ({ x: p.step, y: display(p.mean + (p.standardError ?? 0)) })),
      borderWidth: 0,
      backgroundColor: translucent(colour, 0.2),
      fill: '-1', // down to the lower edge just before it
    });
  }
  chart.data.datasets = datasets;
  chart.update('none');
}

/**
 * A bar chart with estimators along x and one bar group per coordinate (or one summary bar each).
 * @param {{labels: string[], groups: Array<{label: string, values: number[]}>, yTitle: string, logarithmic: boolean}} spec
 */
export function createBarChart(canvas, { labels, groups, yTitle, logarithmic }) {
  return new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: groups.map((group, index) => ({
        label: group.label,
        data: group.values,
        backgroundColor: translucent(colourOf(index), 0.75),
        borderColor: colourOf(index),
        borderWidth: 1,
      })),
    },
    options: {
      ...baseOptions(),
      scales: {
        x: { title: { display: true, text: 'estimator' } },
        y: { type: logarithmic ? 'logarithmic' : 'linear', title: { display: true, text: yTitle } },
      },
      plugins: { legend: { display: groups.length > 1 } },
    },
  });
}
