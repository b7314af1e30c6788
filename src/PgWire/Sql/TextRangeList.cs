using System.Buffers;

namespace PgWire.Sql;

/// <summary>
/// A list of [start, end) ranges of a text that starts in memory the caller provides (stack memory) and moves to a
/// pooled array only when it outgrows it, so that scanning command text that turns out not to need splitting
/// allocates nothing.
/// </summary>
internal ref struct TextRangeList(Span<int> initial)
{
    // Flat: the start of range i at 2i, its end at 2i + 1.
    private Span<int> _items = initial;
    private int[]? _rented;
    private int _length;

    public readonly int Count => _length / 2;

    public readonly int StartOf(int index) => _items[2 * index];

    public readonly int EndOf(int index) => _items[2 * index + 1];

    public void Add(int start, int end)
    {
        if (_length + 2 > _items.Length) Grow();
        _items[_length++] = start;
        _items[_length++] = end;
    }

    private void Grow()
    {
        int[] bigger = ArrayPool<int>.Shared.Rent(Math.Max(_items.Length * 2, 16));
        _items[.._length].CopyTo(bigger);
        if (_rented is not null) ArrayPool<int>.Shared.Return(_rented);
        _rented = bigger;
        _items = bigger;
    }

    public void Dispose()
    {
        if (_rented is not null) ArrayPool<int>.Shared.Return(_rented);
        _rented = null;
        _items = default;
        _length = 0;
    }
}
