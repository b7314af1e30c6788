namespace PgWire.Tests.Dapper;

/// <summary>A row read into a positional record: Dapper calls the constructor whose parameters match the columns' names and types.</summary>
public sealed record Person(int Id, string Name, bool Active, decimal Balance, DateTime Joined, Guid Uid);

/// <summary>A row read into a class with settable properties, one of each type Dapper maps without a handler.</summary>
public sealed class TypeRow
{
    public int Id { get; set; }
    public short Small { get; set; }
    public long Big { get; set; }
    public bool Flag { get; set; }
    public string Name { get; set; } = "";
    public string? Note { get; set; }
    public char Letter { get; set; }
    public decimal Amount { get; set; }
    public double Ratio { get; set; }
    public float Ratio4 { get; set; }
    public byte[] Data { get; set; } = [];
    public Guid Uid { get; set; }
    public DateTime Created { get; set; }
    public DateTime CreatedTz { get; set; }
    public DateTimeOffset CreatedOffset { get; set; }
    public DateTime Day { get; set; }
    public TimeSpan AtTime { get; set; }
    public TimeSpan Span { get; set; }
    public int[] Numbers { get; set; } = [];
    public string[] Words { get; set; } = [];
    public string Doc { get; set; } = "";
    public DayOfWeek Weekday { get; set; }
    public long? Missing { get; set; }
}

/// <summary>A row whose date, time and range columns go through the type handlers of <see cref="DapperTypeHandlers"/>.</summary>
public sealed record Booking(int Id, DateOnly Day, TimeOnly Starts, PgRange<int> Seats);

/// <summary>A class with init-only properties, filled by name.</summary>
public sealed class Item
{
    public int Id { get; init; }
    public string Name { get; init; } = "";
}
