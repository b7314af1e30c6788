using PgWire.Connection;
using PgWire.Types;

namespace PgWire;

/// <summary>What fills a <see cref="CommandRequest"/>: a command's text and parameters, a batch, a native call.</summary>
internal interface ICommandSource
{
    /// <summary>Adds the statements to <paramref name="request"/>, each with its parameters bound (resolved and checked).</summary>
    void Fill(CommandRequest request, PgTypeRegistry registry);
}
