// The new-comparison form, built from the catalogue: the task's options and the estimators it accepts, each with
// its parameters, defaults filled in. A 400 answer is shown beside the fields it names.
import { ApiError, apiFetch, getEstimators, getTasks, newIdempotencyKey } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import {
  FieldErrors, checkbox, field, numberInput, numberValue, parseNumberList, select, textInput,
} from '../forms.js';

// Pre-ticked when the task accepts them: the two estimators the service exists to compare.
const suggestedEstimators = ['st', 'pwgf'];

export async function renderNewComparisonForm(container) {
  const [tasks, estimators] = await Promise.all([getTasks(), getEstimators()]);
  const estimatorsByName = new Map(estimators.map((e) => [e.name, e]));

  const summary = h('div', { class: 'form-errors', role: 'alert', hidden: true });
  const errors = new FieldErrors(summary);
  const taskSelect = select(tasks.map((t) => ({ value: t.name, text: `${t.name} (${t.distribution})` })), tasks[0]?.name, 'task');
  const taskField = field('Task', taskSelect);
  const taskSummary = h('p', { class: 'hint' });
  const optionsArea = h('div');
  const estimatorsArea = h('div');

  const seeds = field('Seeds', textInput({ value: '1, 2', name: 'seeds' }), 'Whole numbers separated by commas; one run per seed and estimator.');
  const steps = field('Steps per run', numberInput({ value: 1000, min: 1, integer: true, required: true, name: 'steps' }));
  const evalEvery = field('Record metrics every', numberInput({ min: 1, integer: true, placeholder: 'steps / 100', name: 'evalEvery' }),
    'Steps between evaluations; empty means steps / 100.');
  const optimizer = field('Optimizer', select(['adam', 'sgd'], 'adam', 'optimizer'));
  const learningRate = field('Learning rate', numberInput({ min: 0, name: 'learningRate' }));
  const submit = h('button', { type: 'submit' }, 'Start comparison');

  errors.register('task', taskField);
  errors.register('seeds', seeds);
  errors.register('steps', steps);
  errors.register('evalEvery', evalEvery);
  errors.register('optimizer.name', optimizer);
  errors.register('optimizer.learningRate', learningRate);

  let current; // what the form holds for the selected task: option and estimator controls

  const showTask = () => {
    const task = tasks.find((t) => t.name === taskSelect.value);
    taskSummary.textContent = task.summary;
    learningRate.control.value = String(task.defaultLearningRate);
    current = { task, options: buildOptions(task, optionsArea), estimators: buildEstimators(task, estimatorsByName, estimatorsArea) };
  };
  taskSelect.addEventListener('change', showTask);
  showTask();

  const form = h('form', { class: 'comparison-form', novalidate: true },
    summary,
    taskField.wrapper, taskSummary,
    optionsArea,
    estimatorsArea,
    h('fieldset', {}, h('legend', {}, 'Runs'), seeds.wrapper, steps.wrapper, evalEvery.wrapper, optimizer.wrapper, learningRate.wrapper),
    h('div', { class: 'buttons' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const request = readRequest(current, { seeds, steps, evalEvery, optimizer, learningRate }, errors);
    if (!request) return;
    submit.disabled = true;
    try {
      const accepted = await apiFetch('/api/v1/comparisons', {
        method: 'POST',
        body: request,
        headers: { 'Idempotency-Key': newIdempotencyKey() },
      });
      location.assign(`/comparisons/${accepted.id}`);
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.fieldErrors).length > 0) {
        errors.show(error.fieldErrors, error.problem.title);
      } else {
        errors.showMessage(error instanceof ApiError ? `${error.problem.title ?? 'Refused'}: ${error.message}` : `Could not reach the service: ${error.message}`);
      }
      submit.disabled = false;
    }
  });

  replaceChildren(container, form);
}

/** One control per task option, defaults filled in. */
function buildOptions(task, area) {
  const controls = task.options.map((option) => ({ option, ...optionField(option) }));
  replaceChildren(area, controls.length === 0 ? null
    : h('fieldset', {}, h('legend', {}, 'Task options'), controls.map((c) => c.wrapper)));
  return controls;
}

/** A labelled control for one option; `owner` prefixes the label when several estimators share a parameter name. */
function optionField(option, owner = '') {
  const name = owner ? `${owner}.${option.name}` : option.name;
  const label = owner ? `${owner}: ${option.name}` : option.name;
  const range = option.minimum !== null && option.minimum !== undefined ? ` Range ${option.minimum} to ${option.maximum}.` : '';
  switch (option.kind) {
    case 'boolean':
      return field(label, checkbox({ checked: Number(option.default) !== 0, name }), option.description);
    case 'choice':
      return field(label, select(option.choices, option.default, name), option.description);
    case 'numberList':
      return field(label, textInput({ name, placeholder: 'e.g. 0.1, 0.5, 1' }),
        `${option.description} Numbers separated by commas; empty to leave it out.${range}`);
    default:
      return field(label, numberInput({
        value: option.default, min: option.minimum, max: option.maximum, integer: option.kind === 'integer', name,
      }), `${option.description}${range}`);
  }
}

/** A checkbox per estimator the task accepts; a ticked one shows its parameters. */
function buildEstimators(task, estimatorsByName, area) {
  const entries = task.estimators.map((name) => {
    const estimator = estimatorsByName.get(name);
    const tick = field(name, checkbox({ checked: suggestedEstimators.includes(name), name: 'estimator', value: name }),
      estimator?.summary);
    const parameters = (estimator?.parameters ?? []).map((option) => ({ option, ...optionField(option, name) }));
    const parameterBox = parameters.length === 0 ? null
      : h('div', { class: 'estimator-parameters', hidden: !tick.control.checked }, parameters.map((p) => p.wrapper));
    tick.control.addEventListener('change', () => {
      if (parameterBox) parameterBox.hidden = !tick.control.checked;
    });
    return { name, tick, parameters, element: h('div', { class: 'estimator-choice' }, tick.wrapper, parameterBox) };
  });
  const list = h('div', { class: 'estimator-list' }, entries.map((e) => e.element));
  const error = h('p', { class: 'field-error', hidden: true });
  replaceChildren(area, h('fieldset', { class: 'estimators' }, h('legend', {}, 'Estimators'), error, list));
  return { entries, group: { control: entries[0]?.tick.control ?? list, error } };
}

/** Reads the form into a request body, or shows what the browser can tell is wrong and returns null. */
function readRequest(current, controls, errors) {
  errors.clear();
  const local = {};
  const { task } = current;

  const taskOptions = {};
  for (const { option, control } of current.options) {
    errors.register(`taskOptions.${option.name}`, current.options.find((c) => c.option === option));
    const value = controlValue(option, control);
    if (value === null) local[`taskOptions.${option.name}`] = ['Give numbers separated by commas.'];
    else if (value !== undefined) taskOptions[option.name] = value;
  }

  const estimators = [];
  errors.register('estimators', current.estimators.group);
  for (const entry of current.estimators.entries.filter((e) => e.tick.control.checked)) {
    const index = estimators.length;
    errors.register(`estimators[${index}]`, entry.tick);
    const changed = {};
    for (const parameter of entry.parameters) {
      errors.register(`estimators[${index}].${parameter.option.name}`, parameter);
      const value = controlValue(parameter.option, parameter.control);
      // Only changed parameters are sent: the estimator then keeps its plain name as its label.
      if (value !== undefined && value !== null && Number(value) !== Number(parameter.option.default)) changed[parameter.option.name] = value;
    }
    estimators.push(Object.keys(changed).length === 0 ? entry.name : { name: entry.name, ...changed });
  }
  if (estimators.length === 0) local.estimators = ['Tick at least one estimator.'];

  const seeds = parseNumberList(controls.seeds.control.value, { integers: true });
  if (!seeds) local.seeds = ['Seeds are whole numbers separated by commas.'];

  if (Object.keys(local).length > 0) {
    errors.show(local, 'Please correct the marked fields.');
    return null;
  }
  return {
    task: task.name,
    taskOptions,
    estimators,
    seeds,
    steps: numberValue(controls.steps.control) ?? null,
    evalEvery: numberValue(controls.evalEvery.control),
    optimizer: { name: controls.optimizer.control.value, learningRate: numberValue(controls.learningRate.control) },
  };
}

/** A control's value for the request: undefined leaves the default, null means unreadable. */
function controlValue(option, control) {
  switch (option.kind) {
    case 'boolean':
      return control.checked;
    case 'choice':
      return control.value;
    case 'numberList':
      return control.value.trim() === '' ? undefined : parseNumberList(control.value);
    default:
      return numberValue(control);
  }
}
