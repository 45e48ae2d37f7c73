// Labelled form fields and the display of a 400 ValidationProblem next to the fields it names.
import { h, uniqueId } from './dom.js';

/**
 * A labelled field: the label, the control, an optional hint and a slot for its error, tied together with
 * for/id and aria-describedby so screen readers announce all three.
 */
export function field(labelText, control, hintText) {
  control.id ||= uniqueId('field');
  const hint = hintText ? h('p', { class: 'hint', id: `${control.id}-hint` }, hintText) : null;
  const error = h('p', { class: 'field-error', id: `${control.id}-error`, hidden: true });
  control.setAttribute('aria-describedby', [hint?.id, error.id].filter(Boolean).join(' '));
  const isCheckbox = control.type === 'checkbox';
  const label = h('label', { for: control.id }, labelText);
  const wrapper = h('div', { class: isCheckbox ? 'field checkbox' : 'field' },
    isCheckbox ? [control, label] : [label, control], hint, error);
  return { wrapper, control, error };
}

export function numberInput({ value, min, max, integer, required, placeholder, name }) {
  return h('input', {
    type: 'number',
    name,
    value: value ?? '',
    min: min ?? null,
    max: max ?? null,
    step: integer ? '1' : 'any',
    inputmode: integer ? 'numeric' : 'decimal',
    required: required || null,
    placeholder: placeholder ?? null,
  });
}

export function textInput({ value, name, placeholder }) {
  return h('input', { type: 'text', name, value: value ?? '', placeholder: placeholder ?? null, spellcheck: 'false' });
}

export function checkbox({ checked, name, value }) {
  return h('input', { type: 'checkbox', name, value: value ?? null, checked: Boolean(checked) });
}

export function select(options, selected, name) {
  return h('select', { name }, options.map((option) => {
    const { value, text } = typeof option === 'string' ? { value: option, text: option } : option;
    return h('option', { value, selected: value === selected }, text);
  }));
}

/** "1, 2; 3" -> [1, 2, 3]; null when a token is not a finite number (or not an integer when asked). */
export function parseNumberList(text, { integers = false } = {}) {
  const tokens = text.split(/[\s,;]+/).filter(Boolean);
  const numbers = tokens.map(Number);
  const bad = numbers.some((n) => !Number.isFinite(n) || (integers && !Number.isInteger(n)));
  return bad ? null : numbers;
}

/** A number input's value: a number, or undefined when left empty (the service then takes its default). */
export function numberValue(input) {
  return input.value.trim() === '' ? undefined : Number(input.value);
}

/**
 * Maps the field names the API uses in ValidationProblem "errors" ("steps", "taskOptions.dims", "estimators[1]")
 * to the controls that produced them; what cannot be placed goes into the form's summary.
 */
export class FieldErrors {
  constructor(summary) {
    this.summary = summary;
    this.fields = new Map();
    this.shown = [];
  }

  /** @param {{control: HTMLElement, error: HTMLElement}} target */
  register(name, target) {
    this.fields.set(name, target);
  }

  clear() {
    for (const { control, error } of this.shown) {
      control.removeAttribute('aria-invalid');
      error.hidden = true;
      error.textContent = '';
    }
    this.shown = [];
    this.summary.hidden = true;
    this.summary.replaceChildren();
  }

  /** Shows each message beside its field; returns how many could not be placed. */
  show(errors, title) {
    this.clear();
    const unplaced = [];
    for (const [name, messages] of Object.entries(errors)) {
      const target = this.nearest(name);
      if (!target) {
        unplaced.push(`${name}: ${messages.join(' ')}`);
        continue;
      }
      target.error.textContent = messages.join(' ');
      target.error.hidden = false;
      target.control.setAttribute('aria-invalid', 'true');
      this.shown.push(target);
    }
    this.summary.append(h('p', {}, title ?? 'The service refused the request; see the marked fields.'));
    if (unplaced.length > 0) this.summary.append(h('ul', {}, unplaced.map((text) => h('li', {}, text))));
    this.summary.hidden = false;
    this.shown[0]?.control.focus();
    return unplaced.length;
  }

  /** The registered field for a name, else for its parents: "logits[0][2]" falls back to "logits[0]", then "logits". */
  nearest(name) {
    for (let candidate = name; candidate; candidate = candidate.replace(/(\.[^.[]*|\[[^\]]*\])$/, '')) {
      if (this.fields.has(candidate)) return this.fields.get(candidate);
      if (!/[.[]/.test(candidate)) break;
    }
    return null;
  }

  /** A problem that belongs to no field (network failure, 401, 422, 500). */
  showMessage(message) {
    this.clear();
    this.summary.append(h('p', {}, message));
    this.summary.hidden = false;
  }
}
