// Compiled by OpenApiLintTests against the types openapi-typescript generates from the served document
// (./pwgf-api.d.ts, written next to this file in a temporary folder). Each line states what a client developer
// relies on; `@ts-expect-error` lines must fail to compile, so a field that turns optional or `unknown` breaks tsc.
import type { components } from "./pwgf-api";

type Schemas = components["schemas"];
type Submit = Schemas["SubmitComparisonRequest"];
type Audit = Schemas["DiagnosticsRequest"];
type Logits = Audit["logits"];

// Required request fields are required.
// @ts-expect-error task, estimators, seeds and steps are required
const emptySubmission: Submit = {};
// @ts-expect-error steps is required
const noSteps: Submit = { task: "poisson-toy", estimators: ["st"], seeds: [1] };
const submission: Submit = { task: "poisson-toy", estimators: ["st", { name: "reinforce-loo", samples: 4 }], seeds: [1, 2], steps: 100 };
// @ts-expect-error required fields are not nullable
const nullTask: Submit = { task: null, estimators: ["st"], seeds: [1], steps: 10 };
// @ts-expect-error an estimator is a name or an object with a name, not a number
const numberEstimator: Submit = { task: "poisson-toy", estimators: [5], seeds: [1], steps: 10 };
// An estimator's parameters are its own, with their types.
type Entry = Schemas["EstimatorEntry"];
const withSamples: Entry = { name: "reinforce-loo", samples: 4 };
// @ts-expect-error samples is a number
const textSamples: Entry = { name: "reinforce-loo", samples: "4" };
// @ts-expect-error st has no samples parameter
const foreignParameter: Entry = { name: "st", samples: 4 };
// @ts-expect-error not an estimator
const unknownName: Entry = "sgd";
// @ts-expect-error distribution, logits, objective and estimators are required
const emptyAudit: Audit = {};
const objective: Schemas["DiagnosticsObjectiveRequest"] = { kind: "power", target: 0.45 };

// logits is a vector or a matrix, not unknown.
const vector: Logits = [0.5, -1];
const matrix: Logits = [[0, 1, -1], [2, 0, 0]];
// @ts-expect-error a string is not logits
const text: Logits = "0.5";
// @ts-expect-error a nested object is not logits
const nested: Logits = [{ value: 1 }];

// A catalogue default is a number or a name.
type Default = Schemas["ParameterDescription"]["default"];
const numberDefault: Default = 4;
const nameDefault: Default = "fashion-mnist";
// @ts-expect-error a boolean is neither
const booleanDefault: Default = true;

// Response fields are always present.
type Details = Schemas["ComparisonDetails"];
const runsOf = (details: Details): Schemas["RunDetails"][] => details.runs;
const summaryOf = (details: Details): Schemas["EstimatorSummary"][] => details.summary;

export { emptySubmission, noSteps, submission, nullTask, numberEstimator, withSamples, textSamples, foreignParameter, unknownName, emptyAudit, objective, vector, matrix, text, nested,
    numberDefault, nameDefault, booleanDefault, runsOf, summaryOf };
