namespace Pwgf.Api.Hosting;

/// <summary>Problems collected under the name of their field, so one response can list all of them.</summary>
internal sealed class FieldProblems
{
    private readonly Dictionary<string, List<string>> _byField = [];

    public int Count => _byField.Values.Sum(list => list.Count);

    public void Add(string field, string problem)
    {
        if (!_byField.TryGetValue(field, out var list)) _byField[field] = list = [];
        list.Add(problem);
    }

    public bool Has(string field) => _byField.ContainsKey(field);

    public Dictionary<string, string[]> ToDictionary() => _byField.ToDictionary(p => p.Key, p => p.Value.ToArray());
}
