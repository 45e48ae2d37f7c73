namespace Pwgf.Estimators;

public enum ParameterKind
{
    Number,
    Integer,
    Boolean,
}

/// <summary>A tunable knob of an estimator or a task, with its default and inclusive range.</summary>
public sealed record ParameterSpec(
    string Name,
    ParameterKind Kind,
    double Default,
    double Minimum,
    double Maximum,
    string Description)
{
    /// <summary>Checks one value against kind and range; returns the problem, or null when the value is fine.</summary>
    public string? Check(double value)
    {
        if (!double.IsFinite(value)) return $"'{Name}' must be a finite number.";
        if (Kind == ParameterKind.Integer && value != Math.Floor(value)) return $"'{Name}' must be an integer.";
        if (Kind == ParameterKind.Boolean && value is not (0 or 1)) return $"'{Name}' must be true or false.";
        if (value < Minimum || value > Maximum) return $"'{Name}' must be between {Minimum} and {Maximum}.";
        return null;
    }

    /// <summary>
    /// Fills defaults and checks the given values against <paramref name="specs"/>; problems are keyed by parameter
    /// name. Names match exactly (camelCase, as in the API).
    /// </summary>
    public static ParameterValues Resolve(
        string owner,
        IReadOnlyList<ParameterSpec> specs,
        IReadOnlyDictionary<string, double> given,
        out Dictionary<string, string> problems)
    {
        problems = [];
        foreach (string name in given.Keys.Where(name => specs.All(p => p.Name != name)))
        {
            problems[name] = specs.Count == 0
                ? $"'{owner}' takes no parameters."
                : $"'{owner}' has no parameter '{name}'; it takes {string.Join(", ", specs.Select(p => p.Name))}.";
        }
        var values = new Dictionary<string, double>();
        foreach (var spec in specs)
        {
            double value = given.TryGetValue(spec.Name, out double v) ? v : spec.Default;
            if (spec.Check(value) is { } problem) problems[spec.Name] = problem;
            values[spec.Name] = value;
        }
        return new ParameterValues(values);
    }
}

/// <summary>Resolved parameters: every declared one present, defaults filled in.</summary>
public sealed class ParameterValues(IReadOnlyDictionary<string, double> values)
{
    public IReadOnlyDictionary<string, double> Values => values;

    public double Number(string name) => values[name];
    public int Integer(string name) => (int)values[name];
    public bool Boolean(string name) => values[name] != 0;
}
