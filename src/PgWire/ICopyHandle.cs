namespace PgWire;

/// <summary>A COPY object that holds its connection until it ends; closing the connection abandons it.</summary>
internal interface ICopyHandle
{
    /// <summary>Ends the COPY without the caller: an import is aborted (nothing committed), an export stopped.</summary>
    ValueTask AbandonAsync(bool async);
}
