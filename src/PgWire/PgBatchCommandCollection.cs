using System.Collections;
using System.Data.Common;

namespace PgWire;

/// <summary>The statements of a <see cref="PgBatch"/>, run in order.</summary>
public sealed class PgBatchCommandCollection : DbBatchCommandCollection, IReadOnlyList<PgBatchCommand>
{
    private readonly List<PgBatchCommand> _items = new();

    public override int Count => _items.Count;

    public override bool IsReadOnly => false;

    public new PgBatchCommand this[int index]
    {
        get => _items[index];
        set => _items[index] = value ?? throw new ArgumentNullException(nameof(value));
    }

    public override void Add(DbBatchCommand item) => _items.Add(Check(item));

    /// <summary>Adds a statement with its SQL; returns it so its parameters can be added.</summary>
    public PgBatchCommand Add(string commandText)
    {
        var command = new PgBatchCommand(commandText);
        _items.Add(command);
        return command;
    }

    public void Add(PgBatchCommand item) => _items.Add(item ?? throw new ArgumentNullException(nameof(item)));

    public override void Clear() => _items.Clear();

    public override bool Contains(DbBatchCommand item) => item is PgBatchCommand c && _items.Contains(c);

    public override void CopyTo(DbBatchCommand[] array, int arrayIndex)
    {
        for (int i = 0; i < _items.Count; i++) array[arrayIndex + i] = _items[i];
    }

    public override int IndexOf(DbBatchCommand item) => item is PgBatchCommand c ? _items.IndexOf(c) : -1;

    public override void Insert(int index, DbBatchCommand item) => _items.Insert(index, Check(item));

    public override bool Remove(DbBatchCommand item) => item is PgBatchCommand c && _items.Remove(c);

    public override void RemoveAt(int index) => _items.RemoveAt(index);

    protected override DbBatchCommand GetBatchCommand(int index) => _items[index];

    protected override void SetBatchCommand(int index, DbBatchCommand batchCommand) => _items[index] = Check(batchCommand);

    public override IEnumerator<DbBatchCommand> GetEnumerator() => _items.GetEnumerator();

    IEnumerator<PgBatchCommand> IEnumerable<PgBatchCommand>.GetEnumerator() => _items.GetEnumerator();

    private static PgBatchCommand Check(DbBatchCommand item) =>
        item as PgBatchCommand ?? throw new ArgumentException(
            item is null ? "A batch command cannot be null." : $"A PgBatch takes PgBatchCommand, not {item.GetType().Name}.", nameof(item));
}
