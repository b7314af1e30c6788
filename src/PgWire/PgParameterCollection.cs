using System.Collections;
using System.Data.Common;

namespace PgWire;

/// <summary>
/// The parameters of a <see cref="PgCommand"/> or <see cref="PgBatchCommand"/>: bound to $1, $2, ... in order, or by
/// <see cref="PgParameter.ParameterName"/> to the command text's @name and :name placeholders.
/// </summary>
public sealed class PgParameterCollection : DbParameterCollection, IReadOnlyList<PgParameter>
{
    private readonly List<PgParameter> _items = new();

    public override int Count => _items.Count;

    public override object SyncRoot => ((ICollection)_items).SyncRoot;

    public new PgParameter this[int index]
    {
        get => _items[index];
        set => _items[index] = value;
    }

    public new PgParameter this[string parameterName]
    {
        get => _items[IndexOfChecked(parameterName)];
        set => _items[IndexOfChecked(parameterName)] = value;
    }

    public PgParameter Add(PgParameter parameter)
    {
        _items.Add(parameter);
        return parameter;
    }

    /// <summary>Adds a positional parameter holding <paramref name="value"/>.</summary>
    public PgParameter AddWithValue(object? value) => Add(new PgParameter(value));

    public PgParameter AddWithValue(string parameterName, object? value) => Add(new PgParameter(parameterName, value));

    public override int Add(object value)
    {
        _items.Add(Cast(value));
        return _items.Count - 1;
    }

    public override void AddRange(Array values)
    {
        foreach (object v in values) Add(v);
    }

    public override void Clear() => _items.Clear();

    public override bool Contains(object value) => value is PgParameter p && _items.Contains(p);

    public override bool Contains(string value) => IndexOf(value) >= 0;

    public override void CopyTo(Array array, int index) => ((ICollection)_items).CopyTo(array, index);

    public override IEnumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<PgParameter> IEnumerable<PgParameter>.GetEnumerator() => _items.GetEnumerator();

    public override int IndexOf(object value) => value is PgParameter p ? _items.IndexOf(p) : -1;

    /// <summary>The first parameter named <paramref name="parameterName"/> (with or without its @ or : prefix), or else the first so named ignoring case; -1 when none is.</summary>
    public override int IndexOf(string parameterName)
    {
        ReadOnlySpan<char> name = NameOf(parameterName);
        for (int i = 0; i < _items.Count; i++)
            if (name.SequenceEqual(NameOf(_items[i].ParameterName))) return i;
        for (int i = 0; i < _items.Count; i++)
            if (name.Equals(NameOf(_items[i].ParameterName), StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    /// <summary>A parameter's name as placeholders in the command text use it: without the prefix it may be written with.</summary>
    internal static ReadOnlySpan<char> NameOf(string? parameterName) => parameterName.AsSpan().TrimStart("@:$");

    private int IndexOfChecked(string name)
    {
        int i = IndexOf(name);
        return i >= 0 ? i : throw new ArgumentException($"No parameter named '{name}'.", nameof(name));
    }

    public override void Insert(int index, object value) => _items.Insert(index, Cast(value));

    public override void Remove(object value) => _items.Remove(Cast(value));

    public override void RemoveAt(int index) => _items.RemoveAt(index);

    public override void RemoveAt(string parameterName) => _items.RemoveAt(IndexOfChecked(parameterName));

    protected override DbParameter GetParameter(int index) => _items[index];

    protected override DbParameter GetParameter(string parameterName) => _items[IndexOfChecked(parameterName)];

    protected override void SetParameter(int index, DbParameter value) => _items[index] = Cast(value);

    protected override void SetParameter(string parameterName, DbParameter value) => _items[IndexOfChecked(parameterName)] = Cast(value);

    private static PgParameter Cast(object value) =>
        value as PgParameter ?? throw new InvalidCastException($"Only PgParameter objects can be added, not {value?.GetType().Name ?? "null"}.");
}
