// Home page: the comparisons, newest first and paged, with progress and an estimate of the time left; beside them
// the form for a new comparison. The list refreshes itself while anything on the page is still running.
import { apiFetch } from '../api.js';
import {
  focusView, formatDuration, formatTime, h, isFinal, progressBar, replaceChildren, statusBadge,
} from '../dom.js';
import { renderNewComparisonForm } from './new-comparison-form.js';

const pageSize = 10;
const refreshMilliseconds = 3000;
// The rate behind an ETA is measured over the last minute of observations, so a queue wait long ago does not count.
const rateWindowMilliseconds = 60_000;

export function renderComparisonList(view) {
  const listArea = h('div', { class: 'list-area', 'aria-live': 'polite' }, h('p', { class: 'loading' }, 'Loading comparisons…'));
  const formArea = h('div', {}, h('p', { class: 'loading' }, 'Loading the catalogue…'));
  replaceChildren(view,
    h('h1', { class: 'visually-hidden' }, 'Comparisons'),
    h('div', { class: 'home-grid' },
      h('section', { 'aria-labelledby': 'list-heading' }, h('h2', { id: 'list-heading' }, 'Comparisons'), listArea),
      h('section', { 'aria-labelledby': 'form-heading', class: 'panel' }, h('h2', { id: 'form-heading' }, 'New comparison'), formArea)));
  focusView(view);

  renderNewComparisonForm(formArea).catch((error) => {
    replaceChildren(formArea, h('p', { class: 'error', role: 'alert' }, `Could not load the catalogue: ${error.message}`));
  });

  const samples = new Map(); // comparison id -> [{time, done}] for the ETA
  let page = Number(new URLSearchParams(location.search).get('page')) || 1;
  let timer;

  const load = async () => {
    clearTimeout(timer);
    let result;
    try {
      result = await apiFetch(`/api/v1/comparisons?page=${page}&pageSize=${pageSize}`);
    } catch (error) {
      replaceChildren(listArea, h('p', { class: 'error', role: 'alert' }, `Could not load the comparisons: ${error.message}`));
      timer = setTimeout(load, refreshMilliseconds * 3);
      return;
    }
    const now = Date.now();
    for (const item of result.items) remember(samples, item, now);
    replaceChildren(listArea, listTable(result, samples, now), pager(result, (next) => {
      page = next;
      samples.clear();
      history.replaceState(null, '', page === 1 ? '/' : `/?page=${page}`);
      load();
    }));
    if (result.items.some((item) => !isFinal(item.status))) timer = setTimeout(load, refreshMilliseconds);
  };
  load();
}

function remember(samplesById, item, now) {
  let samples = samplesById.get(item.id);
  if (!samples) samplesById.set(item.id, (samples = []));
  samples.push({ time: now, done: item.stepsDone });
  while (samples.length > 2 && now - samples[0].time > rateWindowMilliseconds) samples.shift();
}

/** Seconds left at the recent rate, else at the average rate since submission; NaN when nothing moved yet. */
function estimateSecondsLeft(item, samples, now) {
  const left = item.stepsTotal - item.stepsDone;
  if (left <= 0) return 0;
  const first = samples?.[0];
  if (first && item.stepsDone > first.done && now > first.time) {
    return left / ((item.stepsDone - first.done) / ((now - first.time) / 1000));
  }
  const elapsed = (now - new Date(item.createdAt).getTime()) / 1000;
  return item.stepsDone > 0 && elapsed > 0 ? left / (item.stepsDone / elapsed) : NaN;
}

function listTable(result, samplesById, now) {
  if (result.items.length === 0) {
    return h('p', {}, 'No comparisons yet. Start one with the form.');
  }
  const rows = result.items.map((item) => {
    const seconds = isFinal(item.status) ? null : estimateSecondsLeft(item, samplesById.get(item.id), now);
    return h('tr', {},
      h('td', {}, h('a', { href: `/comparisons/${item.id}` }, item.task), h('br'), h('small', {}, formatTime(item.createdAt))),
      h('td', {}, statusBadge(item.status)),
      h('td', {}, progressBar(item.stepsDone, item.stepsTotal, `Progress of ${item.task} comparison`),
        h('br'), h('small', {}, `${item.stepsDone.toLocaleString()} / ${item.stepsTotal.toLocaleString()} steps`)),
      h('td', {}, `${item.finishedRuns} / ${item.runs}`),
      h('td', {}, seconds === null ? '–' : Number.isNaN(seconds) ? 'waiting' : formatDuration(seconds)));
  });
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'comparisons' },
      h('caption', { class: 'visually-hidden' }, 'Comparisons, newest first'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Task'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Progress'),
        h('th', { scope: 'col' }, 'Runs done'), h('th', { scope: 'col' }, 'Time left'))),
      h('tbody', {}, rows)));
}

function pager(result, go) {
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  if (pages === 1) return null;
  return h('nav', { class: 'pager', 'aria-label': 'Pages of comparisons' },
    h('button', { type: 'button', class: 'secondary', disabled: result.page <= 1, onclick: () => go(result.page - 1) }, '← Newer'),
    h('span', {}, `Page ${result.page} of ${pages}`),
    h('button', { type: 'button', class: 'secondary', disabled: result.page >= pages, onclick: () => go(result.page + 1) }, 'Older →'));
}
