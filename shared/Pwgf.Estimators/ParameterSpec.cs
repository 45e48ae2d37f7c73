namespace Pwgf.Estimators;

public enum ParameterKind
{
    Number,
    Integer,
    Boolean,

    /// <summary>A list of numbers, each within [Minimum, Maximum]; optional, empty when not given.</summary>
    NumberList,

    /// <summary>One of a fixed set of names (a dataset, an architecture, pwgf's projection).</summary>
    Choice,
}

/// <summary>A tunable knob of an estimator or a task, with its default and inclusive range.</summary>
public sealed record ParameterSpec(
    string Name,
    ParameterKind Kind,
    double Default,
    double Minimum,
    double Maximum,
    string Description,
    int MaxCount = 0,
    IReadOnlyList<string>? Choices = null)
{
    /// <summary>A choice among names; the default is the first.</summary>
    public static ParameterSpec Choice(string name, IReadOnlyList<string> choices, string description) =>
        new(name, ParameterKind.Choice, 0, 0, choices.Count - 1, description, Choices: choices);

    /// <summary>The default of a choice parameter.</summary>
    public string? DefaultChoice => Choices is { Count: > 0 } choices ? choices[(int)Default] : null;

    /// <summary>Checks a name against the choices of a choice parameter.</summary>
    public string? Check(string choice) => Choices?.Contains(choice, StringComparer.Ordinal) == true
        ? null
        : $"'{Name}' must be one of: {string.Join(", ", Choices ?? [])}.";

    /// <summary>Checks one value against kind and range; returns the problem, or null when the value is fine.</summary>
    public string? Check(double value)
    {
        if (!double.IsFinite(value)) return $"'{Name}' must be a finite number.";
        if (Kind == ParameterKind.Integer && value != Math.Floor(value)) return $"'{Name}' must be an integer.";
        if (Kind == ParameterKind.Boolean && value is not (0 or 1)) return $"'{Name}' must be true or false.";
        if (value < Minimum || value > Maximum) return $"'{Name}' must be between {Minimum} and {Maximum}.";
        return null;
    }

    /// <summary>Checks a list value: its length and every element.</summary>
    public string? Check(IReadOnlyList<double> values)
    {
        if (values.Count > MaxCount) return $"'{Name}' takes at most {MaxCount} numbers.";
        return values.Select(Check).FirstOrDefault(problem => problem is not null);
    }

    /// <summary>
    /// Fills defaults and checks the given values against <paramref name="specs"/>; problems are keyed by parameter
    /// name. Names match exactly (camelCase, as in the API). List parameters come in <paramref name="lists"/>,
    /// choice parameters in <paramref name="texts"/>.
    /// </summary>
    public static ParameterValues Resolve(
        string owner,
        IReadOnlyList<ParameterSpec> specs,
        IReadOnlyDictionary<string, double> given,
        out Dictionary<string, string> problems,
        IReadOnlyDictionary<string, double[]>? lists = null,
        IReadOnlyDictionary<string, string>? texts = null)
    {
        problems = [];
        lists ??= new Dictionary<string, double[]>();
        texts ??= new Dictionary<string, string>();
        foreach (string name in given.Keys.Concat(lists.Keys).Concat(texts.Keys).Where(name => specs.All(p => p.Name != name)))
        {
            problems[name] = specs.Count == 0
                ? $"'{owner}' takes no parameters."
                : $"'{owner}' has no parameter '{name}'; it takes {string.Join(", ", specs.Select(p => p.Name))}.";
        }
        var values = new Dictionary<string, double>();
        var listValues = new Dictionary<string, double[]>();
        var choiceValues = new Dictionary<string, string>();
        foreach (var spec in specs)
        {
            if (spec.Kind == ParameterKind.Choice)
            {
                if (given.ContainsKey(spec.Name) || lists.ContainsKey(spec.Name)) problems[spec.Name] = spec.Check("")!;
                string choice = texts.TryGetValue(spec.Name, out var text) ? text : spec.DefaultChoice!;
                if (spec.Check(choice) is { } choiceProblem) problems[spec.Name] = choiceProblem;
                choiceValues[spec.Name] = choice;
                continue;
            }
            if (texts.ContainsKey(spec.Name)) problems[spec.Name] = $"'{spec.Name}' is a number, not text.";
            if (spec.Kind == ParameterKind.NumberList)
            {
                if (given.ContainsKey(spec.Name)) problems[spec.Name] = $"'{spec.Name}' is a list of numbers.";
                if (!lists.TryGetValue(spec.Name, out var list)) continue;
                if (spec.Check(list) is { } listProblem) problems[spec.Name] = listProblem;
                listValues[spec.Name] = list;
                continue;
            }
            if (lists.ContainsKey(spec.Name)) problems[spec.Name] = $"'{spec.Name}' is a single value, not a list.";
            double value = given.TryGetValue(spec.Name, out double v) ? v : spec.Default;
            if (spec.Check(value) is { } problem) problems[spec.Name] = problem;
            values[spec.Name] = value;
        }
        return new ParameterValues(values, listValues, choiceValues);
    }
}

/// <summary>
/// Resolved parameters: every declared scalar and choice present with defaults filled in; lists only when given.
/// </summary>
public sealed class ParameterValues(
    IReadOnlyDictionary<string, double> values,
    IReadOnlyDictionary<string, double[]>? lists = null,
    IReadOnlyDictionary<string, string>? choices = null)
{
    public IReadOnlyDictionary<string, double> Values => values;
    public IReadOnlyDictionary<string, double[]> Lists { get; } = lists ?? new Dictionary<string, double[]>();
    public IReadOnlyDictionary<string, string> Choices { get; } = choices ?? new Dictionary<string, string>();

    public double Number(string name) => values[name];
    public int Integer(string name) => (int)values[name];
    public bool Boolean(string name) => values[name] != 0;

    /// <summary>The resolved name of a choice parameter.</summary>
    public string Choice(string name) => Choices[name];
}
